"""Averaging ensembles of one model: the same estimator fitted with several seeds.

The base class averages the members' output (probabilities for classifiers: soft
voting) and takes its kind, classifier or regressor, from the wrapped estimator's
tags, so one class serves both.
"""

import numbers
from dataclasses import replace

import numpy as np
from joblib import Parallel, delayed
from sklearn import config_context
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
    is_classifier,
)
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from autodl.utils import (
    check_classification_y,
    check_params,
    check_weights,
    drop_routed_requests,
    first_steps_accept,
    members_router,
    random_state_params,
    route_to_members,
    set_seeds,
    validate_passthrough,
)
from autodl.utils._docstring import (
    Substitution,
    _n_jobs_docstring,
    _random_state_docstring,
)
from autodl.utils._param_validation import HasMethods, Interval


def _fit_one(estimator, X, y, params):
    # in a joblib worker too: routing on only to hand the metadata to a pipeline
    with config_context(enable_metadata_routing=bool(params)):
        return estimator.fit(X, y, **params)


def _has_proba(self):
    return is_classifier(self.estimator) and hasattr(self.estimator, "predict_proba")


class _BaseAveraging(MetaEstimatorMixin, BaseEstimator):
    """Average the fitted members in ``estimators_``; kind from ``estimator``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        if inner.classifier_tags is not None:  # one label column: the average's
            tags.classifier_tags = replace(inner.classifier_tags, multi_label=False)
        tags.regressor_tags = inner.regressor_tags
        tags.target_tags.required = True
        tags.input_tags.allow_nan = first_steps_accept([self.estimator], "allow_nan")
        tags.input_tags.sparse = first_steps_accept([self.estimator], "sparse")
        return tags

    def _validate(self, X, y="no_validation", reset=False):
        return validate_passthrough(
            self,
            X,
            y,
            reset=reset,
            allow_nan=first_steps_accept([self.estimator], "allow_nan"),
            allow_strings=first_steps_accept([self.estimator], "string"),
            allow_sparse=first_steps_accept([self.estimator], "sparse"),
        )

    def get_metadata_routing(self):
        """How metadata reach ``estimator``'s ``fit`` (what it requested).

        Returns
        -------
        routing : MetadataRouter
        """
        return members_router(self, [("estimator", self.estimator)], False)

    def _route(self, sample_weight, fit_params):
        """The estimator to copy and its ``fit`` metadata, as routing decides."""
        [(_, estimator)], params = route_to_members(
            self, [("estimator", self.estimator)], sample_weight, fit_params
        )
        return estimator, params.get("estimator", {})

    def _set_classes(self, y):
        if is_classifier(self):
            check_classification_y(y)
            self.classes_ = LabelEncoder().fit(y).classes_

    @available_if(_has_proba)
    def predict_proba(self, X):
        """Mean of the members' class probabilities (soft voting).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input, passed to the members as it is.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        check_is_fitted(self)
        X = self._validate(X)
        return np.mean([est.predict_proba(X) for est in self.estimators_], axis=0)

    def predict(self, X):
        """Averaged prediction: the class of highest mean probability, or the
        mean of the members' predictions for a regressor.

        A classifier without ``predict_proba`` takes the members' majority vote.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input, passed to the members as it is.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        if not is_classifier(self):
            X = self._validate(X)
            return np.mean([est.predict(X) for est in self.estimators_], axis=0)
        if _has_proba(self):
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        X = self._validate(X)
        votes = np.stack(
            [np.searchsorted(self.classes_, est.predict(X)) for est in self.estimators_]
        )
        counts = np.apply_along_axis(
            np.bincount, 0, votes, minlength=len(self.classes_)
        )
        return self.classes_[np.argmax(counts, axis=0)]

    def score(self, X, y, sample_weight=None):
        """Accuracy for a classifier, R² for a regressor (as the members score).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input.
        y : array-like of shape (n_samples,)
            True target.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
        """
        mixin = ClassifierMixin if is_classifier(self) else RegressorMixin
        return mixin.score(self, X, y, sample_weight=sample_weight)


@Substitution(n_jobs=_n_jobs_docstring, random_state=_random_state_docstring)
class SeedEnsemble(_BaseAveraging):
    """The same model fitted with different seeds, its predictions averaged.

    Every ``random_state`` parameter of the estimator (nested ones included, e.g.
    a pipeline's steps) gets a new seed for each member, drawn from
    ``random_state``; everything else stays as it is. For a neural net that
    varies the initial weights, the validation split, the batch order and the
    dropout masks, so averaging the members removes much of the run-to-run
    spread of a single net's predictions. Classifiers average probabilities (soft
    voting), regressors predictions; which one the ensemble is follows the
    wrapped estimator.

    Parameters
    ----------
    estimator : estimator
        The model to repeat; it needs at least one ``random_state`` parameter.
        Its parameters route as ``estimator__param``.
    n_estimators : int, default=5
        Number of members.
    {random_state}
        It draws the members' seeds.
    {n_jobs}
        Here the jobs are the members' fits. Do not fit members that share one
        GPU in several processes.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members.
    random_states_ : list of dict
        The seeds each member was given, by parameter name.
    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when ``X`` was a DataFrame.

    See Also
    --------
    SnapshotEnsemble : several members from one training run of a net.
    sklearn.ensemble.BaggingClassifier : members fitted on resampled rows.

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from autodl.ensemble import SeedEnsemble
    >>> from autodl.neural import MLPClassifier
    >>> X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    >>> net = MLPClassifier(hidden_layer_sizes=(16,), max_epochs=20, device="cpu")
    >>> ens = SeedEnsemble(net, n_estimators=3, random_state=0).fit(X, y)
    >>> len(ens.estimators_), ens.predict_proba(X[:2]).shape
    (3, (2, 2))
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"])],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
    }

    def __init__(self, estimator, n_estimators=5, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit ``n_estimators`` copies of the estimator, each with its own seeds.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, passed to the members as it is.
        y : array-like of shape (n_samples,)
            Target.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights for every member (each part of a pipeline that takes
            them). With metadata routing on, ``estimator`` gets what it
            requested.
        **fit_params : dict
            Other metadata for ``estimator``; only with metadata routing on.

        Returns
        -------
        self
        """
        check_params(self)
        names = random_state_params(self.estimator)
        if not names:
            raise ValueError(
                f"SeedEnsemble varies the seeds of its estimator, but "
                f"{type(self.estimator).__name__} has no random_state parameter; "
                "use sklearn's BaggingClassifier / BaggingRegressor to vary the "
                "training rows instead."
            )
        estimator, params = self._route(sample_weight, fit_params)
        X, y = self._validate(X, y, reset=True)
        check_weights(sample_weight, X)
        rng = check_random_state(self.random_state)
        members, self.random_states_ = [], []
        for _ in range(self.n_estimators):
            member, seeds = set_seeds(clone(estimator), rng, names)
            members.append(member)
            self.random_states_.append(seeds)
        self.estimators_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_one)(member, X, y, params) for member in members
        )
        self._set_classes(y)  # after the members, whose errors say more
        drop_routed_requests(sample_weight, self.estimators_)  # skops-friendly
        return self
