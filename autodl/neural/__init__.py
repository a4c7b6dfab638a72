"""Neural nets: scikit-learn estimators that train skorch/torch MLPs.

Leaf estimators; nothing here imports ``autodl.preprocessing`` or anything above it.
"""

__all__ = []
