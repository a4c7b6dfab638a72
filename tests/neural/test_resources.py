"""GPU memory: out of memory retries with half the batch, then the CPU; nothing but
the model stays in memory after a fit.

Without a GPU the CUDA paths are simulated: the net's training raises torch's
``OutOfMemoryError``, and the GPU is played by torch's ``"meta"`` device (tensors
without data), so the fall-back to the CPU is the real code path. The
``@pytest.mark.gpu`` tests run the real thing where there is a GPU.
"""

import gc
import types
import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import Callback

import autodl.neural._estimators as estimators_module
from autodl.neural import MLPClassifier

OOM = "CUDA out of memory. Tried to allocate 2.00 GiB"


@pytest.fixture(scope="module")
def data():
    return make_classification(97, 5, random_state=0)


def _net(**params):
    # one net: the retries are each net's own (n_seeds nets retry alike)
    return MLPClassifier(
        **{
            "hidden_layer_sizes": (16,),
            "max_epochs": 5,
            "n_seeds": 1,
            "random_state": 0,
            **params,
        }
    )


class _FailingTraining(Callback):
    """The net's training raises out of memory (or ``error()``) while
    ``fails(net, attempt)`` says so; ``calls`` gets each attempt's device and batch
    size. A callback (the nets' ``callbacks`` parameter): it raises where training
    starts, in ``on_train_begin`` of ``partial_fit``."""

    def __init__(self, fails, error=None):
        self.fails = fails
        self.error = error
        self.calls = []

    def on_train_begin(self, net, **kwargs):
        self.calls.append((str(net.device), net.batch_size))
        if self.fails(net, len(self.calls)):
            raise torch.OutOfMemoryError(OOM) if self.error is None else self.error()


def test_out_of_memory_halves_the_batch(data):
    X, y = data
    failing = _FailingTraining(lambda net, n: n <= 2)
    with pytest.warns(UserWarning, match="ran out of memory") as record:
        net = _net(device="cpu", batch_size=64, callbacks=[failing]).fit(X, y)
    assert [c[1] for c in failing.calls] == [64, 32, 16]
    assert len(record) == 2 and "retrying with batch_size=16" in str(record[1].message)
    assert net.batch_size_ == 16 and net.device_ == "cpu"
    same = _net(device="cpu", batch_size=16).fit(X, y)
    np.testing.assert_array_equal(net.predict_proba(X), same.predict_proba(X))


def test_then_falls_back_to_the_cpu(data, monkeypatch):
    X, y = data
    monkeypatch.setattr(estimators_module, "resolve_device", lambda device: "meta")
    failing = _FailingTraining(lambda net, n: str(net.device) != "cpu")
    with pytest.warns(UserWarning, match="ran out of memory") as record:
        net = _net(device="auto", batch_size=64, callbacks=[failing]).fit(X, y)
    calls = failing.calls
    # halved down to the floor of 8 rows, then the CPU with the batch size asked for
    assert calls == [("meta", 64), ("meta", 32), ("meta", 16), ("meta", 8), ("cpu", 64)]
    assert "training on the CPU instead, with batch_size=64" in str(record[-1].message)
    assert net.device_ == "cpu" and net.batch_size_ == 64
    monkeypatch.undo()
    same = _net(device="cpu", batch_size=64).fit(X, y)
    np.testing.assert_array_equal(net.predict_proba(X), same.predict_proba(X))


def test_data_that_does_not_fit_goes_to_the_cpu_at_once(data, monkeypatch):
    X, y = data
    monkeypatch.setattr(estimators_module, "resolve_device", lambda device: "meta")
    real = estimators_module._BaseMLP._make_net

    def make_net(self, *args, **kwargs):
        if self.device_ != "cpu":
            raise torch.OutOfMemoryError(OOM)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(estimators_module._BaseMLP, "_make_net", make_net)
    with pytest.warns(UserWarning, match="training on the CPU") as record:
        net = _net().fit(X, y)
    assert len(record) == 1 and net.device_ == "cpu"


def test_what_cannot_be_helped_is_raised(data):
    X, y = data
    failing = _FailingTraining(lambda net, n: True)
    with pytest.warns(UserWarning, match="ran out of memory"):
        with pytest.raises(torch.OutOfMemoryError):  # at 8 rows on the CPU
            _net(device="cpu", callbacks=[failing]).fit(X, y)

    def broken():
        return RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    failing = _FailingTraining(lambda net, n: True, error=broken)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no retry for other errors
        with pytest.raises(RuntimeError, match="shapes cannot be multiplied"):
            _net(device="cpu", callbacks=[failing]).fit(X, y)


# not followed: no training data lives in code, modules or classes
_LEAVES = (
    type,
    str,
    bytes,
    int,
    float,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
)


def _reachable_tensors(root):
    """Every torch tensor reachable from ``root`` through object references."""
    seen, stack, tensors = set(), [root], []
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _LEAVES):
            continue
        seen.add(id(obj))
        if isinstance(obj, torch.Tensor):
            tensors.append(obj)
            continue
        if isinstance(obj, (torch.nn.Module,)):
            stack.extend(obj.__dict__.values())
            continue
        stack.extend(gc.get_referents(obj))
    return tensors


@pytest.mark.parametrize(
    "params", [{}, {"early_stopping": False}, {"lr_schedule": "cosine"}]
)
def test_a_fitted_net_holds_no_training_data(data, params):
    X, y = data  # 97 rows: 87 train, 10 validate; no layer has 87 or 10 units
    net = _net(device="cpu", **params).fit(X, y)
    shapes = {tuple(t.shape) for t in _reachable_tensors(net)}
    assert shapes, "the weights are reachable"
    assert not any(s and s[0] in (87, 10, 97) for s in shapes), shapes


needs_gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@pytest.mark.gpu
@needs_gpu
def test_gpu_memory_does_not_grow_across_a_search():
    X, y = make_classification(2000, 20, random_state=0)
    net = MLPClassifier(hidden_layer_sizes=(256, 256), max_epochs=5, device="cuda")
    net.fit(X[:100], y[:100])  # warm up: CUDA context and cuBLAS workspaces stay
    del net
    gc.collect()
    torch.cuda.empty_cache()
    base = torch.cuda.memory_allocated()
    grid = {"dropout": [0.0, 0.2], "batch_norm": [False, True]}
    net = MLPClassifier(hidden_layer_sizes=(256, 256), max_epochs=5, device="cuda")
    reserved = []
    for _ in range(3):
        GridSearchCV(net, grid, cv=2, refit=False).fit(X, y)
        gc.collect()
        reserved.append(torch.cuda.memory_reserved())
        # nothing of the fits is left on the GPU once their estimators are gone
        assert torch.cuda.memory_allocated() - base < 1 << 20
    assert reserved[-1] <= reserved[0]  # the cache does not grow either
    fitted = MLPClassifier(hidden_layer_sizes=(256, 256), max_epochs=5, device="cuda")
    fitted.fit(X, y)
    weights = sum(
        p.numel() * p.element_size() for p in fitted.net_.module_.parameters()
    )
    held = torch.cuda.memory_allocated() - base
    assert held < 3 * weights + (1 << 20)  # the weights and Adam's two moments


@pytest.mark.gpu
@needs_gpu
def test_real_out_of_memory_falls_back():
    X, y = make_classification(200, 5, random_state=0)
    gc.collect()
    base = torch.cuda.memory_allocated()
    failing = _FailingTraining(lambda net, n: str(net.device) != "cpu")
    with pytest.warns(UserWarning, match="training on the CPU"):
        net = _net(device="cuda", callbacks=[failing]).fit(X, y)
    assert net.device_ == "cpu" and failing.calls[0][0].startswith("cuda")
    assert torch.cuda.memory_allocated() - base < 1 << 20  # the attempts left none
