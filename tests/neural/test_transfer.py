"""Transfer learning: init_from, freeze, warm_start on MLPClassifier / MLPRegressor."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback

from autodl.neural import MLPClassifier, MLPRegressor
from autodl.pipeline import make_pipeline

FAST = {"max_epochs": 3, "device": "cpu", "random_state": 0}
# copied with the first hidden layer, which reads them (numeric embedding, scale)
FRONT = ["embedding", "feature_scale"]


class StartWeights(Callback):
    """Copy the module's weights when the main training run begins."""

    def on_train_begin(self, net, **kwargs):
        self.state_ = {k: v.clone() for k, v in net.module_.state_dict().items()}


def _start(**params):
    """An MLPClassifier that records the weights its main run starts from."""
    recorder = StartWeights()
    return MLPClassifier(**{**FAST, "callbacks": [("start", recorder)], **params})


def _started(model):
    return dict(model.net_.callbacks_)["start"].state_


def _state(model):
    return {k: v.clone() for k, v in model.net_.module_.state_dict().items()}


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        240, 6, n_informative=4, n_classes=3, n_clusters_per_class=1, random_state=0
    )
    return X.astype(np.float32), y


@pytest.fixture(scope="module")
def source(data):
    X, y = data
    return MLPClassifier(hidden_layer_sizes=(16, 8), **{**FAST, "max_epochs": 10}).fit(
        X, y
    )


def test_copies_every_fitting_layer(data, source):
    X, y = data
    before = _state(source)
    model = _start(hidden_layer_sizes=(16, 8), init_from=source).fit(X[:60], y[:60])
    assert model.transferred_layers_ == [*FRONT, "hidden.0", "hidden.1", "output"]
    started = _started(model)
    for key, value in before.items():
        assert torch.equal(started[key], value), key
    # training went on from there, and the source was left alone
    assert not torch.equal(_state(model)["output.weight"], before["output.weight"])
    for key, value in _state(source).items():
        assert torch.equal(value, before[key])


def test_new_features_and_classes_get_new_layers(data, source):
    X, y = data
    # 5 features: the input layer cannot be copied; same classes: output copied
    model = _start(hidden_layer_sizes=(16, 8), init_from=source).fit(X[:, :5], y)
    assert model.transferred_layers_ == ["hidden.1", "output"]
    started = _started(model)
    assert torch.equal(
        started["hidden.1.0.weight"], _state(source)["hidden.1.0.weight"]
    )
    # other classes (same count): the output layer is new, the hidden ones copied
    model = _start(hidden_layer_sizes=(16, 8), init_from=source).fit(X, y + 10)
    assert model.transferred_layers_ == [*FRONT, "hidden.0", "hidden.1"]
    assert not torch.equal(
        _started(model)["output.weight"], _state(source)["output.weight"]
    )


def test_regressor_from_a_classifier(data, source):
    X, y = data
    reg = MLPRegressor(hidden_layer_sizes=(16, 4), init_from=source, **FAST)
    reg.fit(X, X[:, 0])
    assert reg.transferred_layers_ == [*FRONT, "hidden.0"]


@pytest.mark.parametrize(
    "wrap",
    [
        lambda m: m.net_,
        lambda m: m.net_.module_,
        FrozenEstimator,
        lambda m: make_pipeline("passthrough", m),
    ],
    ids=["net_", "module", "frozen", "pipeline"],
)
def test_source_forms(data, source, wrap):
    X, y = data
    model = _start(hidden_layer_sizes=(16, 8), init_from=wrap(source)).fit(X, y)
    assert model.transferred_layers_[:4] == [*FRONT, "hidden.0", "hidden.1"]
    assert torch.equal(
        _started(model)["hidden.0.0.weight"], _state(source)["hidden.0.0.weight"]
    )


def test_frozen_phase_keeps_layers_fixed_then_trains_them(data, source):
    X, y = data
    model = _start(
        hidden_layer_sizes=(16, 8),
        init_from=source,
        freeze=1,
        freeze_epochs=3,
        early_stopping=False,
    ).fit(X[:80], y[:80])
    src = _state(source)
    started = _started(model)  # after the frozen phase
    assert torch.equal(started["hidden.0.0.weight"], src["hidden.0.0.weight"])
    assert torch.equal(started["hidden.0.0.bias"], src["hidden.0.0.bias"])
    # what the frozen first layer reads stays fixed with it
    assert torch.equal(started["feature_scale"], src["feature_scale"])
    for key in [k for k in src if k.startswith("embedding.")]:
        assert torch.equal(started[key], src[key]), key
    assert not torch.equal(started["hidden.1.0.weight"], src["hidden.1.0.weight"])
    assert not torch.equal(_state(model)["hidden.0.0.weight"], src["hidden.0.0.weight"])
    assert [name for name, _ in model.phase_histories_] == ["freeze"]
    assert len(model.phase_histories_[0][1]) == 3
    assert len(model.history_) == FAST["max_epochs"]
    assert all(p.requires_grad for p in model.net_.module_.parameters())


def test_clear_errors(data, source):
    X, y = data
    source_shapes = (
        r"Source: PiecewiseLinearEmbeddings\(6 features\), Linear\(48 -> 16\)"
    )
    with pytest.raises(ValueError, match=source_shapes):
        MLPClassifier(hidden_layer_sizes=(7,), init_from=source, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="freeze=3 .* 2 such layer"):
        MLPClassifier(
            hidden_layer_sizes=(16, 8), init_from=source, freeze=3, **FAST
        ).fit(X, y)
    with pytest.raises(ValueError, match="freeze=1 .* 0 such layer"):
        MLPClassifier(hidden_layer_sizes=(16,), freeze=1, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="unfitted MLPClassifier.*FrozenEstimator"):
        MLPClassifier(init_from=clone(source), **FAST).fit(X, y)
    with pytest.raises(TypeError, match="init_from takes a fitted autodl"):
        MLPClassifier(init_from="net.pt", **FAST).fit(X, y)
    with pytest.raises(ValueError, match="both choose the starting weights"):
        MLPClassifier(init_from=source, pretrain="greedy", **FAST).fit(X, y)
    with pytest.raises(ValueError, match="freeze=-1 is not supported"):
        MLPClassifier(freeze=-1, **FAST).fit(X, y)


def test_search_with_a_frozen_source(data, source):
    X, y = data
    net = MLPClassifier(
        hidden_layer_sizes=(16, 8), init_from=FrozenEstimator(source), **FAST
    )
    assert clone(net).init_from is net.init_from  # clone keeps the fitted source
    search = GridSearchCV(net, {"freeze": [0, 2]}, cv=2).fit(X, y)
    assert search.best_estimator_.transferred_layers_[:3] == [*FRONT, "hidden.0"]


def test_warm_start_continues(data):
    X, y = data
    params = {**FAST, "hidden_layer_sizes": (16,), "early_stopping": False}
    warm = _start(warm_start=True, **params).fit(X, y)
    after_first = _state(warm)
    first_loss = warm.history_[-1, "train_loss"]
    warm.fit(X, y)
    started = _started(warm)
    for key, value in after_first.items():
        assert torch.equal(started[key], value), key
    assert warm.history_[:, "epoch"] == list(range(1, 2 * FAST["max_epochs"] + 1))
    assert warm.history_[-1, "train_loss"] < first_loss
    # without warm_start a second fit starts anew (the same seed: the same model)
    cold = MLPClassifier(**params).fit(X, y)
    assert len(cold.fit(X, y).history_) == FAST["max_epochs"]
    assert warm.history_[-1, "train_loss"] < cold.history_[-1, "train_loss"]
    # and the fitted model pickles with its longer history
    assert len(pickle.loads(pickle.dumps(warm)).history_) == 2 * FAST["max_epochs"]


def test_warm_start_errors(data):
    X, y = data
    warm = MLPClassifier(hidden_layer_sizes=(16,), warm_start=True, **FAST).fit(X, y)
    with pytest.raises(ValueError, match="trained on 6 features; X has 5"):
        warm.fit(X[:, :5], y)
    with pytest.raises(ValueError, match=r"classes \[0, 1, 2\]; y has the classes"):
        warm.fit(X, y % 2)
    with pytest.raises(ValueError, match="Keep hidden_layer_sizes"):
        warm.set_params(hidden_layer_sizes=(8,)).fit(X, y)
    reg = MLPRegressor(hidden_layer_sizes=(8,), warm_start=True, **FAST)
    reg.fit(X, X[:, :2])
    with pytest.raises(ValueError, match="Keep hidden_layer_sizes"):
        reg.fit(X, X[:, 0])
