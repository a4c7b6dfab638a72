"""The ``autodl`` command line.

Only this package configures logging and prints. Heavy imports (scikit-learn,
torch, xgboost) happen inside the command that needs them, so ``autodl --help``
starts fast.
"""

import argparse
import logging
import os
import sys
import warnings

from autodl import __version__
from autodl.cli import _demo, _fit, _leaderboard, _predict, _report

__all__ = ["main"]

_COMMANDS = {
    "fit": _fit,
    "predict": _predict,
    "leaderboard": _leaderboard,
    "report": _report,
    "demo": _demo,
}


def build_parser():
    """The argument parser of the ``autodl`` command."""
    parser = argparse.ArgumentParser(
        prog="autodl",
        description="AutoML that is scikit-learn all the way down.",
        epilog=(
            "Run 'autodl COMMAND --help' for the options of one command. Model files "
            "are skops files, which load without running code; a joblib model file "
            "(--format joblib) is a pickle: loading one can run code, so only load "
            "files you trust."
        ),
    )
    parser.add_argument("--version", action="version", version=f"autodl {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the full traceback when a command fails",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in _COMMANDS.items():
        module.add_parser(sub, name)
    return parser


_SHOWN = set()  # warnings already printed by this command
# loky restarts a worker whose memory grew past its leak heuristic; the jobs it
# held are run again: nothing is lost, so the user gets one plain note instead
_LOKY_RESTART = "A worker stopped while some jobs were given to the executor"
_LOKY_NOTE = (
    "autodl: note: joblib restarted a worker process whose memory had grown; the "
    "fits it held were run again, nothing is lost."
)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """One line per warning, and each warning once (fits repeat theirs)."""
    text = " ".join(str(message).split())
    if text in _SHOWN:
        return
    _SHOWN.add(text)
    if _LOKY_RESTART in text:
        print(_LOKY_NOTE, file=sys.stderr)
        return
    print(f"autodl: warning: {text}", file=sys.stderr)


def _quiet_warnings():
    """One line per warning, once; no convergence chatter from the models searched."""
    _SHOWN.clear()
    warnings.showwarning = _show_warning
    warnings.filterwarnings("ignore", message=".*did not converge|.*failed to converge")


def _interrupted(command, exc):
    """What Ctrl-C stopped (the library's own words, if any) and what was saved."""
    from autodl.cli._output import WRITTEN

    detail = " ".join(str(exc).split()).rstrip(".")
    saved = (
        "written before it: " + ", ".join(map(str, WRITTEN))
        if WRITTEN
        else "nothing was saved (an existing output file is left as it was)"
    )
    detail = f": {detail}" if detail else ""
    return f"autodl {command}: interrupted (Ctrl-C){detail}; {saved}."


def main(argv=None):
    """Run the ``autodl`` command; returns the exit status.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments (without the program name); ``None`` reads ``sys.argv``.
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    _quiet_warnings()
    from autodl.cli._output import WRITTEN

    WRITTEN.clear()
    try:
        return _COMMANDS[args.command].run(args) or 0
    except KeyboardInterrupt as exc:
        print(_interrupted(args.command, exc), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output left (autodl fit ... | head): what was to be
        # written to files is written; the rest of the output has no reader
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:  # one clear line unless --debug
        if args.debug:
            raise
        message = " ".join(str(exc).split()) or type(exc).__name__  # one line
        print(f"autodl {args.command}: error: {message}", file=sys.stderr)
        return 1
