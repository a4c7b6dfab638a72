"""
==========================================
Stack an autodl net with XGBoost
==========================================

scikit-learn's ``StackingClassifier`` fits its meta-learner on out-of-fold
predictions of its members, so it never learns from a prediction a member made on its
own training rows. autodl's nets are ordinary classifiers, so they stack with XGBoost
as they are. We compare each member with the stack on held-out data.
"""

# %%
# Two members, a scaled net and XGBoost, and a logistic regression on top.
import warnings

from sklearn.datasets import make_classification
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier

from autodl import MLPClassifier, Rescaler, make_pipeline

X, y = make_classification(
    3000, n_features=20, n_informative=8, flip_y=0.05, random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

members = [
    (
        "net",
        make_pipeline(
            Rescaler(), MLPClassifier(hidden_layer_sizes=(64, 32), random_state=0)
        ),
    ),
    (
        "xgboost",
        XGBClassifier(
            n_estimators=200, max_depth=4, learning_rate=0.1, n_jobs=1, random_state=0
        ),
    ),
]
stack = StackingClassifier(members, final_estimator=LogisticRegression(), cv=5)

# %%
# Each member alone, then the stack, scored on the held-out rows.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for name, model in [*members, ("stack", stack)]:
        model.fit(X_train, y_train)
        auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
        print(f"{name:>8}: held-out ROC AUC {auc:.4f}")
print("meta-learner weights (net, xgboost):", stack.final_estimator_.coef_.round(2))
