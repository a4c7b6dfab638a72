"""
======================================================
AutoClassifier on raw tabular data with string columns
======================================================

``credit-g`` (1,000 loan applicants, 30% bad credit) has 13 string columns coded like
``A11`` or ``A34``. AutoClassifier takes the DataFrame as it is: a
``TabularPreprocessor`` inside every candidate imputes and encodes on training folds
only. The search is strong first: boosted trees with early stopping are validated
within seconds, then the portfolio learned on the meta suite, the cheap families, and
a random search over the best families; the validation (holdout, k-fold, repeated
k-fold) follows the measured cost of a fit. Ensemble selection weighs the best
candidates on their validation probabilities, and they are refit, all within the
time budget. We compare with scikit-learn's HistGradientBoosting defaults on the same
held-out split.

Edit ``DATA_DIR`` to point at another copy of the shared datasets and
``TIME_BUDGET`` for a longer search.
"""

# This example reads the shared datasets (tests/test_docs.py skips it without them).
NEEDS_DATA = True

# %%
# Load the data and hold out a test set
# -------------------------------------
import sys
from pathlib import Path

from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

from autodl import AutoClassifier
from autodl.datasets import load_csv

DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
TIME_BUDGET = 10  # seconds; raise it for a longer search

path = DATA_DIR / "credit-g.csv.gz"
if not path.is_file():
    print(
        f"{path} not found: set DATA_DIR to the folder that holds credit-g.csv.gz.",
        file=sys.stderr,
    )
    sys.exit(2)

X, y = load_csv(path, target="target")
strings = X.select_dtypes(exclude="number").columns.tolist()
print(f"{X.shape[0]} rows, {X.shape[1]} features ({len(strings)} string columns)")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)

# %%
# Search within the budget
# ------------------------
auto = AutoClassifier(time_budget=TIME_BUDGET, random_state=0, verbose=0)
auto.fit(X_train, y_train)
print(f"fit took {auto.fit_time_:.1f} s for a {TIME_BUDGET:g} s budget")
print(f"validation: {auto.validation_}")
# ranked by `score`, the metric on the pooled validation predictions (the score
# ensemble selection maximises); `source` says which phase proposed the candidate
board = auto.leaderboard_
print(
    board[board["status"] == "ok"][["model", "source", "score", "std_score"]]
    .head(8)
    .to_string(index=False, float_format=lambda v: f"{v:.4f}")
)
print("final model:", {k: round(v, 2) for k, v in auto.ensemble_weights_.items()})

# %%
# Held-out score next to a strong default
# ---------------------------------------
baseline = make_pipeline(
    make_column_transformer(
        (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), strings),
        remainder="passthrough",
    ),
    HistGradientBoostingClassifier(random_state=0),
).fit(X_train, y_train)
for name, model in [("AutoClassifier", auto), ("HistGradientBoosting", baseline)]:
    auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    print(f"{name:>22}: held-out ROC AUC {auc:.4f}")
