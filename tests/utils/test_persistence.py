"""joblib dump / load gives identical predictions for every registered estimator
(``fitted``: tests/utils/conftest.py). Nets and their GPU-trained files:
tests/neural/test_net_persistence.py.

Loading a model file runs pickle: only load files you trust (docs/reliability.md).
"""

import warnings

import joblib
import numpy as np
import pytest
from _helpers import NAMES, is_sampler, outputs
from sklearn.base import clone


@pytest.mark.parametrize("name", NAMES)
def test_dump_and_load_give_identical_predictions(name, fitted, tmp_path):
    estimator, X, y = fitted[name]
    path = tmp_path / f"{name}.joblib"
    joblib.dump(estimator, path)
    loaded = joblib.load(path)
    assert type(loaded) is type(estimator)
    if is_sampler(estimator):  # a sampler resamples in fit: the same seed, rows
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for a, b in zip(
                clone(estimator).fit_resample(X, y),
                loaded.fit_resample(X, y),
                strict=True,
            ):
                np.testing.assert_array_equal(a, b)
        return
    before, after = outputs(estimator, X), outputs(loaded, X)
    assert before and before.keys() == after.keys()
    for method, value in before.items():
        np.testing.assert_array_equal(value, after[method], err_msg=method)
