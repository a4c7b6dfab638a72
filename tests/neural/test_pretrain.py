"""Greedy layer-wise and denoising-autoencoder pretraining of the hidden layers."""

import numpy as np
import pytest
import torch
from sklearn.datasets import make_circles, make_regression
from skorch.callbacks import Callback

from autodl.neural import MLPClassifier, MLPRegressor

SIZES = (16, 8, 8)
FAST = {
    "hidden_layer_sizes": SIZES,
    "activation": "tanh",
    "max_epochs": 2,
    "pretrain_epochs": 3,
    "batch_size": 64,
    "validation_fraction": 0.0,  # the training rows do not depend on the labels
    "device": "cpu",
    "random_state": 0,
}


class StartWeights(Callback):
    def on_train_begin(self, net, **kwargs):
        self.state_ = {k: v.clone() for k, v in net.module_.state_dict().items()}


def _starting_weights(X, y, **params):
    recorder = StartWeights()
    model = MLPClassifier(**{**FAST, "callbacks": [("start", recorder)], **params})
    model.fit(X, y)
    return model, recorder.state_


@pytest.fixture(scope="module")
def circles():
    X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    return X.astype(np.float32), y


@pytest.fixture(scope="module")
def random_start(circles):
    return _starting_weights(*circles)[1]


@pytest.mark.parametrize("kind", ["greedy", "autoencoder"])
def test_one_phase_per_hidden_layer(circles, kind):
    model, _ = _starting_weights(*circles, pretrain=kind)
    names = [name for name, _ in model.phase_histories_]
    assert names == [f"{kind}:{i}" for i in (1, 2, 3)]
    for _, history in model.phase_histories_:
        assert len(history) == FAST["pretrain_epochs"]
        assert np.isfinite(history[:, "train_loss"]).all()
    assert len(model.history_) == FAST["max_epochs"]  # then the whole net trains


def test_greedy_pretrains_hidden_layers_and_head(circles, random_start):
    _, start = _starting_weights(*circles, pretrain="greedy")
    for key in ["hidden.0.0.weight", "hidden.1.0.weight", "hidden.2.0.weight"]:
        assert not torch.equal(start[key], random_start[key]), key
    # the head of the last phase becomes the output layer
    assert not torch.equal(start["output.weight"], random_start["output.weight"])


def test_autoencoder_pretraining_ignores_labels(circles, random_start):
    X, y = circles
    _, start = _starting_weights(X, y, pretrain="autoencoder")
    _, shuffled = _starting_weights(
        X, np.random.RandomState(1).permutation(y), pretrain="autoencoder"
    )
    for key in ["hidden.0.0.weight", "hidden.1.0.weight", "hidden.2.0.weight"]:
        assert not torch.equal(start[key], random_start[key]), key
        assert torch.equal(start[key], shuffled[key]), key  # no label was used
    # the output layer is not pretrained: it starts where it would without
    assert torch.equal(start["output.weight"], random_start["output.weight"])
    # greedy pretraining does use the labels
    _, greedy = _starting_weights(X, y, pretrain="greedy")
    _, greedy_shuffled = _starting_weights(
        X, np.random.RandomState(1).permutation(y), pretrain="greedy"
    )
    assert not torch.equal(
        greedy["hidden.0.0.weight"], greedy_shuffled["hidden.0.0.weight"]
    )


def test_greedy_pretraining_learns(circles):
    X, y = circles
    model = MLPClassifier(
        **{**FAST, "pretrain": "greedy", "pretrain_epochs": 15, "lr": 0.01}
    ).fit(X, y)
    for _, history in model.phase_histories_:
        losses = history[:, "train_loss"]
        assert losses[-1] < losses[0]


def test_pretrain_then_freeze(circles):
    model, start = _starting_weights(
        *circles, pretrain="greedy", freeze=2, freeze_epochs=2
    )
    names = [name for name, _ in model.phase_histories_]
    assert names == ["greedy:1", "greedy:2", "greedy:3", "freeze"]


def test_regressor_and_batch_norm():
    X, y = make_regression(120, 5, random_state=0)
    for kind in ["greedy", "autoencoder"]:
        reg = MLPRegressor(**{**FAST, "pretrain": kind, "batch_norm": True})
        reg.fit(X, y)
        assert len(reg.phase_histories_) == len(SIZES)
        assert reg.predict(X).shape == (120,)


def test_errors(circles):
    with pytest.raises(ValueError, match="pretrain='layerwise' is not supported"):
        MLPClassifier(**{**FAST, "pretrain": "layerwise"}).fit(*circles)
    with pytest.raises(ValueError, match="pretrain_epochs=0 is not supported"):
        MLPClassifier(**{**FAST, "pretrain": "greedy", "pretrain_epochs": 0}).fit(
            *circles
        )


def test_ctrl_c_in_a_phase_stops_the_fit(circles, monkeypatch):
    from autodl.neural import MLPModule

    forward, calls = MLPModule.forward, []

    def interrupted(self, X):
        calls.append(1)
        if len(calls) == 5:  # in the second epoch of the first phase
            raise KeyboardInterrupt
        return forward(self, X)

    monkeypatch.setattr(MLPModule, "forward", interrupted)
    with pytest.raises(KeyboardInterrupt, match="'greedy:1' phase"):
        MLPClassifier(**{**FAST, "pretrain": "greedy"}).fit(*circles)


@pytest.mark.parametrize("kind", ["greedy", "autoencoder"])
@pytest.mark.parametrize("embedding", ["piecewise_linear", "periodic"])
def test_pretraining_trains_the_embedding_and_feature_scale(circles, kind, embedding):
    front = {"numeric_embedding": embedding, "feature_scale": True, "n_bins": 8}
    _, random = _starting_weights(*circles, **front)
    model, start = _starting_weights(*circles, pretrain=kind, **front)
    changed = {k for k in start if not torch.equal(start[k], random[k])}
    assert "feature_scale" in changed
    assert any(k.startswith("embedding.") for k in changed), sorted(changed)
    assert {"hidden.0.0.weight", "hidden.1.0.weight", "hidden.2.0.weight"} <= changed
    assert model.predict(circles[0]).shape == circles[1].shape
