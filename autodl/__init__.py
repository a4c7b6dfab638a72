"""autodl: AutoML that is scikit-learn all the way down.

Every piece is an ordinary scikit-learn estimator: take any one alone, drop it
into your own Pipeline, or search over all of it with ``GridSearchCV``.

``import autodl`` is light: the public names below are loaded on first use, so
torch and xgboost are imported only by the sub-packages that need them.
"""

import importlib

__version__ = "0.1.0.dev0"

# public name -> sub-module that defines it (DESIGN.md, "The public surface").
# Adding a public name is one line here plus its sub-package's ``__all__``.
_SUBMODULE_OF = {
    "load_demo": "autodl.datasets",
    "load_csv": "autodl.datasets",
    "make_pipeline": "autodl.pipeline",
    "Rescaler": "autodl.preprocessing",
    "PowerTransform": "autodl.preprocessing",
    "FeatureSelector": "autodl.preprocessing",
    "Resampler": "autodl.preprocessing",
    "NoiseAugmenter": "autodl.preprocessing",
    "TabularPreprocessor": "autodl.preprocessing",
    "MLPClassifier": "autodl.neural",
    "MLPRegressor": "autodl.neural",
    "SpotCheck": "autodl.spotcheck",
    "default_models": "autodl.spotcheck",
    "EnsembleSelectionClassifier": "autodl.ensemble",
    "EnsembleSelectionRegressor": "autodl.ensemble",
    "BlendingClassifier": "autodl.ensemble",
    "BlendingRegressor": "autodl.ensemble",
    "SeedEnsemble": "autodl.ensemble",
    "SnapshotEnsemble": "autodl.ensemble",
    "AutoClassifier": "autodl.automl",
    "AutoRegressor": "autodl.automl",
    "learning_curves": "autodl.diagnostics",
    "plot_learning_curves": "autodl.diagnostics",
    "diagnose": "autodl.diagnostics",
    "Diagnosis": "autodl.diagnostics",
    "run_variance": "autodl.diagnostics",
    "RunVariance": "autodl.diagnostics",
    "write_report": "autodl.diagnostics",
    "plot_cv_scores": "autodl.diagnostics",
    "plot_confusion_matrix": "autodl.diagnostics",
    "plot_roc_curve": "autodl.diagnostics",
    "plot_residuals": "autodl.diagnostics",
    "plot_permutation_importance": "autodl.diagnostics",
}

__all__ = ["__version__", *_SUBMODULE_OF]


def __getattr__(name):
    try:
        module = _SUBMODULE_OF[name]
    except KeyError:
        raise AttributeError(f"module 'autodl' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
