"""Neural nets: scikit-learn estimators that train skorch/torch MLPs.

``MLPClassifier`` and ``MLPRegressor`` are the estimators; ``MLPModule`` is the
torch module they train, ``GaussianNoise`` its noise layer, ``TensorBatchIterator``
the batch iterator they hand skorch, and ``MaxNorm`` / ``RecordLR`` /
``PicklableLRScheduler`` / ``WeightAveraging`` / ``WeightSnapshots`` the skorch
callbacks they add.

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
]
