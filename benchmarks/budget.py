"""Time-budget adherence of AutoClassifier / AutoRegressor: wall time over budget.

Every dev dataset is fitted whole (labels re-coded to 0..K-1) by AutoClassifier or
AutoRegressor at each budget in ``--budgets``, with ``random_state=0`` and
``n_jobs=-1``. The table gives the wall time of ``fit``, its ratio to the budget,
the documented bound (1.1 x budget + 2 s), why the search stopped, how many
candidates it scored and how many models the final ensemble has.

    python benchmarks/budget.py                                  # 8 x 3 fits, ~16 min
    python benchmarks/budget.py --budgets 10 30 --datasets churn yeast
    python benchmarks/budget.py --long-datasets churn satimage 197_cpu_act

``--long-datasets`` runs the budgets of 60 s and more on those datasets only (all by
default). The 1-minute load average is recorded before every fit: other processes
on the machine slow the fits down, not the clock. Writes benchmarks/results/budget.md.
"""

import argparse
import os
import sys
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pandas as pd
from sklearn.preprocessing import LabelEncoder

sys.path.insert(0, os.path.dirname(__file__))
from _common import DEFAULT_DATA_DIR, machine_line, markdown_table, write_result  # noqa: E402
from predictive import DATASETS  # noqa: E402

from autodl import AutoClassifier, AutoRegressor  # noqa: E402
from autodl.datasets import load_csv  # noqa: E402


def load():
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--budgets", type=float, nargs="*", default=[10, 30, 60])
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument(
        "--long-datasets",
        nargs="*",
        default=None,
        help="run budgets of 60 s and more on these datasets only (default: all)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--out", default="budget.md")
    args = parser.parse_args(argv)
    unknown = (set(args.datasets) | set(args.long_datasets or ())) - set(DATASETS)
    if unknown:
        parser.error(f"unknown datasets {sorted(unknown)}; use {list(DATASETS)}")

    rows = []
    for name in args.datasets:
        task = DATASETS[name]
        X, y = load_csv(os.path.join(args.data_dir, f"{name}.csv.gz"), "target")
        if task != "regression":
            y = pd.Series(LabelEncoder().fit_transform(y), name="target")
        Auto = AutoRegressor if task == "regression" else AutoClassifier
        for budget in args.budgets:
            if budget >= 60 and args.long_datasets is not None:
                if name not in args.long_datasets:
                    continue
            before = load()
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                auto = Auto(
                    time_budget=budget,
                    random_state=args.seed,
                    n_jobs=args.n_jobs,
                    verbose=0,
                ).fit(X, y)
            wall = time.perf_counter() - start
            board = auto.leaderboard_
            row = {
                "dataset": name,
                "rows x cols": f"{X.shape[0]:,} x {X.shape[1]}",
                "budget (s)": budget,
                "wall (s)": wall,
                "wall / budget": wall / budget,
                "within 1.1 x budget + 2 s": "yes"
                if wall <= 1.1 * budget + 2
                else "NO",
                "stop": auto.stop_reason_ or "-",
                "candidates scored": int((board["status"] == "ok").sum()),
                "ensemble size": len(auto.ensemble_weights_),
                "load (1 min)": before,
            }
            rows.append(row)
            print(
                {
                    k: (round(v, 3) if isinstance(v, float) else v)
                    for k, v in row.items()
                },
                flush=True,
            )

    table = pd.DataFrame(rows)
    summary = []
    for budget, group in table.groupby("budget (s)"):
        ratio = group["wall / budget"]
        summary.append(
            f"- budget {budget:g} s, {len(group)} datasets: wall / budget median "
            f"{ratio.median():.2f}, max {ratio.max():.2f} "
            f"({group.loc[ratio.idxmax(), 'dataset']}); within 1.1 x budget + 2 s "
            f"on {int((group['within 1.1 x budget + 2 s'] == 'yes').sum())} of "
            f"{len(group)}."
        )
    text = "\n".join(
        [
            f"# Time-budget adherence, seed {args.seed}, n_jobs={args.n_jobs}",
            "",
            "Each dataset fitted whole; `stop` is `stop_reason_` (`time_budget`: the "
            "search ran out of time or left candidates out as too slow for the time "
            "left, `-`: every phase finished); `candidates scored` counts the "
            "leaderboard's rows validated on every fold of the search's validation "
            "(`status` ok); `load` is the 1-minute load average before the fit.",
            "",
            markdown_table(table, floatfmt=".2f"),
            "",
            *summary,
            "",
            machine_line(),
        ]
    )
    print("\n" + text)
    path = write_result(args.out, text)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
