"""Sample weights: fit whatever accepts them, route them through meta-estimators.

One place for what every autodl meta-estimator does with ``sample_weight``:
hand it to a model, or to each step of a pipeline it built, that accepts it, and
say clearly when the model cannot take it. scikit-learn's metadata routing
(``set_config(enable_metadata_routing=True)``) decides what a *user's* estimator
receives; autodl's own internal pipelines are fitted with the weights passed
directly, as scikit-learn's meta-estimators do when routing is off.
"""

import warnings

import numpy as np
from sklearn import config_context
from sklearn.base import BaseEstimator, clone
from sklearn.utils._metadata_requests import _routing_enabled
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.validation import _check_sample_weight, has_fit_parameter

__all__ = [
    "accepts_sample_weight",
    "check_weights",
    "drop_routed_requests",
    "fit_weighted",
    "members_router",
    "positive_rows",
    "requesting_weights",
    "route_to_members",
    "take_rows",
]


def _steps(estimator):
    return [
        (name, step)
        for name, step in getattr(estimator, "steps", [])
        if step is not None and step != "passthrough"
    ]


def accepts_sample_weight(estimator):
    """Whether ``estimator`` (or a pipeline's final step) takes ``sample_weight``.

    Parameters
    ----------
    estimator : estimator or Pipeline

    Returns
    -------
    accepts : bool

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from sklearn.pipeline import make_pipeline
    >>> accepts_sample_weight(make_pipeline(KNeighborsClassifier()))
    False
    >>> accepts_sample_weight(LogisticRegression())
    True
    """
    steps = _steps(estimator)
    if steps:
        return accepts_sample_weight(steps[-1][1])
    return has_fit_parameter(estimator, "sample_weight")


def check_weights(sample_weight, X):
    """Validated non-negative weights (float64), not all 0, or None.

    Examples
    --------
    >>> import numpy as np
    >>> check_weights([1, -1], np.zeros((2, 1)))
    Traceback (most recent call last):
    ...
    ValueError: sample_weight holds 1 negative value(s); use weights >= 0.
    """
    if sample_weight is None:
        return None
    weight = _check_sample_weight(sample_weight, X)
    if (weight < 0).any():
        raise ValueError(
            f"sample_weight holds {int((weight < 0).sum())} negative value(s); "
            "use weights >= 0."
        )
    return weight


def fit_weighted(estimator, X, y=None, sample_weight=None):
    """``estimator.fit(X, y)``, with ``sample_weight`` given to what accepts it.

    A pipeline's steps that accept ``sample_weight`` in ``fit`` all get it (as
    ``step__sample_weight``, with metadata routing off for this call: autodl
    built the pipeline, and its steps have no requests set). The model that is
    fitted last must accept it: otherwise a ``TypeError`` names it.

    Parameters
    ----------
    estimator : estimator or Pipeline
    X, y : the training data.
    sample_weight : array-like of shape (n_samples,) or None

    Returns
    -------
    estimator : the fitted estimator

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> X, y = np.arange(8.0).reshape(-1, 1), np.r_[0, 1, 2, 3, 0, 0, 0, 0]
    >>> pipe = fit_weighted(make_pipeline(StandardScaler(), LinearRegression()),
    ...                     X, y, sample_weight=np.r_[1, 1, 1, 1, 0, 0, 0, 0])
    >>> round(float(pipe.predict([[3.0]])[0]), 6)
    3.0
    """
    if sample_weight is None:
        return estimator.fit(X, y)
    if not accepts_sample_weight(estimator):
        steps = _steps(estimator)
        model = steps[-1][1] if steps else estimator
        raise TypeError(
            f"{type(model).__name__}.fit does not take sample_weight, so it cannot "
            "learn from weighted rows; leave it out of the models, or fit without "
            "sample_weight."
        )
    steps = _steps(estimator)
    if not steps:
        params = {"sample_weight": sample_weight}
    else:
        params = {
            f"{name}__sample_weight": sample_weight
            for name, step in steps
            if has_fit_parameter(step, "sample_weight")
        }
    if _routing_enabled() and steps:
        with config_context(enable_metadata_routing=False):
            return estimator.fit(X, y, **params)
    return estimator.fit(X, y, **params)


def take_rows(sample_weight, rows):
    """``sample_weight[rows]``, or None without weights."""
    return None if sample_weight is None else np.asarray(sample_weight)[rows]


def positive_rows(sample_weight, what):
    """Rows of positive weight, for a fit that can only leave rows out.

    A statistic without a weighted form (a quantile, a minimum, a skewness) is
    fitted on these rows: a weight of 0 drops a row, which is exact. Other
    weights then count alike, and a warning naming ``what`` says so when they
    differ.

    Parameters
    ----------
    sample_weight : ndarray of shape (n_samples,)
        Weights checked by :func:`check_weights`.
    what : str
        The estimator and setting, for the warning, e.g. ``"Rescaler('robust')"``.

    Returns
    -------
    rows : ndarray of bool, shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> positive_rows(np.array([1.0, 0.0, 1.0]), "Rescaler('robust')")
    array([ True, False,  True])
    """
    rows = sample_weight > 0
    if np.ptp(sample_weight[rows]) > 0:
        warnings.warn(
            f"{what} has no weighted fit: it leaves out the rows of sample_weight "
            "0 and counts the others alike. Use a step that weighs rows (e.g. "
            "Rescaler('standard')) if the weights matter.",
            UserWarning,
            stacklevel=3,
        )
    return rows


def requesting_weights(estimator):
    """A clone of ``estimator`` whose parts that take ``sample_weight`` request it.

    For handing weights to autodl's own members through scikit-learn's routing
    (``cross_val_predict``, ``VotingClassifier``) inside a
    ``config_context(enable_metadata_routing=True)`` block: the estimator, or
    each step of a pipeline whose ``fit`` takes ``sample_weight``, asks for it.

    Parameters
    ----------
    estimator : estimator or Pipeline

    Returns
    -------
    estimator : an unfitted clone

    Examples
    --------
    >>> from sklearn import config_context
    >>> from sklearn.linear_model import LogisticRegression
    >>> with config_context(enable_metadata_routing=True):
    ...     clf = requesting_weights(LogisticRegression())
    ...     print(clf.get_metadata_routing().fit.requests)
    {'sample_weight': True}
    """
    estimator = clone(estimator)
    for _, step in _steps(estimator) or [(None, estimator)]:
        if has_fit_parameter(step, "sample_weight"):
            step.set_fit_request(sample_weight=True)
    return estimator


def members_router(owner, members, self_request=True):
    """A ``MetadataRouter`` that routes ``fit`` metadata to each named member.

    Parameters
    ----------
    owner : estimator
        The meta-estimator; with ``self_request`` it consumes what its own
        ``set_fit_request`` asked for (e.g. weights for its own scoring).
    members : list of (name, estimator)
        Members whose ``fit`` gets what it requested; ``"drop"`` is skipped.
    self_request : bool, default=True

    Returns
    -------
    router : MetadataRouter
    """
    router = MetadataRouter(owner=owner)
    if self_request:
        router.add_self_request(owner)
    for name, est in members:
        if est is None or isinstance(est, str):
            continue
        router.add(
            **{name: est},
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )
    return router


def route_to_members(owner, members, sample_weight, fit_params):
    """The members to fit and the ``fit`` metadata of each, as routing decides.

    With metadata routing on, each member gets what it requested
    (:func:`members_router`). With it off, ``sample_weight`` goes to every member:
    each is cloned with its parts that take ``sample_weight`` asking for it (fit
    them inside ``config_context(enable_metadata_routing=bool(params))``); a
    member that takes no weights raises a ``TypeError`` that names it.

    Parameters
    ----------
    owner : estimator
        The meta-estimator, with ``get_metadata_routing``.
    members : list of (name, estimator)
    sample_weight : array-like or None
    fit_params : dict
        Other metadata; only with routing on.

    Returns
    -------
    members : list of (name, estimator)
    params : dict
        ``name -> {metadata: value}``; empty without metadata.
    """
    if _routing_enabled():
        routed = process_routing(
            owner, "fit", sample_weight=sample_weight, **fit_params
        )
        return members, {
            name: routed[name].fit for name, est in members if name in routed
        }
    name = type(owner).__name__
    if fit_params:
        raise TypeError(
            f"{name}.fit got {sorted(fit_params)}; with metadata routing off it "
            "takes sample_weight only. Turn routing on "
            "(sklearn.set_config(enable_metadata_routing=True)) to route other "
            "metadata to the members."
        )
    live = [(n, est) for n, est in members if not isinstance(est, str)]
    if sample_weight is None or not live:
        return members, {}
    refusing = [n for n, est in live if not accepts_sample_weight(est)]
    if refusing:
        raise TypeError(
            f"{name}: the member(s) {refusing} take no sample_weight in fit, so "
            "they cannot learn from weighted rows; leave them out, or fit without "
            "sample_weight."
        )
    with config_context(enable_metadata_routing=True):
        members = [
            (n, est if isinstance(est, str) else requesting_weights(est))
            for n, est in members
        ]
    return members, {n: {"sample_weight": sample_weight} for n, _ in live}


def drop_routed_requests(sample_weight, *fitted):
    """Drop the weight requests :func:`route_to_members` set, once fitted.

    With metadata routing off, :func:`route_to_members` hands weights to the
    members through autodl's own clones that request them; those requests (and
    the copies the fitted clones carry) are only needed during ``fit``. A request
    holds its estimator (``MetadataRequest.owner``), a cycle ``skops.io`` cannot
    write, so they are dropped from everything reachable from ``fitted`` (the
    fitted members and the internal meta-estimators that hold them). With
    routing on, or without weights, nothing is changed: the requests are the
    user's.

    Parameters
    ----------
    sample_weight : array-like or None
        What the meta-estimator's ``fit`` got.
    *fitted : objects
        The fitted attributes of the meta-estimator built from routed members.
    """
    if sample_weight is None or _routing_enabled():
        return
    seen = set()

    def walk(obj):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, list | tuple):
            children = obj
        elif isinstance(obj, dict):
            children = obj.values()
        elif isinstance(obj, BaseEstimator):
            obj.__dict__.pop("_metadata_request", None)
            children = vars(obj).values()
        else:
            return
        for child in list(children):
            walk(child)

    for obj in fitted:
        walk(obj)
