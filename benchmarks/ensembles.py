"""Ensembles on the dev datasets: combining models, and steadying one net.

Part 1, combining different models. For each dataset: one fixed split (75/25, seed 0,
stratified for classification, labels re-coded to 0..K-1), four members from autodl's
zoo (``autodl.spotcheck.default_models``: the linear model, kNN, histogram gradient
boosting and autodl's MLP) behind ``TabularPreprocessor`` (plus ``Rescaler`` for all
but the trees). Then, with the same members and the same 5 folds:

- the best single member, chosen by its out-of-fold score (then fitted on the whole
  training part);
- ``EnsembleSelectionClassifier`` / ``Regressor`` (scoring = the primary metric);
- scikit-learn's ``StackingClassifier`` / ``StackingRegressor`` (default meta-learner);
- ``BlendingClassifier`` / ``Regressor`` (20% holdout, default meta-learner).

Part 2, steadying one net. For the classification datasets (``--spread-datasets``):
the same net (``TabularPreprocessor`` + ``Rescaler`` + ``MLPClassifier((64, 32),
max_epochs=40, early_stopping=False)``) as a single model, with
``weight_averaging="swa"``, as ``SnapshotEnsemble(5)`` and as ``SeedEnsemble(5)``, each
fitted with 3 seeds. The spread is the standard deviation across the seeds of each
predicted class probability, averaged over test rows and classes.

Prints markdown tables and writes them to benchmarks/results/ensembles.md.

    python benchmarks/ensembles.py --data-dir ../shared/datasets
"""

import argparse
import os
import sys
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.ensemble import StackingClassifier, StackingRegressor  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    balanced_accuracy_score,
    log_loss,
    r2_score,
    roc_auc_score,
)
from sklearn.model_selection import (  # noqa: E402
    KFold,
    StratifiedKFold,
    train_test_split,
)
from sklearn.preprocessing import LabelEncoder  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _common import DEFAULT_DATA_DIR, machine_line, markdown_table, write_result  # noqa: E402

from autodl.datasets import load_csv  # noqa: E402
from autodl.ensemble import (  # noqa: E402
    BlendingClassifier,
    BlendingRegressor,
    EnsembleSelectionClassifier,
    EnsembleSelectionRegressor,
    SeedEnsemble,
    SnapshotEnsemble,
)
from autodl.neural import MLPClassifier  # noqa: E402
from autodl.pipeline import make_pipeline  # noqa: E402
from autodl.preprocessing import Rescaler, TabularPreprocessor  # noqa: E402
from autodl.spotcheck import default_models  # noqa: E402

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
MEMBERS = {
    "binary": ["logistic_regression", "knn", "hist_gradient_boosting", "mlp"],
    "multiclass": ["logistic_regression", "knn", "hist_gradient_boosting", "mlp"],
    "regression": ["ridge", "knn", "hist_gradient_boosting", "mlp"],
}
TREES = {"hist_gradient_boosting"}  # no rescaling in front of these


def score(task, model, X, y):
    if task == "binary":
        return roc_auc_score(y, model.predict_proba(X)[:, 1])
    if task == "multiclass":
        return balanced_accuracy_score(y, model.predict(X))
    return r2_score(y, model.predict(X))


def load(data_dir, name, seed):
    task = DATASETS[name]
    X, y = load_csv(os.path.join(data_dir, f"{name}.csv.gz"), "target")
    if task != "regression":
        y = pd.Series(LabelEncoder().fit_transform(y), name="target")
    split = train_test_split(
        X,
        y,
        test_size=0.25,
        random_state=seed,
        stratify=y if task != "regression" else None,
    )
    return task, split


def members(task, n_samples, seed):
    zoo = {
        spec.name: spec.estimator
        for spec in default_models(task, n_samples=n_samples, random_state=seed)
    }
    out = []
    for name in MEMBERS[task]:
        steps = [TabularPreprocessor(random_state=seed)]
        if name not in TREES:
            steps.append(Rescaler())
        out.append((name, make_pipeline(*steps, clone(zoo[name]))))
    return out


def timed(model, X, y):
    start = time.perf_counter()
    model.fit(X, y)
    return model, time.perf_counter() - start


def combine(name, task, split, seed, n_jobs):
    X_tr, X_te, y_tr, y_te = split
    classifier = task != "regression"
    pool = members(task, len(y_tr), seed)
    folds = (StratifiedKFold if classifier else KFold)(
        5, shuffle=True, random_state=seed
    )
    Selection = (
        EnsembleSelectionClassifier if classifier else EnsembleSelectionRegressor
    )
    Stacking = StackingClassifier if classifier else StackingRegressor
    Blending = BlendingClassifier if classifier else BlendingRegressor
    selection, t_sel = timed(
        Selection(
            pool, cv=folds, scoring=METRIC[task], random_state=seed, n_jobs=n_jobs
        ),
        X_tr,
        y_tr,
    )
    stacking, t_stack = timed(Stacking(pool, cv=folds, n_jobs=n_jobs), X_tr, y_tr)
    blending, t_blend = timed(Blending(pool, random_state=seed), X_tr, y_tr)
    # the member with the best out-of-fold score, as fitted on all the training rows
    best = max(selection.oof_scores_, key=selection.oof_scores_.get)
    single = stacking.named_estimators_[best]
    on_test = {
        m: score(task, stacking.named_estimators_[m], X_te, y_te) for m, _ in pool
    }
    weights = ", ".join(
        f"{m} {w:.2f}"
        for (m, _), w in zip(pool, selection.weights_, strict=True)
        if w > 0
    )
    return {
        "dataset": name,
        "metric": METRIC[task],
        "best single (by CV)": score(task, single, X_te, y_te),
        "its name": best,
        "best member on test": max(on_test.values()),
        "ensemble selection": score(task, selection, X_te, y_te),
        "stacking": score(task, stacking, X_te, y_te),
        "blending": score(task, blending, X_te, y_te),
        "selection weights": weights,
        "seconds sel / stack / blend": f"{t_sel:.0f} / {t_stack:.0f} / {t_blend:.0f}",
    }


def spread(name, task, split, seed, n_seeds=3):
    X_tr, X_te, y_tr, y_te = split
    net = make_pipeline(
        TabularPreprocessor(random_state=seed),
        Rescaler(),
        MLPClassifier(
            hidden_layer_sizes=(64, 32),
            max_epochs=40,
            early_stopping=False,
            device="cpu",
        ),
    )
    variants = {
        "single net": lambda s: clone(net).set_params(mlpclassifier__random_state=s),
        "SWA net": lambda s: clone(net).set_params(
            mlpclassifier__random_state=s, mlpclassifier__weight_averaging="swa"
        ),
        "SnapshotEnsemble(5)": lambda s: SnapshotEnsemble(net, 5, random_state=s),
        "SeedEnsemble(5)": lambda s: SeedEnsemble(net, 5, random_state=s),
    }
    rows = []
    for label, make in variants.items():
        start = time.perf_counter()
        fitted = [make(seed + s).fit(X_tr, y_tr) for s in range(n_seeds)]
        seconds = (time.perf_counter() - start) / n_seeds
        proba = np.array([model.predict_proba(X_te) for model in fitted])
        rows.append(
            {
                "dataset": name,
                "metric": METRIC[task],
                "model": label,
                "spread of probabilities": float(proba.std(axis=0).mean()),
                "score": float(np.mean([score(task, m, X_te, y_te) for m in fitted])),
                "log loss": float(np.mean([log_loss(y_te, p) for p in proba])),
                "seconds per fit": seconds,
            }
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--datasets", nargs="*", default=list(DATASETS))
    parser.add_argument(
        "--spread-datasets",
        nargs="*",
        default=[name for name, task in DATASETS.items() if task != "regression"],
    )
    parser.add_argument("--out", default="ensembles.md")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # convergence chatter of the members

    start, load_start = time.perf_counter(), os.getloadavg()[0]
    combined = []
    for name in args.datasets:
        task, split = load(args.data_dir, name, args.seed)
        combined.append(combine(name, task, split, args.seed, args.n_jobs))
        print(combined[-1], flush=True)
    steadied = []
    for name in args.spread_datasets:
        task, split = load(args.data_dir, name, args.seed)
        if task == "regression":
            raise SystemExit(f"--spread-datasets takes classification data, not {name}")
        steadied.extend(spread(name, task, split, args.seed))
        print(steadied[-4:], flush=True)
    total = time.perf_counter() - start

    table = pd.DataFrame(combined)
    methods = ["best single (by CV)", "ensemble selection", "stacking", "blending"]
    ranks = table[methods].rank(axis=1, ascending=False).mean()
    text = "\n".join(
        [
            f"# Ensembles on the dev datasets, seed {args.seed}",
            "",
            machine_line(),
            f"Whole script: {total / 60:.1f} min with --n-jobs {args.n_jobs}; load "
            f"average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the "
            "end (other work shares the cores, so the seconds are rough).",
            "",
            "## Combining four zoo models (same split, same members, same 5 folds)",
            "",
            "Primary metric on the 25% test split, higher is better. *best single "
            "(by CV)* is the member with the best out-of-fold score; *best member on "
            "test* is the best member in hindsight (not a choice one could make).",
            "",
            markdown_table(table),
            "",
            "Mean rank (1 is best): "
            + ", ".join(f"{m} {ranks[m]:.2f}" for m in methods),
            "",
            "## Steadying one net: spread over 3 seeds",
            "",
            "Spread: standard deviation across the 3 seeds of each predicted class "
            "probability, averaged over test rows and classes (lower is steadier). "
            "Score (the primary metric) and log loss: mean over the 3 fits.",
            "",
            markdown_table(pd.DataFrame(steadied)),
        ]
    )
    print("\n" + text)
    path = write_result(args.out, text)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
