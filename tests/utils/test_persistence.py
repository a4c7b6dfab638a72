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


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_every_zoo_model_loads_from_skops_with_the_trusted_types(task):
    # a search's final model may be any zoo member: its file must load with
    # trusted_types() alone (autodl fit writes skops by default)
    import skops.io as sio

    from autodl.automl._auto import _pipeline
    from autodl.spotcheck import default_models
    from autodl.utils import trusted_types

    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 4))
    y = rng.randint(3, size=90) if task == "multiclass" else X[:, 0] + rng.rand(90)
    for spec in default_models(task, len(y), random_state=0):
        pipe = _pipeline(spec, "cpu").set_params(**_short(spec))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pipe.fit(X, y)
        data = sio.dumps(pipe)
        untrusted = set(sio.get_untrusted_types(data=data)) - set(trusted_types())
        assert not untrusted, (spec.name, untrusted)
        loaded = sio.loads(data, trusted=trusted_types())
        np.testing.assert_allclose(loaded.predict(X), pipe.predict(X))


def _short(spec):
    """Few rounds or epochs: the file's types do not depend on the training length."""
    params = spec.estimator.get_params()
    for name, value in (("max_epochs", 2), ("n_estimators", 10), ("max_iter", 10)):
        for key in params:
            if key == name or key.endswith("__" + name):
                return {f"model__{key}": value}
    return {}
