"""The default model zoo: what a practitioner spot-checks first, with search spaces."""

from collections import namedtuple

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from autodl.utils import check_option

ModelSpec = namedtuple("ModelSpec", ["name", "estimator", "space"])
ModelSpec.__doc__ = """A model of the zoo: name, unfitted estimator, search space.

``space`` maps the estimator's parameter names to lists of values to try when tuning
(a grid for ``GridSearchCV`` or the choices of a random search).
"""

TASKS = ("binary", "multiclass", "classification", "regression")

# SVMs scale quadratically or worse with rows: spot-checked on small data only.
SVM_MAX_SAMPLES = 5_000


class _LabelEncoded(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit a classifier on labels encoded as 0..K-1 and decode its predictions.

    For estimators (xgboost) that only take labels 0..K-1; ``classes_`` are the
    user's labels.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, **fit_params):
        self.encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.encoder_.classes_
        self.estimator_ = clone(self.estimator).fit(
            X, self.encoder_.transform(y), **fit_params
        )
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def predict(self, X):
        check_is_fitted(self)
        return self.encoder_.inverse_transform(
            np.asarray(self.estimator_.predict(X)).astype(int)
        )

    @available_if(lambda self: hasattr(self.estimator, "predict_proba"))
    def predict_proba(self, X):
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _xgb(classification, random_state):
    from xgboost import XGBClassifier, XGBRegressor

    common = {
        "n_estimators": 300,
        "learning_rate": 0.1,
        "n_jobs": 1,
        "verbosity": 0,
        "random_state": random_state,
    }
    if classification:
        return _LabelEncoded(XGBClassifier(**common))
    return XGBRegressor(**common)


def default_models(task, n_samples=None, random_state=None):
    """The curated model zoo for a task, each with a small search space.

    Linear models (logistic regression or ridge, lasso, elastic net, LDA), kNN, naive
    Bayes, an SVM (only when ``n_samples`` is at most 5,000), a decision tree, random
    forest, extra trees, histogram gradient boosting, XGBoost and autodl's MLP. The
    estimators are unfitted and take the data as it is: put scaling in a *view* (see
    :class:`SpotCheck`), so each model can be compared on raw and rescaled inputs.

    The MLP's space is a topology search: ``hidden_layer_sizes`` over depth (1 to 3
    hidden layers), width (64 to 256 units) and shape (constant, funnel, diamond;
    see :func:`autodl.neural.hidden_layer_space`), with ``batch_size``,
    ``lr_schedule``, ``lr`` and ``dropout``; ``AutoClassifier`` searches it with
    successive halving on ``max_epochs``.

    Parameters
    ----------
    task : {"binary", "multiclass", "classification", "regression"}
        The kind of target.
    n_samples : int, default=None
        Rows in the training data; models too slow for it are left out. ``None``
        keeps all.
    random_state : int, default=None
        Seed given to every model that takes one.

    Returns
    -------
    models : list of ModelSpec
        ``(name, estimator, space)`` named tuples; ``space`` maps parameter names of
        ``estimator`` to the values to try when tuning.

    Examples
    --------
    >>> from autodl.spotcheck import default_models
    >>> [spec.name for spec in default_models("regression")][:3]
    ['ridge', 'lasso', 'elastic_net']
    """
    check_option("task", task, TASKS)
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.ensemble import (
        ExtraTreesClassifier,
        ExtraTreesRegressor,
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    from sklearn.svm import SVC, SVR
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    from autodl.neural import MLPClassifier, MLPRegressor, hidden_layer_space

    rs = random_state
    small = n_samples is None or n_samples <= SVM_MAX_SAMPLES
    forest_space = {"max_features": ["sqrt", 0.5, 1.0], "min_samples_leaf": [1, 3, 10]}
    hgb_space = {
        "learning_rate": [0.03, 0.1, 0.3],
        "max_leaf_nodes": [15, 31, 63],
        "l2_regularization": [0.0, 1.0],
    }
    xgb_space = {
        "max_depth": [3, 6, 9],
        "learning_rate": [0.03, 0.1, 0.3],
        "subsample": [0.7, 1.0],
        "colsample_bytree": [0.7, 1.0],
    }
    # topology search: depth x width x shape of the hidden layers, batch size and
    # learning-rate schedule (AutoClassifier halves over max_epochs, see _auto.py)
    mlp_space = {
        "hidden_layer_sizes": hidden_layer_space(
            depths=(1, 2, 3), widths=(64, 128, 256)
        ),
        "batch_size": [32, 64, 128, 256],
        "lr": [1e-3, 3e-3],
        "lr_schedule": [None, "cosine", "one_cycle", "plateau"],
        "dropout": [0.0, 0.2],
    }
    if task == "regression":
        specs = [
            ModelSpec("ridge", Ridge(), {"alpha": [0.1, 1.0, 10.0, 100.0]}),
            ModelSpec(
                "lasso", Lasso(random_state=rs), {"alpha": [1e-3, 1e-2, 1e-1, 1]}
            ),
            ModelSpec(
                "elastic_net",
                ElasticNet(random_state=rs),
                {"alpha": [1e-3, 1e-2, 1e-1], "l1_ratio": [0.2, 0.5, 0.8]},
            ),
            ModelSpec(
                "knn",
                KNeighborsRegressor(),
                {"n_neighbors": [5, 15, 30], "weights": ["uniform", "distance"]},
            ),
            ModelSpec("svm", SVR(), {"C": [0.1, 1, 10], "gamma": ["scale"]}),
            ModelSpec(
                "cart",
                DecisionTreeRegressor(random_state=rs),
                {"max_depth": [4, 8, None], "min_samples_leaf": [1, 5, 20]},
            ),
            ModelSpec(
                "random_forest",
                RandomForestRegressor(n_estimators=300, n_jobs=1, random_state=rs),
                forest_space,
            ),
            ModelSpec(
                "extra_trees",
                ExtraTreesRegressor(n_estimators=300, n_jobs=1, random_state=rs),
                forest_space,
            ),
            ModelSpec(
                "hist_gradient_boosting",
                HistGradientBoostingRegressor(random_state=rs),
                hgb_space,
            ),
            ModelSpec("xgboost", _xgb(False, rs), xgb_space),
            ModelSpec("mlp", MLPRegressor(random_state=rs), mlp_space),
        ]
    else:
        prefixed_xgb = {f"estimator__{k}": v for k, v in xgb_space.items()}
        specs = [
            ModelSpec(
                "logistic_regression",
                LogisticRegression(max_iter=2000),
                {"C": [0.01, 0.1, 1.0, 10.0]},
            ),
            ModelSpec(
                "lda",
                LinearDiscriminantAnalysis(),
                {"solver": ["lsqr"], "shrinkage": [None, "auto"]},
            ),
            ModelSpec(
                "knn",
                KNeighborsClassifier(),
                {"n_neighbors": [5, 15, 30], "weights": ["uniform", "distance"]},
            ),
            ModelSpec("naive_bayes", GaussianNB(), {"var_smoothing": [1e-9, 1e-6]}),
            ModelSpec("svm", SVC(random_state=rs), {"C": [0.1, 1, 10]}),
            ModelSpec(
                "cart",
                DecisionTreeClassifier(random_state=rs),
                {"max_depth": [4, 8, None], "min_samples_leaf": [1, 5, 20]},
            ),
            ModelSpec(
                "random_forest",
                RandomForestClassifier(n_estimators=300, n_jobs=1, random_state=rs),
                forest_space,
            ),
            ModelSpec(
                "extra_trees",
                ExtraTreesClassifier(n_estimators=300, n_jobs=1, random_state=rs),
                forest_space,
            ),
            ModelSpec(
                "hist_gradient_boosting",
                HistGradientBoostingClassifier(random_state=rs),
                hgb_space,
            ),
            ModelSpec("xgboost", _xgb(True, rs), prefixed_xgb),
            ModelSpec("mlp", MLPClassifier(random_state=rs), mlp_space),
        ]
    return [spec for spec in specs if small or spec.name != "svm"]
