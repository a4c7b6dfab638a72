"""Rescaler: one searchable parameter over scikit-learn's scalers."""

from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin, clone
from sklearn.preprocessing import (
    MinMaxScaler,
    QuantileTransformer,
    RobustScaler,
    StandardScaler,
)
from sklearn.utils.validation import FLOAT_DTYPES, check_array, check_is_fitted

from autodl.utils import (
    accepts_sample_weight,
    check_params,
    check_weights,
    fit_weighted,
    positive_rows,
    validate_numeric,
)
from autodl.utils._param_validation import one_of

# method -> the scikit-learn transformer that does the work (cloned in fit)
_SCALERS = {
    "standard": StandardScaler(),
    "minmax": MinMaxScaler(feature_range=(0, 1)),
    "minmax_sym": MinMaxScaler(feature_range=(-1, 1)),
    "robust": RobustScaler(),
    # A fixed seed: the quantiles of more than 10,000 rows are estimated on a
    # subsample, which must be the same on every fit.
    "quantile_normal": QuantileTransformer(
        output_distribution="normal", random_state=0
    ),
    "none": None,
}


def _check_inverse_input(estimator, X):
    """Data to map back: numeric, NaN allowed, as many columns as seen in fit."""
    X = check_array(X, dtype=FLOAT_DTYPES, ensure_all_finite="allow-nan", copy=True)
    if X.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} is "
            f"expecting {estimator.n_features_in_} features as input."
        )
    return X


class Rescaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Rescale numeric features, the method chosen by one searchable parameter.

    A thin wrapper over scikit-learn's scalers, so that
    ``GridSearchCV(pipe, {"rescaler__method": ["standard", "minmax"]})`` compares
    rescalings without swapping pipeline steps. Missing values are kept as they
    are (ignored when fitting, left as NaN in the output), as scikit-learn's
    scalers do.

    Parameters
    ----------
    method : {"standard", "minmax", "minmax_sym", "robust", "quantile_normal", \
            "none"}, default="standard"
        - ``"standard"``: zero mean, unit variance (:class:`~sklearn.preprocessing.
          StandardScaler`).
        - ``"minmax"``: each feature into [0, 1], e.g. for sigmoid units
          (:class:`~sklearn.preprocessing.MinMaxScaler`).
        - ``"minmax_sym"``: each feature into [-1, 1], e.g. for tanh units.
        - ``"robust"``: centre on the median, scale by the inter-quartile range
          (:class:`~sklearn.preprocessing.RobustScaler`); outliers weigh less.
        - ``"quantile_normal"``: map each feature through its quantiles onto a
          standard normal (:class:`~sklearn.preprocessing.QuantileTransformer`,
          up to 1,000 quantiles, a fixed subsampling seed).
        - ``"none"``: pass the values through unchanged.

    Attributes
    ----------
    scaler_ : estimator or None
        The fitted scikit-learn scaler; ``None`` for ``method="none"``.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    PowerTransform : Make skewed columns more Gaussian.

    Examples
    --------
    >>> from autodl.datasets import load_demo
    >>> from autodl.preprocessing import Rescaler
    >>> X, y = load_demo("iris")
    >>> Xt = Rescaler("minmax_sym").fit_transform(X)
    >>> round(float(Xt.min()), 6), round(float(Xt.max()), 6)
    (-1.0, 1.0)
    """

    _parameter_constraints = {"method": one_of(_SCALERS)}

    def __init__(self, method="standard"):
        self.method = method

    def fit(self, X, y=None, sample_weight=None):
        """Learn the scaling of each feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training data; NaN is allowed and ignored.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row: ``"standard"`` weighs the means and variances;
            the other methods leave out the rows of weight 0 (exact) and count
            the other rows alike (a warning says so when their weights differ).

        Returns
        -------
        self : Rescaler
        """
        check_params(self)
        X = validate_numeric(self, X, allow_nan=True, dtype=FLOAT_DTYPES)
        weight = check_weights(sample_weight, X)
        scaler = _SCALERS[self.method]
        if scaler is None:
            self.scaler_ = None
            return self
        scaler = clone(scaler)
        if weight is not None and not accepts_sample_weight(scaler):
            X = X[positive_rows(weight, f"Rescaler({self.method!r})")]
            weight = None
        if self.method == "quantile_normal":
            scaler.set_params(n_quantiles=max(1, min(1000, X.shape[0])))
        self.scaler_ = fit_weighted(scaler, X, sample_weight=weight)
        return self

    def transform(self, X):
        """Rescale ``X`` with the scaling learned in :meth:`fit`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric data.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X = validate_numeric(self, X, reset=False, allow_nan=True, dtype=FLOAT_DTYPES)
        return X.copy() if self.scaler_ is None else self.scaler_.transform(X)

    def inverse_transform(self, X):
        """Map rescaled data back to the original units.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data in the rescaled space.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X = _check_inverse_input(self, X)
        return X if self.scaler_ is None else self.scaler_.inverse_transform(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags
