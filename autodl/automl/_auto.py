"""AutoClassifier / AutoRegressor: spot-check, tune and ensemble under a time budget."""

import itertools
import logging
import math
import numbers
import time
import warnings

import numpy as np
import pandas as pd
from joblib import effective_n_jobs
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.ensemble import VotingClassifier, VotingRegressor
from sklearn.metrics import check_scoring
from sklearn.model_selection import ParameterGrid, ParameterSampler, train_test_split
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from autodl.ensemble import greedy_selection
from autodl.pipeline import Pipeline
from autodl.preprocessing import Rescaler, TabularPreprocessor
from autodl.spotcheck import SpotCheck, default_models
from autodl.spotcheck._spotcheck import DEFAULT_SCORING, _best_has
from autodl.utils import check_classification_y, resolve_task, validate_passthrough
from autodl.utils._device import uses_gpu

logger = logging.getLogger(__name__)

# Models whose inputs must be on one scale; trees take the encoded data as it is.
_SCALE_SENSITIVE = {
    "logistic_regression",
    "lda",
    "knn",
    "naive_bayes",
    "svm",
    "mlp",
    "ridge",
    "lasso",
    "elastic_net",
}
# Spot-check order: cheap models first, so a short budget still ranks something.
_ORDER = [
    "logistic_regression",
    "ridge",
    "lda",
    "naive_bayes",
    "lasso",
    "elastic_net",
    "cart",
    "knn",
    "hist_gradient_boosting",
    "xgboost",
    "random_forest",
    "extra_trees",
    "svm",
    "mlp",
]
# Rows used for the search; the winner is then refit on all the data.
SEARCH_MAX_ROWS = 20_000
# Share of the budget for the spot-check; the rest tunes the best models and refits.
_SPOT_SHARE = 0.45
_N_TUNED = 3
_N_TRIALS = 30  # at most, per tuned model
# Successive halving (Jamieson & Talwalkar, 2016) for the models whose training
# length is a parameter: 9 configurations train for a ninth of max_epochs, the best
# third of them for a third, the best of those for all of it.
_HALVING = {"mlp": "max_epochs"}
_HALVING_FACTOR = 3
_HALVING_RUNGS = 3
# Ensemble selection: candidates weighed, and rounds of greedy selection.
_N_MEMBERS = 8
# Cheapest models given the rest of the budget when none finished the spot-check.
_N_FALLBACK = 3
# Above this many cells (rows x features) the final models are refit one at a time.
_PARALLEL_REFIT_CELLS = 5_000_000
_N_ROUNDS = 40


def _candidate(spec, device):
    model = spec.estimator
    if spec.name == "mlp":
        model = clone(model).set_params(device=device)
    scale = Rescaler() if spec.name in _SCALE_SENSITIVE else "passthrough"
    pipe = Pipeline(
        [("prep", TabularPreprocessor()), ("scale", scale), ("model", model)]
    )
    space = {f"model__{key}": values for key, values in spec.space.items()}
    return pipe, space


def _is_default(pipeline, params):
    current = pipeline.get_params()
    return all(
        key in current and repr(current[key]) == repr(value)
        for key, value in params.items()
    )


class _BaseAuto(BaseEstimator):
    """The search shared by AutoClassifier and AutoRegressor."""

    def __init__(
        self,
        time_budget=60,
        metric=None,
        cv=5,
        n_jobs=-1,
        random_state=None,
        include=None,
        exclude=None,
        ensemble=True,
        device="auto",
        verbose=1,
        max_trials=None,
    ):
        self.time_budget = time_budget
        self.metric = metric
        self.cv = cv
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.include = include
        self.exclude = exclude
        self.ensemble = ensemble
        self.device = device
        self.verbose = verbose
        self.max_trials = max_trials

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # TabularPreprocessor imputes
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        return tags

    def _validate(self, X, y="no_validation", reset=False):
        return validate_passthrough(self, X, y, reset=reset, allow_nan=True)

    def _specs(self, task, n_samples, seed):
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
        if not specs:
            raise ValueError("include / exclude leave no model to try.")
        return [specs[name] for name in _ORDER if name in specs]

    # -- the search ------------------------------------------------------------
    def fit(self, X, y):
        """Search the zoo within ``time_budget`` seconds and refit the best.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numbers, strings, categoricals, booleans and missing values are all
            fine: a ``TabularPreprocessor`` is fitted inside every candidate.
        y : array-like of shape (n_samples,)
            The target.

        Returns
        -------
        self
        """
        start = time.perf_counter()
        budget = self._check_budget()  # seconds; math.inf without a clock
        deadline = start + budget
        X, y = self._validate(X, y, reset=True)
        if isinstance(self.cv, int) and len(y) < self.cv:
            raise ValueError(
                f"Cross-validation needs at least cv={self.cv} rows, got "
                f"n_samples={len(y)}; pass more data or a smaller cv."
            )
        self.task_ = self._check_target(y)
        self.scoring_ = self.metric or DEFAULT_SCORING[self.task_]
        seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        specs = self._specs(self.task_, len(y), seed)
        candidates = {s.name: _candidate(s, self.device) for s in specs}
        # the search sees labels 0..K-1 (or a float target), so SpotCheck infers
        # the same task; the final refit gets y as the user gave it
        Xs, ys = self._search_rows(X, self._search_target(y), seed)
        scale = len(y) / (0.8 * len(ys))  # refit rows / rows of one training fold
        self._refit_jobs = self._refit_n_jobs(
            [pipe for pipe, _ in candidates.values()], len(y) * self.n_features_in_
        )

        # 1. spot-check every model (the cheapest max_trials of them)
        spot_budget = budget * _SPOT_SHARE
        pipes = {name: pipe for name, (pipe, _) in candidates.items()}
        pipes = dict(list(pipes.items())[: self.max_trials])
        self._trials_left = (
            None if self.max_trials is None else (self.max_trials - len(pipes))
        )
        spot = self._spotcheck(pipes, spot_budget, seed).fit(Xs, ys)
        self.stop_reason_ = spot.stop_reason_
        board = spot.leaderboard_.assign(params=[{}] * len(spot.leaderboard_))
        oof = {name: out for (name, _), out in spot.oof_predictions_.items()}
        left = deadline - time.perf_counter()
        if (
            (board["status"] != "ok").all()
            and left > 2
            and (self.stop_reason_ == "time_budget")
        ):
            # nothing finished its folds in the spot-check's share (slow data, a
            # busy machine): give the cheapest models the rest of the budget
            cheap = dict(list(pipes.items())[:_N_FALLBACK])
            spot = self._spotcheck(cheap, 0.8 * left, seed).fit(Xs, ys)
            board = spot.leaderboard_.assign(params=[{}] * len(spot.leaderboard_))
            oof = {name: out for (name, _), out in spot.oof_predictions_.items()}

        # 2. tune the best models while the refit still fits in the budget
        left = deadline - time.perf_counter() - self._refit_cost(board, scale)
        if left > 1 and self.stop_reason_ != "interrupted":
            tuned, tuned_oof = self._tune(board, candidates, Xs, ys, left, seed)
            board = pd.concat([board, tuned], ignore_index=True)
            oof.update(tuned_oof)
        board = board.sort_values(
            "mean_score", ascending=False, kind="stable", na_position="last"
        ).reset_index(drop=True)
        self.leaderboard_ = board

        # 3. weigh the best candidates (ensemble selection) and refit them on all rows
        members = self._members(board, candidates, oof, ys, scale, deadline)
        self.ensemble_weights_ = {name: w for name, _, w in members}
        self.best_estimator_ = self._refit(members, X, y)
        self.fit_time_ = time.perf_counter() - start
        return self

    def _check_target(self, y):
        raise NotImplementedError

    def _search_target(self, y):
        if self.task_ == "regression":
            return y.astype(float)
        return np.searchsorted(self.classes_, y)

    def _search_rows(self, X, y, seed):
        if len(y) <= SEARCH_MAX_ROWS:
            return X, y
        keep, _ = train_test_split(
            np.arange(len(y)),
            train_size=SEARCH_MAX_ROWS,
            random_state=seed,
            stratify=None if self.task_ == "regression" else y,
        )
        logger.info(
            "searching on %d of %d rows, then refitting on all", len(keep), len(y)
        )
        return _safe_indexing(X, keep), y[keep]

    def _spotcheck(self, models, budget, seed):
        return SpotCheck(
            models=list(models.items()),
            views=[("tabular", "passthrough")],
            cv=self.cv,
            scoring=self.scoring_,
            n_jobs=self.n_jobs,
            time_budget=None if math.isinf(budget) else max(budget, 0.0),
            random_state=seed,
            verbose=self.verbose,
            refit=False,
            keep_predictions=True,
            task="regression" if self.task_ == "regression" else "classification",
        )

    def _check_budget(self):
        """The time budget in seconds (``math.inf`` for None); checks max_trials."""
        trials = self.max_trials
        if trials is not None and (
            not isinstance(trials, numbers.Integral)
            or isinstance(trials, bool)
            or trials < 1
        ):
            raise ValueError(
                f"max_trials={trials!r} is not supported; use an int >= 1 (candidate "
                "configurations to cross-validate), or None."
            )
        if self.time_budget is None:
            return math.inf
        try:
            budget = float(self.time_budget)
        except (TypeError, ValueError):
            budget = math.nan
        if not budget > 0:
            raise ValueError(
                f"time_budget={self.time_budget!r} is not supported: it must be "
                "positive seconds, or None for no clock (max_trials then bounds the "
                "search)."
            )
        return budget

    def _refit_n_jobs(self, pipes, n_cells):
        """Parallel refits, unless a member trains on the GPU or the data is big.

        GPU policy (docs/scaling.md): members that train on the GPU are never refit
        in worker processes sharing it. On big data every parallel refit holds its
        fitted model twice (in the worker and in transit back), which can double
        peak memory (benchmarks/memory.py), so the refit runs in turn.
        """
        if any(uses_gpu(pipe) for pipe in pipes) or n_cells > _PARALLEL_REFIT_CELLS:
            return 1
        return self.n_jobs

    def _refit_cost(self, board, scale, n_members=_N_MEMBERS):
        """Seconds to refit the best ``n_members`` candidates on all rows."""
        ok = board[board["status"] == "ok"].nlargest(n_members, "mean_score")
        parallel = effective_n_jobs(self._refit_jobs) if self.ensemble else 1
        return float(ok["fit_time"].sum()) * scale / min(parallel, max(len(ok), 1))

    def _tune(self, board, candidates, X, y, budget, seed):
        """Search the spaces of the best models: a random search over the others,
        in turn, in their share of the time; then successive halving for the nets,
        in the time left."""
        deadline = time.perf_counter() + budget
        ok = board[board["status"] == "ok"]
        top = ok.nlargest(_N_TUNED, "mean_score")["model"].tolist()
        top = [name for name in top if candidates[name][1]]
        rng = check_random_state(seed)
        numbers = itertools.count(1)  # tuned candidates are name#k
        halved = [name for name in top if name in _HALVING]
        samplers = {
            name: iter(
                ParameterSampler(
                    candidates[name][1],
                    n_iter=min(_N_TRIALS, len(ParameterGrid(candidates[name][1]))),
                    random_state=rng.randint(2**31 - 1),
                )
            )
            for name in top
            if name not in _HALVING
        }
        trials = {}
        while samplers:  # round-robin: each model gets its turn while time lasts
            for name in list(samplers):
                params = next(samplers[name], None)
                if params is None:
                    del samplers[name]
                    continue
                if _is_default(candidates[name][0], params):
                    continue  # the spot-check already scored this configuration
                trials[f"{name}#{next(numbers)}"] = (name, params)
        parts, oof = [], {}
        if trials:  # their share; what they leave unused goes to the nets
            share = budget * (len(top) - len(halved)) / len(top)
            part, part_oof = self._run_trials(trials, candidates, X, y, share, seed)
            parts.append(part)
            oof.update(part_oof)
        for i, name in enumerate(halved):
            share = (deadline - time.perf_counter()) / (len(halved) - i)
            if share <= 0 or self.stop_reason_ == "interrupted":
                break
            part, part_oof = self._halving(
                name, candidates[name], X, y, share, seed, rng, numbers
            )
            parts.append(part)
            oof.update(part_oof)
        parts = [part for part in parts if not part.empty]
        if not parts:
            return board.iloc[:0], {}
        return pd.concat(parts, ignore_index=True), oof

    def _run_trials(self, trials, candidates, X, y, budget, seed):
        """Cross-validate ``{trial: (model, params)}``; the leaderboard rows and
        out-of-fold predictions of those that ran."""
        if self._trials_left is not None:  # max_trials: the first ones, in order
            trials = dict(list(trials.items())[: self._trials_left])
            self._trials_left -= len(trials)
            if not trials:
                return pd.DataFrame(), {}
        pipes = {
            trial: clone(candidates[name][0]).set_params(**params)
            for trial, (name, params) in trials.items()
        }
        try:
            spot = self._spotcheck(pipes, budget, seed).fit(X, y)
        except Exception as exc:  # every trial failed: keep the spot-check's result
            warnings.warn(
                f"Tuning failed on every trial ({exc}); using the spot-check's models.",
                stacklevel=4,
            )
            return pd.DataFrame(), {}
        if spot.stop_reason_ == "interrupted":
            self.stop_reason_ = "interrupted"
        tuned = spot.leaderboard_
        tuned = tuned[tuned["status"] != "not run"]
        tuned = tuned.assign(params=[trials[n][1] for n in tuned["model"]])
        oof = {name: out for (name, _), out in spot.oof_predictions_.items()}
        return tuned, oof

    def _halving(self, name, candidate, X, y, budget, seed, rng, numbers):
        """Successive halving over ``candidate``'s space on its training length.

        ``_HALVING_FACTOR ** (_HALVING_RUNGS - 1)`` sampled configurations train
        for ``1 / _HALVING_FACTOR ** (_HALVING_RUNGS - 1)`` of the resource (e.g.
        ``max_epochs``); after each rung the best ``1 / _HALVING_FACTOR`` of them
        go on with ``_HALVING_FACTOR`` times more, until the full resource. Every
        rung is a cross-validation on the same folds, within ``budget`` seconds;
        each configuration of each rung is a candidate (``params`` holds its
        resource), so a net that did well on fewer epochs can still be chosen.
        """
        pipe, space = candidate
        deadline = time.perf_counter() + budget
        resource = f"model__{_HALVING[name]}"
        full = int(pipe.get_params()[resource])
        n_configs = _HALVING_FACTOR ** (_HALVING_RUNGS - 1)
        sampler = ParameterSampler(
            space,
            n_iter=min(n_configs + 1, len(ParameterGrid(space))),
            random_state=rng.randint(2**31 - 1),
        )
        configs = [p for p in sampler if not _is_default(pipe, p)][:n_configs]
        parts, oof = [], {}
        for rung in range(_HALVING_RUNGS):
            left = deadline - time.perf_counter()
            if not configs or left <= 0 or self.stop_reason_ == "interrupted":
                break
            amount = max(1, full // _HALVING_FACTOR ** (_HALVING_RUNGS - 1 - rung))
            trials = {
                f"{name}#{next(numbers)}": (name, {**params, resource: amount})
                for params in configs
            }
            part, part_oof = self._run_trials(
                trials, {name: candidate}, X, y, left, seed
            )
            if part.empty:
                break
            parts.append(part)
            oof.update(part_oof)
            done = part[part["status"] == "ok"]
            keep = math.ceil(len(configs) / _HALVING_FACTOR)
            best = done.nlargest(keep, "mean_score")["model"]
            configs = [
                {k: v for k, v in trials[t][1].items() if k != resource} for t in best
            ]
            logger.info(
                "%s, rung %d: %d configurations at %s=%d, %d go on",
                name,
                rung + 1,
                len(trials),
                resource,
                amount,
                len(configs) if rung < _HALVING_RUNGS - 1 else 0,
            )
        if not parts:
            return pd.DataFrame(), {}
        return pd.concat(parts, ignore_index=True), oof

    def _members(self, board, candidates, oof, y, scale, deadline):
        """[(name, pipeline, weight)]: the ensemble, or the best candidate alone."""
        ok = board[board["status"] == "ok"]
        if ok.empty:
            if self.stop_reason_ == "interrupted":
                raise KeyboardInterrupt(
                    f"{type(self).__name__} was interrupted before any candidate "
                    "finished cross-validation: there is no model to keep "
                    "(leaderboard_ lists what ran)."
                )
            first = next(iter(candidates))
            warnings.warn(
                f"No model finished cross-validation within time_budget="
                f"{self.time_budget}s; fitting {first} without a ranking. Raise "
                "time_budget for a real search.",
                stacklevel=3,
            )
            return [(first, candidates[first][0], 1.0)]
        rows = ok.nlargest(_N_MEMBERS if self.ensemble else 1, "mean_score")
        if self.ensemble:  # candidates without probabilities cannot be averaged
            with_oof = rows[[name in oof for name in rows["model"]]]
            rows = with_oof if len(with_oof) > 1 else rows.iloc[:1]
        if len(rows) > 1:
            classes = (
                None if self.task_ == "regression" else np.arange(len(self.classes_))
            )
            weights, self.ensemble_score_ = greedy_selection(
                [oof[name] for name in rows["model"]],
                y,  # the search target: class indices, or float values
                check_scoring(scoring=self.scoring_),
                n_iter=_N_ROUNDS,
                classes=classes,
            )
            rows = rows.assign(weight=weights)
            rows = rows[rows["weight"] > 0]
            # drop the lightest members while their refit would overrun the budget
            while len(rows) > 1 and self._refit_cost(rows, scale, len(rows)) > (
                deadline - time.perf_counter()
            ):
                rows = rows.drop(index=rows["weight"].idxmin())
        else:
            rows = rows.assign(weight=1.0)
        members = []
        for _, row in rows.iterrows():
            base = row["model"].split("#")[0]
            pipe = clone(candidates[base][0]).set_params(**row["params"])
            members.append((row["model"], pipe, row["weight"] / rows["weight"].sum()))
        return members

    def _refit(self, members, X, y):
        if len(members) == 1:
            name, pipe, _ = members[0]
            logger.info("refitting %s on %d rows", name, len(y))
            return pipe.fit(X, y)
        estimators = [(name.replace("#", "_"), pipe) for name, pipe, _ in members]
        weights = [w for _, _, w in members]
        n_jobs = self._refit_jobs
        if self.task_ == "regression":
            vote = VotingRegressor(estimators, weights=weights, n_jobs=n_jobs)
        else:
            vote = VotingClassifier(
                estimators, voting="soft", weights=weights, n_jobs=n_jobs
            )
        logger.info(
            "refitting an ensemble of %d models on %d rows", len(members), len(y)
        )
        return vote.fit(X, y)

    # -- prediction ------------------------------------------------------------
    def predict(self, X):
        """Predict with the best model."""
        check_is_fitted(self)
        X = self._validate(X)
        return self.best_estimator_.predict(X)


class AutoClassifier(ClassifierMixin, _BaseAuto):
    """Spot-check the model zoo, tune the best models and refit, within a time budget.

    Takes a DataFrame as it comes (numbers, strings, categoricals, booleans, missing
    values): every candidate is a pipeline ``TabularPreprocessor`` → ``Rescaler``
    (for scale-sensitive models) → model, so all preparation is learned on training
    folds only. The search runs in three phases on at most 20,000 rows:

    1. a spot-check of every model of :func:`~autodl.spotcheck.default_models`
       (cheap ones first) with ``cv``-fold cross-validation, in about 45% of the
       budget;
    2. a search over the search spaces of the three best models until the time
       left is what the final refit needs: a random search over the models other
       than the MLP, in turn, in their share of that time; then, for the MLP, a
       topology search (depth, width and shape of the hidden layers, batch size,
       learning-rate schedule) by successive halving on ``max_epochs`` (9
       configurations at a ninth of the epochs, the best 3 at a third, the best
       one at all of them) in the time left;
    3. ensemble selection weighs the best candidates on their out-of-fold
       probabilities (no extra fits), and the chosen ones are refit on all the
       rows, within the budget left.

    Parameters
    ----------
    time_budget : float or None, default=60
        Seconds for the whole fit, refit included. A fit already running when the
        budget runs out is finished; the total stays within about 1.1 x budget + 5 s.
        How much of the search fits in the budget depends on the machine's speed;
        ``None`` runs without a clock (bound the work with ``max_trials``), so the
        result depends on ``random_state`` only.
    metric : str or callable, default=None
        A scikit-learn scorer name; ``None`` is ROC AUC for binary targets and
        balanced accuracy for multiclass targets.
    cv : int or cross-validation splitter, default=5
        Folds for every candidate (stratified, shuffled with ``random_state``).
    n_jobs : int, default=-1
        Parallel fits through joblib; -1 uses all cores.
    random_state : int, RandomState instance or None, default=None
        Seeds the splits, the search and every model.
    include, exclude : list of str, default=None
        Names of zoo models to use, or to leave out (``"xgboost"``, ``"mlp"``, ...).
    ensemble : bool, default=True
        Weigh the 8 best candidates by ensemble selection (Caruana et al.) on their
        out-of-fold probabilities, and refit those with a weight into a soft-voting
        ``VotingClassifier``. ``False`` refits the best candidate alone.
    device : {"auto", "cpu", "cuda"}, default="auto"
        Where the neural nets of the zoo train.
    verbose : int, default=1
        0 is silent; 1 shows a progress bar for each phase; 2 also logs every fold.
    max_trials : int or None, default=None
        The most candidate configurations to cross-validate, a budget in work units
        instead of seconds: the zoo's models with their defaults (cheapest first),
        then the tuned configurations (each rung of the nets' successive halving
        counts its configurations). With ``time_budget=None`` the search is the
        same on any machine, at any speed or load.

    Attributes
    ----------
    leaderboard_ : pandas.DataFrame
        Every candidate tried, best first: ``model`` (tuned ones as ``name#k``),
        ``view``, ``mean_score``, ``std_score``, ``fit_time``, ``status``, ``error``,
        the per-fold scores and the tuned ``params``.
    best_estimator_ : Pipeline or VotingClassifier
        The best candidate, or the weighted ensemble, refit on all the data.
    ensemble_weights_ : dict
        ``{candidate: weight}`` of the final model (one entry at weight 1 without
        an ensemble).
    classes_ : ndarray
        The class labels.
    scoring_ : str or callable
        The metric used.
    task_ : {"binary", "multiclass"}
        The kind of target.
    stop_reason_ : {None, "time_budget", "interrupted"}
        Why the search stopped early, if it did (Ctrl-C keeps what finished).
    fit_time_ : float
        Wall time of ``fit`` in seconds.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` was a DataFrame.

    Examples
    --------
    >>> from autodl import AutoClassifier, load_demo
    >>> X, y = load_demo()
    >>> auto = AutoClassifier(time_budget=10, include=["logistic_regression", "lda"],
    ...                       random_state=0, verbose=0).fit(X, y)
    >>> auto.leaderboard_["model"].iloc[0].split("#")[0] in ("logistic_regression",
    ...                                                        "lda")
    True
    """

    def _check_target(self, y):
        check_classification_y(y)  # warns when y looks like a regression target
        self.classes_ = np.unique(y)
        return "binary" if len(self.classes_) == 2 else "multiclass"

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the best model."""
        check_is_fitted(self)
        X = self._validate(X)
        return self.best_estimator_.predict_proba(X)

    @available_if(_best_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the best model."""
        check_is_fitted(self)
        X = self._validate(X)
        return self.best_estimator_.decision_function(X)


class AutoRegressor(RegressorMixin, _BaseAuto):
    """Spot-check the model zoo, tune the best models and refit, within a time budget.

    The regression twin of :class:`AutoClassifier`: the same three phases, the
    regression zoo, R² by default.

    Parameters
    ----------
    time_budget : float or None, default=60
        Seconds for the whole fit, refit included; ``None`` runs without a clock
        (see :class:`AutoClassifier`).
    metric : str or callable, default=None
        A scikit-learn scorer name; ``None`` is R².
    cv : int or cross-validation splitter, default=5
        Folds for every candidate (shuffled with ``random_state``).
    n_jobs : int, default=-1
        Parallel fits through joblib; -1 uses all cores.
    random_state : int, RandomState instance or None, default=None
        Seeds the splits, the search and every model.
    include, exclude : list of str, default=None
        Names of zoo models to use, or to leave out.
    ensemble : bool, default=True
        Weigh the 8 best candidates by ensemble selection on their out-of-fold
        predictions and refit them into a ``VotingRegressor``; ``False`` refits
        the best candidate alone.
    device : {"auto", "cpu", "cuda"}, default="auto"
        Where the neural nets of the zoo train.
    verbose : int, default=1
        0 is silent; 1 shows progress bars; 2 also logs every fold.
    max_trials : int or None, default=None
        The most candidate configurations to cross-validate (see
        :class:`AutoClassifier`).

    Attributes
    ----------
    leaderboard_ : pandas.DataFrame
        Every candidate tried, best first (see :class:`AutoClassifier`).
    best_estimator_ : Pipeline or VotingRegressor
        The best candidate, or the weighted ensemble, refit on all the data.
    ensemble_weights_ : dict
        ``{candidate: weight}`` of the final model.
    scoring_ : str or callable
        The metric used.
    task_ : str
        ``"regression"``.
    stop_reason_ : {None, "time_budget", "interrupted"}
        Why the search stopped early, if it did.
    fit_time_ : float
        Wall time of ``fit`` in seconds.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` was a DataFrame.

    Examples
    --------
    >>> from autodl import AutoRegressor, load_demo
    >>> X, y = load_demo("diabetes")
    >>> auto = AutoRegressor(time_budget=10, include=["ridge", "lasso"],
    ...                      random_state=0, verbose=0).fit(X, y)
    >>> auto.scoring_
    'r2'
    """

    def _check_target(self, y):
        return resolve_task(y, "regression")
