"""The skorch nets' penalties: L1 on the weights and on the hidden activations.

Exact: the training loss is the data loss plus ``l1 * sum|W|`` plus
``activity_l1 * activity``; the validation loss is the data loss alone.
Behaviour: each penalty shrinks what it penalises on seeded tiny data.
"""

import pytest
import torch

from autodl.neural import MLPClassifier, MLPRegressor


def _scaled(clf, X):
    return torch.from_numpy(clf.input_scaler_.transform(X).astype("float32"))


def _losses(clf, X, y):
    """The net's (training, validation) loss on the same predictions."""
    net = clf.net_
    y_t = torch.as_tensor(y)
    net.module_.train()  # no noise or dropout is on: deterministic
    with torch.no_grad():
        y_pred = net.module_(_scaled(clf, X))
        training = net.get_loss(y_pred, y_t, training=True).item()
        validation = net.get_loss(y_pred, y_t, training=False).item()
        data = net.criterion_(y_pred, y_t).item()
    return training, validation, data


def _weight_l1(clf):
    return sum(w.abs().sum().item() for w in clf.net_.module_.weights())


def _activity(clf, X):
    """Sum over hidden layers of the batch mean of each row's L1 activation."""
    module = clf.net_.module_.eval()
    out, total = _scaled(clf, X), 0.0
    with torch.no_grad():
        for block in module.hidden:
            out = block(out)
            total += out.abs().sum(dim=1).mean().item()
    return total


def test_l1_is_added_to_the_training_loss_only(levers_off, lever_data):
    X, y = lever_data
    clf = MLPClassifier(**{**levers_off, "l1": 0.01}).fit(X, y)
    training, validation, data = _losses(clf, X, y)
    assert validation == pytest.approx(data, rel=1e-6)
    assert training - validation == pytest.approx(0.01 * _weight_l1(clf), rel=1e-4)
    # the output layer's weights count too, the biases do not
    assert len(clf.net_.module_.weights()) == 2


def test_activity_l1_is_added_to_the_training_loss_only(levers_off, lever_data):
    X, y = lever_data
    params = {**levers_off, "hidden_layer_sizes": (16, 8)}
    clf = MLPClassifier(**{**params, "activity_l1": 0.05}).fit(X, y)
    training, validation, data = _losses(clf, X, y)
    assert validation == pytest.approx(data, rel=1e-6)
    assert clf.net_.module_.activity_.item() == pytest.approx(_activity(clf, X), 1e-5)
    assert training - validation == pytest.approx(0.05 * _activity(clf, X), rel=1e-4)


def test_without_penalties_training_loss_is_the_data_loss(levers_off, lever_data):
    X, y = lever_data
    training, validation, data = _losses(MLPClassifier(**levers_off).fit(X, y), X, y)
    assert training == validation == pytest.approx(data, rel=1e-6)


def test_l1_shrinks_the_weights(levers_off, lever_data):
    X, y = lever_data
    params = {**levers_off, "hidden_layer_sizes": (32,)}
    plain = MLPClassifier(**params).fit(X, y)
    sparse = MLPClassifier(**{**params, "l1": 0.01}).fit(X, y)
    first = [
        c.net_.module_.hidden[0][0].weight.abs().sum().item() for c in (plain, sparse)
    ]
    assert first[1] < 0.7 * first[0]
    assert _weight_l1(sparse) < 0.7 * _weight_l1(plain)


def test_activity_l1_shrinks_the_activations(levers_off, lever_data):
    X, y = lever_data
    params = {**levers_off, "hidden_layer_sizes": (32,)}
    plain = MLPClassifier(**params).fit(X, y)
    sparse = MLPClassifier(**{**params, "activity_l1": 0.05}).fit(X, y)
    assert _activity(sparse, X) < 0.7 * _activity(plain, X)


def test_regressor_penalties_too(levers_off, lever_data):
    X, y = lever_data
    target = X[:, 0] * 2.0
    plain = MLPRegressor(**levers_off).fit(X, target)
    sparse = MLPRegressor(**{**levers_off, "l1": 0.01}).fit(X, target)
    assert _weight_l1(sparse) < 0.7 * _weight_l1(plain)
