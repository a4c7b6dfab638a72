"""Sample weights reach the fit: zero weight on half the rows equals dropping them.

Each estimator is fitted twice on seeded data: once on every row with the odd
rows weighted 0, once on the even rows alone. The predictions must agree. Then
``cross_validate`` with metadata routing on must route the weights (and with
unequal weights, give other scores than without).
"""

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate

from autodl import (
    FeatureSelector,
    MLPClassifier,
    MLPRegressor,
    PowerTransform,
    Rescaler,
    SeedEnsemble,
    SnapshotEnsemble,
    make_pipeline,
)

# full-batch training without a validation split: the weighted mean loss over
# every row is the mean loss over the kept rows, step for step
_NET = {
    "hidden_layer_sizes": (8,),
    "max_epochs": 5,
    "batch_size": "full",
    "validation_fraction": 0.0,
    "early_stopping": False,
    "random_state": 0,
}


def _data(task):
    if task == "regression":
        X, y = make_regression(60, 4, noise=5.0, random_state=0)
    else:
        X, y = make_classification(
            60, 4, n_informative=3, n_redundant=0, random_state=0
        )
    # the dropped rows differ from the kept ones: dropping them changes the fit
    X[1::2] *= 3.0
    return X, y


def _output(model, X):
    if hasattr(model, "scores_"):  # a selector: its feature scores
        return model.scores_
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)
    if hasattr(model, "predict"):
        return model.predict(X)
    return model.transform(X)


CASES = [
    ("classification", MLPClassifier(**_NET)),
    ("classification", MLPClassifier(**_NET, n_ensemble=2, class_weight="balanced")),
    ("classification", MLPClassifier(**_NET, input_scaling="standard")),
    ("regression", MLPRegressor(**_NET)),
    # the phases before the main run train on the rows of positive weight
    (
        "classification",
        MLPClassifier(
            **_NET, pretrain="greedy", pretrain_epochs=2, freeze=1, freeze_epochs=2
        ),
    ),
    ("regression", MLPRegressor(**_NET, pretrain="autoencoder", pretrain_epochs=2)),
    ("regression", MLPRegressor(**_NET, loss="huber", input_scaling="quantile")),
    (
        "classification",
        SeedEnsemble(MLPClassifier(**_NET), n_estimators=2, random_state=0),
    ),
    (
        "regression",
        SnapshotEnsemble(
            make_pipeline(Rescaler(), MLPRegressor(**{**_NET, "max_epochs": 6})),
            n_snapshots=2,
            random_state=0,
        ),
    ),
    ("regression", Rescaler()),
    ("regression", Rescaler("robust")),
    ("regression", PowerTransform(columns="all")),
    ("classification", FeatureSelector("univariate", k=2)),
]


def _id(case):
    return type(case[1]).__name__


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_zero_weight_equals_dropping_rows(case):
    task, estimator = case
    X, y = _data(task)
    weight = np.tile([1.0, 0.0], len(X) // 2)
    weighted = clone(estimator).fit(X, y, sample_weight=weight)
    dropped = clone(estimator).fit(X[::2], y[::2])
    unweighted = clone(estimator).fit(X, y)
    np.testing.assert_allclose(
        _output(weighted, X), _output(dropped, X), rtol=1e-4, atol=1e-5
    )
    assert not np.allclose(_output(weighted, X), _output(unweighted, X), atol=1e-3)


ROUTED = [CASES[0], CASES[3]]  # the leaf nets; routers are tested below


@pytest.mark.parametrize("case", ROUTED, ids=[_id(c) for c in ROUTED])
def test_cross_validate_routes_sample_weight(case):
    task, estimator = case
    X, y = _data(task)
    weight = np.tile([1.0, 0.0], len(X) // 2)
    with sklearn.config_context(enable_metadata_routing=True):
        est = clone(estimator).set_fit_request(sample_weight=True)
        est.set_score_request(sample_weight=True)
        routed = cross_validate(
            est,
            X,
            y,
            cv=2,
            params={"sample_weight": weight},
            return_estimator=True,
            error_score="raise",
        )
    plain = cross_validate(
        clone(estimator), X, y, cv=2, return_estimator=True, error_score="raise"
    )
    for a, b in zip(routed["estimator"], plain["estimator"], strict=True):
        assert not np.allclose(_output(a, X), _output(b, X), atol=1e-3)


def test_weights_are_checked():
    X, y = _data("classification")
    with pytest.raises(ValueError, match="negative value"):
        MLPClassifier(**_NET).fit(X, y, sample_weight=-np.ones(len(X)))
    with pytest.raises(ValueError, match="non-zero"):
        MLPClassifier(**_NET).fit(X, y, sample_weight=np.zeros(len(X)))


def test_unequal_weights_warn_where_only_zero_weights_count():
    X, _ = _data("regression")
    weight = np.arange(len(X), dtype=float)
    with pytest.warns(UserWarning, match=r"Rescaler\('robust'\) has no weighted fit"):
        Rescaler("robust").fit(X, sample_weight=weight)
    # the standard scaler weighs them: no warning
    scaled = Rescaler().fit(X, sample_weight=weight).scaler_
    np.testing.assert_allclose(scaled.mean_, np.average(X, axis=0, weights=weight))


def test_pipeline_routes_weights_to_the_steps_that_ask():
    X, y = _data("classification")
    weight = np.tile([1.0, 0.0], len(X) // 2)
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            Rescaler().set_fit_request(sample_weight=True),
            LogisticRegression().set_fit_request(sample_weight=True),
        )
        pipe.fit(X, y, sample_weight=weight)
    dropped = make_pipeline(Rescaler(), LogisticRegression()).fit(X[::2], y[::2])
    np.testing.assert_allclose(
        pipe.predict_proba(X), dropped.predict_proba(X), rtol=1e-4, atol=1e-6
    )


def _spot(**params):
    from autodl import SpotCheck

    return SpotCheck(
        models=[("lr", LogisticRegression())],
        views=[("standardized", Rescaler()), ("power", PowerTransform())],
        **{"cv": 3, "random_state": 0, **params},
    )


def test_spotcheck_weights_reach_models_scores_and_refit():
    X, y = _data("classification")
    weight = np.tile([1.0, 0.0], len(X) // 2)
    weighted = _spot().fit(X, y, sample_weight=weight)
    dropped = _spot().fit(X[::2], y[::2])
    plain = _spot().fit(X, y)
    best = weighted.leaderboard_.loc[0, "view"]
    assert best == dropped.leaderboard_.loc[0, "view"]
    np.testing.assert_allclose(
        weighted.predict_proba(X), dropped.predict_proba(X), rtol=1e-4, atol=1e-6
    )
    assert not np.allclose(weighted.predict_proba(X), plain.predict_proba(X))
    # the validation scores weigh the rows: other scores than unweighted
    scores = weighted.leaderboard_.set_index("view")["mean_score"]
    assert not np.allclose(scores, plain.leaderboard_.set_index("view")["mean_score"])


def test_spotcheck_routes_weights_and_groups():
    from sklearn.model_selection import GroupKFold

    X, y = _data("classification")
    weight = np.tile([1.0, 0.0], len(X) // 2)
    groups = np.arange(len(X)) % 3
    with sklearn.config_context(enable_metadata_routing=True):
        spot = _spot(cv=GroupKFold(3)).set_fit_request(sample_weight=True)
        spot.set_score_request(sample_weight=False)
        routed = cross_validate(
            spot,
            X,
            y,
            cv=2,
            params={"sample_weight": weight, "groups": groups},
            return_estimator=True,
            error_score="raise",
        )
    for est in routed["estimator"]:
        # GroupKFold got the groups: each test fold is one group
        assert est.leaderboard_.loc[0, "n_folds"] == 3
    plain = cross_validate(_spot(), X, y, cv=2, return_estimator=True)
    for a, b in zip(routed["estimator"], plain["estimator"], strict=True):
        assert not np.allclose(a.predict_proba(X), b.predict_proba(X))


def test_spotcheck_reports_a_model_without_weights():
    from sklearn.neighbors import KNeighborsClassifier

    from autodl import SpotCheck

    X, y = _data("classification")
    spot = SpotCheck(
        models=[("lr", LogisticRegression()), ("knn", KNeighborsClassifier())],
        views=[("raw", None)],
        cv=3,
    ).fit(X, y, sample_weight=np.ones(len(X)))
    board = spot.leaderboard_.set_index("model")
    assert board.loc["knn", "status"] == "failed"
    assert "does not take sample_weight" in board.loc["knn", "error"]


def _selection(task):
    from sklearn.linear_model import Ridge
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    from autodl import EnsembleSelectionClassifier, EnsembleSelectionRegressor

    if task == "regression":
        members = [
            ("ridge", make_pipeline(Rescaler(), Ridge())),
            ("tree", DecisionTreeRegressor(max_depth=3, random_state=0)),
        ]
        return EnsembleSelectionRegressor(members, cv=3, n_iter=5, random_state=0)
    members = [
        ("lr", make_pipeline(Rescaler(), LogisticRegression())),
        ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
    ]
    return EnsembleSelectionClassifier(members, cv=3, n_iter=5, random_state=0)


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_ensemble_selection_weights_members_and_selection(task):
    X, y = _data(task)
    weight = np.tile([1.0, 0.0], len(X) // 2)
    weighted = _selection(task).fit(X, y, sample_weight=weight)
    plain = _selection(task).fit(X, y)
    # the refit members are those fitted on the kept rows alone
    for name, member in weighted.ensemble_.named_estimators_.items():
        alone = clone(dict(_selection(task).estimators)[name]).fit(X[::2], y[::2])
        np.testing.assert_allclose(
            _output(member, X), _output(alone, X), rtol=1e-4, atol=1e-6
        )
    assert weighted.oof_scores_ != plain.oof_scores_
    # given predictions: only the selection's score weighs the rows
    outputs = [_output(clone(m).fit(X, y), X) for _, m in plain.estimators]
    given = _selection(task).fit(X, y, predictions=outputs, sample_weight=weight)
    unweighted = _selection(task).fit(X, y, predictions=outputs)
    assert given.oof_scores_ != unweighted.oof_scores_


def test_ensemble_selection_routes_to_the_members_that_ask():
    X, y = _data("classification")
    weight = np.tile([1.0, 0.0], len(X) // 2)
    ens = _selection("classification").set_params(tree__max_depth=1, n_iter=10)
    with sklearn.config_context(enable_metadata_routing=True):
        lr, tree = (est for _, est in ens.estimators)
        lr.steps[0][1].set_fit_request(sample_weight=True)
        lr.steps[1][1].set_fit_request(sample_weight=True)
        tree.set_fit_request(sample_weight=False)
        ens.set_fit_request(sample_weight=True)
        ens.fit(X, y, sample_weight=weight)
    fitted = ens.ensemble_.named_estimators_
    assert set(fitted) == {"lr", "tree"}  # both picked (the seeded selection)
    alone = make_pipeline(Rescaler(), LogisticRegression()).fit(X[::2], y[::2])
    np.testing.assert_allclose(
        fitted["lr"].predict_proba(X), alone.predict_proba(X), rtol=1e-4
    )
    with sklearn.config_context(enable_metadata_routing=True):
        # asked for no weights: fitted on every row
        full = clone(tree).fit(X, y)
        np.testing.assert_allclose(
            fitted["tree"].predict_proba(X), full.predict_proba(X)
        )


def test_ensemble_selection_refuses_a_member_without_weights():
    from sklearn.neighbors import KNeighborsClassifier

    from autodl import EnsembleSelectionClassifier

    X, y = _data("classification")
    ens = EnsembleSelectionClassifier(
        [("lr", LogisticRegression()), ("knn", KNeighborsClassifier())], cv=3
    )
    with pytest.raises(TypeError, match=r"\['knn'\] take no sample_weight"):
        ens.fit(X, y, sample_weight=np.ones(len(X)))


def _auto(task, **params):
    from autodl import AutoClassifier, AutoRegressor

    cls = AutoRegressor if task == "regression" else AutoClassifier
    include = ["ridge"] if task == "regression" else ["logistic_regression"]
    return cls(
        **{
            "time_budget": None,
            "max_trials": 1,
            "include": include,
            "ensemble": False,
            "cv": 3,
            "n_jobs": 1,
            "random_state": 0,
            "verbose": 0,
            **params,
        }
    )


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_auto_weights_reach_candidates_scores_and_refit(task):
    X, y = _data(task)
    weight = np.tile([1.0, 0.0], len(X) // 2)
    weighted = _auto(task).fit(X, y, sample_weight=weight)
    dropped = _auto(task).fit(X[::2], y[::2])
    plain = _auto(task).fit(X, y)
    np.testing.assert_allclose(
        _output(weighted, X), _output(dropped, X), rtol=1e-4, atol=1e-6
    )
    assert not np.allclose(_output(weighted, X), _output(plain, X))
    assert weighted.leaderboard_["score"][0] != plain.leaderboard_["score"][0]


def test_auto_weighted_ensemble_and_routing():
    X, y = _data("classification")
    weight = np.tile([1.0, 0.0], len(X) // 2)
    auto = _auto(
        "classification",
        include=["logistic_regression", "naive_bayes", "knn"],
        max_trials=3,
        ensemble=True,
    )
    with sklearn.config_context(enable_metadata_routing=True):
        auto.set_fit_request(sample_weight=True).set_score_request(sample_weight=True)
        result = cross_validate(
            auto,
            X,
            y,
            cv=2,
            params={"sample_weight": weight},
            return_estimator=True,
            error_score="raise",
        )
    for est in result["estimator"]:
        # knn takes no weights: left out of the weighted search
        assert "knn" not in set(est.leaderboard_["family"])
        assert set(est.leaderboard_["status"]) == {"ok"}


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_blending_weights_members_and_meta_learner(task):
    from autodl import BlendingClassifier, BlendingRegressor

    X, y = _data(task)
    weight = np.tile([1.0, 0.0], len(X) // 2)
    members = _selection(task).estimators
    cls = BlendingRegressor if task == "regression" else BlendingClassifier
    weighted = cls(members, random_state=0).fit(X, y, sample_weight=weight)
    plain = cls(members, random_state=0).fit(X, y)
    for name, member in members:
        alone = clone(member).fit(X[::2], y[::2])
        np.testing.assert_allclose(
            _output(weighted.named_estimators_[name], X),
            _output(alone, X),
            rtol=1e-4,
            atol=1e-6,
        )
    assert not np.allclose(
        weighted.final_estimator_.coef_, plain.final_estimator_.coef_
    )
    with sklearn.config_context(enable_metadata_routing=True):
        for _, member in members:
            for step in getattr(member, "steps", [(None, member)]):
                step[1].set_fit_request(sample_weight=True)
        final = cls._default_final().set_fit_request(sample_weight=True)
        routed = cls(members, final_estimator=final, random_state=0)
        routed.fit(X, y, sample_weight=weight)
    np.testing.assert_allclose(_output(routed, X), _output(weighted, X))


def test_seed_ensemble_routes_to_its_estimator():
    X, y = _data("classification")
    weight = np.tile([1.0, 0.0], len(X) // 2)
    with sklearn.config_context(enable_metadata_routing=True):
        net = MLPClassifier(**_NET).set_fit_request(sample_weight=True)
        ens = SeedEnsemble(net, n_estimators=2, random_state=0)
        result = cross_validate(
            ens, X, y, cv=2, params={"sample_weight": weight}, return_estimator=True
        )
    plain = cross_validate(
        SeedEnsemble(MLPClassifier(**_NET), n_estimators=2, random_state=0),
        X,
        y,
        cv=2,
        return_estimator=True,
    )
    for a, b in zip(result["estimator"], plain["estimator"], strict=True):
        assert not np.allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-3)


def test_tabular_preprocessor_fits_on_the_rows_that_weigh():
    import pandas as pd

    from autodl import TabularPreprocessor

    X = pd.DataFrame(
        {
            "age": [np.nan, 100.0, 2.0, 100.0, 4.0, 100.0],
            "city": ["a", "zz", "b", "zz", "a", "zz"],
        }
    )
    y = np.array([0, 1, 1, 0, 0, 1])
    weight = np.tile([1.0, 0.0], 3)
    prep = TabularPreprocessor()
    weighted = prep.fit_transform(X, y, sample_weight=weight)
    dropped = TabularPreprocessor().fit(X[::2], y[::2])
    np.testing.assert_allclose(weighted[::2], dropped.transform(X[::2]))
    assert weighted[0, 0] == 3.0  # the median of the rows that weigh
    assert "city_zz" not in prep.get_feature_names_out()
    assert TabularPreprocessor().fit_transform(X, y)[0, 0] == 100.0


def test_weighted_models_round_trip_through_skops():
    # a weighted net's skorch history holds its dict input; the members that
    # route_to_members made request weights drop the request once fitted (a
    # MetadataRequest holds its owner: a cycle skops cannot write)
    sio = pytest.importorskip("skops.io")
    from autodl import BlendingClassifier
    from autodl.utils import trusted_types

    X, y = _data("classification")
    weight = np.tile([1.0, 0.5, 0.0], len(X) // 3)
    models = [
        MLPClassifier(**_NET),
        MLPClassifier(**_NET, weight_averaging="swa", batch_norm=True),
        SeedEnsemble(MLPClassifier(**_NET), n_estimators=2, random_state=0),
        _selection("classification"),
        BlendingClassifier(_selection("classification").estimators, random_state=0),
        _auto(
            "classification",
            include=["logistic_regression", "naive_bayes", "mlp"],
            max_trials=3,
            ensemble=True,
        ),
    ]
    for model in models:
        model.fit(X, y, sample_weight=weight)
        data = sio.dumps(model)
        assert set(sio.get_untrusted_types(data=data)) <= set(trusted_types())
        loaded = sio.loads(data, trusted=trusted_types())
        np.testing.assert_allclose(loaded.predict_proba(X), model.predict_proba(X))
