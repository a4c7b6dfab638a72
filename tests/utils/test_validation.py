"""Bad input gets a ValueError / TypeError that names the problem and the fix.

Every registered estimator (``autodl.utils.all_estimators``, with the small instances
of ``tests/test_common.py``) is given the usual mistakes of messy data; a failure
deep inside numpy, torch or scikit-learn is never the answer.
"""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from _helpers import (
    NAMES,
    is_sampler,
    make_data,
    small_instance,
)
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags

from autodl.ensemble import BlendingClassifier, SeedEnsemble
from autodl.neural import MLPClassifier
from autodl.pipeline import make_pipeline
from autodl.preprocessing import TabularPreprocessor
from autodl.spotcheck import SpotCheck
from autodl.utils import check_classification_y

# estimators that impute and encode: they take NaN and strings
TAKES_ANYTHING = {"AutoClassifier", "AutoRegressor", "TabularPreprocessor"}
UNSUPERVISED = {"PowerTransform", "Rescaler", "TabularPreprocessor"}


def _fit(estimator, X, y):
    if is_sampler(estimator):
        return estimator.fit_resample(X, y)
    return estimator.fit(X, y)


def _refused(name, X, y, words):
    """Fitting ``name`` on (X, y) raises a ValueError naming ``words``."""
    estimator = clone(small_instance(name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((ValueError, TypeError)) as info:
            _fit(estimator, X, y)
    message = str(info.value)
    assert "\n" not in message.strip() or "Expected 2D" in message
    for word in words:
        assert re.search(word, message, flags=re.I), (name, word, message)
    return message


@pytest.mark.parametrize("name", NAMES)
def test_infinity_is_refused_naming_the_column(name):
    X, y = make_data(name)
    X = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    X.loc[3, "c"] = np.inf
    _refused(name, X, y, ["infinity", r"\['c'\]", "replace|clip"])


@pytest.mark.parametrize(
    "name",
    [n for n in NAMES if not get_tags(small_instance(n)).input_tags.allow_nan],
)
def test_nan_is_refused_naming_the_column_and_the_fix(name):
    X, y = make_data(name)
    X = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    X.loc[3, "b"] = np.nan
    _refused(name, X, y, ["NaN", r"\['b'\]", "impute", "TabularPreprocessor"])


@pytest.mark.parametrize("name", sorted(set(NAMES) - TAKES_ANYTHING))
def test_string_columns_are_refused_naming_them(name):
    X, y = make_data(name)
    X = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(
        city=np.where(np.arange(len(y)) % 2, "Paris", "Lyon")
    )
    _refused(name, X, y, ["strings", r"\['city'\]", "encode", "TabularPreprocessor"])
    # the same as a numpy object array: the column is named by its position
    _refused(name, X.to_numpy(dtype=object), y, ["strings", r"\[4\]", "encode"])


@pytest.mark.parametrize(
    "name", [n for n in NAMES if n not in UNSUPERVISED and n != "FeatureSelector"]
)
def test_rows_that_do_not_match_are_refused(name):
    X, y = make_data(name)
    _refused(name, X, y[:-5], ["inconsistent numbers of samples", "one entry per row"])


@pytest.mark.parametrize("name", NAMES)
def test_empty_data_is_refused(name):
    X, y = make_data(name)
    _refused(name, X[:0], y[:0], ["0 sample", "no rows"])
    frame = pd.DataFrame(X[:0], columns=["a", "b", "c", "d"])
    _refused(name, frame, y[:0], ["0 sample", "no rows"])


@pytest.mark.parametrize(
    "name", [n for n in NAMES if n not in UNSUPERVISED and n != "FeatureSelector"]
)
def test_missing_target_values_are_refused(name):
    X, y = make_data(name)
    y = y.astype(float)
    y[[2, 7]] = np.nan
    _refused(name, X, y, ["y contains NaN", "2 row", "drop|fill"])


@pytest.mark.parametrize(
    "name",
    [n for n in NAMES if is_classifier(small_instance(n)) or n == "Resampler"],
)
def test_a_one_class_target_is_refused(name):
    X, y = make_data(name)
    _refused(name, X, np.ones_like(y), ["(single|one) class", "at least two"])


@pytest.mark.parametrize("name", NAMES)
def test_another_number_of_features_at_predict(name, fitted):
    estimator, X, _ = fitted[name]
    if is_sampler(estimator):
        pytest.skip("a sampler only resamples in fit")
    method = "transform" if hasattr(estimator, "transform") else "predict"
    with pytest.raises(ValueError, match="3 features.*expecting 4.*same columns"):
        getattr(estimator, method)(X[:, :3])


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLPClassifier(max_epochs=2, device="cpu", random_state=0),
        lambda: SpotCheck(
            models=[("tree", DecisionTreeClassifier(random_state=0))],
            views=[("raw", None)],
            cv=2,
            task="classification",
        ),
        lambda: small_instance("AutoClassifier").set_params(time_budget=5),
    ],
    ids=["MLPClassifier", "SpotCheck", "AutoClassifier"],
)
def test_a_float_target_with_many_values_looks_like_regression(make):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = np.repeat(np.arange(30.0), 2)  # 30 distinct floats: prices, not classes
    with pytest.warns(UserWarning, match="looks like a regression target"):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="(?!.*looks like).*")
            try:
                make().fit(X, y)
            except ValueError:  # some folds lack classes: the warning came first
                pass


def test_few_float_classes_do_not_warn():
    X = np.random.RandomState(0).normal(size=(40, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        MLPClassifier(max_epochs=2, device="cpu", validation_fraction=0).fit(
            X, np.tile([0.0, 1.0], 20)
        )


def test_meta_estimators_take_what_their_members_take():
    """A member that starts with TabularPreprocessor takes strings and NaN."""
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=60),
            "city": rng.choice(["Lyon", "Paris", None], size=60),
        }
    )
    X.loc[::7, "a"] = np.nan
    y = (rng.normal(size=60) > 0).astype(int)
    member = make_pipeline(TabularPreprocessor(), LogisticRegression())
    blend = BlendingClassifier([("lr", member), ("lr2", clone(member))], random_state=0)
    assert blend.fit(X, y).predict(X).shape == (60,)
    spot = SpotCheck(
        models=[("lr", LogisticRegression())],
        views=[("prep", TabularPreprocessor())],
        cv=2,
        random_state=0,
    )
    assert spot.fit(X, y).predict(X).shape == (60,)
    seeds = SeedEnsemble(
        make_pipeline(TabularPreprocessor(), LogisticRegression()), n_estimators=2
    )
    assert seeds.fit(X, y).predict(X).shape == (60,)


def test_regressors_refuse_an_infinite_target():
    for name in [n for n in NAMES if is_regressor(small_instance(n))]:
        X, y = make_data(name)
        y[4] = np.inf
        _refused(name, X, y, ["infinity", "row"])


def test_values_beyond_float32_are_named_not_called_infinity():
    X, y = make_data("MLPClassifier")
    X[5, 2] = 1e300
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's overflow in cast
        _refused("MLPClassifier", X, y, ["too large for float32", r"\[2\]", "Rescale"])


def test_the_target_warning_reads_the_same_on_every_fold():
    """A search refits on folds: a warning naming the row count would repeat once
    per fold size (Python and the CLI print each distinct text once)."""
    y = np.arange(200) % 47
    texts = set()
    for rows in (200, 160, 150):
        with pytest.warns(UserWarning, match="47 distinct integer values") as seen:
            check_classification_y(y[:rows])
        texts |= {str(w.message) for w in seen}
    assert len(texts) == 1
