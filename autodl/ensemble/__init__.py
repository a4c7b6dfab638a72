"""Combiners: blending, ensemble selection, seed and snapshot ensembles.

Built on scikit-learn's stacking and voting estimators, which we do not rewrite.
"""

from autodl.ensemble._averaging import SeedEnsemble
from autodl.ensemble._blending import BlendingClassifier, BlendingRegressor
from autodl.ensemble._selection import (
    EnsembleSelectionClassifier,
    EnsembleSelectionRegressor,
    greedy_selection,
)
from autodl.ensemble._snapshot import SnapshotEnsemble

__all__ = [
    "BlendingClassifier",
    "BlendingRegressor",
    "EnsembleSelectionClassifier",
    "EnsembleSelectionRegressor",
    "SeedEnsemble",
    "SnapshotEnsemble",
    "greedy_selection",
]
