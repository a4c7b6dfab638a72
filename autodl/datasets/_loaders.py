"""Loaders for the embedded demo data and for users' CSV / Parquet files."""

import difflib
from pathlib import Path

# name -> (scikit-learn loader, task). Everything here ships with scikit-learn:
# nothing is downloaded.
DEMO_DATASETS = {
    "breast_cancer": ("load_breast_cancer", "binary"),
    "wine": ("load_wine", "multiclass"),
    "iris": ("load_iris", "multiclass"),
    "digits": ("load_digits", "multiclass"),
    "diabetes": ("load_diabetes", "regression"),
}


def load_demo(name="breast_cancer"):
    """Load a demo dataset that ships with scikit-learn (nothing is downloaded).

    Parameters
    ----------
    name : {"breast_cancer", "wine", "iris", "digits", "diabetes"}, \
            default="breast_cancer"
        ``"breast_cancer"`` is binary classification (569 rows, 30 features), the
        default data of ``autodl demo``; ``"wine"``, ``"iris"`` and ``"digits"`` are
        multiclass; ``"diabetes"`` is regression. ``DEMO_DATASETS`` maps each name
        to its task.

    Returns
    -------
    X : pandas.DataFrame of shape (n_samples, n_features)
        The features, with their names as columns.
    y : pandas.Series of shape (n_samples,)
        The target, named ``"target"``.

    Examples
    --------
    >>> from autodl.datasets import load_demo
    >>> X, y = load_demo()
    >>> X.shape, y.name, sorted(y.unique())
    ((569, 30), 'target', [0, 1])
    """
    if name not in DEMO_DATASETS:
        raise ValueError(
            f"name={name!r} is not a demo dataset; use one of {sorted(DEMO_DATASETS)}."
        )
    import sklearn.datasets

    loader = getattr(sklearn.datasets, DEMO_DATASETS[name][0])
    X, y = loader(return_X_y=True, as_frame=True)
    return X, y.rename("target")


STDIN = "-"  # the path that reads standard input


class _StdinName:
    """Stands for standard input in messages (``str`` reads "standard input")."""

    suffix = ".csv"

    def __str__(self):
        return "standard input"


def _read_table(path, **read_options):
    import pandas as pd

    if str(path) == STDIN:  # a CSV on standard input
        import sys

        path = _StdinName()
        source = sys.stdin
    else:
        source = path
    if path.suffix.lower() in {".parquet", ".pq"}:
        try:
            return pd.read_parquet(path, **read_options)
        except ImportError as exc:
            raise ImportError(
                f"Reading {path} needs a Parquet engine; install it with "
                "pip install 'autodl[parquet]' (or pip install pyarrow)."
            ) from exc
    try:
        return pd.read_csv(source, **read_options)
    except pd.errors.EmptyDataError as exc:
        raise ValueError(
            f"{path} is empty; a CSV with a header row and at least one data row is "
            "needed."
        ) from exc
    except pd.errors.ParserError as exc:
        detail = " ".join(str(exc).split())
        raise ValueError(
            f"{path} is not a well-formed CSV ({detail}); check that every line has "
            "as many fields as the header, with the same separator (a comma by "
            "default), and that text holding the separator is quoted."
        ) from exc
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it "
            "as a UTF-8 CSV (or pass encoding=..., e.g. 'latin-1')."
        ) from exc


def load_csv(path, target, **read_options):
    """Read a CSV (or Parquet) file into features and target.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` file (gzip and other compressions are recognised from the
        suffix) or a ``.parquet`` file; ``"-"`` reads a CSV from standard input.
    target : str
        The name of the target column.
    **read_options : dict
        Passed to :func:`pandas.read_csv` (e.g. ``sep=";"``) or
        :func:`pandas.read_parquet`.

    Returns
    -------
    X : pandas.DataFrame
        Every column but ``target``, unchanged.
    y : pandas.Series
        The target column.

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        When the file is empty, the target column is missing (the message lists
        the columns there are), or the target has missing values.

    Examples
    --------
    >>> import tempfile, os
    >>> from autodl.datasets import load_csv, load_demo
    >>> X, y = load_demo("iris")
    >>> path = os.path.join(tempfile.mkdtemp(), "iris.csv")
    >>> X.assign(species=y).to_csv(path, index=False)
    >>> X2, y2 = load_csv(path, target="species")
    >>> X2.shape, y2.name
    ((150, 4), 'species')
    """
    path = _StdinName() if str(path) == STDIN else Path(path)
    if not isinstance(path, _StdinName) and not path.is_file():
        raise FileNotFoundError(f"No such file: {str(path)!r}.")
    frame = _read_table(STDIN if isinstance(path, _StdinName) else path, **read_options)
    if frame.empty:
        raise ValueError(f"{path} has no data rows; there is nothing to learn from.")
    if target not in frame.columns:
        columns = [str(c) for c in frame.columns]
        close = difflib.get_close_matches(str(target), columns, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        if len(columns) == 1 and any(sep in columns[0] for sep in ";\t|"):
            hint += (
                " The file seems to use another separator than a comma; pass "
                "sep=';' (or the one it uses) to read it."
            )
        raise ValueError(
            f"Target column {target!r} is not in {path}; its columns are "
            f"{columns}.{hint}"
        )
    y = frame[target]
    n_missing = int(y.isna().sum())
    if n_missing:
        raise ValueError(
            f"Target column {target!r} in {path} has {n_missing} missing value(s); "
            "drop those rows (or fill them) before training."
        )
    return frame.drop(columns=[target]), y
