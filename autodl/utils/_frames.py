"""Any dataframe in: polars, pyarrow and the other narwhals backends become pandas.

autodl's estimators read column names, dtypes and values from pandas DataFrames.
A DataFrame from another library that narwhals knows (polars, a pyarrow Table,
modin, cuDF, ...) is converted at the entry of ``fit`` / ``predict`` / ``transform``,
column by column through narwhals, so no pyarrow is needed for polars: numbers and
booleans stay numbers (nulls become NaN), strings stay strings, categoricals and
enums become pandas categoricals, dates and times become ``datetime64`` /
``timedelta64`` columns. Column names are kept, so ``feature_names_in_`` and
``get_feature_names_out`` read as with pandas.
"""

import pandas as pd

__all__ = ["as_pandas", "like_input"]


def _column(series):
    import narwhals as nw

    dtype = series.dtype
    if dtype == nw.Categorical or dtype == nw.Enum:
        return pd.Categorical(series.to_list())
    values = series.to_numpy()
    if values.dtype == object and dtype == nw.Boolean:  # booleans with nulls
        return pd.array(values.tolist(), dtype="boolean")
    if values.dtype == object and dtype.is_numeric():  # decimals, say
        return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy()
    return values


def as_pandas(X):
    """``X`` as a pandas DataFrame when it is another library's DataFrame.

    Parameters
    ----------
    X : object
        Anything; only eager DataFrames narwhals knows, other than pandas, are
        converted. pandas DataFrames, arrays, lists and sparse matrices are
        returned as they are.

    Returns
    -------
    X : pandas.DataFrame or the input unchanged

    Examples
    --------
    >>> import polars as pl
    >>> as_pandas(pl.DataFrame({"a": [1, None], "b": ["x", "y"]}))
         a  b
    0  1.0  x
    1  NaN  y
    """
    if isinstance(X, pd.DataFrame) or not hasattr(X, "columns"):
        return X
    import narwhals as nw

    try:
        frame = nw.from_native(X, eager_only=True)
    except TypeError:
        return X  # not a DataFrame narwhals knows: validation says what is wrong
    if nw.get_native_namespace(frame) is pd:
        return X
    names = list(frame.columns)
    columns = {name: _column(frame.get_column(name)) for name in names}
    out = pd.DataFrame(columns, columns=names, index=pd.RangeIndex(len(frame)))
    return out if len(names) else pd.DataFrame(index=pd.RangeIndex(len(frame)))


def like_input(X_out, X_in):
    """``X_out`` (a pandas DataFrame) back in the DataFrame library of ``X_in``.

    For steps that return new rows (samplers): a polars frame in gives a polars
    frame out. Otherwise ``X_out`` is returned as it is.

    Examples
    --------
    >>> import pandas as pd
    >>> import polars as pl
    >>> like_input(pd.DataFrame({"a": [1.0]}), pl.DataFrame({"a": [0.0]})).shape
    (1, 1)
    """
    if not isinstance(X_out, pd.DataFrame) or as_pandas(X_in) is X_in:
        return X_out
    import narwhals as nw

    backend = nw.get_native_namespace(nw.from_native(X_in, eager_only=True))
    data = {str(name): X_out[name].to_numpy() for name in X_out.columns}
    return nw.from_dict(data, backend=backend).to_native()
