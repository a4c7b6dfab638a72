import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.linear_model import Ridge

from autodl.pipeline import make_pipeline
from autodl.preprocessing import NoiseAugmenter


class _RecordingRidge(Ridge):
    def fit(self, X, y, sample_weight=None):
        self.n_seen_ = len(X)
        return super().fit(X, y, sample_weight)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "small": rng.normal(0, 0.1, 2000),
            "large": rng.normal(100, 50, 2000),
            "constant": np.full(2000, 7.0),
        }
    )
    y = pd.Series(X["small"] * 3 + rng.normal(size=2000), name="target")
    return X, y


def test_copies_follow_the_originals_and_keep_the_labels(data):
    X, y = data
    X_aug, y_aug = NoiseAugmenter(n_copies=2, random_state=0).fit_resample(X, y)
    assert X_aug.shape == (6000, 3) and list(X_aug.columns) == list(X.columns)
    pd.testing.assert_frame_equal(X_aug.iloc[:2000], X)  # originals first
    assert_array_equal(y_aug.to_numpy(), np.tile(y.to_numpy(), 3))
    assert y_aug.name == "target"


def test_noise_is_scaled_by_each_feature_std(data):
    X, y = data
    augmenter = NoiseAugmenter(scale=0.1, random_state=0)
    X_aug, _ = augmenter.fit_resample(X, y)
    noise = X_aug.iloc[2000:].to_numpy() - X.to_numpy()
    assert_allclose(noise[:, :2].std(axis=0), 0.1 * X.std(ddof=0)[:2], rtol=0.1)
    assert_allclose(noise.mean(axis=0), 0, atol=0.01 * X["large"].std())
    assert_array_equal(noise[:, 2], 0)  # a constant column gets no noise
    assert_allclose(augmenter.noise_std_, 0.1 * X.std(ddof=0))


def test_scale_zero_and_no_copies(data):
    X, y = data
    X_same, _ = NoiseAugmenter(scale=0).fit_resample(X, y)
    assert_array_equal(X_same.to_numpy(), np.vstack([X, X]))
    X_none, y_none = NoiseAugmenter(n_copies=0).fit_resample(X, y)
    pd.testing.assert_frame_equal(X_none, X)


def test_acts_at_fit_only_in_a_pipeline(data):
    X, y = data
    pipe = make_pipeline(NoiseAugmenter(n_copies=3, random_state=0), _RecordingRidge())
    pipe.fit(X, y)
    assert pipe[-1].n_seen_ == 8000
    prediction = pipe.predict(X)
    assert prediction.shape == (2000,)
    # predict sees the rows untouched: the same as the model on the raw rows
    assert_allclose(prediction, pipe[-1].predict(X))


def test_classification_target_and_counts():
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.array([0] * 7 + [1] * 3)
    augmenter = NoiseAugmenter(n_copies=2, random_state=0)
    X_aug, y_aug = augmenter.fit_resample(X, y)
    assert X_aug.dtype == np.float32
    assert augmenter.sampling_strategy_ == {0: 14, 1: 6}
    assert np.bincount(y_aug).tolist() == [21, 9]


def test_errors(data):
    X, y = data
    with pytest.raises(ValueError, match="scale=-1 is not supported"):
        NoiseAugmenter(scale=-1).fit_resample(X, y)
    with pytest.raises(ValueError, match="n_copies=1.5 is not supported"):
        NoiseAugmenter(n_copies=1.5).fit_resample(X, y)
    with pytest.raises(ValueError, match="only one class"):
        NoiseAugmenter().fit_resample(X, np.zeros(len(X), dtype=int))
    X_nan = X.copy()
    X_nan.iloc[0, 1] = np.nan
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \['large'\]"):
        NoiseAugmenter().fit_resample(X_nan, y)
    with pytest.raises(ValueError, match=r"\['city'\].*TabularPreprocessor"):
        NoiseAugmenter().fit_resample(X.assign(city="Paris"), y)
