"""What kind of target: the one rule every autodl estimator uses."""

import numpy as np
from sklearn.utils.multiclass import type_of_target

from autodl.utils._param_validation import check_option

TASKS = ("auto", "classification", "regression")


def resolve_task(y, task="auto"):
    """``"binary"``, ``"multiclass"`` or ``"regression"`` for a target ``y``.

    With ``task="auto"``: continuous values are regression; two distinct values are
    binary classification (also as floats, e.g. 0.0 / 1.0); more than two are
    classes when they are integers, booleans or strings, and regression when they
    are floats (ratings such as 1.0 to 5.0).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The target.
    task : {"auto", "classification", "regression"}, default="auto"
        Force the task instead of inferring it.

    Returns
    -------
    task : {"binary", "multiclass", "regression"}

    Examples
    --------
    >>> resolve_task([0, 1, 1]), resolve_task([1.0, 2.5, 3.0])
    ('binary', 'regression')
    >>> resolve_task([1.0, 2.0, 3.0, 2.0]), resolve_task([1, 2, 3, 2])
    ('regression', 'multiclass')
    >>> resolve_task([[0.5, 1.0], [1.5, 2.0]])  # several continuous targets
    'regression'
    """
    check_option("task", task, TASKS)
    y = np.asarray(y)
    kind = type_of_target(y)
    if task == "regression":
        if y.dtype.kind not in "fiub":
            raise ValueError(
                f"Unknown label type: task='regression' needs a numeric y, but y "
                f"holds {y.dtype} labels; use task='classification' or task='auto'."
            )
        return "regression"
    if kind == "continuous-multioutput" and task == "auto":
        return "regression"  # several continuous targets
    if kind not in ("binary", "multiclass", "continuous"):
        raise ValueError(
            f"Unknown label type: y is {kind!r}; autodl handles one target column "
            "of class labels or continuous values."
        )
    if task == "classification":
        if kind == "continuous":
            raise ValueError(
                "Unknown label type: task='classification' needs class labels, but "
                "y is continuous; use task='regression' or task='auto'."
            )
        return "binary" if np.unique(y).size <= 2 else "multiclass"
    if kind == "continuous" or (kind == "multiclass" and y.dtype.kind == "f"):
        return "regression"
    return kind


def one_model_per_target(estimator, y_ndim):
    """A clone of ``estimator`` that fits a ``y`` of ``y_ndim`` dimensions.

    With several targets (``y_ndim == 2``), a regressor that cannot fit them at
    once (its ``multi_output`` tag is False: SVR, boosted trees, ...) is wrapped in
    scikit-learn's ``MultiOutputRegressor``, one model per target; one that can
    (linear models, trees, forests, k-nearest neighbours, autodl's nets) is used
    as it is.

    Parameters
    ----------
    estimator : estimator instance
    y_ndim : int
        1 for one target, 2 for several.

    Returns
    -------
    estimator : an unfitted clone, maybe in a ``MultiOutputRegressor``

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.svm import SVR
    >>> type(one_model_per_target(SVR(), 2)).__name__
    'MultiOutputRegressor'
    >>> type(one_model_per_target(Ridge(), 2)).__name__
    'Ridge'
    """
    from sklearn.base import clone, is_regressor
    from sklearn.multioutput import MultiOutputRegressor
    from sklearn.utils import get_tags

    estimator = clone(estimator)
    if y_ndim < 2 or not is_regressor(estimator):
        return estimator
    if get_tags(estimator).target_tags.multi_output:
        return estimator
    return MultiOutputRegressor(estimator)
