"""The search's parts: the budget, the evaluator (racing, outputs), the phases."""

import threading
import time

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, get_scorer, roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import Pipeline

from autodl.automl import _search
from autodl.automl._search import load_portfolio
from autodl.spotcheck import default_models
from autodl.spotcheck._evaluate import Candidate, Evaluator, _Result
from autodl.spotcheck._zoo import LIBRARY_DEFAULTS, REFERENCES
from autodl.utils._budget import Budget


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(300, 6, n_informative=4, random_state=0)
    splits = list(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y))
    return X, y, splits


def _evaluator(data, folds=5):
    X, y, splits = data
    ev = Evaluator(X, y, splits, get_scorer("roc_auc"), np.array([0, 1]), n_jobs=1)
    ev.folds = folds
    return ev


def test_budget_children_share_the_deadline_and_the_trials():
    budget = Budget(10, trials=3)
    child = budget.until(4)
    assert child.left() <= 6.0 < budget.left() <= 10.0
    assert budget.share(0.5).left() <= 5.0
    child.take_trial()
    assert budget.trials_left() == 2
    budget.take_trial()
    budget.take_trial()
    assert budget.expired() and child.expired()
    untimed = Budget(None)
    assert untimed.left() == np.inf and not untimed.timed
    assert untimed.share(0.1).left() == np.inf
    assert Budget(1e-9).expired()


def test_evaluator_scores_out_of_fold(data):
    X, y, splits = data
    ev = _evaluator(data)
    cand = Candidate(0, "logistic", {}, LogisticRegression(), "test")
    done = ev.evaluate([cand], Budget(None))
    assert done == [0] and ev.complete(0)
    out = ev.output(0)
    assert out.shape == (len(y), 2) and np.isfinite(out).all()
    # the score is the mean of the folds' scores, each on its own rows (pooled,
    # ROC AUC would compare rows of different folds' models)
    folds = [roc_auc_score(y[test], out[test, 1]) for _, test in splits]
    assert ev.score(0) == pytest.approx(np.mean(folds))
    assert ev.score(0) != pytest.approx(roc_auc_score(y, out[:, 1]))
    # each row was predicted by the model of the fold that held it out
    train, test = splits[0]
    model = LogisticRegression().fit(X[train], y[train])
    np.testing.assert_allclose(out[test], model.predict_proba(X[test]))
    board = ev.table(lambda folds: f"{folds} folds")
    assert board.loc[0, "status"] == "ok" and board.loc[0, "validation"] == "5 folds"


class _Overlap(LogisticRegression):
    """Counts the fits running at once (threads of this process share it)."""

    running = peak = 0
    lock = threading.Lock()

    def fit(self, X, y):
        cls = type(self)
        with cls.lock:
            cls.running += 1
            cls.peak = max(cls.peak, cls.running)
        time.sleep(0.05)  # long enough for two threads to overlap
        try:
            return super().fit(X, y)
        finally:
            with cls.lock:
                cls.running -= 1


@pytest.mark.parametrize("holds_gil", [True, False])
def test_fits_holding_the_gil_take_turns_on_threads(data, holds_gil):
    """HistGradientBoosting's fits hold the GIL: side by side on threads they run
    slower than in turn, so the evaluator runs them one at a time there."""
    X, y, splits = data
    ev = Evaluator(
        X, y, splits, get_scorer("roc_auc"), np.array([0, 1]), 2, prefer="threads"
    )
    _Overlap.running = _Overlap.peak = 0
    cands = [
        Candidate(i, "overlap", {}, _Overlap(), "t", holds_gil=holds_gil)
        for i in range(2)
    ]
    assert sorted(ev.evaluate(cands, Budget(None))) == [0, 1]
    assert _Overlap.peak == (1 if holds_gil else 2)
    # and the search's estimates count one worker for them
    assert ev.workers(holds_gil) == (1 if holds_gil else 2)
    # the zoo says which families do; the search's candidates carry it
    specs = default_models("binary")
    pipelines = {s.name: Pipeline([("model", s.estimator)]) for s in specs}
    search = _search.Search(specs, pipelines, ev, None, 5)
    assert search.candidate("hist_gradient_boosting", {}, "t").holds_gil
    assert not search.candidate("lightgbm", {}, "t").holds_gil


def test_a_metric_that_does_not_rank_rows_scores_the_pooled_predictions(data):
    X, y, splits = data
    ev = Evaluator(
        X, y, splits, get_scorer("balanced_accuracy"), np.array([0, 1]), n_jobs=1
    )
    assert not ev.by_fold and _evaluator(data).by_fold  # ROC AUC ranks rows
    ev.evaluate([Candidate(0, "nb", {}, GaussianNB(), "t")], Budget(None))
    out = ev.output(0)
    pooled = balanced_accuracy_score(y, out.argmax(axis=1))
    assert ev.score(0) == pytest.approx(pooled)
    outputs, rows, parts = ev.fold_outputs([0])
    assert parts is None and set(rows) == set(range(len(y)))
    np.testing.assert_array_equal(outputs[0], out[rows])


def test_holdout_predicts_one_fold_only(data):
    ev = _evaluator(data, folds=1)
    ev.evaluate([Candidate(0, "lr", {}, LogisticRegression(), "t")], Budget(None))
    out = ev.output(0)
    holdout = ev.splits[0][1]
    assert np.isfinite(out[holdout]).all()
    assert np.isnan(np.delete(out, holdout, axis=0)).all()
    assert ev.score(0) == pytest.approx(roc_auc_score(ev.y[holdout], out[holdout, 1]))


def test_racing_stops_a_clearly_worse_candidate(data):
    ev = _evaluator(data)
    good = Candidate(0, "logistic", {}, LogisticRegression(), "t")
    bad = Candidate(1, "dummy", {"x": 1}, DummyClassifier(), "t")
    ev.evaluate([good, bad], Budget(60))
    assert ev.complete(0)
    assert ev.results[1].pruned and len(ev.results[1].scores) < 5
    board = ev.table(lambda folds: f"{folds} folds").set_index("config_id")
    assert board.loc[1, "status"] == "pruned"
    assert board.loc[1, "validation"].startswith("raced:")
    # without a clock there is no racing: the search does not depend on timing
    ev = _evaluator(data)
    ev.evaluate([good, bad], Budget(None))
    assert ev.complete(1)


def test_racing_waits_for_evidence(data):
    """Two folds that agree say little of the spread: Student's t, not z = 2."""
    ev = _evaluator(data)
    best = _Result(Candidate(0, "a", {}, LogisticRegression(), "t"))
    best.scores = {0: 0.80, 1: 0.82, 2: 0.81, 3: 0.80}
    other = _Result(Candidate(1, "b", {}, LogisticRegression(), "t"))
    other.scores = {0: 0.78, 1: 0.795}  # behind by 0.020 and 0.025
    ev.best = lambda: best
    assert not ev._trails(other)  # two standard errors would have pruned it
    other.scores.update({2: 0.788, 3: 0.779})  # and by 0.022, 0.021
    assert ev._trails(other)


def test_failures_are_rows_not_crashes(data):
    class Broken(LogisticRegression):
        def fit(self, X, y):
            raise RuntimeError("boom")

    ev = _evaluator(data)
    ev.evaluate([Candidate(0, "broken", {}, Broken(), "t")], Budget(None))
    board = ev.table(lambda folds: f"{folds} folds")
    assert board.loc[0, "status"] == "failed" and "boom" in board.loc[0, "error"]
    assert ev.best() is None


def test_deadline_stops_new_work_but_the_exempt_anchor_runs(data):
    ev = _evaluator(data, folds=1)
    spent = Budget(1e-9)
    time.sleep(0.01)
    cands = [Candidate(i, "lr", {"i": i}, LogisticRegression(), "t") for i in range(3)]
    assert ev.evaluate(cands, spent) == []
    assert ev.evaluate(cands[:1], spent, deadline_exempt=True) == [0]


class _Slow(LogisticRegression):
    def fit(self, X, y):
        time.sleep(0.4)
        return super().fit(X, y)


def test_a_fold_starts_only_when_it_can_end_before_the_deadline(data):
    """Its slowest fold so far must fit in the time left: a 10 s CatBoost fold
    started at 59 s of a 60 s budget ended the search at 70 s."""
    ev = _evaluator(data)
    start = time.perf_counter()
    ev.evaluate([Candidate(0, "slow", {}, _Slow(), "t")], Budget(1.0))
    elapsed = time.perf_counter() - start
    # two folds end by 0.8 s; a third would have ended at 1.2 s
    assert len(ev.results[0].fit_times) == 2 and elapsed < 1.0


class _SeesDeadline(LogisticRegression):
    def fit(self, X, y):
        from autodl.utils import current_fit_deadline

        self.deadline_ = current_fit_deadline()
        return super().fit(X, y)


def test_a_fold_fit_runs_under_the_budgets_deadline(data):
    """A boosted tree stops adding trees and a net training at the search's
    deadline (the anchor's LightGBM of 2,700 rounds took 9 s a fold and 3 s to
    predict on shuttle at 10 s, and the fit 15 s): every fold fit sees the
    deadline of its budget, in
    ``time.time()`` (one clock for every worker); without a clock, none."""
    ev = _evaluator(data, folds=1)
    before = time.time()
    ev.evaluate([Candidate(0, "lr", {}, _SeesDeadline(), "t")], Budget(30))
    assert before + 29 < ev.results[0].model.deadline_ <= time.time() + 30
    ev = _evaluator(data, folds=1)
    ev.evaluate([Candidate(0, "lr", {}, _SeesDeadline(), "t")], Budget(None))
    assert ev.results[0].model.deadline_ is None


def test_fits_are_handed_out_one_at_a_time():
    """joblib's automatic batches grow on quick tasks: a batch would take many
    folds of the next candidate at once, before racing or the clock could stop
    them (a CatBoost of 12 s a fold ran all 15 folds after racing had stopped it,
    and a 60 s search took 108 s)."""
    from joblib import delayed

    from autodl.spotcheck._evaluate import _unordered

    handed_out = []

    def tasks():
        for _ in range(100):
            handed_out.append(1)
            yield delayed(time.sleep)(0.02)

    most = 0
    for done, _ in enumerate(_unordered(2, tasks()), start=1):
        most = max(most, len(handed_out) - done)
    assert most <= 8  # about the workers; automatic batches took 60 ahead


def test_trials_are_counted_once_per_candidate(data):
    ev = _evaluator(data, folds=1)
    budget = Budget(None, trials=2)
    cands = [Candidate(i, "lr", {"i": i}, LogisticRegression(), "t") for i in range(3)]
    assert ev.evaluate(cands, budget) == [0, 1]
    ev.folds = 5  # more folds for the same candidates cost no trial
    assert ev.evaluate(cands[:2], budget) == [0, 1]


@pytest.mark.parametrize("kind", ["binary", "regression"])
def test_the_portfolio_names_zoo_families_and_valid_params(kind):
    portfolio = load_portfolio(kind)
    anchors = load_portfolio(kind, "anchors")
    defaults = load_portfolio(kind, "library_defaults")
    assert len(portfolio) >= 3 and len(anchors) >= 2
    specs = {s.name: s for s in default_models(kind)}
    for family, params, cost in portfolio + anchors + defaults:
        assert family in specs and cost > 0
        specs[family].estimator.set_params(**params)  # every name is a parameter
    # anchors are cheap families (at most a default LightGBM's cost), one per
    # family, each configuration at most 1.5 default LightGBM fits
    # (build_portfolio.ANCHOR_MAX_COST): they run first, whatever the clock
    assert all(specs[e.family].cost <= 1 for e in anchors)
    assert all(e.cost <= 1.5 for e in anchors)
    assert len({e.family for e in anchors}) == len(anchors)
    # the libraries' defaults are the zoo's, rebuilt with it
    assert [(e.family, e.params) for e in defaults] == [
        (f, LIBRARY_DEFAULTS[f]) for f in REFERENCES
    ]


def _measured(family, seconds, cost, error=None):
    """A result as the evaluator keeps it: one fold of ``seconds``."""
    cand = Candidate(0, family, {}, None, "test", cost=cost)
    return _Result(cand, fit_times={0: seconds}, error=error)


class _FakeEvaluator:
    """One candidate measured: the zoo's default LightGBM, ``seconds`` a fold."""

    def __init__(self, seconds, n_splits=5):
        self.family_time = {"lightgbm": seconds}
        self.measured = [_measured("lightgbm", seconds, 1.0)]
        self.splits = [None] * (3 * n_splits)
        self.folds = 1
        self.results = {}
        self.interrupted = False

    threads = False

    def workers(self, holds_gil=False):
        return 1 if holds_gil and self.threads else 2

    def snapshot(self):
        return list(self.measured)

    def best(self):
        return object()


@pytest.mark.parametrize(
    "seconds, rows, budget, expected",
    [
        (0.05, 500, 60, "5-fold x3"),  # small and cheap: repeated k-fold
        (0.05, 10_000, 60, "5-fold"),  # cheap: k-fold
        (5.0, 10_000, 60, "holdout"),  # costly against the time left: holdout
        (5.0, 10_000, None, "5-fold"),  # no clock: k-fold, the same everywhere
        (1.0, 800, 60, "5-fold"),  # small data: k-fold while a few fit
    ],
)
def test_validation_fits_the_cost_and_the_data(seconds, rows, budget, expected):
    search = _search.Search([], {}, _FakeEvaluator(seconds), None, 5)
    search.run = lambda *args, **kwargs: []
    _search.choose_validation(search, Budget(budget), rows)
    assert search.validation == expected


def test_effective_rows_count_a_rare_class_as_the_metric_does():
    balanced = np.repeat([0, 1], 500)
    assert _search.effective_rows(balanced, classification=True) == 1_000
    # churn's training part: 3,750 rows, 530 of them positive
    churn = np.repeat([0, 1], [3_220, 530])
    assert round(_search.effective_rows(churn, classification=True)) == 1_820
    assert _search.effective_rows(churn, classification=False) == 3_750
    multi_output = np.zeros((40, 2))
    assert _search.effective_rows(multi_output, classification=True) == 40


def test_a_rare_class_makes_the_data_small_for_the_validation():
    """churn at 10 s: 3,750 rows, but a holdout of 750 holds 106 positives, and the
    ROC AUC of its candidates ranks by their noise: it is small data, validated on
    k-fold while a few candidates' rounds fit."""
    churn = np.repeat([0, 1], [3_220, 530])
    for y, expected in [(np.repeat([0, 1], 1_875), "holdout"), (churn, "5-fold")]:
        search = _search.Search([], {}, _FakeEvaluator(0.5), None, 5)
        search.run = lambda *args, **kwargs: []
        rows = _search.effective_rows(y, classification=True)
        _search.choose_validation(search, Budget(20), rows)
        assert search.validation == expected


def test_the_anchors_start_whatever_the_clock_and_stop_at_half_of_it():
    """They are the first validated models: they start past the deadline too, and
    a boosted tree among them stops adding trees at half the time, which leaves
    the other half for its prediction and the search."""
    specs = default_models("binary")
    search = _search.Search(specs, {}, _FakeEvaluator(1.0), None, 5)
    search.candidate = lambda *entry: entry
    calls = []
    search.run = lambda cands, budget, **kwargs: calls.append((budget, kwargs))
    _search.anchor(search, Budget(20), load_portfolio("binary", "anchors"))
    ((budget, kwargs),) = calls
    assert kwargs == {"deadline_exempt": True} and 9 < budget.left() <= 10


def test_the_anchors_other_folds_count_against_k_fold():
    """yeast at 10 s (1,113 rows, 10 classes): the anchors took 0.4 s and 1.4 s a
    fold. Three candidates' k-fold rounds fit in half the time left, so 5-fold was
    chosen, but the anchors' own other folds then took 4 of the 8.5 s left and the
    portfolio never ran; they are counted now, and the holdout is chosen."""
    ev = _FakeEvaluator(0.4)
    ev.measured.append(_measured("hist_gradient_boosting", 1.4, 1.3))
    ev.family_time["hist_gradient_boosting"] = 1.4
    search = _search.Search([], {}, ev, None, 5)
    search.run = lambda *args, **kwargs: []
    _search.choose_validation(search, Budget(8.5), 1_113)
    assert search.validation == "holdout"
    _search.choose_validation(search, Budget(30), 1_113)  # time for them: k-fold
    assert search.validation == "5-fold"


def test_a_family_too_slow_for_the_time_left_is_recorded():
    """What ``stop_reason_ == "time_budget"`` reads: candidates were left out."""
    specs = default_models("binary")
    search = _search.Search(specs, {}, _FakeEvaluator(1.0), None, 5)
    budget = Budget(60)
    assert search.affordable("lightgbm", budget)  # 1 s a fold
    assert not search.affordable("mlp", Budget(5))  # cost 9: 9 s a fold
    assert search.affordable("mlp", Budget(None))  # no clock: everything runs
    assert search.unaffordable == {"mlp"}


def test_folds_holding_the_gil_count_one_after_the_other_on_threads():
    """5-fold at 1 s a fold: 3 rounds over two workers, but HistGradientBoosting's
    folds take turns on threads: 5 s, more than half of the 7 s left."""
    ev = _FakeEvaluator(1.0)
    ev.folds = 5
    search = _search.Search(default_models("binary"), {}, ev, None, 5)
    assert search.affordable("hist_gradient_boosting", Budget(7))
    ev.threads = True
    assert search.affordable("lightgbm", Budget(7))
    assert not search.affordable("hist_gradient_boosting", Budget(7))


@pytest.mark.parametrize("kind", ["binary", "regression"])
def test_the_walk_validates_the_boosting_libraries_defaults_after_its_head(kind):
    """A default boosted tree is the bar: LightGBM's, HistGradientBoosting's and
    CatBoost's own defaults run right after the portfolio's first entries."""
    specs = default_models(kind)
    search = _search.Search(specs, {}, _FakeEvaluator(1.0), None, 5)
    proposed = []
    search.candidate = lambda *entry: proposed.append(entry)
    search.run = lambda candidates, budget, **kwargs: list(candidates)
    portfolio = load_portfolio(kind)
    library_defaults = load_portfolio(kind, "library_defaults")
    _search.walk_portfolio(search, Budget(None), portfolio, library_defaults)
    head = _search.PORTFOLIO_HEAD
    assert proposed[:head] == [(f, p, "portfolio", c) for f, p, c in portfolio[:head]]
    defaults = proposed[head : head + 3]
    assert [entry[0] for entry in defaults] == [
        "lightgbm",
        "hist_gradient_boosting",
        "catboost",
    ]
    by_name = {spec.name: spec for spec in specs}
    costs = {e.family: e.cost for e in library_defaults}
    for family, params, source, cost in defaults:
        assert source == "library default" and params == LIBRARY_DEFAULTS[family]
        assert cost == costs[family]  # measured offline, not the family's default
        by_name[family].estimator.set_params(**params)  # the zoo's parameters


def test_unmeasured_costs_scale_from_the_costly_candidates_not_the_cheap_ones():
    specs = default_models("binary")
    ev = _FakeEvaluator(1.0)  # the zoo's default LightGBM: 1 s a fold, cost 1
    ev.measured.append(_measured("knn", 0.05, 0.1))  # mostly overhead: ignored
    search = _search.Search(specs, {}, ev, None, 5)
    cost = {spec.name: spec.cost for spec in specs}
    assert search.fold_seconds("catboost") == pytest.approx(cost["catboost"])
    # a configuration's own measured cost, not its family's default
    assert search.fold_seconds("catboost", 16.0) == pytest.approx(16.0)
    ev.measured.append(_measured("random_forest", 4.0, 2.0))  # 2 s a unit
    assert search.fold_seconds("catboost", 16.0) == pytest.approx(32.0)
    assert search.fold_seconds("knn") == pytest.approx(0.5 * cost["knn"])  # its own
    # once the family ran, its own rate: 1 s a unit here
    ev.measured.append(_measured("catboost", 3.0, 3.0))
    assert search.fold_seconds("catboost", 16.0) == pytest.approx(16.0)
    # a holdout candidate runs on one worker whatever their number
    assert not search.affordable("catboost", Budget(1.9 * 16), 16.0)  # > half
    assert search.affordable("catboost", Budget(2.1 * 16), 16.0)
    assert search.unaffordable == {"catboost"}


def test_a_costly_first_configuration_does_not_inflate_the_others_estimates():
    """churn at 10 s: the anchor LightGBM (127 leaves, learning rate 0.03: 3.6
    default LightGBM fits) took 0.45 s a fold. Read as a default LightGBM's
    time, it put CatBoost's default at 4 s (9 x 0.45) where it takes under 2 s,
    and the search left it out; with each configuration's measured cost, 2 s."""
    specs = default_models("binary")
    ev = _FakeEvaluator(1.0)
    ev.measured = [_measured("lightgbm", 0.45, 3.64)]
    search = _search.Search(specs, {}, ev, None, 5)
    catboost = {e.family: e for e in load_portfolio("binary", "library_defaults")}
    seconds = search.fold_seconds("catboost", catboost["catboost"].cost)
    assert seconds == pytest.approx(0.45 / 3.64 * catboost["catboost"].cost)
    assert seconds < 2.5
    assert search.affordable("catboost", Budget(7.0), catboost["catboost"].cost)


def test_a_reserve_that_grows_is_kept_back():
    reserve = [1.0]
    budget = Budget(10)
    searching = budget.until(lambda: reserve[0])
    assert 8.5 < searching.left() <= 9.0
    reserve[0] = 6.0
    assert 3.5 < searching.left() <= 4.0
    half = searching.share(0.5)
    assert 1.5 < half.left() <= 2.0
    reserve[0] = 20.0
    assert searching.left() == 0 and half.left() == 0


@pytest.mark.filterwarnings("ignore:y_pred contains classes not in y_true")
def test_balanced_outputs_use_the_training_rows_class_shares_only():
    # three classes, the last rare; folds where the test rows' shares differ
    rng = np.random.RandomState(0)
    X = rng.normal(size=(90, 3))
    y = np.repeat([0, 1, 2], [60, 24, 6])
    splits = [(np.arange(30, 90), np.arange(30)), (np.arange(60), np.arange(60, 90))]
    ev = Evaluator(
        X,
        y,
        splits,
        get_scorer("balanced_accuracy"),
        np.array([0, 1, 2]),
        n_jobs=1,
        balance=True,
    )
    cand = Candidate(0, "lr", {}, LogisticRegression(), "test")
    ev.evaluate([cand], Budget(None))
    raw = LogisticRegression().fit(X[30:], y[30:]).predict_proba(X[:30])
    prior = np.bincount(y[30:], minlength=3) / 60  # 30 / 24 / 6 of 60, not of 90
    expected = raw / prior
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ev.results[0].outputs[0], expected, rtol=1e-10)
    # the score is the balanced accuracy of the balanced decision
    assert ev.results[0].scores[0] == pytest.approx(
        balanced_accuracy_score(y[:30], expected.argmax(axis=1))
    )


def test_an_ensemble_refit_waits_for_its_slowest_member():
    from types import SimpleNamespace

    from autodl import AutoClassifier

    auto = AutoClassifier(n_jobs=2)
    auto._refit_jobs = 2  # set by fit: two members refit at once
    seconds = {0: 6.0, 1: 0.5, 2: 0.5}  # one slow member, two fast
    ev = SimpleNamespace(
        results={c: SimpleNamespace(fit_times={0: s}) for c, s in seconds.items()},
        splits=[(np.arange(80), np.arange(80, 100))],
    )
    scale = 100 / 80  # all rows over a training fold's
    # two workers do 7 s of work in 3.5 s, but the slow member alone takes 6 s
    assert auto._refit_seconds(ev, [0, 1, 2], 100) == pytest.approx(6.0 * scale)
    assert auto._refit_seconds(ev, [1, 2], 100) == pytest.approx(0.5 * scale)
    # the search's reserve counts the work only (the end can leave the slow one out)
    assert auto._refit_seconds(ev, [0, 1, 2], 100, wait=False) == pytest.approx(
        3.5 * scale
    )


@pytest.fixture(scope="module")
def repeated():
    """Three repetitions of 5-fold: what a search with an integer ``cv`` holds."""
    X, y = make_classification(300, 6, n_informative=4, random_state=0)
    splits = list(
        RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0).split(X, y)
    )
    return X, y, splits


def _lr(i):
    return Candidate(i, "lr", {"C": 10.0**-i}, LogisticRegression(C=10.0**-i), "t")


def test_finalists_validated_on_more_folds_pool_them(repeated):
    X, y, _ = repeated
    ev = _evaluator(repeated)
    cands = [_lr(i) for i in range(3)]
    ev.evaluate(cands, Budget(None))
    five = ev.output(0)
    assert ev.evaluate(cands[:1], Budget(None), folds=10) == [0]
    assert ev.folds_of(ev.results[0]) == 10 and ev.complete(0)
    assert ev.complete(1)  # the others keep their 5 folds
    # each row's prediction: the mean of its two repetitions' out-of-fold ones
    second = np.zeros_like(five)
    for train, test in ev.splits[5:10]:
        model = clone(cands[0].pipeline).fit(X[train], y[train])
        second[test] = model.predict_proba(X[test])
    np.testing.assert_allclose(ev.output(0), (five + second) / 2)
    # its score is the mean of the ten folds', the others' of their five
    assert ev.score(0) == pytest.approx(np.mean(list(ev.results[0].scores.values())))
    assert ev.score(1) == pytest.approx(np.mean(list(ev.results[1].scores.values())))
    assert len(ev.results[0].scores) == 10 and len(ev.results[1].scores) == 5
    board = ev.table(lambda folds: f"{folds} folds").set_index("config_id")
    assert board.loc[0, "validation"] == "10 folds" and board.loc[0, "n_folds"] == 10
    assert board.loc[1, "validation"] == "5 folds" and set(board["status"]) == {"ok"}
    assert not np.isnan(board.loc[0, "split9_score"])


def test_a_finalist_keeps_its_validation_while_it_gets_more_folds(repeated):
    """Meanwhile it is still complete and the best: the search's refit reserve
    and best so far count it (they once dropped it, and the reserve of the
    others' refits could leave no time for its folds)."""
    ev = _evaluator(repeated)
    seen = None

    class Watched(LogisticRegression):
        def fit(self, X, y):
            if seen is not None:  # its further folds
                seen.append((ev.complete(0), ev.best().candidate.config_id))
            return super().fit(X, y)

    cands = [Candidate(0, "lr", {}, Watched(), "t"), _lr(3)]
    ev.evaluate(cands, Budget(None))
    seen = []
    best = ev.best().candidate.config_id
    assert ev.evaluate(cands[:1], Budget(None), folds=10) == [0]
    assert seen == [(True, best)] * 5 and ev.folds_of(ev.results[0]) == 10


def test_a_finalist_that_fails_a_new_fold_keeps_its_validation(repeated):
    class FailsAfterFive(LogisticRegression):
        fits = 0

        def fit(self, X, y):
            type(self).fits += 1  # clones share the count; n_jobs=1 runs in turn
            if type(self).fits > 5:
                raise RuntimeError("boom")
            return super().fit(X, y)

    ev = _evaluator(repeated)
    cand = Candidate(0, "lr", {}, FailsAfterFive(), "t")
    ev.evaluate([cand], Budget(None))
    score = ev.score(0)
    assert ev.evaluate([cand], Budget(None), folds=10) == []
    result = ev.results[0]
    assert ev.complete(0) and result.error is None and ev.folds_of(result) == 5
    assert sorted(result.scores) == list(range(5)) and ev.score(0) == score


def _searched(data, n, folds=5):
    ev = _evaluator(data, folds=folds)
    ev.evaluate([_lr(i) for i in range(n)], Budget(None))
    return _search.Search([], {}, ev, None, 5)


def test_confirm_deepens_the_best_while_time_lasts(repeated):
    search = _searched(repeated, 10)
    ev = search.evaluator
    _search.confirm(search, Budget(60))
    done = sorted(ev.snapshot(), key=ev.score_of, reverse=True)
    # the best, whatever their order after each round, have every repetition
    best = done[: _search.FINALISTS]
    assert [ev.folds_of(r) for r in best] == [15] * _search.FINALISTS
    assert all(ev.complete(r.candidate.config_id) for r in done)
    board = ev.table(search.validation_name)
    assert list(board["validation"].head(_search.FINALISTS)) == ["5-fold x3"] * 8
    assert ev.folds == 5 and search.validation == "5-fold"


def test_confirm_needs_a_clock_time_and_the_integer_cv(repeated):
    untimed = _searched(repeated, 10)
    _search.confirm(untimed, Budget(None))  # no clock: the same on any machine
    holdout = _searched(repeated, 10, folds=1)
    for result in holdout.evaluator.snapshot():
        result.fit_times = {0: 10.0}
    # the best two's other 4 folds take 4 x 10 s each on one worker: over 60 s
    _search.confirm(holdout, Budget(60))
    splitter = _searched(repeated, 10)
    splitter.splitter = True
    _search.confirm(splitter, Budget(60))  # the user's folds, used as given
    costly = _searched(repeated, 10)
    for result in costly.evaluator.snapshot():
        result.fit_times = dict.fromkeys(range(5), 10.0)
    # 8 finalists x 5 folds x 10 s on one worker: more than half of 60 s
    _search.confirm(costly, Budget(60))
    for search in (untimed, holdout, splitter, costly):
        ev = search.evaluator
        assert all(ev.folds_of(r) == ev.folds for r in ev.snapshot())


def test_a_holdout_search_validates_its_best_on_the_k_fold_round(repeated):
    search = _searched(repeated, 10, folds=1)
    ev = search.evaluator
    by_holdout = [r.candidate.config_id for r in ev.ranked()]
    holdout_scores = {c: ev.score(c) for c in by_holdout}
    # each candidate's other folds fit: the search's best 8 get them
    _search.confirm(search, Budget(60))
    finalists = by_holdout[: _search.FINALISTS]
    assert ev.folds >= 5 and search.validation.startswith("5-fold")
    assert all(ev.complete(c) for c in finalists)
    assert not any(ev.complete(c) for c in by_holdout[_search.FINALISTS :])
    # the best and the ensemble's pool: finalists, ranked on every fold
    assert ev.best().candidate.config_id in finalists
    for c in finalists:  # on all its folds, the holdout too
        scores = ev.results[c].scores
        assert len(scores) == ev.folds_of(ev.results[c]) and 0 in scores
        assert ev.score(c) == pytest.approx(np.mean(list(scores.values())))
    board = ev.table(search.validation_name).set_index("config_id")
    assert set(board.loc[finalists, "status"]) == {"ok"}
    rest = board.loc[by_holdout[_search.FINALISTS :]]
    assert set(rest["status"]) == {"holdout only"}
    assert set(rest["validation"]) == {"holdout"} and rest["score"].isna().all()
    assert rest["mean_score"].to_dict() == pytest.approx(
        {c: holdout_scores[c] for c in rest.index}
    )
    # ranked after every finalist, by their holdout scores
    order = list(ev.table(search.validation_name)["config_id"])
    assert set(order[: len(finalists)]) == set(finalists)
    assert order[len(finalists) :] == by_holdout[_search.FINALISTS :]


def test_a_holdout_search_cut_short_keeps_the_holdouts_ranking(repeated, monkeypatch):
    search = _searched(repeated, 10, folds=1)
    ev = search.evaluator
    best = ev.best()
    # the clock allows four more folds: the best gets its 4, the others none
    budget = Budget(60)
    ends = iter([True] * 4)
    monkeypatch.setattr(ev, "_ends", lambda result, budget: next(ends, False))
    _search.confirm(search, budget)
    assert ev.folds == 1 and search.validation == "holdout" and not ev.holdout_only
    # ranked on the holdout, the one that got its folds too
    assert ev.best() is best and ev.score(best.candidate.config_id) == best.scores[0]
    assert sorted(ev.folds_of(r) for r in ev.snapshot()) == [1] * 9 + [5]
    board = ev.table(search.validation_name)
    assert set(board["status"]) == {"ok"}
    # named by the rows its score pools (the holdout), its five folds listed
    assert set(board["validation"]) == {"holdout"}
    assert board.loc[board["n_folds"] == 5, "config_id"].tolist() == [
        best.candidate.config_id
    ]


def test_a_holdout_search_keeps_back_the_time_for_its_best_two_or_more(repeated):
    search = _searched(repeated, 10, folds=1)
    ev = search.evaluator
    ranked = ev.ranked()
    for i, result in enumerate(ranked):
        result.fit_times = {0: 1.0 if i != 2 else 100.0}  # the third is slow
    # the best 2: 4 more folds of 1 s each, one worker; the third ends the list
    # (never passed over for its cost: the fourth would replace it)
    assert _search.promotion_seconds(search, 60) == pytest.approx(8.0)
    assert _search.promotion_seconds(search, 30) == 0.0  # only the best in 6 s
    ranked[2].fit_times = {0: 1.0}
    assert _search.promotion_seconds(search, 60) == pytest.approx(12.0)  # 3 in 12 s
    assert _search.promotion_seconds(search, 200) == pytest.approx(16.0)  # the best 4
    assert _search.promotion_seconds(search, None) == 0.0  # no clock
    k_fold = _searched(repeated, 10)
    assert _search.promotion_seconds(k_fold, 60) == 0.0


def test_validation_names():
    search = _search.Search([], {}, _FakeEvaluator(1.0), None, 5)
    names = [search.validation_name(n) for n in (1, 5, 10, 15)]
    assert names == ["holdout", "5-fold", "5-fold x2", "5-fold x3"]
    assert search.validation == "holdout"  # the evaluator's folds: the anchors'
    search.splitter = True  # a cv splitter of 4 splits
    assert search.validation_name(4) == "4 splits of cv"
