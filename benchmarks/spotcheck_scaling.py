"""SpotCheck wall time: n_jobs=1 against n_jobs=-1, and over 1k, 10k and 100k rows.

A synthetic binary problem (``make_classification``: 20 features, 10 informative,
seed 0) is spot-checked with the default zoo behind one view (standardized), on
``--cv`` folds (3 by default, to keep the run short). For every run the table gives
the wall time, the fit time summed over all folds (the work, whatever the number of
cores), and the models that take most of it; a second table gives every model's fit
time per fold at each size, which is how cost grows with data.

    python benchmarks/spotcheck_scaling.py                 # a few minutes on 2 cores
    python benchmarks/spotcheck_scaling.py --full          # the whole zoo at 100k too

By default the 100k-row run leaves out ``--skip-large`` (random_forest: 300 fully
grown trees, the most expensive model at 10k rows, would take several minutes a
fold on 2 cores); ``--full`` keeps it. The SVM is never in the zoo above 5,000 rows
(``default_models``). Fit times are fit only; scoring a fold is in the wall time.
Writes benchmarks/results/spotcheck_scaling.md.
"""

import argparse
import os
import sys
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pandas as pd
from joblib import effective_n_jobs
from sklearn.datasets import make_classification

sys.path.insert(0, os.path.dirname(__file__))
from _common import machine_line, markdown_table, write_result  # noqa: E402

from autodl.preprocessing import Rescaler  # noqa: E402
from autodl.spotcheck import SpotCheck, default_models  # noqa: E402


def load():
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def run(rows, n_jobs, cv, skip, seed):
    X, y = make_classification(
        n_samples=rows, n_features=20, n_informative=10, random_state=seed
    )
    models = [
        (s.name, s.estimator)
        for s in default_models("binary", n_samples=rows, random_state=seed)
        if s.name not in skip
    ]
    before = load()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spot = SpotCheck(
            models=models,
            views=[("standardized", Rescaler())],
            cv=cv,
            n_jobs=n_jobs,
            random_state=seed,
            refit=False,
        ).fit(X, y)
    wall = time.perf_counter() - start
    board = spot.leaderboard_
    per_model = (
        board.set_index("model")["fit_time"] * board.set_index("model")["n_folds"]
    ).sort_values(ascending=False)
    total = float(per_model.sum())
    top = ", ".join(
        f"{name} {100 * t / total:.0f}%" for name, t in per_model.head(3).items()
    )
    return {
        "rows": rows,
        "n_jobs": n_jobs,
        "workers": effective_n_jobs(n_jobs),
        "models": len(models),
        "fits": len(models) * cv,
        "wall (s)": wall,
        "fit time, all folds (s)": total,
        "fit time / wall": total / wall,
        "most fit time": top,
        "best": f"{board['model'].iloc[0]} {board['mean_score'].iloc[0]:.4f}",
        "load (1 min)": f"{before:.1f} -> {load():.1f}",
    }, board.set_index("model")["fit_time"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000, 10_000, 100_000])
    parser.add_argument(
        "--serial-rows",
        type=int,
        nargs="*",
        default=[1_000, 10_000],
        help="sizes also run with n_jobs=1 (default 1000 10000)",
    )
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--skip-large",
        nargs="*",
        default=["random_forest"],
        help="models left out at 100k rows and more (default random_forest)",
    )
    parser.add_argument("--full", action="store_true", help="the whole zoo everywhere")
    parser.add_argument("--out", default="spotcheck_scaling.md")
    args = parser.parse_args(argv)

    # start the worker processes (and their imports) before any timing
    start = time.perf_counter()
    run(200, -1, args.cv, [], args.seed)
    warm_up = time.perf_counter() - start
    runs, fold_times = [], {}
    plan = [(rows, 1) for rows in args.serial_rows] + [(rows, -1) for rows in args.rows]
    for rows, n_jobs in sorted(plan, key=lambda p: (p[0], -p[1])):
        skip = [] if args.full or rows < 100_000 else args.skip_large
        row, times = run(rows, n_jobs, args.cv, skip, args.seed)
        runs.append(row)
        if n_jobs == -1:
            fold_times[f"{rows:,} rows"] = times
        print(
            {k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()},
            flush=True,
        )

    per_model = pd.DataFrame(fold_times)
    per_model = per_model.loc[per_model.max(axis=1).sort_values(ascending=False).index]
    sizes = list(per_model.columns)
    for a, b in zip(sizes, sizes[1:], strict=False):
        per_model[f"x ({b.split()[0]} / {a.split()[0]})"] = per_model[b] / per_model[a]
    per_model = per_model.reset_index().rename(columns={"index": "model"})
    skipped = (
        ""
        if args.full
        else (
            f" At 100k rows and more, {', '.join(args.skip_large)} is left out "
            "(--full keeps it)."
        )
    )
    text = "\n".join(
        [
            "# SpotCheck scaling",
            "",
            f"Synthetic binary problem (make_classification, 20 features, 10 "
            f"informative, seed {args.seed}); the default zoo behind one view "
            f"(standardized), {args.cv}-fold CV, refit=False. The SVM is only in the "
            f"zoo up to 5,000 rows.{skipped} `fit time, all folds` is the fit time "
            "summed over every fold (the work); `fit time / wall` above 1 is "
            "parallel speed-up. `load` is the 1-minute load average before -> after "
            "the run (other processes share these cores). The worker processes were "
            f"started before the timings (a 200-row warm-up run: {warm_up:.1f} s, "
            "most of it each worker importing torch, xgboost and scikit-learn).",
            "",
            markdown_table(pd.DataFrame(runs), floatfmt=".2f"),
            "",
            "Fit time per fold (seconds, mean over folds, n_jobs=-1 runs) and how it "
            "grows with rows. Fit only: kNN's cost is in predicting the held-out "
            "fold (scoring), which is in the wall time but not here.",
            "",
            markdown_table(per_model, floatfmt=".3f"),
            "",
            machine_line(),
        ]
    )
    print("\n" + text)
    path = write_result(args.out, text)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
