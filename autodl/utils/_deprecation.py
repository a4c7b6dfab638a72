"""Renamed parameters: the old name keeps working for one release, with a warning.

scikit-learn's pattern (e.g. ``AdaBoostClassifier(base_estimator=...)``): the old
parameter stays in the signature with the default ``"deprecated"``, ``__init__``
stores it as it does every other, and ``fit`` reads the value through
:func:`renamed_param`, which warns when the old name was given and refuses both.
"""

import warnings

DEPRECATED = "deprecated"  # the default of a renamed parameter's old name
RENAMED_IN, REMOVED_IN = "0.1", "0.2"


def _is_default(value, default):
    return value is default or (type(value) is type(default) and value == default)


def renamed_param(estimator, old, new, default=None):
    """The value of parameter ``new``, or of its deprecated old name ``old``.

    Parameters
    ----------
    estimator : estimator
        Holds both parameters as attributes.
    old, new : str
        The old and the new name of the parameter.
    default : object, default=None
        The default of ``new``: a value other than it counts as given.

    Returns
    -------
    value : object
        ``estimator.<new>``, or ``estimator.<old>`` when only the old name was
        given (with a FutureWarning that names the new one).

    Raises
    ------
    ValueError
        When both names were given.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> renamed_param(SimpleNamespace(metric="deprecated", scoring="r2"),
    ...               "metric", "scoring")
    'r2'
    """
    old_value = getattr(estimator, old)
    new_value = getattr(estimator, new)
    if isinstance(old_value, str) and old_value == DEPRECATED:
        return new_value
    name = type(estimator).__name__
    if not _is_default(new_value, default):
        raise ValueError(
            f"{name} got both {new}={new_value!r} and {old}={old_value!r}; {old} is "
            f"the deprecated name of {new}: pass {new} only."
        )
    warnings.warn(
        f"{name}: {old} was renamed to {new} in {RENAMED_IN} and {old} will be "
        f"removed in {REMOVED_IN}; pass {new}={old_value!r} instead.",
        FutureWarning,
        stacklevel=3,
    )
    return old_value
