"""autodl.utils._seeds: one seed bound, one way to draw and set seeds."""

import pathlib
import re

import numpy as np
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeClassifier

import autodl
from autodl.utils import MAX_SEED, draw_seed, random_state_params, set_seeds


def test_draw_seed_is_the_usual_draw_below_int32_max():
    assert MAX_SEED == np.iinfo(np.int32).max
    expected = np.random.RandomState(3).randint(MAX_SEED, size=4)
    assert draw_seed(3, size=4) == [int(s) for s in expected]
    assert draw_seed(3) == int(expected[0])
    rng = np.random.RandomState(3)
    assert [draw_seed(rng) for _ in range(4)] == draw_seed(3, size=4)  # advances
    assert all(type(s) is int for s in draw_seed(None, size=3))


def test_set_seeds_seeds_every_nested_random_state():
    pipe = make_pipeline(PCA(2), DecisionTreeClassifier())
    names = random_state_params(pipe)
    assert names == ["decisiontreeclassifier__random_state", "pca__random_state"]
    pipe, seeds = set_seeds(pipe, 0)
    assert seeds == dict(zip(names, draw_seed(0, size=2), strict=True))
    assert pipe.get_params()["pca__random_state"] == seeds["pca__random_state"]
    _, only = set_seeds(pipe, 0, names=["pca__random_state"])
    assert list(only) == ["pca__random_state"]


def test_the_seed_bound_is_defined_once():
    root = pathlib.Path(autodl.__file__).parent
    defined = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"iinfo\(np\.int32\)\.max", path.read_text())
    ]
    assert defined == ["utils/_seeds.py"]
