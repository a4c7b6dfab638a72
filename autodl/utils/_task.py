"""What kind of target: the one rule every autodl estimator uses."""

import numpy as np
from sklearn.utils.multiclass import type_of_target

from autodl.utils._validation import check_option

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
