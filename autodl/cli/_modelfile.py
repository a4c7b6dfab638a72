"""Model files: a fitted estimator plus what ``autodl predict`` needs to use it.

A model file is a ``skops.io`` file (the default) or a joblib pickle
(``autodl fit --format joblib``). A skops file is read without running code: it
loads only the types of :func:`autodl.utils.trusted_types` (and those the user
adds with ``autodl predict --trust``), and names any other type it holds instead
of loading it. Loading a pickle runs pickle, which can execute code: writing or
loading one warns, and only pickles you trust should be loaded.
"""

import platform
import warnings
import zipfile
from pathlib import Path

from autodl.cli._output import write_or_fallback
from autodl.utils import holds_bytes

MARKER = "autodl-model-file"
FORMAT = 1
FORMATS = ("skops", "joblib")
_SKOPS_MISSING = "skops model files need skops: pip install skops"
PICKLE_WARNING = (
    "{path} is {what} joblib pickle: pickles run code on load; only load files "
    "you trust (a skops model file, the default, loads without running code)."
)
_PICKLE_SUFFIXES = (".joblib", ".pkl", ".pickle")


def resolve_format(fmt, out):
    """``--format``, or, when not given, joblib for a pickle-named ``--out``, else
    skops (the safe default)."""
    if fmt is not None:
        return fmt
    if out is not None and str(out).lower().endswith(_PICKLE_SUFFIXES):
        return "joblib"
    return "skops"


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


def _skops():
    try:
        import skops.io
    except ImportError as exc:
        raise ImportError(_SKOPS_MISSING) from exc
    return skops.io


def save_model(
    path, model, *, target, features, id_column=None, task=None, fmt="joblib"
):
    """Write ``model`` and its training context to ``path`` (joblib or skops).

    ``fmt="joblib"`` (this function's default, for the Python API) writes a
    pickle; ``autodl fit`` writes skops unless told otherwise and warns when it
    writes a pickle.

    Either format is written atomically (a temporary file, then a rename); when
    that fails, to a fallback path named in the error.
    """
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
    if fmt == "skops":
        sio = _skops()  # before the write: a missing skops is no failed write

        def dump(tmp):
            sio.dump(bundle, tmp)

    else:
        import joblib

        def dump(tmp):
            joblib.dump(bundle, tmp)

    return write_or_fallback(path, dump, "model")


def is_model_file(path):
    """Whether ``path`` starts like a model file ``autodl fit`` writes.

    The marker is read from the first bytes of a pickle, or from the schema of a
    skops file (a zip archive); nothing is unpickled or loaded.
    """
    if holds_bytes(path, MARKER):
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            return MARKER.encode() in archive.read("schema.json")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _load_skops(path, trust=()):
    """A skops model file, trusting autodl's model types and ``trust``."""
    from autodl.utils import trusted_types

    sio = _skops()
    trusted = list(dict.fromkeys([*trusted_types(), *trust]))
    untrusted = sorted(set(sio.get_untrusted_types(file=path)) - set(trusted))
    if untrusted:
        options = " ".join(f"--trust {name}" for name in untrusted)
        raise ValueError(
            f"{path} holds types autodl does not trust: {untrusted}. Inspect them; "
            f"if you trust them, pass {options} (or load it yourself with "
            "skops.io.load(path, trusted=autodl.utils.trusted_types() + [...]))."
        )
    return sio.load(path, trusted=trusted)


def load_model(path, trust=()):
    """Read a model file; warn when it is a pickle or was written under other
    versions.

    ``trust`` names (fully qualified) types a skops file may hold besides
    :func:`autodl.utils.trusted_types`; a pickle is loaded as it is, with a
    warning that loading it ran any code it holds.
    """
    import joblib

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such model file: {str(path)!r}.")
    try:
        # a skops file is a zip archive; a joblib pickle is not
        if zipfile.is_zipfile(path):
            bundle = _load_skops(path, trust)
        else:
            warnings.warn(
                PICKLE_WARNING.format(path=path, what="read as a"), stacklevel=2
            )
            bundle = joblib.load(path)
    except (ImportError, ValueError) as exc:
        if "trust" in str(exc) or _SKOPS_MISSING in str(exc):
            raise
        raise ValueError(
            f"{path} is not an autodl model file (it could not be read: "
            f"{type(exc).__name__}: {exc})."
        ) from exc
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
