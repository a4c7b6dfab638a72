"""Data preparation: rescaling, power transforms, feature selection, resampling.

Leaf estimators built on scikit-learn and imbalanced-learn. Nothing here imports
torch, ``autodl.neural`` or anything above it (DESIGN.md, "Layering").
"""

__all__ = []
