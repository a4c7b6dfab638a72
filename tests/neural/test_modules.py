"""MLPModule's regularisers act: dropout and Gaussian noise, each on its own.

Every test starts from ``levers_off`` (tests/neural/conftest.py) and turns on the
one lever it tests, so the effect it sees can only come from that lever.
"""

import numpy as np
import pytest
import torch
from torch import nn

from autodl.neural import MLPClassifier
from autodl.neural._modules import GaussianNoise, MLPModule


def _fit(params, X, y, **lever):
    return MLPClassifier(**{**params, **lever}).fit(X, y)


def _train_passes(clf, X):
    """Two training-mode and two eval-mode forward passes on the same rows."""
    module, X_t = clf.net_.module_, torch.from_numpy(X)
    with torch.no_grad():
        module.train()
        train = module(X_t), module(X_t)
        module.eval()
        evaluation = module(X_t), module(X_t)
    return train, evaluation


def test_without_regularisers_training_passes_are_equal(levers_off, lever_data):
    # the control for the tests below: nothing random in a plain training pass
    X, y = lever_data
    clf = _fit(levers_off, X, y, hidden_layer_sizes=(16, 16))
    (a, b), _ = _train_passes(clf, X)
    assert torch.equal(a, b)
    kinds = {type(m) for m in clf.net_.module_.modules()}
    assert not kinds & {nn.Dropout, nn.AlphaDropout, GaussianNoise}


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_dropout_puts_dropout_p_after_each_hidden_layer(levers_off, lever_data, p):
    X, y = lever_data
    clf = _fit(levers_off, X, y, hidden_layer_sizes=(16, 16), dropout=p)
    drops = [m for m in clf.net_.module_.modules() if isinstance(m, nn.Dropout)]
    assert len(drops) == 2
    assert all(type(m) is nn.Dropout and m.p == p for m in drops)


def test_dropout_with_selu_is_alpha_dropout(levers_off, lever_data):
    X, y = lever_data
    clf = _fit(levers_off, X, y, activation="selu", dropout=0.3)
    drops = [m for m in clf.net_.module_.modules() if isinstance(m, nn.AlphaDropout)]
    assert [m.p for m in drops] == [0.3]


@pytest.mark.parametrize(
    "lever", [{"dropout": 0.3}, {"input_noise": 0.3}, {"hidden_noise": 0.3}]
)
def test_each_regulariser_alone_randomises_training_passes_only(
    levers_off, lever_data, lever
):
    X, y = lever_data
    clf = _fit(levers_off, X, y, hidden_layer_sizes=(16, 16), **lever)
    (a, b), (c, d) = _train_passes(clf, X)
    assert not torch.equal(a, b)
    assert torch.equal(c, d)
    np.testing.assert_array_equal(clf.predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize(
    "name, attribute",
    [("input_noise", "input_noise"), ("hidden_noise", "noise")],
)
def test_noise_std_reaches_the_module(levers_off, lever_data, name, attribute):
    X, y = lever_data
    clf = _fit(levers_off, X, y, **{name: 0.7})
    noise = [
        m
        for m in clf.net_.module_.get_submodule(attribute).modules()
        if isinstance(m, GaussianNoise)
    ]
    assert [m.std for m in noise] == [0.7]


@pytest.mark.parametrize("std", [0.5, 2.0])
def test_gaussian_noise_has_the_std_it_is_given(std):
    torch.manual_seed(0)
    x = torch.zeros(20000, 4)
    out = GaussianNoise(std).train()(x)
    assert out.std().item() == pytest.approx(std, rel=0.03)
    assert out.mean().item() == pytest.approx(0.0, abs=0.03 * std)


@pytest.mark.parametrize(
    "lever", [{"dropout": 0.5}, {"input_noise": 1.0}, {"hidden_noise": 1.0}]
)
def test_each_regulariser_keeps_the_training_loss_up(levers_off, lever_data, lever):
    # what a regulariser promises: the net fits its training rows less closely
    X, y = lever_data
    params = {**levers_off, "hidden_layer_sizes": (32,), "max_epochs": 30}
    plain = _fit(params, X, y)
    noisy = _fit(params, X, y, **lever)
    last = slice(-5, None)
    assert np.mean(noisy.history_[last, "train_loss"]) > 1.2 * np.mean(
        plain.history_[last, "train_loss"]
    )


def test_module_without_hidden_layers_has_no_noise_stack():
    module = MLPModule(3, 2, hidden_layer_sizes=(), dropout=0.5, hidden_noise=0.5)
    assert len(module.noise) == 0 and isinstance(module.output, nn.Linear)


@pytest.mark.parametrize("scheme", ["xavier", "kaiming", "orthogonal"])
def test_weight_init_sets_the_scheme_and_zero_biases(scheme):
    torch.manual_seed(0)
    module = MLPModule(400, 2, hidden_layer_sizes=(300,), weight_init=scheme)
    weight, bias = module.hidden[0][0].weight.detach(), module.hidden[0][0].bias
    gain = 2**0.5  # relu's
    if scheme == "xavier":  # uniform, std = gain * sqrt(2 / (fan_in + fan_out))
        expected = gain * (2 / (400 + 300)) ** 0.5
        assert weight.abs().max().item() <= expected * 3**0.5 + 1e-6
    elif scheme == "kaiming":  # normal, std = gain / sqrt(fan_in)
        expected = gain / 400**0.5
    else:  # rows orthogonal, each of norm gain
        np.testing.assert_allclose(
            (weight @ weight.T).numpy(), gain**2 * np.eye(300), atol=1e-4
        )
        expected = gain / 400**0.5
    assert weight.std().item() == pytest.approx(expected, rel=0.05)
    assert (bias == 0).all()
    default = MLPModule(400, 2, hidden_layer_sizes=(300,))
    assert not (default.hidden[0][0].bias == 0).all()  # torch's own init


def test_batch_norm_after_each_hidden_linear(levers_off, lever_data):
    X, y = lever_data
    params = {**levers_off, "hidden_layer_sizes": (16, 8)}
    plain = _fit(params, X, y)
    normed = _fit(params, X, y, batch_norm=True)
    assert not any(isinstance(m, nn.BatchNorm1d) for m in plain.net_.module_.modules())
    norms = [block[1] for block in normed.net_.module_.hidden]
    assert [type(m) for m in norms] == [nn.BatchNorm1d, nn.BatchNorm1d]
    assert [m.num_features for m in norms] == [16, 8]
    # it trained on batches: running statistics moved away from (0, 1)
    assert all(m.num_batches_tracked > 0 for m in norms)
    assert not torch.allclose(norms[0].running_mean, torch.zeros(16))
