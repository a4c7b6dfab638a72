"""Property-based: every input is handled or refused with a clear error.

Small tables of every kind (0 to 30 rows; floats with NaN and infinity, integers,
booleans, strings, categories, mixed objects; 1 to 3 classes, sometimes a
mismatched or NaN target) go to ``AutoClassifier``, ``SpotCheck``,
``MLPClassifier`` and the preprocessing estimators. Each one either fits and
predicts (or transforms) with the right shape, or raises a ``ValueError`` /
``TypeError`` with a message; an error from deep inside numpy, torch or
scikit-learn (``IndexError``, ``KeyError``, ``RuntimeError``, ...) fails the test.
A fitted estimator also predicts from the other container (an array for a
DataFrame and the reverse, same columns), with the same result.
The examples are derandomised, so every run checks the same ones.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from autodl import AutoClassifier
from autodl.neural import MLPClassifier
from autodl.preprocessing import (
    FeatureSelector,
    NoiseAugmenter,
    PowerTransform,
    Resampler,
    Rescaler,
    TabularPreprocessor,
)
from autodl.spotcheck import SpotCheck

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FINITE = st.floats(-1e3, 1e3, allow_nan=False, width=32)
CLEAN = ["float", "int", "bool"]
KINDS = [
    *CLEAN,
    "float",
    "nan",
    "inf",
    "huge",
    "constant",
    "all_nan",
    "nullable",
    "str",
    "category",
    "mixed",
]
MOSTLY_CLEAN = CLEAN * 4 + KINDS  # for the estimators that need numbers


def _column(draw, kind, n):
    if kind == "float":
        return draw(arrays(np.float64, n, elements=FINITE))
    if kind in ("nan", "inf"):
        special = np.nan if kind == "nan" else np.inf
        values = draw(arrays(np.float64, n, elements=FINITE | st.just(special)))
        return values
    if kind == "huge":  # beyond float32: a net's input overflows
        return draw(arrays(np.float64, n, elements=st.floats(-1e300, 1e300)))
    if kind == "constant":
        return np.full(n, draw(FINITE))
    if kind == "all_nan":
        return np.full(n, np.nan)
    if kind == "nullable":  # pandas' nullable integers, with pd.NA
        values = draw(st.lists(st.integers(-5, 5) | st.none(), min_size=n, max_size=n))
        return pd.array(values, dtype="Int64")
    if kind == "int":
        return draw(arrays(np.int64, n, elements=st.integers(-5, 5)))
    if kind == "bool":
        return draw(arrays(np.bool_, n, elements=st.booleans()))
    labels = st.sampled_from(["a", "b", "c"])
    if kind == "str":
        return np.array(draw(st.lists(labels, min_size=n, max_size=n)), dtype=object)
    if kind == "category":
        values = draw(st.lists(labels, min_size=n, max_size=n))
        return pd.Categorical(values)
    mixed = labels | FINITE | st.none()  # strings, numbers and None together
    return np.array(draw(st.lists(mixed, min_size=n, max_size=n)), dtype=object)


@st.composite
def problems(draw, kinds=KINDS):
    """``(X, y)``: a small table and a class target, maybe ill-matched."""
    n = draw(st.integers(0, 30))
    columns = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3))
    X = pd.DataFrame(
        {f"c{j}": _column(draw, kind, n) for j, kind in enumerate(columns)}
    )
    if draw(st.booleans()):
        X = X.to_numpy()  # numpy in, too (object dtype for mixed tables); the
        # estimators then also predict from the other container
    n_classes = draw(st.sampled_from([1, 2, 2, 3, 3]))
    labels = draw(st.sampled_from([[0, 1, 2], ["no", "yes", "maybe"], [0.0, 1.0, 2.0]]))
    y = np.array(
        draw(st.lists(st.sampled_from(labels[:n_classes]), min_size=n, max_size=n))
    )
    trouble = draw(st.sampled_from(["none"] * 6 + ["short", "nan"]))
    if trouble == "short" and n > 0:
        y = y[:-1]
    elif trouble == "nan" and n > 0 and y.dtype.kind == "f":
        y[0] = np.nan
    return X, y


def _handled_or_refused(make, X, y, method):
    """Fit, then ``method`` on the same X: the right shape, or a clear error."""
    estimator = make()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "fit_resample":
                Xr, yr = estimator.fit_resample(X, y)
                assert (
                    len(Xr)
                    == len(yr)
                    >= len(X) * (not isinstance(estimator, Resampler))
                )
                return
            estimator.fit(X, y)
            out = getattr(estimator, method)(X)
    except (ValueError, TypeError) as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        return
    assert len(out) == len(X)
    if method == "predict_proba":
        assert out.shape == (len(X), len(estimator.classes_))
    # the other container with the same columns: the same predictions, no error
    other = pd.DataFrame(X) if isinstance(X, np.ndarray) else X.to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = getattr(estimator, method)(other)
    np.testing.assert_array_equal(again, out)


@SETTINGS
@given(problems())
def test_auto_classifier(problem):
    X, y = problem

    def make():
        return AutoClassifier(
            time_budget=3,
            include=["naive_bayes", "cart"],
            cv=2,
            n_jobs=1,
            random_state=0,
            verbose=0,
        )

    _handled_or_refused(make, X, y, "predict_proba")


@SETTINGS
@given(problems(kinds=MOSTLY_CLEAN))
def test_spotcheck(problem):
    X, y = problem

    def make():
        return SpotCheck(
            models=[
                ("tree", DecisionTreeClassifier(max_depth=2, random_state=0)),
                ("logistic", LogisticRegression()),
            ],
            cv=2,
            random_state=0,
        )

    _handled_or_refused(make, X, y, "predict")


@SETTINGS
@given(problems(kinds=MOSTLY_CLEAN))
def test_mlp_classifier(problem):
    X, y = problem

    def make():
        return MLPClassifier(
            hidden_layer_sizes=(4,), max_epochs=3, device="cpu", random_state=0
        )

    _handled_or_refused(make, X, y, "predict_proba")


PREPROCESSORS = {
    "Rescaler": (Rescaler, "transform"),
    "PowerTransform": (PowerTransform, "transform"),
    "FeatureSelector": (lambda: FeatureSelector(k=1, random_state=0), "transform"),
    "TabularPreprocessor": (
        lambda: TabularPreprocessor(random_state=0),
        "transform",
    ),
    "Resampler": (lambda: Resampler("smote", random_state=0), "fit_resample"),
    "NoiseAugmenter": (lambda: NoiseAugmenter(random_state=0), "fit_resample"),
}


@pytest.mark.parametrize("name", sorted(PREPROCESSORS))
def test_preprocessing(name):
    make, method = PREPROCESSORS[name]

    kinds = KINDS if name == "TabularPreprocessor" else MOSTLY_CLEAN

    @settings(SETTINGS, max_examples=20)
    @given(problems(kinds=kinds))
    def check(problem):
        X, y = problem
        _handled_or_refused(make, X, y, method)

    check()
