"""AutoClassifier / AutoRegressor scale-out: GPU members refit one at a time, and the
same search on a Dask cluster (``dask_client`` and ``fake_gpu``: tests/conftest.py)."""

import joblib
import numpy as np
import pytest
from _helpers import same_board
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LogisticRegression

from autodl import AutoClassifier, AutoRegressor, make_pipeline
from autodl.neural import MLPClassifier
from autodl.preprocessing import Rescaler
from autodl.spotcheck._evaluate import Candidate


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=120, n_features=6, random_state=0)


def test_auto_refits_gpu_members_serially(data, fake_gpu):
    X, y = data
    net = MLPClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
    auto = AutoClassifier(n_jobs=2)
    auto.task_, auto.scoring_ = "binary", "roc_auc"
    auto.ensemble_score_ = 0.9  # what the search's selection scored

    def members(device):  # (label, pipeline, validation score, weight)
        return [
            ("logistic", make_pipeline(LogisticRegression()), 0.8, 0.5),
            (
                "mlp",
                make_pipeline(Rescaler(), net.set_params(device=device)),
                0.7,
                0.5,
            ),
        ]

    def refit_jobs(device, n_cells=X.size, holds_gil=False, prefer=None):
        cands = [
            Candidate(i, label, {}, pipe, "t", holds_gil=holds_gil)
            for i, (label, pipe, _, _) in enumerate(members(device))
        ]
        return auto._refit_n_jobs(cands, n_cells, prefer)

    # "auto" resolves to the (simulated) GPU: the ensemble is refit one model at a
    # time in this process; the net itself still trains on the CPU here
    assert refit_jobs("auto") == 1 and refit_jobs("cpu") == 2
    auto._refit_jobs = refit_jobs("auto")
    assert auto._fit_final(members("auto"), X, y).n_jobs == 1
    # big data: one refit at a time, so fitted models are not held twice
    assert refit_jobs("cpu", n_cells=10**8) == 1
    # two members holding the GIL (HistGradientBoosting) on threads: in turn
    assert refit_jobs("cpu", holds_gil=True, prefer="threads") == 1
    assert refit_jobs("cpu", holds_gil=True) == 2  # worker processes
    assert refit_jobs("cpu", prefer="threads") == 2


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
    same_board(
        local.leaderboard_.astype({"params": str}),
        remote.leaderboard_.astype({"params": str}),
    )
    assert local.ensemble_weights_ == remote.ensemble_weights_
    np.testing.assert_array_equal(local.predict(X), remote.predict(X))
