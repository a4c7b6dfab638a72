"""Ctrl-C (KeyboardInterrupt) keeps a usable model with the best result so far.

A net keeps its best finished epoch; a search keeps the pairs it finished, and a
net that swallowed the Ctrl-C (skorch does) stops the search around it too.
"""

import pickle
import warnings

import numpy as np
import pytest
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from skorch.callbacks import Callback

import autodl.automl._auto as auto_module
from autodl import AutoClassifier
from autodl.neural import MLPClassifier, WeightSnapshots
from autodl.spotcheck import ModelSpec, SpotCheck


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


@pytest.fixture(scope="module")
def data():
    return make_classification(300, 6, random_state=0)


def _net(**params):
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
            "device": "cpu",
            "random_state": 0,
            **params,
        }
    )


def _state(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


@pytest.mark.parametrize("early_stopping", [True, False])
@pytest.mark.parametrize("mid_epoch", [False, True])
def test_net_keeps_its_best_finished_epoch(data, early_stopping, mid_epoch):
    X, y = data
    snapshots = WeightSnapshots(epochs=range(1, 31))
    net = _net(
        early_stopping=early_stopping,
        lr=0.05,  # large steps: the validation loss is not monotone
        callbacks=[CtrlCAt(8, mid_epoch), snapshots],
    )
    with pytest.warns(UserWarning, match=r"interrupted .*after epoch (7|8) of 30"):
        net.fit(X, y)
    finished = 7 if mid_epoch else 8
    assert net.interrupted_ and len(net.history_) == finished
    assert "train_loss" in net.history_[-1]  # no half-finished epoch row
    losses = net.history_[:, "valid_loss"]
    assert net.best_epoch_ == int(np.argmin(losses)) + 1 < finished  # not the last
    best = dict(snapshots.snapshots_)[net.best_epoch_]
    for key, value in _state(net.net_.module_).items():
        torch.testing.assert_close(value, best[key])
    assert net.predict(X).shape == (300,) and net.score(X, y) > 0.6
    # the copy of the best weights is not in the pickle
    guard = dict(pickle.loads(pickle.dumps(net)).net_.callbacks_)["interruption"]
    assert guard.best_state_ is None


def test_weight_averaging_averages_the_finished_epochs(data):
    X, y = data
    net = _net(weight_averaging="swa", callbacks=[CtrlCAt(8)])
    with pytest.warns(UserWarning, match="keeps the average of epochs 7 to 8"):
        net.fit(X, y)
    assert net.averaged_epochs_ == (7, 8)


def test_interrupted_before_the_first_epoch_ends_raises(data):
    X, y = data
    with pytest.raises(KeyboardInterrupt, match="before its first epoch"):
        _net(callbacks=[CtrlCAt(1, mid_epoch=True)]).fit(X, y)


def test_early_stopping_is_no_interruption(data):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = _net(max_epochs=200, patience=2, lr=0.05).fit(X, y)
    assert len(net.history_) < 200 and not net.interrupted_


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
