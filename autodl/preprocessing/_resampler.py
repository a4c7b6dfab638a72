"""Resampler: imbalanced-learn's samplers behind one searchable parameter."""

import numbers
from collections import Counter, OrderedDict

import numpy as np
import pandas as pd
from imblearn.base import BaseSampler
from imblearn.combine import SMOTEENN, SMOTETomek
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from scipy import sparse
from sklearn.utils.multiclass import type_of_target

from autodl.utils import (
    as_pandas,
    check_params,
    draw_seed,
    like_input,
    validate_numeric,
)
from autodl.utils._docstring import (
    Substitution,
    _random_state_docstring,
)
from autodl.utils._param_validation import Described, Interval, one_of
from autodl.utils._validation import _check_target_values

_METHODS = (
    "none",
    "random_under",
    "random_over",
    "smote",
    "borderline_smote",
    "adasyn",
    "smote_tomek",
    "smote_enn",
)
# methods that interpolate between a row and its k nearest same-class neighbours
_NEIGHBOUR_METHODS = ("smote", "borderline_smote", "adasyn", "smote_tomek", "smote_enn")
# methods that only copy or drop rows, so missing values are no obstacle
_NAN_OK = ("none", "random_under", "random_over")


def _boolean_columns(X):
    """Positions of the boolean columns of ``X`` (a DataFrame or an array)."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None:  # a DataFrame
        return np.flatnonzero([pd.api.types.is_bool_dtype(d) for d in dtypes])
    if np.dtype(getattr(X, "dtype", object)) == np.bool_:
        return np.arange(X.shape[1])
    return np.array([], dtype=int)


def _round_flags(X, flags):
    """``X`` (float) with the columns ``flags`` rounded to the nearer of 0 and 1."""
    if sparse.issparse(X):  # a sparse matrix has one dtype: every column is a flag
        X = X.tocsr()  # the sampler's new matrix: rounded in place
        X.data = (X.data >= 0.5).astype(X.dtype)
        X.eliminate_zeros()
        return X
    X = np.asarray(X, dtype=np.float64)
    X[:, flags] = X[:, flags] >= 0.5
    return X


def _make_sampler(method, sampling_strategy, k_neighbors, seed):
    """The imbalanced-learn sampler for ``method`` (None for ``"none"``)."""
    common = {"sampling_strategy": sampling_strategy, "random_state": seed}
    if method == "none":
        return None
    if method == "random_under":
        return RandomUnderSampler(**common)
    if method == "random_over":
        return RandomOverSampler(**common)
    if method == "borderline_smote":
        return BorderlineSMOTE(k_neighbors=k_neighbors, **common)
    if method == "adasyn":
        return ADASYN(n_neighbors=k_neighbors, **common)
    smote = SMOTE(k_neighbors=k_neighbors, **common)
    if method == "smote":
        return smote
    if method == "smote_tomek":
        return SMOTETomek(smote=smote, **common)
    return SMOTEENN(smote=smote, **common)


@Substitution(random_state=_random_state_docstring)
class Resampler(BaseSampler):
    """Balance classes at fit time with an imbalanced-learn sampler.

    One searchable parameter picks the sampler, so
    ``GridSearchCV(pipe, {"resampler__method": ["none", "smote", "random_under"]})``
    compares resampling strategies. It is a sampler: inside
    :func:`autodl.pipeline.make_pipeline` (an imbalanced-learn Pipeline) it changes
    the training rows in ``fit`` only, and every row given to ``predict`` gets a
    prediction.

    Parameters
    ----------
    method : {"none", "random_under", "random_over", "smote", \
            "borderline_smote", "adasyn", "smote_tomek", "smote_enn"}, \
            default="none"
        - ``"none"``: keep the rows as they are.
        - ``"random_under"``: drop random rows of the larger classes
          (:class:`~imblearn.under_sampling.RandomUnderSampler`).
        - ``"random_over"``: repeat random rows of the smaller classes
          (:class:`~imblearn.over_sampling.RandomOverSampler`).
        - ``"smote"``: interpolate new rows between a row and its same-class
          neighbours (:class:`~imblearn.over_sampling.SMOTE`).
        - ``"borderline_smote"``: SMOTE from the rows near the class border
          (:class:`~imblearn.over_sampling.BorderlineSMOTE`).
        - ``"adasyn"``: more synthetic rows where the class is harder to learn
          (:class:`~imblearn.over_sampling.ADASYN`).
        - ``"smote_tomek"``: SMOTE, then remove Tomek links
          (:class:`~imblearn.combine.SMOTETomek`).
        - ``"smote_enn"``: SMOTE, then clean with edited nearest neighbours
          (:class:`~imblearn.combine.SMOTEENN`).
    sampling_strategy : float, str, dict or callable, default="auto"
        Which classes to resample and to how many rows, passed to the sampler
        (see imbalanced-learn's glossary). ``"auto"`` balances the classes.
    k_neighbors : int, default=5
        Number of same-class neighbours the SMOTE family and ADASYN interpolate
        from. Every class they over-sample needs more than ``k_neighbors`` rows.
        They read a boolean column as 0 / 1 and round each new row's value to
        the nearer of ``False`` and ``True``, so a flag stays a flag.
    {random_state}
        It seeds the sampler.

    Attributes
    ----------
    sampler_ : imblearn sampler or None
        The fitted imbalanced-learn sampler; ``None`` for ``method="none"``.
    sampling_strategy_ : dict
        The number of rows the sampler targets per class, as imbalanced-learn
        resolved it; empty for ``method="none"``.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    NoiseAugmenter : Add jittered copies of the training rows.

    Examples
    --------
    >>> from collections import Counter
    >>> from autodl.datasets import load_demo
    >>> from autodl.preprocessing import Resampler
    >>> X, y = load_demo("breast_cancer")
    >>> sorted(Counter(y).values())
    [212, 357]
    >>> X_res, y_res = Resampler("smote", random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res).values())
    [357, 357]
    """

    _sampling_type = "bypass"  # the wrapped sampler checks sampling_strategy
    _parameter_constraints = {
        "method": one_of(_METHODS),
        "k_neighbors": [
            Described(
                "an int >= 1 (5 is usual)",
                Interval(numbers.Integral, 1, None, closed="left"),
            )
        ],
        "sampling_strategy": "no_validation",  # checked by the wrapped sampler
    }

    def __init__(
        self, method="none", sampling_strategy="auto", k_neighbors=5, random_state=None
    ):
        self.method = method
        self.sampling_strategy = sampling_strategy
        self.k_neighbors = k_neighbors
        self.random_state = random_state

    def _check_target(self, y):
        _check_target_values(y)
        kind = type_of_target(y)
        if kind.startswith("continuous"):
            raise ValueError(
                "Resampler balances classes, so y must hold class labels, but y "
                f"is {kind!r} (a regression target). For regression, remove the "
                "Resampler step (NoiseAugmenter adds rows for any target); if y "
                "holds classes stored as floats, cast it to int."
            )
        labels = np.unique(np.asarray(y)) if kind in ("binary", "multiclass") else ()
        if len(labels) == 1:
            raise ValueError(
                f"y contains only one class ({labels[0]}); Resampler balances "
                "classes, so it needs at least two. Check the target column, or use "
                "stratified splits so every fold sees every class."
            )

    def fit(self, X, y):
        """Check the input and the sampling strategy; use :meth:`fit_resample`.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Numeric data.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : Resampler
        """
        check_params(self)
        self._check_target(y)
        return super().fit(as_pandas(X), y)

    def fit_resample(self, X, y):
        """Resample the training data.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Numeric data.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix} of shape \
                (n_samples_new, n_features)
            The resampled rows, in the container ``X`` came in.
        y_resampled : array-like of shape (n_samples_new,)
            Their labels.
        """
        check_params(self)
        self._check_target(y)
        X_res, y_res = super().fit_resample(as_pandas(X), y)
        return like_input(X_res, X), y_res

    def _validate_params(self):
        """imbalanced-learn's ``fit`` / ``fit_resample`` call this; checked above."""

    def _check_X_y(self, X, y, accept_sparse=None):
        # the interpolating methods compute with boolean columns as 0 / 1 (numpy
        # cannot subtract booleans) and round them back in _fit_resample
        self._flags = _boolean_columns(X)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = validate_numeric(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            allow_nan=self.method in _NAN_OK,
        )
        if X.dtype == bool and self.method in _NEIGHBOUR_METHODS:
            X = X.astype(np.float64)
        return X, y, binarize_y

    def _check_class_sizes(self, y):
        if self.method not in _NEIGHBOUR_METHODS:
            return
        counts = Counter(y)
        targets = check_sampling_strategy(self.sampling_strategy, y, "over-sampling")
        small = {
            c.item() if isinstance(c, np.generic) else c: counts[c]
            for c, n in targets.items()
            if n > 0 and counts[c] <= self.k_neighbors
        }
        if small:
            label, size = min(small.items(), key=lambda item: item[1])
            fix = f"Lower k_neighbors to at most {size - 1}, use" if size > 1 else "Use"
            raise ValueError(
                f"Resampler(method={self.method!r}) interpolates between a row and "
                f"its k_neighbors={self.k_neighbors} nearest same-class rows, but "
                f"class {label!r} has only {size} row(s) (too small: {small}). "
                f"{fix} method='random_over', or gather more rows of that class."
            )

    def _fit_resample(self, X, y):
        seed = draw_seed(self.random_state)
        self._check_class_sizes(y)
        self.sampler_ = _make_sampler(
            self.method, self.sampling_strategy, self.k_neighbors, seed
        )
        if self.sampler_ is None:
            self.sampling_strategy_ = OrderedDict()
            return X, y
        X_res, y_res = self.sampler_.fit_resample(X, y)
        self.sampling_strategy_ = self.sampler_.sampling_strategy_
        if self.method in _NEIGHBOUR_METHODS and len(self._flags):
            X_res = _round_flags(X_res, self._flags)
            if len(self._flags) == X_res.shape[1]:  # booleans in, booleans out
                X_res = X_res.astype(bool)
        return X_res, y_res

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self.method in _NAN_OK
        return tags
