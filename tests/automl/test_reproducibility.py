"""The same random_state gives the same AutoClassifier leaderboard and predictions
on the CPU, with n_jobs=1 and n_jobs=-1; a budget in work units (max_trials, no
clock) does not depend on the machine's speed, and a time budget that does not bind
changes nothing. SpotCheck's: tests/spotcheck/test_spotcheck_reproducibility.py."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from autodl import AutoClassifier, AutoRegressor


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(160, 6, n_informative=4, random_state=0)
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(6)]), y


def _auto(**params):
    return AutoClassifier(
        **{
            "include": ["naive_bayes", "cart", "logistic_regression"],
            "cv": 2,
            "random_state": 0,
            "verbose": 0,
            "time_budget": None,
            "max_trials": 10,
            **params,
        }
    )


def _same(a, b, X):
    columns = ["model", "config_id", "score", "mean_score", "split0_score", "params"]
    pd.testing.assert_frame_equal(a.leaderboard_[columns], b.leaderboard_[columns])
    assert a.ensemble_weights_ == b.ensemble_weights_
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_a_work_unit_budget_is_the_same_everywhere(data):
    X, y = data
    sequential = _auto(n_jobs=1).fit(X, y)
    assert sequential.stop_reason_ is None
    assert len(sequential.leaderboard_) == 10  # 3 defaults + 7 tuned
    assert (sequential.leaderboard_["source"] == "random search").sum() == 7
    _same(sequential, _auto(n_jobs=-1).fit(X, y), X)
    # (under a clock the validation scheme and racing follow the measured times:
    # only the work-unit budget promises the same search everywhere)


def test_max_trials_below_the_zoo_runs_the_strong_first():
    from autodl.automl._search import load_portfolio

    X, y = make_classification(80, 4, random_state=0)
    auto = _auto(include=None, max_trials=2, n_jobs=1, ensemble=False).fit(X, y)
    head = {e.family for e in load_portfolio("binary", "anchors")[:2]}
    assert set(auto.leaderboard_["family"]) == head


@pytest.mark.parametrize(
    "params, match",
    [
        (
            {"time_budget": 0},
            "time_budget=0 is not supported; use positive seconds, or None",
        ),
        (
            {"time_budget": "a minute"},
            "time_budget='a minute' is not supported; use positive seconds",
        ),
        ({"max_trials": 0}, "max_trials=0 is not supported"),
        ({"max_trials": 2.5}, "use an int >= 1"),
    ],
)
def test_budget_errors(params, match):
    X, y = make_classification(40, 3, n_informative=2, n_redundant=0, random_state=0)
    with pytest.raises(ValueError, match=match):
        AutoRegressor(**{"verbose": 0, **params}).fit(X, y.astype(float))
