"""How a searched boosted model is refit on all rows, on the meta suite.

An AutoML search validates a boosted model (LightGBM, XGBoost, CatBoost,
HistGradientBoosting) on k folds, each fit stopping early on an inner validation
split; the final model is then fit on every training row. Three ways to do that,
for each family's zoo configuration (``autodl.spotcheck.default_models``), on a 75/25
split of each meta dataset (``--seeds`` splits) and 5 folds of its training part:

- ``holdout``: fit again with early stopping on 10 % of the rows (autodl before);
- ``fold rounds``: no holdout, the mean of the rounds early stopping kept in the 5
  folds (``autodl.spotcheck._zoo.with_rounds``; AutoGluon's ``refit_full``);
- ``fold bag``: no refit, the 5 fold models averaged (AutoGluon's bagging).

Only scores are compared (the test part is never seen by a fit), so the datasets run
in parallel over ``--n-jobs`` processes. Meta suite only: the search's defaults are
never chosen on the dev suite.

    python benchmarks/refit.py --data-dir ../shared/datasets/meta
"""

import argparse
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _common import META_DATA_DIR, machine_line, markdown_table, write_result  # noqa: E402
from predictive import load_split, score  # noqa: E402

from autodl.spotcheck import default_models  # noqa: E402
from autodl.spotcheck._zoo import trained_rounds, with_rounds  # noqa: E402

# the meta sets up to 20,000 rows that are not at every model's ceiling
DATASETS = [
    ("Hill_Valley_with_noise", "binary"),
    ("car_evaluation", "multiclass"),
    ("segmentation", "multiclass"),
    ("allhypo", "multiclass"),
    ("analcatdata_authorship", "multiclass"),
    ("balance_scale", "multiclass"),
    ("vehicle", "multiclass"),
    ("vowel", "multiclass"),
    ("saheart", "binary"),
    ("ionosphere", "binary"),
    ("ann_thyroid", "multiclass"),
    ("optdigits", "multiclass"),
    ("1029_LEV", "regression"),
    ("529_pollen", "regression"),
    ("666_rmftsa_ladata", "regression"),
    ("522_pm10", "regression"),
    ("583_fri_c1_1000_50", "regression"),
    ("1199_BNG_echoMonths", "regression"),
]
FAMILIES = ["lightgbm", "xgboost", "catboost", "hist_gradient_boosting"]
MODES = ["holdout", "fold rounds", "fold bag"]


def _output(task, model, X):
    if task == "binary":
        return model.predict_proba(X)[:, 1]
    if task == "multiclass":
        return model.predict_proba(X)
    return model.predict(X)


def _score(task, y, output):
    return score(task, y, output.argmax(axis=1) if task == "multiclass" else output)


def run_one(data_dir, name, task, seed):
    X, X_test, y, y_test = load_split(data_dir, name, task, seed)
    X, X_test = X.to_numpy(np.float32), X_test.to_numpy(np.float32)
    y = y.to_numpy()
    specs = {s.name: s for s in default_models(task, len(y), random_state=0)}
    folds = (KFold if task == "regression" else StratifiedKFold)(
        5, shuffle=True, random_state=seed
    )
    rows = []
    for family in FAMILIES:
        model = specs[family].estimator
        fold_models = [clone(model).fit(X[t], y[t]) for t, _ in folds.split(X, y)]
        rounds = [trained_rounds(m) for m in fold_models]
        outputs = {
            "holdout": _output(task, clone(model).fit(X, y), X_test),
            "fold rounds": _output(
                task, with_rounds(clone(model), rounds).fit(X, y), X_test
            ),
            "fold bag": np.mean([_output(task, m, X_test) for m in fold_models], 0),
        }
        kept = [r[1] for r in rounds if r is not None]
        rows.append(
            {
                "dataset": name,
                "seed": seed,
                "family": family,
                **{m: _score(task, y_test, outputs[m]) for m in MODES},
                "mean fold rounds": float(np.mean(kept)) if kept else np.nan,
            }
        )
        print(rows[-1], flush=True)
    return rows


def summary(frame):
    out = []
    for family, part in [*frame.groupby("family", sort=False), ("all", frame)]:
        row = {"family": family, "runs": len(part)}
        for mode in MODES[1:]:
            diff = part[mode] - part["holdout"]
            row[f"{mode} - holdout, mean"] = diff.mean()
            row[f"{mode}: better / worse"] = f"{(diff > 0).sum()} / {(diff < 0).sum()}"
        diff = part["fold bag"] - part["fold rounds"]
        row["bag - rounds, mean"] = diff.mean()
        out.append(row)
    return pd.DataFrame(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(META_DATA_DIR))
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    jobs = [
        delayed(run_one)(args.data_dir, name, task, seed)
        for seed in range(args.seeds)
        for name, task in DATASETS
    ]
    frame = pd.DataFrame(
        [r for rows in Parallel(n_jobs=args.n_jobs)(jobs) for r in rows]
    )
    text = "\n\n".join(
        [
            "# Refitting a searched boosted model on all rows (meta suite)",
            f"`python benchmarks/refit.py --seeds {args.seeds}`",
            machine_line(),
            f"Load average before (1 / 5 / 15 min): {load} (scores only: the "
            f"datasets ran over {args.n_jobs} processes).",
            "Test score minus the holdout refit's, per family (metric: ROC AUC, "
            "balanced accuracy, R2):",
            markdown_table(summary(frame)),
            "Per dataset and split:",
            markdown_table(frame),
        ]
    )
    print(text)
    write_result("refit.md", text)


if __name__ == "__main__":
    main()
