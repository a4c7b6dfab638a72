"""``autodl report``: one self-contained HTML report for a model file."""

from autodl.cli._fit import add_sep, read_options
from autodl.cli._predict import add_trust

HELP = "write an HTML report (leaderboard, plots, final model) for a model file"


def add_parser(sub, name):
    parser = sub.add_parser(
        name,
        help=HELP,
        description=(
            HELP[0].upper() + HELP[1:] + ". With --data (rows the model was not "
            "trained on, target column included) it adds the confusion matrix and "
            "ROC curve, or residuals, and the permutation importance. A joblib "
            "model file runs pickle when loaded: only load files you trust."
        ),
    )
    parser.add_argument("model", help="a model file written by 'autodl fit'")
    parser.add_argument(
        "--out", default="report.html", help="HTML file (default: %(default)s)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --out file even if autodl did not write it",
    )
    parser.add_argument(
        "--data",
        default=None,
        metavar="CSV",
        help="held-out rows with the target column, for the evaluation plots",
    )
    add_sep(parser)
    add_trust(parser)
    return parser


def write(model, path, X=None, y=None, title=None):
    """Write the report of a fitted model to ``path``; returns the path."""
    from autodl.cli._output import WRITTEN
    from autodl.diagnostics import write_report

    path = write_report(model, path, X=X, y=y, title=title)  # atomic
    WRITTEN.append(path)
    return path


def run(args):
    from autodl.cli._modelfile import check_target, load_model
    from autodl.cli._output import prepare
    from autodl.cli._predict import match_columns
    from autodl.utils import is_report

    prepare(
        args.out, args, what="report", owned=is_report, inputs=[args.model, args.data]
    )
    bundle = load_model(args.model, trust=args.trust)
    X = y = None
    if args.data is not None:
        from autodl.datasets import load_csv

        frame, y = load_csv(args.data, bundle["target"], **read_options(args))
        X = match_columns(frame, bundle, bundle["id_column"], args.data)
        check_target(bundle, y, args.data)
    path = write(bundle["model"], args.out, X, y, title=f"autodl report: {args.model}")
    print(f"Report written to {path}.")
    return 0
