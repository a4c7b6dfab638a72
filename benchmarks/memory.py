"""Peak memory of AutoClassifier on 100,000 x 100 (target: under 4 GB).

Each budget runs in a fresh child process; this script samples the memory of the
child's whole process tree (the child and every descendant: the joblib / loky
workers that run the fits are separate processes) every ``--interval`` seconds
from outside, so the sampling takes nothing from the fit:

- RSS summed over the tree: pages shared between processes (the memory-mapped
  training data every worker reads, shared libraries) count once per process, so
  this overstates the memory in use; it is the figure held against the target;
- PSS summed over the tree: shared pages are split between the processes that map
  them, so the sum is the memory the tree takes (Linux only);
- plus the files joblib memory-maps in ``/dev/shm`` (RAM, but not in any process's
  PSS until a worker maps them).

It uses psutil when installed and reads ``/proc`` (Linux) otherwise; tracemalloc
would see only one process's Python allocations. The synthetic data is
``make_classification(rows, features, n_informative=20, seed 0)`` in float64.

    python benchmarks/memory.py                        # budgets 60 and 300 s
    python benchmarks/memory.py --budgets 60 --rows 100000 --features 100
    python benchmarks/memory.py --budgets 300 --include random_forest extra_trees \
        --out memory_forests.md             # a search over the forests alone
    python benchmarks/memory.py --budgets 0 --refit random_forest extra_trees \
        xgboost hist_gradient_boosting --out memory_refit.md   # refit, worst case

A short budget refits cheap models on all rows; a long one lets the forests and
boosted trees into the final ensemble, which is where memory goes. Writes
benchmarks/results/memory.md.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from _common import machine_line, markdown_table, write_result  # noqa: E402

GB = 1024**3
TARGET_GB = 4.0


def _shm_bytes():
    """Bytes of joblib's memory-mapping folders in /dev/shm (RAM-backed files)."""
    total = 0
    for folder in Path("/dev/shm").glob("joblib_memmapping_folder_*"):
        for path in folder.rglob("*"):
            try:
                total += path.stat().st_size if path.is_file() else 0
            except OSError:
                pass
    return total


def _tree_psutil(root):
    import psutil

    try:
        top = psutil.Process(root)
        procs = [top, *top.children(recursive=True)]
    except psutil.NoSuchProcess:
        return None
    rss = pss = main = 0
    for proc in procs:
        try:
            info = proc.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        if proc.pid == root:
            main = info.rss
    return rss, pss, main, len(procs)


def _tree_proc(root):
    """The same from /proc: descendants by parent pid, sizes from smaps_rollup."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    rss = pss = main = 0
    for pid in tree:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        sizes = {
            line.split(":")[0]: int(line.split()[1]) * 1024
            for line in text.splitlines()[1:]
            if line.endswith("kB")
        }
        rss += sizes.get("Rss", 0)
        pss += sizes.get("Pss", 0)
        if pid == root:
            main = sizes.get("Rss", 0)
    return rss, pss, main, len(tree)


try:
    import psutil  # noqa: F401

    tree_memory = _tree_psutil
except ImportError:
    tree_memory = _tree_proc


def child(args):
    """Make the data and fit AutoClassifier; write timings and the result as JSON."""
    from sklearn.datasets import make_classification

    from autodl import AutoClassifier

    X, y = make_classification(
        n_samples=args.rows,
        n_features=args.features,
        n_informative=min(20, args.features // 2),
        random_state=args.seed,
    )
    time.sleep(1.0)  # a few samples of the data alone
    fit_start = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if args.refit:
            members, scored, stop = refit_only(args, X, y), 0, None
        else:
            auto = AutoClassifier(
                time_budget=args.budgets[0],
                n_jobs=args.n_jobs,
                random_state=args.seed,
                include=args.include,
                verbose=0,
            ).fit(X, y)
            members = list(auto.ensemble_weights_)
            scored = int((auto.leaderboard_["status"] == "ok").sum())
            stop = auto.stop_reason_
    fit_end = time.time()
    Path(args.child).write_text(
        json.dumps(
            {
                "fit_start": fit_start,
                "fit_end": fit_end,
                "data_mb": X.nbytes / 1e6,
                "members": members,
                "scored": scored,
                "stop_reason": stop,
            }
        )
    )


def refit_only(args, X, y):
    """AutoClassifier's last phase alone: refit these zoo models on all rows.

    The members are the zoo's default pipelines with equal weights, refit as
    ``AutoClassifier`` refits its ensemble (a soft ``VotingClassifier`` with
    ``n_jobs``): the worst case for memory, every member fitted on every row at once.
    """
    from autodl import AutoClassifier
    from autodl.automl._auto import _candidate
    from autodl.spotcheck import default_models

    specs = [
        s
        for s in default_models("binary", len(y), random_state=args.seed)
        if s.name in args.refit
    ]
    members = [(s.name, _candidate(s, "auto")[0], 1 / len(specs)) for s in specs]
    auto = AutoClassifier(n_jobs=args.n_jobs, random_state=args.seed)
    auto.task_ = "binary"
    auto._refit(members, X, y)
    return [name for name, _, _ in members]


def measure(args, budget):
    """Run one budget in a child process and sample its tree until it exits."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable,
            __file__,
            "--child",
            str(out),
            "--budgets",
            str(budget),
            "--rows",
            str(args.rows),
            "--features",
            str(args.features),
            "--n-jobs",
            str(args.n_jobs),
            "--seed",
            str(args.seed),
        ]
        if args.include:
            command += ["--include", *args.include]
        if args.refit:
            command += ["--refit", *args.refit]
        load = os.getloadavg()[0]
        proc = subprocess.Popen(command)
        samples = []
        while proc.poll() is None:
            now = time.time()
            sizes = tree_memory(proc.pid)
            if sizes is not None:
                rss, pss, main, n_procs = sizes
                samples.append(
                    {
                        "time": now,
                        "rss": rss,
                        "pss": pss,
                        "main_rss": main,
                        "shm": _shm_bytes(),
                        "processes": n_procs,
                    }
                )
            time.sleep(args.interval)
        if proc.returncode != 0:
            raise RuntimeError(f"the child run failed (exit {proc.returncode})")
        result = json.loads(out.read_text())
    samples = pd.DataFrame(samples)
    before = samples[samples["time"] < result["fit_start"]]
    fit = samples[samples["time"] >= result["fit_start"]]
    peak = fit.loc[fit["rss"].idxmax()]
    return {
        "budget (s)": budget,
        "fit (s)": result["fit_end"] - result["fit_start"],
        "peak tree RSS (GB)": peak["rss"] / GB,
        "peak tree PSS (GB)": fit["pss"].max() / GB,
        "peak PSS + /dev/shm (GB)": (fit["pss"] + fit["shm"]).max() / GB,
        "peak main process RSS (GB)": fit["main_rss"].max() / GB,
        "peak at (s into fit)": peak["time"] - result["fit_start"],
        "processes": int(fit["processes"].max()),
        "data made, before fit: RSS (GB)": before["rss"].max() / GB,
        "under 4 GB": "yes" if peak["rss"] / GB < TARGET_GB else "NO",
        "final model": ", ".join(result["members"]),
        "candidates scored": result["scored"],
        "load (1 min)": load,
        "_samples": len(fit),
        "_data_mb": result["data_mb"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--budgets", type=float, nargs="*", default=[60, 300])
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--include",
        nargs="*",
        default=None,
        help="zoo models to search (AutoClassifier's include); default: all",
    )
    parser.add_argument(
        "--refit",
        nargs="*",
        default=None,
        help="skip the search: only refit an ensemble of these zoo models on all "
        "rows, as AutoClassifier's last phase does",
    )
    parser.add_argument("--out", default="memory.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)

    rows = []
    for budget in args.budgets:
        row = measure(args, budget)
        rows.append(row)
        print({k: v for k, v in row.items() if not k.startswith("_")}, flush=True)
    table = pd.DataFrame(rows)
    worst = table["peak tree RSS (GB)"].max()
    text = "\n".join(
        [
            f"# Peak memory: AutoClassifier on {args.rows:,} x {args.features}",
            "",
            (
                f"Only the final refit of an ensemble of {', '.join(args.refit)} on "
                "all rows (no search; `budget` unused); "
                if args.refit
                else f"Zoo: {', '.join(args.include or ['all models'])}; "
            )
            + f"n_jobs={args.n_jobs}, random_state={args.seed}; the data is float64 "
            f"({table['_data_mb'].iloc[0]:.0f} MB). Each budget in a fresh process; "
            f"its process tree sampled every {args.interval:g} s from outside. RSS "
            "sums count shared pages once per process (an upper bound); PSS splits "
            "them. `load` is the 1-minute load average before the run.",
            "",
            markdown_table(
                table.drop(columns=[c for c in table if c.startswith("_")]),
                floatfmt=".2f",
            ),
            "",
            f"Highest peak RSS of the process tree: {worst:.2f} GB, "
            f"{'under' if worst < TARGET_GB else 'OVER'} the {TARGET_GB:g} GB target.",
            "",
            machine_line(),
        ]
    )
    print("\n" + text)
    path = write_result(args.out, text)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
