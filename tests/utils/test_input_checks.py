"""The hints of autodl.utils' input checks come from the input, not from the
wording of scikit-learn's errors: with scikit-learn's messages reworded, the same
input gets the same message."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

import autodl.utils._validation as validation
from autodl.utils import validate_numeric, validate_passthrough

X4 = np.arange(24.0).reshape(6, 4)
Y6 = np.array([0, 1] * 3)


def _fitted_on_4_columns():
    scaler = StandardScaler()
    scaler.n_features_in_ = 4
    return scaler


# (check, estimator factory, X, y, reset, extra parameters, words of the message)
CASES = {
    "3-D": (
        validate_numeric,
        StandardScaler,
        np.zeros((3, 2, 2)),
        None,
        True,
        {},
        ["dim 3", "2-D table", "reshape"],
    ),
    "no rows": (
        validate_numeric,
        StandardScaler,
        X4[:0],
        None,
        True,
        {},
        [r"0 sample\(s\)", "no rows"],
    ),
    "no rows, frame": (
        validate_passthrough,
        StandardScaler,
        pd.DataFrame(X4[:0], columns=list("abcd")),
        None,
        True,
        {},
        [r"0 sample\(s\)", "no rows"],
    ),
    "no columns": (
        validate_numeric,
        StandardScaler,
        X4[:, :0],
        None,
        True,
        {},
        [
            r"0 feature\(s\) \(shape=\(6, 0\)\) while a minimum of 1 is "
            "required",
            "no columns",
        ],
    ),
    "short y": (
        validate_numeric,
        StandardScaler,
        X4,
        Y6[:-1],
        True,
        {},
        [r"inconsistent numbers of samples: \[6, 5\]", "one entry per row"],
    ),
    "short y, passthrough": (
        validate_passthrough,
        StandardScaler,
        X4,
        Y6[:-1],
        True,
        {},
        [r"\[6, 5\]", "one entry per row"],
    ),
    "other columns": (
        validate_numeric,
        _fitted_on_4_columns,
        X4[:, :3],
        None,
        False,
        {},
        [
            "X has 3 features, but StandardScaler is expecting 4 features as input",
            "same columns",
        ],
    ),
    "other columns, passthrough": (
        validate_passthrough,
        _fitted_on_4_columns,
        X4[:, :3],
        None,
        False,
        {},
        ["expecting 4 features", "same columns"],
    ),
    "strings in lists": (
        validate_numeric,
        StandardScaler,
        [["Lyon", 1.0], ["Paris", 2.0]],
        None,
        True,
        {},
        [r"column\(s\) \[0\] hold strings", "encode"],
    ),
    "numbers as text": (
        validate_numeric,
        StandardScaler,
        np.array([["1.5", "2"], ["3", "4"]]),
        None,
        True,
        {},
        ["array of strings", r"astype\(float\)", "encode"],
    ),
    "string target": (
        validate_numeric,
        StandardScaler,
        X4,
        np.array(["a", "b"] * 3),
        True,
        {"y_numeric": True},
        ["numeric target", "'a'", "classifier"],
    ),
}


def _message(case):
    check, make, X, y, reset, params, _ = CASES[case]
    args = (X,) if y is None else (X, y)
    with pytest.raises(ValueError) as info:
        check(make(), *args, reset=reset, **params)
    return str(info.value)


@pytest.fixture
def reworded(monkeypatch):
    """scikit-learn's validation, every error of it in other words."""

    def say_it_otherwise(real):
        def wrapper(*args, **kwargs):
            try:
                return real(*args, **kwargs)
            except ValueError as exc:
                raise ValueError("something upstream went wrong") from exc

        return wrapper

    for name in ("validate_data", "check_array", "column_or_1d"):
        monkeypatch.setattr(
            validation, name, say_it_otherwise(getattr(validation, name))
        )


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_hint_names_the_problem_and_the_fix(case):
    message = _message(case)
    for word in CASES[case][-1]:
        assert re.search(word, message), (word, message)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_hint_does_not_depend_on_scikit_learn_wording(case, request):
    expected = _message(case)
    request.getfixturevalue("reworded")
    assert _message(case) == expected
    assert "upstream" not in expected


def test_numbers_as_text_pass_where_a_dtype_converts_them():
    X = np.array([["1.5", "2"], ["3", "4"]])
    out = validate_numeric(StandardScaler(), X, dtype=np.float64)
    assert out.dtype == np.float64
    assert validate_passthrough(StandardScaler(), X).shape == (2, 2)
