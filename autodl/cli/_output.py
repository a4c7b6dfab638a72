"""The files a command writes: checked before the work, written atomically.

:func:`prepare` runs before any work (the same file as an input, a folder that
cannot be written, an existing file autodl did not write); :func:`write` goes
through :func:`autodl.utils.atomic_write` and records what was written, so that
Ctrl-C can say what was saved.
"""

from pathlib import Path

from autodl.utils import atomic_write, check_output, fallback_path

WRITTEN = []  # paths written by the running command
STDOUT = "-"  # as an output path: standard output; as an input: standard input


def prepare(path, args, *, what, owned, inputs=(), option="--out", stdout=False):
    """``check_output`` with the command's ``--force``.

    With ``stdout``, ``-`` is standard output (``predict --out -``): nothing to
    check, and no file to replace; otherwise it is refused. An input ``-``
    (standard input) is no file to protect.
    """
    if str(path) == STDOUT:
        if stdout:
            return None
        raise ValueError(
            f"{option} - (standard output) cannot take the {what}; give a file name."
        )
    return check_output(
        path,
        what=what,
        owned=owned,
        force=getattr(args, "force", False),
        inputs=[i for i in inputs if i is None or str(i) != STDOUT],
        option=option,
    )


def write(path, writer):
    """Write ``path`` atomically through ``writer(tmp)``; remembers it."""
    path = atomic_write(path, writer)
    WRITTEN.append(Path(path))
    return path


def write_or_fallback(path, writer, what):
    """:func:`write`, or, when that fails (a full disk, a folder removed since the
    check), write to :func:`~autodl.utils.fallback_path` and raise an error that
    says where the file went: the result of a long fit is never lost."""
    try:
        return write(path, writer)
    except OSError as exc:
        spare = fallback_path(path)
        try:
            write(spare, writer)
        except OSError:
            raise exc from None
        raise OSError(
            f"Could not write the {what} to {str(path)!r} ({exc.strerror or exc}); "
            f"it was saved to {str(spare)!r} instead."
        ) from exc
