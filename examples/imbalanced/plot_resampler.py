"""
=========================================================
Imbalanced classification: resample the training folds
=========================================================

``churn`` has 14% positives. A model fitted on it as it is favours the majority class:
good ROC AUC, poor balanced accuracy. ``Resampler`` puts imbalanced-learn's samplers
behind one searchable parameter; inside an autodl pipeline it resamples the training
folds only, so every test row is still scored. We compare the methods, and class
weights, with the same model and folds.
"""

# This example reads the shared datasets (tests/test_docs.py skips it without them).
NEEDS_DATA = True

# %%
# Load ``churn`` from the shared datasets (edit ``DATA_DIR`` for another copy).
import sys
from pathlib import Path

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_validate

from autodl import Resampler, make_pipeline
from autodl.datasets import load_csv

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"

path = DATA_DIR / "churn.csv.gz"
if not path.is_file():
    print(f"{path} not found: set DATA_DIR to its folder.", file=sys.stderr)
    sys.exit(2)
X, y = load_csv(path, target="target")
print(f"{len(y)} rows, {y.mean():.1%} positive")


# %%
# Same model, same folds, different ways to balance the classes
def model(**params):
    return HistGradientBoostingClassifier(max_iter=100, random_state=0, **params)


candidates = {
    "as it is": make_pipeline(Resampler("none"), model()),
    "class_weight='balanced'": make_pipeline(
        Resampler("none"), model(class_weight="balanced")
    ),
    "random undersampling": make_pipeline(
        Resampler("random_under", random_state=0), model()
    ),
    "random oversampling": make_pipeline(
        Resampler("random_over", random_state=0), model()
    ),
    "SMOTE": make_pipeline(Resampler("smote", random_state=0), model()),
}
cv = StratifiedKFold(5, shuffle=True, random_state=0)
rows = []
for name, pipe in candidates.items():
    scores = cross_validate(
        pipe, X, y, cv=cv, scoring=["roc_auc", "balanced_accuracy", "recall"]
    )
    rows.append(
        {
            "training data": name,
            "roc_auc": scores["test_roc_auc"].mean(),
            "balanced_accuracy": scores["test_balanced_accuracy"].mean(),
            "recall of churners": scores["test_recall"].mean(),
        }
    )
print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3f}"))
