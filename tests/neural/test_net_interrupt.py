"""Ctrl-C (KeyboardInterrupt) keeps a usable net with its best finished epoch.

What a search keeps when it is interrupted: tests/spotcheck/test_search_interrupt.py.
"""

import pickle
import warnings

import numpy as np
import pytest
import torch
from _helpers import CtrlCAt
from _helpers import classic_net as _net
from sklearn.datasets import make_classification

from autodl.neural import WeightSnapshots


@pytest.fixture(scope="module")
def data():
    return make_classification(300, 6, random_state=0)


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


class _EpochClock:
    """A stand-in for the ``time`` module: one second an epoch."""

    def __init__(self):
        self.now = 0.0

    def time(self):
        return self.now


@pytest.mark.parametrize("early_stopping", [True, False])
def test_a_search_deadline_ends_training_quietly_with_the_best_epoch(
    data, early_stopping, monkeypatch
):
    """In a search's fold fit (under ``fit_deadline``) the net ends after the epoch
    that reaches the deadline and keeps its best epoch, as early stopping does:
    no warning, not ``interrupted_``, and no clock left on the fitted net."""
    from skorch.callbacks import Callback

    from autodl.neural import _callbacks
    from autodl.utils import fit_deadline

    clock = _EpochClock()
    monkeypatch.setattr(_callbacks, "time", clock)

    class Tick(Callback):
        def on_epoch_end(self, net, **kwargs):
            clock.now += 1

    X, y = data
    snapshots = WeightSnapshots(epochs=range(1, 31))
    net = _net(early_stopping=early_stopping, lr=0.05, callbacks=[Tick(), snapshots])
    with warnings.catch_warnings(), fit_deadline(8.0):
        warnings.simplefilter("error")
        net.fit(X, y)
    assert len(net.history_) == 8 and not net.interrupted_
    losses = net.history_[:, "valid_loss"]
    assert net.best_epoch_ == int(np.argmin(losses)) + 1 < 8  # not the last
    best = dict(snapshots.snapshots_)[net.best_epoch_]
    for key, value in _state(net.net_.module_).items():
        torch.testing.assert_close(value, best[key])
    assert dict(net.net_.callbacks_)["deadline"].deadline is None
    net.fit(X, y)  # outside a search: no deadline, every epoch
    assert len(net.history_) == 30 and "deadline" not in dict(net.net_.callbacks_)
