"""Predictive performance of AutoClassifier / AutoRegressor next to peer AutoML tools.

Protocol. For every dataset: one fixed split, ``train_test_split(test_size=0.25,
random_state=0)``, stratified on the label for classification; class labels are
re-coded to 0..K-1. Every system is fitted on the 75 % part and scored on the 25 %
part: ROC AUC (binary), balanced accuracy (multiclass), R2 (regression).

Systems (``--systems``; one whose package is missing is skipped with a note):

- ``autodl``: ``AutoClassifier`` / ``AutoRegressor(time_budget=T, random_state=0,
  verbose=0)``, as a user runs it;
- ``autogluon``: ``TabularPredictor(label, problem_type, eval_metric, path=<temp
  dir>, verbosity=0).fit(train, time_limit=T)`` with its default preset (the
  problem type is given because AutoGluon would read 1028_SWD's four target values
  as classes);
- ``flaml``: ``flaml.AutoML().fit(X, y, task, time_budget=T, metric, seed=0,
  verbose=0)``, with a custom metric function for balanced accuracy;
- library defaults, no budget: ``lightgbm``, ``catboost``, ``hgb``
  (HistGradientBoosting) and ``xgboost``. String columns (credit-g) are ordinal
  codes for all of them but CatBoost, which takes them as ``cat_features``.

Isolation. Each (dataset, system) pair runs in a fresh child process of this
interpreter (``predictive.py --worker DATASET SYSTEM BUDGET``), in its own process
group and temporary working directory (AutoGluon's models, CatBoost's files), with
``OMP_NUM_THREADS=1`` and a hard timeout of max(3 T, T + 120) s. The child prints
one JSON line (score, fit seconds and, for autodl, ``fit_time_``); a crash or a
timeout is recorded as an error and the run goes on. ``--busy`` keeps a busy loop
pinned to core 0 for the whole run, to measure on a loaded machine.

Output: a markdown table (score per system, autodl's fit wall time / budget), the
mean rank of every system (rank per dataset, ties averaged, a failed fit ranked
last) and the two targets of issue 14: (a) autodl's mean rank is first and ahead
of AutoGluon's; (b) on every dataset autodl scores at least
max(lightgbm, catboost, hgb) - 0.002. Written, with the load averages before and
after, to ``benchmarks/results/predictive_<suite>_<T>s[_busy].md`` beside a
``.json`` of the raw results (``--from-json`` re-makes the table from it).

Peers are never autodl dependencies; install them in their own virtualenv as
``../shared/peers/README.md`` says (relative to the repository), then autodl into
it with ``pip install -c constraints.txt -e .``. Run with that interpreter, one
benchmark at a time on an otherwise idle machine:

    PY=../.venv-peers/bin/python
    $PY benchmarks/predictive.py --budget 10
    $PY benchmarks/predictive.py --budget 60
    $PY benchmarks/predictive.py --budget 300
    $PY benchmarks/predictive.py --suite meta --budget 60
    $PY benchmarks/predictive.py --busy --budget 30

A dataset takes about 3 T + 30 s (three budgeted systems, then the defaults), so
the dev suite about 8 min at 10 s, 30 min at 60 s and 2 h at 300 s; meta at 60 s
about 50 min; dev --busy at 30 s about 16 min.

``--datasets a,b`` picks datasets (``all``: the whole suite), ``--systems`` the
columns; the meta default is a subset of 14 of its 29 sets (see ``META_DEFAULT``).
``--seed S`` takes the split of ``random_state=S`` (and seeds every system with S).
``--peers-from OLD.json`` reports an earlier run's systems beside this run's (same
suite, budget, seed and load); ``--defaults-from OLD.json`` only its library
defaults, from a run of the same suite and seed at any budget or load (they take no
budget and a fixed seed, so their scores do not depend on either).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from importlib import import_module, metadata, util
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, os.path.dirname(__file__))
from _common import (  # noqa: E402
    DEFAULT_DATA_DIR,
    META_DATA_DIR,
    REPO,
    declared_tasks,
    machine_line,
    markdown_table,
    write_result,
)

# dev suite: name -> task, as in the datasets' README
DATASETS = {
    "churn": "binary",
    "credit-g": "binary",
    "phoneme": "binary",
    "satimage": "multiclass",
    "yeast": "multiclass",
    "1028_SWD": "regression",
    "197_cpu_act": "regression",
    "503_wind": "regression",
}
# meta suite (tasks read from its SUITE.md): 3 binary, 6 multiclass, 5 regression,
# from 462 to 58,000 rows, with the sets where trees are weak
META_DEFAULT = [
    "Hill_Valley_with_noise",
    "saheart",
    "ionosphere",
    "balance_scale",
    "vehicle",
    "vowel",
    "optdigits",
    "nursery",
    "shuttle",
    "522_pm10",
    "529_pollen",
    "1199_BNG_echoMonths",
    "215_2dplanes",
    "564_fried",
]
METRIC = {"binary": "roc_auc", "multiclass": "balanced_accuracy", "regression": "r2"}
# system -> the package it needs
SYSTEMS = {
    "autodl": "autodl",
    "autogluon": "autogluon.tabular",
    "flaml": "flaml",
    "lightgbm": "lightgbm",
    "catboost": "catboost",
    "hgb": "sklearn",
    "xgboost": "xgboost",
}
DEFAULTS = ["lightgbm", "catboost", "hgb"]  # target (b) is held against these
BUDGET_FREE = [*DEFAULTS, "xgboost"]  # library defaults: no budget, a fixed seed
TOLERANCE = 0.002
MARKER = "PREDICTIVE_RESULT "
BUSY_LOOP = "import os\nos.sched_setaffinity(0, {0})\nwhile True:\n    pass\n"


# --------------------------------------------------------------------- data
def suite_tasks(suite, data_dir):
    """Name -> task of every dataset of a suite."""
    if suite == "dev":
        return dict(DATASETS)
    return declared_tasks(data_dir)


def load_split(data_dir, name, task, seed):
    """The fixed 75/25 split of one dataset (labels re-coded to 0..K-1)."""
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import LabelEncoder

    X = pd.read_csv(Path(data_dir) / f"{name}.csv.gz")
    y = X.pop("target")
    if task != "regression":
        y = pd.Series(LabelEncoder().fit_transform(y), name="target")
    return train_test_split(
        X,
        y,
        test_size=0.25,
        random_state=seed,
        stratify=y if task != "regression" else None,
    )


def score(task, y_true, y_pred):
    """The suite's metric; ``y_pred`` is P(class 1) for binary tasks."""
    from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score

    if task == "binary":
        return float(roc_auc_score(y_true, y_pred))
    if task == "multiclass":
        return float(balanced_accuracy_score(y_true, y_pred))
    return float(r2_score(y_true, y_pred))


def predictions(task, model, X):
    """What ``score`` takes, from anything with predict / predict_proba."""
    import numpy as np

    if task == "binary":
        return np.asarray(model.predict_proba(X))[:, 1]
    return np.asarray(model.predict(X))


# ------------------------------------------------------------------ systems
def fit_autodl(task, X, y, budget, seed):
    from autodl import AutoClassifier, AutoRegressor

    Auto = AutoRegressor if task == "regression" else AutoClassifier
    return Auto(time_budget=budget, random_state=seed, verbose=0).fit(X, y)


def fit_autogluon(task, X, y, budget, seed):
    from autogluon.tabular import TabularPredictor

    # the worker's working directory is a temporary one, removed after the run
    predictor = TabularPredictor(
        label="target",
        problem_type=task,
        eval_metric=METRIC[task],
        path=tempfile.mkdtemp(prefix="autogluon-", dir="."),
        verbosity=0,
    )
    return predictor.fit(X.assign(target=y.to_numpy()), time_limit=budget)


def _flaml_balanced_accuracy(X_val, y_val, estimator, *args, **kwargs):
    """FLAML's custom-metric form: (value to minimise, values to log)."""
    from sklearn.metrics import balanced_accuracy_score

    value = balanced_accuracy_score(y_val, estimator.predict(X_val))
    return 1 - value, {"balanced_accuracy": value}


def fit_flaml(task, X, y, budget, seed):
    from flaml import AutoML

    metric = _flaml_balanced_accuracy if task == "multiclass" else METRIC[task]
    automl = AutoML()
    automl.fit(
        X,
        y,
        task="regression" if task == "regression" else "classification",
        time_budget=budget,
        metric=metric,
        seed=seed,
        verbose=0,
    )
    return automl


def _ordinal_strings(X, model):
    """``model`` after ordinal codes for the string columns (the rest unchanged)."""
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OrdinalEncoder

    strings = X.select_dtypes(exclude="number").columns.tolist()
    encode = make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), strings),
        remainder="passthrough",
    )
    return make_pipeline(encode, model)


def fit_lightgbm(task, X, y, budget, seed):
    from lightgbm import LGBMClassifier, LGBMRegressor

    Model = LGBMRegressor if task == "regression" else LGBMClassifier
    return _ordinal_strings(X, Model(random_state=seed, verbose=-1)).fit(X, y)


def fit_catboost(task, X, y, budget, seed):
    from catboost import CatBoostClassifier, CatBoostRegressor

    Model = CatBoostRegressor if task == "regression" else CatBoostClassifier
    strings = X.select_dtypes(exclude="number").columns.tolist()
    model = Model(
        random_seed=seed, verbose=0, allow_writing_files=False, cat_features=strings
    )
    return model.fit(X, y)


def fit_hgb(task, X, y, budget, seed):
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
    )

    Model = (
        HistGradientBoostingRegressor
        if task == "regression"
        else HistGradientBoostingClassifier
    )
    return _ordinal_strings(X, Model(random_state=seed)).fit(X, y)


def fit_xgboost(task, X, y, budget, seed):
    from xgboost import XGBClassifier, XGBRegressor

    Model = XGBRegressor if task == "regression" else XGBClassifier
    return _ordinal_strings(X, Model(random_state=seed)).fit(X, y)


FIT = {system: globals()[f"fit_{system}"] for system in SYSTEMS}


def autodl_extras(model):
    """What autodl says about its own fit (absent attributes are left out)."""
    fit_time = getattr(model, "fit_time_", None)
    extras = {"fit_time_": None if fit_time is None else float(fit_time)}
    try:
        board = model.leaderboard_
        extras["best"] = str(board["model"].iloc[0])
        # the best's validation ("5-fold x2": the finalists were confirmed)
        extras["validation"] = str(board["validation"].iloc[0])
        extras["n_candidates"] = int((board["status"] == "ok").sum())
    except Exception:  # the leaderboard's shape is not this script's business
        pass
    return extras


def preload(system):
    """Import what a fit needs before it is timed (a user's fit excludes imports)."""
    modules = [SYSTEMS[system], "sklearn.compose", "sklearn.ensemble"]
    if system == "autodl":
        modules.append("autodl.automl")
    for module in modules:
        import_module(module)


def worker(args):
    """Fit and score one system on one dataset; print the result as JSON."""
    name, system, budget = args.worker
    budget = float(budget)
    task = suite_tasks(args.suite, args.data_dir)[name]
    X_tr, X_te, y_tr, y_te = load_split(args.data_dir, name, task, args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        preload(system)
        start = time.perf_counter()
        model = FIT[system](task, X_tr, y_tr, budget, args.seed)
        fit_s = time.perf_counter() - start
        result = {"score": score(task, y_te, predictions(task, model, X_te))}
    result["fit_s"] = fit_s
    if system == "autodl":
        result.update(autodl_extras(model))
    print(MARKER + json.dumps(result), flush=True)


# ------------------------------------------------------------------- parent
def available(systems):
    """The systems whose package is installed here (a note for the others)."""
    kept = []
    for system in systems:
        try:
            found = util.find_spec(SYSTEMS[system]) is not None
        except ImportError:
            found = False
        if found:
            kept.append(system)
        else:
            print(
                f"{system}: package {SYSTEMS[system]} is not installed in "
                f"{sys.executable}, its column is left out "
                "(see ../shared/peers/README.md)."
            )
    return kept


def _tail(path, chars=600):
    text = Path(path).read_text(errors="replace") if Path(path).exists() else ""
    return text[-chars:].strip()


def run_one(name, task, system, args):
    """One (dataset, system) pair in a fresh process group; a result record."""
    timeout = max(3 * args.budget, args.budget + 120)
    workdir = Path(tempfile.mkdtemp(prefix=f"predictive-{system}-"))
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        name,
        system,
        str(args.budget),
        "--suite",
        args.suite,
        "--data-dir",
        str(Path(args.data_dir).resolve()),
        "--seed",
        str(args.seed),
    ]
    env = dict(os.environ, OMP_NUM_THREADS="1", TMPDIR=str(workdir))
    record = {"dataset": name, "task": task, "metric": METRIC[task], "system": system}
    start = time.perf_counter()
    with open(workdir / "stdout", "w") as out, open(workdir / "stderr", "w") as err:
        child = subprocess.Popen(
            command,
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            record["rc"] = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            record["rc"] = None
            record["error"] = f"timed out after {timeout:g} s"
        finally:
            try:  # also ends what the child left behind (workers, servers)
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            child.wait()
    record["wall_s"] = time.perf_counter() - start
    lines = (workdir / "stdout").read_text(errors="replace").splitlines()
    results = [line[len(MARKER) :] for line in lines if line.startswith(MARKER)]
    if results:
        record.update(json.loads(results[-1]))
    elif "error" not in record:
        tail = _tail(workdir / "stderr")
        last = tail.splitlines()[-1] if tail else "no output"
        record["error"] = f"exit code {record['rc']}: {last}"
        record["stderr_tail"] = tail
    shutil.rmtree(workdir, ignore_errors=True)
    return record


@contextmanager
def busy_core(enabled):
    """A busy loop pinned to core 0 while the block runs (when ``enabled``)."""
    if not enabled:
        yield
        return
    loop = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        yield
    finally:
        loop.kill()
        loop.wait()


def load_line(when):
    one, five, fifteen = os.getloadavg()
    loads = f"{one:.2f} / {five:.2f} / {fifteen:.2f}"
    return f"Load average {when} (1 / 5 / 15 min): {loads}"


def describe_environment():
    """The machine line, the peers' versions and the autodl commit."""
    try:
        machine = machine_line()
    except Exception as exc:  # autodl may be mid-rewrite; still say where we ran
        machine = f"Machine line unavailable ({type(exc).__name__}: {exc})."
    versions = []
    for package in ["autogluon.tabular", "flaml", "lightgbm", "catboost", "xgboost"]:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    git = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    )
    return {
        "machine": machine,
        "peers": "Peers: " + (", ".join(versions) or "none installed") + ".",
        "commit": git.stdout.strip() or "unknown",
    }


# ------------------------------------------------------------------ reports
def records_frame(records):
    """The raw results as a DataFrame with every column a report reads."""
    import pandas as pd

    columns = ["dataset", "system", "score", "fit_s", "best", "error"]
    frame = pd.DataFrame(records)
    return frame.reindex(columns=[*frame, *(c for c in columns if c not in frame)])


def score_table(records, systems):
    """Datasets x systems of scores (NaN where a fit failed)."""

    frame = records_frame(records)
    scores = frame.pivot(index="dataset", columns="system", values="score")
    order = list(dict.fromkeys(frame["dataset"]))
    return scores.reindex(index=order, columns=systems)


def mean_ranks(scores):
    """Mean over datasets of each system's rank (1 best, ties averaged, fails last)."""
    ranks = scores.fillna(float("-inf")).rank(axis=1, ascending=False)
    return ranks.mean()


def check_rank(ranks):
    """Target (a): autodl's mean rank is first and ahead of AutoGluon's."""
    if "autodl" not in ranks:
        return "- (a) not checked: autodl was not run."
    first = ranks["autodl"] <= ranks.min()
    ahead = "autogluon" not in ranks or ranks["autodl"] < ranks["autogluon"]
    verdict = "PASS" if first and ahead else "FAIL"
    versus = (
        f", AutoGluon {ranks['autogluon']:.2f}"
        if "autogluon" in ranks
        else " (AutoGluon not run)"
    )
    return (
        f"- (a) autodl's mean rank is first and ahead of AutoGluon: {verdict} "
        f"(autodl {ranks['autodl']:.2f}, best {ranks.idxmin()} "
        f"{ranks.min():.2f}{versus})."
    )


def check_defaults(scores):
    """Target (b): autodl >= max(lightgbm, catboost, hgb defaults) - TOLERANCE."""
    defaults = [system for system in DEFAULTS if system in scores]
    if "autodl" not in scores or not defaults:
        return ["- (b) not checked: autodl or every default was not run."]
    best = scores[defaults].max(axis=1)
    gaps = scores["autodl"] - best
    failures = gaps[~(gaps >= -TOLERANCE)]  # a failed autodl fit (NaN) fails too
    lines = [
        f"- (b) autodl >= max({', '.join(defaults)}) - {TOLERANCE} on every dataset: "
        f"{'PASS' if failures.empty else 'FAIL'} "
        f"({len(gaps) - len(failures)} of {len(gaps)} datasets)."
    ]
    for name, gap in failures.items():
        shortfall = "autodl failed" if gap != gap else f"gap {gap:+.4f}"
        lines.append(
            f"  - {name}: autodl {scores.at[name, 'autodl']:.4f}, best default "
            f"{scores.loc[name, defaults].idxmax()} {best[name]:.4f}, {shortfall}"
        )
    return lines


def report(data):
    """The markdown report of a run (from its raw results)."""

    run, records = data["run"], data["records"]
    systems = run["systems"]
    scores = score_table(records, systems)
    frame = records_frame(records).set_index(["dataset", "system"])
    table = scores.reset_index()
    table.insert(1, "metric", [METRIC[run["tasks"][name]] for name in scores.index])
    if "autodl" in systems:
        autodl = frame.xs("autodl", level="system")
        table["autodl best"] = [autodl["best"].get(n, "") for n in scores.index]
        table["autodl time / budget"] = [
            autodl["fit_s"].get(n, float("nan")) / run["budget"] for n in scores.index
        ]
    ranks = mean_ranks(scores)
    fit_seconds = frame["fit_s"].groupby(level="system").mean()
    errors = frame[frame["error"].notna()]
    busy = ", busy loop on core 0" if run["busy"] else ""
    lines = [
        f"# Predictive benchmark: {run['suite']} suite, budget {run['budget']:g} s, "
        f"seed {run['seed']}{busy}",
        "",
        f"`{run['command']}` (autodl at {run['commit']})",
        "",
        run["machine"],
        "",
        run["peers"],
        "",
        run["load_before"] + ".  ",
        run["load_after"] + ".",
        "",
        markdown_table(table),
        "",
        "Mean rank (1 is best, a failed fit ranks last): "
        + ", ".join(f"{s} {ranks[s]:.2f}" for s in ranks.sort_values().index),
        "",
        "Mean fit seconds: "
        + ", ".join(f"{s} {fit_seconds.get(s, float('nan')):.1f}" for s in systems),
        "",
        "Targets:",
        "",
        check_rank(ranks),
        *check_defaults(scores),
    ]
    if len(errors):
        lines += ["", "Errors:", ""]
        lines += [f"- {d} / {s}: {e}" for (d, s), e in errors["error"].items()]
    return "\n".join(lines)


def merge_peers(data, old, defaults_only=False):
    """Add ``old``'s records of the systems ``data`` did not run.

    ``--peers-from`` takes every such system and wants the same protocol (suite,
    budget, seed, load); ``--defaults-from`` (``defaults_only``) takes only the
    library defaults, which run without a budget and with a fixed seed, so their
    scores depend on the suite and the split alone and another budget's or load's
    run supplies them.
    """
    run, before = data["run"], old["run"]
    option = "--defaults-from" if defaults_only else "--peers-from"
    keys = ("suite", "seed") if defaults_only else ("suite", "budget", "seed", "busy")
    for key in keys:
        if run[key] != before[key]:
            raise SystemExit(f"{option}: {key} {before[key]} != {run[key]}")
    peers = [
        s
        for s in before["systems"]
        if s not in run["systems"] and (not defaults_only or s in BUDGET_FREE)
    ]
    data["records"] += [
        r
        for r in old["records"]
        if r["system"] in peers and r["dataset"] in run["tasks"]
    ]
    run["systems"] = run["systems"] + peers
    run["command"] = (
        f"{run['command']} (autodl at {run['commit']}); {', '.join(peers)} from "
        f"{before['command']} (at {before['commit']}; {before['load_before']})"
    )


def choose_datasets(choice, suite, tasks):
    """The names ``--datasets`` asks for (its default depends on the suite)."""
    if choice == "all" or (choice is None and suite == "dev"):
        return list(tasks)
    if choice is None:
        return list(META_DEFAULT)
    return choice.split(",")


def progress_line(record):
    head = f"{record['dataset']:24} {record['system']:10} {record['wall_s']:7.1f} s"
    if "score" in record:
        return f"{head}  {record['score']:.4f}"
    return f"{head}  ERROR {record['error']}"


def result_stem(args):
    busy = "_busy" if args.busy else ""
    return args.out or f"predictive_{args.suite}_{args.budget:g}s{busy}"


def save(data, stem):
    """Write the raw results (.json) and the report (.md); return the .md path."""
    write_result(f"{stem}.json", json.dumps(data, indent=1))
    return write_result(f"{stem}.md", report(data))


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=["dev", "meta"], default="dev")
    parser.add_argument(
        "--data-dir", help="default: the suite's folder under ../shared/datasets"
    )
    parser.add_argument(
        "--datasets",
        help="comma-separated names, or 'all' (default: dev: all, "
        "meta: a subset of 14)",
    )
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--budget", type=float, default=60, help="seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--busy", action="store_true", help="busy loop on core 0")
    parser.add_argument("--out", help="file stem under benchmarks/results")
    parser.add_argument("--from-json", help="re-make the report of a .json result")
    parser.add_argument(
        "--peers-from",
        help="a .json result of the same suite, budget and seed: its records of the "
        "systems not run now are reported beside this run's (peers measured once)",
    )
    parser.add_argument(
        "--defaults-from",
        help="a .json result of the same suite and seed, any budget or load: its "
        "records of the library defaults not run now (they take no budget)",
    )
    parser.add_argument("--worker", nargs=3, metavar=("DATASET", "SYSTEM", "BUDGET"))
    args = parser.parse_args(argv)
    if args.data_dir is None:
        args.data_dir = str(DEFAULT_DATA_DIR if args.suite == "dev" else META_DATA_DIR)
    return parser, args


def main(argv=None):
    parser, args = parse_args(argv)
    if args.worker:
        return worker(args)
    if args.from_json:
        data = json.loads(Path(args.from_json).read_text())
        text = report(data)
        print(text)
        print(f"\nwritten to {write_result(Path(args.from_json).stem + '.md', text)}")
        return None
    tasks = suite_tasks(args.suite, args.data_dir)
    names = choose_datasets(args.datasets, args.suite, tasks)
    systems = args.systems.split(",")
    unknown = (set(names) - set(tasks)) | (set(systems) - set(SYSTEMS))
    if unknown:
        parser.error(f"unknown datasets or systems: {sorted(unknown)}")
    systems = available(systems)
    if not systems:
        # nothing to run: a merge would report an earlier run's rows as this run's
        sys.exit(f"none of --systems {args.systems} is installed in {sys.executable}")
    stem = result_stem(args)

    environment = describe_environment()
    print(environment["machine"], environment["peers"], sep="\n")
    data = {
        "run": {
            "suite": args.suite,
            "budget": args.budget,
            "seed": args.seed,
            "busy": args.busy,
            "systems": systems,
            "tasks": {name: tasks[name] for name in names},
            "command": " ".join(["python", *sys.argv]),
            "load_before": load_line("before"),
            **environment,
        },
        "records": [],
    }
    print(data["run"]["load_before"], flush=True)
    with busy_core(args.busy):
        for name in names:
            for system in systems:
                record = run_one(name, tasks[name], system, args)
                data["records"].append(record)
                print(progress_line(record), flush=True)
                write_result(f"{stem}.json", json.dumps(data, indent=1))
    data["run"]["load_after"] = load_line("after")
    if args.peers_from:
        merge_peers(data, json.loads(Path(args.peers_from).read_text()))
    if args.defaults_from:
        old = json.loads(Path(args.defaults_from).read_text())
        merge_peers(data, old, defaults_only=True)
    path = save(data, stem)
    print("\n" + report(data))
    print(f"\nwritten to {path} (raw results beside it, .json)")
    return None


if __name__ == "__main__":
    main()
