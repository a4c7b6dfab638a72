import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_diabetes, load_digits, load_iris, make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from autodl.spotcheck import SpotCheck, default_views
from autodl.spotcheck._evaluate import _tagged
from autodl.spotcheck._zoo import (
    _EarlyStoppedClassifier,
    _EarlyStoppedRegressor,
    _ExtraTreesRegressor,
    _HistGradientBoostingClassifier,
    _HistGradientBoostingRegressor,
    _RandomForestClassifier,
    trained_rounds,
    with_rounds,
)
from autodl.utils import fit_deadline

MODELS = [
    ("logistic", LogisticRegression(max_iter=1000)),
    ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
    ("dummy", DummyClassifier()),
]
VIEWS = [("raw", None), ("standardized", StandardScaler())]


@pytest.fixture(scope="module")
def data():
    return make_classification(200, n_features=8, random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return SpotCheck(models=MODELS, views=VIEWS, cv=4, random_state=0).fit(X, y)


def test_leaderboard_ranks_every_pair(fitted):
    board = fitted.leaderboard_
    assert len(board) == len(MODELS) * len(VIEWS)
    for col in [
        "model",
        "view",
        "mean_score",
        "std_score",
        "fit_time",
        "status",
        "split0_score",
        "split3_score",
    ]:
        assert col in board.columns
    assert board["mean_score"].is_monotonic_decreasing
    assert board.attrs["scoring"] == "roc_auc" and fitted.task_ == "binary"
    dummy = board[board.model == "dummy"]
    assert (dummy["mean_score"] == 0.5).all()  # a constant predictor has AUC 0.5
    assert board.iloc[0]["model"] != "dummy"


def test_same_splits_for_every_pair(fitted):
    # a tree does not care about scaling: on identical folds its scores are identical
    board = fitted.leaderboard_.set_index(["model", "view"])
    folds = [c for c in board.columns if c.startswith("split")]
    np.testing.assert_allclose(
        board.loc[("tree", "raw"), folds], board.loc[("tree", "standardized"), folds]
    )


def test_best_estimator_refit_and_delegation(fitted, data):
    X, y = data
    best = fitted.leaderboard_.iloc[0]
    pipe = fitted.best_estimator_
    assert (
        type(pipe.named_steps["model"]).__name__
        == dict(MODELS)[best["model"]].__class__.__name__
    )
    assert fitted.predict(X).shape == (200,)
    assert fitted.predict_proba(X).shape == (200, 2)
    assert 0.5 < fitted.score(X, y) <= 1


class _Broken(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise RuntimeError("boom")


def test_failing_model_is_reported_and_run_goes_on(data):
    X, y = data
    spot = SpotCheck(
        models=[("broken", _Broken()), *MODELS[:1]],
        views=VIEWS[:1],
        cv=3,
        random_state=0,
    ).fit(X, y)
    board = spot.leaderboard_.set_index("model")
    assert board.loc["broken", "status"] == "failed"
    assert "RuntimeError: boom" in board.loc["broken", "error"]
    assert board.loc["logistic", "status"] == "ok"
    assert spot.leaderboard_.iloc[0]["model"] == "logistic"


def test_every_model_failing_is_an_error(data):
    X, y = data
    with pytest.raises(RuntimeError, match="boom") as info:
        SpotCheck(models=[("broken", _Broken())], views=VIEWS[:1], cv=3).fit(X, y)
    assert "no model could be scored" in info.value.__notes__[0]


class _Interrupting(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise KeyboardInterrupt


def test_ctrl_c_keeps_what_finished(data):
    X, y = data
    models = [MODELS[0], ("ctrl_c", _Interrupting()), MODELS[1]]
    with pytest.warns(UserWarning, match="interrupted after 3 of 9 fits"):
        spot = SpotCheck(models=models, views=VIEWS[:1], cv=3, random_state=0).fit(X, y)
    assert spot.stop_reason_ == "interrupted"
    board = spot.leaderboard_.set_index("model")
    assert board.loc["logistic", "status"] == "ok"
    assert set(board.loc[["ctrl_c", "tree"], "status"]) == {"not run"}
    assert spot.predict(X).shape == (200,)  # the best so far is fitted and usable


def test_time_budget_stops_new_fits(data):
    X, y = data
    # a zero budget stops after the first fit: no pair is complete, which is an error
    with pytest.raises(ValueError, match="time_budget=0s; raise the budget"):
        SpotCheck(models=MODELS, views=VIEWS, cv=3, time_budget=0).fit(X, y)


def test_parallel_equals_sequential(data):
    X, y = data
    kw = {"models": MODELS[:2], "views": VIEWS, "cv": 3, "random_state": 1}
    seq = SpotCheck(n_jobs=1, **kw).fit(X, y).leaderboard_
    par = SpotCheck(n_jobs=2, **kw).fit(X, y).leaderboard_
    cols = ["model", "view", "mean_score", "split0_score", "split2_score"]
    pd.testing.assert_frame_equal(seq[cols], par[cols])


def test_repeats_and_tasks():
    X, y = load_iris(return_X_y=True)
    spot = SpotCheck(
        models=MODELS[:1], views=VIEWS[:1], cv=3, n_repeats=2, random_state=0
    ).fit(X, y)
    assert spot.task_ == "multiclass"
    assert spot.leaderboard_.attrs["scoring"] == "balanced_accuracy"
    assert "split5_score" in spot.leaderboard_.columns
    X, y = load_diabetes(return_X_y=True)
    spot = SpotCheck(models=[("ridge", Ridge())], views=VIEWS, cv=3).fit(X, y)
    assert spot.task_ == "regression" and spot.leaderboard_.attrs["scoring"] == "r2"
    neg = SpotCheck(
        models=[("ridge", Ridge())],
        views=VIEWS[:1],
        cv=3,
        scoring="neg_root_mean_squared_error",
    ).fit(X, y)
    assert neg.leaderboard_["mean_score"].iloc[0] < 0


def test_inside_cross_val_score_and_grid_search(data):
    X, y = data
    spot = SpotCheck(models=MODELS[:2], views=VIEWS[:1], cv=3, random_state=0)
    scores = cross_val_score(spot, X, y, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.5)
    search = GridSearchCV(spot, {"cv": [2, 3]}, cv=2, error_score="raise").fit(X, y)
    # the searched value reached the refit SpotCheck: its folds
    best = search.best_estimator_
    assert best.cv == search.best_params_["cv"]
    assert (best.leaderboard_["n_folds"] == best.cv).all()
    assert f"split{best.cv - 1}_score" in best.leaderboard_
    assert f"split{best.cv}_score" not in best.leaderboard_


def test_bad_options(data):
    X, y = data
    with pytest.raises(ValueError, match="models='all' is not supported"):
        SpotCheck(models="all").fit(X, y)
    with pytest.raises(ValueError, match="n_repeats applies to an integer cv"):
        from sklearn.model_selection import KFold

        SpotCheck(models=MODELS[:1], views=VIEWS[:1], cv=KFold(3), n_repeats=2).fit(
            X, y
        )
    with pytest.raises(ValueError, match="at least cv=5 rows"):
        SpotCheck(models=MODELS[:1]).fit(X[:3], y[:3])


def test_label_encoded_xgboost_with_string_labels():
    from xgboost import XGBClassifier

    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = _EarlyStoppedClassifier(XGBClassifier(n_estimators=10, n_jobs=1))
    clf.fit(X, labels)
    assert set(clf.predict(X)) <= set(labels)
    assert list(clf.classes_) == sorted(set(labels))
    assert clf.predict_proba(X).shape == (150, 3)


def test_early_stopping_holds_rows_out_unless_validation_fraction_is_zero():
    """The library's own defaults: ``validation_fraction=0`` trains every round on
    every row; otherwise training stops on a held-out tenth and keeps its best."""
    from lightgbm import LGBMClassifier

    X, y = load_digits(return_X_y=True)  # 10 classes: a stratified holdout of 10
    X, y = X[:400], y[:400]
    model = LGBMClassifier(n_estimators=20, n_jobs=1, verbose=-1, random_state=0)
    stopped = _EarlyStoppedClassifier(model, random_state=0).fit(X, y)
    assert stopped.estimator_.best_iteration_ > 0  # it watched a validation set
    every = _EarlyStoppedClassifier(model, validation_fraction=0.0).fit(X, y)
    assert every.estimator_.n_estimators_ == 20
    assert not every.estimator_.best_iteration_  # no validation set was given


@pytest.mark.parametrize("library", ["lightgbm", "xgboost", "catboost", "hgb"])
def test_the_refit_trains_the_folds_mean_rounds_on_every_row(library):
    """AutoGluon's refit_full: the rounds early stopping kept in each fold,
    averaged, trained on every row with nothing held out. CatBoost keeps the
    learning rate those rounds had (it would set another from the round count)."""
    from catboost import CatBoostRegressor
    from lightgbm import LGBMRegressor
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import Pipeline
    from xgboost import XGBRegressor

    X, y = load_diabetes(return_X_y=True)
    model = {
        "lightgbm": _EarlyStoppedRegressor(
            LGBMRegressor(n_estimators=2000, verbose=-1, n_jobs=1), random_state=0
        ),
        "xgboost": _EarlyStoppedRegressor(
            XGBRegressor(n_estimators=2000, early_stopping_rounds=20, n_jobs=1),
            random_state=0,
        ),
        "catboost": _EarlyStoppedRegressor(
            CatBoostRegressor(iterations=2000, verbose=0, thread_count=1),
            random_state=0,
        ),
        "hgb": HistGradientBoostingRegressor(max_iter=2000, early_stopping=True),
    }[library]
    pipe = Pipeline([("model", model)])
    folds = [clone(pipe).fit(X[i::2], y[i::2]) for i in range(2)]
    rounds = [trained_rounds(f[-1]) for f in folds]
    kept = [r[1] for r in rounds]
    assert all(0 < k < 2000 for k in kept)  # each fold stopped early

    refit = with_rounds(clone(pipe), rounds).fit(X, y)
    final = refit[-1]
    expected = round(float(np.mean(kept)))
    if library == "hgb":
        assert final.n_iter_ == expected and not final.do_early_stopping_
    else:
        assert final.validation_fraction == 0 and final.rounds_ is None
        if library == "catboost":
            assert final.estimator_.tree_count_ == expected
            lr = folds[0][-1].estimator_.learning_rate_
            assert final.estimator_.learning_rate_ == pytest.approx(lr)
        else:
            assert final.estimator_.n_estimators == expected
    # a fold without rounds (trained every row) leaves the pipeline as it is
    unchanged = with_rounds(clone(pipe), [rounds[0], None])[-1]
    if library == "hgb":
        assert unchanged.max_iter == 2000 and unchanged.early_stopping
    else:
        assert unchanged.validation_fraction == 0.1


def _booster(library, rounds):
    from catboost import CatBoostRegressor
    from lightgbm import LGBMRegressor
    from xgboost import XGBRegressor

    return {
        "lightgbm": LGBMRegressor(n_estimators=rounds, verbose=-1, n_jobs=1),
        "xgboost": XGBRegressor(
            n_estimators=rounds, early_stopping_rounds=20, n_jobs=1
        ),
        "catboost": CatBoostRegressor(
            iterations=rounds, verbose=0, thread_count=1, allow_writing_files=False
        ),
    }[library]


@pytest.mark.parametrize("library", ["lightgbm", "xgboost", "catboost"])
@pytest.mark.parametrize("validation_fraction", [0.1, 0.0])
def test_a_deadline_stops_boosting_and_keeps_the_rounds_trained(
    library, validation_fraction
):
    """A search's fold fits run under its deadline: a boosted model past it stops
    adding trees (its best round so far kept when it early-stops) and says how many
    it trained, so the refit on every row trains as many. Without a deadline it
    trains on, and the fitted model carries no clock (it pickles)."""
    import pickle
    import time

    X, y = load_diabetes(return_X_y=True)
    model = _EarlyStoppedRegressor(
        _booster(library, 500), validation_fraction=validation_fraction, random_state=0
    )
    with fit_deadline(time.time() - 1):
        cut = clone(model).fit(X, y)
    name, rounds, fixed = cut.rounds_
    assert rounds <= 2  # XGBoost's early stopping has to see a round first
    if library == "catboost" and not validation_fraction:  # its rate, not 1000's
        assert fixed == {"estimator__learning_rate": cut.estimator_.learning_rate_}
    assert np.isfinite(cut.predict(X)).all()
    pickle.loads(pickle.dumps(cut))
    assert cut.estimator_.get_params().get("callbacks") is None

    whole = clone(model).fit(X, y)  # no deadline: as before
    if validation_fraction:
        assert whole.rounds_[1] > 1
    else:
        assert whole.rounds_ is None
    with fit_deadline(time.time() + 600):  # far ahead: trains as without one
        ahead = clone(model).fit(X, y)
    assert ahead.rounds_ == whole.rounds_


@pytest.mark.parametrize("forest", [_RandomForestClassifier, _ExtraTreesRegressor])
def test_a_deadline_stops_a_forest_and_keeps_the_trees_grown(forest):
    """A forest in a search's fold fit grows trees in chunks until the deadline:
    past it, the first chunk only, and it says how many it grew so that the refit
    on every row grows as many. Its parameters are left as given; grown in chunks
    to the end it is the forest one fit grows; a second fit grows a new forest."""
    import pickle
    import time

    X, y = load_iris(return_X_y=True)
    if forest is _ExtraTreesRegressor:
        y = X[:, 0] + y
        X = X[:, 1:]
    model = forest(n_estimators=40, random_state=0)
    with fit_deadline(time.time() - 1):
        cut = clone(model).fit(X, y)
    assert len(cut.estimators_) == cut.trees_ == 10
    assert trained_rounds(cut) == ("n_estimators", 10, {})
    assert cut.get_params() == model.get_params()  # n_estimators, warm_start
    pickle.loads(pickle.dumps(cut))

    whole = clone(model).fit(X, y)  # no deadline: scikit-learn's forest
    assert len(whole.estimators_) == 40 and whole.trees_ is None
    assert trained_rounds(whole) is None
    with fit_deadline(time.time() + 600):  # chunks of trees: the same forest
        ahead = clone(model).fit(X, y)
    assert ahead.trees_ is None
    np.testing.assert_allclose(ahead.predict(X[::7]), whole.predict(X[::7]))
    with fit_deadline(time.time() - 1):  # fitted again: a new forest
        again = ahead.fit(X, y)
    assert len(again.estimators_) == 10

    refit = with_rounds(clone(model), [trained_rounds(cut)] * 2).fit(X, y)
    assert len(refit.estimators_) == 10


@pytest.mark.parametrize(
    "booster, early_stopping",
    [(_HistGradientBoostingClassifier, True), (_HistGradientBoostingRegressor, False)],
)
def test_a_deadline_stops_hist_gradient_boosting(booster, early_stopping):
    """HistGradientBoosting in a search's fold fit stops adding iterations at the
    deadline (past it, the first ten) and says how many it trained, so that the
    refit on every row trains as many. Its parameters are left as given; warm
    started to the end (early stopping's, here) it is the model one fit trains."""
    import pickle
    import time

    X, y = load_iris(return_X_y=True)
    if booster is _HistGradientBoostingRegressor:
        y = X[:, 0] + y
        X = X[:, 1:]
    model = booster(max_iter=200, early_stopping=early_stopping, random_state=0)
    with fit_deadline(time.time() - 1):
        cut = clone(model).fit(X, y)
    assert cut.n_iter_ == cut.iterations_ == 10
    fixed = {"early_stopping": False} if early_stopping else {}
    assert trained_rounds(cut) == ("max_iter", 10, fixed)
    assert cut.get_params() == model.get_params()  # max_iter, warm_start
    pickle.loads(pickle.dumps(cut))

    whole = clone(model).fit(X, y)  # no deadline: scikit-learn's model
    assert whole.iterations_ is None
    assert 10 < whole.n_iter_ < 200 if early_stopping else whole.n_iter_ == 200
    with fit_deadline(time.time() + 600):  # warm started: the same model
        ahead = clone(model).fit(X, y)
    assert ahead.iterations_ is None and ahead.n_iter_ == whole.n_iter_
    np.testing.assert_allclose(ahead.predict(X[::7]), whole.predict(X[::7]))
    with fit_deadline(time.time() - 1):  # fitted again: a new model
        assert ahead.fit(X, y).n_iter_ == 10

    refit = with_rounds(clone(model), [trained_rounds(cut)] * 2).fit(X, y)
    assert refit.n_iter_ == 10


def test_a_fold_handed_out_too_late_is_not_started(data):
    """A fold queued behind busy workers that would not end by the deadline when
    one is free is not started (an extra-trees fold handed out at 3.8 s of a 10 s
    search started at 5.9 s and ended at 14.2 s); one handed out in time is fitted."""
    import time

    from sklearn.metrics import get_scorer

    X, y = data
    args = (
        LogisticRegression(),
        X,
        y,
        np.arange(150),
        np.arange(150, 200),
        get_scorer("accuracy"),
        np.unique(y),
        False,
        None,
        False,
    )
    assert _tagged("late", *args, start_by=time.time() - 1) == ("late", None)
    key, out = _tagged("in time", *args, start_by=time.time() + 60)
    assert key == "in time" and out["error"] is None and 0 <= out["score"] <= 1


def test_keep_predictions_are_out_of_fold(data):
    X, y = data
    spot = SpotCheck(
        models=MODELS[:2],
        views=VIEWS[:1],
        cv=4,
        random_state=0,
        keep_predictions=True,
        refit=False,
    ).fit(X, y)
    oof = spot.oof_predictions_[("logistic", "raw")]
    assert oof.shape == (200, 2) and np.allclose(oof.sum(axis=1), 1)
    from sklearn.metrics import roc_auc_score

    # out-of-fold AUC is the leaderboard's pooled estimate, not the training fit's
    in_sample = roc_auc_score(
        y, LogisticRegression(max_iter=1000).fit(X, y).predict_proba(X)[:, 1]
    )
    assert roc_auc_score(y, oof[:, 1]) < in_sample
    mean = spot.leaderboard_.set_index("model").loc["logistic", "mean_score"]
    assert abs(roc_auc_score(y, oof[:, 1]) - mean) < 0.03


@pytest.mark.parametrize("family", ["lightgbm", "xgboost", "catboost"])
def test_boosted_trees_stop_early_on_an_inner_split(family):
    from autodl.spotcheck import default_models

    # noisy labels: more trees only overfit, so the validation loss turns
    X, y = make_classification(
        300, 5, n_classes=3, n_informative=3, flip_y=0.3, random_state=0
    )
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    spec = {s.name: s for s in default_models("multiclass")}[family]
    model = spec.estimator.fit(X, labels)
    assert list(model.classes_) == sorted(set(labels))
    assert set(model.predict(X)) <= set(labels)
    assert model.predict_proba(X).shape == (300, 3)
    inner = model.estimator_
    rounds = {
        "lightgbm": lambda m: m.best_iteration_,
        "xgboost": lambda m: m.best_iteration + 1,
        "catboost": lambda m: m.get_best_iteration() + 1,
    }[family](inner)
    assert 0 < rounds < 3000  # stopped long before its most rounds


@pytest.mark.parametrize(
    "family", ["hist_gradient_boosting", "lightgbm", "xgboost", "catboost"]
)
def test_boosted_trees_stop_early_with_a_class_of_one_row(family):
    """A training fold of a rare class can hold one row of it: scikit-learn's
    stratified inner split refused it, and the zoo's HistGradientBoosting failed
    (``The least populated classes in y have only 1 member``)."""
    from autodl.spotcheck import default_models

    X, y = make_classification(
        300, 5, n_classes=3, n_informative=3, flip_y=0.3, random_state=0
    )
    y[0] = 3  # a fourth class, one row
    spec = {s.name: s for s in default_models("multiclass")}[family]
    weight = np.linspace(0.5, 1.5, len(y))
    model = clone(spec.estimator).fit(X, y, sample_weight=weight)
    assert list(model.classes_) == [0, 1, 2, 3]  # the lone row was trained on
    assert model.predict_proba(X).shape == (300, 4)
    if family == "hist_gradient_boosting":
        assert model.do_early_stopping_ and model.n_iter_ < model.max_iter
        # its inner split holds out the share scikit-learn would, the lone row kept
        assert len(model.validation_score_) == model.n_iter_ + 1


def test_boosted_regressor_on_too_few_rows_fits_without_stopping():
    from autodl.spotcheck import default_models

    X = np.arange(24, dtype=float).reshape(12, 2)
    y = X.sum(axis=1)
    for spec in default_models("regression"):
        if spec.name in ("lightgbm", "xgboost", "catboost"):
            assert spec.estimator.fit(X, y).predict(X).shape == (12,)


def test_multi_output_regression_wraps_single_target_models():
    from sklearn.datasets import make_regression
    from sklearn.multioutput import MultiOutputRegressor
    from sklearn.svm import SVR

    X, y = make_regression(60, 4, n_targets=3, noise=1.0, random_state=0)
    spot = SpotCheck(
        models=[("svr", SVR()), ("ridge", Ridge())],
        views=[("raw", None)],
        cv=3,
        random_state=0,
    ).fit(X, y)
    assert set(spot.leaderboard_["status"]) == {"ok"}
    assert spot.leaderboard_.loc[0, "model"] == "ridge"
    assert isinstance(spot.best_estimator_.named_steps["model"], Ridge)
    assert spot.predict(X).shape == (60, 3)
    svr = SpotCheck(models=[("svr", SVR())], views=[("raw", None)], cv=3).fit(X, y)
    assert isinstance(svr.best_estimator_.named_steps["model"], MultiOutputRegressor)


def test_members_are_parameters_and_drawn():
    from sklearn.utils import estimator_html_repr

    spot = SpotCheck(
        models=[("lr", LogisticRegression()), ("tree", DecisionTreeClassifier())],
        views=[("raw", None), ("scaled", StandardScaler())],
        cv=3,
        random_state=0,
    )
    params = spot.get_params(deep=True)
    assert params["lr__C"] == 1.0 and params["scaled__with_mean"] is True
    spot.set_params(lr__C=0.01, tree=DummyClassifier(), scaled__with_mean=False)
    assert dict(spot.models)["lr"].C == 0.01
    assert isinstance(dict(spot.models)["tree"], DummyClassifier)
    assert dict(spot.views)["scaled"].with_mean is False
    X, y = load_iris(return_X_y=True)
    search = GridSearchCV(spot, {"lr__C": [0.01, 10.0]}, cv=2, error_score="raise")
    search.fit(X, y)
    assert search.best_params_ == {"lr__C": 10.0}
    html = estimator_html_repr(spot)
    for name in ("lr", "tree", "raw", "scaled"):
        assert f"<label>{name}" in html


def test_default_views_are_raw_standardized_and_power(data):
    X, y = data
    X = np.c_[X, np.exp(X[:, 0])]  # a right-skewed column
    views = dict(default_views())
    assert list(views) == ["raw", "standardized", "power"]
    assert views["raw"] == "passthrough"
    standardized = clone(views["standardized"]).fit_transform(X)
    np.testing.assert_allclose(standardized.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(standardized.std(axis=0), 1, rtol=1e-9)
    power = clone(views["power"]).fit_transform(X)
    np.testing.assert_allclose(power.mean(axis=0), 0, atol=1e-9)
    skew = pd.DataFrame(power).skew().abs()
    assert skew.iloc[-1] < 0.5 < pd.Series(X[:, -1]).skew()  # skew fixed
    spot = SpotCheck(models=[("lr", LogisticRegression())], cv=2, random_state=0)
    assert set(spot.fit(X, y).leaderboard_["view"]) == set(views)


@pytest.mark.parametrize("task", ["binary", "regression"])
def test_default_models_span_the_families(task):
    # linear, kNN, SVM, trees, forests, boosting and a net: each spec's model is
    # of the family its name says
    from autodl.spotcheck import default_models

    families = {
        "knn": "KNeighbors",
        "svm": "SV",
        "cart": "DecisionTree",
        "random_forest": "RandomForest",
        "extra_trees": "ExtraTrees",
        "hist_gradient_boosting": "HistGradientBoosting",
        "lightgbm": "LGBM",
        "xgboost": "XGB",
        "catboost": "CatBoost",
        "mlp": "MLP",
    }
    linear = {"binary": "LogisticRegression", "regression": "Ridge"}[task]
    specs = {s.name: s.estimator for s in default_models(task)}
    first = next(iter(specs))
    assert type(specs[first]).__name__ == linear
    for name, family in families.items():
        wrapped = ("_EarlyStopped", "CalibratedClassifierCV")  # early stopping, Platt
        model = (
            getattr(specs[name], "estimator", None)
            if type(specs[name]).__name__.startswith(wrapped)
            else specs[name]
        )
        # the zoo's own subclass of the library's model is "_" + its name
        assert type(model).__name__.lstrip("_").startswith(family), (name, model)


def test_every_model_failing_says_which_and_where_the_rest_are():
    X = np.ones((30, 2))  # constant columns: naive Bayes predicts NaN probabilities
    y = np.tile([0, 1], 15)
    from sklearn.naive_bayes import GaussianNB

    spot = SpotCheck(models=[("nb", GaussianNB())], views=[("raw", None)], cv=2)
    with pytest.raises(ValueError, match=r"NaN or infinity.*constant.*nb on view"):
        spot.fit(X, y)
    assert spot.leaderboard_["status"].tolist() == ["failed"]
