"""``autodl demo``: AutoClassifier / AutoRegressor on the embedded demo data."""

HELP = "run the AutoML search on the embedded demo data and print the leaderboard"


def add_parser(sub, name):
    from autodl.datasets import DEMO_DATASETS

    parser = sub.add_parser(name, help=HELP, description=HELP[0].upper() + HELP[1:])
    parser.add_argument(
        "--dataset",
        default="breast_cancer",
        choices=sorted(DEMO_DATASETS),
        help="demo dataset shipped with scikit-learn (default: %(default)s)",
    )
    parser.add_argument(
        "--time-budget",
        type=float,
        default=30,
        help="seconds for the whole search (default: %(default)s)",
    )
    parser.add_argument(
        "--cv", type=int, default=5, help="folds (default: %(default)s)"
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=-1,
        help="parallel fits through joblib; -1 uses all cores (default: %(default)s)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed (default: %(default)s)"
    )
    parser.add_argument(
        "--top",
        type=int,
        default=10,
        help="leaderboard rows shown (default: %(default)s)",
    )
    parser.add_argument(
        "--out-dir",
        default="autodl-demo",
        help="where the model and predictions go (default: %(default)s)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace files in --out-dir even if autodl did not write them",
    )
    return parser


def run(args):
    from pathlib import Path

    from sklearn.metrics import check_scoring
    from sklearn.model_selection import train_test_split

    from autodl import AutoClassifier, AutoRegressor
    from autodl.cli._fit import print_final_model, print_leaderboard
    from autodl.datasets import DEMO_DATASETS, load_demo

    if args.cv < 2:
        raise ValueError(
            f"--cv {args.cv} is too small; cross-validation needs at least 2 folds."
        )
    _check_outputs(Path(args.out_dir), args)
    X, y = load_demo(args.dataset)
    task = DEMO_DATASETS[args.dataset][1]
    regression = task == "regression"
    X_train, X_test, y_train, y_test = train_test_split(
        X,
        y,
        test_size=0.25,
        random_state=args.seed,
        stratify=None if regression else y,
    )
    Auto = AutoRegressor if regression else AutoClassifier
    print(
        f"autodl demo: {args.dataset} ({X.shape[0]} rows x {X.shape[1]} features, "
        f"{task}). {Auto.__name__} searches {len(X_train)} training rows for "
        f"{args.time_budget:g} s with {args.cv}-fold cross-validation; "
        f"{len(X_test)} rows are held out.",
        flush=True,
    )
    auto = Auto(
        time_budget=args.time_budget,
        cv=args.cv,
        n_jobs=args.n_jobs,
        random_state=args.seed,
        verbose=1,
    ).fit(X_train, y_train)
    print()
    print_leaderboard(auto.leaderboard_, auto.scoring_, top=args.top)
    print_final_model(auto)
    held_out = check_scoring(auto, auto.scoring_)(auto, X_test, y_test)
    print(f"Held-out {auto.scoring_}: {held_out:.4f}.")
    print("\n" + write_files(auto, X_train, X_test, y_test, Path(args.out_dir)))
    return 0


_PREDICTIONS_HEADER = ["row", "target", "predicted"]


def _check_outputs(out_dir, args):
    from autodl.cli._modelfile import is_model_file
    from autodl.cli._output import prepare
    from autodl.utils import csv_header_is, is_report

    for name, what, owned in [
        ("model.skops", "model file", is_model_file),
        (
            "predictions.csv",
            "CSV of demo predictions",
            lambda p: csv_header_is(p, _PREDICTIONS_HEADER),
        ),
        ("report.html", "report", is_report),
    ]:
        prepare(out_dir / name, args, what=what, owned=owned, option="--out-dir")


def write_files(auto, X_train, X_test, y_test, out_dir):
    """Save what a user would: the model file, held-out predictions, the report."""
    import pandas as pd

    from autodl.cli._modelfile import save_model
    from autodl.cli._output import write

    model = save_model(
        out_dir / "model.skops",
        auto,
        fmt="skops",
        target="target",
        features=X_train.columns,
        task=auto.task_,
    )
    predictions = out_dir / "predictions.csv"
    table = pd.DataFrame(
        dict(
            zip(
                _PREDICTIONS_HEADER,
                [X_test.index, y_test.to_numpy(), auto.predict(X_test)],
                strict=True,
            )
        )
    )
    write(predictions, lambda tmp: table.to_csv(tmp, index=False))
    from autodl.cli._report import write

    report = write(
        auto, out_dir / "report.html", X_test, y_test, title="autodl demo report"
    )
    lines = [
        f"Files written to {out_dir}/:",
        f"  {model.name}        the fitted model (autodl predict / leaderboard)",
        f"  {predictions.name}   held-out rows: true and predicted target",
        f"  {report.name}       leaderboard, plots on the held-out rows",
    ]
    return "\n".join(lines)
