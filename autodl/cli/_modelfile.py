"""Model files: a fitted estimator plus what ``autodl predict`` needs to use it.

A model file is a joblib pickle. Loading one runs pickle, which can execute code:
only load files you trust.
"""

import platform
import warnings
from pathlib import Path

MARKER = "autodl-model-file"
FORMAT = 1


def _versions():
    import sklearn

    import autodl

    versions = {
        "autodl": autodl.__version__,
        "scikit-learn": sklearn.__version__,
        "python": platform.python_version(),
    }
    try:
        import torch

        versions["torch"] = torch.__version__
    except ImportError:  # pragma: no cover - torch is a dependency
        pass
    return versions


def save_model(path, model, *, target, features, id_column=None, task=None):
    """Write ``model`` and its training context to ``path`` with joblib."""
    import joblib

    bundle = {
        "marker": MARKER,
        "format": FORMAT,
        "model": model,
        "target": target,
        "features": list(features),
        "id_column": id_column,
        "task": task,
        "versions": _versions(),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, path)
    return path


def load_model(path):
    """Read a model file; warn when it was written under other versions."""
    import joblib

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such model file: {str(path)!r}.")
    try:
        bundle = joblib.load(path)
    except Exception as exc:
        raise ValueError(
            f"{path} is not an autodl model file (joblib could not read it: "
            f"{type(exc).__name__})."
        ) from exc
    if not isinstance(bundle, dict) or bundle.get("marker") != MARKER:
        raise ValueError(
            f"{path} is not an autodl model file; write one with 'autodl fit'."
        )
    now = _versions()
    changed = {
        name: (old, now.get(name))
        for name, old in bundle["versions"].items()
        if name != "python" and now.get(name) != old
    }
    if changed:
        detail = ", ".join(f"{n} {old} -> {new}" for n, (old, new) in changed.items())
        warnings.warn(
            f"{path} was written under other versions ({detail}); predictions may "
            "differ or fail. Refit with 'autodl fit' under the current versions.",
            stacklevel=2,
        )
    return bundle
