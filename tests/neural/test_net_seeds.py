"""``n_seeds``: the net is several nets of their own seeds, predictions averaged."""

import pickle
import time
import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from skorch.callbacks import Callback

from autodl.neural import MLPClassifier, MLPRegressor
from autodl.spotcheck import default_models
from autodl.utils import fit_deadline
from tests._helpers import CtrlCAt

FAST = {"hidden_layer_sizes": (16,), "max_epochs": 6, "device": "cpu"}


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        240, 6, n_informative=4, n_classes=3, n_clusters_per_class=1, random_state=0
    )
    return X, y


def _scaled_output(net, X):
    """One fitted net's own output (its input scaling, its torch module)."""
    X = net.input_scaler_.transform(X.astype(np.float32)).astype(np.float32)
    return net.net_.predict_proba(X)


def test_the_first_net_is_the_single_net_and_the_prediction_their_mean(data):
    X, y = data
    single = MLPClassifier(n_seeds=1, random_state=0, **FAST).fit(X, y)
    pair = MLPClassifier(random_state=0, **FAST).fit(X, y)
    assert single.seed_nets_ == [] and len(pair.seed_nets_) == 1
    other = pair.seed_nets_[0]
    assert other.n_seeds == 1 and other.random_state != 0
    # the first net is the one a single net fits with the same random_state
    np.testing.assert_allclose(
        _scaled_output(pair, X), single.predict_proba(X), rtol=1e-6
    )
    # the other has its own split, weights and batches, so it predicts otherwise
    assert not np.allclose(other.predict_proba(X), single.predict_proba(X))
    mean = (single.predict_proba(X) + other.predict_proba(X)) / 2
    np.testing.assert_allclose(pair.predict_proba(X), mean, atol=1e-6)
    np.testing.assert_array_equal(
        pair.predict(X), pair.classes_[pair.predict_proba(X).argmax(axis=1)]
    )
    # the attributes of the training are the first net's
    assert pair.history_ is pair.net_.history
    assert len(pair.history_) == len(single.history_)
    # the same random_state gives the same nets
    again = MLPClassifier(random_state=0, **FAST).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), pair.predict_proba(X))
    assert again.seed_nets_[0].random_state == other.random_state


def test_regressor_and_multilabel_average_their_nets(data):
    X, _ = make_regression(200, 5, noise=1.0, random_state=0)
    y = 100 * X[:, 0] + 1000
    reg = MLPRegressor(n_seeds=3, random_state=0, **FAST).fit(X, y)
    assert len(reg.seed_nets_) == 2
    parts = [net.predict(X) for net in reg.seed_nets_]
    first = _scaled_output(reg, X).ravel() * reg.target_scale_ + reg.target_mean_
    np.testing.assert_allclose(
        reg.predict(X), np.mean([first, *parts], axis=0), rtol=1e-5
    )
    X, y = data
    Y = np.c_[y == 0, y == 1, y != 1].astype(int)
    clf = MLPClassifier(random_state=0, **FAST).fit(X, Y)
    # a multilabel net averages the nets' logits, then the sigmoid
    logits = np.mean([_scaled_output(clf, X), _scaled_output(clf.seed_nets_[0], X)], 0)
    np.testing.assert_allclose(
        clf.predict_proba(X), 1 / (1 + np.exp(-logits)), rtol=1e-6
    )
    np.testing.assert_array_equal(clf.predict(X), (logits > 0).astype(int))


def test_warm_start_continues_every_net(data):
    X, y = data
    net = MLPClassifier(
        warm_start=True, early_stopping=False, random_state=0, **FAST
    ).fit(X, y)
    other = net.seed_nets_[0]
    net.fit(X, y)
    assert net.seed_nets_[0] is other
    assert len(net.history_) == len(other.history_) == 2 * FAST["max_epochs"]
    with pytest.raises(ValueError, match="continues the 2 nets .* n_seeds=3"):
        net.set_params(n_seeds=3).fit(X, y)


class _Runs(Callback):
    """Count the runs that start (a class attribute: each net has a copy)."""

    starts = 0

    def on_train_begin(self, net, **kwargs):
        type(self).starts += 1


def test_the_callbacks_are_copied_for_the_other_nets(data):
    X, y = data
    counter = _Runs()
    _Runs.starts = 0
    net = MLPClassifier(
        n_seeds=3, callbacks=[("runs", counter)], random_state=0, **FAST
    ).fit(X, y)
    assert _Runs.starts == 3  # every net ran them
    assert dict(net.net_.callbacks_)["runs"] is counter  # the first net the user's
    others = [dict(n.net_.callbacks_)["runs"] for n in net.seed_nets_]
    assert all(cb is not counter for cb in others) and others[0] is not others[1]


def test_ctrl_c_or_the_deadline_trains_no_further_net(data):
    X, y = data
    with pytest.warns(UserWarning, match="training interrupted"):
        net = MLPClassifier(
            callbacks=[("ctrl_c", CtrlCAt(2))], random_state=0, **FAST
        ).fit(X, y)
    assert net.interrupted_ and net.seed_nets_ == []
    assert net.predict_proba(X).shape == (len(X), 3)  # the first net's best epoch
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a search's deadline ends quietly
        with fit_deadline(time.time() - 1):
            net = MLPClassifier(random_state=0, **FAST).fit(X, y)
    assert not net.interrupted_ and net.seed_nets_ == []
    assert len(net.history_) == 1


def test_the_nets_pickle_and_the_zoo_fits_one(data):
    X, y = data
    net = MLPClassifier(random_state=0, **FAST).fit(X, y)
    loaded = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(loaded.predict_proba(X), net.predict_proba(X))
    assert len(loaded.seed_nets_) == 1
    # the search ensembles configurations itself: one net a configuration
    for task in ("binary", "regression"):
        (mlp,) = [spec for spec in default_models(task) if spec.name == "mlp"]
        assert mlp.estimator.n_seeds == 1
