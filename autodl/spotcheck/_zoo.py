"""The default model zoo: what a practitioner spot-checks, with what we know of each.

A :class:`ModelSpec` carries the knowledge a search needs about a model, so no other
module keeps lists of model names: whether its inputs must be on one scale, what a
fit costs relative to a default LightGBM fit, and which parameter is its training
length (the resource successive halving gives out).
"""

import inspect
import time
from collections import namedtuple

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
    is_classifier,
)
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from autodl.utils import check_option, current_fit_deadline, draw_seed, take_rows

ModelSpec = namedtuple(
    "ModelSpec",
    ["name", "estimator", "space", "scale_sensitive", "cost", "resource", "holds_gil"],
    defaults=(False, 1.0, None, False),
)
ModelSpec.__doc__ = """A model of the zoo and what a search needs to know about it.

name : str
    The family name (``"lightgbm"``, ``"logistic_regression"``, ...).
estimator : estimator
    Unfitted, with the zoo's default settings.
space : dict
    Maps the estimator's parameter names to lists of values to try when tuning
    (the choices of a random search, or a grid for ``GridSearchCV``).
scale_sensitive : bool, default=False
    Whether the inputs must be on one scale (linear models, kNN, SVMs, nets);
    trees take encoded data as it is.
cost : float, default=1.0
    A fit's time relative to the zoo's default LightGBM on the same data, a prior
    that a search replaces by what it measures (for the forests, CatBoost and the
    net, the median over the meta suite's data sets for the task).
resource : str or None, default=None
    The parameter that sets the training length, for successive halving
    (``"max_epochs"`` for the nets).
holds_gil : bool, default=False
    Whether a fit holds Python's GIL most of its time (HistGradientBoosting's
    Python loop over small trees): two such fits on threads of one process take
    longer than one after the other (on yeast, 4 folds of the default on 2
    threads 2.8 s, in turn 1.5 s), so a search on threads runs them in turn.
"""

TASKS = ("binary", "multiclass", "classification", "regression")

# SVMs scale quadratically or worse with rows: spot-checked on small data only.
SVM_MAX_SAMPLES = 5_000
# Boosted trees: rounds at most, and rounds without gain on the inner validation
# split before they stop (the best round is kept).
_MAX_ROUNDS = 3000
_PATIENCE = 50
# Forests under a deadline: the trees grown before their time per tree is known,
# and the most grown between two looks at the clock.
_FIRST_TREES = 10
_TREE_CHUNK = 50
# HistGradientBoosting under a deadline: the iterations trained before their time
# per iteration is known.
_FIRST_ITERATIONS = 10


# Each boosting library's own defaults, as parameters of the zoo's estimator: the
# library's round count and learning rate, trained on every row, nothing held out.
# A default boosted tree is the bar a search must clear: it validates these, and
# benchmarks/build_portfolio.py scores them with its pool.
LIBRARY_DEFAULTS = {
    "lightgbm": {
        "validation_fraction": 0.0,
        "estimator__n_estimators": 100,
        "estimator__learning_rate": 0.1,
    },
    "xgboost": {
        "validation_fraction": 0.0,
        "estimator__n_estimators": 100,
        "estimator__learning_rate": None,
    },
    "catboost": {"validation_fraction": 0.0, "estimator__iterations": 1000},
    "hist_gradient_boosting": {
        "max_iter": 100,
        "early_stopping": "auto",
        "n_iter_no_change": 10,
    },
}
# The boosting libraries whose own defaults are the bar the search must clear
# (portfolio.json's "library_defaults", which the search walks early).
REFERENCES = ("lightgbm", "hist_gradient_boosting", "catboost")


class _CatBoostClock:
    """A CatBoost callback: training goes on while the deadline is ahead."""

    def __init__(self, deadline):
        self.deadline = deadline

    def after_iteration(self, info):
        return time.time() < self.deadline


def _lightgbm_clock(deadline, stopping=None):
    """A LightGBM callback that ends training at ``deadline``, keeping the best
    round so far of the ``stopping`` callback (``lightgbm.early_stopping``)."""
    from lightgbm.callback import EarlyStopException

    def stop_at_deadline(env):
        if time.time() < deadline:
            return
        if stopping is not None and getattr(stopping, "best_iter", None):
            raise EarlyStopException(stopping.best_iter[0], stopping.best_score_list[0])
        raise EarlyStopException(env.iteration, env.evaluation_result_list)

    stop_at_deadline.order = 40  # after early stopping's (30) has seen the round
    return stop_at_deadline


def _deadline_fit_params(estimator, deadline, stopping=None):
    """``fit`` keywords that end a boosting library's training at ``deadline``.

    XGBoost takes its callbacks as a parameter: they are set on ``estimator``,
    and :func:`_without_clock` takes them off after the fit.
    """
    if deadline is None:
        return {}
    library = type(estimator).__module__.split(".")[0]
    if library == "lightgbm":
        return {"callbacks": [_lightgbm_clock(deadline, stopping)]}
    if library == "catboost":
        return {"callbacks": [_CatBoostClock(deadline)]}
    if library == "xgboost":
        from xgboost.callback import TrainingCallback

        class Clock(TrainingCallback):
            # XGBoost asks its callbacks in turn until one stops training, and
            # asks its early stopping last: it has to see the first round
            def after_iteration(self, model, epoch, evals_log):
                return epoch > 0 and time.time() >= deadline

        estimator.set_params(callbacks=[*(estimator.callbacks or []), Clock()])
    return {}


def _without_clock(estimator, callbacks):
    """Put back an XGBoost model's own callbacks (a fitted model pickles)."""
    if type(estimator).__module__.split(".")[0] == "xgboost":
        estimator.set_params(callbacks=callbacks)


def _cut_rounds(model):
    """``(parameter, rounds, fixed)`` of a boosted model trained without a
    validation split that a deadline stopped early; ``None`` when it trained all
    its rounds (see :func:`trained_rounds`)."""
    library = type(model).__module__.split(".")[0]
    fixed = {}
    if library == "lightgbm":
        name, done = "estimator__n_estimators", model.booster_.current_iteration()
        planned = model.n_estimators
    elif library == "xgboost":
        name, done = "estimator__n_estimators", model.get_booster().num_boosted_rounds()
        planned = model.n_estimators or 100  # XGBoost's default
    else:  # CatBoost's rate follows its round count unless it is fixed
        name, done = "estimator__iterations", model.tree_count_
        planned = model.get_params().get("iterations") or 1000
        fixed = {"estimator__learning_rate": float(model.learning_rate_)}
    return (name, done, fixed) if done < planned else None


def _early_stopping_fit_params(estimator, X_val, y_val, w_val=None, deadline=None):
    """``fit`` keywords that make a boosting library stop on ``(X_val, y_val)``.

    ``w_val``: the validation rows' sample weights (weighing the stopping metric);
    ``deadline``: a ``time.time()`` at which training ends anyway (or ``None``).
    """
    library = type(estimator).__module__.split(".")[0]
    weighted = w_val is not None
    if library == "lightgbm":
        from lightgbm import early_stopping

        stopping = early_stopping(_PATIENCE, verbose=False)
        clock = _deadline_fit_params(estimator, deadline, stopping)
        stop = {"callbacks": [stopping, *clock.get("callbacks", [])]}
        if weighted:
            stop["eval_sample_weight"] = [w_val]
        if "eval_X" in inspect.signature(estimator.fit).parameters:  # LightGBM>=4.7
            return {"eval_X": (X_val,), "eval_y": (y_val,), **stop}
        return {"eval_set": [(X_val, y_val)], **stop}
    clock = _deadline_fit_params(estimator, deadline)
    if library == "xgboost":
        weights = {"sample_weight_eval_set": [w_val]} if weighted else {}
        return {"eval_set": [(X_val, y_val)], "verbose": False, **weights}
    if library == "catboost":
        from catboost import Pool

        valid = Pool(X_val, y_val, weight=w_val) if weighted else (X_val, y_val)
        return {"eval_set": valid, "early_stopping_rounds": _PATIENCE, **clock}
    raise ValueError(
        f"{type(estimator).__name__} is not a LightGBM, XGBoost or CatBoost model; "
        "early stopping on a validation split supports those three."
    )


class _EarlyStopped(MetaEstimatorMixin, BaseEstimator):
    """A boosted-tree model trained with early stopping on an inner validation split.

    ``validation_fraction`` of the training rows (stratified for classifiers) are
    held out; the model adds trees until ``_PATIENCE`` rounds bring no gain on
    them and keeps its best round, as LightGBM, XGBoost and CatBoost document.
    The held-out rows are training rows: nothing outside ``fit``'s data is seen.
    ``validation_fraction=0`` holds nothing out: the library trains its own number
    of rounds on every row (with its defaults, the library's default model).
    """

    def __init__(self, estimator, validation_fraction=0.1, random_state=None):
        self.estimator = estimator
        self.validation_fraction = validation_fraction
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        y = np.asarray(y)
        weight = {} if sample_weight is None else {"sample_weight": sample_weight}
        if is_classifier(self.estimator):
            self.encoder_ = LabelEncoder().fit(y)
            self.classes_ = self.encoder_.classes_
            y = self.encoder_.transform(y)
        self.estimator_ = clone(self.estimator)
        callbacks = self.estimator_.get_params().get("callbacks")
        try:
            self._fit(X, y, sample_weight, weight)
        finally:
            _without_clock(self.estimator_, callbacks)
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def _fit(self, X, y, sample_weight, weight):
        deadline = current_fit_deadline()
        n_val = int(round(self.validation_fraction * len(y)))
        stratify = None
        if is_classifier(self.estimator):
            counts = np.bincount(y)
            n_val = max(n_val, len(counts))
            stratify = y if counts.min() >= 2 else None
        if not self.validation_fraction or n_val < 10 or len(y) - n_val < 10:
            # nothing held out, or too few rows to hold any out
            self._fit_without_stopping(X, y, weight, deadline)
        else:
            seed = draw_seed(self.random_state)
            train, val = train_test_split(
                np.arange(len(y)), test_size=n_val, random_state=seed, stratify=stratify
            )
            X_val, y_val = _rows(X, val), y[val]
            if is_classifier(self.estimator) and len(np.unique(y[train])) < len(
                self.classes_
            ):
                # a class only in validation
                self._fit_without_stopping(X, y, weight, deadline)
            else:
                w_val = take_rows(sample_weight, val)
                self.estimator_.fit(
                    _rows(X, train),
                    y[train],
                    **{k: take_rows(v, train) for k, v in weight.items()},
                    **_early_stopping_fit_params(
                        self.estimator_, X_val, y_val, w_val, deadline
                    ),
                )
                self.rounds_ = _kept_rounds(self.estimator_)

    def _fit_without_stopping(self, X, y, weight, deadline):
        if "early_stopping_rounds" in self.estimator_.get_params():
            self.estimator_.set_params(early_stopping_rounds=None)  # xgboost's
        self.estimator_.fit(
            X, y, **weight, **_deadline_fit_params(self.estimator_, deadline)
        )
        # the rounds trained by the deadline, for a refit on every row
        self.rounds_ = None if deadline is None else _cut_rounds(self.estimator_)

    def predict(self, X):
        check_is_fitted(self)
        if not hasattr(self, "classes_"):
            return np.asarray(self.estimator_.predict(X)).ravel()
        return self.classes_[self.estimator_.predict_proba(X).argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _kept_rounds(model):
    """``(parameter, rounds, fixed)`` of a model its library stopped early.

    See :func:`trained_rounds`; ``model`` is the library's own, fitted with a
    validation set (``None`` when it did not stop early).
    """
    library = type(model).__module__.split(".")[0]
    off = {"validation_fraction": 0}
    if library == "lightgbm":
        return (
            "estimator__n_estimators",
            model.best_iteration_ or model.n_estimators,
            off,
        )
    if library == "xgboost":
        if model.get_params()["early_stopping_rounds"] is None:
            return None  # an XGBoost given without it trains all its rounds
        return "estimator__n_estimators", model.best_iteration + 1, off
    # CatBoost sets its learning rate from the round count when none is given:
    # the refit keeps the rate these rounds were trained with
    lr = {"estimator__learning_rate": float(model.learning_rate_)}
    return "estimator__iterations", model.get_best_iteration() + 1, {**off, **lr}


def trained_rounds(model):
    """The rounds a boosted model's early stopping kept, as parameters.

    ``(parameter, rounds, fixed)`` for a fitted zoo booster that stopped early on
    an inner validation split (LightGBM, XGBoost, CatBoost through the zoo's
    wrapper, or a ``HistGradientBoosting*`` model with early stopping on):
    ``parameter`` is its round count as ``set_params`` names it, ``rounds`` the
    rounds kept, and ``fixed`` the parameters that train without holding rows out.
    ``None`` for any other model (one that trained its rounds on every row too).
    See :func:`with_rounds`.
    """
    if isinstance(model, _EarlyStopped):
        return getattr(model, "rounds_", None)
    if getattr(model, "do_early_stopping_", False):  # HistGradientBoosting
        return "max_iter", int(model.n_iter_), {"early_stopping": False}
    if getattr(model, "iterations_", None):  # one the deadline cut short
        return "max_iter", model.iterations_, {}
    if getattr(model, "trees_", None):  # a forest the deadline cut short
        return "n_estimators", model.trees_, {}
    return None


def with_rounds(pipeline, fold_rounds):
    """``pipeline`` set to train its folds' mean round count on every row.

    The refit of an early-stopped boosted model on all the rows: nothing held out,
    the mean of the rounds early stopping kept in each cross-validation fold
    (AutoGluon's ``refit_full``). Measured on the meta suite, it beats early
    stopping again on 10 % of the rows (docs/automl.md). ``fold_rounds`` holds
    :func:`trained_rounds` of each fold's final estimator; ``pipeline`` is an
    unfitted clone, changed in place and returned, and left as it is when a fold
    has no rounds.
    """
    if not fold_rounds or any(r is None for r in fold_rounds):
        return pipeline
    name, _, fixed = fold_rounds[0]
    rounds = max(1, round(float(np.mean([r[1] for r in fold_rounds]))))
    prefix, _ = final_step(pipeline)
    params = {name: rounds, **fixed}
    return pipeline.set_params(**{prefix + k: v for k, v in params.items()})


def final_step(estimator):
    """``(prefix, estimator)``: the last step of (nested) pipelines and its
    ``set_params`` prefix (``"model__"``); ``("", estimator)`` for a model."""
    prefix = ""
    while hasattr(estimator, "steps"):
        name, estimator = estimator.steps[-1]
        prefix += f"{name}__"
    return prefix, estimator


class _EarlyStoppedClassifier(ClassifierMixin, _EarlyStopped):
    def predict_proba(self, X):
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)


class _EarlyStoppedRegressor(RegressorMixin, _EarlyStopped):
    pass


class _AnytimeBoosting:
    """HistGradientBoosting that stops adding iterations at the fit deadline.

    scikit-learn's takes no callback. Without a deadline
    (:func:`~autodl.utils.fit_deadline`) it is scikit-learn's model. Under one, it
    trains ``_FIRST_ITERATIONS``, then, warm started (the same validation split and
    early stopping), as many more as the measured time an iteration takes fits
    before the deadline, and stops there, where early stopping stops it, or at
    ``max_iter``: usually two fits. A sampled configuration (learning rate 0.03,
    127 leaves) took 29 s on optdigits where the family's other fits took 2 to 3,
    and a 60 s search ended at 69 s. ``iterations_`` are the iterations trained
    when the deadline cut them short (``None`` otherwise), the rounds a refit on
    every row trains (see :func:`trained_rounds`).
    """

    def fit(self, X, y, sample_weight=None, **fit_params):
        deadline = current_fit_deadline()
        self.iterations_ = None
        if deadline is None or self.warm_start:
            return super().fit(X, y, sample_weight, **fit_params)
        planned = self.max_iter
        start = time.time()
        try:
            self.max_iter = min(planned, _FIRST_ITERATIONS)
            super().fit(X, y, sample_weight, **fit_params)
            self.warm_start = True
            # until early stopping stops it (fewer than asked) or max_iter
            while self.n_iter_ == self.max_iter < planned:
                now = time.time()
                fits = int((deadline - now) / ((now - start) / self.n_iter_))
                if fits < 1:
                    self.iterations_ = self.n_iter_
                    break
                self.max_iter = min(planned, self.n_iter_ + fits)
                super().fit(X, y, sample_weight, **fit_params)
        finally:
            self.max_iter, self.warm_start = planned, False
        return self


class _HistGradientBoostingRegressor(_AnytimeBoosting, HistGradientBoostingRegressor):
    pass


class _HistGradientBoostingClassifier(_AnytimeBoosting, HistGradientBoostingClassifier):
    """scikit-learn's, with early stopping also on a class of one training row.

    scikit-learn holds out a stratified validation split, which refuses a class
    of one row (a search's training fold of a rare class can hold one): the fit
    failed. Here such rows stay in training and the others are split, stratified,
    as scikit-learn would split them all.
    """

    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None, **val_params):
        if X_val is not None or y_val is not None:  # the caller's split
            return super().fit(
                X, y, sample_weight, X_val=X_val, y_val=y_val, **val_params
            )
        y = np.asarray(y)
        _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
        stops = self.early_stopping is True or (
            self.early_stopping == "auto" and len(inverse) > 10_000  # scikit-learn's
        )
        if not stops or self.validation_fraction is None or counts.min() >= 2:
            return super().fit(X, y, sample_weight=sample_weight)
        common = np.flatnonzero(counts[inverse] >= 2)
        train, val = train_test_split(
            common,
            test_size=self.validation_fraction,
            stratify=inverse[common],
            random_state=check_random_state(self.random_state),
        )
        train = np.sort(np.concatenate([train, np.flatnonzero(counts[inverse] < 2)]))
        return super().fit(
            _rows(X, train),
            y[train],
            sample_weight=take_rows(sample_weight, train),
            X_val=_rows(X, val),
            y_val=y[val],
            sample_weight_val=take_rows(sample_weight, val),
        )


class _AnytimeForest:
    """A forest that stops adding trees at the fit deadline, keeping those grown.

    Without a deadline (:func:`~autodl.utils.fit_deadline`) it is scikit-learn's
    forest. Under one, it grows ``_FIRST_TREES`` trees, then chunks sized from the
    measured time a tree takes to end by the deadline, and stops there: a forest
    cannot be stopped mid-fit, and its cost grows faster with rows than a boosted
    tree's (extra trees took 33 LightGBM fits on a 30,000-row regression set at
    10 s, 7.5 on the meta suite's median set). AutoGluon's forests fit the trees
    their time limit allows in the same way. ``trees_`` are the trees grown when
    the deadline cut them short (``None`` when all were grown), the rounds a refit
    on every row trains (see :func:`trained_rounds`).
    """

    def fit(self, X, y, sample_weight=None):
        deadline = current_fit_deadline()
        if deadline is None:
            super().fit(X, y, sample_weight)
            self.trees_ = None
            return self
        planned, warm_start = self.n_estimators, self.warm_start
        if hasattr(self, "estimators_"):
            del self.estimators_  # a new fit grows a new forest
        start, grown, step = time.time(), 0, min(self.n_estimators, _FIRST_TREES)
        try:
            # warm starts draw each tree's seed as one fit would: the same forest
            self.warm_start = True
            while step > 0:
                self.n_estimators = grown + step
                super().fit(X, y, sample_weight)
                grown = len(self.estimators_)
                now = time.time()
                fits = int((deadline - now) / ((now - start) / grown))
                step = min(planned - grown, fits, _TREE_CHUNK)
        finally:
            self.n_estimators, self.warm_start = planned, warm_start
        self.trees_ = grown if grown < planned else None
        return self


class _RandomForestClassifier(_AnytimeForest, RandomForestClassifier):
    pass


class _RandomForestRegressor(_AnytimeForest, RandomForestRegressor):
    pass


class _ExtraTreesClassifier(_AnytimeForest, ExtraTreesClassifier):
    pass


class _ExtraTreesRegressor(_AnytimeForest, ExtraTreesRegressor):
    pass


def _rows(X, index):
    return X.iloc[index] if hasattr(X, "iloc") else X[index]


def _boosted(estimator, classification, random_state):
    wrapper = _EarlyStoppedClassifier if classification else _EarlyStoppedRegressor
    return wrapper(estimator, random_state=random_state)


def _lightgbm(classification, rs):
    from lightgbm import LGBMClassifier, LGBMRegressor

    cls = LGBMClassifier if classification else LGBMRegressor
    model = cls(
        n_estimators=_MAX_ROUNDS,
        learning_rate=0.05,
        n_jobs=1,
        random_state=rs,
        verbose=-1,
    )
    space = {
        "num_leaves": [8, 16, 31, 63, 127],
        "learning_rate": [0.01, 0.03, 0.05, 0.1],
        "min_child_samples": [2, 5, 10, 20, 50],
        "colsample_bytree": [0.4, 0.6, 0.8, 1.0],
        "subsample": [0.6, 0.8, 1.0],
        "subsample_freq": [1],
        "reg_lambda": [0.0, 0.1, 1.0, 5.0],
        "extra_trees": [False, True],
    }
    return _boosted(model, classification, rs), space


def _catboost(classification, rs):
    from catboost import CatBoostClassifier, CatBoostRegressor

    cls = CatBoostClassifier if classification else CatBoostRegressor
    # no learning_rate: CatBoost sets it from the data size and the round count
    model = cls(
        iterations=_MAX_ROUNDS,
        thread_count=1,
        random_seed=rs,
        verbose=0,
        allow_writing_files=False,
    )
    space = {
        "depth": [4, 5, 6, 7, 8],
        "learning_rate": [0.03, 0.05, 0.1],
        "l2_leaf_reg": [1, 3, 5, 10],
        "random_strength": [0.5, 1, 2],
    }
    return _boosted(model, classification, rs), space


def _xgboost(classification, rs):
    from xgboost import XGBClassifier, XGBRegressor

    cls = XGBClassifier if classification else XGBRegressor
    model = cls(
        n_estimators=_MAX_ROUNDS,
        learning_rate=0.1,
        early_stopping_rounds=_PATIENCE,
        n_jobs=1,
        verbosity=0,
        random_state=rs,
    )
    space = {
        "max_depth": [3, 4, 6, 8, 10],
        "learning_rate": [0.01, 0.03, 0.05, 0.1],
        "min_child_weight": [0.5, 1, 2, 5],
        "subsample": [0.6, 0.8, 1.0],
        "colsample_bytree": [0.5, 0.7, 0.9, 1.0],
        "reg_lambda": [0.1, 1.0, 5.0],
    }
    return _boosted(model, classification, rs), space


def _prefixed(space, prefix="estimator__"):
    return {f"{prefix}{key}": values for key, values in space.items()}


def default_models(task, n_samples=None, random_state=None):
    """The curated model zoo for a task, each with a search space and its costs.

    Linear models (logistic regression or ridge, lasso, elastic net, LDA), kNN, naive
    Bayes, an SVM (only when ``n_samples`` is at most 5,000), a decision tree, random
    forest, extra trees, and the boosted trees: histogram gradient boosting,
    LightGBM, XGBoost and CatBoost, each trained with many trees and early stopping
    on an inner validation split of its training rows; and autodl's MLP. The
    estimators are unfitted and take the data as it is: put scaling in a *view* (see
    :class:`SpotCheck`), so each model can be compared on raw and rescaled inputs
    (``spec.scale_sensitive`` says which need it).

    The MLP is the net with its defaults, the tabular recipe (RealMLP's input
    scaling, piecewise-linear numerical embeddings, parametric activations, a
    flat-then-anneal schedule; see :class:`autodl.neural.MLPClassifier`). Its
    space is a topology search: ``hidden_layer_sizes`` over depth (1 to 3 hidden
    layers), width (64 to 256 units) and shape (constant, funnel, diamond; see
    :func:`autodl.neural.hidden_layer_space`), with the embedding, the scaling,
    ``batch_size``, ``lr_schedule``, ``lr`` and ``dropout``; ``AutoClassifier``
    searches it with successive halving on ``max_epochs`` (``spec.resource``).

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
        ``(name, estimator, space, scale_sensitive, cost, resource)`` named tuples;
        ``space`` maps parameter names of ``estimator`` to the values to try when
        tuning.

    Examples
    --------
    >>> from autodl.spotcheck import default_models
    >>> [spec.name for spec in default_models("regression")][:3]
    ['ridge', 'lasso', 'elastic_net']
    >>> [s.name for s in default_models("binary") if not s.scale_sensitive][:3]
    ['cart', 'random_forest', 'extra_trees']
    """
    check_option("task", task, TASKS)
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
    from sklearn.svm import SVC, SVR
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    from autodl.neural import MLPClassifier, MLPRegressor, hidden_layer_space

    rs = random_state
    classification = task != "regression"
    small = n_samples is None or n_samples <= SVM_MAX_SAMPLES
    forest_space = {
        "max_features": ["sqrt", 0.3, 0.5, 0.75, 1.0],
        "min_samples_leaf": [1, 2, 5, 10],
    }
    hgb_space = {
        "learning_rate": [0.03, 0.05, 0.1, 0.2],
        "max_leaf_nodes": [15, 31, 63, 127],
        "min_samples_leaf": [5, 10, 20, 50],
        "l2_regularization": [0.0, 0.1, 1.0, 10.0],
        "max_features": [0.5, 0.8, 1.0],
    }
    # the net's own defaults are the tabular recipe measured on the meta suite
    # (docs/neural.md); the space is a topology search around them: depth x width
    # x shape of the hidden layers, with the embedding, scaling and schedule
    mlp_space = {
        "hidden_layer_sizes": hidden_layer_space(
            depths=(1, 2, 3), widths=(64, 128, 256)
        ),
        "numeric_embedding": ["piecewise_linear", "periodic", None],
        # 48 bins lift the thyroid sets by 0.03 to 0.09 and cost most small sets
        # (docs/neural.md, round 9): searched, not the default
        "n_bins": [16, 48],
        # the tree's thresholds added to the quantiles lift the thyroid sets
        # (allhypo +0.01 to +0.13) and cost others: searched, not the default
        "binning": ["quantile", "both"],
        "input_scaling": ["robust_smooth_clip", "quantile"],
        "activation": ["pselu", "relu"],
        "batch_size": [64, 128, 256],
        "lr": [1e-3, 2e-3, 4e-3],
        "lr_schedule": ["flat_anneal", "cosine", None],
        "dropout": [0.0, 0.15],
        # the average of the run's last quarter lifts regression by +0.03 to +0.10
        # R2 a set and ties the best epoch on classification (docs/neural.md, round
        # 14): each task's default, the other searched
        "weight_averaging": [None, "ema"],
    }
    if classification:
        mlp_space["label_smoothing"] = [0.0, 0.1]
    hgb_cls = (
        _HistGradientBoostingClassifier
        if classification
        else _HistGradientBoostingRegressor
    )
    hgb = hgb_cls(
        max_iter=1000, early_stopping=True, n_iter_no_change=20, random_state=rs
    )
    forest, extra = (
        (_RandomForestClassifier, _ExtraTreesClassifier)
        if classification
        else (_RandomForestRegressor, _ExtraTreesRegressor)
    )
    lightgbm, lightgbm_space = _lightgbm(classification, rs)
    xgboost, xgboost_space = _xgboost(classification, rs)
    catboost, catboost_space = _catboost(classification, rs)
    # a fit's time relative to the zoo's LightGBM: the median over the meta suite's
    # data sets, per task (benchmarks/build_portfolio.py prints them); forests and
    # nets cost far more on a regression target, CatBoost less
    cost = (
        {"random_forest": 2.0, "extra_trees": 1.5, "catboost": 9.0, "mlp": 9.0}
        if classification
        else {"random_forest": 15.0, "extra_trees": 7.5, "catboost": 4.5, "mlp": 16.0}
    )
    trees = [
        ModelSpec(
            "cart",
            (DecisionTreeClassifier if classification else DecisionTreeRegressor)(
                random_state=rs
            ),
            {"max_depth": [4, 8, None], "min_samples_leaf": [1, 5, 20]},
            cost=0.1,
        ),
        ModelSpec(
            "random_forest",
            forest(n_estimators=300, n_jobs=1, random_state=rs),
            forest_space,
            cost=cost["random_forest"],
        ),
        ModelSpec(
            "extra_trees",
            extra(n_estimators=300, n_jobs=1, random_state=rs),
            forest_space,
            cost=cost["extra_trees"],
        ),
        ModelSpec("hist_gradient_boosting", hgb, hgb_space, cost=1.0, holds_gil=True),
        ModelSpec("lightgbm", lightgbm, _prefixed(lightgbm_space), cost=1.0),
        ModelSpec("xgboost", xgboost, _prefixed(xgboost_space), cost=1.5),
        ModelSpec(
            "catboost", catboost, _prefixed(catboost_space), cost=cost["catboost"]
        ),
    ]
    mlp = ModelSpec(
        "mlp",
        # one net a configuration: the search ensembles configurations itself
        (MLPClassifier if classification else MLPRegressor)(n_seeds=1, random_state=rs),
        mlp_space,
        scale_sensitive=True,
        cost=cost["mlp"],
        resource="max_epochs",
    )
    if not classification:
        specs = [
            ModelSpec("ridge", Ridge(), {"alpha": [0.1, 1.0, 10.0, 100.0]}, True, 0.1),
            ModelSpec(
                "lasso",
                Lasso(random_state=rs),
                {"alpha": [1e-3, 1e-2, 1e-1, 1]},
                True,
                0.2,
            ),
            ModelSpec(
                "elastic_net",
                ElasticNet(random_state=rs),
                {"alpha": [1e-3, 1e-2, 1e-1], "l1_ratio": [0.2, 0.5, 0.8]},
                True,
                0.2,
            ),
            ModelSpec(
                "knn",
                KNeighborsRegressor(),
                {"n_neighbors": [5, 15, 30], "weights": ["uniform", "distance"]},
                True,
                0.3,
            ),
            ModelSpec("svm", SVR(), {"C": [0.1, 1, 10], "gamma": ["scale"]}, True, 2.0),
            *trees,
            mlp,
        ]
    else:
        specs = [
            ModelSpec(
                "logistic_regression",
                LogisticRegression(max_iter=2000),
                {"C": [0.01, 0.1, 1.0, 10.0]},
                True,
                0.3,
            ),
            ModelSpec(
                "lda",
                LinearDiscriminantAnalysis(),
                {"solver": ["lsqr"], "shrinkage": [None, "auto"]},
                True,
                0.1,
            ),
            ModelSpec(
                "knn",
                KNeighborsClassifier(),
                {"n_neighbors": [5, 15, 30], "weights": ["uniform", "distance"]},
                True,
                0.3,
            ),
            ModelSpec(
                "naive_bayes", GaussianNB(), {"var_smoothing": [1e-9, 1e-6]}, True, 0.05
            ),
            ModelSpec(
                # probabilities by Platt scaling on 5-fold decision values, as
                # scikit-learn >= 1.9 asks instead of SVC(probability=True): ranked
                # and ensembled as any
                "svm",
                CalibratedClassifierCV(SVC(random_state=rs), ensemble=False),
                {"estimator__C": [0.1, 1, 10]},
                True,
                3.0,
            ),
            *trees,
            mlp,
        ]
    return [spec for spec in specs if small or spec.name != "svm"]
