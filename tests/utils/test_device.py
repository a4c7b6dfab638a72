"""uses_gpu: every device parameter of an estimator, a pipeline or a meta-estimator
(``fake_gpu``: tests/conftest.py)."""

import torch
from sklearn.linear_model import LogisticRegression
from xgboost import XGBClassifier

from autodl import make_pipeline
from autodl.neural import MLPClassifier
from autodl.preprocessing import Rescaler
from autodl.utils._device import uses_gpu


def test_uses_gpu_reads_every_device_parameter(fake_gpu):
    assert uses_gpu(MLPClassifier())  # "auto", and this process "has" a GPU
    assert not uses_gpu(MLPClassifier(device="cpu"))
    assert uses_gpu(make_pipeline(Rescaler(), MLPClassifier()))
    assert uses_gpu(XGBClassifier(device="cuda"))
    assert not uses_gpu(XGBClassifier())  # device=None
    assert not uses_gpu(LogisticRegression())
    assert not uses_gpu("passthrough")
    assert not uses_gpu(None)


def test_uses_gpu_without_a_gpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # no GPU here
    assert not uses_gpu(MLPClassifier())
    assert uses_gpu(MLPClassifier(device="cuda:1"))  # asked for explicitly
