"""Topology search: the MLP's space and successive halving on max_epochs."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold

import autodl.automl._auto as auto_module
import autodl.automl._search as search_module
from autodl import AutoClassifier
from autodl.neural import MLPClassifier, hidden_layer_space
from autodl.spotcheck import ModelSpec, default_models


def test_hidden_layer_space_shapes():
    assert hidden_layer_space(depths=(3,), widths=(64,), shapes=["funnel"]) == [
        (64, 32, 16)
    ]
    assert hidden_layer_space(depths=(4,), widths=(128,), shapes=["diamond"]) == [
        (64, 128, 128, 64)
    ]
    assert hidden_layer_space(depths=(1,), widths=(32,)) == [(32,)]  # one net
    assert hidden_layer_space(depths=(3,), widths=(4,), shapes=["funnel"]) == [
        (4, 4, 4)  # never wider than the width, never narrower than 8 otherwise
    ]
    with pytest.raises(ValueError, match="shapes='pyramid' is not supported"):
        hidden_layer_space(shapes=["pyramid"])
    with pytest.raises(ValueError, match="positive integers"):
        hidden_layer_space(depths=(0,))


@pytest.mark.parametrize("task", ["binary", "regression"])
def test_zoo_searches_the_topology(task):
    space = {s.name: s for s in default_models(task)}["mlp"].space
    sizes = space["hidden_layer_sizes"]
    assert {len(s) for s in sizes} == {1, 2, 3}
    assert (256, 128, 64) in sizes and (64, 128, 64) in sizes  # funnel, diamond
    assert (128, 128, 128) in sizes  # constant
    assert len(space["batch_size"]) > 1 and len(space["lr_schedule"]) > 1
    # the defaults differ by task (the regressor averages, the classifier keeps its
    # best epoch): the search tries both on either task
    assert set(space["weight_averaging"]) == {None, "ema"}


@pytest.fixture(scope="module", params=["k-fold", "holdout"])
def halved(request):
    """AutoClassifier on a small net whose full training is 9 epochs, searched on
    three folds (a splitter is used whole) or on the holdout (no time for a k-fold
    round: the first of three folds, its finalists then validated on the rest)."""
    small_space = {
        "hidden_layer_sizes": hidden_layer_space(depths=(1, 2), widths=(8, 16)),
        "batch_size": [16, 32],
        "lr": [3e-3, 1e-2],
    }

    def zoo(task, n_samples=None, random_state=None):
        net = MLPClassifier(
            hidden_layer_sizes=(8,), max_epochs=9, device="cpu", random_state=0
        )
        return [ModelSpec("mlp", net, small_space, True, 10.0, "max_epochs")]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auto_module, "default_models", zoo)
        if request.param == "holdout":
            cv = 3
            patch.setattr(search_module, "_K_FOLD_SHARE", 0.0)
        else:
            cv = StratifiedKFold(3, shuffle=True, random_state=0)
        X, y = make_classification(150, 5, n_informative=3, random_state=0)
        auto = AutoClassifier(
            time_budget=60, include=["mlp"], cv=cv, n_jobs=1, random_state=0, verbose=0
        ).fit(X, y)
    return auto, X, y, request.param


def test_successive_halving_on_epochs(halved):
    auto, X, y, validation = halved
    board = auto.leaderboard_
    tuned = board[board["source"] == "successive halving"]
    epochs = np.array([p["model__max_epochs"] for p in tuned["params"]])
    # 9 configurations at 1 epoch, the best 3 at 3 epochs, the best one at 9
    assert {e: int((epochs == e).sum()) for e in (1, 3, 9)} == {1: 9, 3: 3, 9: 1}
    # a rung is ranked on the score every candidate had then: the three folds'
    # (the leaderboard's score), or the holdout's (the first fold: the finalists'
    # later folds count in their score, not in the ranking that promoted them)
    holdout = (board["validation"] == "holdout").any()
    assert holdout == (validation == "holdout")
    by = "split0_score" if holdout else "score"

    def config(params):
        return repr(sorted((k, v) for k, v in params.items() if "max_epochs" not in k))

    for low, high in [(1, 3), (3, 9)]:
        rung = tuned[epochs == low]
        promoted = {config(p) for p in tuned[epochs == high]["params"]}
        best = rung.nlargest(len(promoted), by)["params"]
        assert promoted == {config(p) for p in best}
    assert auto.fit_time_ <= 1.1 * 60 + 5
    assert auto.score(X, y) > 0.7


@pytest.mark.budget
def test_net_search_stays_in_the_budget():
    X, y = make_classification(400, 8, random_state=0)
    auto = AutoClassifier(
        time_budget=4, include=["mlp"], cv=3, n_jobs=1, random_state=0, verbose=0
    )
    with warnings.catch_warnings():  # whether a fold finishes in time may vary
        warnings.simplefilter("ignore", UserWarning)
        auto.fit(X, y)
    assert auto.fit_time_ <= 1.1 * 4 + 1
