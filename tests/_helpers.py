"""Shared pieces of the tests in several packages: the estimator registry with the
small instances of ``tests/test_common.py`` (imported, not copied), tiny data, the
real command line, a Ctrl-C callback for nets and a leaderboard comparison.

``tests/conftest.py`` puts ``tests/`` on ``sys.path``: ``from _helpers import ...``."""

import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.base import is_regressor
from skorch.callbacks import Callback

from autodl.utils import all_estimators


def _test_common():
    """``tests/test_common.py`` as pytest imports it (``test_common``)."""
    module = sys.modules.get("test_common")
    if module is None:
        path = Path(__file__).resolve().parent / "test_common.py"
        spec = importlib.util.spec_from_file_location("test_common", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["test_common"] = module
        spec.loader.exec_module(module)
    return module


CHECK_INSTANCES = _test_common().CHECK_INSTANCES
NAMES = [name for name, _ in all_estimators()]


def small_instance(name):
    """A fresh small-budget instance of the registered estimator ``name``."""
    cls = dict(all_estimators())[name]
    return CHECK_INSTANCES.get(name, lambda c: c())(cls)


def is_sampler(estimator):
    return hasattr(estimator, "fit_resample")


def outputs(estimator, X):
    """What a fitted estimator says about ``X``: every prediction-like method."""
    out = {}
    for method in ("predict", "predict_proba", "decision_function", "transform"):
        if hasattr(estimator, method):
            out[method] = getattr(estimator, method)(X)
    return out


def make_data(name, n=60, seed=0):
    """Tiny numeric data that the registered estimator ``name`` takes."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 4))
    y_class = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
    if is_regressor(small_instance(name)):
        return X, X[:, 0] * 3 + rng.normal(size=n)
    return X, y_class


def fit(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if is_sampler(estimator):
            estimator.fit_resample(X, y)
            return estimator
        return estimator.fit(X, y)


def run_cli(*argv, timeout=180):
    """``autodl ARGV`` in a subprocess (the real command line, exit status and all)."""
    import subprocess

    return subprocess.run(
        [sys.executable, "-m", "autodl", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def classic_net(**params):
    """A small ``MLPClassifier``: the classic net (a constant rate, no embedding)."""
    from autodl.neural import MLPClassifier

    return MLPClassifier(
        **{
            "hidden_layer_sizes": (16,),
            "max_epochs": 30,
            "batch_size": 32,
            # the classic net: a constant rate, no embedding (its loss is bumpy)
            "lr_schedule": None,
            "numeric_embedding": None,
            "feature_scale": False,
            "activation": "relu",
            "betas": (0.9, 0.999),
            "label_smoothing": 0.0,
            "n_seeds": 1,  # one net: the levers under test are each net's
            "device": "cpu",
            "random_state": 0,
            **params,
        }
    )


class CtrlCAt(Callback):
    """Raise KeyboardInterrupt in epoch ``epoch``: at its end, or after 2 batches."""

    def __init__(self, epoch, mid_epoch=False):
        self.epoch = epoch
        self.mid_epoch = mid_epoch

    def on_batch_end(self, net, training=False, **kwargs):
        batches = net.history[-1].get("batches", [])
        if self.mid_epoch and training and len(net.history) == self.epoch:
            if len(batches) == 2:
                raise KeyboardInterrupt

    def on_epoch_end(self, net, **kwargs):
        if not self.mid_epoch and len(net.history) == self.epoch:
            raise KeyboardInterrupt


# leaderboard columns that measure time, not results
TIMING = ["fit_time"]


def same_board(a, b):
    """Two leaderboards are equal but for their timings."""
    import pandas as pd

    a = a.drop(columns=TIMING).reset_index(drop=True)
    b = b.drop(columns=TIMING).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
