"""
======================================================
A competition script: fit, predict, submit, score
======================================================

The Kaggle-style loop with the ``autodl`` command line: a training CSV with the target,
a test CSV without it, one command to search and save a model, one to write the
submission. Here the "competition" is ``phoneme`` from the shared datasets, split 75/25
so that we can score the submission locally, next to scikit-learn's
HistGradientBoosting defaults on the same split.

In a terminal the same two steps are::

    autodl fit train.csv --target target --id-column id --time-budget 300
    autodl predict model.skops test.csv --out submission.csv

Raise ``TIME_BUDGET`` for a longer search (this example uses 10 seconds so that it
runs quickly) and edit ``DATA_DIR`` to point at another copy of the datasets.
"""

# This example reads the shared datasets (tests/test_docs.py skips it without them).
NEEDS_DATA = True

# %%
# Make train.csv and test.csv
# ---------------------------
import sys
import tempfile
from pathlib import Path

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from autodl.cli import main as autodl

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
TIME_BUDGET = 10  # seconds; raise it for a longer search

source = DATA_DIR / "phoneme.csv.gz"
if not source.is_file():
    print(f"{source} not found: set DATA_DIR to its folder.", file=sys.stderr)
    sys.exit(2)
# the CSVs, the model and the submission go to a fresh temporary folder
work = Path(tempfile.mkdtemp(prefix="autodl-competition-"))

data = pd.read_csv(source).rename_axis("id").reset_index()
train, test = train_test_split(
    data, test_size=0.25, random_state=0, stratify=data["target"]
)
train.to_csv(work / "train.csv", index=False)
test.drop(columns="target").to_csv(work / "test.csv", index=False)
print(f"train.csv: {len(train)} rows, test.csv: {len(test)} rows, in {work}")

# %%
# Fit and predict with the command line
# -------------------------------------
autodl(
    [
        "fit",
        str(work / "train.csv"),
        "--target",
        "target",
        "--id-column",
        "id",
        "--time-budget",
        str(TIME_BUDGET),
        "--out",
        str(work / "model.skops"),
    ]
)
autodl(
    [
        "predict",
        str(work / "model.skops"),
        str(work / "test.csv"),
        "--proba",
        "--out",
        str(work / "submission.csv"),
    ]
)

# %%
# Score the submission locally
# ----------------------------
submission = pd.read_csv(work / "submission.csv")
truth = test.set_index("id").loc[submission["id"], "target"]
auc = roc_auc_score(truth, submission["1"])
features = [c for c in train.columns if c not in ("id", "target")]
hgb = HistGradientBoostingClassifier(random_state=0).fit(
    train[features], train["target"]
)
hgb_auc = roc_auc_score(test["target"], hgb.predict_proba(test[features])[:, 1])
print(
    f"autodl submission ROC AUC {auc:.4f}; HistGradientBoosting defaults {hgb_auc:.4f}"
)
