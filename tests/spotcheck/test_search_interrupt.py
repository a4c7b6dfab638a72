"""Ctrl-C (KeyboardInterrupt) during a search keeps the pairs it finished, and a net
that swallowed the Ctrl-C (skorch does) stops the search around it too.

What a net keeps when it is interrupted: tests/neural/test_net_interrupt.py.
"""

import pytest
from _helpers import CtrlCAt
from _helpers import classic_net as _net
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

import autodl.automl._auto as auto_module
from autodl import AutoClassifier
from autodl.spotcheck import ModelSpec, SpotCheck


@pytest.fixture(scope="module")
def data():
    return make_classification(300, 6, random_state=0)


def test_a_net_interrupted_inside_spotcheck_stops_the_search(data):
    X, y = data
    models = [
        ("logistic", LogisticRegression()),
        ("net", _net(callbacks=[CtrlCAt(2)])),
        ("logistic2", LogisticRegression(C=0.1)),
    ]
    spot = SpotCheck(models=models, views=[("raw", None)], cv=3, random_state=0)
    with pytest.warns(UserWarning, match="SpotCheck interrupted after 3 of 9 fits"):
        spot.fit(X, y)
    assert spot.stop_reason_ == "interrupted"
    board = spot.leaderboard_.set_index("model")
    assert board.loc["logistic", "status"] == "ok"
    assert set(board.loc[["net", "logistic2"], "status"]) == {"not run"}
    assert spot.predict(X).shape == (300,)


class _CtrlC(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise KeyboardInterrupt


def test_nothing_finished_is_a_keyboard_interrupt(data, monkeypatch):
    X, y = data
    spot = SpotCheck(models=[("ctrl_c", _CtrlC())], views=[("raw", None)], cv=3)
    with pytest.warns(UserWarning, match="interrupted after 0 of 3"):
        with pytest.raises(KeyboardInterrupt, match="no model to keep"):
            spot.fit(X, y)

    monkeypatch.setattr(
        auto_module,
        "default_models",
        lambda task, n_samples=None, random_state=None: [
            ModelSpec("knn", _CtrlC(), {})
        ],
    )
    auto = AutoClassifier(time_budget=30, cv=3, n_jobs=1, verbose=0)
    with pytest.warns(UserWarning, match="interrupted"):
        with pytest.raises(KeyboardInterrupt, match="no model to keep"):
            auto.fit(X, y)
    assert auto.leaderboard_["status"].tolist() == ["not run"]  # what ran is kept
