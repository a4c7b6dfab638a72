"""Columns that are not what they look like: the target under another name, a row
id, the same name twice."""

from collections import Counter

import numpy as np
import pandas as pd

# a feature agreeing with the target (or with a one-to-one recoding of it) in at
# least this share of the rows where it has a value is a copy of the target
_COPY_SHARE = 0.99
# a numeric feature this correlated with a numeric target is a (rescaled) copy
_COPY_CORRELATION = 0.9999
# below this many rows, only an exact copy counts
_MIN_ROWS_NEAR = 20
# a column is id-like from this many rows
_MIN_ROWS_ID = 20


def duplicate_names(names):
    """The names that occur more than once, in order of first occurrence."""
    counts = Counter(str(n) for n in names)
    return [n for n in dict.fromkeys(str(n) for n in names) if counts[n] > 1]


def _agreement(f, y):
    """Share of the rows where ``f`` and ``y`` agree, up to a one-to-one recoding."""
    if f.nunique() != y.nunique():
        return 0.0
    frame = pd.DataFrame({"f": f.astype(str).to_numpy(), "y": y.astype(str).to_numpy()})
    pairs = frame.value_counts()
    # the most common target value of each feature value, and the reverse
    forward = pairs.groupby(level="f").max().sum()
    backward = pairs.groupby(level="y").max().sum()
    return float(min(forward, backward) / len(frame))


def target_copies(X, y, regression=False):
    """Columns of ``X`` that repeat the target: ``[(column, description)]``.

    A column is a copy when, on the rows where it has a value (at least 90% of
    them), it equals the target, or a one-to-one recoding of it (``"yes"``/``"no"``
    as 1/0), in 99% of the rows or more; for a numeric target, also when it is a
    rescaled copy (correlation above 0.9999). Below 20 rows only an exact copy
    counts. Such a column leaks the answer: every model scores perfectly in
    validation and fails on new rows, where it is missing or unknown.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    regression : bool, default=False
        Whether ``y`` is a continuous target (no recoding is looked for).

    Returns
    -------
    list of (column, str)
        The column name (the position for an array) and what it is.
    """
    frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(np.asarray(X))
    y = pd.Series(np.asarray(y), index=frame.index)
    n = len(y)
    if n == 0 or y.nunique() < 2:
        return []
    share_needed = _COPY_SHARE if n >= _MIN_ROWS_NEAR else 1.0
    numeric_y = y.dtype.kind in "fiub"
    found = []
    for column in frame.columns:
        f = frame[column]
        if isinstance(f, pd.DataFrame):  # a duplicated name: checked elsewhere
            continue
        present = f.notna().to_numpy()
        if present.mean() < 0.9 or f[present].nunique() < 2:
            continue
        fp, yp = f[present], y[present]
        numeric_f = fp.dtype.kind in "fiub"
        if numeric_f and numeric_y:
            values, target = fp.to_numpy(float), yp.to_numpy(float)
            share = float(np.isclose(values, target, rtol=1e-9, atol=0).mean())
        elif regression:
            continue
        else:
            share = float((fp.astype(str) == yp.astype(str)).mean())
        if share >= share_needed:
            found.append((column, f"equal to the target in {share:.0%} of the rows"))
            continue
        if not regression:
            share = _agreement(fp, yp)
            if share >= share_needed:
                found.append(
                    (column, f"a recoding of the target in {share:.0%} of the rows")
                )
                continue
        if regression and numeric_f and n >= _MIN_ROWS_NEAR:
            with np.errstate(invalid="ignore", divide="ignore"):
                r = np.corrcoef(fp.to_numpy(float), yp.to_numpy(float))[0, 1]
            if np.isfinite(r) and abs(r) >= _COPY_CORRELATION:
                found.append((column, f"a rescaled copy of the target (r = {r:.5f})"))
    return found


def describe_copies(copies, target="the target"):
    """A sentence naming the columns :func:`target_copies` found, and how."""
    detail = "; ".join(f"{c!r}: {what}" for c, what in copies)
    return f"Column(s) {[c for c, _ in copies]} repeat {target} ({detail})"


def id_like_columns(X):
    """Columns of a DataFrame that look like row ids rather than features.

    A column is id-like when, with 20 rows or more, it has a different value in
    every row and no missing value, and it holds strings, or integers that count
    (consecutive, or increasing down the file). Floats are measurements, never ids.
    """
    if not isinstance(X, pd.DataFrame) or len(X) < _MIN_ROWS_ID:
        return []
    found = []
    for column in X.columns:
        f = X[column]
        if isinstance(f, pd.DataFrame) or f.isna().any() or not f.is_unique:
            continue
        if f.dtype.kind in "iu":
            values = f.to_numpy()
            counting = values.max() - values.min() + 1 == len(values)
            if counting or f.is_monotonic_increasing:
                found.append(column)
        elif f.dtype.kind == "O" or pd.api.types.is_string_dtype(f.dtype):
            found.append(column)
    return found
