"""Ensemble selection (Caruana et al., 2004): greedy weights over out-of-fold output."""

import time
import warnings
from numbers import Integral

import numpy as np
from sklearn import config_context
from sklearn.base import (
    ClassifierMixin,
    RegressorMixin,
    clone,
    is_classifier,
)
from sklearn.ensemble import VotingClassifier, VotingRegressor
from sklearn.metrics import check_scoring
from sklearn.model_selection import (
    KFold,
    StratifiedKFold,
    check_cv,
    cross_val_predict,
)
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.validation import check_is_fitted

from autodl.ensemble._base import _Members
from autodl.utils import (
    check_classification_y,
    check_params,
    check_weights,
    draw_seed,
    drop_routed_requests,
    members_router,
    ranks_rows,
    route_to_members,
    score_output,
    take_rows,
)
from autodl.utils._docstring import (
    Substitution,
    _n_jobs_docstring,
    _random_state_docstring,
)
from autodl.utils._param_validation import Interval, NamedPairs
from autodl.utils._scoring import FOLD_WITHOUT_CLASS


def greedy_selection(
    outputs,
    y,
    scorer,
    n_iter=50,
    classes=None,
    sample_weight=None,
    folds=None,
    time_limit=None,
):
    """Greedy forward selection with replacement over members' out-of-fold output.

    Each round adds the member whose inclusion scores best; the weights are how often
    each member was picked. The ensemble of the best round is kept (a later round
    must gain more than 1e-4 to count), so its score is never below the best single
    member's (the first pick).

    Parameters
    ----------
    outputs : list of ndarray
        Out-of-fold probabilities (classification) or predictions (regression),
        one array per member, rows aligned with ``y``.
    y : ndarray
        The target (encoded as indices of ``classes`` for classification).
    scorer : callable
        A scikit-learn scorer, ``scorer(estimator, X, y)``, higher is better.
    n_iter : int, default=50
        Rounds of selection.
    classes : ndarray, default=None
        Class labels (classification only).
    sample_weight : ndarray of shape (n_samples,), default=None
        Row weights in the score.
    folds : list of ndarray, default=None
        The rows of each validation fold (indices into ``y``): the score is the
        mean of the folds' scores, as ``cross_val_score`` has it. Each fold's
        predictions come from its own model; pooled, a rank metric (ROC AUC)
        compares rows of one model with rows of another. ``None`` scores all
        rows at once.
    time_limit : float, default=None
        Seconds: no round starts after they have passed (the first always runs),
        and the ensemble of the best round so far is kept. ``None`` runs every
        round.

    Returns
    -------
    weights : ndarray of shape (n_members,)
        Non-negative, summing to one.
    score : float
        The out-of-fold score of the weighted ensemble.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.metrics import get_scorer
    >>> y = np.array([0, 1, 0, 1])
    >>> a = np.array([[0.6, 0.4], [0.4, 0.6], [0.9, 0.1], [0.8, 0.2]])
    >>> b = np.array([[0.5, 0.5], [0.5, 0.5], [0.7, 0.3], [0.6, 0.4]])
    >>> weights, score = greedy_selection(
    ...     [a, b], y, get_scorer("roc_auc"), classes=np.array([0, 1]),
    ...     folds=[np.array([0, 1]), np.array([2, 3])],
    ... )
    >>> weights.tolist(), score
    ([1.0, 0.0], 1.0)
    """
    parts = [slice(None)] if folds is None else [np.asarray(f) for f in folds]
    y, weight = np.asarray(y), sample_weight

    def score(output):
        return np.mean(
            [
                score_output(scorer, output[r], y[r], classes, take_rows(weight, r))
                for r in parts
            ]
        )

    tol = 1e-4  # a gain below this is noise (ties in a rank metric, rounding)
    end = np.inf if time_limit is None else time.perf_counter() + time_limit
    counts = np.zeros(len(outputs))
    total = np.zeros_like(outputs[0], dtype=float)
    best_score, best_counts = -np.inf, None
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=FOLD_WITHOUT_CLASS)
        for round_ in range(1, n_iter + 1):
            if round_ > 1 and time.perf_counter() > end:
                break
            scores = [score((total + out) / round_) for out in outputs]
            pick = int(np.nanargmax(scores))
            counts[pick] += 1
            total += outputs[pick]
            if scores[pick] > best_score + tol:
                best_score, best_counts = scores[pick], counts.copy()
    return best_counts / best_counts.sum(), float(best_score)


class _BaseEnsembleSelection(_Members):
    _parameter_constraints = {
        "estimators": [NamedPairs()],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self, estimators, n_iter=50, cv=5, scoring=None, random_state=None, n_jobs=None
    ):
        self.estimators = estimators
        self.n_iter = n_iter
        self.cv = cv
        self.scoring = scoring
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X, y, predictions=None, sample_weight=None, **fit_params):
        """Score the members out of fold, pick weights greedily, refit the chosen.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, passed to the members as it is.
        y : array-like of shape (n_samples,)
            Target.
        predictions : list of ndarray, default=None
            Out-of-fold (or holdout) output already computed, one array per member
            in ``estimators`` order with a row per row of ``X`` (probabilities with
            a column per class in sorted order for classifiers); rows a member did
            not predict are NaN and are left out of the selection. Skips the
            cross-validation: ``cv`` is then unused, and the rows are scored
            together, as one model's predictions (a holdout's).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights: every member fits with them (out of fold and in the
            refit; a member that cannot take them raises a ``TypeError`` naming
            it), and the selection scores weigh the rows. With metadata routing
            on, each member gets what it requested, and the selection is weighted
            when ``set_fit_request(sample_weight=True)`` asked for it here.
        **fit_params : dict
            Other metadata for the members' ``fit``; only with metadata routing
            on (each member gets what it requested).

        Returns
        -------
        self
        """
        check_params(self)
        members, params = route_to_members(
            self, self.estimators, sample_weight, fit_params
        )
        X, y = self._validate(X, y, reset=True)
        weight = check_weights(sample_weight, X)
        if isinstance(self.cv, int | np.integer) and len(y) < self.cv:
            raise ValueError(
                f"Out-of-fold predictions need at least cv={self.cv} rows, got "
                f"n_samples={len(y)}; pass more data or a smaller cv."
            )
        classifier = is_classifier(self)
        target = self._target(y)
        names = [name for name, _ in self.estimators]
        if predictions is None:
            splits = self._splits(X, y, classifier)
            outputs = self._out_of_fold(X, y, splits, classifier, members, params)
        else:
            outputs, target, weight = self._given(predictions, target, weight)
        scorer = check_scoring(self, scoring=self.scoring)
        # a metric that ranks rows, fold by fold (each fold's model its own scale)
        folds = None
        if predictions is None and ranks_rows(scorer):
            folds = [test for _, test in splits]
        codes = np.arange(len(self.classes_)) if classifier else None
        self.oof_scores_ = {
            name: greedy_selection([out], target, scorer, 1, codes, weight, folds)[1]
            for name, out in zip(names, outputs, strict=True)
        }
        self.weights_, self.oof_score_ = greedy_selection(
            outputs, target, scorer, self.n_iter, codes, weight, folds
        )
        return self._refit(X, y, members, params, sample_weight)

    def _fit_selected(self, X, y, weights, oof_score, oof_scores, sample_weight=None):
        """Refit the members with weights a search already selected on its own
        validation folds (``autodl.automl``): the selection is not made twice."""
        check_params(self)
        members, params = route_to_members(self, self.estimators, sample_weight, {})
        X, y = self._validate(X, y, reset=True)
        self._target(y)
        self.weights_ = np.asarray(weights, dtype=float)
        self.oof_score_, self.oof_scores_ = float(oof_score), dict(oof_scores)
        return self._refit(X, y, members, params, sample_weight)

    def _target(self, y):
        """The target the selection scores: class indices (``classes_`` set) for
        a classifier, floats for a regressor."""
        if not is_classifier(self):
            return np.asarray(y, dtype=float)
        check_classification_y(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        return encoder.transform(y)

    def _refit(self, X, y, members, params, sample_weight):
        """Refit the members of positive weight on all rows, as one voting model."""
        chosen = [
            (name, est)
            for (name, est), w in zip(members, self.weights_, strict=True)
            if w > 0
        ]
        weights = self.weights_[self.weights_ > 0]
        if is_classifier(self):
            self.ensemble_ = VotingClassifier(
                chosen, voting="soft", weights=weights, n_jobs=self.n_jobs
            )
        else:
            self.ensemble_ = VotingRegressor(
                chosen, weights=weights, n_jobs=self.n_jobs
            )
        # what the chosen members asked for (VotingClassifier routes it on)
        voting_params = {
            key: value
            for name, _ in chosen
            for key, value in params.get(name, {}).items()
        }
        with config_context(enable_metadata_routing=bool(params)):
            self.ensemble_.fit(X, y, **voting_params)
        self.estimators_ = self.ensemble_.estimators_
        drop_routed_requests(sample_weight, self.ensemble_)  # skops-friendly
        return self

    def get_metadata_routing(self):
        """How metadata reach the members (scikit-learn's metadata routing).

        Each member's ``fit`` gets what it requested, out of fold and in the
        refit; the selection itself consumes ``sample_weight`` when requested
        with ``set_fit_request(sample_weight=True)``.

        Returns
        -------
        routing : MetadataRouter
        """
        return members_router(self, self.estimators)

    def _splits(self, X, y, classifier):
        cv = self.cv
        if isinstance(cv, int | np.integer):
            folds = StratifiedKFold if classifier else KFold
            cv = folds(cv, shuffle=True, random_state=draw_seed(self.random_state))
        return list(check_cv(cv, y, classifier=classifier).split(X, y))

    def _out_of_fold(self, X, y, splits, classifier, members, params):
        method = "predict_proba" if classifier else "predict"
        with config_context(enable_metadata_routing=bool(params)):
            return [
                cross_val_predict(
                    clone(est),
                    X,
                    y,
                    cv=splits,
                    method=method,
                    n_jobs=self.n_jobs,
                    params=params.get(name),
                )
                for name, est in members
            ]

    def _given(self, predictions, target, weight):
        """The rows every member predicted, and the target on them."""
        if len(predictions) != len(self.estimators):
            raise ValueError(
                f"predictions holds {len(predictions)} arrays for "
                f"{len(self.estimators)} estimators; give one per estimator."
            )
        outputs = [np.asarray(p, dtype=float) for p in predictions]
        if any(len(out) != len(target) for out in outputs):
            raise ValueError(
                "every array in predictions needs one row per row of X (NaN where "
                "a member did not predict)."
            )
        rows = np.ones(len(target), dtype=bool)
        for out in outputs:
            rows &= np.isfinite(out.reshape(len(out), -1)).all(axis=1)
        if not rows.any():
            raise ValueError("predictions have no row that every member predicted.")
        return [out[rows] for out in outputs], target[rows], take_rows(weight, rows)

    def predict(self, X):
        """Predict with the weighted members."""
        check_is_fitted(self)
        return self.ensemble_.predict(self._validate(X))


@Substitution(n_jobs=_n_jobs_docstring, random_state=_random_state_docstring)
class EnsembleSelectionClassifier(ClassifierMixin, _BaseEnsembleSelection):
    """Greedy ensemble selection with replacement (Caruana et al., 2004).

    Every member is cross-validated once; its out-of-fold probabilities are kept.
    Starting from the best member, each of ``n_iter`` rounds adds (again, if it is
    the best choice) the member that most improves the out-of-fold score of the
    averaged probabilities; a metric that ranks rows (ROC AUC, average precision)
    scores each fold's rows on their own and averages the folds, as
    ``cross_val_score`` does (pooled, it would compare rows of different folds'
    models, each with its own scale). The weights are how
    often each member was picked, taken at the best round, so the ensemble's
    out-of-fold score is never below its best member's. The chosen members are
    then refit on all the data and combined by scikit-learn's soft-voting
    ``VotingClassifier`` with those weights.

    Parameters
    ----------
    estimators : list of (str, estimator)
        The candidate members; each needs ``predict_proba``.
    n_iter : int, default=50
        Rounds of greedy selection.
    cv : int or cross-validation splitter, default=5
        Folds for the out-of-fold probabilities (an int gives shuffled stratified
        folds seeded by ``random_state``).
    scoring : str or callable, default=None
        What the selection maximises; ``None`` is accuracy. ``"roc_auc"`` and
        ``"neg_log_loss"`` are common choices.
    {random_state}
        It seeds the folds.
    {n_jobs}
        Here the jobs are the candidates' fits.

    Attributes
    ----------
    weights_ : ndarray of shape (n_estimators,)
        The learned weight of every candidate (zero for those never picked).
    oof_score_ : float
        Out-of-fold score of the weighted ensemble.
    oof_scores_ : dict
        Out-of-fold score of each member alone.
    ensemble_ : VotingClassifier
        The chosen members refit on all the data, with their weights.
    estimators_ : list of estimators
        The fitted chosen members.
    classes_ : ndarray
        Class labels.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from autodl.datasets import load_demo
    >>> from autodl.ensemble import EnsembleSelectionClassifier
    >>> X, y = load_demo()
    >>> ens = EnsembleSelectionClassifier(
    ...     [("lr", LogisticRegression(max_iter=5000)), ("nb", GaussianNB()),
    ...      ("tree", DecisionTreeClassifier(max_depth=3, random_state=0))],
    ...     scoring="roc_auc", random_state=0).fit(X, y)
    >>> bool(ens.oof_score_ >= max(ens.oof_scores_.values()))
    True
    """

    def predict_proba(self, X):
        """Weighted average of the members' probabilities."""
        check_is_fitted(self)
        return self.ensemble_.predict_proba(self._validate(X))


@Substitution(n_jobs=_n_jobs_docstring, random_state=_random_state_docstring)
class EnsembleSelectionRegressor(RegressorMixin, _BaseEnsembleSelection):
    """Greedy ensemble selection with replacement for regression.

    As :class:`EnsembleSelectionClassifier`, over out-of-fold predictions, combined
    by scikit-learn's ``VotingRegressor`` with the learned weights.

    Parameters
    ----------
    estimators : list of (str, estimator)
        The candidate members.
    n_iter : int, default=50
        Rounds of greedy selection.
    cv : int or cross-validation splitter, default=5
        Folds for the out-of-fold predictions (an int gives shuffled folds seeded
        by ``random_state``).
    scoring : str or callable, default=None
        What the selection maximises; ``None`` is R².
    {random_state}
        It seeds the folds.
    {n_jobs}
        Here the jobs are the candidates' fits.

    Attributes
    ----------
    weights_ : ndarray of shape (n_estimators,)
        The learned weight of every candidate.
    oof_score_ : float
        Out-of-fold score of the weighted ensemble.
    oof_scores_ : dict
        Out-of-fold score of each member alone.
    ensemble_ : VotingRegressor
        The chosen members refit on all the data, with their weights.
    estimators_ : list of estimators
        The fitted chosen members.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from autodl.datasets import load_demo
    >>> from autodl.ensemble import EnsembleSelectionRegressor
    >>> X, y = load_demo("diabetes")
    >>> ens = EnsembleSelectionRegressor(
    ...     [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3))],
    ...     random_state=0).fit(X, y)
    >>> float(ens.weights_.sum())
    1.0
    """
