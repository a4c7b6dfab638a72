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
BINNINGS = ("quantile", "tree", "both")
# the tree-based bins of Gorishniy et al. (2022), with the settings of
# rtdl_num_embeddings.compute_bins' documented example
_TREE_BIN_SETTINGS = {"min_samples_leaf": 64, "min_impurity_decrease": 1e-4}
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
    return [_edges(column) for column in edges]


def tree_bins(X, y, n_bins, classification, sample_weight=None):
    """Bin edges (float32 arrays) of each column of ``X`` where a tree splits ``y``.

    The target-aware bins of Gorishniy et al. (2022), as
    ``rtdl_num_embeddings.compute_bins(..., tree_kwargs=...)`` finds them: a
    decision tree of at most ``n_bins`` leaves (64 rows a leaf at least) fitted
    on one column against the target; its thresholds, the column's minimum and
    its maximum are the edges (the tree splits best first, so the first
    thresholds are where the target changes most; a binary column gets one
    bin, a linear term). A classifier's ``y`` is its class codes; a
    regressor's (or a multilabel one's) may have several columns. Unlike
    ``compute_bins``, constant columns and sample weights are accepted.
    """
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    X = np.asarray(X, dtype=np.float32)
    Tree = DecisionTreeClassifier if classification else DecisionTreeRegressor
    bins = []
    for column in X.T:
        tree = Tree(max_leaf_nodes=max(2, int(n_bins)), **_TREE_BIN_SETTINGS)
        tree = tree.fit(column[:, None], y, sample_weight=sample_weight).tree_
        splits = tree.threshold[tree.children_left != tree.children_right]
        bins.append(_edges(np.concatenate([[column.min(), column.max()], splits])))
    return bins


def combined_bins(X, quantile, tree, n_bins):
    """Each column's quantile edges with its tree's thresholds added where they
    leave at least half a quantile bin's rows (``len(X) / (2 * n_bins)``) on
    either side.

    A threshold next to a quantile edge would make a sliver of a bin, with a
    handful of training rows or none, where the embedding jumps from 0 to 1: on
    small data such slivers made the net's scores swing with its seed.
    """
    X = np.asarray(X, dtype=np.float32)
    least = len(X) / (2 * int(n_bins))
    bins = []
    for column, edges, thresholds in zip(X.T, quantile, tree, strict=True):
        values = np.sort(column)
        for threshold in np.setdiff1d(thresholds, edges):
            at = np.searchsorted(edges, threshold)
            below = np.searchsorted(values, threshold, side="right")
            if at == 0 or at == len(edges):  # outside the quantiles' range
                continue
            left = below - np.searchsorted(values, edges[at - 1], side="right")
            right = np.searchsorted(values, edges[at], side="right") - below
            if min(left, right) >= least:
                edges = np.insert(edges, at, threshold)
        bins.append(edges)
    return bins


def _edges(values):
    """The sorted unique float32 ``values``; ``[v, v + 1]`` for a single one."""
    column = np.unique(np.asarray(values).astype(np.float32))
    if len(column) < 2:
        column = np.array([column[0], column[0] + 1], dtype=np.float32)
    return column
