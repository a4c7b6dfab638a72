"""Predict-time drift that makes predictions meaningless, found against a profile
of the training columns: unseen category levels, columns empty that were not, two
columns whose values were swapped."""

import warnings

import numpy as np
import pandas as pd

DRIFT_ACTIONS = ("warn", "raise", "ignore")
_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_MAX_LEVELS = 1000  # more distinct strings than this: free text, levels not kept
_MIN_ROWS = 5  # an empty column counts from this many rows
_MIN_ROWS_SWAP = 20  # distributions are compared from this many rows
_OWN_SHIFT = 1.0  # a numeric column moved by more than its training spread...
_OTHER_MATCH = 0.25  # ...and within a quarter of another's: a swap
_OWN_SHARE = 0.5  # a category column with less than half its levels...
_OTHER_SHARE = 0.9  # ...and 90% of another's: a swap


class DriftError(ValueError):
    """Predict-time input that differs from the training data in a way that makes
    predictions meaningless (raised with ``drift="raise"`` / ``--strict``)."""


def _columns(X):
    if isinstance(X, pd.DataFrame):
        return [(c, X.iloc[:, j]) for j, c in enumerate(X.columns)]
    values = np.asarray(X)
    return [(j, pd.Series(values[:, j])) for j in range(values.shape[1])]


def _numeric(s):
    """``s`` as float64, or None when it holds strings."""
    if s.dtype.kind in "fiub":
        return s.astype("float64").to_numpy()
    if isinstance(s.dtype, pd.CategoricalDtype):
        return None
    try:
        return pd.to_numeric(s).astype("float64").to_numpy()
    except (TypeError, ValueError):
        return None


def profile_columns(X):
    """What each training column holds: kind, missing share, levels or quantiles.

    Parameters
    ----------
    X : DataFrame or array-like of shape (n_samples, n_features)

    Returns
    -------
    list of dict
        One per column: ``name``, ``kind`` (``"number"`` or ``"category"``),
        ``missing`` (share of missing values), ``levels`` (the set of a category
        column's values as strings, None above 1000) and ``quantiles`` (of a
        number column, None when it is empty).
    """
    profile = []
    for name, s in _columns(X):
        values = _numeric(s)
        entry = {"name": name, "missing": float(s.isna().mean()) if len(s) else 0.0}
        if values is not None:
            present = values[~np.isnan(values)]
            entry["kind"] = "number"
            entry["quantiles"] = (
                np.quantile(present, _QUANTILES).tolist() if present.size else None
            )
        else:
            levels = set(s.dropna().astype(str))
            entry["kind"] = "category"
            entry["levels"] = levels if len(levels) <= _MAX_LEVELS else None
        profile.append(entry)
    return profile


def _shift(q, reference):
    """How far quantiles ``q`` are from ``reference``, in its 5%-95% spreads."""
    spread = reference[-1] - reference[0]
    spread = spread if spread > 0 else max(abs(reference[2]), 1.0)
    return float(np.max(np.abs(np.asarray(q) - np.asarray(reference))) / spread)


def check_drift(profile, X):
    """The ways ``X`` differs from the training columns, as sentences.

    Parameters
    ----------
    profile : list of dict
        :func:`profile_columns` of the training data.
    X : DataFrame or array-like
        The rows to predict, with the training columns in training order.

    Returns
    -------
    list of str
        Empty when nothing is wrong.
    """
    columns = _columns(X)
    if len(columns) != len(profile):
        return []
    n = len(columns[0][1]) if columns else 0
    found, now = [], []
    unseen = []
    for entry, (_, s) in zip(profile, columns, strict=True):
        name = entry["name"]
        present = s.dropna()
        if n >= _MIN_ROWS and present.empty and entry["missing"] <= 0.5:
            found.append(
                f"column {name!r} is empty in all {n} rows, but held values in "
                f"{1 - entry['missing']:.0%} of the training rows"
            )
        if entry["kind"] == "number":
            values = _numeric(s)
            values = None if values is None else values[~np.isnan(values)]
            now.append(
                np.quantile(values, _QUANTILES).tolist()
                if values is not None and values.size
                else None
            )
        else:
            strings = present.astype(str)
            now.append(set(strings))
            if entry.get("levels") is not None and len(strings):
                new = ~strings.isin(entry["levels"])
                if new.any():
                    levels = sorted(set(strings[new]))
                    unseen.append(
                        f"{name!r}: {int(new.sum())} of {n} rows ({len(levels)} new "
                        f"level(s), e.g. {levels[:3]})"
                    )
    if unseen:
        found.append("category levels never seen in fit in " + "; ".join(unseen))
    if n >= _MIN_ROWS_SWAP:
        found += _swaps(profile, columns, now)
    return found


def _looks_like(profile, now, i, j):
    """Whether column ``i`` now looks like training column ``j``, not like itself."""
    a, b = profile[i], profile[j]
    if a["kind"] != b["kind"] or now[i] is None:
        return False
    if a["kind"] == "number":
        if a["quantiles"] is None or b["quantiles"] is None:
            return False
        return (
            _shift(now[i], a["quantiles"]) > _OWN_SHIFT
            and _shift(now[i], b["quantiles"]) < _OTHER_MATCH
        )
    if a.get("levels") is None or b.get("levels") is None or not now[i]:
        return False
    own = len(now[i] & a["levels"]) / len(now[i])
    other = len(now[i] & b["levels"]) / len(now[i])
    return own < _OWN_SHARE and other >= _OTHER_SHARE


def _swaps(profile, columns, now):
    found = []
    for i in range(len(profile)):
        for j in range(i + 1, len(profile)):
            if _looks_like(profile, now, i, j) and _looks_like(profile, now, j, i):
                a, b = profile[i]["name"], profile[j]["name"]
                found.append(
                    f"columns {a!r} and {b!r} hold each other's values (swapped or "
                    "renamed?)"
                )
    return found


def report_drift(found, action, where):
    """Warn about (``"warn"``), raise (``"raise"``) or ignore the drift found."""
    if not found or action == "ignore":
        return
    message = (
        f"The rows given to {where} differ from the training data: "
        + "; ".join(found)
        + ". Predictions for them may be meaningless: check the columns"
    )
    if action == "raise":
        raise DriftError(message + ".")
    warnings.warn(
        message + " (drift='raise' or autodl predict --strict makes this an error).",
        UserWarning,
        stacklevel=3,
    )
