"""Loaders for the embedded demo data and for users' CSV / Parquet files."""

import difflib
import io
import sys
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


def separator_hint(columns, option="sep=';'"):
    """A hint when a table read with commas came out as one column holding ``;``."""
    columns = [str(c) for c in columns]
    if len(columns) == 1:
        for sep in ";\t|":
            if sep in columns[0]:
                return (
                    " The file seems to use another separator than a comma; pass "
                    f"{option.replace(repr(';'), repr(sep))} (or the one it uses) "
                    "to read it."
                )
    return ""


def _check_header(path, frame, read_options, source=None):
    """Refuse duplicate column names, which pandas would rename (``a`` -> ``a.1``).

    ``source()`` gives the CSV to read the header from again (standard input is
    read once, into memory); by default the file ``path``.
    """
    import pandas as pd

    from autodl.utils._columns import duplicate_names

    names = list(frame.columns)
    if path.suffix.lower() not in {".parquet", ".pq"}:
        options = {
            k: v for k, v in read_options.items() if k not in {"header", "names"}
        }
        csv = path if source is None else source()
        names = pd.read_csv(csv, header=None, nrows=1, dtype=str, **options).iloc[0]
    duplicates = duplicate_names(names)
    if duplicates:
        raise ValueError(
            f"{path} has duplicate column names {duplicates}; pandas would rename "
            f"the copies ({duplicates[0]!r} -> {duplicates[0] + '.1'!r}) and use "
            "both. Give every column its own name (or drop the copies)."
        )


def _read_table(path, **read_options):
    import pandas as pd

    if str(path) == STDIN:  # a CSV on standard input
        path = _StdinName()
    if path.suffix.lower() in {".parquet", ".pq"}:
        try:
            frame = pd.read_parquet(path, **read_options)
        except ImportError as exc:
            raise ImportError(
                f"Reading {path} needs a Parquet engine; install it with "
                "pip install 'autodl[parquet]' (or pip install pyarrow)."
            ) from exc
        _check_header(path, frame, read_options)
        return frame
    try:
        if isinstance(path, _StdinName):  # read once, so the header can be read again
            text = sys.stdin.read()

            def source():
                return io.StringIO(text)

        else:

            def source():
                return path

        frame = pd.read_csv(source(), **read_options)
        _check_header(path, frame, read_options, source)
        return frame
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


def load_csv(path, target, sep_option="sep=';'", **read_options):
    """Read a CSV (or Parquet) file into features and target.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` file (gzip and other compressions are recognised from the
        suffix) or a ``.parquet`` file; ``"-"`` reads a CSV from standard input.
    target : str
        The name of the target column.
    sep_option : str, default="sep=';'"
        How the error message for a file with another separator tells the user
        to pass it (``autodl fit`` says ``--sep ';'``).
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
        the columns there are), two columns have the same name in the header, or
        the target has missing values.

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
        hint += separator_hint(columns, sep_option)
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
