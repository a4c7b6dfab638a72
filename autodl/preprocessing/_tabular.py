"""TabularPreprocessor: a mixed-type DataFrame in, a numeric matrix out."""

import numbers
import warnings
from functools import partial

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_bool_dtype,
    is_datetime64_any_dtype,
    is_numeric_dtype,
    is_timedelta64_dtype,
)
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    OrdinalEncoder,
    TargetEncoder,
)
from sklearn.utils import _safe_indexing
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_array, check_is_fitted

from autodl.utils import (
    as_pandas,
    check_dense,
    check_params,
    check_weights,
    draw_seed,
    positive_rows,
    validate_passthrough,
)
from autodl.utils._docstring import (
    Substitution,
    _random_state_docstring,
)
from autodl.utils._param_validation import (
    Described,
    Interval,
    SequenceOf,
    StrOptions,
    one_of,
)
from autodl.utils._validation import _check_target_values

_NUMERIC_IMPUTE = ("median", "mean", "most_frequent", "constant")
_CATEGORICAL_IMPUTE = ("constant", "most_frequent")
_HIGH_CARDINALITY = ("auto", "target", "ordinal")
MISSING = "missing"  # the category that stands for a missing value
_TABLE_ONLY = "it reads a table of typed columns (a DataFrame or a dense array)"


def _to_float(X):
    """Numbers and booleans (nullable ones included) as float64, NA as NaN."""
    if hasattr(X, "astype") and hasattr(X, "columns"):
        try:
            return X.astype("float64").to_numpy()
        except (TypeError, ValueError):
            pass  # object columns holding pd.NA: element by element below
    values = np.array(X, dtype=object)
    values[pd.isna(values)] = np.nan
    return values.astype(np.float64)


def _to_categories(X):
    """Every value as its string, missing values (None, NaN, NA) as NaN."""
    values = np.asarray(X, dtype=object)
    missing = pd.isna(values)
    out = values.astype(str).astype(object)
    out[missing] = np.nan
    return out


# the numbers a date-time column becomes, after its name: calendar parts, then
# "time", the days since 1970-01-01 (fractional: the time of day is in it)
DATE_PARTS = ("year", "month", "day", "dayofweek", "hour", "time")
_DAY = pd.Timedelta(days=1)


def _date_features(X):
    """Each date-time column as ``DATE_PARTS``; a time span as its days. NaT: NaN."""
    frame = pd.DataFrame(X)
    out = []
    for name in frame.columns:
        column = frame[name]
        if is_timedelta64_dtype(column.dtype):
            out.append((column / _DAY).to_numpy(dtype=np.float64))
            continue
        column = pd.to_datetime(column)
        if column.dt.tz is not None:  # one clock for every row: UTC
            column = column.dt.tz_convert("UTC").dt.tz_localize(None)
        dates = column.dt
        parts = [dates.year, dates.month, dates.day, dates.day_of_week, dates.hour]
        since = (column - pd.Timestamp("1970-01-01")) / _DAY
        out.extend(p.to_numpy(dtype=np.float64, na_value=np.nan) for p in parts)
        out.append(since.to_numpy(dtype=np.float64, na_value=np.nan))
    return np.column_stack(out) if out else np.empty((len(frame), 0))


def _date_names(transformer, input_features, spans=()):
    """Output names of :func:`_date_features`: ``<column>_<part>``.

    ``spans``: the names of the time-span columns (one feature each).
    """
    names = []
    for name in input_features:
        parts = ("days",) if str(name) in spans else DATE_PARTS
        names.extend(f"{name}_{part}" for part in parts)
    return np.asarray(names, dtype=object)


def _is_number_like(column):
    """Whether an object column holds only numbers, booleans and missing values."""
    values = np.asarray(column, dtype=object)
    try:
        values[~pd.isna(values)].astype(np.float64)
    except (TypeError, ValueError):
        return False
    return True


def _target_encoder(y, seed):
    """sklearn's TargetEncoder with seeded, shuffled cross-fitting folds."""
    if type_of_target(y) == "continuous":
        splitter, n_splits = KFold, min(5, len(y))
    else:  # stratified: as many folds as the smallest class allows, 2 to 5
        splitter = StratifiedKFold
        n_splits = min(5, np.unique(y, return_counts=True)[1].min())
    n_splits = int(max(2, n_splits))
    if TargetEncoder().get_params()["random_state"] == "deprecated":  # >= 1.9
        return TargetEncoder(cv=splitter(n_splits, shuffle=True, random_state=seed))
    # scikit-learn 1.6 to 1.8: an int cv, shuffled with random_state
    return TargetEncoder(cv=n_splits, shuffle=True, random_state=seed)


@Substitution(random_state=_random_state_docstring)
class TabularPreprocessor(TransformerMixin, BaseEstimator):
    """Turn a mixed-type table into a numeric matrix, keeping feature names.

    A DataFrame with numbers, strings, categoricals, booleans and missing values
    goes in; a float matrix comes out, ready for every other autodl estimator.
    It configures scikit-learn's :class:`~sklearn.compose.ColumnTransformer`:

    - numeric and boolean columns: :class:`~sklearn.impute.SimpleImputer`
      (``numeric_impute``), optionally with missing-indicator columns;
    - categorical columns (strings, ``category`` dtype, or those named in
      ``categorical_columns``) with at most ``max_onehot`` distinct values:
      missing values become their own ``"missing"`` category, then
      :class:`~sklearn.preprocessing.OneHotEncoder`;
    - categorical columns with more distinct values:
      :class:`~sklearn.preprocessing.TargetEncoder` or
      :class:`~sklearn.preprocessing.OrdinalEncoder` (``high_cardinality``);
    - date and date-time columns: their year, month, day, day of the week and
      hour, and ``time``, the (fractional) days since 1970-01-01, named
      ``<column>_year`` ... ``<column>_time`` (time zones are read in UTC); time
      spans (``timedelta``): their length in days, ``<column>_days``. Missing
      values are imputed as numbers are.

    Any DataFrame narwhals reads (pandas, polars, a pyarrow Table, ...) keeps its
    column names into ``feature_names_in_`` and ``get_feature_names_out``.

    Categories unseen at fit get all-zero one-hot columns, the ordinal code
    ``-1``, or the target mean. ``TargetEncoder`` cross-fits in
    :meth:`fit_transform` (which pipelines call), so a row's encoding never uses
    its own target. No column is dropped: a column with no observed value at fit
    is kept (and filled with 0, with a warning).

    Parameters
    ----------
    numeric_impute : {"median", "mean", "most_frequent", "constant"}, \
            default="median"
        How missing numbers are filled (``"constant"`` fills 0).
    categorical_impute : {"constant", "most_frequent"}, default="constant"
        ``"constant"`` makes a missing value its own category, ``"missing"``;
        ``"most_frequent"`` fills the column's most frequent category.
    add_indicator : bool, default=False
        Add a 0/1 column for every numeric column (and, with
        ``categorical_impute="most_frequent"``, every categorical column) that had
        missing values at fit. Named ``missingindicator_<column>``.
    max_onehot : int, default=10
        Categorical columns with at most this many distinct values are one-hot
        encoded; those with more are high-cardinality.
    high_cardinality : {"auto", "target", "ordinal"}, default="auto"
        The encoding of high-cardinality columns. ``"auto"`` is ``"target"`` when
        ``fit`` gets a ``y`` of one column and ``"ordinal"`` otherwise (resolved
        into :attr:`high_cardinality_`).
    categorical_columns : "auto" or list of str or int, default="auto"
        ``"auto"`` treats string, object and ``category`` columns as categorical.
        A list adds columns (by name, or by position for arrays) to treat as
        categorical although they hold numbers, e.g. integer-coded states.
    {random_state}
        It seeds the folds of the target encoder's cross-fitting.

    Attributes
    ----------
    numeric_columns_ : list
        The columns imputed as numbers (names for a DataFrame, else positions).
    onehot_columns_ : list
        The categorical columns one-hot encoded.
    high_cardinality_columns_ : list
        The categorical columns target- or ordinal-encoded.
    high_cardinality_ : {"target", "ordinal"}
        The encoding used for ``high_cardinality_columns_``.
    datetime_columns_ : list
        The date, date-time and time-span columns turned into numbers.
    column_transformer_ : sklearn.compose.ColumnTransformer
        The fitted transformer that does the work.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    Rescaler : Rescale the numeric matrix this step returns.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from autodl.preprocessing import TabularPreprocessor
    >>> X = pd.DataFrame({
    ...     "age": [25, np.nan, 47, 51],
    ...     "city": ["Paris", "Lyon", None, "Paris"],
    ...     "member": [True, False, True, True],
    ... })
    >>> prep = TabularPreprocessor(add_indicator=True).fit(X)
    >>> [str(name) for name in prep.get_feature_names_out()]
    ['age', 'member', 'missingindicator_age', 'city_Lyon', 'city_Paris', \
'city_missing']
    >>> prep.transform(pd.DataFrame({"age": [30], "city": ["Nice"], "member": [False]}))
    array([[30.,  0.,  0.,  0.,  0.,  0.]])
    """

    _parameter_constraints = {
        "numeric_impute": one_of(_NUMERIC_IMPUTE),
        "categorical_impute": one_of(_CATEGORICAL_IMPUTE),
        "max_onehot": [Interval(numbers.Integral, 1, None, closed="left")],
        "high_cardinality": one_of(_HIGH_CARDINALITY),
        "categorical_columns": [
            Described(
                "'auto' or a list of column names or positions",
                StrOptions({"auto"}),
                SequenceOf(),
            )
        ],
    }

    def __init__(
        self,
        numeric_impute="median",
        categorical_impute="constant",
        add_indicator=False,
        max_onehot=10,
        high_cardinality="auto",
        categorical_columns="auto",
        random_state=None,
    ):
        self.numeric_impute = numeric_impute
        self.categorical_impute = categorical_impute
        self.add_indicator = add_indicator
        self.max_onehot = max_onehot
        self.high_cardinality = high_cardinality
        self.categorical_columns = categorical_columns
        self.random_state = random_state

    def _check_X(self, X, reset):
        # shape, feature names, no rows / columns, infinity in numeric columns
        return validate_passthrough(
            self, X, reset=reset, allow_nan=True, dense_reason=_TABLE_ONLY
        )

    def _check_numeric(self, X):
        """Refuse strings and infinity in the numeric columns, naming them."""
        frame = hasattr(X, "columns")
        keys = self.numeric_columns_
        if not keys:
            return
        try:
            values = _to_float(X[keys] if frame else X[:, keys])
        except (TypeError, ValueError):
            bad = [k for k in keys if not _is_number_like(X[k] if frame else X[:, k])]
            raise ValueError(
                f"TabularPreprocessor: column(s) {[str(k) for k in bad]} held numbers "
                "in fit but now hold strings or other objects; pass the same kind of "
                "values as in fit, or list the column(s) in categorical_columns to "
                "encode them as categories."
            ) from None
        infinite = np.isinf(values).any(axis=0)
        if infinite.any():
            names = [str(k) for k, bad in zip(keys, infinite, strict=True) if bad]
            raise ValueError(
                f"Input X contains infinity in column(s) {names}; TabularPreprocessor "
                "needs finite values (NaN is imputed). Replace or clip them, e.g. "
                "X.replace([np.inf, -np.inf], np.nan)."
            )

    def _split_columns(self, X):
        """(numeric, categorical) column keys: names for a DataFrame, else ints."""
        frame = hasattr(X, "columns")
        keys = list(X.columns) if frame else list(range(X.shape[1]))
        forced = self.categorical_columns
        if isinstance(forced, str):  # "auto" (see the table)
            forced = []
        forced = list(forced)
        unknown = [c for c in forced if c not in keys]
        if unknown:
            raise ValueError(
                f"categorical_columns names {unknown}, which are not columns of X; "
                f"its columns are {keys}."
            )
        numeric, categorical, dates = [], [], []
        for j, key in enumerate(keys):
            column = X.iloc[:, j] if frame else X[:, j]
            dtype = column.dtype
            if key in forced:
                categorical.append(key)
            elif is_datetime64_any_dtype(dtype) or is_timedelta64_dtype(dtype):
                dates.append(key)
            elif is_bool_dtype(dtype) or is_numeric_dtype(dtype):
                numeric.append(key)
            elif dtype.kind == "O" and _is_number_like(column):
                numeric.append(key)
            else:
                categorical.append(key)
        return numeric, categorical, dates

    def _build(self, X, y):
        numeric, categorical, dates = self._split_columns(X)
        frame = hasattr(X, "columns")
        seed = draw_seed(self.random_state)

        def column(key):
            return X[key] if frame else X[:, key]

        empty = [k for k in numeric + categorical + dates if pd.isna(column(k)).all()]
        if empty:
            warnings.warn(
                f"TabularPreprocessor: column(s) {[str(k) for k in empty]} have no "
                "observed value at fit; they are kept, filled with 0 (or the "
                "'missing' category), and carry no information.",
                UserWarning,
                stacklevel=3,
            )
        n_unique = {
            k: pd.Series(_to_categories(column(k))).nunique() for k in categorical
        }
        self.numeric_columns_ = numeric
        self.datetime_columns_ = dates
        self.onehot_columns_ = [
            k for k in categorical if n_unique[k] <= self.max_onehot
        ]
        self.high_cardinality_columns_ = [
            k for k in categorical if n_unique[k] > self.max_onehot
        ]
        self.high_cardinality_ = self.high_cardinality
        if self.high_cardinality == "auto":
            self.high_cardinality_ = "ordinal" if y is None else "target"
        elif self.high_cardinality == "target" and y is None:
            raise ValueError(
                "high_cardinality='target' needs y in fit; pass the target, or use "
                "high_cardinality='ordinal'."
            )

        def categories():
            if self.categorical_impute == "constant":
                imputer = SimpleImputer(strategy="constant", fill_value=MISSING)
            else:
                imputer = SimpleImputer(
                    strategy="most_frequent",
                    add_indicator=self.add_indicator,
                    keep_empty_features=True,
                )
            as_str = FunctionTransformer(_to_categories, feature_names_out="one-to-one")
            return [as_str, imputer]

        fill = {"fill_value": 0} if self.numeric_impute == "constant" else {}
        parts = [
            (
                "numeric",
                make_pipeline(
                    FunctionTransformer(_to_float, feature_names_out="one-to-one"),
                    SimpleImputer(
                        strategy=self.numeric_impute,
                        add_indicator=self.add_indicator,
                        keep_empty_features=True,
                        **fill,
                    ),
                ),
                numeric,
            ),
            (
                "onehot",
                make_pipeline(
                    *categories(),
                    OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                ),
                self.onehot_columns_,
            ),
        ]
        spans = {str(k) for k in dates if is_timedelta64_dtype(column(k).dtype)}
        parts.append(
            (
                "datetime",
                make_pipeline(
                    FunctionTransformer(
                        _date_features,
                        feature_names_out=partial(_date_names, spans=spans),
                    ),
                    SimpleImputer(
                        strategy=self.numeric_impute, keep_empty_features=True, **fill
                    ),
                ),
                dates,
            )
        )
        if self.high_cardinality_ == "target" and self.high_cardinality_columns_:
            _check_target_values(y)
            encoder = _target_encoder(y, seed)
        else:
            encoder = OrdinalEncoder(
                handle_unknown="use_encoded_value", unknown_value=-1
            )
        parts.append(
            (
                "high_cardinality",
                make_pipeline(*categories(), encoder),
                self.high_cardinality_columns_,
            )
        )
        return ColumnTransformer(
            [part for part in parts if part[2]],
            sparse_threshold=0,
            verbose_feature_names_out=False,
        )

    def fit(self, X, y=None, sample_weight=None):
        """Choose each column's treatment and fit the imputers and encoders.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The table: numbers, strings, categoricals, booleans, missing values.
        y : array-like of shape (n_samples,), default=None
            The target, used by the target encoder only.
        sample_weight : array-like of shape (n_samples,), default=None
            The imputers and encoders have no weighted fit here: rows of weight
            0 are left out of them (exact), the others count alike (a warning
            says so when their weights differ).

        Returns
        -------
        self : TabularPreprocessor
        """
        self._fit(X, y, sample_weight, transform=False)
        return self

    def fit_transform(self, X, y=None, sample_weight=None):
        """Fit, then return the encoded training data (target encoding cross-fitted).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The table.
        y : array-like of shape (n_samples,), default=None
            The target, used by the target encoder only.
        sample_weight : array-like of shape (n_samples,), default=None
            The imputers and encoders have no weighted fit here: rows of weight
            0 are left out of them (exact), the others count alike (a warning
            says so when their weights differ).

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_out)
            Rows of weight 0 are encoded as new rows are (not cross-fitted).
        """
        return self._fit(X, y, sample_weight, transform=True)

    def _fit(self, X, y, sample_weight, transform):
        """Fit on the rows of positive weight; encode every row if ``transform``."""
        check_params(self)
        if sample_weight is None:
            return self._fit_rows(X, y, transform)
        X = as_pandas(X)
        check_dense(self, X, _TABLE_ONLY)
        if not hasattr(X, "iloc"):  # an array-like: rows to pick from
            X = check_array(X, dtype=None, ensure_all_finite=False)
        weight = check_weights(sample_weight, X)
        rows = np.flatnonzero(positive_rows(weight, "TabularPreprocessor"))
        kept = self._fit_rows(
            _safe_indexing(X, rows),
            None if y is None else _safe_indexing(np.asarray(y), rows),
            transform,
        )
        if not transform:
            return None
        out = self.transform(X)
        out[rows] = kept
        return out

    def _fit_rows(self, X, y, transform):
        X = self._check_X(X, reset=True)
        if y is not None:
            y = np.asarray(y)
        if y is not None and y.ndim == 2 and y.shape[1] > 1:
            if self.high_cardinality == "target":
                raise ValueError(
                    f"high_cardinality='target' encodes against one target, but y "
                    f"has {y.shape[1]} columns; use 'ordinal', or 'auto' (which "
                    "picks it for several targets)."
                )
            y = None  # several targets: nothing to target-encode against
        self.column_transformer_ = self._build(X, y)
        self._check_numeric(X)
        if transform:
            return self.column_transformer_.fit_transform(X, y)
        self.column_transformer_.fit(X, y)
        return None

    def transform(self, X):
        """Impute and encode ``X`` as learned in :meth:`fit`.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The table, with the columns seen in fit.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features_out)
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        self._check_numeric(X)
        return self.column_transformer_.transform(X)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored unless it differs from the names seen in fit (then an error).

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        return self.column_transformer_.get_feature_names_out(input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags
