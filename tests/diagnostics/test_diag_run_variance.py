"""run_variance: the spread of scores and predictions across seeds."""

import numpy as np
import pytest
from sklearn.datasets import make_friedman1, make_moons
from sklearn.ensemble import ExtraTreesClassifier, RandomForestRegressor
from sklearn.neighbors import KNeighborsClassifier

from autodl.diagnostics import RunVariance, run_variance
from autodl.neural import MLPClassifier


@pytest.fixture(scope="module")
def moons():
    return make_moons(200, noise=0.25, random_state=0)


def test_random_trees_vary(moons):
    X, y = moons
    result = run_variance(
        ExtraTreesClassifier(n_estimators=1, max_depth=4), X, y, random_state=0
    )
    assert isinstance(result, RunVariance)
    assert list(result.scores) == ["seed", "split0_score", "mean_score"]
    assert len(result.scores) == 5 and result.scores["seed"].nunique() == 5
    assert result.std_score > 0.01
    assert 0 < result.prediction_spread <= 1
    assert result.predictions.shape == (5, len(result.rows)) == (5, 50)
    assert result.scoring == "roc_auc"
    assert "run-to-run std" in str(result)


def test_same_folds_every_run_and_more_members_vary_less(moons):
    X, y = moons
    one = run_variance(
        ExtraTreesClassifier(n_estimators=1), X, y, n_runs=4, cv=3, random_state=0
    )
    many = run_variance(
        ExtraTreesClassifier(n_estimators=50), X, y, n_runs=4, cv=3, random_state=0
    )
    assert np.array_equal(one.rows, many.rows)  # the same folds
    assert sorted(one.rows) == list(range(len(y)))
    assert [c for c in one.scores if c.startswith("split")] == [
        "split0_score",
        "split1_score",
        "split2_score",
    ]
    assert many.std_score < one.std_score
    assert many.prediction_spread < one.prediction_spread
    assert np.isfinite(one.fold_std)


def test_nets_seeded_and_repeatable(moons):
    X, y = moons
    net = MLPClassifier(hidden_layer_sizes=(8,), max_epochs=5, device="cpu")
    first = run_variance(net, X, y, n_runs=2, random_state=0)
    again = run_variance(net, X, y, n_runs=2, random_state=0)
    assert first.scores.equals(again.scores)


def test_regression_spread_is_relative():
    X, y = make_friedman1(150, random_state=0)
    result = run_variance(
        RandomForestRegressor(n_estimators=3), X, 100 * y, n_runs=3, random_state=0
    )
    assert result.task == "regression" and result.scoring == "r2"
    assert 0 < result.prediction_spread < 1  # in units of std(y)


def test_deterministic_estimator_and_errors(moons):
    X, y = moons
    with pytest.warns(UserWarning, match="no random_state"):
        result = run_variance(KNeighborsClassifier(), X, y, n_runs=3)
    assert len(result.scores) == 1 and np.isnan(result.std_score)
    with pytest.raises(ValueError, match="n_runs=0"):
        run_variance(KNeighborsClassifier(), X, y, n_runs=0)
