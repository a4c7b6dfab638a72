"""Blending: a meta-learner fitted on the members' predictions for a holdout split.

scikit-learn's ``StackingClassifier`` / ``StackingRegressor`` with ``cv="prefit"``
does the stacking: the members' soft outputs (one probability column dropped for a
binary target), ``passthrough`` and the default final estimators are theirs. autodl
adds the holdout split and the refit of the members on all the data.
"""

import numbers

import numpy as np
from sklearn import config_context
from sklearn.base import (
    ClassifierMixin,
    RegressorMixin,
    clone,
    is_classifier,
)
from sklearn.ensemble import StackingClassifier, StackingRegressor
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch, _safe_indexing
from sklearn.utils.validation import _check_method_params, check_is_fitted

from autodl.ensemble._base import _Members
from autodl.utils import (
    check_classification_y,
    check_params,
    check_weights,
    draw_seed,
    drop_routed_requests,
    members_router,
    route_to_members,
)
from autodl.utils._docstring import (
    Substitution,
    _feature_attributes_docstring,
    _random_state_docstring,
)
from autodl.utils._param_validation import Described, HasMethods, Interval, NamedPairs
from autodl.utils._repr import members_block


class _BaseBlending(_Members):
    _stacking = None  # the scikit-learn stacking class that does the work
    _default_final = None  # the class of its default final estimator
    _parameter_constraints = {
        "estimators": [NamedPairs()],
        "final_estimator": [HasMethods(["fit"]), None],
        "holdout": [
            Described(
                "a fraction of the rows in (0, 1), e.g. 0.2, or a number of rows >= 1",
                Interval(numbers.Real, 0, 1, closed="neither"),
                Interval(numbers.Integral, 1, None, closed="left"),
            )
        ],
    }

    def __init__(
        self,
        estimators,
        final_estimator=None,
        holdout=0.2,
        passthrough=False,
        refit_members=True,
        random_state=None,
    ):
        self.estimators = estimators
        self.final_estimator = final_estimator
        self.holdout = holdout
        self.passthrough = passthrough
        self.refit_members = refit_members
        self.random_state = random_state

    def _split(self, X, y, classifier):
        """Row indices of the members' part and of the holdout."""
        seed = draw_seed(self.random_state)
        try:
            return train_test_split(
                np.arange(len(y)),
                test_size=self.holdout,
                random_state=seed,
                stratify=y if classifier else None,
            )
        except ValueError as exc:
            both = " with every class in both parts" if classifier else ""
            raise ValueError(
                f"{type(self).__name__} could not hold out holdout={self.holdout!r} "
                f"of n_samples={len(y)} rows{both} ({exc}). Pass more data or "
                "change holdout."
            ) from exc

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the members on one part, the meta-learner on their holdout output.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, passed to the members as it is.
        y : array-like of shape (n_samples,)
            Target.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights for every member (on its part of the rows, and in the
            refit) and for the meta-learner (on the holdout rows). A member
            that takes no weights raises a ``TypeError`` naming it. With
            metadata routing on, each member and ``final_estimator`` get what
            they requested.
        **fit_params : dict
            Other metadata for the members; only with metadata routing on.

        Returns
        -------
        self
        """
        check_params(self)
        final = (
            self._default_final()
            if self.final_estimator is None
            else self.final_estimator
        )
        members, params = route_to_members(
            self,
            [*self.estimators, ("final_estimator", final)],
            sample_weight,
            fit_params,
        )
        final = members.pop()[1]
        X, y = self._validate(X, y, reset=True)
        check_weights(sample_weight, X)
        if len(y) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples to hold out some, "
                f"got n_samples={len(y)}."
            )
        classifier = is_classifier(self)
        if classifier:
            check_classification_y(y)
        fit_rows, hold = self._split(X, y, classifier)
        X_fit, y_fit = _safe_indexing(X, fit_rows), y[fit_rows]

        def fit_member(name, est, X_part, y_part, rows):
            if est == "drop":
                return est
            kwargs = _check_method_params(X, params.get(name, {}), rows)
            with config_context(enable_metadata_routing=bool(params)):
                return clone(est).fit(X_part, y_part, **kwargs)

        fitted = [
            (name, fit_member(name, est, X_fit, y_fit, fit_rows))
            for name, est in members
        ]
        # cv="prefit": the final estimator is fitted on the members' output for
        # rows they never saw (the holdout), with scikit-learn's feature stacking;
        # its metadata (routed above) are passed on directly
        with config_context(enable_metadata_routing=False):
            stack = self._stacking(
                fitted,
                final_estimator=final,
                cv="prefit",
                passthrough=self.passthrough,
            ).fit(
                _safe_indexing(X, hold),
                y[hold],
                **_check_method_params(X, params.get("final_estimator", {}), hold),
            )
        if self.refit_members:
            refit = [(name, fit_member(name, est, X, y, None)) for name, est in members]
            stack.estimators_ = [est for _, est in refit if est != "drop"]
            stack.named_estimators_ = Bunch(**dict(refit))
        self.stack_ = stack
        self.estimators_ = stack.estimators_
        self.named_estimators_ = stack.named_estimators_
        self.final_estimator_ = stack.final_estimator_
        self.n_holdout_ = len(hold)
        drop_routed_requests(sample_weight, self.stack_)  # skops-friendly
        if classifier:
            self.classes_ = stack.classes_
        return self

    def get_metadata_routing(self):
        """How metadata reach the members and ``final_estimator``.

        Each gets what its ``fit`` requested (scikit-learn's metadata routing).

        Returns
        -------
        routing : MetadataRouter
        """
        final = (
            self._default_final()
            if self.final_estimator is None
            else self.final_estimator
        )
        return members_router(
            self, [*self.estimators, ("final_estimator", final)], self_request=False
        )

    def _sk_visual_block_(self):  # the members, then the meta-learner
        final = self.final_estimator
        final = self._default_final() if final is None else final
        return members_block(self.estimators, [("final_estimator", final)])

    def predict(self, X):
        """Predict with the meta-learner on the members' output.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input, passed to the members as it is.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        return self.stack_.predict(self._validate(X))


_SHARED = """\
    estimators : list of (str, estimator)
        The members; a member may be ``"drop"``. Their parameters route as
        ``name__param``.
    final_estimator : estimator, default=None
        The meta-learner; ``None`` is {default}. Its parameters route as
        ``final_estimator__param`` when it is given.
    holdout : float in (0, 1) or int, default=0.2
        Share (or number) of the rows held out to fit the meta-learner on{strat}.
    passthrough : bool, default=False
        Give the meta-learner the original features too, after the members'
        output.
    refit_members : bool, default=True
        Refit the members on all the rows once the meta-learner is fitted (it
        then combines members that saw a little more data than those whose
        output it learned from). ``False`` keeps the members fitted on the
        non-holdout rows only.
    {random_state}
        It seeds the holdout split.
"""

_ATTRIBUTES = """\
    stack_ : {stacking}
        The fitted scikit-learn stacking estimator (``cv="prefit"``) that
        predicts; ``stack_.transform(X)`` gives the meta-learner's input.
    estimators_ : list of estimators
        The fitted members (refit on all rows when ``refit_members``), without
        the dropped ones.
    named_estimators_ : Bunch
        The fitted members by name.
    final_estimator_ : estimator
        The meta-learner, fitted on the members' output for the holdout rows.
    n_holdout_ : int
        Rows the meta-learner was fitted on.
    {feature_attributes}
"""


# the texts of the placeholders in both blenders' docstrings
_DOC_TEXTS = {
    "shared": _SHARED,
    "attributes": _ATTRIBUTES,
    "random_state": _random_state_docstring,
    "feature_attributes": _feature_attributes_docstring,
}


@Substitution(
    **_DOC_TEXTS,
    default="``LogisticRegression()``",
    strat=", stratified by class",
    stacking="StackingClassifier",
)
class BlendingClassifier(ClassifierMixin, _BaseBlending):
    """Blending: a meta-learner fitted on the members' holdout probabilities.

    The rows are split once (``holdout``, stratified by class). The members are
    fitted on the larger part; their predicted probabilities for the holdout rows
    (one column dropped for a binary target, as in scikit-learn's
    ``StackingClassifier``) are the meta-learner's training data, so it never
    sees a prediction a member made on its own training rows. Then the members
    are refit on all the rows (``refit_members``). Cheaper than stacking (each
    member is fitted twice, not ``cv + 1`` times) at the price of a meta-learner
    fitted on fewer rows. The stacking itself is scikit-learn's
    ``StackingClassifier(cv="prefit")``.

    Parameters
    ----------
    {shared}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    {attributes}

    See Also
    --------
    sklearn.ensemble.StackingClassifier : the meta-learner on out-of-fold output.
    EnsembleSelectionClassifier : greedy weights over out-of-fold output.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from autodl.datasets import load_demo
    >>> from autodl.ensemble import BlendingClassifier
    >>> X, y = load_demo()
    >>> blend = BlendingClassifier(
    ...     [("nb", GaussianNB()),
    ...      ("tree", DecisionTreeClassifier(max_depth=3, random_state=0))],
    ...     final_estimator=LogisticRegression(), random_state=0).fit(X, y)
    >>> blend.n_holdout_, blend.stack_.transform(X[:3]).shape
    (114, (3, 2))
    """

    _stacking = StackingClassifier
    _default_final = LogisticRegression  # StackingClassifier's default

    def predict_proba(self, X):
        """Class probabilities from the meta-learner.

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
        return self.stack_.predict_proba(self._validate(X))


@Substitution(
    **_DOC_TEXTS,
    default="``RidgeCV()``",
    strat="",
    stacking="StackingRegressor",
)
class BlendingRegressor(RegressorMixin, _BaseBlending):
    """Blending for regression: a meta-learner on the members' holdout predictions.

    As :class:`BlendingClassifier`, with a plain (not stratified) holdout split,
    the members' predictions as features and scikit-learn's
    ``StackingRegressor(cv="prefit")`` doing the stacking.

    Parameters
    ----------
    {shared}

    Attributes
    ----------
    {attributes}

    See Also
    --------
    sklearn.ensemble.StackingRegressor : the meta-learner on out-of-fold output.
    EnsembleSelectionRegressor : greedy weights over out-of-fold output.

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from autodl.datasets import load_demo
    >>> from autodl.ensemble import BlendingRegressor
    >>> X, y = load_demo("diabetes")
    >>> blend = BlendingRegressor(
    ...     [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=3))],
    ...     random_state=0).fit(X, y)
    >>> blend.final_estimator_.coef_.shape
    (2,)
    """

    _stacking = StackingRegressor
    _default_final = RidgeCV  # StackingRegressor's default
