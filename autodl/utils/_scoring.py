"""Score predictions that are already computed, with any scikit-learn scorer."""

import numpy as np
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin


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


def score_output(scorer, output, y, classes=None, sample_weight=None):
    """Apply ``scorer`` to precomputed output instead of refitting or re-predicting.

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
    rows = np.arange(len(output)).reshape(-1, 1)
    model = (
        _PrecomputedRegressor(output)
        if classes is None
        else _PrecomputedClassifier(output, np.asarray(classes))
    )
    return score_weighted(scorer, model, rows, np.asarray(y), sample_weight)


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
