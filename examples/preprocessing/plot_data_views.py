"""
=====================================================
Spot-check one model over several views of the data
=====================================================

The biggest wins usually come from the data. Rather than guess which preparation a
model likes, prepare the data several ways ("views") and cross-validate the *same*
model on each, on the same folds: raw, standardized, rescaled to [0, 1],
power-transformed, reduced to the features several selection methods agree on, and
rebalanced with SMOTE.

Every view is a pipeline built with :func:`autodl.pipeline.make_pipeline`, so
everything fitted (scalers, selectors, the sampler) sees the training folds only,
and SMOTE changes the training rows only: every test row is scored.

The data is ``churn`` (5,000 telecom customers, 14% churners) from the shared
dataset suite; edit ``DATA_DIR`` to point at another copy of it.
"""

# This example reads the shared datasets (tests/test_docs.py skips it without them).
NEEDS_DATA = True

# %%
# Load the data
# -------------
import sys
import warnings
from pathlib import Path

import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate

from autodl.datasets import load_csv
from autodl.pipeline import make_pipeline
from autodl.preprocessing import FeatureSelector, PowerTransform, Resampler, Rescaler

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"

path = DATA_DIR / "churn.csv.gz"
if not path.is_file():
    print(
        f"{path} not found: this example needs the shared datasets. "
        "Set DATA_DIR to the folder that holds churn.csv.gz.",
        file=sys.stderr,
    )
    sys.exit(2)

X, y = load_csv(path, target="target")
print(f"{X.shape[0]} rows, {X.shape[1]} features, churn rate {y.mean():.1%}")

# %%
# The views
# ---------
# One model, six preparations of its input. Each view is a list of steps put in
# front of the model.
views = {
    "raw": [],
    "standardized": [Rescaler("standard")],
    "minmax [0, 1]": [Rescaler("minmax")],
    "power-transformed": [PowerTransform("yeo-johnson"), Rescaler("standard")],
    "selected features": [
        Rescaler("standard"),
        FeatureSelector("consensus", k=8, random_state=0),
    ],
    "SMOTE-resampled": [Rescaler("standard"), Resampler("smote", random_state=0)],
}

# %%
# Cross-validate the model on every view
# --------------------------------------
# The same stratified folds for every view, so the scores are comparable. ROC AUC
# ranks the rows; balanced accuracy (the mean recall of both classes at the 0.5
# threshold) shows what resampling buys on an imbalanced target. We also count the
# folds where the solver did not converge.
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
model = LogisticRegression(max_iter=5000)
rows = []
for name, steps in views.items():
    pipe = make_pipeline(*steps, model)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result = cross_validate(
            pipe, X, y, cv=cv, scoring=["roc_auc", "balanced_accuracy"]
        )
    rows.append(
        {
            "view": name,
            "roc_auc": result["test_roc_auc"].mean(),
            "roc_auc_std": result["test_roc_auc"].std(),
            "balanced_acc": result["test_balanced_accuracy"].mean(),
            "balanced_acc_std": result["test_balanced_accuracy"].std(),
            "fit_s": result["fit_time"].mean(),
            "not_converged": sum(
                issubclass(w.category, ConvergenceWarning) for w in caught
            ),
        }
    )

# %%
# The table
# ---------
table = pd.DataFrame(rows).sort_values("roc_auc", ascending=False)
print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))

# %%
# What the table says
# -------------------
# - Scale matters to a linear model: on the raw view the solver does not
#   converge and fits far slower, although its AUC ends close.
# - Rebalancing the training folds with SMOTE barely moves the ranking (AUC) but
#   catches many more churners at the default threshold (balanced accuracy).
# - The consensus of four selection methods keeps 8 of the 20 features and
#   nearly all of the AUC.
# - The power transform *hurts* here: it squashes the high end of skewed
#   counts, but churn jumps from 11% to over 40% at four or more customer
#   service calls, a threshold effect the squashing hides from a linear model.
#   Which view wins depends on the data and the model: that is why we check.
#
# To search these choices jointly rather than one at a time, put every step in
# one pipeline and grid-search ``rescaler__method``, ``featureselector__k`` and
# ``resampler__method`` (see ``docs/preprocessing.md``).
