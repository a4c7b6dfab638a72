"""``autodl fit``: search a model for a CSV / Parquet file and save it."""

import sys
import warnings

from autodl.cli._modelfile import FORMATS, PICKLE_WARNING, resolve_format

HELP = "search the best model for a table and save it"

_SHOWN = 15  # leaderboard rows printed


def add_parser(sub, name):
    parser = sub.add_parser(
        name,
        help=HELP,
        description=(
            "Run AutoClassifier / AutoRegressor on a CSV or Parquet file, print the "
            "leaderboard and save the fitted model: a skops file, which loads "
            "without running code (or, with --format joblib, a pickle: load only "
            "pickles you trust)."
        ),
    )
    parser.add_argument(
        "data",
        help="training data: .csv (.csv.gz, ...) or .parquet; - reads a CSV from "
        "standard input",
    )
    parser.add_argument("--target", required=True, help="name of the target column")
    add_sep(parser)
    parser.add_argument(
        "--time-budget",
        type=float,
        default=None,
        help="seconds for the whole search (default: 60, or no clock with "
        "--max-trials)",
    )
    parser.add_argument(
        "--max-trials",
        type=int,
        default=None,
        help="the most candidate configurations to cross-validate; without "
        "--time-budget the search then does not depend on the machine's speed",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="print nothing but errors (the model file is still written)",
    )
    parser.add_argument(
        "--scoring",
        default=None,
        help="a scikit-learn scorer name (default: roc_auc for binary, "
        "balanced_accuracy for multiclass, r2 for regression)",
    )
    parser.add_argument(
        "--metric",
        default=None,
        help="deprecated: the old name of --scoring (removed in 0.2)",
    )
    parser.add_argument(
        "--task",
        default="auto",
        choices=["auto", "classification", "regression"],
        help="kind of target (default: inferred from it)",
    )
    parser.add_argument(
        "--id-column",
        default=None,
        help="a row identifier, left out of the features and kept for 'predict'",
    )
    parser.add_argument(
        "--out",
        default=None,
        help="model file (default: model.skops, or model.joblib with --format joblib)",
    )
    parser.add_argument(
        "--format",
        default=None,
        choices=FORMATS,
        help="model file format: a skops file that loads only trusted types, or a "
        "joblib pickle, which runs code on load (default: skops; joblib when --out "
        "ends in .joblib, .pkl or .pickle)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing --out / --report file even if autodl did not "
        "write it (an input file is never replaced)",
    )
    parser.add_argument(
        "--report", default=None, metavar="HTML", help="also write an HTML report"
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=-1,
        help="parallel fits; -1 uses all cores (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    return parser


def add_sep(parser):
    parser.add_argument(
        "--sep",
        default=None,
        type=lambda s: "\t" if s == "\\t" else s,
        help="field separator of CSV files, e.g. ';' or '\\t' (default: a comma)",
    )


def read_options(args):
    """What ``load_csv`` needs from ``--sep``, and how its hints name it."""
    options = {"sep_option": "--sep ';'"}
    if args.sep is not None:
        options["sep"] = args.sep
    return options


def _drop_suspects(X, y, args, task):
    """Leave out the columns that copy the target; hint at id-like columns."""
    from autodl.utils._columns import describe_copies, id_like_columns, target_copies

    copies = target_copies(X, y, regression=task == "regression")
    if copies:
        warnings.warn(
            f"{describe_copies(copies, f'the target {args.target!r}')}: they would "
            "leak the answer (a perfect validation score, useless predictions), so "
            "they are left out of the features.",
            stacklevel=2,
        )
        X = X.drop(columns=[c for c, _ in copies])
    if args.id_column is None:
        for column in id_like_columns(X):
            warnings.warn(
                f"Column {column!r} holds a different value in each of the {len(X)} "
                "rows, like a row id; if it identifies rows, pass --id-column "
                f"{column} so it is not used as a feature (and is copied to the "
                "predictions).",
                stacklevel=2,
            )
    return X


def print_leaderboard(board, scoring, top=_SHOWN):
    ok = board[board["status"] == "ok"].head(top)
    ranked = "score" in ok  # Auto*: the validation score ensemble selection uses
    columns = ["model", "score"] if ranked else ["model"]
    columns += ["mean_score", "std_score", "fit_time"]
    table = ok[columns].copy()
    table.insert(0, "rank", range(1, len(table) + 1))
    what = f"mean {scoring} over the folds"
    if ranked:
        validation = ", ".join(dict.fromkeys(ok["validation"])) or "none"
        what = (
            f"{scoring} on the validation predictions ({validation}; what ensemble "
            "selection uses), mean and std over every fold run beside it"
        )
    print(
        f"Leaderboard: {what}, higher is better; best {len(table)} of "
        f"{len(board)} candidates:\n"
    )
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    failed = board[board["status"] == "failed"]
    if len(failed):
        print(
            f"\n{len(failed)} candidate(s) failed: "
            + "; ".join(
                f"{m}: {e}"
                for m, e in zip(failed["model"], failed["error"], strict=True)
            )[:500]
        )


def print_final_model(auto):
    weights = ", ".join(f"{n} {w:.2f}" for n, w in auto.ensemble_weights_.items())
    print(f"\nFinal model, fitted in {auto.fit_time_:.1f} s: {weights}.")
    if auto.stop_reason_ == "interrupted":
        print(
            "The search was interrupted (Ctrl-C); the model holds the best "
            "candidates found so far."
        )


def _scoring(args):
    """``--scoring``, or its deprecated old name ``--metric`` (with a warning)."""
    if args.metric is None:
        return args.scoring
    if args.scoring is not None:
        raise ValueError(
            f"Got both --scoring {args.scoring} and --metric {args.metric}; --metric "
            "is the deprecated name of --scoring: pass --scoring only."
        )
    warnings.warn(
        "--metric was renamed to --scoring in 0.1 and will be removed in 0.2; "
        f"pass --scoring {args.metric} instead.",
        FutureWarning,
        stacklevel=2,
    )
    return args.metric


def run(args):
    from autodl import AutoClassifier, AutoRegressor
    from autodl.cli._modelfile import is_model_file, save_model
    from autodl.cli._output import prepare
    from autodl.datasets import load_csv
    from autodl.utils import is_report, resolve_task

    scoring = _scoring(args)  # before the data is read: a wrong flag fails fast
    fmt = resolve_format(args.format, args.out)
    out = args.out or f"model.{fmt}"
    # every output is checked before the (long) search, never after
    prepare(out, args, what="model file", owned=is_model_file, inputs=[args.data])
    if args.report:
        prepare(
            args.report,
            args,
            what="report",
            owned=is_report,
            inputs=[args.data, out],
            option="--report",
        )
    X, y = load_csv(args.data, args.target, **read_options(args))
    if args.id_column is not None:
        if args.id_column not in X.columns:
            raise ValueError(
                f"--id-column {args.id_column!r} is not in {args.data}; its columns "
                f"are {[str(c) for c in X.columns] + [args.target]}."
            )
        X = X.drop(columns=[args.id_column])
    if X.shape[1] == 0:
        raise ValueError(f"{args.data} has no feature columns besides the target.")
    values = y.unique()
    if len(values) < 2:
        raise ValueError(
            f"Target column {args.target!r} in {args.data} holds a single value "
            f"({values[0]!r}) in all {len(y)} rows: there is nothing to learn. Check "
            "--target, or that the file holds every class."
        )
    task = resolve_task(y, args.task)
    X = _drop_suspects(X, y, args, task)
    if X.shape[1] == 0:
        raise ValueError(f"{args.data} has no feature columns left.")
    Auto = AutoRegressor if task == "regression" else AutoClassifier
    budget = args.time_budget
    if budget is None:
        budget = None if args.max_trials is not None else 60.0
    limits = [f"{budget:g} s"] if budget is not None else []
    if args.max_trials is not None:
        limits.append(f"{args.max_trials} trial{'s' * (args.max_trials != 1)}")
    if not args.quiet:  # progress goes to standard error; stdout gets the results
        print(
            f"autodl fit: {_name(args.data)}: {X.shape[0]} rows x {X.shape[1]} "
            f"features, target {args.target!r} ({task}); {Auto.__name__} for "
            f"{' or '.join(limits)}.",
            file=sys.stderr,
            flush=True,
        )
    auto = Auto(
        time_budget=budget,
        max_trials=args.max_trials,
        scoring=scoring,
        n_jobs=args.n_jobs,
        random_state=args.seed,
        # progress bars only where someone watches them
        verbose=0 if args.quiet or not sys.stderr.isatty() else 1,
    ).fit(X, y)
    # the model first: a closed output (autodl fit ... | head) never loses a fit
    path = save_model(  # atomic, in either format (a fallback path if it fails)
        out,
        auto,
        fmt=fmt,
        target=args.target,
        features=X.columns,
        id_column=args.id_column,
        task=task,
    )
    if fmt == "joblib":
        warnings.warn(PICKLE_WARNING.format(path=path, what="a"), stacklevel=2)
    report = None
    if args.report:
        from autodl.cli._report import write

        report = write(auto, args.report)  # atomic, like the model file
    if args.quiet:
        return 0
    print_leaderboard(auto.leaderboard_, auto.scoring_)
    print_final_model(auto)
    print(f"Model written to {path}.")
    if report is not None:
        print(f"Report written to {report}.", flush=True)
    return 0


def _name(data):
    return "standard input" if data == "-" else data
