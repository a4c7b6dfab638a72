"""PowerTransform: make skewed columns more Gaussian, only where they are skewed."""

import numbers
import warnings

import numpy as np
from scipy.stats import skew
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.preprocessing import PowerTransformer
from sklearn.utils.validation import FLOAT_DTYPES, check_is_fitted

from autodl.preprocessing._rescaler import _check_inverse_input
from autodl.utils import (
    check_params,
    check_weights,
    positive_rows,
    validate_numeric,
)
from autodl.utils._param_validation import (
    Described,
    Interval,
    SequenceOf,
    StrOptions,
    one_of,
)

_METHODS = ("box-cox", "yeo-johnson", "log", "sqrt", "square", "none")
_COLUMNS = ("skewed", "all")
# methods applied after a learned per-column shift, and the smallest value each
# accepts once shifted (box-cox needs strictly positive data)
_SHIFTED = ("box-cox", "log", "sqrt", "square")
# the margin box-cox keeps above zero, in standard deviations of the column
_BOXCOX_MARGIN = 0.1


def _skewness(X):
    """Per-column skewness, NaN for binary, constant and empty columns."""
    out = np.full(X.shape[1], np.nan)
    for j in range(X.shape[1]):
        values = X[:, j][~np.isnan(X[:, j])]
        if np.unique(values).size > 2:
            out[j] = skew(values)
    return out


class PowerTransform(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Fix skewed columns with a power transform, leaving the others alone.

    By default only the columns whose skewness exceeds ``skew_threshold`` in
    absolute value are transformed; binary and constant columns are never
    touched. Box-Cox, log and square root need non-negative (Box-Cox: positive)
    data, so each transformed column gets a shift learned at fit that moves its
    minimum into the valid range: non-positive data does not crash them. The
    transformed columns keep their units' order (every transform is monotonic)
    but are not standardised; put a :class:`Rescaler` after this step for that.

    Box-Cox and Yeo-Johnson use :class:`sklearn.preprocessing.PowerTransformer`
    (the exponent of each column is fitted by maximum likelihood). Missing values
    are kept as NaN.

    Parameters
    ----------
    method : {"yeo-johnson", "box-cox", "log", "sqrt", "square", "none"}, \
            default="yeo-johnson"
        - ``"yeo-johnson"``: works on any real values.
        - ``"box-cox"``: after shifting a column whose minimum is not positive so
          that its minimum becomes 0.1 standard deviations above zero.
        - ``"log"``: ``log1p(x + shift)``, the shift making the minimum 0.
        - ``"sqrt"``: ``sqrt(x + shift)``, the shift making the minimum 0.
        - ``"square"``: ``(x + shift) ** 2``, the shift making the minimum 0
          (so the transform stays monotonic); for left-skewed columns.
        - ``"none"``: pass the values through unchanged.
    columns : {"skewed", "all"} or list of int or str, default="skewed"
        Which columns to transform. ``"skewed"`` keeps the columns whose skewness
        is beyond ``skew_threshold`` in the direction the method corrects:
        either direction for Box-Cox and Yeo-Johnson, right skew
        (``skew > skew_threshold``) for log and square root, left skew
        (``skew < -skew_threshold``) for square. ``"all"`` takes every column with
        more than two distinct values. A list names columns by position, or by
        name when ``X`` is a DataFrame; binary and constant columns in it are
        skipped with a warning.
    skew_threshold : float, default=0.75
        The skewness beyond which ``columns="skewed"`` transforms a column.

    Attributes
    ----------
    skewness_ : ndarray of shape (n_features_in_,)
        The skewness of each column at fit; NaN for binary and constant columns.
    columns_ : ndarray of int
        The positions of the transformed columns.
    shifts_ : ndarray of shape (len(columns_),)
        The shift added to each transformed column before its transform.
    floors_ : ndarray of shape (len(columns_),)
        The smallest shifted value of each transformed column at fit (0 for log,
        square root and square); invalid values at transform are clipped to it.
    transformer_ : sklearn.preprocessing.PowerTransformer or None
        The fitted Box-Cox or Yeo-Johnson transformer (on the shifted transformed
        columns); ``None`` for the other methods or when no column is transformed.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    Rescaler : Rescale features (put it after this step).

    Notes
    -----
    A value at transform time below the range the shift was learned on (for
    example a test value below every training value) would be invalid for
    Box-Cox, log, square root or square; it is clipped to the training minimum,
    with a warning that names the columns.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import skew
    >>> from autodl.datasets import load_demo
    >>> from autodl.preprocessing import PowerTransform
    >>> X, y = load_demo("diabetes")
    >>> pt = PowerTransform("box-cox").fit(X)
    >>> [str(c) for c in pt.get_feature_names_out()[pt.columns_]]
    ['s3']
    >>> round(float(skew(X["s3"])), 2), round(float(skew(pt.transform(X)[:, 6])), 2)
    (0.8, 0.02)
    """

    _parameter_constraints = {
        "method": one_of(_METHODS),
        "columns": [
            Described(
                "'skewed', 'all', or a non-empty list of column positions or names",
                StrOptions(set(_COLUMNS)),
                SequenceOf(min_length=1),
            )
        ],
        "skew_threshold": [
            Described(
                "a number >= 0 (the usual choices are 0.5 to 1)",
                Interval(numbers.Real, 0, None, closed="left"),
            )
        ],
    }

    def __init__(self, method="yeo-johnson", columns="skewed", skew_threshold=0.75):
        self.method = method
        self.columns = columns
        self.skew_threshold = skew_threshold

    def fit(self, X, y=None, sample_weight=None):
        """Choose the columns to transform and learn their shifts and exponents.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training data; NaN is allowed and ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            The skewness, shifts and exponents have no weighted form: rows of
            weight 0 are left out (exact), the others count alike (a warning
            says so when their weights differ).

        Returns
        -------
        self : PowerTransform
        """
        check_params(self)
        X = validate_numeric(self, X, allow_nan=True, dtype=FLOAT_DTYPES)
        weight = check_weights(sample_weight, X)
        if weight is not None:
            X = X[positive_rows(weight, "PowerTransform")]
        self.skewness_ = _skewness(X)
        self.columns_ = self._select_columns()
        Z = X[:, self.columns_]
        self.shifts_ = np.zeros(self.columns_.size)
        self.floors_ = np.zeros(self.columns_.size)
        if self.method in _SHIFTED and self.columns_.size:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
                low = np.nanmin(Z, axis=0)
                spread = np.nanstd(Z, axis=0)
            low = np.nan_to_num(low)
            if self.method == "box-cox":
                margin = _BOXCOX_MARGIN * np.where(spread > 0, spread, 1.0)
                self.shifts_ = np.where(low > 0, 0.0, margin - low)
                self.floors_ = low + self.shifts_
            else:
                self.shifts_ = np.maximum(0.0, -low)
        self.transformer_ = None
        if self.method in ("box-cox", "yeo-johnson") and self.columns_.size:
            self.transformer_ = PowerTransformer(
                method=self.method, standardize=False
            ).fit(Z + self.shifts_)
        return self

    def _names(self, positions):
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            return [int(p) for p in positions]
        return [str(names[p]) for p in positions]

    def _select_columns(self):
        usable = ~np.isnan(self.skewness_)  # more than two distinct values
        s = np.nan_to_num(self.skewness_)
        t = self.skew_threshold
        if isinstance(self.columns, str):
            if self.method == "none":
                keep = np.zeros_like(usable)
            elif self.columns == "all":
                keep = usable
            elif self.method in ("log", "sqrt"):
                keep = usable & (s > t)
            elif self.method == "square":
                keep = usable & (s < -t)
            else:
                keep = usable & (np.abs(s) > t)
            return np.flatnonzero(keep)
        positions = self._positions(self.columns)
        skipped = [p for p in positions if not usable[p]]
        if skipped:
            warnings.warn(
                f"PowerTransform leaves column(s) {self._names(skipped)} unchanged: "
                "they are binary or constant, so a power transform cannot help.",
                UserWarning,
                stacklevel=3,
            )
        if self.method == "none":
            return np.array([], dtype=int)
        return np.array(sorted({p for p in positions if usable[p]}), dtype=int)

    def _positions(self, columns):
        items = list(columns)  # checked by the constraints table
        names = getattr(self, "feature_names_in_", None)
        positions = []
        for item in items:
            if isinstance(item, numbers.Integral) and not isinstance(item, bool):
                if not 0 <= item < self.n_features_in_:
                    raise ValueError(
                        f"columns holds position {item}, but X has "
                        f"{self.n_features_in_} column(s) (0 to "
                        f"{self.n_features_in_ - 1})."
                    )
                positions.append(int(item))
            elif isinstance(item, str) and names is not None:
                where = np.flatnonzero(names == item)
                if where.size == 0:
                    raise ValueError(
                        f"columns names {item!r}, which is not a column of X; its "
                        f"columns are {[str(n) for n in names]}."
                    )
                positions.append(int(where[0]))
            else:
                raise ValueError(
                    f"columns holds {item!r}; use column positions (int), or column "
                    "names when X is a DataFrame with string column names."
                )
        return positions

    def _shifted(self, X, clip):
        Z = X[:, self.columns_] + self.shifts_
        if not clip or self.method not in _SHIFTED:
            return Z
        if self.method == "box-cox":
            bad = Z <= 0
        else:
            bad = Z < 0
        if bad.any():
            cols = self._names(self.columns_[bad.any(axis=0)])
            warnings.warn(
                f"PowerTransform(method={self.method!r}): {int(bad.sum())} value(s) "
                f"in column(s) {cols} lie below the range seen in fit, where the "
                "transform is undefined; they were clipped to the fit minimum.",
                UserWarning,
                stacklevel=3,
            )
            Z = np.where(bad, self.floors_, Z)
        return Z

    def transform(self, X):
        """Transform the chosen columns; the others pass through unchanged.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric data.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X = validate_numeric(
            self, X, reset=False, allow_nan=True, dtype=FLOAT_DTYPES, copy=True
        )
        if not self.columns_.size:
            return X
        Z = self._shifted(X, clip=True)
        if self.transformer_ is not None:
            Z = self.transformer_.transform(Z)
        elif self.method == "log":
            Z = np.log1p(Z)
        elif self.method == "sqrt":
            Z = np.sqrt(Z)
        elif self.method == "square":
            Z = np.square(Z)
        X[:, self.columns_] = Z
        return X

    def inverse_transform(self, X):
        """Map transformed data back to the original units.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data in the transformed space.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X = _check_inverse_input(self, X)
        if not self.columns_.size:
            return X
        Z = X[:, self.columns_]
        if self.transformer_ is not None:
            Z = self.transformer_.inverse_transform(Z)
        elif self.method == "log":
            Z = np.expm1(Z)
        elif self.method == "sqrt":
            Z = np.square(Z)
        elif self.method == "square":
            Z = np.sqrt(Z)
        X[:, self.columns_] = Z - self.shifts_
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
