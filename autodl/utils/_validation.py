"""Input validation with messages that name the problem and the fix.

scikit-learn's :func:`~sklearn.utils.validation.validate_data` does the real work
(shape, dtype, feature names, ``n_features_in_``); these helpers add what it cannot
say: which columns hold strings or missing values, and what to do about it.
"""

import numpy as np
from scipy import sparse
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    column_or_1d,
    validate_data,
)

_IMPUTE_HINT = (
    "impute them first, e.g. with autodl.preprocessing.TabularPreprocessor "
    "(or sklearn's SimpleImputer) as an earlier pipeline step"
)
_ENCODE_HINT = (
    "encode them first, e.g. with autodl.preprocessing.TabularPreprocessor "
    "(or sklearn's OneHotEncoder / OrdinalEncoder) as an earlier pipeline step"
)


def check_option(name, value, allowed):
    """Raise a ValueError naming the allowed values when ``value`` is not one.

    Parameters
    ----------
    name : str
        The parameter's name, as the user typed it.
    value : object
        The value given.
    allowed : collection
        The values accepted (a dict's keys, a set, a list).

    Examples
    --------
    >>> check_option("method", "minmax", {"standard", "minmax"})
    >>> check_option("method", "max", {"standard", "minmax"})
    Traceback (most recent call last):
    ...
    ValueError: method='max' is not supported; use one of ['minmax', 'standard'].
    """
    try:
        ok = value in allowed
    except TypeError:  # unhashable value against a set or dict
        ok = False
    if not ok:
        options = sorted(allowed, key=repr)
        raise ValueError(f"{name}={value!r} is not supported; use one of {options}.")


def _column_names(X, mask):
    columns = getattr(X, "columns", None)
    if columns is not None:
        return [str(c) for c in np.asarray(columns)[mask]]
    return [int(i) for i in np.flatnonzero(mask)]


def _check_no_strings(estimator, X):
    """Name the DataFrame columns that hold strings, categories or mixed objects."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(X, "columns"):
        return
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    bad = np.array(
        [not (is_numeric_dtype(dt) or is_bool_dtype(dt)) for dt in dtypes], dtype=bool
    )
    if bad.any():
        raise ValueError(
            f"{type(estimator).__name__} needs numeric input, but column(s) "
            f"{_column_names(X, bad)} hold strings, categories or other objects; "
            f"{_ENCODE_HINT}."
        )


def _check_finite(estimator, X, Xv, allow_nan):
    """Raise for NaN / infinity in the validated ``Xv``, naming the columns."""
    if sparse.issparse(Xv):
        values = Xv.data
        if np.isfinite(values).all():
            return
        where = "its stored values"
        nan_cols = inf_cols = None
    else:
        values = np.asarray(Xv)
        if values.dtype.kind not in "fc" or np.isfinite(values).all():
            return
        nan_cols = np.isnan(values).any(axis=0)
        inf_cols = np.isinf(values).any(axis=0)
    name = type(estimator).__name__
    has_inf = np.isinf(values).any()
    if has_inf:
        cols = "" if inf_cols is None else f" in column(s) {_column_names(X, inf_cols)}"
        raise ValueError(
            f"Input X contains infinity{cols}; {name} needs finite values. "
            "Replace or clip them (e.g. X.replace([np.inf, -np.inf], np.nan) "
            "followed by imputation)."
        )
    if not allow_nan:
        cols = (
            " in " + where
            if nan_cols is None
            else (f" in column(s) {_column_names(X, nan_cols)}")
        )
        raise ValueError(
            f"Input X contains NaN{cols}; {name} does not accept missing values: "
            f"{_IMPUTE_HINT}."
        )


def validate_numeric(
    estimator, X, y="no_validation", *, reset=True, allow_nan=False, **check_params
):
    """``validate_data`` plus clear errors for strings, NaN and infinity.

    Parameters
    ----------
    estimator : estimator instance
        The estimator validating its input; ``n_features_in_`` and
        ``feature_names_in_`` are set on it when ``reset=True``.
    X : array-like or DataFrame of shape (n_samples, n_features)
        The input.
    y : array-like, default="no_validation"
        The target, validated together with ``X`` when given.
    reset : bool, default=True
        True in ``fit``, False in ``predict`` / ``transform``.
    allow_nan : bool, default=False
        Let NaN through (infinity is always refused).
    **check_params : dict
        Passed on to :func:`~sklearn.utils.validation.validate_data`
        (``dtype``, ``accept_sparse``, ``y_numeric``, ...).

    Returns
    -------
    X or (X, y)
        What ``validate_data`` returns.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import StandardScaler
    >>> Xv = validate_numeric(StandardScaler(), np.eye(3))
    >>> validate_numeric(StandardScaler(), np.array([[1.0], [np.nan]]))
    Traceback (most recent call last):
    ...
    ValueError: Input X contains NaN in column(s) [0]; StandardScaler does not \
accept missing values: impute them first, e.g. with \
autodl.preprocessing.TabularPreprocessor (or sklearn's SimpleImputer) as an \
earlier pipeline step.
    """
    _check_no_strings(estimator, X)
    check_params.setdefault("ensure_all_finite", False)
    try:
        out = validate_data(estimator, X, y, reset=reset, **check_params)
    except ValueError as exc:
        if "could not convert string to float" in str(exc):
            raise ValueError(
                f"{type(estimator).__name__} needs numeric input, but X holds "
                f"strings ({exc}); {_ENCODE_HINT}."
            ) from exc
        raise
    Xv = out[0] if isinstance(out, tuple) else out
    if check_params["ensure_all_finite"] is False:
        _check_finite(estimator, X, Xv, allow_nan)
    return out


def check_classification_y(y):
    """Check that ``y`` is a classification target with at least two classes.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The target.

    Examples
    --------
    >>> check_classification_y([0, 1, 1])
    >>> check_classification_y([1, 1, 1])
    Traceback (most recent call last):
    ...
    ValueError: y contains a single class (1); a classifier needs at least two. \
Check the target column, or use stratified splits so every fold sees every class.
    """
    check_classification_targets(y)
    classes = np.unique(np.asarray(y))
    if classes.size < 2:
        label = classes[0] if classes.size else "none"
        raise ValueError(
            f"y contains a single class ({label}); a classifier needs at least two. "
            "Check the target column, or use stratified splits so every fold sees "
            "every class."
        )


def validate_passthrough(
    estimator, X, y="no_validation", *, reset=True, allow_nan=True
):
    """Check what a meta-estimator needs, and hand ``X`` on as it is.

    For meta-estimators whose members decide what they accept (a
    ``TabularPreprocessor`` step takes strings and NaN): sets or checks
    ``n_features_in_`` and ``feature_names_in_``, keeps a DataFrame a DataFrame, and
    refuses NaN and infinity (naming the columns) unless ``allow_nan``.

    Parameters
    ----------
    estimator : estimator instance
        The meta-estimator.
    X : array-like or DataFrame of shape (n_samples, n_features)
        The input.
    y : array-like of shape (n_samples,), default="no_validation"
        The target, checked to be one column as long as ``X``; ``None`` is refused
        (a supervised fit needs it).
    reset : bool, default=True
        True in ``fit``, False in ``predict``.
    allow_nan : bool, default=True
        Let NaN through (the members take it); infinity is refused otherwise.

    Returns
    -------
    X or (X, y)
    """
    if not hasattr(X, "iloc"):
        X = check_array(X, dtype=None, ensure_all_finite=False)
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    if not allow_nan:
        numeric = X.select_dtypes("number") if hasattr(X, "iloc") else X
        values = numeric.to_numpy() if hasattr(numeric, "iloc") else numeric
        _check_finite(estimator, numeric, values, allow_nan=False)
    if isinstance(y, str) and y == "no_validation":
        return X
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y "
            "is None."
        )
    y = column_or_1d(y, warn=True)
    check_consistent_length(X, y)
    return X, y
