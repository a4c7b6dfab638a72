"""NoiseAugmenter: jittered copies of the training rows, at fit time only."""

import numbers
from collections import Counter

import numpy as np
from imblearn.base import BaseSampler
from imblearn.utils._validation import ArraysTransformer
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

from autodl.utils import as_pandas, check_params, like_input, validate_numeric
from autodl.utils._docstring import (
    Substitution,
    _random_state_docstring,
)
from autodl.utils._param_validation import Described, Interval


@Substitution(random_state=_random_state_docstring)
class NoiseAugmenter(BaseSampler):
    """Add jittered copies of the training rows (noise on the inputs, labels kept).

    Each copy adds Gaussian noise to every feature, with a standard deviation of
    ``scale`` times that feature's standard deviation in the training data; the
    copies keep the labels of the rows they come from. More, slightly different
    training vectors act as a regulariser, especially for neural nets.

    It is a sampler: inside :func:`autodl.pipeline.make_pipeline` (an
    imbalanced-learn Pipeline) it acts in ``fit`` only and never on data being
    predicted or transformed. Unlike :class:`Resampler` it works for any target,
    regression included.

    Parameters
    ----------
    scale : float, default=0.05
        The noise standard deviation, as a fraction of each feature's standard
        deviation. ``0`` makes exact copies. Constant features get no noise.
    n_copies : int, default=1
        How many jittered copies of the data to add; the output has
        ``(n_copies + 1) * n_samples`` rows, the original rows first. ``0`` passes
        the data through, which is handy in a grid search.
    {random_state}
        It seeds the noise.

    Attributes
    ----------
    noise_std_ : ndarray of shape (n_features_in_,)
        The standard deviation of the noise added to each feature.
    sampling_strategy_ : dict or None
        For a classification target, the number of rows added per class; ``None``
        for a continuous target.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    Resampler : Balance classes with imbalanced-learn's samplers.

    Examples
    --------
    >>> from autodl.datasets import load_demo
    >>> from autodl.preprocessing import NoiseAugmenter
    >>> X, y = load_demo("diabetes")
    >>> X_aug, y_aug = NoiseAugmenter(n_copies=2, random_state=0).fit_resample(X, y)
    >>> X.shape, X_aug.shape, bool((y_aug.iloc[442:884].values == y.values).all())
    ((442, 10), (1326, 10), True)
    """

    _sampling_type = "bypass"

    _parameter_constraints = {
        "scale": [
            Described(
                "a number >= 0 (a fraction of each feature's standard deviation, "
                "e.g. 0.05)",
                Interval(numbers.Real, 0, None, closed="left"),
            )
        ],
        "n_copies": [Interval(numbers.Integral, 0, None, closed="left")],
    }

    def __init__(self, scale=0.05, n_copies=1, random_state=None):
        self.scale = scale
        self.n_copies = n_copies
        self.random_state = random_state

    def _validate(self, X, y):
        check_params(self)
        scale, copies = self.scale, self.n_copies
        X, y = validate_numeric(
            self, X, y, dtype=[np.float64, np.float32], multi_output=True
        )
        kind = type_of_target(y)
        if kind in ("binary", "multiclass") and np.unique(y).size < 2:
            raise ValueError(
                f"y contains only one class ({np.unique(y)[0]}); a classifier "
                "needs at least two. Check the target column, or use stratified "
                "splits so every fold sees every class."
            )
        self.noise_std_ = scale * X.std(axis=0)
        if kind.startswith("continuous"):
            self.sampling_strategy_ = None
        else:
            labels = y.argmax(axis=1) if kind == "multilabel-indicator" else y
            counts = Counter(np.asarray(labels).ravel().tolist())
            self.sampling_strategy_ = {c: n * copies for c, n in counts.items()}
        return X, y

    def fit(self, X, y):
        """Check the input and learn the noise level of each feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target (any kind).

        Returns
        -------
        self : NoiseAugmenter
        """
        self._validate(X, y)
        return self

    def fit_resample(self, X, y):
        """Return the training rows followed by ``n_copies`` jittered copies.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target; copied unchanged for every jittered copy.

        Returns
        -------
        X_resampled : {ndarray, dataframe} of shape \
                ((n_copies + 1) * n_samples, n_features)
            The rows, in the container ``X`` came in.
        y_resampled : array-like of shape ((n_copies + 1) * n_samples,)
            Their targets.
        """
        given, X = X, as_pandas(X)  # polars and co. as pandas, then back
        containers = ArraysTransformer(X, y)
        X, y = self._validate(X, y)
        X_res, y_res = containers.transform(*self._fit_resample(X, y))
        return like_input(X_res, given), y_res

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        copies = [X]
        for _ in range(self.n_copies):
            noise = rng.standard_normal(X.shape) * self.noise_std_
            copies.append((X + noise).astype(X.dtype, copy=False))
        return np.concatenate(copies), np.concatenate([y] * (self.n_copies + 1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
