"""Default nets against default boosted trees: one process per model, one split.

Every model is fitted with its defaults on the same split of each dataset
(``train_test_split(test_size=0.25, random_state=seed)``, seed 0 unless
``--seed`` says otherwise, stratified for classification) in its own
subprocess, so no model inherits another's threads, caches or imports. Scores:
ROC AUC (binary), balanced accuracy (multiclass), R2 (regression), each dataset's
task as its suite's table declares it (the ordinal 1028_SWD and 1029_LEV are
regression). String columns become integer codes (the same input for every
model); nothing else is done to the data: autodl's net gets raw columns, no
scaler in front. Fit seconds time the fit alone: every process
makes its imports first, torch's one-time import of ``torch._dynamo`` included (see
``_warm_up``).

Models: autodl's ``MLPClassifier`` / ``MLPRegressor`` defaults, pytabkit's
``RealMLP_TD_*`` and ``TabM_D_*`` (run with ``--peers-python``, an interpreter
whose environment has pytabkit; skipped with a note when there is none),
scikit-learn's ``HistGradientBoosting*`` and LightGBM defaults. On request
(``--models``), ``autodl_mlp_single``: autodl's net with ``n_seeds=1`` (one net,
the default before two nets averaged became it), and ``autodl_mlp_seeds2_128``: the
default two nets with two hidden layers of 128 units. (The ``nets_*_seeds2*``
results were run before ``n_seeds`` existed, with the nets as
``SeedEnsemble(MLP*(random_state=0), n_estimators=2, random_state=0)``, under the
names ``autodl_mlp_seeds2`` and ``autodl_mlp_seeds2_128``.)

    python benchmarks/nets.py --suite meta                   # meta sets <= 20,000 rows
    python benchmarks/nets.py --suite dev --datasets phoneme,yeast
    python benchmarks/nets.py --data-dir /path/to/csvs --models autodl_mlp,hgb
    python benchmarks/nets.py --suite dev --seed 1    # another split: nets_dev_seed1

Prints one line per fit (score, fit seconds), then a table with mean ranks and
the load average, and writes it to benchmarks/results/nets_<suite>.md
(``nets_<suite>_seed<N>.md`` for a split seed other than 0).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

MAX_ROWS = 20_000
DEFAULT_PEERS = Path("/work/.venv-peers/bin/python")
MODELS = ("autodl_mlp", "realmlp_td", "tabm_d", "hgb", "lightgbm")
# on request (--models): autodl's net with these parameters
EXTRA_MODELS = {
    "autodl_mlp_single": {"n_seeds": 1},
    "autodl_mlp_seeds2_128": {"hidden_layer_sizes": (128, 128)},
}
PYTABKIT = {"realmlp_td": "RealMLP_TD", "tabm_d": "TabM_D"}


# ------------------------------------------------------------------ the worker
def _load(path):
    import numpy as np
    import pandas as pd

    frame = pd.read_csv(path)
    y = frame.pop("target").to_numpy()
    for col in frame.columns:  # string columns: integer codes, for every model
        if not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].astype("category").cat.codes
    X = frame.to_numpy(dtype=np.float32)
    return X, y


def task_of(path, y):
    """ "binary", "multiclass" or "regression": as the suite's table declares it
    (an ordinal target of a few values is regression there), else from ``y`` (a
    target with many values is regression)."""
    import numpy as np
    from _common import declared_tasks

    name = Path(path).name.removesuffix(".csv.gz")
    declared = declared_tasks(Path(path).parent).get(name)
    if declared:
        return declared

    values = np.unique(y)
    if y.dtype.kind == "f" and len(values) > 20:
        return "regression"
    if y.dtype.kind in "iub" and len(values) > 20:
        return "regression"
    return "binary" if len(values) == 2 else "multiclass"


def _estimator(model, task):
    classify = task != "regression"
    if model == "autodl_mlp" or model in EXTRA_MODELS:
        from autodl.neural import MLPClassifier, MLPRegressor

        params = EXTRA_MODELS.get(model, {})
        return (MLPClassifier if classify else MLPRegressor)(random_state=0, **params)
    if model in PYTABKIT:
        import pytabkit

        kind = "Classifier" if classify else "Regressor"
        return getattr(pytabkit, f"{PYTABKIT[model]}_{kind}")(random_state=0)
    if model == "hgb":
        from sklearn.ensemble import (
            HistGradientBoostingClassifier,
            HistGradientBoostingRegressor,
        )

        cls = (
            HistGradientBoostingClassifier
            if classify
            else HistGradientBoostingRegressor
        )
        return cls(random_state=0)
    from lightgbm import LGBMClassifier, LGBMRegressor

    return (LGBMClassifier if classify else LGBMRegressor)(random_state=0, verbose=-1)


def _warm_up():
    """Pay torch's one-time imports before the clock starts, for every model.

    A torch optimiser imports ``torch._dynamo`` (about 1 s) the first time one is
    built in a process. pytabkit imports it with itself, before the clock; autodl
    imports it in its first fit. Importing it here times the fit alone, the same
    for every model, as it is for every fit after a process's first one.
    """
    try:
        import torch._dynamo  # noqa: F401
    except ImportError:  # no torch in this environment: nothing to warm
        pass


def worker(path, model, seed="0"):
    """Fit ``model`` on the split of ``path`` drawn with ``seed``; print one JSON
    line."""
    from sklearn.model_selection import train_test_split

    X, y = _load(path)
    task = task_of(path, y)
    X_train, X_test, y_train, y_test = train_test_split(
        X,
        y,
        test_size=0.25,
        random_state=int(seed),
        stratify=None if task == "regression" else y,
    )
    estimator = _estimator(model, task)
    _warm_up()
    start = time.perf_counter()
    estimator.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    score = score_of(estimator, task, X_test, y_test)
    print(json.dumps({"task": task, "score": score, "fit_s": seconds}))


def score_of(estimator, task, X_test, y_test):
    """ROC AUC (binary), balanced accuracy (multiclass) or R2 (regression)."""
    from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score

    if task == "regression":
        return float(r2_score(y_test, estimator.predict(X_test)))
    if task == "binary":
        return float(roc_auc_score(y_test, estimator.predict_proba(X_test)[:, 1]))
    return float(balanced_accuracy_score(y_test, estimator.predict(X_test)))


# ------------------------------------------------------------------ the driver
def _datasets(args):
    from _common import DEFAULT_DATA_DIR

    base = Path(args.data_dir) if args.data_dir else DEFAULT_DATA_DIR
    folder = base / "meta" if args.suite == "meta" and not args.data_dir else base
    files = sorted(folder.glob("*.csv.gz"))
    if args.datasets:
        wanted = args.datasets.split(",")
        files = [f for f in files if f.name.removesuffix(".csv.gz") in wanted]
        missing = set(wanted) - {f.name.removesuffix(".csv.gz") for f in files}
        if missing:
            sys.exit(f"no such dataset in {folder}: {sorted(missing)}")
    out = []
    for path in files:
        with os.popen(f"zcat '{path}' | wc -l") as pipe:
            rows = int(pipe.read().strip() or 0) - 1
        if rows > MAX_ROWS:
            print(f"skip {path.name}: {rows} rows > {MAX_ROWS}", flush=True)
            continue
        out.append(path)
    return out


def _peers_python(args):
    """The interpreter with pytabkit, or None (with the reason)."""
    python = Path(args.peers_python) if args.peers_python else DEFAULT_PEERS
    if not python.exists():
        return None, f"{python} not found"
    check = subprocess.run(
        [str(python), "-c", "import pytabkit"], capture_output=True, text=True
    )
    if check.returncode:
        return None, f"pytabkit does not import with {python}"
    return python, None


def run_one(python, path, model, timeout, seed=0):
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE.parent), env.get("PYTHONPATH", "")])
    try:
        done = subprocess.run(
            [str(python), __file__, "--worker", str(path), model, str(seed)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout}s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=("dev", "meta"), default="meta")
    parser.add_argument("--data-dir", help="folder of <name>.csv.gz files")
    parser.add_argument("--datasets", help="comma-separated names (default: all)")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--peers-python", help="interpreter with pytabkit")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per fit")
    parser.add_argument(
        "--seed", type=int, default=0, help="split seed (models keep seed 0)"
    )
    parser.add_argument(
        "--reuse",
        help="rows of an earlier run of the same --seed (its .json): keep their "
        "scores and timeouts, fit only what is missing or failed otherwise",
    )
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)

    import pandas as pd
    from _common import machine_line, markdown_table, write_result

    models = args.models.split(",")
    known = [*MODELS, *EXTRA_MODELS]
    unknown = set(models) - set(known)
    if unknown:
        sys.exit(f"unknown models {sorted(unknown)}; use some of {known}")
    earlier = {}
    if args.reuse:
        for row in json.loads(Path(args.reuse).read_text()):
            if "score" in row or "timeout" in row.get("error", ""):
                earlier[row["dataset"], row["model"]] = row
    peers, why = _peers_python(args)
    notes = []
    reused = {model for _, model in earlier}
    if peers is None and any(m in PYTABKIT and m not in reused for m in models):
        notes.append(f"pytabkit models skipped where no row is reused: {why}.")
        models = [m for m in models if m not in PYTABKIT or m in reused]
    rows = []
    for path in _datasets(args):
        name = path.name.removesuffix(".csv.gz")
        for model in models:
            python = peers if model in PYTABKIT else sys.executable
            if (name, model) in earlier:
                result = {
                    k: v
                    for k, v in earlier[name, model].items()
                    if k not in ("dataset", "model")
                }
            elif python is None:
                result = {"error": f"skipped: {why}"}
            else:
                result = run_one(python, path, model, args.timeout, args.seed)
            rows.append({"dataset": name, "model": model, **result})
            shown = (
                f"score {result['score']:.4f}  fit {result['fit_s']:.1f}s"
                if "score" in result
                else result["error"]
            )
            print(f"{name:28s} {model:12s} {shown}", flush=True)
    stem = f"nets_{args.suite}" + (f"_seed{args.seed}" if args.seed else "")
    write_result(f"{stem}.json", json.dumps(rows, indent=1))
    frame = pd.DataFrame(rows)
    if frame.empty or "score" not in frame:
        sys.exit("nothing was scored")
    scores = frame.pivot(index="dataset", columns="model", values="score")
    seconds = frame.pivot(index="dataset", columns="model", values="fit_s")
    ranks = scores.rank(axis=1, ascending=False)
    table = scores.round(4).astype(object)
    for model in scores.columns:
        table[model] = [
            f"{s:.4f} ({t:.1f}s)" if s == s else "—"
            for s, t in zip(scores[model], seconds[model], strict=True)
        ]
    summary = pd.DataFrame(
        {
            "model": scores.columns,
            "mean rank": ranks.mean().round(2).to_numpy(),
            "mean fit s": seconds.mean().round(2).to_numpy(),
        }
    ).sort_values("mean rank")
    pairs = []  # autodl's net against each other model, where both finished
    if "autodl_mlp" in scores:
        for model in scores.columns.drop("autodl_mlp"):
            both = scores[["autodl_mlp", model]].dropna()
            ratio = (seconds[model] / seconds["autodl_mlp"])[both.index]
            diff = both["autodl_mlp"] - both[model]
            pairs.append(
                {
                    "against": model,
                    "datasets": len(both),
                    "autodl wins": int((diff > 0).sum()),
                    "ties": int((diff == 0).sum()),
                    "losses": int((diff < 0).sum()),
                    "mean score difference": round(float(diff.mean()), 4),
                    "median fit-time ratio (model / autodl)": round(
                        float(ratio.median()), 2
                    ),
                }
            )
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    text = "\n\n".join(
        [
            f"# Default nets vs default boosted trees ({args.suite} suite)",
            f"Score (fit seconds) on the seed-{args.seed} 75/25 split; ROC AUC "
            "(binary), balanced accuracy (multiclass), R2 (regression).",
            markdown_table(table.reset_index()),
            markdown_table(summary),
            "Mean ranks count only the models that finished on a dataset (a "
            "timeout leaves a gap); head to head, where both finished:",
            markdown_table(pd.DataFrame(pairs)) if pairs else "",
            f"Load average at the end (1/5/15 min): {load}. " + machine_line(),
            *notes,
        ]
    )
    print(text)
    path = write_result(f"{stem}.md", text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
