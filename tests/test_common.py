"""scikit-learn's estimator checks over every public autodl estimator.

The list comes from the registry ``autodl.utils.all_estimators()``: a new public
estimator is checked as soon as it exists. When its defaults are too slow for the
checks, or it needs arguments (a meta-estimator's members), add one line to
``CHECK_INSTANCES``. An expected failure goes in ``XFAIL`` with a one-sentence reason.
"""

import inspect

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone, is_regressor
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

import autodl
from autodl.utils import all_estimators, trusted_types


def _small_net(**params):
    from autodl.neural import MLPClassifier

    return MLPClassifier(
        **{
            "hidden_layer_sizes": (16,),
            "max_epochs": 30,
            "n_seeds": 1,  # the ensembles' members are the nets
            "device": "cpu",
            **params,
        }
    )


# name -> factory(cls) -> a small-budget instance for the checks
CHECK_INSTANCES = {
    "AutoClassifier": lambda cls: cls(
        time_budget=30,
        include=["naive_bayes"],
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
    ),
    "AutoRegressor": lambda cls: cls(
        time_budget=30, include=["ridge"], cv=3, n_jobs=1, random_state=0, verbose=0
    ),
    "FeatureSelector": lambda cls: cls(random_state=0),
    "Resampler": lambda cls: cls("smote", random_state=0),
    "NoiseAugmenter": lambda cls: cls(random_state=0),
    "TabularPreprocessor": lambda cls: cls(random_state=0),
    "SpotCheck": lambda cls: cls(
        models=[
            ("tree_c", DecisionTreeClassifier(max_depth=3, random_state=0)),
            ("tree_r", DecisionTreeRegressor(max_depth=3, random_state=0)),
        ],
        views=[("raw", None)],
        cv=3,
        random_state=0,
    ),
    "EnsembleSelectionClassifier": lambda cls: cls(
        [
            ("lr", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ],
        cv=3,
        n_iter=10,
        random_state=0,
    ),
    "EnsembleSelectionRegressor": lambda cls: cls(
        [
            ("ridge", Ridge()),
            ("tree", DecisionTreeRegressor(max_depth=3, random_state=0)),
        ],
        cv=3,
        n_iter=10,
        random_state=0,
    ),
    "BlendingClassifier": lambda cls: cls(
        [
            ("lr", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ],
        random_state=0,
    ),
    "BlendingRegressor": lambda cls: cls(
        [
            ("ridge", Ridge()),
            ("tree", DecisionTreeRegressor(max_depth=3, random_state=0)),
        ],
        random_state=0,
    ),
    # small nets on the CPU (exact comparisons); regressor variants are checked in
    # tests/ensemble/test_seed_snapshot.py
    "SeedEnsemble": lambda cls: cls(_small_net(), n_estimators=3, random_state=0),
    "SnapshotEnsemble": lambda cls: cls(
        _small_net(max_epochs=30, lr=0.01), n_snapshots=3, random_state=0
    ),
    # on the CPU: the checks compare predictions exactly, GPU kernels may not repeat
    "MLPClassifier": lambda cls: cls(
        hidden_layer_sizes=(32,), max_epochs=30, device="cpu", random_state=0
    ),
    # on the CPU: the checks compare predictions exactly, GPU kernels may not repeat
    "MLPRegressor": lambda cls: cls(
        hidden_layer_sizes=(32,), max_epochs=30, device="cpu", random_state=0
    ),
}

_NET_WEIGHTS = (
    "a net trains on shuffled mini-batches with a held-out validation split, so a "
    "row of weight 2 gives other batches and splits than the row twice (the "
    "weighted loss is the same only in expectation)."
)

_BLEND_WEIGHTS = (
    "the holdout split draws rows, so a row of weight 2 lands in one part while "
    "its duplicate may land in the other."
)


def _weight_checks(reason):
    """The sample-weight equivalence checks, on dense and on sparse data."""
    return {
        f"check_sample_weight_equivalence_on_{kind}_data": reason
        for kind in ("dense", "sparse")
    }


# name -> {check_name: "why it cannot pass, in one sentence"}
XFAIL = {
    "BlendingClassifier": _weight_checks(_BLEND_WEIGHTS),
    "BlendingRegressor": _weight_checks(_BLEND_WEIGHTS),
    "FeatureSelector": {
        "check_sample_weight_equivalence_on_dense_data": "the feature scores have "
        "no weighted form, so FeatureSelector leaves out rows of weight 0 (exact) "
        "but counts a weight of 2 as 1 (and warns).",
    },
    "PowerTransform": {
        "check_sample_weight_equivalence_on_dense_data": "skewness and the "
        "Yeo-Johnson exponents have no weighted fit, so PowerTransform leaves out "
        "rows of weight 0 (exact) but counts a weight of 2 as 1 (and warns).",
    },
    "MLPClassifier": _weight_checks(_NET_WEIGHTS),
    "SeedEnsemble": _weight_checks(_NET_WEIGHTS),
    "SnapshotEnsemble": _weight_checks(_NET_WEIGHTS),
    "MLPRegressor": {
        **_weight_checks(_NET_WEIGHTS),
        "check_methods_subset_invariance": "the net computes in float32, where a "
        "row's output alone and inside a batch may differ in the last bits (the "
        "matrix products sum in another order), and the regressor scales it back "
        "by the target's spread: the check's 1e-7 holds or not by the weights' "
        "rounding (it failed by 1.8e-7 once Adam ran torch's fused kernel).",
    },
    "SpotCheck": {
        f"check_estimator_sparse_{kind}": "SpotCheck is a classifier or a regressor "
        "as y decides, so it has no classifier tags, which this check reads once "
        "predict_proba works on sparse input (its tree members take it)."
        for kind in ("array", "matrix")
    },
    "NoiseAugmenter": {
        "check_target_type": "NoiseAugmenter keeps the labels of the rows it copies, "
        "so it accepts regression and multilabel targets on purpose.",
        "check_samplers_pandas_sparse": "NoiseAugmenter adds dense noise to every "
        "entry, so it refuses sparse input, sparse DataFrame columns included.",
    },
}


def _instance(name, cls):
    return CHECK_INSTANCES.get(name, lambda c: c())(cls)


ESTIMATORS = [_instance(name, cls) for name, cls in all_estimators()]
SAMPLERS = [_instance(name, cls) for name, cls in all_estimators("sampler")]


def _expected_failures(estimator):
    return XFAIL.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failures)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _fitted_output(estimator, X, y):
    """What ``estimator`` gives for ``X`` once fitted: predictions or new data."""
    if hasattr(estimator, "fit_resample"):
        return estimator.fit_resample(X, y)[0]
    estimator.fit(X, y)
    if hasattr(estimator, "predict"):
        return estimator.predict(X)
    return estimator.transform(X)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_polars_input_matches_pandas(estimator):
    """A polars DataFrame is read as the same pandas one: names, values, output."""
    pl = pytest.importorskip("polars")
    estimator = clone(estimator)
    if "max_trials" in estimator.get_params():  # a search: one candidate is enough
        estimator.set_params(time_budget=None, max_trials=1)
    if is_regressor(estimator):
        X, y = make_regression(60, 4, random_state=0)
    else:
        X, y = make_classification(60, 4, random_state=0)
    names = [f"feature {i}" for i in range(X.shape[1])]
    as_pandas = pd.DataFrame(X, columns=names)
    as_polars = pl.DataFrame({name: X[:, i] for i, name in enumerate(names)})
    expected = _fitted_output(clone(estimator), as_pandas, y)
    fitted = clone(estimator)
    got = _fitted_output(fitted, as_polars, y)
    assert list(fitted.feature_names_in_) == names
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected))
    if hasattr(fitted, "get_feature_names_out"):
        reference = clone(estimator).fit(as_pandas, y).get_feature_names_out()
        assert list(fitted.get_feature_names_out()) == list(reference)
    if hasattr(fitted, "fit_resample"):  # new rows come back as a polars frame
        assert isinstance(got, pl.DataFrame) and got.columns == names


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=lambda e: type(e).__name__)
def test_skops_round_trip_with_the_trusted_types(estimator):
    """Every fitted estimator persists with skops, trusting only trusted_types()."""
    sio = pytest.importorskip("skops.io")
    estimator = clone(estimator)
    if "max_trials" in estimator.get_params():
        estimator.set_params(time_budget=None, max_trials=2)
    if is_regressor(estimator):
        X, y = make_regression(60, 4, random_state=0)
    else:
        X, y = make_classification(60, 4, random_state=0)
    expected = _fitted_output(estimator, X, y)
    data = sio.dumps(estimator)
    assert set(sio.get_untrusted_types(data=data)) <= set(trusted_types())
    loaded = sio.loads(data, trusted=trusted_types())
    if hasattr(loaded, "fit_resample"):
        return  # a sampler's output is its fit's
    got = loaded.predict(X) if hasattr(loaded, "predict") else loaded.transform(X)
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected))


def _imblearn_checks(samplers):
    from imblearn.utils.estimator_checks import (
        parametrize_with_checks as imblearn_parametrize,
    )

    # imbalanced-learn hands pytest a generator, which pytest deprecates: list it.
    mark = imblearn_parametrize(samplers, expected_failed_checks=_expected_failures)
    argnames, argvalues = mark.args
    return pytest.mark.parametrize(argnames, list(argvalues), **mark.kwargs)


@_imblearn_checks(SAMPLERS)
def test_imblearn_compatible(estimator, check):
    check(estimator)


def test_registry_matches_public_names():
    """A public estimator must be both registered and exported at the top level."""
    registered = {name for name, _ in all_estimators()}
    exported = {
        name
        for name in autodl.__all__
        if inspect.isclass(getattr(autodl, name, None))
        and issubclass(getattr(autodl, name), BaseEstimator)
    }
    assert registered - exported == set(), "add these to autodl.__all__"
    assert exported - registered == set(), "exported but not found by all_estimators"


def test_check_tables_name_real_estimators():
    registered = {name for name, _ in all_estimators()}
    assert set(CHECK_INSTANCES) <= registered
    assert set(XFAIL) <= registered
    for checks in XFAIL.values():
        for reason in checks.values():
            assert len(reason.split()) >= 5, (
                "give a real reason for an expected failure"
            )


@pytest.mark.parametrize(
    "type_filter", ["classifier", "regressor", "transformer", "sampler"]
)
def test_all_estimators_filters(type_filter):
    from sklearn.base import ClassifierMixin, RegressorMixin, TransformerMixin

    mixins = {
        "classifier": ClassifierMixin,
        "regressor": RegressorMixin,
        "transformer": TransformerMixin,
    }
    for _, cls in all_estimators(type_filter):
        if type_filter in mixins:
            assert issubclass(cls, mixins[type_filter])
        else:
            assert hasattr(cls, "fit_resample")


def test_all_estimators_rejects_unknown_filter():
    with pytest.raises(ValueError, match="type_filter='model' is not supported"):
        all_estimators("model")
