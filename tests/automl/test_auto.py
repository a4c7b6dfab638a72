import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split

import autodl.automl._auto as auto_module
from autodl import AutoClassifier, AutoRegressor, load_demo
from autodl.spotcheck import ModelSpec

FAST = ["logistic_regression", "naive_bayes", "cart"]


def _messy_frame(n=240, seed=0):
    """Numbers, strings, a categorical, booleans and missing values."""
    X, y = make_classification(
        n, n_features=4, n_informative=3, n_redundant=0, random_state=seed
    )
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["city"] = rng.choice(["paris", "rome", None], size=n)
    frame["grade"] = pd.Categorical(np.where(y == 1, "high", "low"))
    frame["flag"] = rng.rand(n) > 0.5
    frame.loc[rng.rand(n) < 0.1, "a"] = np.nan
    return frame, np.array(["no", "yes"])[y]


@pytest.fixture(scope="module")
def fitted():
    X, y = _messy_frame()
    return (
        AutoClassifier(
            time_budget=30, include=FAST, cv=3, n_jobs=1, random_state=0, verbose=0
        ).fit(X, y),
        X,
        y,
    )


def test_messy_frame_end_to_end(fitted):
    auto, X, y = fitted
    assert list(auto.classes_) == ["no", "yes"]
    assert set(auto.predict(X)) <= {"no", "yes"}
    assert auto.predict_proba(X).shape == (len(X), 2)
    assert auto.score(X, y) > 0.9  # "grade" gives the label away
    board = auto.leaderboard_
    for col in ["model", "family", "config_id", "source", "validation", "score"]:
        assert col in board.columns
    ok = board[board["status"] == "ok"]
    # ranked by the mean of the folds' scores, the one ensemble selection uses
    assert ok["score"].is_monotonic_decreasing
    folds = ok.filter(like="split").to_numpy()
    np.testing.assert_allclose(ok["score"], np.nanmean(folds, axis=1))
    assert (ok["source"] == "random search").any()  # tuned candidates
    assert ok["config_id"].is_unique
    assert auto.validation_ in ("3-fold", "3-fold x3")  # small, cheap data
    # with time left, the finalists get the other repetitions of the 3-fold
    assert set(ok["validation"]) <= {auto.validation_, "3-fold x2", "3-fold x3"}
    assert auto.scoring_ == "roc_auc" and auto.stop_reason_ is None


def test_ensemble_weights(fitted):
    auto, _, _ = fitted
    weights = auto.ensemble_weights_
    assert np.isclose(sum(weights.values()), 1)
    assert set(weights) <= set(auto.leaderboard_["model"])
    # the ensemble's validation score is never below the best candidate's
    assert auto.ensemble_score_ >= auto.leaderboard_["score"].max() - 1e-4
    if len(weights) > 1:
        assert type(auto.best_estimator_).__name__ == "EnsembleSelectionClassifier"


def test_the_final_ensemble_is_the_one_the_search_selected():
    X, y = make_classification(300, 10, n_informative=5, flip_y=0.1, random_state=0)
    auto = AutoClassifier(
        max_trials=8,
        include=["logistic_regression", "naive_bayes", "knn", "cart"],
        cv=3,
        n_jobs=1,
        random_state=0,
    ).fit(X, y)
    weights, final = auto.ensemble_weights_, auto.best_estimator_
    assert len(weights) > 1 and type(final).__name__ == "EnsembleSelectionClassifier"
    # its weights and scores are the search's, not selected again elsewhere
    assert final.oof_score_ == auto.ensemble_score_
    names = list(final.ensemble_.named_estimators_)
    assert dict(zip(names, final.weights_, strict=True)) == pytest.approx(weights)
    scores = auto.leaderboard_.set_index("model")["score"]
    assert final.oof_scores_ == pytest.approx(scores[list(weights)].to_dict())
    assert auto.ensemble_score_ >= scores.max()


def test_no_ensemble_refits_the_best():
    X, y = load_demo()
    auto = AutoClassifier(
        time_budget=30,
        include=["logistic_regression", "lda"],
        cv=3,
        n_jobs=1,
        ensemble=False,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    best = auto.leaderboard_["model"].iloc[0]
    assert auto.ensemble_weights_ == {best: 1.0}
    assert type(auto.best_estimator_).__name__ == "Pipeline"


def test_same_seed_same_result():
    X, y = _messy_frame(seed=1)
    kw = {
        "time_budget": 60,
        "include": ["logistic_regression", "naive_bayes"],
        "cv": 3,
        "n_jobs": 1,
        "random_state": 3,
        "verbose": 0,
    }
    a = AutoClassifier(**kw).fit(X, y)
    b = AutoClassifier(**kw).fit(X, y)
    assert a.stop_reason_ is None and b.stop_reason_ is None
    pd.testing.assert_series_equal(
        a.leaderboard_["mean_score"], b.leaderboard_["mean_score"]
    )
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X))


def test_tiny_budget_still_gives_a_validated_model():
    # the first (cheap, strong) candidate always finishes its holdout fold
    X, y = load_demo()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        auto = AutoClassifier(
            time_budget=1e-3, n_jobs=1, random_state=0, verbose=0
        ).fit(X, y)
    assert auto.stop_reason_ == "time_budget"
    ok = auto.leaderboard_[auto.leaderboard_["status"] == "ok"]
    assert len(ok) >= 1 and (ok["source"] == "anchor").all()
    assert auto.score(X, y) > 0.9


class _CtrlC(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise KeyboardInterrupt


def test_ctrl_c_keeps_the_best_so_far(monkeypatch):
    real = auto_module.default_models

    def zoo(task, n_samples=None, random_state=None):
        specs = {s.name: s for s in real(task, n_samples, random_state)}
        return [specs["logistic_regression"], ModelSpec("knn", _CtrlC(), {}, True, 1)]

    monkeypatch.setattr(auto_module, "default_models", zoo)
    X, y = load_demo()
    with pytest.warns(UserWarning, match="interrupted"):
        auto = AutoClassifier(
            time_budget=30, cv=3, n_jobs=1, random_state=0, verbose=0
        ).fit(X, y)
    assert auto.stop_reason_ == "interrupted"
    assert auto.leaderboard_["model"].iloc[0] == "logistic_regression"
    assert auto.score(X, y) > 0.9  # fitted and usable


def test_regressor_held_out():
    X, y = load_demo("diabetes")
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    auto = AutoRegressor(
        time_budget=30,
        include=["ridge", "lasso", "cart"],
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
    ).fit(X_tr, y_tr)
    assert auto.scoring_ == "r2" and auto.task_ == "regression"
    assert auto.score(X_te, y_te) > 0.35


def test_integer_ratings_are_regression_for_the_regressor():
    X, y = load_demo("diabetes")
    ratings = np.digitize(y, [100, 150, 200]).astype(int)  # 4 integer levels
    auto = AutoRegressor(
        time_budget=30, include=["ridge"], cv=3, n_jobs=1, random_state=0, verbose=0
    ).fit(X, ratings)
    assert auto.predict(X).dtype.kind == "f"


def test_inside_cross_val_score():
    X, y = load_demo("iris")
    auto = AutoClassifier(
        time_budget=30,
        include=["naive_bayes", "lda"],
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
    )
    scores = cross_val_score(auto, X, y, cv=3)
    assert scores.mean() > 0.9


def test_errors():
    X, y = load_demo()
    with pytest.raises(ValueError, match=r"include=\['xgb'\] names no model.*xgboost"):
        AutoClassifier(include=["xgb"], verbose=0).fit(X, y)
    with pytest.raises(ValueError, match="leave no model"):
        AutoClassifier(include=["cart"], exclude=["cart"], verbose=0).fit(X, y)
    with pytest.raises(
        ValueError, match="time_budget=0 is not supported; use positive"
    ):
        AutoClassifier(time_budget=0, verbose=0).fit(X, y)
    with pytest.raises(ValueError, match="single class"):
        AutoClassifier(verbose=0).fit(X, np.zeros(len(X), dtype=int))


def test_float_target_warns_for_classifier():
    X, _ = load_demo("diabetes")
    y = np.random.RandomState(0).rand(len(X))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="Unknown label type"):
            AutoClassifier(verbose=0).fit(X, y)


def test_strong_first():
    # the first candidates are the anchors learned with the portfolio (the best
    # cheap boosted trees), before any of the cheap families' defaults
    from autodl.automl._search import load_portfolio

    X, y = load_demo()
    auto = AutoClassifier(
        time_budget=None, max_trials=4, cv=3, n_jobs=1, random_state=0, verbose=0
    ).fit(X, y)
    board = auto.leaderboard_.sort_values("config_id")
    head = [e.family for e in load_portfolio("binary", "anchors")][:2]
    assert list(board["family"][:2]) == head
    assert list(board["source"][:2]) == ["anchor", "anchor"]
    assert len(board) == 4


class _CtrlCOnAllRows(LogisticRegression):
    """Fits on training folds; Ctrl-C when given every row (the final refit)."""

    def fit(self, X, y):
        if len(X) == 569:
            raise KeyboardInterrupt
        return super().fit(X, y)


def test_ctrl_c_in_the_refit_keeps_the_best_fold_model(monkeypatch):
    def zoo(task, n_samples=None, random_state=None):
        return [ModelSpec("logistic_regression", _CtrlCOnAllRows(max_iter=5000), {})]

    monkeypatch.setattr(auto_module, "default_models", zoo)
    X, y = load_demo()
    with pytest.warns(UserWarning, match="during the final refit"):
        auto = AutoClassifier(
            time_budget=None, max_trials=1, cv=3, n_jobs=1, random_state=0, verbose=0
        ).fit(X, y)
    assert auto.stop_reason_ == "interrupted"
    assert auto.score(X, y) > 0.9  # the model of the first training fold


@pytest.mark.parametrize("time_budget", [10, 0.2])
def test_every_candidate_failing_raises_the_first_error(monkeypatch, time_budget):
    # whatever stopped the search (here 0.2 s: the clock), the error is the cause
    class Broken(LogisticRegression):
        def fit(self, X, y):
            raise RuntimeError("the metric does not fit this target")

    monkeypatch.setattr(
        auto_module,
        "default_models",
        lambda task, n_samples=None, random_state=None: [
            ModelSpec("broken", Broken(), {})
        ],
    )
    X, y = load_demo()
    with pytest.raises(ValueError, match="first error, from broken.*does not fit"):
        AutoClassifier(time_budget=time_budget, cv=3, n_jobs=1, verbose=0).fit(X, y)


def test_polars_table_with_strings_and_dates():
    pl = pytest.importorskip("polars")
    import datetime

    rng = np.random.RandomState(0)
    n = 80
    y = rng.randint(0, 2, n)
    X = pl.DataFrame(
        {
            "amount": rng.normal(size=n) + y,
            "shop": rng.choice(["a", "b", "c"], n).tolist(),
            "when": [datetime.datetime(2024, 1, 1 + i % 28, i % 24) for i in range(n)],
        }
    )
    auto = AutoClassifier(
        time_budget=None,
        max_trials=1,
        include=["logistic_regression"],
        ensemble=False,
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    assert list(auto.feature_names_in_) == ["amount", "shop", "when"]
    assert auto.predict(X).shape == (n,)
    prep = auto.best_estimator_.named_steps["prep"]
    assert "when_hour" in prep.get_feature_names_out()
    # any container at predict time: the same table as pandas, or polars again
    from autodl.utils import as_pandas

    np.testing.assert_array_equal(auto.predict(as_pandas(X)), auto.predict(X))
    assert auto.input_profile_[1]["kind"] != "number"  # drift profile of "shop"


def test_multi_output_regression():
    from sklearn.datasets import make_regression
    from sklearn.multioutput import MultiOutputRegressor

    X, y = make_regression(80, 4, n_targets=2, noise=5.0, random_state=0)
    params = {"time_budget": None, "cv": 3, "n_jobs": 1, "random_state": 0}
    auto = AutoRegressor(include=["ridge"], max_trials=2, verbose=0, **params).fit(X, y)
    assert auto.predict(X).shape == (80, 2)
    assert auto.score(X, y) > 0.9
    # a model without native multi-output support: one per target, tuned alike
    svm = AutoRegressor(
        include=["svm"], max_trials=3, ensemble=False, verbose=0, **params
    ).fit(X, y)
    board = svm.leaderboard_
    assert set(board["status"]) == {"ok"} and len(board) == 3
    model = svm.best_estimator_.named_steps["model"]
    assert isinstance(model, MultiOutputRegressor)
    tuned = board.loc[0, "params"]
    for key, value in tuned.items():
        assert model.estimator.get_params()[key.removeprefix("model__")] == value


def test_multi_output_regression_warns_of_a_column_copying_a_target():
    from sklearn.datasets import make_regression

    X, y = make_regression(80, 3, n_targets=2, noise=5.0, random_state=0)
    X = np.c_[X, 3 * y[:, 1] + 1]  # a rescaled copy of the second target
    auto = AutoRegressor(
        time_budget=None,
        max_trials=1,
        include=["ridge"],
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
    )
    with pytest.warns(UserWarning, match=r"Column\(s\) \[3\] repeat the target"):
        auto.fit(X, y)
    assert auto.predict(X).shape == (80, 2)


@pytest.mark.parametrize(
    "metric, task, message",
    [
        ("roc_auc", "multiclass", "does not fit a multiclass target"),
        ("r2", "multiclass", "a metric for regression"),
        ("accuracy", "regression", "a metric for classes"),
        ("neg_mean_squared_log_error", "regression", "does not fit a regression"),
        ("roc_auc_typo", "binary", "is not a scikit-learn scorer"),
    ],
)
def test_a_metric_that_does_not_fit_the_task_is_refused_up_front(
    monkeypatch, metric, task, message
):
    from autodl.spotcheck import _evaluate

    def never(*args, **kwargs):
        raise AssertionError("the search must not start")

    monkeypatch.setattr(_evaluate.Evaluator, "evaluate", never)
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 3))
    if task == "regression":
        y, Auto = X[:, 0] * 5 + X[:, 1], AutoRegressor  # negative: no log error
    else:
        y, Auto = np.arange(90) % 9, AutoClassifier
    if task == "binary":
        y = y % 2
    with pytest.raises(ValueError, match=message) as info:
        Auto(scoring=metric, time_budget=5, n_jobs=1, verbose=0).fit(X, y)
    allowed = "balanced_accuracy" if task != "regression" else "'r2'"
    assert "use one of" in str(info.value) and allowed in str(info.value)
    assert "roc_auc'" not in str(info.value).split("use one of")[1] or task == "binary"


def test_search_on_a_sample_then_refit_on_all_rows(monkeypatch, caplog):
    X, y = make_classification(150, 5, random_state=0)
    searched = []
    evaluator = auto_module.Evaluator

    def recording(X, *args, **kwargs):
        searched.append(len(X))
        return evaluator(X, *args, **kwargs)

    monkeypatch.setattr(auto_module, "Evaluator", recording)
    monkeypatch.setattr(auto_module, "SEARCH_MAX_ROWS", 60)
    auto = AutoClassifier(
        time_budget=None,
        max_trials=1,
        include=["naive_bayes"],
        ensemble=False,
        cv=2,
        n_jobs=1,
        random_state=0,
        verbose=0,
    )
    with caplog.at_level("INFO", logger="autodl.automl._auto"):
        auto.fit(X, y)
    assert searched == [60]
    assert "searching on 60 of 150 rows" in caplog.text
    assert auto.best_estimator_[-1].class_count_.sum() == 150  # refit on all


def test_the_final_booster_trains_its_folds_mean_rounds_on_every_row(monkeypatch):
    """The refit holds nothing out: it trains the mean of the rounds early
    stopping kept in the folds (before, it stopped early again on 10 % of rows)."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    evaluators = []
    evaluator = auto_module.Evaluator

    def recording(*args, **kwargs):
        evaluators.append(evaluator(*args, **kwargs))
        return evaluators[-1]

    monkeypatch.setattr(auto_module, "Evaluator", recording)
    auto = AutoRegressor(
        time_budget=None,
        max_trials=2,
        include=["hist_gradient_boosting"],
        ensemble=False,
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    best = evaluators[0].results[int(auto.leaderboard_["config_id"].iloc[0])]
    rounds = [best.rounds[f][1] for f in range(3)]  # every fold stopped early
    final = auto.best_estimator_[-1]
    assert final.early_stopping is False
    assert final.n_iter_ == round(np.mean(rounds)) < 1000


def test_balanced_accuracy_balances_the_probabilities():
    # a rare class: the metric (balanced accuracy, the multiclass default) counts
    # it as much as the others, so predict maximises it, not accuracy
    X, y = make_classification(
        300,
        5,
        n_informative=3,
        n_classes=3,
        weights=[0.7, 0.25, 0.05],
        random_state=0,
    )
    auto = AutoClassifier(
        time_budget=None,
        max_trials=3,
        include=["logistic_regression"],
        ensemble=False,
        n_jobs=1,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    assert auto.scoring_ == "balanced_accuracy"
    np.testing.assert_allclose(auto.class_prior_, np.bincount(y) / len(y))
    raw = auto.best_estimator_.predict_proba(X)
    proba = auto.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    expected = raw / auto.class_prior_
    np.testing.assert_allclose(proba, expected / expected.sum(axis=1, keepdims=True))
    np.testing.assert_array_equal(auto.predict(X), proba.argmax(axis=1))
    assert (auto.predict(X) == 2).sum() > (raw.argmax(axis=1) == 2).sum()
    assert not hasattr(auto, "decision_function")  # it would disagree with predict
    # another metric: the model's own probabilities
    plain = AutoClassifier(
        time_budget=None,
        max_trials=3,
        include=["logistic_regression"],
        ensemble=False,
        scoring="accuracy",
        n_jobs=1,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    assert plain.class_prior_ is None
    np.testing.assert_array_equal(
        plain.predict_proba(X), plain.best_estimator_.predict_proba(X)
    )
    assert hasattr(plain, "decision_function")


def _tiny_search(model, **params):
    return dict(
        time_budget=None,
        max_trials=1,
        include=[model],
        ensemble=False,
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
        **params,
    )


@pytest.mark.parametrize("Auto", [AutoClassifier, AutoRegressor])
def test_metric_is_a_deprecated_name_of_scoring(Auto):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = X[:, 0] > 0 if Auto is AutoClassifier else X[:, 0] * 3 + X[:, 1]
    y = y.astype(int) if Auto is AutoClassifier else y
    scoring = "accuracy" if Auto is AutoClassifier else "neg_mean_absolute_error"
    model = "logistic_regression" if Auto is AutoClassifier else "ridge"
    auto = Auto(**_tiny_search(model, metric=scoring))
    assert auto.get_params()["metric"] == scoring and auto.scoring is None
    with pytest.warns(FutureWarning, match="metric was renamed to scoring") as record:
        auto.fit(X, y)
    assert record[0].filename == __file__  # points at the caller's line
    assert auto.scoring_ == scoring
    new = Auto(**_tiny_search(model, scoring=scoring)).fit(X, y)
    assert new.scoring_ == scoring and new.get_params()["metric"] == "deprecated"
    assert new.ensemble_score_ == auto.ensemble_score_  # the same search
    # both names: refused before the search, naming both values and the fix
    both = Auto(**_tiny_search(model, scoring=scoring, metric="r2"))
    with pytest.raises(ValueError, match="both scoring=.*metric='r2'.*pass scoring"):
        both.fit(X, y)
    assert not hasattr(both, "scoring_")


def test_scoring_is_the_second_positional_parameter_as_metric_was():
    from sklearn.base import clone

    auto = AutoClassifier(30, "accuracy")
    assert auto.scoring == "accuracy" and auto.metric == "deprecated"
    assert clone(auto).get_params() == auto.get_params()


def test_a_small_class_is_warned_of_once_and_missing_test_classes_not_at_all():
    """A class too small for the folds was warned of once per repetition of the
    k-fold, and every fold or ensemble score without one of the predicted classes
    repeated scikit-learn's "y_pred contains classes not in y_true"."""
    X, y = make_classification(90, 5, n_informative=3, n_classes=3, random_state=0)
    y[:2] = 3  # two rows: fewer than the 3 folds
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        AutoClassifier(
            time_budget=None,
            max_trials=6,
            include=["naive_bayes", "cart"],
            cv=3,
            n_jobs=1,
            random_state=0,
            verbose=0,
        ).fit(X, y)
    messages = [str(w.message) for w in caught]
    assert sum("least populated class" in m for m in messages) == 1
    assert not any("y_pred contains classes not in y_true" in m for m in messages)


def test_a_search_warning_is_not_said_again_by_the_refit_in_each_worker(capfd):
    """A weighted search said TabularPreprocessor's "no weighted fit" once, then
    the ensemble's refit said it again from every member, in every worker."""
    X, y = make_classification(200, 5, random_state=0)
    weight = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        auto = AutoClassifier(
            time_budget=None,
            max_trials=6,
            include=["naive_bayes", "cart", "logistic_regression"],
            cv=3,
            n_jobs=2,
            random_state=0,
            verbose=0,
        ).fit(X, y, sample_weight=weight)
    assert len(auto.best_estimator_.estimators_) > 1  # an ensemble was refit
    said = [str(w.message) for w in caught] + [capfd.readouterr().err]
    assert sum(m.count("has no weighted fit") for m in said) == 1


def test_a_holdout_search_ends_with_its_best_validated_on_every_fold(monkeypatch):
    """Validation chosen as the holdout (as on costly data) ends with the best
    candidates on the rest of the k-fold round: they alone are ranked and
    ensembled, on every row; the others stay listed, as holdout only."""
    from autodl.automl import _search

    monkeypatch.setattr(_search, "_K_FOLD_CANDIDATES", 10**6)
    monkeypatch.setattr(_search, "_SMALL_CANDIDATES", 10**6)
    X, y = make_classification(300, 6, n_informative=4, random_state=0)
    auto = AutoClassifier(
        time_budget=6,
        include=["logistic_regression", "naive_bayes", "knn", "cart"],
        n_jobs=1,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    board = auto.leaderboard_
    ok = board[board["status"] == "ok"]
    holdout = board[board["status"] == "holdout only"]
    assert auto.validation_.startswith("5-fold") and len(ok) >= 2 and len(holdout)
    assert (ok["n_folds"] >= 5).all() and (holdout["validation"] == "holdout").all()
    assert board.index[board["status"] != "ok"].min() == len(ok)  # ok rows first
    assert set(auto.ensemble_weights_) <= set(ok["model"])
    assert auto.ensemble_score_ >= ok["score"].iloc[0] - 1e-9
