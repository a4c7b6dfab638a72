"""Files autodl writes: checked before the work, written whole or not at all.

Every file (model, submission, predictions, report) is written to a temporary
file in the folder it goes to, flushed to disk, then moved into place with
:func:`os.replace`, which is atomic on POSIX and Windows: a reader, a crash or a
``kill -9`` sees the old file or the new one, never half of one.

:func:`check_output` runs before any work: it refuses a path that is one of the
inputs, a folder (or a path under a file) and a folder that cannot be written,
and it replaces an existing file only when ``owned(path)`` says autodl wrote it
(a model file, a report, a CSV with the header about to be written) or with
``force``.
"""

import contextlib
import os
import tempfile
import time
from pathlib import Path

REPORT_MARKER = '<meta name="generator" content="autodl">'
_PEEK_BYTES = 4096


def _umask_mode():
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path, write):
    """Write ``path`` through ``write(temporary_path)``, then move it into place.

    Parameters
    ----------
    path : str or path-like
        The file to (re)place; missing parent folders are created.
    write : callable
        ``write(tmp)`` writes the whole content to the path ``tmp`` (a file in
        the same folder, so the final rename never crosses file systems).

    Returns
    -------
    pathlib.Path
        ``path``. On any error (or ``KeyboardInterrupt``) the temporary file is
        removed and an existing ``path`` is left as it was.
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.is_file() else _umask_mode()
        os.chmod(tmp, mode)  # mkstemp makes the file private (0600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def check_output(path, *, what, owned, force=False, inputs=(), option="--out"):
    """Refuse, before any work, an output that cannot or must not be written.

    Parameters
    ----------
    path : str or path-like
        The output file.
    what : str
        What is written there, for the messages ("model file", "CSV").
    owned : callable
        ``owned(path)`` is True when the existing file is one autodl wrote of
        this kind, which may be replaced without ``force``.
    force : bool, default=False
        Replace an existing file whatever it holds (never an input).
    inputs : iterable of path-like
        Files the command reads; the output may not be one of them.
    option : str, default="--out"
        The option that named ``path``, for the messages.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    for source in inputs:
        if source is not None and (
            path.resolve() == Path(source).resolve()
            or (path.exists() and Path(source).exists() and _same_file(path, source))
        ):
            raise ValueError(
                f"{option} {str(path)!r} is the input file {str(source)!r}; writing "
                f"the {what} there would destroy it. Choose another {option} path."
            )
    if path.is_dir():
        raise ValueError(
            f"{option} {str(path)!r} is a folder; give a file name for the {what} "
            f"(e.g. {str(path / 'out')!r})."
        )
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise ValueError(
            f"{option} {str(path)!r} cannot be written: {str(folder)!r} is a file, "
            "not a folder. Choose another path."
        )
    try:  # os.access is not enough: read-only mounts, root, network drives
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".autodl-probe.")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValueError(
            f"{option} {str(path)!r} cannot be written: folder {str(folder)!r} is not "
            f"writable ({exc.strerror or exc}). Choose another path."
        ) from exc
    if path.exists() and not force and not owned(path):
        raise ValueError(
            f"{option} {str(path)!r} already exists and is not a {what} autodl "
            "wrote; pass --force to replace it, or choose another path."
        )
    return path


def fallback_path(name):
    """A fresh path in the temporary folder (else the working folder) for ``name``.

    ``name`` gets a timestamp: ``model.joblib`` -> ``model-20250101-120000.joblib``.
    """
    stem, dot, suffix = Path(name).name.partition(".")
    stamped = f"autodl-{stem}-{time.strftime('%Y%m%d-%H%M%S')}{dot}{suffix}"
    for folder in (Path(tempfile.gettempdir()), Path.cwd()):
        if os.access(folder, os.W_OK):
            return folder / stamped
    return Path(stamped)


def _peek(path, size=_PEEK_BYTES):
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def holds_bytes(path, marker):
    """Whether the first few KB of ``path`` hold ``marker`` (nothing is unpickled)."""
    return marker.encode() in _peek(path)


def is_report(path):
    """Whether ``path`` is an HTML report autodl wrote."""
    return holds_bytes(path, REPORT_MARKER)


def csv_header_is(path, columns):
    """Whether the header row of the CSV ``path`` is exactly ``columns``.

    An autodl CSV (a submission, held-out predictions) is recognised by its header:
    the same columns as the one about to be written.
    """
    import csv
    import io

    head = _peek(path).decode("utf-8", errors="replace")
    try:
        header = next(csv.reader(io.StringIO(head)))
    except (StopIteration, csv.Error):
        return False
    return header == [str(c) for c in columns]
