"""SpotCheck scale-out: the same results on a Dask (or Ray) cluster, and the GPU
fan-out policy.

The cluster tests start a small ``dask.distributed.LocalCluster`` (2 worker
processes, one thread each; ``dask_client`` in ``tests/conftest.py``) once for the
module and close it afterwards.
"""

import os
import time

import joblib
import numpy as np
import pytest
import torch
from _helpers import same_board
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted

from autodl.neural import MLPClassifier
from autodl.preprocessing import Rescaler
from autodl.spotcheck import SpotCheck


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=120, n_features=6, random_state=0)


SPOT = {
    "models": [
        ("logistic", LogisticRegression(max_iter=500)),
        ("tree", DecisionTreeClassifier(random_state=0)),
        ("net", MLPClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0)),
    ],
    "views": [("raw", None), ("standardized", Rescaler())],
    "cv": 3,
    "random_state": 0,
}


# -- the GPU policy, simulated on the CPU ---------------------------------------
class _Recording(ClassifierMixin, BaseEstimator):
    """A logistic regression that says, in a file, which process fitted it."""

    def __init__(self, device="auto", log=None, sleep=0.0):
        self.device = device
        self.log = log
        self.sleep = sleep

    def fit(self, X, y):
        time.sleep(self.sleep)
        with open(self.log, "a") as f:
            f.write(f"{os.getpid()}\n")
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        check_is_fitted(self)
        return self.model_.predict_proba(X)

    def predict(self, X):
        check_is_fitted(self)
        return self.model_.predict(X)


def _pids(path):
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def test_gpu_fits_run_in_this_process_while_others_fan_out(data, tmp_path, fake_gpu):
    X, y = data
    gpu_log, cpu_log = tmp_path / "gpu", tmp_path / "cpu"
    models = [
        ("gpu_net", _Recording(device="auto", log=str(gpu_log))),
        ("cpu_model", _Recording(device="cpu", log=str(cpu_log))),
    ]
    kw = {"models": models, "views": [("raw", None)], "cv": 3, "random_state": 0}
    spot = SpotCheck(n_jobs=2, **kw).fit(X, y)
    me = os.getpid()
    gpu_pids, cpu_pids = _pids(gpu_log), _pids(cpu_log)
    # 3 folds + the refit of the best pair (always here)
    assert len(gpu_pids) >= 3 and set(gpu_pids) == {me}
    assert len(cpu_pids) >= 3 and me not in cpu_pids[:3]  # the folds: in workers
    assert (spot.leaderboard_["status"] == "ok").all()
    # where a fit runs does not change its result
    same_board(spot.leaderboard_, SpotCheck(n_jobs=1, **kw).fit(X, y).leaderboard_)


def test_without_gpu_nets_fan_out_too(data, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # no GPU here
    X, y = data
    log = tmp_path / "net"
    models = [("net", _Recording(device="auto", log=str(log)))]
    SpotCheck(models, views=[("raw", None)], cv=3, n_jobs=2, refit=False).fit(X, y)
    assert os.getpid() not in _pids(log)


def test_sequential_run_needs_no_policy(data, tmp_path, fake_gpu):
    X, y = data
    log = tmp_path / "net"
    models = [("net", _Recording(device="auto", log=str(log)))]
    SpotCheck(models, views=[("raw", None)], cv=3, n_jobs=1, refit=False).fit(X, y)
    assert set(_pids(log)) == {os.getpid()}


def test_gpu_fits_respect_the_time_budget(data, tmp_path, fake_gpu):
    X, y = data
    log = tmp_path / "net"
    models = [
        ("slow_net", _Recording(device="auto", log=str(log), sleep=0.4)),
        ("logistic", LogisticRegression()),
    ]
    spot = SpotCheck(
        models, views=[("raw", None)], cv=5, n_jobs=2, time_budget=0.5, refit=False
    ).fit(X, y)
    assert spot.stop_reason_ == "time_budget"
    assert len(_pids(log)) < 5  # no new GPU fit started once the budget was spent
    board = spot.leaderboard_.set_index("model")
    assert board.loc["slow_net", "status"] == "not run"


# -- Dask ----------------------------------------------------------------------


def test_spotcheck_on_dask_equals_local(data, dask_client):
    from distributed import get_task_stream

    X, y = data
    local = SpotCheck(n_jobs=1, **SPOT).fit(X, y)
    with joblib.parallel_backend("dask"), get_task_stream(dask_client) as stream:
        remote = SpotCheck(**SPOT).fit(X, y)  # n_jobs=None: the backend decides
    assert stream.data  # the folds ran on the cluster
    same_board(local.leaderboard_, remote.leaderboard_)
    np.testing.assert_array_equal(local.predict_proba(X), remote.predict_proba(X))


def test_backend_without_generators_gets_chunks(data):
    """Ray's joblib backend has no return_as="generator": SpotCheck sends chunks."""
    from joblib import parallel_config, register_parallel_backend
    from joblib.parallel import LokyBackend

    class NoGenerators(LokyBackend):  # loky, without generators as Ray's backend
        supports_return_generator = False

    register_parallel_backend("no_generators", NoGenerators)
    X, y = data
    kw = {**SPOT, "models": SPOT["models"][:2]}
    with parallel_config(backend="no_generators"):
        chunked = SpotCheck(n_jobs=2, **kw).fit(X, y)
        sequential = SpotCheck(n_jobs=1, **kw).fit(X, y)
        spot = SpotCheck(
            [("logistic", LogisticRegression()), *SPOT["models"][1:2]],
            views=[("raw", None)],
            cv=5,
            n_jobs=2,
            time_budget=0.0,
            refit=False,
        ).fit(X, y)
    same_board(sequential.leaderboard_, chunked.leaderboard_)
    assert spot.stop_reason_ == "time_budget"  # checked before each fit
    assert spot.leaderboard_["n_folds"].sum() < 10


# -- Ray -----------------------------------------------------------------------
def test_spotcheck_on_ray_equals_local(data):
    ray = pytest.importorskip(
        "ray", reason="ray is not installed (optional: pip install 'ray[default]')"
    )
    from ray.util.joblib import register_ray

    X, y = data
    local = SpotCheck(n_jobs=1, **SPOT).fit(X, y)
    register_ray()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    # Ray's backend has no generators: SpotCheck sends the fits in chunks
    try:
        with joblib.parallel_backend("ray"):
            remote = SpotCheck(n_jobs=-1, **SPOT).fit(X, y)
    finally:
        ray.shutdown()
    same_board(local.leaderboard_, remote.leaderboard_)
