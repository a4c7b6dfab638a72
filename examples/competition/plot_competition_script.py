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

Pass ``--time-budget`` for a longer search (this example uses 10 seconds so that it
runs quickly) and ``--data-dir`` to point at another copy of the datasets.
"""

# This example reads the shared datasets (tests/test_docs.py skips it without them).
NEEDS_DATA = True

# %%
# Make train.csv and test.csv
# ---------------------------
import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from autodl.cli import main as autodl

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[1])
parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
parser.add_argument("--time-budget", type=float, default=10)
parser.add_argument(
    "--work-dir",
    type=Path,
    default=None,
    help="where the CSVs, model and submission go (default: a temp dir)",
)
args, _ = parser.parse_known_args()  # sphinx-gallery passes its own arguments
source = args.data_dir / "phoneme.csv.gz"
if not source.is_file():
    print(f"{source} not found: pass --data-dir.", file=sys.stderr)
    sys.exit(2)
work = args.work_dir or Path(tempfile.mkdtemp(prefix="autodl-competition-"))
work.mkdir(parents=True, exist_ok=True)

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
        str(args.time_budget),
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
