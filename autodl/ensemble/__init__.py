"""Combiners: blending, ensemble selection, seed and snapshot ensembles.

Built on scikit-learn's stacking and voting estimators, which we do not rewrite.
"""

from autodl.ensemble._selection import (
    EnsembleSelectionClassifier,
    EnsembleSelectionRegressor,
    greedy_selection,
)

__all__ = [
    "EnsembleSelectionClassifier",
    "EnsembleSelectionRegressor",
    "greedy_selection",
]
