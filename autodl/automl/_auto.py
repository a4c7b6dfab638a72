"""AutoClassifier / AutoRegressor: a strong-first, anytime search under one budget."""

import logging
import math
import numbers
import re
import time
import warnings

import numpy as np
import pandas as pd
from joblib import effective_n_jobs, parallel_config
from scipy import sparse
from sklearn import config_context
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.model_selection import (
    RepeatedKFold,
    RepeatedStratifiedKFold,
    check_cv,
    train_test_split,
)
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from autodl.automl import _search
from autodl.ensemble import (
    EnsembleSelectionClassifier,
    EnsembleSelectionRegressor,
    greedy_selection,
)
from autodl.pipeline import Pipeline
from autodl.preprocessing import Rescaler, TabularPreprocessor
from autodl.spotcheck import default_models
from autodl.spotcheck._evaluate import Evaluator, reemit_warnings
from autodl.spotcheck._spotcheck import _best_has
from autodl.utils import (
    DEFAULT_SCORING,
    accepts_sample_weight,
    as_pandas,
    balance_probabilities,
    check_classification_y,
    check_metric,
    check_params,
    check_weights,
    class_prior,
    draw_seed,
    fit_weighted,
    one_model_per_target,
    resolve_task,
    take_rows,
    validate_passthrough,
)
from autodl.utils._budget import Budget
from autodl.utils._columns import describe_copies, target_copies
from autodl.utils._deprecation import DEPRECATED, renamed_param
from autodl.utils._device import uses_gpu
from autodl.utils._docstring import (
    Substitution,
    _device_docstring,
    _feature_attributes_docstring,
    _random_state_docstring,
)
from autodl.utils._drift import (
    DRIFT_ACTIONS,
    check_drift,
    profile_columns,
    report_drift,
)
from autodl.utils._param_validation import Described, Interval, one_of
from autodl.utils._tables import TableAttribute

logger = logging.getLogger(__name__)

# Rows used for the search; the final models are then refit on all the data.
SEARCH_MAX_ROWS = 20_000
# Ensemble selection: rounds of greedy selection over the search's finalists.
_N_ROUNDS = 40
# Ensemble selection may run on past the time the refit leaves it, up to this
# share of a time budget: under a rank metric each round scores every finalist's
# blend on every fold (thousands of scorer calls; ROC AUC's are quick).
_SELECTION_SHARE = 0.05
# Above this many cells (rows x features) the final models are refit one at a time.
_PARALLEL_REFIT_CELLS = 5_000_000
# Budgets this short run their fits in threads: no worker processes to start.
_THREADS_BELOW = 30
# The search keeps back the time to refit this many of its best candidates.
_REFIT_MEMBERS = 4
# Seconds a refit may run past the budget before the ensemble is trimmed.
_REFIT_SLACK = 1.0


def _pipeline(spec, device, y_ndim=1):
    model = spec.estimator
    if "device" in model.get_params():
        model = clone(model).set_params(device=device)
    scale = Rescaler() if spec.scale_sensitive else "passthrough"
    model = one_model_per_target(model, y_ndim)
    return Pipeline(
        [("prep", TabularPreprocessor()), ("scale", scale), ("model", model)]
    )


class _BaseAuto(BaseEstimator):
    """The search shared by AutoClassifier and AutoRegressor."""

    _parameter_constraints = {
        "time_budget": [
            Described(
                "positive seconds, or None for no clock (max_trials then bounds "
                "the search)",
                Interval(numbers.Real, 0, None, closed="right"),  # inf: no clock
                None,
            )
        ],
        "max_trials": [
            Described(
                "an int >= 1 (candidate configurations to validate), or None",
                Interval(numbers.Integral, 1, None, closed="left"),
                None,
            )
        ],
        "drift": one_of(DRIFT_ACTIONS),
    }

    def __init__(
        self,
        time_budget=60,
        scoring=None,
        cv=5,
        n_jobs=-1,
        random_state=None,
        include=None,
        exclude=None,
        ensemble=True,
        device="auto",
        verbose=1,
        max_trials=None,
        drift="warn",
        metric=DEPRECATED,
    ):
        self.time_budget = time_budget
        self.scoring = scoring
        self.cv = cv
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.include = include
        self.exclude = exclude
        self.ensemble = ensemble
        self.device = device
        self.verbose = verbose
        self.max_trials = max_trials
        self.drift = drift
        self.metric = metric

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # TabularPreprocessor imputes
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags

    _multi_output = False  # AutoRegressor takes several targets
    # kept as plain arrays (safe persistence), a DataFrame when read
    leaderboard_ = TableAttribute()

    def _validate(self, X, y="no_validation", reset=False):
        return validate_passthrough(
            self,
            X,
            y,
            reset=reset,
            allow_nan=True,
            multi_output=self._multi_output,
            dense_reason="its candidates start with TabularPreprocessor, which reads "
            "a table of typed columns",
        )

    def _specs(self, task, n_samples, seed, weighted=False):
        specs = {s.name: s for s in default_models(task, n_samples, random_state=seed)}
        known = set(specs) | {"svm"}
        for option in ("include", "exclude"):
            names = getattr(self, option)
            unknown = set(names or ()) - known
            if unknown:
                raise ValueError(
                    f"{option}={sorted(unknown)} names no model of the zoo; use names "
                    f"from {sorted(known)}."
                )
        if self.include is not None:
            specs = {k: v for k, v in specs.items() if k in self.include}
        if self.exclude is not None:
            specs = {k: v for k, v in specs.items() if k not in self.exclude}
        if weighted:
            unweighted = [
                k for k, v in specs.items() if not accepts_sample_weight(v.estimator)
            ]
            named = sorted(set(unweighted) & set(self.include or ()))
            if named:
                warnings.warn(
                    f"include={named}: these models take no sample_weight, so they "
                    "are left out of a weighted search.",
                    UserWarning,
                    stacklevel=3,
                )
            logger.info("left out of a weighted search: %s", unweighted)
            specs = {k: v for k, v in specs.items() if k not in unweighted}
        if not specs:
            raise ValueError(
                "include / exclude leave no model to try"
                f"{' that takes sample_weight' if weighted else ''}."
            )
        return list(specs.values())

    # -- the search ------------------------------------------------------------
    def fit(self, X, y, sample_weight=None):
        """Search the zoo within ``time_budget`` seconds and refit the best.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numbers, strings, categoricals, booleans and missing values are all
            fine: a ``TabularPreprocessor`` is fitted inside every candidate.
        y : array-like of shape (n_samples,)
            The target.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Every candidate fits with them (its
            ``TabularPreprocessor``, ``Rescaler`` and model; models that take no
            weights, such as k-nearest neighbours, are left out of the search),
            the validation scores and the ensemble selection weigh the rows, and
            the final model is refit with them.
            With metadata routing on, request them with
            ``set_fit_request(sample_weight=True)``.

        Returns
        -------
        self
        """
        start = time.perf_counter()
        scoring = renamed_param(self, "metric", "scoring")  # the old name warns
        check_params(self)
        seconds = math.inf if self.time_budget is None else float(self.time_budget)
        budget = Budget(None if math.isinf(seconds) else seconds, self.max_trials)
        X, y = self._validate(X, y, reset=True)
        weight = check_weights(sample_weight, X)
        self.input_profile_ = profile_columns(X)
        if isinstance(self.cv, int) and len(y) < self.cv:
            raise ValueError(
                f"Cross-validation needs at least cv={self.cv} rows, got "
                f"n_samples={len(y)}; pass more data or a smaller cv."
            )
        self.task_ = self._check_target(y)
        self.scoring_ = scoring or DEFAULT_SCORING[self.task_]
        if weight is not None and self.task_ != "regression":
            check_classification_y(y[weight > 0])  # the rows that count
        self._warn_target_copies(X, y)
        if self.task_ != "regression":
            self.class_prior_ = (
                class_prior(y, self.classes_, weight) if self._balances() else None
            )
        # a metric that cannot score this target would fail every candidate
        scorer = check_metric(
            self.scoring_, self.task_, y, getattr(self, "classes_", None)
        )
        rng = check_random_state(self.random_state)
        seed = draw_seed(rng)
        specs = self._specs(self.task_, len(y), seed, weighted=weight is not None)
        pipelines = {s.name: _pipeline(s, self.device, y.ndim) for s in specs}
        rows = self._search_rows(y, seed)
        Xs, ys = _safe_indexing(X, rows), y[rows]
        splits, n_splits = self._splits(Xs, ys, seed)
        evaluator = Evaluator(
            Xs,
            ys,
            splits,
            scorer,
            None if self.task_ == "regression" else self.classes_,
            *self._parallelism(seconds),
            sample_weight=take_rows(weight, rows),
            balance=self._balances(),
        )
        search = _search.Search(
            specs,
            pipelines,
            evaluator,
            rng,
            n_splits,
            splitter=not isinstance(self.cv, numbers.Integral),
        )
        search.n_total = len(y)
        # the search's refit estimates: in parallel unless the data is big; the
        # GPU policy is applied to the members chosen (asking whether "auto" means
        # a GPU imports torch, which a search that trains no net never needs)
        self._refit_jobs = self._refit_n_jobs([], len(y) * self.n_features_in_)
        classification = self.task_ != "regression"
        self._run(search, budget, _search.effective_rows(ys, classification))
        self.leaderboard_ = evaluator.table(search.validation_name)
        self.validation_ = search.validation
        members = self._members(search, len(y), budget)
        self.ensemble_weights_ = {label: w for label, _, _, w in members}
        self.best_estimator_ = self._refit(members, evaluator, X, y, weight, budget)
        self.fit_time_ = time.perf_counter() - start
        return self

    def _warn_target_copies(self, X, y):
        regression = self.task_ == "regression"
        targets = y.reshape(len(y), -1).T  # several for a multi-output target
        copies = [c for t in targets for c in target_copies(X, t, regression)]
        copies = list(dict.fromkeys(copies))  # a column copying two targets once
        if copies:
            warnings.warn(
                f"{describe_copies(copies)}: they leak the answer, so validation "
                "scores will be near perfect and predictions on new rows useless. "
                "Drop them from X.",
                UserWarning,
                stacklevel=3,
            )

    def _run(self, search, budget, n_rows):
        """The phases, strong first; each only adds candidates."""
        portfolio = _search.load_portfolio(self.task_)
        progress = None
        if self.verbose:
            from tqdm.auto import tqdm

            progress = tqdm(total=5, desc=type(self).__name__, unit="phase")
        try:
            _search.anchor(
                search, budget, _search.load_portfolio(self.task_, "anchors")
            )
            self._advance(progress, search, "validation")
            if search.splitter:
                search.evaluator.folds = search.n_splits  # used whole
                anchors = [r.candidate for r in search.evaluator.snapshot()]
                search.run(anchors, budget, race=False)
            else:
                _search.choose_validation(search, budget, n_rows)
            # the time the refit of the best candidates would take is kept back,
            # re-estimated as the search finds better (and costlier) ones, and on
            # the holdout the time to validate the best on the whole k-fold round
            confirming = budget.until(lambda: self._reserve(search))
            searching = budget.until(
                lambda: (
                    self._reserve(search)
                    + _search.promotion_seconds(search, self.time_budget)
                )
            )
            self._advance(progress, search, "portfolio")
            _search.walk_portfolio(
                search,
                searching,
                portfolio,
                _search.load_portfolio(self.task_, "library_defaults"),
            )
            self._advance(progress, search, "tuning")
            _search.tune(search, searching)
            self._advance(progress, search, "confirming")
            _search.confirm(search, confirming)
            self._advance(progress, search, "done")
        finally:
            if progress is not None:
                progress.close()
        ev = search.evaluator
        if ev.interrupted:
            self.stop_reason_ = "interrupted"
            warnings.warn(
                f"{type(self).__name__} was interrupted; keeping what finished "
                "(leaderboard_ lists it).",
                stacklevel=3,
            )
        elif budget.timed and (
            budget.left() <= self._reserve(search) or search.unaffordable
        ):  # out of time, or candidates left out as too slow for the time left
            self.stop_reason_ = "time_budget"
        else:
            self.stop_reason_ = None

    @staticmethod
    def _advance(progress, search, phase):
        if progress is None:
            return
        best = search.evaluator.best()
        if best is not None:
            progress.set_postfix_str(
                f"{phase}; best {best.candidate.label} "
                f"{search.evaluator.score_of(best):.4f}"
            )
        progress.update()

    def _parallelism(self, seconds):
        """``(n_jobs, prefer)``: short budgets use threads (no workers to start)."""
        if effective_n_jobs(self.n_jobs) > 1 and seconds <= _THREADS_BELOW:
            return self.n_jobs, "threads"
        return self.n_jobs, None

    def _check_target(self, y):
        raise NotImplementedError

    def _balances(self):
        """Whether probabilities are balanced (the metric is balanced accuracy)."""
        return self.task_ != "regression" and self.scoring_ == "balanced_accuracy"

    def _search_rows(self, y, seed):
        if len(y) <= SEARCH_MAX_ROWS:
            return np.arange(len(y))
        keep, _ = train_test_split(
            np.arange(len(y)),
            train_size=SEARCH_MAX_ROWS,
            random_state=seed,
            stratify=None if self.task_ == "regression" else y,
        )
        logger.info(
            "searching on %d of %d rows, then refitting on all", len(keep), len(y)
        )
        return np.sort(keep)

    def _splits(self, X, y, seed):
        """All the folds a candidate may get, and the folds of one k-fold round.

        The first fold is the holdout; a full k-fold round is the first k; more
        rounds repeat it with other shuffles (repeated k-fold on small data, the
        finalists' confirmation on any).
        """
        classification = self.task_ != "regression"
        if not isinstance(self.cv, numbers.Integral):
            splits = list(check_cv(self.cv, y, classifier=classification).split(X, y))
            return splits, len(splits)
        k = int(self.cv)
        cls = RepeatedStratifiedKFold if classification else RepeatedKFold
        splitter = cls(n_splits=k, n_repeats=_search._REPEATS, random_state=seed)
        # each repetition warns of a class too small for k folds: said once
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            splits = list(splitter.split(X, y))
        reemit_warnings(
            [(w.category, str(w.message), w.filename, w.lineno) for w in caught], set()
        )
        return splits, k

    def _refit_n_jobs(self, candidates, n_cells, prefer=None):
        """Parallel refits, unless a member trains on the GPU, the data is big,
        or two members hold the GIL on threads.

        GPU policy (docs/scaling.md): members that train on the GPU are never refit
        in worker processes sharing it. On big data every parallel refit holds its
        fitted model twice (in the worker and in transit back), which can double
        peak memory (benchmarks/memory.py), so the refit runs in turn. On threads
        (``prefer``), two fits that hold the GIL (``Candidate.holds_gil``) run
        slower side by side than in turn.
        """
        if (
            any(uses_gpu(cand.pipeline) for cand in candidates)
            or n_cells > _PARALLEL_REFIT_CELLS
            or (prefer == "threads" and sum(c.holds_gil for c in candidates) > 1)
        ):
            return 1
        return self.n_jobs

    def _scale(self, evaluator, n_total):
        """Refit rows over the rows of one training fold."""
        return n_total / max(len(evaluator.splits[0][0]), 1)

    def _refit_seconds(self, evaluator, config_ids, n_total, wait=True):
        """Estimated seconds to refit ``config_ids`` on all rows, in parallel.

        The total over the workers, and with ``wait`` never less than the slowest
        member (the others wait for it). The search's reserve counts the total
        only: at the end the ensemble can leave out its slowest member.
        """
        seconds = [
            float(np.mean(list(evaluator.results[c].fit_times.values())))
            for c in config_ids
        ]
        parallel = min(effective_n_jobs(self._refit_jobs), len(seconds))
        estimate = sum(seconds) / parallel
        if wait:
            estimate = max(estimate, max(seconds))
        return estimate * self._scale(evaluator, n_total)

    def _reserve(self, search):
        """Seconds to refit the best candidates so far on all rows."""
        ev = search.evaluator
        top = ev.ranked()[: _REFIT_MEMBERS if self.ensemble else 1]
        if not top:
            return 0.0
        ids = [r.candidate.config_id for r in top]
        return self._refit_seconds(ev, ids, search.n_total, wait=False) + 0.5

    def _members(self, search, n_total, budget):
        """[(label, pipeline, score, weight)]: the ensemble, or the best alone."""
        ev = search.evaluator
        board = self.leaderboard_
        ok = board[board["status"] == "ok"] if not board.empty else board
        if ok.empty:
            self._nothing_validated(board, ev)
        # several targets: the best alone (VotingRegressor, which the ensemble's
        # refit uses, takes one target)
        ensemble = self.ensemble and ev.y.ndim == 1
        chosen = ok.head(_search.FINALISTS if ensemble else 1)
        if ensemble:  # those with probabilities (an SVM has none)
            has = [ev.results[c].outputs[0] is not None for c in chosen["config_id"]]
            chosen = chosen[has]
            if chosen.empty:
                chosen = ok.head(1)
        ids = list(chosen["config_id"])
        self._refit_jobs = self._refit_n_jobs(
            [ev.results[c].candidate for c in ids],
            n_total * self.n_features_in_,
            ev.prefer,
        )
        weights = np.ones(1)
        if len(ids) > 1:
            # scored as the leaderboard scores a candidate (a rank metric fold
            # by fold)
            stacked, stacked_rows, folds = ev.fold_outputs(ids)
            stacked = dict(zip(ids, stacked, strict=True))
            limit = None  # untimed: every round
            if budget.timed:  # the time the refit leaves, or a share of the budget
                refit = self._refit_seconds(ev, ids, n_total)
                limit = max(budget.left() - refit, _SELECTION_SHARE * self.time_budget)

            def select(ids):
                weights, score = greedy_selection(
                    [stacked[c] for c in ids],
                    ev.y[stacked_rows],
                    ev.scorer,
                    n_iter=_N_ROUNDS,
                    classes=ev.classes,
                    sample_weight=take_rows(ev.sample_weight, stacked_rows),
                    folds=folds,
                    time_limit=limit,
                )
                kept = [c for c, w in zip(ids, weights, strict=True) if w > 0]
                return kept, weights[weights > 0], score

            ids, weights, self.ensemble_score_ = select(ids)
            # while the refit would overrun the budget, leave out the member the
            # others would wait for (the slowest to refit) and select again among
            # the rest; when that scores below the best candidate alone, or one
            # member is left, the best candidate it is (the ensemble's first pick)
            best_score = float(chosen["score"].iloc[0])
            while (
                len(ids) > 1
                and budget.timed
                and self._refit_seconds(ev, ids, n_total) > budget.left() + _REFIT_SLACK
            ):
                slowest = max(ids, key=lambda c: self._refit_seconds(ev, [c], n_total))
                ids.remove(slowest)
                if len(ids) > 1:
                    ids, weights, self.ensemble_score_ = select(ids)
                    if self.ensemble_score_ < best_score:
                        ids = ids[:1]
            if len(ids) == 1:
                ids, weights = [int(chosen["config_id"].iloc[0])], np.ones(1)
                self.ensemble_score_ = best_score
        else:
            self.ensemble_score_ = float(ok["score"].iloc[0])
        return [
            (
                ev.results[c].candidate.label,
                ev.refit_pipeline(c),
                ev.score_of(ev.results[c]),
                float(w),
            )
            for c, w in zip(ids, weights / weights.sum(), strict=True)
        ]

    def _nothing_validated(self, board, evaluator):
        """No candidate finished validation: raise the first error, or say why.

        A real error comes first whatever stopped the search (the clock, Ctrl-C):
        a search where every candidate fails must not read as a timeout.
        """
        failed = [r for r in evaluator.snapshot() if r.error is not None]
        if failed:
            first = min(failed, key=lambda r: r.candidate.config_id)
            raise ValueError(
                f"No candidate could be validated ({len(failed)} failed); the first "
                f"error, from {first.candidate.label}: {first.error}"
            ) from first.exception
        if getattr(self, "stop_reason_", None) == "interrupted":
            raise KeyboardInterrupt(
                f"{type(self).__name__} was interrupted before any candidate "
                "finished validation: there is no model to keep (leaderboard_ lists "
                "what ran)."
            )
        raise ValueError(
            f"No candidate finished validation within time_budget={self.time_budget}"
            "s; raise time_budget."
        )

    def _refit(self, members, evaluator, X, y, weight, budget):
        """The final model on all rows; Ctrl-C keeps the best fold model instead.

        When even the best candidate's refit would overrun the budget (a search
        cut short on big data), its model of the first training fold is kept.
        """
        best = evaluator.best()
        self.refit_ = not (
            len(members) == 1
            and budget.timed
            and best is not None
            and best.model is not None
            and best.candidate.label == members[0][0]
            and self._refit_seconds(evaluator, [best.candidate.config_id], len(y))
            > budget.left() + 2 * _REFIT_SLACK
        )
        if not self.refit_:
            logger.info("no time to refit %s: keeping its fold model", members[0][0])
            return best.model
        try:
            with parallel_config(prefer=evaluator.prefer), warnings.catch_warnings():
                # what the search's fits said was said once: not again per member
                # and worker (scikit-learn's Parallel hands the filters on)
                for category, message in evaluator.warned:
                    warnings.filterwarnings("ignore", re.escape(message), category)
                return self._fit_final(members, X, y, weight)
        except KeyboardInterrupt:
            best = evaluator.best()
            if best is None or best.model is None:
                raise
            self.stop_reason_ = "interrupted"
            warnings.warn(
                "Interrupted during the final refit: keeping the best candidate "
                f"({best.candidate.label}) as fitted on its first training fold.",
                stacklevel=3,
            )
            return best.model

    def _fit_final(self, members, X, y, weight=None):
        if len(members) == 1:
            label, pipe, _, _ = members[0]
            logger.info("refitting %s on %d rows", label, len(y))
            return fit_weighted(pipe, X, y, weight)
        selection = (
            EnsembleSelectionRegressor
            if self.task_ == "regression"
            else EnsembleSelectionClassifier
        )
        logger.info(
            "refitting an ensemble of %d models on %d rows", len(members), len(y)
        )
        final = selection(
            [(label, pipe) for label, pipe, _, _ in members],
            n_iter=_N_ROUNDS,
            scoring=self.scoring_,
            n_jobs=self._refit_jobs,
        )
        # the members are autodl's pipelines: weights go to them directly; the
        # ensemble's weights are those the search selected on its folds
        with config_context(enable_metadata_routing=False):
            return final._fit_selected(
                X,
                y,
                weights=[w for *_, w in members],
                oof_score=self.ensemble_score_,
                oof_scores={label: score for label, _, score, _ in members},
                sample_weight=weight,
            )

    # -- prediction ------------------------------------------------------------
    def _as_fitted(self, X):
        """``X`` in the container fit saw: an array with the fitted number of
        columns becomes a DataFrame with the fitted names (numbers as numbers),
        a DataFrame given to a model fitted on an array becomes an array (a
        polars or other narwhals frame is read as pandas first)."""
        X = as_pandas(X)
        names = getattr(self, "feature_names_in_", None)
        if hasattr(X, "iloc"):
            if names is None and X.ndim == 2 and X.shape[1] == self.n_features_in_:
                return X.to_numpy()
            return X
        if names is None or sparse.issparse(X):
            return X
        values = np.asarray(X)
        if values.ndim != 2 or values.shape[1] != len(names):
            return X  # validation names the problem
        frame = pd.DataFrame(values, columns=names)
        for entry in getattr(self, "input_profile_", []):
            if entry["kind"] == "number":
                try:
                    frame[entry["name"]] = pd.to_numeric(frame[entry["name"]])
                except (TypeError, ValueError):
                    pass  # strings where fit saw numbers: the preprocessor says so
        return frame

    def _predict_input(self, X):
        """Checked input for the best model, in its container; drift reported."""
        check_is_fitted(self)
        X = self._validate(self._as_fitted(X))
        check_params(self, ["drift"])  # set_params may have changed it since fit
        profile = getattr(self, "input_profile_", None)
        if profile is not None:
            report_drift(check_drift(profile, X), self.drift, type(self).__name__)
        return X

    def predict(self, X):
        """Predict with the best model."""
        X = self._predict_input(X)  # checks that it is fitted first
        return self.best_estimator_.predict(X)


_AUTO_PARAMS = """\
    time_budget : float or None, default=60
        Seconds for the whole fit, refit included. A fit already running when the
        budget runs out is finished (the first, anchor fit always runs), but a
        boosted tree (LightGBM, XGBoost, CatBoost) stops adding trees and a net
        ends its epoch at the deadline; the total stays within about
        1.1 x budget + 2 s.
        How much of the search fits in the budget depends on the machine's speed;
        ``None`` runs without a clock (bound the work with ``max_trials``), so the
        result depends on ``random_state`` only.
    scoring : str or callable, default=None
        A scikit-learn scorer name, or a scorer ``scoring(estimator, X, y)``;
        ``None`` is {metric_default}.
    cv : int or cross-validation splitter, default=5
        Folds of a k-fold round ({stratified}shuffled with ``random_state``); the
        search uses the first as a holdout, one round, or three, as the budget
        allows (``validation_``). A splitter is used whole.
    n_jobs : int, default=-1
        Parallel fits through joblib; -1 uses all cores.
    {random_state}
        It seeds the splits, the search and every model.
    include, exclude : list of str, default=None
        Names of zoo models to use, or to leave out (``"xgboost"``, ``"mlp"``, ...).
    ensemble : bool, default=True
        Weigh the 8 best candidates by ensemble selection (Caruana et al.) on their
        validation {outputs} (scored as ``score`` in ``leaderboard_``), and refit
        those with a weight into an
        ``{ensemble_class}``. ``False`` refits the best candidate alone.{ensemble_note}
    {device}
        It applies to the neural nets of the zoo.
    verbose : int, default=1
        0 is silent; 1 shows a progress bar over the phases with the best so far;
        2 also logs every fold.
    max_trials : int or None, default=None
        The most candidate configurations to validate, a budget in work units
        instead of seconds, in the order of the phases (each rung of the nets'
        successive halving counts its configurations). With ``time_budget=None``
        the search is the same on any machine, at any speed or load.
    drift : {"warn", "raise", "ignore"}, default="warn"
        What ``predict`` does when its rows differ from the training data in a
        way that makes predictions meaningless: category levels never seen in
        fit, a column empty that held values, two columns holding each other's
        values (swapped). ``"raise"`` raises ``autodl.utils.DriftError`` (a
        ValueError); ``autodl predict --strict`` sets it.
    metric : str or callable, default="deprecated"
        The old name of ``scoring``.

        .. deprecated:: 0.1
           ``metric`` was renamed to ``scoring`` (scikit-learn's name, as in
           :class:`~autodl.spotcheck.SpotCheck`) and will be removed in 0.2.
"""

_AUTO_ATTRIBUTES = """\
    leaderboard_ : pandas.DataFrame
        Every candidate tried, best first by ``score`` (the metric on its pooled
        validation predictions; for a metric that ranks rows, ROC AUC, the mean
        over its folds, each fold's model scored on its own rows as
        ``cross_val_score`` does; ensemble selection maximises the same):
        ``model`` (a label), ``family``, ``config_id``, ``source`` (the phase),
        ``validation``, ``score``, ``mean_score`` / ``std_score`` over every fold
        it ran (on a holdout search, its further folds too), ``fit_time``,
        ``n_folds``, ``status`` (``"ok"``, ``"holdout only"``, ``"pruned"``,
        ``"failed"``, ``"not run"``), ``error``, ``params`` and the per-fold
        scores.
    best_estimator_ : Pipeline or {ensemble_class}
        The best candidate, or the weighted ensemble, refit on all the data. A
        boosted model that stopped early in its folds is refit on every row with
        the mean of the rounds it kept there, nothing held out.
    ensemble_score_ : float
        Validation score of the final model (of the best candidate without an
        ensemble).
    validation_ : str
        ``"holdout"``, ``"5-fold"`` or ``"5-fold x3"``: how candidates were scored.
        A timed holdout search ends by validating its best candidates on the
        rest of the k-fold round: when two or more finish it is ``"5-fold"``,
        and the others are ``"holdout only"`` in the leaderboard (out of the
        ranking and the ensemble). With time left at the end of a timed k-fold
        search, the best candidates are validated on further repetitions
        (``"5-fold x2"`` in their ``validation`` column): their score counts
        them all.
    refit_ : bool
        Whether the final model was refit on all rows (``False`` when not even the
        best candidate's refit fitted in the budget: its model of the first
        training fold is kept).
    ensemble_weights_ : dict
        ``{candidate: weight}`` of the final model (one entry at weight 1 without
        an ensemble).
    {task_attributes}
    scoring_ : str or callable
        The metric used.
    stop_reason_ : {None, "time_budget", "interrupted"}
        Why the search stopped before it ran out of candidates: the time ran out
        or left candidates out as too slow for what remained (``"time_budget"``),
        or Ctrl-C (``"interrupted"``; it keeps what finished). ``None``: every
        candidate it planned was evaluated.
    fit_time_ : float
        Wall time of ``fit`` in seconds.
    input_profile_ : list of dict
        What each training column held (kind, missing share, levels or
        quantiles): what ``predict`` checks drift against.
    {feature_attributes}
"""

# the Parameters and Attributes sections of both (their placeholders filled per task)
_AUTO_SECTIONS = """\
    Parameters
    ----------
    {auto_params}

    Attributes
    ----------
    {auto_attributes}
"""

_AUTO_TEXTS = {
    "auto_sections": _AUTO_SECTIONS,
    "auto_params": _AUTO_PARAMS,
    "auto_attributes": _AUTO_ATTRIBUTES,
    "random_state": _random_state_docstring,
    "device": _device_docstring,
    "feature_attributes": _feature_attributes_docstring,
}


@Substitution(
    **_AUTO_TEXTS,
    metric_default="ROC AUC for binary targets and balanced accuracy for multiclass "
    "targets",
    stratified="stratified, ",
    outputs="probabilities",
    ensemble_class="EnsembleSelectionClassifier",
    ensemble_note="",
    task_attributes="""\
classes_ : ndarray
    The class labels.
class_prior_ : ndarray or None
    Under balanced accuracy (the multiclass default), each class's share of
    the training rows (weighted): ``predict_proba`` divides the model's
    probabilities by it and renormalises, the probabilities as if every class
    were equally frequent, so ``predict`` (their argmax) maximises balanced
    accuracy instead of accuracy and rare classes are not neglected; the
    validation scores and ensemble selection use the same decision, with
    each fold's training shares. ``decision_function`` is then unavailable
    (it would disagree with ``predict``). ``None`` for other metrics.
task_ : {"binary", "multiclass"}
    The kind of target.""",
)
class AutoClassifier(ClassifierMixin, _BaseAuto):
    """A strong-first, anytime search of the model zoo within a time budget.

    Takes a DataFrame as it comes (numbers, strings, categoricals, booleans, missing
    values): every candidate is a pipeline ``TabularPreprocessor`` → ``Rescaler``
    (for scale-sensitive models) → model, so all preparation is learned on training
    folds only. The search runs on at most 20,000 rows, in phases over one budget
    and one evaluator (see ``docs/automl.md``):

    1. the cheap head of a portfolio learned offline (boosted trees with early
       stopping) on a holdout fold: a validated model within seconds;
    2. holdout, k-fold or repeated k-fold validation, chosen from the measured cost
       of those fits against the time left;
    3. the rest of the portfolio, with the cheap families' defaults (linear, naive
       Bayes, kNN, CART, SVM) early; a candidate starts only when its estimated
       time fits in the time left, and under a clock one clearly worse than the
       best on its first folds skips the others (racing);
    4. a random search over the three best families' spaces, and successive halving
       on ``max_epochs`` for the nets;
    5. with time left, the 8 best on further repetitions of the k-fold;
    6. ensemble selection (Caruana et al.) on the validation predictions already
       computed, refit on all rows as an ``EnsembleSelectionClassifier``.

    Every step only adds candidates, so the best so far is never replaced by a
    worse one; Ctrl-C keeps it.

    {auto_sections}

    Examples
    --------
    >>> from autodl import AutoClassifier, load_demo
    >>> X, y = load_demo()
    >>> auto = AutoClassifier(time_budget=10, include=["logistic_regression", "lda"],
    ...                       random_state=0, verbose=0).fit(X, y)
    >>> auto.leaderboard_["family"].iloc[0] in ("logistic_regression", "lda")
    True
    """

    def _check_target(self, y):
        check_classification_y(y)  # warns when y looks like a regression target
        self.classes_ = np.unique(y)
        return "binary" if len(self.classes_) == 2 else "multiclass"

    def predict(self, X):
        """Predict with the best model (the most probable class of
        ``predict_proba``, balanced under balanced accuracy)."""
        if getattr(self, "class_prior_", None) is None:
            return super().predict(X)
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the best model.

        Under balanced accuracy (``class_prior_`` set) they are balanced: the
        probabilities as if every class were equally frequent.
        """
        X = self._predict_input(X)  # checks that it is fitted first
        proba = self.best_estimator_.predict_proba(X)
        if getattr(self, "class_prior_", None) is None:
            return proba
        return balance_probabilities(proba, self.class_prior_)

    @available_if(
        lambda self: (
            _best_has("decision_function")(self)
            and getattr(self, "class_prior_", None) is None
        )
    )
    def decision_function(self, X):
        """Decision function of the best model."""
        X = self._predict_input(X)  # checks that it is fitted first
        return self.best_estimator_.decision_function(X)


@Substitution(
    **_AUTO_TEXTS,
    metric_default="R²",
    stratified="",
    outputs="predictions",
    ensemble_class="EnsembleSelectionRegressor",
    ensemble_note=" With several\n        targets the best candidate is kept alone.",
    task_attributes="""\
task_ : str
    ``"regression"``.""",
)
class AutoRegressor(RegressorMixin, _BaseAuto):
    """A strong-first, anytime search of the model zoo within a time budget.

    The regression twin of :class:`AutoClassifier`: the same phases, the regression
    zoo and portfolio, R² by default. A target with several columns is a
    multi-output regression: models that fit every target at once (linear models,
    trees, forests, the nets) do so, the others are wrapped in
    ``MultiOutputRegressor`` (one model per target); the scores are averaged over
    the targets, and the best candidate is kept alone (no ensemble).

    {auto_sections}

    Examples
    --------
    >>> from autodl import AutoRegressor, load_demo
    >>> X, y = load_demo("diabetes")
    >>> auto = AutoRegressor(time_budget=10, include=["ridge", "lasso"],
    ...                      random_state=0, verbose=0).fit(X, y)
    >>> auto.scoring_
    'r2'
    """

    _multi_output = True

    def _check_target(self, y):
        return resolve_task(y, "regression")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
