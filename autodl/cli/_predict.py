"""``autodl predict``: a submission-style CSV from a model file and new rows."""

import argparse
import sys
import warnings

from autodl.cli._fit import add_sep

HELP = "predict new rows with a model file and write a submission-style CSV"


def add_parser(sub, name):
    parser = sub.add_parser(
        name,
        help=HELP,
        description=(
            "Write the id column and one prediction column named after the training "
            "target (or one probability column per class with --proba). A skops "
            "model file loads without running code and only with trusted types "
            "(--trust adds one); a joblib model file runs pickle: only load files "
            "you trust."
        ),
    )
    parser.add_argument("model", help="a model file written by 'autodl fit'")
    parser.add_argument(
        "data",
        help="rows to predict: .csv (.csv.gz, ...) or .parquet; - reads a CSV "
        "from standard input",
    )
    add_sep(parser)
    parser.add_argument(
        "--id-column",
        default=None,
        help="row identifier copied to the output (default: the one used in 'fit')",
    )
    parser.add_argument(
        "--proba", action="store_true", help="class probabilities instead of labels"
    )
    parser.add_argument(
        "--out",
        default="predictions.csv",
        help="output CSV; - writes it to standard output (default: %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail instead of warning when the rows differ from the training data "
        "(unseen category levels, a column empty that held values, swapped columns)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --out file even if it is not a CSV of this "
        "model's predictions (an input file is never replaced; --out - is standard "
        "output, never checked)",
    )
    add_trust(parser)
    return parser


def add_trust(parser):
    parser.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="TYPE",
        help="a fully qualified type name (e.g. mypackage.MyTransformer) a skops "
        "model file may hold besides autodl's trusted types; repeat for more. Only "
        "trust types you know",
    )


def read_table(path, sep=None):
    """Read CSV / Parquet with clear errors (missing or empty file)."""
    from pathlib import Path

    from autodl.datasets._loaders import STDIN, _read_table

    if str(path) == STDIN:
        frame = _read_table(STDIN, **({} if sep is None else {"sep": sep}))
        if frame.empty:
            raise ValueError("standard input has no data rows.")
        return frame
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No such file: {str(path)!r}.")
    frame = _read_table(path, **({} if sep is None else {"sep": sep}))
    if frame.empty:
        raise ValueError(f"{path} has no data rows.")
    return frame


def match_columns(frame, bundle, id_column, source):
    """The training features of ``frame``, in training order; clear errors if not."""
    features = bundle["features"]
    present = set(map(str, frame.columns))
    missing = [c for c in features if str(c) not in present]
    if missing:
        from autodl.datasets._loaders import separator_hint

        raise ValueError(
            f"{source} lacks column(s) {missing} that the model was trained on; "
            f"its columns are {[str(c) for c in frame.columns]}."
            + separator_hint(frame.columns, "--sep ';'")
        )
    known = {str(c) for c in features} | {str(id_column), str(bundle["target"])}
    unexpected = [str(c) for c in frame.columns if str(c) not in known]
    if unexpected:
        warnings.warn(
            f"{source} has column(s) {unexpected} that the model was not trained on; "
            "they are ignored.",
            stacklevel=2,
        )
    return frame[features]


def run(args):
    import pandas as pd

    from autodl.cli._modelfile import load_model
    from autodl.cli._output import STDOUT, prepare, write
    from autodl.utils import csv_header_is

    inputs = [args.model, args.data]
    prepare(  # the inputs and the folder, before the model is loaded
        args.out,
        argparse.Namespace(force=True),
        what="CSV",
        owned=bool,
        inputs=inputs,
        stdout=True,
    )
    bundle = load_model(args.model, trust=args.trust)
    id_column = args.id_column or bundle["id_column"]
    headers = _headers(bundle, id_column)
    prepare(
        args.out,
        args,
        what=f"CSV of this model's predictions (header {headers[0]})",
        owned=lambda path: any(csv_header_is(path, h) for h in headers),
        inputs=inputs,
        stdout=True,
    )
    frame = read_table(args.data, args.sep)
    if id_column is not None and id_column not in frame.columns:
        raise ValueError(
            f"id column {id_column!r} is not in {args.data}; its columns are "
            f"{[str(c) for c in frame.columns]}. Pass --id-column."
        )
    X = match_columns(frame, bundle, id_column, args.data)
    model = bundle["model"]
    if hasattr(model, "get_params") and "drift" in model.get_params():
        model.set_params(drift="raise" if args.strict else "warn")
    if args.proba:
        if not hasattr(model, "predict_proba"):
            raise ValueError(
                "--proba needs a classifier; this model predicts "
                f"{bundle['target']!r} as a regression target."
            )
        out = pd.DataFrame(
            model.predict_proba(X), columns=[str(c) for c in model.classes_]
        )
    else:
        out = pd.DataFrame({bundle["target"]: model.predict(X)})
    if id_column is not None:
        out.insert(0, id_column, frame[id_column].to_numpy())
    if args.out == STDOUT:  # the CSV is the output; the note goes to standard error
        out.to_csv(sys.stdout, index=False)
        if not args.quiet:
            print(f"{len(out)} predictions written.", file=sys.stderr)
        return 0
    write(args.out, lambda tmp: out.to_csv(tmp, index=False))
    if not args.quiet:
        print(f"{len(out)} predictions written to {args.out}.")
    return 0


def _headers(bundle, id_column):
    """The header rows ``predict`` writes for this model: labels, probabilities.

    An existing CSV with one of them is a submission of this model, which ``--out``
    may replace without ``--force``.
    """
    first = [] if id_column is None else [str(id_column)]
    headers = [first + [str(bundle["target"])]]
    classes = getattr(bundle["model"], "classes_", None)
    if classes is not None:
        headers.append(first + [str(c) for c in classes])
    return headers
