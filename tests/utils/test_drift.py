"""Predict-time drift (unseen levels, an empty column, swapped columns): a warning
by default, an error with ``drift="raise"`` / ``autodl predict --strict``; and
``Auto*`` predict from any container that matches the fitted columns."""

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from autodl import AutoClassifier, AutoRegressor
from autodl.cli._modelfile import save_model
from autodl.utils import DriftError, check_drift, profile_columns


def _frame(n, seed):
    rng = np.random.RandomState(seed)
    return pd.DataFrame(
        {
            "age": rng.normal(40, 5, size=n),
            "income": rng.normal(3000, 400, size=n),
            "city": rng.choice(["Lyon", "Nice", "Metz"], size=n),
        }
    )


@pytest.fixture(scope="module")
def fitted():
    X = _frame(120, 0)
    y = np.where(X["age"] + (X["city"] == "Nice") * 5 > 42, "yes", "no")
    auto = AutoClassifier(
        time_budget=3, include=["naive_bayes", "cart"], cv=2, n_jobs=1,
        random_state=0, verbose=0,
    ).fit(X, y)  # fmt: skip
    return auto, X, y


def _drift_warnings(auto, X):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        auto.predict(X)
    return [
        str(w.message) for w in caught if "differ from the training" in str(w.message)
    ]


def test_training_like_rows_raise_no_drift(fitted):
    auto, X, _ = fitted
    assert _drift_warnings(auto, X) == []
    assert _drift_warnings(auto, _frame(100, 1)) == []  # new rows, same columns
    assert _drift_warnings(auto, X.head(3)) == []  # too few rows to judge


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda X: X.assign(city=["Paris", "Rome"] * 50), "'city': 100 of 100 rows"),
        (lambda X: X.assign(income=np.nan), "'income' is empty in all 100 rows"),
        (
            lambda X: X.rename(columns={"age": "income", "income": "age"}),
            "'age' and 'income' hold each other's values",
        ),
    ],
    ids=["unseen_levels", "empty_column", "swapped_columns"],
)
def test_drift_warns_then_raises(fitted, change, message):
    auto, _, _ = fitted
    X = change(_frame(100, 1))[["age", "income", "city"]]
    (text,) = _drift_warnings(auto, X)
    assert message in text and "--strict" in text
    strict = auto.set_params(drift="raise")
    try:
        with pytest.raises(DriftError, match=message):
            strict.predict(X)
        with pytest.raises(ValueError, match=message):  # DriftError is one
            strict.predict_proba(X)
    finally:
        auto.set_params(drift="warn")


def test_unseen_levels_are_counted_per_column():
    X = pd.DataFrame({"a": ["x", "y"] * 10, "b": ["u", "v"] * 10})
    new = X.assign(a=["x", "z"] * 10, b=["w"] * 3 + ["u"] * 17)
    (found,) = check_drift(profile_columns(X), new)
    assert "'a': 10 of 20 rows (1 new level(s), e.g. ['z'])" in found
    assert "'b': 3 of 20 rows (1 new level(s), e.g. ['w'])" in found


def test_cli_predict_strict(fitted, tmp_path):
    auto, _, _ = fitted
    model = save_model(
        tmp_path / "model.joblib", auto, target="y", features=["age", "income", "city"]
    )
    rows = tmp_path / "rows.csv"
    _frame(100, 1).assign(city="Paris").to_csv(rows, index=False)
    argv = [sys.executable, "-m", "autodl", "predict", str(model), str(rows)]
    out = ["--out", str(tmp_path / "p.csv")]
    done = subprocess.run([*argv, *out], capture_output=True, text=True)
    assert done.returncode == 0 and "'city': 100 of 100 rows" in done.stderr
    assert done.stderr.count("differ from the training data") == 1
    done = subprocess.run([*argv, *out, "--strict", "--force"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "error: The rows given to AutoClassifier differ" in done.stderr


def test_any_container_with_the_fitted_columns(fitted):
    auto, X, _ = fitted
    expected = auto.predict_proba(X)
    # fitted on a DataFrame, given an array (object, as to_numpy makes it)
    np.testing.assert_allclose(auto.predict_proba(X.to_numpy()), expected)
    np.testing.assert_allclose(auto.predict_proba(X.to_numpy().tolist()), expected)
    with pytest.raises(ValueError, match="features"):
        auto.predict(X.to_numpy()[:, :2])
    # fitted on an array, given a DataFrame (any column names)
    rng = np.random.RandomState(0)
    A = rng.normal(size=(60, 3))
    reg = AutoRegressor(
        time_budget=2, include=["ridge"], cv=2, n_jobs=1, verbose=0
    ).fit(A, A[:, 0] * 2 + rng.normal(size=60))
    frame = pd.DataFrame(A, columns=["p", "q", "r"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not even sklearn's feature-name warning
        np.testing.assert_allclose(reg.predict(frame), reg.predict(A))
