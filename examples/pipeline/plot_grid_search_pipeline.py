"""
==========================================================
Grid-search a whole pipeline: data preparation and a net
==========================================================

Every autodl piece is a plain scikit-learn estimator with flat parameters, so one
``GridSearchCV`` searches the data preparation and the network together, with the usual
``step__param`` names and no knowledge of skorch. Everything fitted (the preprocessor,
the scaler, the net) sees the training folds only.
"""

# %%
# One pipeline, a grid over a parameter of each step, the same folds for all.
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split

from autodl import MLPClassifier, PowerTransform, Rescaler, load_demo, make_pipeline

X, y = load_demo("breast_cancer")
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

pipe = make_pipeline(
    PowerTransform(),
    Rescaler(),
    MLPClassifier(hidden_layer_sizes=(32,), max_epochs=40, random_state=0),
)
grid = {
    "powertransform__method": ["none", "yeo-johnson"],
    "rescaler__method": ["standard", "minmax_sym"],
    "mlpclassifier__dropout": [0.0, 0.2],
}
search = GridSearchCV(
    pipe,
    grid,
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
    scoring="roc_auc",
    n_jobs=1,
)
search.fit(X_train, y_train)

# %%
# The best combination, and the whole table of means and spreads
import pandas as pd

results = pd.DataFrame(search.cv_results_)
columns = [f"param_{name}" for name in grid] + ["mean_test_score", "std_test_score"]
print(results.sort_values("rank_test_score")[columns].head(8).to_string(index=False))
print("best:", search.best_params_)
print(f"held-out ROC AUC: {search.score(X_test, y_test):.4f}")
