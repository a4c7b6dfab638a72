"""FeatureSelector: drop useless features, alone or by a consensus of methods."""

import numbers
import warnings

import numpy as np
from scipy.stats import rankdata
from sklearn.base import BaseEstimator
from sklearn.ensemble import ExtraTreesClassifier, ExtraTreesRegressor
from sklearn.feature_selection import (
    RFE,
    RFECV,
    SelectFdr,
    SelectFromModel,
    SelectorMixin,
    f_classif,
    f_regression,
    mutual_info_classif,
    mutual_info_regression,
)
from sklearn.linear_model import LassoCV, LassoLarsIC, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from autodl.utils import (
    check_params,
    check_weights,
    draw_seed,
    positive_rows,
    resolve_task,
    validate_numeric,
)
from autodl.utils._docstring import (
    Substitution,
    _random_state_docstring,
)
from autodl.utils._param_validation import (
    Described,
    Interval,
    StrOptions,
    one_of,
)
from autodl.utils._task import TASKS

_METHODS = (
    "variance",
    "univariate",
    "mutual_info",
    "model",
    "l1",
    "rfe",
    "consensus",
)
# the methods that vote in method="consensus"
CONSENSUS_METHODS = ("univariate", "mutual_info", "model", "l1")


def _l1_logistic(n_classes, seed):
    """An L1-penalised logistic regression, whatever the scikit-learn version."""
    solver = "liblinear" if n_classes == 2 else "saga"
    params = {"C": 0.1, "solver": solver, "max_iter": 1000, "random_state": seed}
    if LogisticRegression().get_params()["penalty"] == "deprecated":  # >= 1.8
        return LogisticRegression(l1_ratio=1.0, **params)
    return LogisticRegression(penalty="l1", **params)  # pragma: no cover


def _coef_getter(pipeline):
    return f"named_steps.{pipeline.steps[-1][0]}.coef_"


def _coef_scores(pipeline):
    """|coefficient| per feature, summed over classes (SelectFromModel's norm)."""
    coef = np.atleast_2d(pipeline.steps[-1][1].coef_)
    return np.abs(coef).sum(axis=0)


def _score(method, X, y, task, k, seed):
    """Score every feature with one method.

    Returns ``(scores, auto_mask)``: higher scores are better, and ``auto_mask``
    holds the features the method keeps by its own criterion (``k="auto"``).
    ``k`` (an int or None for "auto") matters only to ``"rfe"``.
    """
    classify = task == "classification"
    if method == "variance":
        variances = np.var(X, axis=0)
        return variances, np.ptp(X, axis=0) > 0  # VarianceThreshold's rule for 0
    if method == "univariate":
        score_func = f_classif if classify else f_regression
        with warnings.catch_warnings():
            # constant features get a NaN score (never selected): say nothing
            warnings.filterwarnings("ignore", message="Features .* are constant")
            warnings.simplefilter("ignore", RuntimeWarning)
            fdr = SelectFdr(score_func, alpha=0.05).fit(X, y)
        return fdr.scores_, fdr.get_support()
    if method == "mutual_info":
        mi = mutual_info_classif if classify else mutual_info_regression
        scores = mi(X, y, random_state=seed)
        return scores, scores >= scores.mean()
    if method == "model":
        trees = ExtraTreesClassifier if classify else ExtraTreesRegressor
        selector = SelectFromModel(
            trees(n_estimators=50, random_state=seed), threshold="mean"
        ).fit(X, y)
        return selector.estimator_.feature_importances_, selector.get_support()
    if method == "l1":
        if classify:
            linear = _l1_logistic(np.unique(y).size, seed)
        elif X.shape[0] > X.shape[1] + 1:  # BIC needs a noise variance estimate
            linear = LassoLarsIC(criterion="bic")
        else:
            linear = LassoCV(cv=3, random_state=seed)
        model = make_pipeline(StandardScaler(), linear)
        selector = SelectFromModel(
            model, threshold=1e-5, importance_getter=_coef_getter(model)
        ).fit(X, y)
        return _coef_scores(selector.estimator_), selector.get_support()
    # method == "rfe": recursive elimination with a standardised linear model
    model = make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=1000) if classify else Ridge()
    )
    if k is None:
        rfe = RFECV(model, cv=3, importance_getter=_coef_getter(model))
    else:
        rfe = RFE(model, n_features_to_select=k, importance_getter=_coef_getter(model))
    rfe.fit(X, y)
    return -rfe.ranking_.astype(float), rfe.support_


def _top_k(scores, k):
    """Mask of the ``k`` best scores (NaN is worst; ties go to the first column)."""
    order = np.argsort(-np.nan_to_num(scores, nan=-np.inf), kind="stable")
    mask = np.zeros(scores.size, dtype=bool)
    mask[order[:k]] = True
    return mask


@Substitution(random_state=_random_state_docstring)
class FeatureSelector(SelectorMixin, BaseEstimator):
    """Keep the most useful features, chosen by one method or by several agreeing.

    Each method scores every feature; an integer ``k`` keeps the ``k`` best, and
    ``k="auto"`` lets the method decide by its own criterion (below). The
    selection is learned in :meth:`fit` only, so inside a pipeline it sees the
    training folds only. Works for classification and regression targets (a
    continuous ``y`` means regression, see ``task``).

    Parameters
    ----------
    method : {"consensus", "variance", "univariate", "mutual_info", "model", \
            "l1", "rfe"}, default="consensus"
        How features are scored, and what ``k="auto"`` keeps:

        - ``"variance"``: the variance of each feature (unsupervised; ``y`` is
          ignored). Auto keeps the non-constant features.
        - ``"univariate"``: the ANOVA F-statistic (classification) or the
          F-statistic of a univariate linear regression (regression). Auto keeps
          the features whose test is significant at a false discovery rate of 5%
          (:class:`~sklearn.feature_selection.SelectFdr`).
        - ``"mutual_info"``: the estimated mutual information with ``y``. Auto
          keeps the features at or above the mean.
        - ``"model"``: impurity importances of 50 extremely randomised trees.
          Auto keeps the features at or above the mean importance.
        - ``"l1"``: the absolute coefficients of an L1-penalised model on
          standardised features: logistic regression with ``C=0.1``, or a Lasso
          whose penalty minimises the BIC (:class:`~sklearn.linear_model.
          LassoLarsIC`; 3-fold cross-validation when there are fewer rows than
          features). Auto keeps the features with a non-zero coefficient.
        - ``"rfe"``: recursive feature elimination with a standardised logistic
          or ridge regression (:class:`~sklearn.feature_selection.RFE`). Auto
          picks the number of features by 3-fold cross-validation
          (:class:`~sklearn.feature_selection.RFECV`).
        - ``"consensus"``: the univariate, mutual information, model and L1
          methods each vote for their ``k`` best features (for ``k="auto"``: the
          features they keep by their own criterion). With an integer ``k`` the
          ``k`` features with the most votes are kept, ties broken by the mean
          rank across the four methods; with ``k="auto"`` the features that more
          than half of the methods vote for.

    k : int, float or "auto", default="auto"
        How many features to keep: an int (more than the number of features keeps
        them all, with a warning), a fraction of the features in (0, 1], or
        ``"auto"``. Resolved into :attr:`k_`. Whatever the method, at least one
        feature is kept.
    task : {"auto", "classification", "regression"}, default="auto"
        The kind of target. ``"auto"`` reads it from ``y``: continuous values,
        and floats with repeated values (ratings), are regression; integer or
        string labels are classification. Resolved into :attr:`task_`.
    {random_state}
        It seeds the random parts (mutual information estimates, trees, the
        L1 logistic solver).

    Attributes
    ----------
    k_ : int
        The number of features kept.
    support_ : ndarray of shape (n_features_in_,), dtype=bool
        The kept features (also :meth:`get_support`).
    scores_ : ndarray of shape (n_features_in_,)
        The score of each feature under ``method`` (higher is better; for
        ``"rfe"`` the negated elimination rank). For ``"consensus"``: the number
        of votes plus the mean normalised rank across the voters, in [0, 1),
        which breaks ties.
    votes_ : dict of str to ndarray of bool
        For ``method="consensus"`` only: the features each voting method picked.
    task_ : {"classification", "regression"} or None
        The kind of target the selection was learned for; ``None`` for
        ``method="variance"``.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.feature_selection.SelectKBest : Univariate selection of k features.
    sklearn.feature_selection.SelectFromModel : Selection by a model's weights.

    Examples
    --------
    >>> from autodl.datasets import load_demo
    >>> from autodl.preprocessing import FeatureSelector
    >>> X, y = load_demo("breast_cancer")
    >>> selector = FeatureSelector("consensus", k=5, random_state=0).fit(X, y)
    >>> selector.k_, selector.transform(X).shape
    (5, (569, 5))
    >>> "worst area" in selector.get_feature_names_out()
    True
    """

    _parameter_constraints = {
        "method": one_of(_METHODS),
        "k": [
            Described(
                "a positive int, a fraction in (0, 1] or 'auto'",
                Interval(numbers.Integral, 1, None, closed="left"),
                Interval(numbers.Real, 0, 1, closed="right"),
                StrOptions({"auto"}),
            )
        ],
        "task": one_of(TASKS),
    }

    def __init__(self, method="consensus", k="auto", task="auto", random_state=None):
        self.method = method
        self.k = k
        self.task = task
        self.random_state = random_state

    def _resolve_k(self, n_features):
        k = self.k
        if isinstance(k, str) and k == "auto":
            return None
        if isinstance(k, numbers.Integral) and not isinstance(k, bool) and k >= 1:
            if k > n_features:
                warnings.warn(
                    f"k={k} is more than the {n_features} features of X; keeping "
                    "all of them.",
                    UserWarning,
                    stacklevel=3,
                )
            return min(int(k), n_features)
        return max(1, int(round(k * n_features)))  # a fraction (see the table)

    def fit(self, X, y=None, sample_weight=None):
        """Score the features and choose the ones to keep.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training data.
        y : array-like of shape (n_samples,), default=None
            The target: class labels, or a continuous target for regression.
            Required by every method but ``"variance"``.
        sample_weight : array-like of shape (n_samples,), default=None
            The feature scores have no weighted form here: rows of weight 0 are
            left out (exact), the others count alike (a warning says so when
            their weights differ).

        Returns
        -------
        self : FeatureSelector
        """
        check_params(self)
        if self.method == "variance":
            X = validate_numeric(self, X)
        else:
            X, y = validate_numeric(self, X, y)
        weight = check_weights(sample_weight, X)
        if weight is not None:
            rows = positive_rows(weight, f"FeatureSelector({self.method!r})")
            X, y = X[rows], (None if y is None else np.asarray(y)[rows])
        self.task_ = None if self.method == "variance" else self._task(y)
        k = self._resolve_k(X.shape[1])
        seed = draw_seed(self.random_state)

        if self.method == "consensus":
            votes, ranks, self.votes_ = [], [], {}
            for method in CONSENSUS_METHODS:
                scores, auto = _score(method, X, y, self.task_, k, seed)
                self.votes_[method] = auto if k is None else _top_k(scores, k)
                votes.append(self.votes_[method])
                ranks.append(
                    (rankdata(np.nan_to_num(scores, nan=-np.inf)) - 1) / scores.size
                )
            n_votes = np.sum(votes, axis=0)
            self.scores_ = n_votes + np.mean(ranks, axis=0)
            chosen = n_votes > len(CONSENSUS_METHODS) / 2 if k is None else None
        else:
            self.scores_, chosen = _score(self.method, X, y, self.task_, k, seed)
            self.scores_ = np.asarray(self.scores_, dtype=float)
            if k is not None:
                chosen = None

        if chosen is None:
            self.support_ = _top_k(self.scores_, k)
        elif chosen.any():
            self.support_ = np.asarray(chosen, dtype=bool)
        else:
            warnings.warn(
                f"FeatureSelector(method={self.method!r}, k='auto') found no "
                "feature worth keeping; keeping the best-scored one. Pass an "
                "integer k to choose how many.",
                UserWarning,
                stacklevel=2,
            )
            self.support_ = _top_k(self.scores_, 1)
        self.k_ = int(self.support_.sum())
        return self

    def _task(self, y):
        task = resolve_task(y, self.task)
        if task == "regression":
            return task
        classes = np.unique(y)
        if classes.size < 2:
            raise ValueError(
                f"y has one class ({classes[0]}); supervised feature selection "
                "needs at least two. Use method='variance', or check the target."
            )
        return "classification"

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.support_

    def transform(self, X):
        """Keep the selected columns of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric data.

        Returns
        -------
        X_new : ndarray of shape (n_samples, k_)
        """
        check_is_fitted(self)
        X = validate_numeric(self, X, reset=False)
        return X[:, self.support_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = self.method != "variance"
        return tags
