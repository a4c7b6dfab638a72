"""Safe persistence with ``skops.io``: the types a fitted autodl model holds.

``skops.io`` loads only the types it is told to trust (scikit-learn's and
numpy's are trusted by default), so loading a model file never runs arbitrary
code the way unpickling does. :func:`trusted_types` is the list an autodl model
needs beyond skops' defaults: autodl's own classes and functions, and a short
list from the libraries under them (skorch's net parts, torch's losses and
optimisers, the boosted-tree models, imbalanced-learn's pipeline).
"""

import importlib
import inspect
import pkgutil

__all__ = ["trusted_types"]

# what autodl's fitted models hold from other libraries (skops trusts
# scikit-learn, numpy and scipy types by itself)
_THIRD_PARTY = (
    "builtins.print",  # skorch's PrintLog writes with it
    "catboost.core.CatBoostClassifier",
    "catboost.core.CatBoostRegressor",
    "collections.OrderedDict",
    "collections.deque",  # the weight-averaging callback's (emptied) window
    "functools.partial",
    "imblearn.combine._smote_enn.SMOTEENN",
    "imblearn.combine._smote_tomek.SMOTETomek",
    "imblearn.over_sampling._adasyn.ADASYN",
    "imblearn.over_sampling._random_over_sampler.RandomOverSampler",
    "imblearn.over_sampling._smote.base.SMOTE",
    "imblearn.over_sampling._smote.filter.BorderlineSMOTE",
    "imblearn.pipeline.Pipeline",
    "imblearn.under_sampling._prototype_selection._edited_nearest_neighbours."
    "EditedNearestNeighbours",
    "imblearn.under_sampling._prototype_selection._random_under_sampler."
    "RandomUnderSampler",
    "imblearn.under_sampling._prototype_selection._tomek_links.TomekLinks",
    "lightgbm.basic.Booster",
    "lightgbm.sklearn.LGBMClassifier",
    "lightgbm.sklearn.LGBMRegressor",
    "numpy.dtype",
    "skorch.callbacks.logging.EpochTimer",
    "skorch.callbacks.logging.PrintLog",
    "skorch.callbacks.lr_scheduler.LRScheduler",
    "skorch.callbacks.regularization.GradientNormClipping",
    "skorch.callbacks.scoring.EpochScoring",
    "skorch.callbacks.scoring.PassthroughScoring",
    "skorch.callbacks.training.EarlyStopping",
    "skorch.callbacks.training.Freezer",
    "skorch.dataset.Dataset",
    "skorch.history.History",
    "skorch.setter.optimizer_setter",
    "skorch.utils._indexing_dict",  # a weighted net's X: {"X", "sample_weight"}
    "skorch.utils._indexing_other",
    "skorch.utils.to_numpy",
    # scikit-learn's fitted structures skops does not trust by itself: the
    # calibration of the zoo's SVM classifier (CalibratedClassifierCV), the
    # HistGradientBoosting trees, the nearest-neighbour indexes and their metrics
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.metrics._dist_metrics.ManhattanDistance64",
    "sklearn.metrics._dist_metrics.MinkowskiDistance64",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.tree._tree.Tree",  # the fitted trees of scikit-learn's tree models
    "sklearn.utils._bunch.Bunch",
    "torch.nn.modules.loss.BCEWithLogitsLoss",
    "torch.nn.modules.loss.CrossEntropyLoss",
    "torch.nn.modules.loss.HuberLoss",
    "torch.nn.modules.loss.L1Loss",
    "torch.nn.modules.loss.MSELoss",
    "torch.optim.adam.Adam",
    "torch.optim.adamw.AdamW",
    "torch.optim.lr_scheduler.CosineAnnealingLR",
    "torch.optim.lr_scheduler.CosineAnnealingWarmRestarts",
    "torch.optim.lr_scheduler.ExponentialLR",
    "torch.optim.lr_scheduler.LambdaLR",
    "torch.optim.lr_scheduler.OneCycleLR",
    "torch.optim.lr_scheduler.ReduceLROnPlateau",
    "torch.optim.lr_scheduler.StepLR",
    "torch.optim.rmsprop.RMSprop",
    "torch.optim.sgd.SGD",
    "xgboost.core.Booster",
    "xgboost.sklearn.XGBClassifier",
    "xgboost.sklearn.XGBRegressor",
)


def _autodl_types():
    """Every class and function defined in autodl's library packages."""
    import autodl

    names = set()
    for info in pkgutil.walk_packages(autodl.__path__, "autodl."):
        if info.name.startswith("autodl.cli") or info.name.endswith("__main__"):
            continue  # the command line is not part of a model
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and getattr(
                obj, "__module__", None
            ) == info.name:
                names.add(f"{info.name}.{obj.__qualname__}")
    return names


def trusted_types():
    """The type names to trust when loading a fitted autodl model with skops.

    Pass them to ``skops.io.load(path, trusted=trusted_types())``. They are
    autodl's own classes and functions (trust autodl, and you trust them) and a
    short list from skorch, torch, LightGBM, XGBoost, CatBoost and
    imbalanced-learn (with scikit-learn's fitted trees and nearest-neighbour
    indexes, which skops does not trust by itself); skops trusts the rest
    of scikit-learn's, numpy's and scipy's types by itself. A model file that
    holds anything else (your own estimator in a pipeline, say) makes
    ``skops.io.load`` refuse it; inspect those types with
    ``skops.io.get_untrusted_types(file=path)`` before adding them.

    Returns
    -------
    names : list of str
        Sorted, fully qualified type names.

    Examples
    --------
    >>> import numpy as np
    >>> import skops.io as sio
    >>> from autodl.preprocessing import Rescaler
    >>> from autodl.utils import trusted_types
    >>> scaler = Rescaler().fit(np.arange(6.0).reshape(3, 2))
    >>> data = sio.dumps(scaler)
    >>> set(sio.get_untrusted_types(data=data)) <= set(trusted_types())
    True
    >>> sio.loads(data, trusted=trusted_types()).transform([[2.0, 3.0]])
    array([[0., 0.]])
    """
    return sorted(_autodl_types() | set(_THIRD_PARTY))
