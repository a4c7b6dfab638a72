import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.stats import skew

from autodl.preprocessing import PowerTransform


@pytest.fixture(scope="module")
def X():
    rng = np.random.RandomState(0)
    n = 500
    return pd.DataFrame(
        {
            # right-skewed with negative values: exp(N(0,1)) - 2 has skew ~ 3
            "skewed_neg": np.exp(rng.normal(size=n)) - 2,
            "left": -rng.exponential(size=n),
            "normal": rng.normal(size=n),
            "binary": rng.randint(0, 2, size=n).astype(float),
            "constant": np.full(n, 3.0),
        }
    )


def test_default_changes_only_skewed_columns(X):
    pt = PowerTransform().fit(X)
    assert list(pt.get_feature_names_out()[pt.columns_]) == ["skewed_neg", "left"]
    out = pt.transform(X)
    for name in ("normal", "binary", "constant"):
        j = list(X.columns).index(name)
        assert_array_equal(out[:, j], X[name])  # untouched, bit for bit
    assert np.isnan(pt.skewness_[3:]).all()  # binary and constant: no skewness


@pytest.mark.parametrize("method", ["box-cox", "yeo-johnson"])
def test_fixes_skew_of_a_column_with_non_positive_values(X, method):
    assert X["skewed_neg"].min() < 0 and skew(X["skewed_neg"]) > 2
    out = PowerTransform(method).fit_transform(X)
    assert abs(skew(out[:, 0])) < 0.5
    assert np.isfinite(out).all()


@pytest.mark.parametrize("method", ["log", "sqrt"])
def test_log_and_sqrt_shift_negatives_and_reduce_right_skew(X, method):
    pt = PowerTransform(method).fit(X)
    assert list(pt.columns_) == [0]  # right skew only: not the left-skewed column
    assert pt.shifts_[0] == pytest.approx(-X["skewed_neg"].min())
    out = pt.transform(X)[:, 0]
    assert np.isfinite(out).all()
    assert abs(skew(out)) < abs(skew(X["skewed_neg"]))
    assert (np.diff(out[np.argsort(X["skewed_neg"])]) >= 0).all()  # monotonic


def test_square_reduces_left_skew(X):
    pt = PowerTransform("square").fit(X)
    assert list(pt.columns_) == [1]
    assert abs(skew(pt.transform(X)[:, 1])) < abs(skew(X["left"]))


def test_columns_all_and_threshold(X):
    assert list(PowerTransform(columns="all").fit(X).columns_) == [0, 1, 2]
    assert list(PowerTransform(skew_threshold=10).fit(X).columns_) == []
    assert list(PowerTransform("none", columns="all").fit(X).columns_) == []


def test_columns_by_name_skips_binary_with_a_warning(X):
    with pytest.warns(UserWarning, match=r"\['binary'\] unchanged"):
        pt = PowerTransform(columns=["normal", "binary"]).fit(X)
    assert list(pt.columns_) == [2]
    with pytest.raises(ValueError, match="'nope', which is not a column"):
        PowerTransform(columns=["nope"]).fit(X)
    with pytest.raises(ValueError, match="position 9"):
        PowerTransform(columns=[9]).fit(X.to_numpy())


@pytest.mark.parametrize("method", ["box-cox", "yeo-johnson", "log", "sqrt", "square"])
def test_inverse_transform_round_trip(X, method):
    pt = PowerTransform(method, columns="all").fit(X)
    assert_allclose(pt.inverse_transform(pt.transform(X)), X.to_numpy(), atol=1e-6)


@pytest.mark.parametrize("method", ["box-cox", "log"])
def test_values_below_the_fit_range_are_clipped_with_a_warning(X, method):
    pt = PowerTransform(method).fit(X)
    X_low = X.iloc[:3].copy()
    X_low.iloc[0, 0] = X["skewed_neg"].min() - 100
    match = r"1 value\(s\) in column\(s\) \['skewed_neg'\]"
    with pytest.warns(UserWarning, match=match):
        out = pt.transform(X_low)
    assert np.isfinite(out).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pt.transform(X)  # the training data itself is in range: no warning


def test_nan_passes_through(X):
    X_nan = X.copy()
    X_nan.iloc[:10, 0] = np.nan
    out = PowerTransform("box-cox").fit_transform(X_nan)
    assert np.isnan(out[:10, 0]).all() and np.isfinite(out[10:, 0]).all()


def test_errors(X):
    with pytest.raises(ValueError, match="method='cube' is not supported"):
        PowerTransform("cube").fit(X)
    with pytest.raises(ValueError, match="skew_threshold=-1 is not supported"):
        PowerTransform(skew_threshold=-1).fit(X)
    with pytest.raises(ValueError, match="columns='some' is not supported"):
        PowerTransform(columns="some").fit(X)
    with pytest.raises(ValueError, match=r"\['city'\].*TabularPreprocessor"):
        PowerTransform().fit(X.assign(city="Paris"))
