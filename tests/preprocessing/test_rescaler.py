import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from autodl.pipeline import make_pipeline
from autodl.preprocessing import Rescaler

METHODS = ["standard", "minmax", "minmax_sym", "robust", "quantile_normal", "none"]


@pytest.fixture(scope="module")
def X():
    rng = np.random.RandomState(0)
    return pd.DataFrame(
        {
            "lognormal": rng.lognormal(size=200),
            "normal": rng.normal(5, 3, size=200),
            "uniform": rng.uniform(-2, 8, size=200),
        }
    )


def test_ranges(X):
    minmax = Rescaler("minmax").fit_transform(X)
    assert_allclose(minmax.min(axis=0), 0, atol=1e-12)
    assert_allclose(minmax.max(axis=0), 1, atol=1e-12)
    sym = Rescaler("minmax_sym").fit_transform(X)
    assert_allclose(sym.min(axis=0), -1, atol=1e-12)
    assert_allclose(sym.max(axis=0), 1, atol=1e-12)
    std = Rescaler("standard").fit_transform(X)
    assert_allclose(std.mean(axis=0), 0, atol=1e-12)
    assert_allclose(std.std(axis=0), 1, atol=1e-12)
    robust = Rescaler("robust").fit_transform(X)
    assert_allclose(np.median(robust, axis=0), 0, atol=1e-12)
    quantile = Rescaler("quantile_normal").fit_transform(X)
    assert_allclose(np.median(quantile, axis=0), 0, atol=0.05)
    assert abs(pd.Series(quantile[:, 0]).skew()) < 0.1  # the log-normal is gone
    assert_allclose(Rescaler("none").fit_transform(X), X.to_numpy())


@pytest.mark.parametrize("method", METHODS)
def test_inverse_transform_round_trip(X, method):
    rescaler = Rescaler(method).fit(X)
    back = rescaler.inverse_transform(rescaler.transform(X))
    assert_allclose(back, X.to_numpy(), atol=1e-6)
    assert list(rescaler.get_feature_names_out()) == list(X.columns)


def test_test_data_uses_training_scale(X):
    rescaler = Rescaler("minmax").fit(X.iloc[:100])
    out = rescaler.transform(X.iloc[100:])
    # another sample's extremes fall outside [0, 1] under the training scale
    assert out.min() < 0 or out.max() > 1


def test_nan_is_kept_and_ignored_in_fit(X):
    X_nan = X.copy()
    X_nan.iloc[0, 0] = np.nan
    out = Rescaler("standard").fit_transform(X_nan)
    assert np.isnan(out[0, 0])
    assert np.isfinite(out[1:, 0]).all()


def test_searchable_in_a_pipeline(X):
    y = (X["normal"] > 5).astype(int)
    pipe = make_pipeline(Rescaler(), LogisticRegression())
    pipe.set_params(rescaler__method="minmax_sym")
    fitted = clone(pipe).fit(X, y)
    assert fitted.named_steps["rescaler"].scaler_.feature_range == (-1, 1)
    Xt = fitted[0].transform(X)
    assert Xt.min() == pytest.approx(-1) and Xt.max() == pytest.approx(1)
    assert pipe.get_params()["rescaler__method"] == "minmax_sym"  # pipe unfitted


def test_errors(X):
    with pytest.raises(ValueError, match=r"method='max' is not supported"):
        Rescaler("max").fit(X)
    with pytest.raises(ValueError, match=r"\['city'\].*TabularPreprocessor"):
        Rescaler().fit(X.assign(city="Paris"))
    rescaler = Rescaler().fit(X.to_numpy())
    with pytest.raises(ValueError, match="3 features"):
        rescaler.transform(X.to_numpy()[:, :2])
    with pytest.raises(ValueError, match="3 features"):
        rescaler.inverse_transform(X.to_numpy()[:, :2])
