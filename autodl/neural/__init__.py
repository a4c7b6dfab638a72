"""Neural nets: scikit-learn estimators that train skorch/torch MLPs.

``MLPClassifier`` and ``MLPRegressor`` are the estimators; ``MLPModule`` is the
torch module they train, ``GaussianNoise`` its noise layer, ``TensorBatchIterator``
the batch iterator they hand skorch, and ``MaxNorm`` / ``RecordLR`` /
``PicklableLRScheduler`` / ``WeightAveraging`` / ``WeightSnapshots`` the skorch
callbacks they add; ``hidden_layer_space`` lists ``hidden_layer_sizes`` values for a
topology search (depth x width x shape).

Leaf estimators; nothing here imports ``autodl.preprocessing`` or anything above it.
"""

import importlib

from autodl.neural._estimators import MLPClassifier, MLPRegressor
from autodl.neural._topology import hidden_layer_space

# the torch-backed names, imported on first use: the estimators import torch when
# they first fit, so building one (a search's zoo) does not
_SUBMODULE_OF = {
    "GaussianNoise": "autodl.neural._modules",
    "MLPModule": "autodl.neural._modules",
    "MaxNorm": "autodl.neural._callbacks",
    "PicklableLRScheduler": "autodl.neural._callbacks",
    "RecordLR": "autodl.neural._callbacks",
    "TensorBatchIterator": "autodl.neural._data",
    "WeightAveraging": "autodl.neural._callbacks",
    "WeightSnapshots": "autodl.neural._callbacks",
}

__all__ = [
    "GaussianNoise",
    "MLPClassifier",
    "MLPModule",
    "MLPRegressor",
    "MaxNorm",
    "PicklableLRScheduler",
    "RecordLR",
    "TensorBatchIterator",
    "WeightAveraging",
    "WeightSnapshots",
    "hidden_layer_space",
]


def __getattr__(name):
    try:
        module = _SUBMODULE_OF[name]
    except KeyError:
        raise AttributeError(
            f"module 'autodl.neural' has no attribute {name!r}"
        ) from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
