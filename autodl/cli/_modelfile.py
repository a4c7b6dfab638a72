"""Model files: a fitted estimator plus what ``autodl predict`` needs to use it.

A model file is a joblib pickle. Loading one runs pickle, which can execute code:
only load files you trust.
"""

import platform
import warnings
from pathlib import Path

from autodl.cli._output import write_or_fallback
from autodl.utils import holds_bytes

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
    """Write ``model`` and its training context to ``path`` with joblib.

    The file is written atomically (a temporary file, then a rename); when that
    fails, to a fallback path named in the error.
    """
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
    return write_or_fallback(path, lambda tmp: joblib.dump(bundle, tmp), "model")


def is_model_file(path):
    """Whether ``path`` starts like a model file ``autodl fit`` writes.

    The marker is read from the first bytes of the pickle; nothing is unpickled.
    """
    return holds_bytes(path, MARKER)


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
            f"{type(exc).__name__}: {exc})."
        ) from exc
    if not isinstance(bundle, dict) or bundle.get("marker") != MARKER:
        raise ValueError(
            f"{path} is not an autodl model file; write one with 'autodl fit'."
        )
    if bundle.get("format", FORMAT) > FORMAT:
        written = bundle.get("versions", {}).get("autodl", "a newer version")
        raise ValueError(
            f"{path} was written by autodl {written} in model-file format "
            f"{bundle['format']}; this autodl reads format {FORMAT}. Upgrade autodl, "
            "or refit with 'autodl fit'."
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


def check_target(bundle, y, source):
    """Refuse a target column ``y`` of another task than the model file's."""
    import numpy as np

    model, target = bundle["model"], bundle["target"]
    values = np.asarray(y)
    if bundle.get("task") == "regression" or not hasattr(model, "classes_"):
        if values.dtype.kind not in "fiub":
            raise ValueError(
                f"The model predicts {target!r} as a regression target, but that "
                f"column of {source} holds labels such as {values[0]!r}; this data is "
                "from another task. Pass rows of the table the model was trained on."
            )
        return
    known = {str(c) for c in model.classes_}
    unseen = sorted({str(v) for v in values} - known)
    if unseen:
        raise ValueError(
            f"Column {target!r} of {source} holds class(es) {unseen[:5]} the model "
            f"never saw (it was trained on {sorted(known)[:10]}); this data is from "
            "another task. Pass rows of the table the model was trained on."
        )
