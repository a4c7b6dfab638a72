"""Predictive performance of AutoClassifier / AutoRegressor on the dev datasets.

For every dataset: one fixed split (75/25, seed 0, stratified for classification,
labels re-coded to 0..K-1), then scikit-learn's HistGradientBoosting and XGBoost with
default settings, autodl's Auto* and (when installed) FLAML, all in this process and
at the same time budget. Prints a markdown table with mean ranks and writes it to
benchmarks/results/predictive.md.

    python benchmarks/predictive.py --data-dir ../shared/datasets --budget 60

FLAML is never a dependency of autodl: install it in the benchmark's environment
only (``pip install "flaml[automl]"``); without it the column is left out.
"""

import argparse
import os
import sys
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder, OrdinalEncoder

sys.path.insert(0, os.path.dirname(__file__))
from _common import DEFAULT_DATA_DIR, machine_line, markdown_table, write_result  # noqa: E402

from autodl import AutoClassifier, AutoRegressor  # noqa: E402
from autodl.datasets import load_csv  # noqa: E402

# name -> task, as in the datasets' README
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
METRIC = {"binary": "roc_auc", "multiclass": "balanced_accuracy", "regression": "r2"}


def score(task, model, X, y):
    if task == "binary":
        return roc_auc_score(y, model.predict_proba(X)[:, 1])
    if task == "multiclass":
        return balanced_accuracy_score(y, model.predict(X))
    return r2_score(y, model.predict(X))


def tree_default(kind, task, X, seed):
    """A library default with ordinal-encoded strings, as in the reference protocol."""
    strings = X.select_dtypes(exclude="number").columns.tolist()
    encode = make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), strings),
        remainder="passthrough",
    )
    if kind == "hgb":
        model = (
            HistGradientBoostingRegressor(random_state=seed)
            if task == "regression"
            else HistGradientBoostingClassifier(random_state=seed)
        )
    else:
        from xgboost import XGBClassifier, XGBRegressor

        model = (
            XGBRegressor(random_state=seed)
            if task == "regression"
            else XGBClassifier(random_state=seed)
        )
    return make_pipeline(encode, model)


def flaml_fit(task, X, y, budget, seed, n_jobs):
    from flaml import AutoML

    automl = AutoML()
    kwargs = {}
    if task == "multiclass":

        def metric(X_val, y_val, estimator, *args, **kw):
            return 1 - balanced_accuracy_score(y_val, estimator.predict(X_val)), {}

        kwargs["metric"] = metric
    else:
        kwargs["metric"] = METRIC[task]
    automl.fit(
        X,
        y,
        task="regression" if task == "regression" else "classification",
        time_budget=budget,
        seed=seed,
        n_jobs=n_jobs,
        verbose=0,
        **kwargs,
    )
    return automl


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--budget", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=-1)
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument("--no-flaml", action="store_true")
    parser.add_argument("--out", default="predictive.md")
    args = parser.parse_args(argv)
    try:
        import flaml  # noqa: F401

        use_flaml = not args.no_flaml
    except ImportError:
        use_flaml = False
        print(
            "FLAML is not installed: its column is left out "
            "(pip install 'flaml[automl]' in this environment to add it)."
        )

    rows = []
    for name in args.datasets:
        task = DATASETS[name]
        X, y = load_csv(os.path.join(args.data_dir, f"{name}.csv.gz"), "target")
        if task != "regression":
            y = pd.Series(LabelEncoder().fit_transform(y), name="target")
        X_tr, X_te, y_tr, y_te = train_test_split(
            X,
            y,
            test_size=0.25,
            random_state=args.seed,
            stratify=y if task != "regression" else None,
        )
        row = {"dataset": name, "metric": METRIC[task]}
        for kind, label in [("hgb", "HistGB default"), ("xgb", "XGBoost default")]:
            model = tree_default(kind, task, X_tr, args.seed).fit(X_tr, y_tr)
            row[label] = score(task, model, X_te, y_te)
        Auto = AutoRegressor if task == "regression" else AutoClassifier
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            auto = Auto(
                time_budget=args.budget,
                random_state=args.seed,
                n_jobs=args.n_jobs,
                verbose=0,
            ).fit(X_tr, y_tr)
        wall = time.perf_counter() - start
        row["autodl"] = score(task, auto, X_te, y_te)
        row["autodl best"] = auto.leaderboard_["model"].iloc[0]
        row["autodl time / budget"] = wall / args.budget
        if use_flaml:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fl = flaml_fit(task, X_tr, y_tr, args.budget, args.seed, args.n_jobs)
            row["FLAML"] = score(task, fl, X_te, y_te)
        rows.append(row)
        print(
            {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()},
            flush=True,
        )

    table = pd.DataFrame(rows)
    systems = ["HistGB default", "XGBoost default", "autodl"] + (
        ["FLAML"] if use_flaml else []
    )
    ranks = table[systems].rank(axis=1, ascending=False).mean()
    beats = table["autodl"] >= table[["HistGB default", "XGBoost default"]].max(axis=1)
    text = "\n".join(
        [
            f"# Predictive benchmark, budget {args.budget:g} s, seed {args.seed}",
            "",
            machine_line(),
            "",
            markdown_table(table),
            "",
            "Mean rank (1 is best): "
            + ", ".join(f"{s} {ranks[s]:.2f}" for s in systems),
            "",
            f"autodl at or above both library defaults on {int(beats.sum())} of "
            f"{len(table)} datasets.",
        ]
    )
    print("\n" + text)
    path = write_result(args.out, text)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
