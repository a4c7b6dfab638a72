"""Nets pickle only the tensors skorch maps to a device, and nets trained on a GPU
load and predict on a machine without one. Every registered estimator's dump / load:
tests/utils/test_persistence.py.

Loading a model file runs pickle: only load files you trust (docs/reliability.md).
"""

import io
import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification

from autodl.ensemble import SeedEnsemble, SnapshotEnsemble
from autodl.neural import MLPClassifier, MLPRegressor


class _TensorSpy(pickle.Pickler):
    """Record the tensors pickled outside skorch's device-mapped attributes."""

    def __init__(self, file):
        super().__init__(file)
        self.tensors = []

    def reducer_override(self, obj):
        if isinstance(obj, torch.Tensor):
            self.tensors.append(obj)
        return NotImplemented


def _outside_tensors(model):
    spy = _TensorSpy(io.BytesIO())
    spy.dump(model)
    return spy.tensors


def _data():
    return make_classification(120, 5, random_state=0)


NETS = {
    "mlp": lambda device: MLPClassifier(
        hidden_layer_sizes=(16,),
        max_epochs=8,
        lr_schedule="cosine",
        weight_averaging="swa",
        device=device,
        random_state=0,
    ),
    "mlp_weighted": lambda device: MLPClassifier(
        hidden_layer_sizes=(16,),
        max_epochs=8,
        class_weight="balanced",
        early_stopping=False,
        device=device,
        random_state=0,
    ),
    "seeds": lambda device: SeedEnsemble(
        MLPClassifier(hidden_layer_sizes=(8,), max_epochs=4, device=device),
        n_estimators=2,
        random_state=0,
    ),
    "snapshots": lambda device: SnapshotEnsemble(
        MLPClassifier(hidden_layer_sizes=(8,), max_epochs=6, device=device),
        n_snapshots=2,
        random_state=0,
    ),
}


def test_net_pickles_hold_tensors_only_where_skorch_maps_them():
    """The module, optimiser and criterion go through skorch's device mapping;
    no other tensor (validation data, weight copies, caches) is pickled."""
    X, y = _data()
    for kind in ("mlp", "mlp_weighted"):
        assert _outside_tensors(NETS[kind]("cpu").fit(X, y)) == [], kind


def test_a_gpu_net_loads_on_a_cpu_machine_simulated(tmp_path):
    """skorch maps a net saved from device "cuda" to the CPU when there is no GPU:
    the same path a real GPU-trained file takes (the tensors here are on the CPU)."""
    X, y = _data()
    nets = [
        (NETS["mlp"]("cpu"), y),
        (MLPRegressor((16,), max_epochs=5, device="cpu", random_state=0), X[:, 0]),
    ]
    for net, target in nets:
        net.fit(X, target)
        expected = net.predict(X)
        net.net_.device = net.device_ = "cuda"  # as if trained on a GPU
        joblib.dump(net, tmp_path / "net.joblib")
        with pytest.warns(UserWarning, match="no CUDA devices are available"):
            loaded = joblib.load(tmp_path / "net.joblib")
        assert loaded.device_ == "cpu" and str(loaded.net_.device) == "cpu"
        np.testing.assert_array_equal(loaded.predict(X), expected)


needs_gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")

_LOAD_ON_CPU = """
import sys, warnings
import joblib, numpy as np
warnings.simplefilter("ignore")
model = joblib.load(sys.argv[1])
X = np.load(sys.argv[2])
np.save(sys.argv[3], model.predict_proba(X))
"""


@pytest.mark.gpu
@needs_gpu
@pytest.mark.parametrize("kind", sorted(NETS))
def test_gpu_trained_nets_predict_on_a_cpu_only_machine(kind, tmp_path):
    X, y = _data()
    model = NETS[kind]("cuda").fit(X, y)
    assert all(t.device.type == "cpu" for t in _outside_tensors(model))
    joblib.dump(model, tmp_path / "model.joblib")
    np.save(tmp_path / "X.npy", X)
    subprocess.run(
        [
            sys.executable,
            "-c",
            _LOAD_ON_CPU,
            str(tmp_path / "model.joblib"),
            str(tmp_path / "X.npy"),
            str(tmp_path / "p.npy"),
        ],
        check=True,
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
        timeout=300,
    )
    np.testing.assert_allclose(
        np.load(tmp_path / "p.npy"), model.predict_proba(X), atol=1e-5
    )
