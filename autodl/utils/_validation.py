"""Input validation with messages that name the problem and the fix.

scikit-learn's :func:`~sklearn.utils.validation.validate_data` does the real work
(shape, dtype, feature names, ``n_features_in_``); these helpers add what it cannot
say: which columns hold strings or missing values, and what to do about it. Every
hint comes from a check of the input itself (its shape, its dtypes, its columns),
made before scikit-learn sees it, never from reading scikit-learn's error
messages, so a rewording upstream cannot drop a hint.
"""

import warnings

import numpy as np
from scipy import sparse
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    column_or_1d,
    validate_data,
)

from autodl.utils._frames import as_pandas

_IMPUTE_HINT = (
    "impute them first, e.g. with autodl.preprocessing.TabularPreprocessor "
    "(or sklearn's SimpleImputer) as an earlier pipeline step"
)
_ENCODE_HINT = (
    "encode them first, e.g. with autodl.preprocessing.TabularPreprocessor "
    "(or sklearn's OneHotEncoder / OrdinalEncoder) as an earlier pipeline step"
)
# the fix for each problem of shape, added to the message that names it
_ROWS_HINT = (
    "X and y need one entry per row: check that no rows were dropped from only "
    "one of them (e.g. dropna on X alone) and that both come from the same table."
)
_NO_ROWS_HINT = (
    "There are no rows: pass at least one row (check the filter or the file that "
    "produced X)."
)
_NO_COLUMNS_HINT = "There are no columns: pass at least one feature column."
_COLUMNS_HINT = "Pass the same columns as in fit, in the same order."
_2D_HINT = "X must be a 2-D table of shape (n_samples, n_features); reshape it."
# a float target with more distinct values than this looks like regression
_MIN_CLASSES_LIKE_REGRESSION = 20
_SHARE_CLASSES_LIKE_REGRESSION = 0.2


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


def _overflowed(X, values, inf_cols):
    """Whether the infinities of float32 ``values`` are finite numbers in ``X``."""
    if values.dtype != np.float32 or inf_cols is None:
        return False
    try:
        original = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return original.ndim == 2 and bool(np.isfinite(original[:, inf_cols]).all())


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
        if _overflowed(X, values, inf_cols):
            raise ValueError(
                f"Input X holds values too large for float32 (beyond 3.4e38){cols}; "
                f"{name} computes in float32. Rescale them first (e.g. with "
                "autodl.preprocessing.Rescaler, or a log transform)."
            )
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


def check_dense(estimator, X, why="it needs dense input"):
    """Refuse a sparse ``X`` with a message naming ``estimator`` and the fix.

    Parameters
    ----------
    estimator : estimator instance
    X : object
    why : str, default="it needs dense input"
        Why this estimator cannot take sparse input.

    Examples
    --------
    >>> from scipy import sparse
    >>> from sklearn.preprocessing import StandardScaler
    >>> check_dense(StandardScaler(), sparse.eye(2, format="csr"))
    Traceback (most recent call last):
    ...
    TypeError: StandardScaler does not take sparse input (got a csr_matrix): it \
needs dense input. Pass X.toarray(), or put a step that gives dense output first.
    """
    if sparse.issparse(X):
        raise TypeError(
            f"{type(estimator).__name__} does not take sparse input (got a "
            f"{type(X).__name__}): {why}. Pass X.toarray(), or put a step that "
            "gives dense output first."
        )


def _shape(data):
    """The shape of ``data`` as given (array, DataFrame, sparse matrix, nested
    lists), or None when it has none (ragged lists, a scalar, None)."""
    if data is None or isinstance(data, str):
        return None
    shape = getattr(data, "shape", None)
    if shape is None:
        try:
            shape = np.shape(data)
        except (TypeError, ValueError):  # ragged: scikit-learn says what is wrong
            return None
    try:
        return tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        return None


def _check_table(estimator, X, y="no_validation", reset=True):
    """Refuse, naming the fix, an ``X`` that is not a 2-D table with rows and
    columns, a ``y`` of another length, or (after fit) other columns.

    Checked on the input itself, before scikit-learn sees it, so the message does
    not depend on scikit-learn's wording. Where scikit-learn's estimator checks
    expect a wording ("0 feature(s) (shape=...) while a minimum of 1 is
    required", "X has 3 features, but ... is expecting 4 features as input"), it
    is kept.
    """
    shape = _shape(X)
    if shape is None or len(shape) < 2:
        return  # 1-D or no shape: scikit-learn's message says how to reshape
    name = type(estimator).__name__
    if len(shape) > 2:
        raise ValueError(
            f"Found array with dim {len(shape)} (shape={shape}), while dim <= 2 is "
            f"required by {name}. {_2D_HINT}"
        )
    for n, axis, hint in (
        (shape[0], "sample", _NO_ROWS_HINT),
        (shape[1], "feature", _NO_COLUMNS_HINT),
    ):
        if n == 0:
            raise ValueError(
                f"Found array with 0 {axis}(s) (shape={shape}) while a minimum of 1 "
                f"is required by {name}. {hint}"
            )
    _check_lengths(shape[0], y)
    n_seen = getattr(estimator, "n_features_in_", None)
    if reset or n_seen is None or shape[1] == n_seen:
        return
    if hasattr(estimator, "feature_names_in_") and hasattr(X, "columns"):
        return  # scikit-learn names the columns missing or not seen in fit
    raise ValueError(
        f"X has {shape[1]} features, but {name} is expecting {n_seen} features as "
        f"input. {_COLUMNS_HINT}"
    )


def _check_lengths(n_rows, y):
    """Refuse a ``y`` whose number of rows is not ``n_rows``, X's."""
    y_shape = None if isinstance(y, str) else _shape(y)
    if y_shape and y_shape[0] != n_rows:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{n_rows}, {y_shape[0]}]. {_ROWS_HINT}"
        )


def _check_numeric_target(estimator, y):
    """Refuse a ``y`` of strings where the estimator needs numbers, naming them."""
    values = None if isinstance(y, str) or y is None else np.asarray(y)
    if values is None or values.dtype.kind not in "OUS":
        return
    try:
        values.astype(np.float64)
    except (TypeError, ValueError):
        pass
    else:
        if values.dtype.kind == "O":
            return  # numbers held as objects: scikit-learn converts them
    flat = values.ravel()
    example = next((v for v in flat if isinstance(v, str | bytes)), flat[0])
    raise ValueError(
        f"{type(estimator).__name__} needs a numeric target, but y holds strings "
        f"(e.g. {example!r}); pass y as numbers (y.astype(float) if they are "
        "numbers written as text), or use a classifier if they are classes."
    )


def _validate_data(estimator, X, y="no_validation", **params):
    """scikit-learn's ``validate_data``, after the checks that name the fix."""
    _check_table(estimator, X, y, reset=params.get("reset", True))
    if params.get("y_numeric"):
        _check_numeric_target(estimator, y)
    return validate_data(estimator, X, y, **params)


def _check_target_values(y):
    """Refuse missing (NaN, None) and infinite target values, saying where they are."""
    if y is None or (isinstance(y, str) and y == "no_validation"):
        return
    values = np.asarray(y)
    if values.ndim == 0:
        return  # not an array: scikit-learn's validation says so
    if values.dtype.kind == "f":
        missing, infinite = np.isnan(values), np.isinf(values)
    elif values.dtype.kind == "O":
        import pandas as pd

        missing, infinite = pd.isna(values), None
    else:
        return
    for bad, what, fix in (
        (missing, "NaN (missing values)", "drop those rows or fill the target"),
        (infinite, "infinity", "drop or clip those rows"),
    ):
        if bad is None or not bad.any():
            continue
        rows = np.flatnonzero(bad.reshape(len(values), -1).any(axis=1))
        shown = ", ".join(str(int(r)) for r in rows[:5])
        more = ", ..." if len(rows) > 5 else ""
        raise ValueError(
            f"Input y contains {what} in {len(rows)} row(s) (positions {shown}{more}); "
            f"{fix} before fitting."
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
    X = as_pandas(X)  # a polars (or other narwhals) DataFrame: names kept
    if not check_params.get("accept_sparse"):
        check_dense(estimator, X)
    _check_no_strings(estimator, X)
    # scikit-learn converts text to numbers for a given dtype, not for "numeric"
    numeric_text = check_params.get("dtype", "numeric") != "numeric"
    _check_no_strings_array(estimator, X, numeric_text=numeric_text)
    _check_target_values(y)
    check_params.setdefault("ensure_all_finite", False)
    out = _validate_data(estimator, X, y, reset=reset, **check_params)
    Xv = out[0] if isinstance(out, tuple) else out
    if check_params["ensure_all_finite"] is False:
        _check_finite(estimator, X, Xv, allow_nan)
    return out


def check_classification_y(y):
    """Check that ``y`` is a classification target with at least two classes.

    Warns when ``y`` holds floats with many distinct values (more than 20 and
    more than a fifth of the rows), or integers with more than 20 distinct
    values: such a target is most likely a regression target (a measurement, a
    count) given to a classifier.

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
    n_rows = len(np.asarray(y))
    if np.asarray(y).dtype.kind == "f" and classes.size > max(
        _MIN_CLASSES_LIKE_REGRESSION, _SHARE_CLASSES_LIKE_REGRESSION * n_rows
    ):
        warnings.warn(
            f"y has {classes.size} distinct float values; it looks like a "
            "regression target given to a classifier. Use a regressor "
            "(AutoRegressor, MLPRegressor, task='regression') if it is one, or pass "
            "the classes as integers or strings.",
            UserWarning,
            stacklevel=3,
        )
    elif (
        np.asarray(y).dtype.kind in "iu" and classes.size > _MIN_CLASSES_LIKE_REGRESSION
    ):
        warnings.warn(
            f"y has {classes.size} distinct integer values, so a classifier "
            f"learns {classes.size} classes; if they are counts or "
            "measurements, this is a regression target: use a regressor "
            "(AutoRegressor, MLPRegressor, task='regression'; autodl fit --task "
            "regression). If they are class codes, pass them as strings to silence "
            "this.",
            UserWarning,
            stacklevel=3,
        )


def _check_no_strings_array(estimator, X, numeric_text=True):
    """Name the columns of a 2-D array(-like) of objects or strings that do not
    hold numbers; with ``numeric_text=False``, refuse an array of strings even
    where they all read as numbers."""
    if hasattr(X, "columns") or sparse.issparse(X):
        return  # a DataFrame: _check_no_strings; sparse: numbers only
    if not isinstance(X, np.ndarray):
        try:
            X = np.asarray(X)
        except (TypeError, ValueError):  # ragged: scikit-learn says what is wrong
            return
    if X.ndim != 2 or X.dtype.kind not in "OUS":
        return
    name = type(estimator).__name__
    try:
        np.asarray(X, dtype=np.float64)
    except ValueError:
        pass
    except TypeError as exc:  # e.g. a dict in a cell: not a string either
        raise TypeError(
            f"{name} needs numeric input, but X holds objects that are neither "
            f"numbers nor strings ({exc}); {_ENCODE_HINT}."
        ) from exc
    else:
        if numeric_text or X.dtype.kind == "O":
            return  # numbers (as objects, or text): converted by validate_data
        raise ValueError(
            f"{name} needs numeric input, but X is an array of strings "
            f"(dtype {X.dtype}); if they are numbers written as text, convert "
            f"them (X.astype(float)); else {_ENCODE_HINT}."
        )
    bad = np.zeros(X.shape[1], dtype=bool)
    for j in range(X.shape[1]):
        try:
            np.asarray(X[:, j], dtype=np.float64)
        except (TypeError, ValueError):
            bad[j] = True
    raise ValueError(
        f"{name} needs numeric input, but column(s) {_column_names(X, bad)} hold "
        f"strings or other objects; {_ENCODE_HINT}."
    )


def validate_passthrough(
    estimator,
    X,
    y="no_validation",
    *,
    reset=True,
    allow_nan=True,
    allow_strings=True,
    multi_output=False,
    allow_sparse=False,
    dense_reason="the first step of one of its members needs dense input",
):
    """Check what a meta-estimator needs, and hand ``X`` on as it is.

    For meta-estimators whose members decide what they accept (a
    ``TabularPreprocessor`` step takes strings and NaN): sets or checks
    ``n_features_in_`` and ``feature_names_in_``, keeps a DataFrame a DataFrame,
    refuses empty input, infinity (naming the columns), NaN unless ``allow_nan``
    and strings unless ``allow_strings``, and a target with missing values.

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
        Let NaN through (the members take it). Infinity is always refused.
    allow_strings : bool, default=True
        Let string, categorical and object columns through (the members encode
        them); otherwise they are refused, naming the columns (see
        ``autodl.utils.first_steps_accept``).
    multi_output : bool, default=False
        Let ``y`` have several columns, shape (n_samples, n_outputs) (one column
        is still returned 1-D).
    allow_sparse : bool, default=False
        Let a scipy sparse matrix through (the members take it); otherwise it is
        refused with a message that says how to make it dense.
    dense_reason : str
        Why sparse input is refused, for that message.

    Returns
    -------
    X or (X, y)
        A DataFrame of another library (polars, ...) comes back as a pandas one.
    """
    X = as_pandas(X)
    if not allow_sparse:
        check_dense(estimator, X, dense_reason)
    _check_table(estimator, X, reset=reset)
    if not hasattr(X, "iloc"):
        X = check_array(
            X,
            dtype=None,
            ensure_all_finite=False,
            accept_sparse=["csr", "csc"] if allow_sparse else False,
        )
    validate_data(estimator, X, reset=reset, skip_check_array=True)
    if not allow_strings and not sparse.issparse(X):
        if hasattr(X, "iloc"):
            _check_no_strings(estimator, X)
        else:
            _check_no_strings_array(estimator, X)
    numeric = X.select_dtypes("number") if hasattr(X, "iloc") else X
    values = numeric.to_numpy() if hasattr(numeric, "iloc") else numeric
    _check_finite(estimator, numeric, values, allow_nan=allow_nan)
    if isinstance(y, str) and y == "no_validation":
        return X
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y "
            "is None."
        )
    shape = np.asarray(y).shape  # np.ndim refuses array-likes it cannot see into
    if multi_output and len(shape) == 2 and shape[1] > 1:
        y = check_array(y, dtype=None, ensure_all_finite=False, input_name="y")
    else:
        y = column_or_1d(y, warn=True)
    _check_lengths(X.shape[0], y)
    _check_target_values(y)
    return X, y
