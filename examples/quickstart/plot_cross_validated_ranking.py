"""
=============================================
Rank models by cross-validation in a pipeline
=============================================

The first lever of the practitioner's checklist: spot-check several model families on
the same folds and look at the mean *and* the spread of their scores. Samplers live
inside the pipeline, so they see training folds only.
"""

# %%
# Load the embedded demo data (it ships with scikit-learn; nothing is downloaded).
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.preprocessing import StandardScaler

from autodl import load_demo, make_pipeline

X, y = load_demo("breast_cancer")
print(X.shape, y.value_counts().to_dict())

# %%
# Several candidates; the linear one gets its inputs standardised and, as an example of
# a data lever, a random oversampler that acts at fit time only.
models = {
    "logistic": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    "logistic+oversampling": make_pipeline(
        StandardScaler(),
        RandomOverSampler(random_state=0),
        LogisticRegression(max_iter=2000),
    ),
    "random_forest": RandomForestClassifier(random_state=0),
    "hist_gradient_boosting": HistGradientBoostingClassifier(random_state=0),
}

# %%
# The same folds for every model, so their scores are comparable.
cv = StratifiedKFold(5, shuffle=True, random_state=0)
rows = []
for name, model in models.items():
    scores = cross_validate(model, X, y, cv=cv, scoring="roc_auc")["test_score"]
    rows.append({"model": name, "mean_auc": scores.mean(), "std_auc": scores.std()})
board = pd.DataFrame(rows).sort_values("mean_auc", ascending=False)
print(board.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
