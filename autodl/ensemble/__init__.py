"""Combiners: blending, ensemble selection, seed and snapshot ensembles.

Built on scikit-learn's stacking and voting estimators, which we do not rewrite.
"""

__all__ = []
