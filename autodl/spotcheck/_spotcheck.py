"""SpotCheck: every model x view on the same cross-validation splits, ranked."""

import logging
import threading
import time
import warnings
from itertools import islice

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, effective_n_jobs
from joblib.parallel import get_active_backend
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.metrics import check_scoring
from sklearn.model_selection import (
    KFold,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedKFold,
    check_cv,
)
from sklearn.pipeline import Pipeline as SklearnPipeline
from sklearn.utils import _safe_indexing, check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    check_is_fitted,
)

from autodl.pipeline import Pipeline
from autodl.spotcheck._zoo import default_models
from autodl.utils import (
    check_classification_y,
    resolve_task,
    score_output,
    validate_passthrough,
)
from autodl.utils._device import uses_gpu

logger = logging.getLogger(__name__)

DEFAULT_SCORING = {
    "binary": "roc_auc",
    "multiclass": "balanced_accuracy",
    "regression": "r2",
}


def default_views():
    """The default data views: raw, standardized, and power-transformed.

    Returns
    -------
    views : list of (name, transformer or "passthrough")
    """
    from autodl.preprocessing import PowerTransform, Rescaler

    return [
        ("raw", "passthrough"),
        ("standardized", Rescaler("standard")),
        ("power", Pipeline([("power", PowerTransform()), ("scale", Rescaler())])),
    ]


def _fit_and_score(pipeline, X, y, train, test, scorer, keep=False, classes=None):
    start = time.perf_counter()
    exception = output = None
    try:
        pipeline.fit(_safe_indexing(X, train), y[train])
        fit_time = time.perf_counter() - start
        X_test = _safe_indexing(X, test)
        error = None
        if keep and classes is None:
            output = pipeline.predict(X_test)
        elif keep and hasattr(pipeline, "predict_proba"):
            # columns for every class, also one a training fold did not have
            output = np.zeros((len(test), len(classes)))
            columns = np.searchsorted(classes, pipeline.classes_)
            output[:, columns] = pipeline.predict_proba(X_test)
        try:
            if output is None:
                score = scorer(pipeline, X_test, y[test])
            else:  # score what was kept: the test fold is predicted once, not twice
                score = score_output(scorer, output, y[test], classes)
        except ValueError as exc:
            if "contains NaN" not in str(exc) and "infinity" not in str(exc):
                raise
            raise ValueError(
                f"its predictions on a test fold hold NaN or infinity ({exc}); the "
                "model cannot handle these data (constant columns? extreme values?)"
            ) from exc
    except Exception as exc:  # reported in the leaderboard; the run goes on
        fit_time, score = time.perf_counter() - start, np.nan
        error, exception = f"{type(exc).__name__}: {exc}", exc
    return {
        "fit_time": fit_time,
        "score": float(score),
        "error": error,
        "exception": exception,
        "output": output,
        # a net that swallowed a Ctrl-C (skorch does) says so: the search stops
        "interrupted": _was_interrupted(pipeline),
    }


def _was_interrupted(estimator):
    """Whether a fitted pipeline's model stopped training on a KeyboardInterrupt."""
    while hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    return getattr(estimator, "interrupted_", False) is True


def _first_step(*steps):
    """The first estimator data meets in a chain of steps and (nested) pipelines."""
    for step in steps:
        if isinstance(step, SklearnPipeline):
            step = _first_step(*(est for _, est in step.steps))
        if step is not None and step != "passthrough":
            return step
    return None


def _best_has(attr):
    def check(self):
        check_is_fitted(self)
        return hasattr(self.best_estimator_, attr)

    return check


class SpotCheck(MetaEstimatorMixin, BaseEstimator):
    """Cross-validate many models on several views of the data and rank them.

    Every model is paired with every view (a preprocessing step such as
    standardisation) and each pair is scored on the same cross-validation splits,
    in parallel through joblib, so any joblib backend (a Dask or Ray cluster) can run
    it. The leaderboard reports the mean and spread over the folds; the best pair is
    refit on all the data and used by ``predict``.

    Parameters
    ----------
    models : "default" or list of (name, estimator), default="default"
        The candidates. ``"default"`` is :func:`default_models` for the task found in
        ``y``. Triples ``(name, estimator, space)`` (a ``ModelSpec``) are accepted too.
    views : "default" or list of (name, transformer), default="default"
        Preprocessing variants put in front of every model; ``"passthrough"`` or
        ``None`` is the raw data. ``"default"`` is raw, standardized
        (``Rescaler``) and power-transformed (``PowerTransform`` then ``Rescaler``).
        A view may be a sampler (``Resampler``): it then acts on training folds only.
    cv : int or cross-validation splitter, default=5
        Folds; an int gives stratified folds for classification, shuffled with
        ``random_state``.
    n_repeats : int, default=1
        Repeat the ``cv`` folds with different shuffles (an int ``cv`` only).
    scoring : str or callable, default=None
        Any scikit-learn scorer name. ``None`` uses ROC AUC for binary targets,
        balanced accuracy for multiclass and R² for regression.
    n_jobs : int, default=None
        Fits run in parallel through joblib; ``-1`` uses all cores. When they do,
        pipelines that would train on a CUDA GPU (a net whose ``device="auto"``
        finds one here) run one at a time in this process while the others fan
        out, so parallel workers never share one GPU.
    time_budget : float, default=None
        Seconds; once spent, no new fit starts and the pairs not fully evaluated are
        left out of the ranking (listed with ``status="not run"``).
    random_state : int, RandomState instance or None, default=None
        Seeds the splits and the models' own seeds.
    verbose : int, default=0
        0 is silent; 1 shows a progress bar; 2 also logs every fold.
    refit : bool, default=True
        Refit the best pair on all the data. With ``False`` only the leaderboard is
        made; ``best_estimator_`` is then the unfitted best pipeline and ``predict``
        is not available.
    keep_predictions : bool, default=False
        Keep every pair's out-of-fold predictions (probabilities for classifiers)
        in ``oof_predictions_``, e.g. to build an ensemble without refitting.
    task : {"auto", "classification", "regression"}, default="auto"
        The kind of target. ``"auto"`` infers it (:func:`autodl.utils.resolve_task`):
        two values or integer / string labels are classes, other numbers are
        regression.

    Attributes
    ----------
    leaderboard_ : pandas.DataFrame
        One row per model x view, best first: ``model``, ``view``, ``mean_score``,
        ``std_score``, ``fit_time`` (mean per fold, seconds), ``n_folds``,
        ``status`` (``"ok"``, ``"failed"`` or ``"not run"``), ``error`` and one
        ``split{i}_score`` column per fold. ``leaderboard_.attrs["scoring"]`` names
        the metric.
    best_estimator_ : Pipeline or None
        The best pipeline, ``[("view", view), ("model", model)]`` (a view that is
        a pipeline is laid out flat, as ``view_<step>`` steps), refit on all the
        data (when ``refit``). ``None`` when ``refit=False`` and the time budget
        ran out before any pair was scored on every fold.
    oof_predictions_ : dict
        ``{(model, view): array}`` of out-of-fold predictions, one row per training
        row (probabilities with a column per class in ``classes_`` for
        classifiers), for the pairs scored on every fold; only with
        ``keep_predictions=True``.
    best_index_ : int
        Row of the best pair in ``leaderboard_`` (always 0).
    scoring_ : str or callable
        The metric used.
    task_ : str
        ``"binary"``, ``"multiclass"`` or ``"regression"``.
    classes_ : ndarray
        Class labels (classification only).
    stop_reason_ : {None, "time_budget", "interrupted"}
        Why the run stopped before every pair was scored: the time budget ran out,
        or Ctrl-C (KeyboardInterrupt); ``None`` when everything ran.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` was a DataFrame.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from autodl.datasets import load_demo
    >>> from autodl.spotcheck import SpotCheck
    >>> X, y = load_demo()
    >>> spot = SpotCheck(
    ...     models=[("logistic", LogisticRegression(max_iter=1000)),
    ...             ("tree", DecisionTreeClassifier(random_state=0))],
    ...     views=[("raw", None)], cv=3, random_state=0).fit(X, y)
    >>> spot.leaderboard_[["model", "view"]].iloc[0].tolist()
    ['logistic', 'raw']
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # NaN is fine when the first step of every pipeline takes it
        tags.input_tags.allow_nan = self._first_steps_accept("allow_nan")
        return tags

    def _first_steps_accept(self, tag):
        """Whether the first step of every view x model pipeline has an input tag."""
        if isinstance(self.views, str):
            return False  # the default views take numbers without NaN
        views = [view for _, view in self._views()]
        if all(view != "passthrough" for view in views):  # they meet X first
            return all(
                getattr(get_tags(_first_step(view)).input_tags, tag) for view in views
            )
        if isinstance(self.models, str):
            return False  # the default zoo: not every model takes NaN or strings
        return all(
            getattr(get_tags(_first_step(view, model)).input_tags, tag)
            for _, model in self._models(None, None)
            for view in views
        )

    def __init__(
        self,
        models="default",
        views="default",
        cv=5,
        n_repeats=1,
        scoring=None,
        n_jobs=None,
        time_budget=None,
        random_state=None,
        verbose=0,
        refit=True,
        keep_predictions=False,
        task="auto",
    ):
        self.models = models
        self.views = views
        self.cv = cv
        self.n_repeats = n_repeats
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.time_budget = time_budget
        self.random_state = random_state
        self.verbose = verbose
        self.refit = refit
        self.keep_predictions = keep_predictions
        self.task = task

    # -- configuration -------------------------------------------------------
    def _models(self, n_samples, seed):
        if isinstance(self.models, str):
            if self.models != "default":
                raise ValueError(
                    f"models={self.models!r} is not supported; use 'default' or a "
                    "list of (name, estimator) pairs."
                )
            return [
                (s.name, s.estimator)
                for s in default_models(
                    self.task_, n_samples=n_samples, random_state=seed
                )
            ]
        if isinstance(self.models, dict):
            return list(self.models.items())
        return [(item[0], item[1]) for item in self.models]

    def _views(self):
        if isinstance(self.views, str):
            if self.views != "default":
                raise ValueError(
                    f"views={self.views!r} is not supported; use 'default' or a list "
                    "of (name, transformer) pairs."
                )
            return default_views()
        items = self.views.items() if isinstance(self.views, dict) else self.views
        return [(name, "passthrough" if view is None else view) for name, view in items]

    def _splits(self, X, y, seed):
        classification = self.task_ != "regression"
        if isinstance(self.cv, int | np.integer):
            if self.n_repeats > 1:
                cls = RepeatedStratifiedKFold if classification else RepeatedKFold
                splitter = cls(
                    n_splits=self.cv, n_repeats=self.n_repeats, random_state=seed
                )
            else:
                cls = StratifiedKFold if classification else KFold
                splitter = cls(self.cv, shuffle=True, random_state=seed)
        else:
            if self.n_repeats != 1:
                raise ValueError(
                    "n_repeats applies to an integer cv only; pass a repeated splitter "
                    "(e.g. RepeatedStratifiedKFold) as cv instead."
                )
            splitter = check_cv(self.cv, y, classifier=classification)
        return list(splitter.split(X, y))

    # -- fitting -------------------------------------------------------------
    def fit(self, X, y):
        """Score every model x view on the same folds, then refit the best.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features (put ``TabularPreprocessor`` in a view, or use
            ``AutoClassifier``, for strings and missing values).
        y : array-like of shape (n_samples,)
            Target (see ``task``).

        Returns
        -------
        self : SpotCheck
        """
        X, y = self._validate(X, y, reset=True)
        if isinstance(self.cv, int | np.integer) and X.shape[0] < self.cv:
            raise ValueError(
                f"Cross-validation needs at least cv={self.cv} rows, got "
                f"n_samples={X.shape[0]}; pass more data or a smaller cv."
            )
        self.task_ = resolve_task(y, self.task)
        if self.task_ != "regression":
            check_classification_y(y)
            self.classes_ = np.unique(y)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        self.scoring_ = self.scoring or DEFAULT_SCORING[self.task_]
        models, views = self._models(X.shape[0], seed), self._views()
        splits = self._splits(X, y, seed)
        pairs = [(m, v) for m in models for v in views]
        scorer = check_scoring(scoring=self.scoring_)
        results = self._run(X, y, pairs, splits, scorer)
        self.leaderboard_ = self._leaderboard(pairs, splits, results)
        if self.keep_predictions:
            self.oof_predictions_ = self._out_of_fold(pairs, splits, results, len(y))
        self.best_index_ = 0
        best = self.leaderboard_.iloc[0]
        if best["status"] != "ok":
            if (self.leaderboard_["status"] == "failed").all():
                key, first = next(
                    (key, r["exception"])
                    for key, r in sorted(results.items())
                    if r["exception"]
                )
                (name, _), (view, _) = pairs[key[0]]
                if type(first) in (ValueError, TypeError):
                    # say it in the message itself (a one-line error shows no notes)
                    raise type(first)(
                        f"{first} (SpotCheck: no model could be scored on every "
                        f"fold; this is the first error, of {name} on view "
                        f"{view!r}; the others are in leaderboard_.)"
                    ) from first
                first.add_note(
                    "SpotCheck: no model could be scored on every fold; the first "
                    f"error ({name} on view {view!r}) is above, the rest are in "
                    "leaderboard_."
                )
                raise first
            if self.refit and self.stop_reason_ == "interrupted":
                raise KeyboardInterrupt(
                    "SpotCheck was interrupted before any pair was scored on every "
                    "fold: there is no model to keep (leaderboard_ lists the fits)."
                )
            if self.refit:
                raise ValueError(
                    "No model could be scored on every fold within "
                    f"time_budget={self.time_budget}s; raise the budget."
                )
            self.best_estimator_ = None  # the leaderboard says what did run
            return self
        model = dict(models)[best["model"]]
        view = dict(views)[best["view"]]
        self.best_estimator_ = self._pipeline(view, model)
        if self.refit:
            self.best_estimator_.fit(X, y)
        return self

    @staticmethod
    def _pipeline(view, model):
        if isinstance(view, SklearnPipeline):
            # imbalanced-learn refuses a pipeline as an intermediate step: a view
            # that is a chain of steps (the default "power" view) is laid out flat
            steps = [(f"view_{name}", clone(step)) for name, step in view.steps]
        else:
            steps = [("view", clone(view) if view != "passthrough" else view)]
        return Pipeline([*steps, ("model", clone(model))])

    def _run(self, X, y, pairs, splits, scorer):
        tasks = [(p, s) for p in range(len(pairs)) for s in range(len(splits))]
        deadline = (
            None
            if self.time_budget is None
            else (time.perf_counter() + float(self.time_budget))
        )
        results = {}
        self.stop_reason_ = None
        progress = None
        if self.verbose:
            from tqdm.auto import tqdm

            progress = tqdm(total=len(tasks), desc="SpotCheck", unit="fit")

        def arguments(key):
            (_, model), (_, view) = pairs[key[0]]
            return (
                self._pipeline(view, model),
                X,
                y,
                *splits[key[1]],
                scorer,
                self.keep_predictions,
                getattr(self, "classes_", None),
            )

        def record(key, result):
            results[key] = result
            if progress is not None:
                progress.update()
            if self.verbose > 1:
                (name, _), (view, _) = pairs[key[0]]
                logger.info(
                    "%s on %s, fold %d: %.4f", name, view, key[1], result["score"]
                )

        # GPU policy: fits that train on a GPU never run in parallel workers (they
        # would all pick the same device); they run one at a time in this process,
        # in a thread, while the other fits fan out through joblib.
        local = self._gpu_pairs(pairs) if effective_n_jobs(self.n_jobs) > 1 else set()
        fanned = [key for key in tasks if key[0] not in local]
        stop = threading.Event()
        lock = threading.Lock()
        thread = None
        if local:
            logger.info(
                "%d model(s) train on the GPU: their fits run one at a time in this "
                "process while the others run in parallel",
                len(local),
            )
            thread = threading.Thread(
                target=_fit_locally,
                args=(
                    [key for key in tasks if key[0] in local],
                    arguments,
                    record,
                    lock,
                    stop,
                    deadline,
                ),
                name="autodl-gpu-fits",
                daemon=True,
            )
            thread.start()
        jobs = None

        def cancel():
            if jobs is not None:
                with warnings.catch_warnings():  # joblib says it cancels: we know
                    warnings.filterwarnings("ignore", message=".*have been cancelled")
                    jobs.close()  # cancels fits not started yet

        try:
            if fanned:
                jobs = _unordered(
                    self.n_jobs,
                    (
                        delayed(_tagged)(key, _fit_and_score, *arguments(key))
                        for key in fanned
                    ),
                )
                for key, result in jobs:
                    if result["interrupted"]:  # Ctrl-C inside a net's training
                        raise KeyboardInterrupt
                    with lock:
                        record(key, result)
                    if deadline is not None and time.perf_counter() > deadline:
                        break
                cancel()
            if thread is not None:
                thread.join()
        except KeyboardInterrupt:
            self.stop_reason_ = "interrupted"
            warnings.warn(
                f"SpotCheck interrupted after {len(results)} of {len(tasks)} fits; "
                "the leaderboard ranks the pairs scored on every fold so far.",
                stacklevel=2,
            )
        finally:
            stop.set()  # the GPU thread starts no new fit; the one running finishes
            cancel()
            if thread is not None:
                thread.join()
            if progress is not None:
                progress.close()
        if self.stop_reason_ is None and len(results) < len(tasks):
            self.stop_reason_ = "time_budget"
        return dict(results)

    def _gpu_pairs(self, pairs):
        """Indices of the pairs whose pipeline would train on a CUDA GPU."""
        return {
            p
            for p, ((_, model), (_, view)) in enumerate(pairs)
            if uses_gpu(model) or uses_gpu(view)
        }

    @staticmethod
    def _out_of_fold(pairs, splits, results, n_samples):
        kept = {}
        for p, ((name, _), (view, _)) in enumerate(pairs):
            folds = [results.get((p, s)) for s in range(len(splits))]
            if any(f is None or f["output"] is None for f in folds):
                continue
            first = folds[0]["output"]
            out = np.full((n_samples, *first.shape[1:]), np.nan)
            count = np.zeros(n_samples)
            for (_, test), fold in zip(splits, folds, strict=True):
                out[test] = np.nan_to_num(out[test]) + fold["output"]
                count[test] += 1
            # repeated folds predict each row several times: average them
            kept[(name, view)] = out / count.reshape(-1, *[1] * (out.ndim - 1))
        return kept

    def _leaderboard(self, pairs, splits, results):
        rows = []
        for p, ((name, _), (view, _)) in enumerate(pairs):
            folds = [results.get((p, s)) for s in range(len(splits))]
            done = [f for f in folds if f is not None]
            errors = [f["error"] for f in done if f["error"]]
            scores = [np.nan if f is None else f["score"] for f in folds]
            if errors:
                status = "failed"
            elif len(done) < len(folds):
                status = "not run"
            else:
                status = "ok"
            ok = status == "ok"
            rows.append(
                {
                    "model": name,
                    "view": view,
                    "mean_score": float(np.mean(scores)) if ok else np.nan,
                    "std_score": float(np.std(scores)) if ok else np.nan,
                    "fit_time": float(np.mean([f["fit_time"] for f in done]))
                    if done
                    else np.nan,
                    "n_folds": len(done),
                    "status": status,
                    "error": errors[0] if errors else None,
                    **{f"split{s}_score": score for s, score in enumerate(scores)},
                }
            )
        board = pd.DataFrame(rows)
        board["_order"] = board["status"].map({"ok": 0, "failed": 1, "not run": 2})
        board = (
            board.sort_values(
                ["_order", "mean_score"], ascending=[True, False], kind="stable"
            )
            .drop(columns="_order")
            .reset_index(drop=True)
        )
        board.attrs["scoring"] = (
            self.scoring_
            if isinstance(self.scoring_, str)
            else getattr(self.scoring_, "__name__", repr(self.scoring_))
        )
        return board

    # -- delegation ----------------------------------------------------------
    def _validate(self, X, y="no_validation", reset=False):
        return validate_passthrough(
            self,
            X,
            y,
            reset=reset,
            allow_nan=self._first_steps_accept("allow_nan"),
            allow_strings=self._first_steps_accept("string"),
        )

    def _checked(self, X):
        check_is_fitted(self)
        return self._validate(X)

    def predict(self, X):
        """Predict with the best pipeline, refit on all the data."""
        X = self._checked(X)
        return self.best_estimator_.predict(X)

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the best pipeline."""
        X = self._checked(X)
        return self.best_estimator_.predict_proba(X)

    @available_if(_best_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the best pipeline."""
        X = self._checked(X)
        return self.best_estimator_.decision_function(X)

    def score(self, X, y):
        """The ``scoring_`` metric of the best pipeline on ``(X, y)``."""
        check_is_fitted(self)
        scorer = check_scoring(self.best_estimator_, scoring=self.scoring_)
        return scorer(self.best_estimator_, self._checked(X), y)


def _tagged(key, func, *args):
    return key, func(*args)


def _unordered(n_jobs, tasks, prefer=None):
    """Results of ``tasks`` as they finish, through the active joblib backend.

    ``Parallel(return_as="generator_unordered")`` where the backend supports it
    (loky, Dask). Backends without generators (Ray's) get the tasks in chunks of
    twice their workers, so the time budget and Ctrl-C are still checked between
    chunks.
    """
    backend = get_active_backend()[0]
    if getattr(backend, "supports_return_generator", True):
        return Parallel(
            n_jobs=n_jobs, return_as="generator_unordered", prefer=prefer
        )(tasks)
    return _in_chunks(n_jobs, iter(tasks), prefer)


def _in_chunks(n_jobs, tasks, prefer=None):
    size = 2 * max(effective_n_jobs(n_jobs), 1)
    with Parallel(n_jobs=n_jobs, prefer=prefer) as parallel:
        while chunk := list(islice(tasks, size)):
            yield from parallel(chunk)


def _fit_locally(keys, arguments, record, lock, stop, deadline):
    """Fit and score ``keys`` one after the other, in this process (GPU fits)."""
    for key in keys:
        if stop.is_set() or (deadline is not None and time.perf_counter() > deadline):
            return
        result = _fit_and_score(*arguments(key))
        with lock:
            record(key, result)
