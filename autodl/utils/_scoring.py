"""Score predictions that are already computed, with any scikit-learn scorer."""

import numpy as np
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.metrics import average_precision_score, roc_auc_score

# What scikit-learn's metrics say of a validation fold that lacks a class the
# model predicts (a rare class's rows fall in other folds). The score is right,
# and a search scores many such folds: it is not repeated to the user.
FOLD_WITHOUT_CLASS = "y_pred contains classes not in y_true"

# metrics of a ranking of rows, whatever response they take (ranks_rows)
_RANKING_METRICS = (roc_auc_score, average_precision_score)

# the scorer used when the user names none, by task
DEFAULT_SCORING = {
    "binary": "roc_auc",
    "multiclass": "balanced_accuracy",
    "regression": "r2",
}


class _Precomputed(BaseEstimator):
    """Stands in for a model whose output on rows ``X[:, 0]`` is already known."""

    def __init__(self, output, classes=None):
        self.output = output
        self.classes = classes

    def fit(self, X=None, y=None):
        return self


class _PrecomputedClassifier(ClassifierMixin, _Precomputed):
    @property
    def classes_(self):
        return self.classes

    def predict_proba(self, X):
        return self.output[np.asarray(X)[:, 0].astype(int)]

    def predict(self, X):
        return self.classes[self.predict_proba(X).argmax(axis=1)]


class _PrecomputedRegressor(RegressorMixin, _Precomputed):
    def predict(self, X):
        return self.output[np.asarray(X)[:, 0].astype(int)]


def class_prior(y, classes, sample_weight=None):
    """The share of each class of ``classes`` in ``y`` (rows weighted by
    ``sample_weight``).

    Examples
    --------
    >>> class_prior(["a", "b", "b", "b"], np.array(["a", "b"])).tolist()
    [0.25, 0.75]
    """
    classes = np.asarray(classes)
    index = np.searchsorted(classes, np.asarray(y))
    counts = np.bincount(index, weights=sample_weight, minlength=len(classes))
    return counts / counts.sum()


def balance_probabilities(proba, prior):
    """Class probabilities as if every class were equally frequent.

    Each column is divided by its class's share in the training rows (``prior``)
    and each row renormalised: the probabilities a model would give had it been
    trained with balanced class weights (a prior shift, Saerens et al., 2002).
    Their argmax maximises balanced accuracy when ``proba`` is calibrated, where
    the argmax of ``proba`` maximises accuracy and neglects rare classes. A class
    absent from the training rows keeps probability 0; a row holding NaN stays NaN.

    Examples
    --------
    >>> proba = np.array([[0.6, 0.4]])
    >>> balance_probabilities(proba, np.array([0.8, 0.2])).round(3).tolist()
    [[0.273, 0.727]]
    """
    prior = np.asarray(prior, dtype=float)
    scaled = np.divide(proba, prior, out=np.zeros(np.shape(proba)), where=prior > 0)
    total = scaled.sum(axis=1, keepdims=True)
    # a row of NaN (a model that failed) stays NaN, for the callers to refuse
    return np.divide(scaled, total, out=np.zeros_like(scaled), where=total != 0)


def ranks_rows(scorer):
    """Whether ``scorer`` ranks rows by a score on the model's own scale: it takes
    ``decision_function`` (ROC AUC, average precision), or is ROC AUC or average
    precision on probabilities (one-vs-rest, one-vs-one).

    Cross-validated predictions of such a metric are scored fold by fold and the
    folds' scores averaged: each fold's model puts its scores on its own scale,
    and pooled, the metric would compare one model's rows with another's. Other
    metrics score the pooled predictions (for a sum over rows, such as accuracy
    or log loss, the same figure; for balanced accuracy or R², a steadier one).

    Examples
    --------
    >>> from sklearn.metrics import get_scorer
    >>> ranks_rows(get_scorer("roc_auc")), ranks_rows(get_scorer("roc_auc_ovr"))
    (True, True)
    >>> ranks_rows(get_scorer("balanced_accuracy")), ranks_rows(get_scorer("r2"))
    (False, False)
    """
    ranking = getattr(scorer, "_score_func", None) in _RANKING_METRICS
    return "decision_function" in _response_methods(scorer) or ranking


def _response_methods(scorer):
    """The model methods a scikit-learn scorer calls, as a tuple."""
    method = getattr(scorer, "_response_method", ())
    return (method,) if isinstance(method, str) else tuple(method)


def score_output(scorer, output, y, classes=None, sample_weight=None):
    """Apply ``scorer`` to precomputed output instead of refitting or re-predicting.

    scikit-learn's ROC AUC (binary, or one-vs-rest over several classes) is
    computed from the ranks: the same figure, without ``roc_auc_score``'s input
    checks (ensemble selection scores thousands of blends).

    Parameters
    ----------
    scorer : callable
        A scikit-learn scorer, ``scorer(estimator, X, y)``.
    output : ndarray
        Probabilities with one column per class in ``classes`` (classification),
        or predictions (regression), one row per entry of ``y``.
    y : array-like
        The true target.
    classes : ndarray, default=None
        The class labels of the columns of ``output``; ``None`` for regression.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the rows in the metric.

    Returns
    -------
    score : float

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.metrics import get_scorer
    >>> proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    >>> float(score_output(get_scorer("accuracy"), proba, [0, 1, 1], np.array([0, 1])))
    0.6666666666666666
    """
    fast = _roc_auc(scorer, output, y, classes, sample_weight)
    if fast is not None:
        return fast
    rows = np.arange(len(output)).reshape(-1, 1)
    model = (
        _PrecomputedRegressor(output)
        if classes is None
        else _PrecomputedClassifier(output, np.asarray(classes))
    )
    return score_weighted(scorer, model, rows, np.asarray(y), sample_weight)


def _roc_auc(scorer, output, y, classes, sample_weight=None):
    """``scorer``'s score of probabilities when it is scikit-learn's ROC AUC, binary
    or one-vs-rest (macro or weighted average), computed from the ranks (the
    Mann-Whitney statistic, ties counted half, rows weighted: the area scikit-learn's
    trapezoids give); ``None`` for any other scorer or input, which the scorer itself
    scores (and refuses: NaN, a class missing, rows not summing to one).

    Ensemble selection scores thousands of blends, fold by fold under ROC AUC:
    ``roc_auc_score``'s input checks took 1.3 ms a call whatever the fold's size,
    this about 0.03 ms a class (``benchmarks/selection_speed.py``).
    """
    kwargs = dict(getattr(scorer, "_kwargs", None) or {})
    average = kwargs.pop("average", "macro")
    multi_class = kwargs.pop("multi_class", "raise")
    if (
        getattr(scorer, "_score_func", None) is not roc_auc_score
        or kwargs  # max_fpr, labels
        or average not in ("macro", "weighted")
        or getattr(scorer, "_sign", None) != 1
        or "predict_proba" not in _response_methods(scorer)
        or classes is None
        or len(classes) < 2
        or (len(classes) > 2 and multi_class != "ovr")
        or np.shape(output) != (len(y), len(classes))
    ):
        return None
    y, output = np.asarray(y), np.asarray(output)
    members = y.reshape(-1, 1) == np.asarray(classes)
    if y.ndim != 1 or not members.any(axis=1).all() or not np.isfinite(output).all():
        return None
    weight = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight)
    n_classes = len(classes)
    if n_classes == 2:
        return _rank_auc(output[:, 1], members[:, 1], weight)
    if not np.allclose(1, output.sum(axis=1)):
        return None
    areas = [_rank_auc(output[:, k], members[:, k], weight) for k in range(n_classes)]
    if any(a is None for a in areas):
        return None
    shares = members.T @ weight if average == "weighted" else None
    return float(np.average(areas, weights=shares))


def _rank_auc(score, positive, weight):
    """The weighted ROC AUC of ``score`` for the rows ``positive`` against the
    others; ``None`` without a positive or a negative row."""
    _, tie = np.unique(score, return_inverse=True)  # rows of equal score, ranked
    w_pos = np.bincount(tie, weights=weight * positive)
    w_neg = np.bincount(tie, weights=weight * ~positive)
    pairs = w_pos.sum() * w_neg.sum()
    if not pairs > 0:
        return None
    below = np.cumsum(w_neg) - w_neg  # negatives ranked below each tie
    return float(np.dot(w_pos, below + 0.5 * w_neg) / pairs)


def score_weighted(scorer, estimator, X, y, sample_weight=None):
    """``scorer(estimator, X, y)``, the rows weighted by ``sample_weight``.

    The weights are autodl's to give (a meta-estimator scoring its candidates),
    so they are passed directly, with metadata routing off for the call.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.metrics import get_scorer
    >>> X, y = np.zeros((3, 1)), np.array([0, 0, 1])
    >>> clf = DummyClassifier().fit(X, y)
    >>> float(score_weighted(get_scorer("accuracy"), clf, X, y, [1, 1, 2]))
    0.5
    """
    if sample_weight is None:
        return scorer(estimator, X, y)
    with config_context(enable_metadata_routing=False):
        return scorer(estimator, X, y, sample_weight=sample_weight)


_MODULES = {  # where scikit-learn keeps the metrics of each kind of task
    "regression": ("sklearn.metrics._regression",),
    "classification": ("sklearn.metrics._classification", "sklearn.metrics._ranking"),
}


def _metric_fits(scorer, task, y, classes):
    """Whether ``scorer`` scores a baseline's output on ``y`` without an error."""
    import warnings

    kind = "regression" if task == "regression" else "classification"
    module = getattr(getattr(scorer, "_score_func", None), "__module__", None)
    other = [m for k, ms in _MODULES.items() if k != kind for m in ms]
    if module in other:
        return f"a metric for {'classes' if kind == 'regression' else 'regression'}"
    y = np.asarray(y)
    if classes is None:  # the mean of each target (several for multi-output)
        output = np.broadcast_to(np.mean(y, axis=0), y.shape).astype(float)
    else:  # the class frequencies, in every row
        prior = (y.reshape(-1, 1) == np.asarray(classes)).mean(axis=0)
        output = np.tile(prior, (len(y), 1))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score_output(scorer, output, y, classes)
    except Exception as exc:  # any failure means it does not fit
        return " ".join(f"{type(exc).__name__}: {exc}".split())
    return None


def check_metric(metric, task, y, classes=None):
    """The scorer for ``metric``, refused up front when it cannot score this task.

    A metric for another kind of task (``r2`` for classes, ``accuracy`` for
    continuous values), or one that fails on a baseline's output for this target
    (``roc_auc`` for a 9-class target, a log error with negative values), raises a
    ValueError that names the metric and the ones that fit, so that a search never
    runs with a metric every candidate would fail.

    Parameters
    ----------
    metric : str or callable
        A scikit-learn scorer name, or a scorer ``metric(estimator, X, y)``.
    task : {"binary", "multiclass", "regression"}
    y : array-like
        The target.
    classes : ndarray, default=None
        The class labels (classification).

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> import numpy as np
    >>> check_metric("roc_auc", "multiclass", np.arange(9), np.arange(9))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: scoring='roc_auc' does not fit a multiclass target ...
    """
    from sklearn.metrics import check_scoring, get_scorer, get_scorer_names

    kind = "regression" if task == "regression" else "classification"

    def allowed():  # the task's own metrics (not the clustering ones) that fit
        names = []
        for name in get_scorer_names():
            try:
                scorer = get_scorer(name)
                module = getattr(scorer._score_func, "__module__", None)
                if module in _MODULES[kind] and (
                    _metric_fits(scorer, task, y, classes) is None
                ):
                    names.append(name)
            except Exception:  # a scorer that cannot be built
                continue
        return names

    try:
        scorer = check_scoring(scoring=metric)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"scoring={metric!r} is not a scikit-learn scorer; for a {task} target "
            f"use one of {allowed()}."
        ) from exc
    reason = _metric_fits(scorer, task, y, classes)
    if reason is not None:
        raise ValueError(
            f"scoring={metric!r} does not fit a {task} target ({reason}); use one of "
            f"{allowed()}."
        )
    return scorer
