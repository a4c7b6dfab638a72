"""The input scaling a net fits on its own training rows (``input_scaling``).

``"robust_smooth_clip"`` is RealMLP's (Holzmüller et al., 2024): each column minus
its median, divided by its interquartile range (half its range when that is 0; a
constant column becomes 0), then clipped smoothly, ``x / sqrt(1 + (x / 3) ** 2)``,
so outliers land within about ±3 without a hard edge. ``"quantile"`` is
scikit-learn's ``QuantileTransformer(output_distribution="normal")`` and
``"standard"`` its ``StandardScaler``.
"""

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.preprocessing import QuantileTransformer, StandardScaler
from sklearn.utils.validation import check_is_fitted

__all__: list[str] = []  # private: fitted by the estimators

INPUT_SCALINGS = (None, "robust_smooth_clip", "quantile", "standard")
_QUANTILES = 1000


class _RobustSmoothClip(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Median / interquartile-range scaling, then a smooth clip to about ±3."""

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=np.float64)
        self.center_ = np.median(X, axis=0)
        q25, q75 = np.quantile(X, [0.25, 0.75], axis=0)
        spread = q75 - q25
        flat = spread == 0
        spread[flat] = 0.5 * (X.max(axis=0) - X.min(axis=0))[flat]
        with np.errstate(divide="ignore"):
            self.scale_ = np.where(spread > 0, 1.0 / spread, 0.0)
        return self

    def transform(self, X):
        check_is_fitted(self)
        X = (np.asarray(X, dtype=np.float64) - self.center_) * self.scale_
        return (X / np.sqrt(1.0 + (X / 3.0) ** 2)).astype(np.float32)


def make_input_scaler(method, n_rows, seed):
    """An unfitted scaler for ``input_scaling=method`` (None for None)."""
    if method is None:
        return None
    if method == "robust_smooth_clip":
        return _RobustSmoothClip()
    if method == "quantile":
        return QuantileTransformer(
            n_quantiles=max(1, min(_QUANTILES, n_rows)),
            output_distribution="normal",
            subsample=100_000,
            random_state=seed,
        )
    return StandardScaler()


def quantile_bins(X, n_bins):
    """Bin edges (float32 arrays) of each column of ``X`` at its quantiles.

    The unique values of ``n_bins + 1`` evenly spaced quantiles of the training
    rows, as ``rtdl_num_embeddings.compute_bins`` finds them; unlike it, a column
    with one distinct value gets the single bin ``[v, v + 1]`` instead of an error.
    Arrays, not tensors: they are the module's constructor arguments, pickled with
    the net, where only skorch's device mapping may hold tensors.
    """
    levels = np.linspace(0, 1, int(n_bins) + 1)
    edges = np.quantile(np.asarray(X, dtype=np.float64), levels, axis=0).T
    bins = []
    for column in edges:
        column = np.unique(column.astype(np.float32))
        if len(column) < 2:
            column = np.array([column[0], column[0] + 1], dtype=np.float32)
        bins.append(column)
    return bins
