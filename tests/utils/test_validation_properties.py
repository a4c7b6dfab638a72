"""Property-based: valid tables are handled, invalid ones are refused by name.

Two families of generated tables go to ``AutoClassifier``, ``SpotCheck``,
``MLPClassifier`` and the preprocessing estimators:

- valid tables (finite numbers, at least two classes with enough rows each; for
  the estimators that take them, strings, categories and missing values too)
  must fit and predict (or transform, or resample) with the right shape;
- invalid tables (a valid one with one defect put in at a drawn place: a NaN or
  an infinity in a column, a string among numbers, one class, a target of
  another length, a NaN target, no rows) must raise a ``ValueError`` or
  ``TypeError`` whose message names what is wrong: the column, the value or
  the lengths. Any other error, or a fit that goes through, fails the test.

A fitted model also predicts from the other container (an array for a DataFrame
and the reverse, same columns), with the same result.

The examples are derandomised, so every run checks the same ones.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
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
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FINITE = st.floats(-1e3, 1e3, allow_nan=False, width=32)
NUMERIC = ["float", "int", "bool", "constant"]
# what a tabular estimator takes too
MIXED = [*NUMERIC, "nan", "all_nan", "nullable", "str", "category"]
MIN_PER_CLASS = 5  # SMOTE with k_neighbors=3, two folds with every class


def _column(draw, kind, n):
    if kind == "float":
        return draw(arrays(np.float64, n, elements=FINITE))
    if kind == "nan":  # floats, some missing
        return draw(arrays(np.float64, n, elements=FINITE | st.just(np.nan)))
    if kind == "all_nan":
        return np.full(n, np.nan)
    if kind == "constant":
        return np.full(n, draw(FINITE), dtype=np.float64)
    if kind == "nullable":  # pandas' nullable integers, with pd.NA
        values = draw(st.lists(st.integers(-5, 5) | st.none(), min_size=n, max_size=n))
        return pd.array(values, dtype="Int64")
    if kind == "int":
        return draw(arrays(np.int64, n, elements=st.integers(-5, 5)))
    if kind == "bool":
        return draw(arrays(np.bool_, n, elements=st.booleans()))
    labels = st.sampled_from(["a", "b", "c"])
    values = draw(st.lists(labels, min_size=n, max_size=n))
    if kind == "str":
        return np.array(values, dtype=object)
    return pd.Categorical(values)


@st.composite
def valid_tables(draw, kinds=NUMERIC):
    """``(X, y)``: 1 to 3 columns, 2 or 3 classes of at least 5 rows each."""
    n_classes = draw(st.sampled_from([2, 3]))
    labels = draw(st.sampled_from([[0, 1, 2], ["no", "yes", "maybe"]]))[:n_classes]
    counts = [draw(st.integers(MIN_PER_CLASS, 12)) for _ in labels]
    y = np.array(draw(st.permutations(np.repeat(labels, counts).tolist())))
    n = len(y)
    columns = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3))
    X = pd.DataFrame(
        {f"c{j}": _column(draw, kind, n) for j, kind in enumerate(columns)}
    )
    # at least one column that varies (a table of constants: its own test below)
    assume(any(X[c].nunique(dropna=False) > 1 for c in X.columns))
    if all(kind in NUMERIC for kind in columns) and draw(st.booleans()):
        return X.to_numpy(dtype=float), y  # numpy in, too
    return X, y


def _with_column(X, j, values):
    """``X`` with column ``j`` replaced; object dtype where a string goes in."""
    if isinstance(X, np.ndarray):
        X = X.astype(object) if any(isinstance(v, str) for v in values) else X.copy()
        X[:, j] = values
        return X
    X = X.copy()
    X[X.columns[j]] = values
    return X


def _column_values(X, j):
    col = X[:, j] if isinstance(X, np.ndarray) else X.iloc[:, j]
    return np.asarray(col, dtype=object).copy()


def _column_name(X, j):
    """How an error names column ``j``: ``'c1'`` for a frame, ``1`` for numpy."""
    return str(j) if isinstance(X, np.ndarray) else repr(str(X.columns[j]))


@st.composite
def invalid_tables(draw, defect):
    """``(X, y, what the message must name)``: a valid table with one defect."""
    X, y = draw(valid_tables())
    if isinstance(X, pd.DataFrame):  # numbers only, so the defect is the only one
        X = X.astype(float)
    n = len(y)
    j = draw(st.integers(0, X.shape[1] - 1))
    row = draw(st.integers(0, n - 1))
    if defect in ("nan", "inf", "str"):
        values = _column_values(X, j).astype(float if defect != "str" else object)
        values[row] = {"nan": np.nan, "inf": -np.inf, "str": "oops"}[defect]
        return _with_column(X, j, values), y, _column_name(X, j)
    if defect == "one_class":
        return X, np.full(n, y[0]), f"({y[0]})"
    if defect == "short_y":
        return X, y[:-1], f"[{n}, {n - 1}]"
    if defect == "nan_y":
        y = np.arange(n) % 2 * 1.0
        y[row] = np.nan
        return X, y, f"positions {row}"
    assert defect == "empty"
    return X[:0], y[:0], "0 sample(s)"


def _small_auto():
    return AutoClassifier(
        time_budget=None,
        max_trials=2,
        include=["naive_bayes", "cart"],
        ensemble=False,
        cv=2,
        n_jobs=1,
        random_state=0,
        verbose=0,
    )


def _small_spotcheck():
    return SpotCheck(
        models=[
            ("tree", DecisionTreeClassifier(max_depth=2, random_state=0)),
            ("logistic", LogisticRegression()),
        ],
        views=[("raw", "passthrough")],
        cv=2,
        random_state=0,
    )


def _small_mlp():
    return MLPClassifier(
        hidden_layer_sizes=(4,), max_epochs=3, device="cpu", random_state=0
    )


# name -> (make, method, kinds of valid column, defects it must refuse)
ALL = ["inf", "one_class", "short_y", "nan_y", "empty"]
NUMERIC_ONLY = ["nan", "str", *ALL]
UNSUPERVISED = ["inf", "empty"]  # y is not looked at
ESTIMATORS = {
    "AutoClassifier": (_small_auto, "predict_proba", MIXED, ALL),
    "SpotCheck": (_small_spotcheck, "predict", NUMERIC, NUMERIC_ONLY),
    "MLPClassifier": (_small_mlp, "predict_proba", NUMERIC, NUMERIC_ONLY),
    "Rescaler": (Rescaler, "transform", NUMERIC, [*UNSUPERVISED, "str"]),
    "PowerTransform": (PowerTransform, "transform", NUMERIC, [*UNSUPERVISED, "str"]),
    "FeatureSelector": (
        lambda: FeatureSelector(k=1, random_state=0),
        "transform",
        NUMERIC,
        NUMERIC_ONLY,
    ),
    "TabularPreprocessor": (
        lambda: TabularPreprocessor(random_state=0),
        "transform",
        MIXED,
        UNSUPERVISED,
    ),
    "Resampler": (
        lambda: Resampler("smote", k_neighbors=3, random_state=0),
        "fit_resample",
        NUMERIC,
        NUMERIC_ONLY,
    ),
    "NoiseAugmenter": (
        lambda: NoiseAugmenter(random_state=0),
        "fit_resample",
        NUMERIC,
        NUMERIC_ONLY,
    ),
}


def _run(estimator, method, X, y):
    """Fit, then ``method`` on the same X; return what ``method`` returned."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "fit_resample":
            return estimator.fit_resample(X, y)
        return getattr(estimator.fit(X, y), method)(X)


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_valid_tables_fit_and_predict(name):
    make, method, kinds, _ = ESTIMATORS[name]
    examples = 4 if name == "AutoClassifier" else 10  # seconds per example

    @settings(SETTINGS, max_examples=examples)
    @given(valid_tables(kinds))
    def check(problem):
        X, y = problem
        estimator = make()
        out = _run(estimator, method, X, y)
        if method == "fit_resample":
            X_res, y_res = out
            assert len(X_res) == len(y_res) >= len(X)
            assert set(np.unique(y_res)) == set(np.unique(y))
            return
        assert len(out) == len(X)
        if method == "predict_proba":
            assert out.shape == (len(X), len(np.unique(y)))
            np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-5)
        elif method == "predict":
            assert set(np.unique(out)) <= set(np.unique(y))
        if method == "transform":  # column names select columns: frames only
            return
        # the other container with the same columns: the same output, no error
        other = pd.DataFrame(X) if isinstance(X, np.ndarray) else X.to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            again = getattr(estimator, method)(other)
        np.testing.assert_array_equal(again, out)

    check()


@pytest.mark.parametrize(
    "name, defect",
    [(name, d) for name in sorted(ESTIMATORS) for d in ESTIMATORS[name][3]],
)
def test_invalid_tables_are_refused_by_name(name, defect):
    make, method, _, _ = ESTIMATORS[name]

    @settings(SETTINGS, max_examples=5)
    @given(invalid_tables(defect))
    def check(problem):
        X, y, named = problem
        with pytest.raises((ValueError, TypeError)) as info:
            _run(make(), method, X, y)
        assert named in str(info.value), f"{named!r} not in: {info.value}"

    check()


def test_a_table_of_constants_gives_finite_probabilities():
    # GaussianNB gives NaN probabilities on zero-variance data: its candidate
    # fails validation (the predictions are checked, whatever the metric)
    X = pd.DataFrame({"c0": np.zeros(15)})
    y = np.repeat([0, 1, 2], 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proba = _small_auto().fit(X, y).predict_proba(X)
    assert np.isfinite(proba).all()
    for metric in ("accuracy", "balanced_accuracy"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            auto = _small_auto().set_params(scoring=metric).fit(X, y)
        board = auto.leaderboard_.set_index("family")
        assert board.loc["naive_bayes", "status"] == "failed"
        assert "NaN or infinity" in board.loc["naive_bayes", "error"]
        assert np.isfinite(auto.predict_proba(X)).all()
