"""Scale-out: the same results on a Dask (or Ray) cluster, and the GPU fan-out policy.

The cluster tests start a small ``dask.distributed.LocalCluster`` (2 worker
processes, one thread each) once for the module and close it afterwards.
"""

import os
import time

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted
from xgboost import XGBClassifier

import autodl.utils._device as device_module
from autodl import AutoClassifier, AutoRegressor, make_pipeline
from autodl.neural import MLPClassifier
from autodl.preprocessing import Rescaler
from autodl.spotcheck import SpotCheck
from autodl.utils._device import uses_gpu

# columns that measure time, not results
TIMING = ["fit_time"]


def _same_board(a, b):
    a = a.drop(columns=TIMING).reset_index(drop=True)
    b = b.drop(columns=TIMING).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


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


@pytest.fixture
def fake_gpu(monkeypatch):
    """Make ``device="auto"`` resolve to CUDA in this process (not in workers)."""
    monkeypatch.setattr(
        device_module, "resolve_device", lambda d: "cuda" if d == "auto" else d
    )


def _pids(path):
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def test_uses_gpu_reads_every_device_parameter(fake_gpu):
    assert uses_gpu(MLPClassifier())  # "auto", and this process "has" a GPU
    assert not uses_gpu(MLPClassifier(device="cpu"))
    assert uses_gpu(make_pipeline(Rescaler(), MLPClassifier()))
    assert uses_gpu(XGBClassifier(device="cuda"))
    assert not uses_gpu(XGBClassifier())  # device=None
    assert not uses_gpu(LogisticRegression())
    assert not uses_gpu("passthrough")
    assert not uses_gpu(None)


def test_uses_gpu_without_a_gpu(monkeypatch):
    monkeypatch.setattr(device_module, "resolve_device", lambda d: "cpu")
    assert not uses_gpu(MLPClassifier())
    assert uses_gpu(MLPClassifier(device="cuda:1"))  # asked for explicitly


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
    _same_board(spot.leaderboard_, SpotCheck(n_jobs=1, **kw).fit(X, y).leaderboard_)


def test_without_gpu_nets_fan_out_too(data, tmp_path, monkeypatch):
    monkeypatch.setattr(device_module, "resolve_device", lambda d: "cpu")
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


def test_auto_refits_gpu_members_serially(data, fake_gpu):
    X, y = data
    net = MLPClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
    auto = AutoClassifier(n_jobs=2)
    auto.task_, auto.scoring_ = "binary", "roc_auc"

    proba = np.random.RandomState(0).dirichlet([1, 1], size=len(y))

    def members(device):
        return [
            ("logistic", make_pipeline(LogisticRegression()), proba, 0.5),
            (
                "mlp",
                make_pipeline(Rescaler(), net.set_params(device=device)),
                proba[::-1].copy(),
                0.5,
            ),
        ]

    def refit_jobs(device, n_cells=X.size):
        return auto._refit_n_jobs([m[1] for m in members(device)], n_cells)

    # "auto" resolves to the (simulated) GPU: the ensemble is refit one model at a
    # time in this process; the net itself still trains on the CPU here
    assert refit_jobs("auto") == 1 and refit_jobs("cpu") == 2
    auto._refit_jobs = refit_jobs("auto")
    assert auto._fit_final(members("auto"), X, y).n_jobs == 1
    # big data: one refit at a time, so fitted models are not held twice
    assert refit_jobs("cpu", n_cells=10**8) == 1


# -- Dask ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip(
        "distributed", reason="needs the 'dask' extra: pip install 'autodl[dask]'"
    )
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        worker_dashboard_address=None,
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def test_spotcheck_on_dask_equals_local(data, dask_client):
    from distributed import get_task_stream

    X, y = data
    local = SpotCheck(n_jobs=1, **SPOT).fit(X, y)
    with joblib.parallel_backend("dask"), get_task_stream(dask_client) as stream:
        remote = SpotCheck(**SPOT).fit(X, y)  # n_jobs=None: the backend decides
    assert stream.data  # the folds ran on the cluster
    _same_board(local.leaderboard_, remote.leaderboard_)
    np.testing.assert_array_equal(local.predict_proba(X), remote.predict_proba(X))


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_auto_on_dask_equals_local(kind, dask_client):
    if kind == "classifier":
        X, y = make_classification(n_samples=150, n_features=5, random_state=1)
        Auto, include = AutoClassifier, ["logistic_regression", "lda", "naive_bayes"]
    else:
        X, y = make_regression(n_samples=150, n_features=5, noise=5, random_state=1)
        Auto, include = AutoRegressor, ["ridge", "lasso"]
    # a budget in work units: the same search wherever it runs
    kw = {"time_budget": None, "max_trials": 8, "include": include, "cv": 3}
    local = Auto(n_jobs=1, verbose=0, random_state=0, **kw).fit(X, y)
    with joblib.parallel_backend("dask"):
        remote = Auto(n_jobs=-1, verbose=0, random_state=0, **kw).fit(X, y)
    assert local.stop_reason_ is None and remote.stop_reason_ is None
    _same_board(
        local.leaderboard_.astype({"params": str}),
        remote.leaderboard_.astype({"params": str}),
    )
    assert local.ensemble_weights_ == remote.ensemble_weights_
    np.testing.assert_array_equal(local.predict(X), remote.predict(X))


def test_grid_search_over_autodl_pipeline_on_dask(data, dask_client):
    X, y = data
    pipe = make_pipeline(
        Rescaler(), MLPClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
    )
    grid = {
        "rescaler__method": ["standard", "minmax"],
        "mlpclassifier__dropout": [0, 0.2],
    }
    local = GridSearchCV(pipe, grid, cv=3, n_jobs=1).fit(X, y)
    with joblib.parallel_backend("dask"):
        remote = GridSearchCV(pipe, grid, cv=3, n_jobs=-1).fit(X, y)
    np.testing.assert_array_equal(
        local.cv_results_["mean_test_score"], remote.cv_results_["mean_test_score"]
    )
    assert local.best_params_ == remote.best_params_


def test_backend_without_generators_gets_chunks(data, monkeypatch):
    """Ray's joblib backend has no return_as="generator": SpotCheck sends chunks."""
    import autodl.spotcheck._evaluate as evaluate_module

    class NoGenerators:
        supports_return_generator = False

    monkeypatch.setattr(
        evaluate_module, "get_active_backend", lambda: (NoGenerators(), None)
    )
    X, y = data
    kw = {**SPOT, "models": SPOT["models"][:2]}
    chunked = SpotCheck(n_jobs=2, **kw).fit(X, y)
    _same_board(SpotCheck(n_jobs=1, **kw).fit(X, y).leaderboard_, chunked.leaderboard_)
    spot = SpotCheck(
        [("logistic", LogisticRegression()), *SPOT["models"][1:2]],
        views=[("raw", None)],
        cv=5,
        n_jobs=2,
        time_budget=0.0,
        refit=False,
    ).fit(X, y)
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
    _same_board(local.leaderboard_, remote.leaderboard_)
