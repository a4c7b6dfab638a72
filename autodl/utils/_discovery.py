"""The registry of public estimators, found the way scikit-learn's is."""

import inspect
import pkgutil
from importlib import import_module

_TYPES = {
    "classifier": "ClassifierMixin",
    "regressor": "RegressorMixin",
    "transformer": "TransformerMixin",
    "sampler": "SamplerMixin",
}


def all_estimators(type_filter=None):
    """List every public estimator class that autodl defines.

    Walks all ``autodl`` modules (like :func:`sklearn.utils.all_estimators`) and
    keeps the concrete ``BaseEstimator`` subclasses whose name has no leading
    underscore. ``tests/test_common.py`` runs scikit-learn's estimator checks over
    this list and fails when one of them is missing from ``autodl.__all__``.

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "transformer", "sampler"}, \
            list of those or None, default=None
        Keep only estimators of these kinds; ``None`` keeps all.

    Returns
    -------
    estimators : list of (name, class) tuples
        Sorted by name.

    Examples
    --------
    >>> from autodl.utils import all_estimators
    >>> names = [name for name, _ in all_estimators()]
    """
    from sklearn.base import BaseEstimator

    import autodl

    found = {}
    for info in pkgutil.walk_packages(autodl.__path__, prefix="autodl."):
        if any(
            part.startswith("_") and part != "__init__"
            for part in info.name.split(".")[1:-1]
        ):
            continue  # private sub-packages (none yet) hold no public estimators
        if info.name.endswith("__main__") or ".tests" in info.name:
            continue
        module = import_module(info.name)
        for name, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, BaseEstimator)
                and obj.__module__.startswith("autodl.")
                and not name.startswith("_")
                and not inspect.isabstract(obj)
            ):
                found[name] = obj
    estimators = sorted(found.items())
    if type_filter is None:
        return estimators
    kinds = [type_filter] if isinstance(type_filter, str) else list(type_filter)
    unknown = set(kinds) - set(_TYPES)
    if unknown:
        raise ValueError(
            f"type_filter={type_filter!r} is not supported; use one or several of "
            f"{sorted(_TYPES)}, or None."
        )
    wanted = {_TYPES[k] for k in kinds}
    return [
        (name, cls)
        for name, cls in estimators
        if wanted & {base.__name__ for base in cls.__mro__}
    ]
