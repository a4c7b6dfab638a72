"""Neural nets: scikit-learn estimators that train skorch/torch MLPs.

``MLPClassifier`` and ``MLPRegressor`` are the estimators; ``MLPModule`` is the
torch module they train, ``GaussianNoise`` its noise layer, ``TensorBatchIterator``
the batch iterator they hand skorch, and ``MaxNorm`` / ``RecordLR`` /
``PicklableLRScheduler`` / ``WeightAveraging`` / ``WeightSnapshots`` the skorch
callbacks they add; ``hidden_layer_space`` lists ``hidden_layer_sizes`` values for a
topology search (depth x width x shape).

Leaf estimators; nothing here imports ``autodl.preprocessing`` or anything above it.
"""

from autodl.neural._callbacks import (
    MaxNorm,
    PicklableLRScheduler,
    RecordLR,
    WeightAveraging,
    WeightSnapshots,
)
from autodl.neural._data import TensorBatchIterator
from autodl.neural._estimators import MLPClassifier, MLPRegressor
from autodl.neural._modules import GaussianNoise, MLPModule
from autodl.neural._topology import hidden_layer_space

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
