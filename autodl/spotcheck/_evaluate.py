"""One evaluator for every search strategy: folds, racing, scores and predictions.

A strategy hands :meth:`Evaluator.evaluate` an iterable of candidates (consumed
lazily, so it can look at what was scored so far before proposing the next) and a
:class:`~autodl.utils.Budget`. The evaluator owns the cross-validation, the scoring,
the out-of-fold predictions and the bookkeeping; the results are rows of a table,
one per candidate, never ids parsed back from strings.
"""

import contextlib
import itertools
import logging
import math
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, effective_n_jobs
from joblib.parallel import get_active_backend
from scipy import stats
from sklearn.base import clone
from sklearn.utils import _safe_indexing

from autodl.spotcheck._zoo import (
    final_step,
    trained_rounds,
    with_rounds,
)
from autodl.utils import (
    balance_probabilities,
    class_prior,
    fit_deadline,
    fit_weighted,
    ranks_rows,
    score_output,
    score_weighted,
    take_rows,
)
from autodl.utils._device import uses_gpu
from autodl.utils._scoring import FOLD_WITHOUT_CLASS

logger = logging.getLogger(__name__)

# Racing: a candidate's remaining folds are skipped when, on the folds it shares
# with the best so far, the one-sided paired t-test says it trails at this level
# (and by at least _RACE_MIN_GAP); with one fold done, when it trails by more
# than _RACE_ONE_FOLD_GAP.
_RACE_LEVEL = 0.975
_RACE_MIN_GAP = 0.005
_RACE_ONE_FOLD_GAP = 0.05
_LOKY_RESTART = "A worker stopped while some jobs were given to the executor"


@dataclass
class Candidate:
    """A configuration to evaluate: a family's pipeline with some parameters."""

    config_id: int
    family: str
    params: dict
    pipeline: object
    source: str
    view: str | None = None  # a SpotCheck pair's view
    # fit time relative to the zoo's default LightGBM's, measured offline: what
    # the search estimates its seconds from before it ran
    cost: float = 1.0
    # its fits hold the GIL (ModelSpec.holds_gil): on threads, one at a time
    holds_gil: bool = False

    @property
    def label(self):
        return self.family if not self.params else f"{self.family}_{self.config_id}"


@dataclass
class _Result:
    candidate: Candidate
    scores: dict = field(default_factory=dict)  # fold -> score
    outputs: dict = field(default_factory=dict)  # fold -> predictions on its rows
    fit_times: dict = field(default_factory=dict)
    error: str | None = None
    exception: BaseException | None = None
    pruned: bool = False
    model: object = None  # fitted on the first fold: a usable model at any moment
    rounds: dict = field(default_factory=dict)  # fold -> rounds early stopping kept
    score_cache: tuple = (None, None)  # ((folds scored, folds counted), score)
    # folds it is validated on when more than the evaluator's (a finalist's
    # further repetitions, :meth:`Evaluator.evaluate` with ``folds``), and the
    # folds it is getting meanwhile
    folds: int = 0
    deepening: int = 0

    @property
    def fold_seconds(self):
        """Mean seconds of its folds so far (0 before one ended)."""
        times = self.fit_times.values()
        return sum(times) / len(times) if times else 0.0


class Evaluator:
    """Scores candidates on shared folds, in parallel through joblib.

    Parameters
    ----------
    X, y : the search rows and target (class indices for classification).
    splits : list of (train, test)
        All the folds a candidate may be scored on; ``folds`` (set by the search)
        says how many of them count.
    scorer : scikit-learn scorer
    classes : ndarray or None
        Class indices for classification (columns of the probabilities).
    n_jobs : int or None
        Parallel fits through the active joblib backend.
    prefer : {"processes", "threads"} or None
        joblib's soft hint for its default backend.
    verbose : int
        2 logs every fold.
    sample_weight : ndarray of shape (n_samples,) or None
        Row weights: every candidate fits with them (the steps that accept them
        too), and the validation scores weigh the rows by them.
    balance : bool, default=False
        Classification: keep and score each fold's probabilities balanced by the
        class shares of its training rows (``autodl.utils.balance_probabilities``),
        the decision that maximises balanced accuracy.

    GPU policy: when fits run in parallel, a candidate that would train on a CUDA
    GPU runs in this process, one at a time, after the others (worker processes
    never share one GPU).
    """

    def __init__(
        self,
        X,
        y,
        splits,
        scorer,
        classes,
        n_jobs,
        prefer=None,
        verbose=0,
        sample_weight=None,
        balance=False,
    ):
        self.X, self.y, self.splits = X, y, splits
        self.sample_weight = sample_weight
        self.balance = balance
        self.scorer, self.classes = scorer, classes
        self.by_fold = ranks_rows(scorer)  # see fold_outputs
        self.n_jobs, self.prefer = n_jobs, prefer
        self.verbose = verbose
        self.progress = None  # a tqdm bar updated per fold, if set
        self.folds = len(splits)
        self.results = {}
        self.interrupted = False
        self.family_time = {}  # family -> mean seconds of one fold (fit + predict)
        self.holdout_only = set()  # config ids left on the holdout by :meth:`promote`
        self.warned = set()  # (category, message) of the fits' warnings shown

    # -- evaluating ------------------------------------------------------------
    def evaluate(
        self, candidates, budget, race=True, deadline_exempt=False, folds=None
    ):
        """Score ``candidates`` on the first ``self.folds`` folds within ``budget``.

        A candidate already scored on some folds gets the others. Returns the
        config ids evaluated on every fold (or stopped by racing). With
        ``deadline_exempt`` the work runs whatever the clock says (the first
        validated model of a search). Racing only runs under a clock: without
        one, which folds finish first must not change the search.

        ``folds`` more than ``self.folds`` validates these candidates on that many
        (the search's finalists on further repetitions): from then on their
        scores and predictions pool them all. One that does not finish them
        (the clock, an error on a new fold) keeps its earlier validation.
        """
        race = race and budget.timed
        if self.interrupted:
            return []
        if folds is not None and folds > self.folds:
            return self._deepen(list(candidates), budget, folds)
        local = []
        if self.workers() > 1:
            candidates = self._without_gpu(candidates, local)
        done = self._evaluate(candidates, budget, race, deadline_exempt)
        if local and not self.interrupted:
            n_jobs, self.n_jobs = self.n_jobs, 1
            try:
                done += self._evaluate(local, budget, race, deadline_exempt)
            finally:
                self.n_jobs = n_jobs
        return done

    def _deepen(self, candidates, budget, folds):
        """The new folds of scored candidates, never raced: a finalist is not
        pruned on folds the others never had. Until it has them all, a candidate
        keeps its earlier validation (the search's refit reserve and best so far
        count it meanwhile); one that does not get them all is left as it was."""
        for cand in candidates:
            self.results[cand.config_id].deepening = folds  # scored already
        try:
            self.evaluate(candidates, budget, race=False)
        finally:
            done = []
            for cand in candidates:
                result = self.results[cand.config_id]
                result.deepening = 0
                if all(f in result.scores for f in range(folds)):
                    result.folds = folds
                    done.append(cand.config_id)
                kept = self.folds_of(result)
                for by_fold in (result.scores, result.outputs, result.rounds):
                    for fold in [f for f in by_fold if f >= kept]:
                        del by_fold[fold]
        return done

    @staticmethod
    def _without_gpu(candidates, local):
        for cand in candidates:
            if uses_gpu(cand.pipeline):
                local.append(cand)
            else:
                yield cand

    def _evaluate(self, candidates, budget, race, deadline_exempt):
        started = []

        def tasks():
            for cand in candidates:
                if self.interrupted or (budget.left() <= 0 and not deadline_exempt):
                    return
                new = cand.config_id not in self.results
                if new and budget.trials_left() <= 0:
                    return
                result = self.results.setdefault(cand.config_id, _Result(cand))
                if result.error is not None or result.pruned:
                    continue
                if new:
                    budget.take_trial()
                started.append(cand.config_id)
                for fold in range(max(self.folds_of(result), result.deepening)):
                    if fold in result.scores:
                        continue
                    if (
                        result.pruned
                        or (fold >= self.folds_of(result) and not result.deepening)
                        or not (deadline_exempt or self._ends(result, budget))
                    ):
                        break
                    train, test = self.splits[fold]
                    # a boosted tree or a forest stops adding trees at the
                    # deadline (the time.time() of it: the clock of every worker)
                    deadline = time.time() + budget.left() if budget.timed else None
                    # a fold waits for a free worker: one that would not end by
                    # the deadline when a worker takes it is not started
                    start_by = (
                        None
                        if deadline is None or deadline_exempt
                        else deadline - self._fold_seconds(result)
                    )
                    yield delayed(_tagged)(
                        (cand.config_id, fold),
                        clone(cand.pipeline),
                        self.X,
                        self.y,
                        train,
                        test,
                        self.scorer,
                        self.classes,
                        fold == 0,
                        self.sample_weight,
                        self.balance,
                        deadline,
                        cand.holds_gil,
                        start_by,
                    )

        jobs = None
        try:
            with warnings.catch_warnings():
                # loky restarts a worker whose memory grew past its leak heuristic
                # and says so; the fits it held are resubmitted, nothing is lost
                warnings.filterwarnings("ignore", message=_LOKY_RESTART)
                # fits on threads share this process's filters
                warnings.filterwarnings("ignore", message=FOLD_WITHOUT_CLASS)
                jobs = _unordered(self.n_jobs, tasks(), prefer=self.prefer)
                for (config_id, fold), out in jobs:
                    if out is None:  # its time had passed when a worker was free
                        continue
                    if out["interrupted"]:  # Ctrl-C inside a net's training
                        raise KeyboardInterrupt
                    self._record(config_id, fold, out, race)
        except KeyboardInterrupt:
            self.interrupted = True
            logger.warning("search interrupted; keeping what finished")
        finally:
            if jobs is not None and hasattr(jobs, "close"):
                jobs.close()
        return [c for c in started if self.complete(c) or self.results[c].pruned]

    def _ends(self, result, budget):
        """Whether another fold of ``result`` would end before the deadline: the
        time left covers its slowest fold so far (its family's mean before one
        ended). A fold cannot be stopped once it runs."""
        left = budget.left()
        return left > 0 and self._fold_seconds(result) <= left

    def _fold_seconds(self, result):
        """The seconds a further fold of ``result`` is expected to take: its
        slowest fold so far, else its family's mean (0 before either)."""
        times = list(result.fit_times.values())
        if times:
            return max(times)
        return self.family_time.get(result.candidate.family, 0.0)

    def _record(self, config_id, fold, out, race):
        reemit_warnings(out.get("warnings", ()), self.warned)
        result = self.results[config_id]
        result.fit_times[fold] = out["fit_time"]
        if self.progress is not None:
            self.progress.update()
        if self.verbose > 1:
            cand = result.candidate
            logger.info(
                "%s%s, fold %d: %.4f",
                cand.label,
                "" if cand.view is None else f" on {cand.view}",
                fold,
                out["score"],
            )
        if out["error"] is not None and fold >= self.folds_of(result):
            result.deepening = 0  # a further fold failed: its validation stands
            return
        if out["error"] is not None:
            result.error = result.error or out["error"]
            result.exception = result.exception or out["exception"]
            return
        result.scores[fold] = out["score"]
        result.outputs[fold] = out["output"]
        result.rounds[fold] = out["rounds"]
        if result.pruned and len(result.scores) == self.folds_of(result):
            result.pruned = False  # its last folds were already running: complete
        if out["model"] is not None:
            result.model = out["model"]
        self._drop_models()
        family = result.candidate.family
        times = [t for r in self._family(family) for t in r.fit_times.values()]
        self.family_time[family] = float(np.mean(times))
        if race and not result.pruned and self._trails(result):
            result.pruned = True
            logger.info(
                "%s stopped after %d of %d folds: clearly below the best",
                result.candidate.label,
                len(result.scores),
                self.folds,
            )

    def _drop_models(self):
        """Keep the fold-0 models of the best and of incomplete candidates only."""
        best = self.best()
        for result in self.snapshot():
            done = self.complete(result.candidate.config_id) or result.pruned
            if result.model is not None and done and result is not best:
                result.model = None

    def _family(self, family):
        return [r for r in self.snapshot() if r.candidate.family == family]

    def _trails(self, result):
        """Whether ``result`` is clearly worse than the best on their shared folds."""
        if len(result.scores) >= self.folds_of(result):
            return False
        best = self.best()
        if best is None or best is result:
            return False
        shared = sorted(set(result.scores) & set(best.scores))
        if not shared:
            return False
        diff = np.array([best.scores[f] - result.scores[f] for f in shared])
        if len(shared) == 1:
            return diff[0] > _RACE_ONE_FOLD_GAP
        gap = diff.mean()
        spread = diff.std(ddof=1) / math.sqrt(len(diff))
        # Student's t, not the normal's 2: from a handful of folds the spread is
        # itself a guess (with 2 folds, z = 2 prunes an equal one up to 1 in 7)
        quantile = stats.t.ppf(_RACE_LEVEL, df=len(diff) - 1)
        return gap > max(_RACE_MIN_GAP, quantile * spread)

    def promote(self, folds):
        """Count ``folds`` folds from now on: a holdout search whose finalists
        were validated on the rest of the k-fold round becomes a k-fold one.

        Only those finalists stay complete; the candidates scored on the holdout
        alone are listed as ``"holdout only"`` and leave the ranking, the best and
        the ensemble's pool (a holdout score and a k-fold one are not comparable).
        """
        self.holdout_only = {
            r.candidate.config_id
            for r in self.snapshot()
            if self.complete(r.candidate.config_id) and self.folds_of(r) < folds
        }
        self.folds = folds

    # -- reading ---------------------------------------------------------------
    def snapshot(self):
        """The results so far, as a list.

        joblib hands out fits from its own thread, which adds candidates while
        this one reads: iterate over a copy (made in one step under the GIL).
        """
        return list(self.results.values())

    def folds_of(self, result):
        """The folds ``result`` is validated on: the evaluator's, or more."""
        return max(self.folds, result.folds)

    def complete(self, config_id):
        result = self.results.get(config_id)
        return (
            result is not None
            and result.error is None
            and not result.pruned
            and all(f in result.scores for f in range(self.folds_of(result)))
        )

    def refit_pipeline(self, config_id):
        """An unfitted clone of a candidate's pipeline, for its refit on all rows.

        An early-stopped boosted model trains the mean of the rounds its folds
        kept, holding nothing out (:func:`~autodl.spotcheck._zoo.with_rounds`).
        """
        result = self.results[config_id]
        rounds = [result.rounds.get(f) for f in range(self.folds_of(result))]
        return with_rounds(clone(result.candidate.pipeline), rounds)

    def counted_folds(self, result):
        """The folds ``result``'s score counts: all it is validated on in a k-fold
        search (further repetitions too), the first alone in a holdout one (its
        further folds of the k-fold round do not make it comparable)."""
        return range(self.folds_of(result) if self.folds > 1 else 1)

    def output(self, config_id):
        """Validation predictions, one row per search row (NaN where not predicted).

        ``None`` for a classifier without probabilities (an SVM).
        """
        result = self.results[config_id]
        folds = range(self.folds_of(result))
        if any(result.outputs[f] is None for f in folds):
            return None
        first = result.outputs[0]
        out = np.zeros((len(self.y), *first.shape[1:]))
        count = np.zeros(len(self.y))
        for fold in folds:
            test = self.splits[fold][1]
            out[test] += result.outputs[fold]
            count[test] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            out = out / count.reshape(-1, *[1] * (out.ndim - 1))
        return out  # repeated folds are averaged; rows never predicted are NaN

    def score(self, config_id):
        """The validation score the leaderboard ranks by and ensemble selection
        maximises. For a metric that ranks rows (:func:`~autodl.utils.ranks_rows`,
        ROC AUC) the mean of the folds' scores, each fold's model scored on its
        own rows as ``cross_val_score`` does; for others the score of the pooled
        predictions (of a row predicted by several repetitions, their mean)."""
        result = self.results[config_id]
        output = None if self.by_fold else self.output(config_id)
        if output is None:  # a rank metric, or no probabilities
            folds = self.counted_folds(result)
            return float(np.mean([result.scores[f] for f in folds]))
        rows = self._pooled_rows()
        weight = take_rows(self.sample_weight, rows)
        return float(
            score_output(self.scorer, output[rows], self.y[rows], self.classes, weight)
        )

    def _pooled_rows(self):
        """The rows the counted folds predict (all rows for a full k-fold)."""
        return np.unique(np.concatenate([self.splits[f][1] for f in range(self.folds)]))

    def fold_outputs(self, config_ids):
        """The candidates' validation predictions as ensemble selection scores
        them, the way :meth:`score` does: ``(outputs, rows, folds)``, an array per
        candidate (``None`` without probabilities) with the row of ``y`` each of
        its rows predicts, and ``folds``, each fold's positions in the arrays.

        For a metric that ranks rows, the counted folds all the candidates have,
        stacked fold after fold (a row repeats once per repetition of the folds);
        otherwise the pooled predictions on the rows the counted folds predict
        (:meth:`output`) and ``folds`` None.
        """
        if not self.by_fold:
            rows = self._pooled_rows()
            pooled = [self.output(c) for c in config_ids]
            return [None if o is None else o[rows] for o in pooled], rows, None
        counted = min(
            (self.counted_folds(self.results[c]) for c in config_ids), key=len
        )
        tests = [self.splits[f][1] for f in counted]
        outputs = []
        for c in config_ids:
            by_fold = [self.results[c].outputs[f] for f in counted]
            none = any(out is None for out in by_fold)
            outputs.append(None if none else np.concatenate(by_fold))
        starts = np.cumsum([0, *map(len, tests)])
        folds = [np.arange(a, b) for a, b in itertools.pairwise(starts)]
        return outputs, np.concatenate(tests), folds

    def ranked(self):
        """The complete results, best validation score first (of equal
        ones, the earlier candidate)."""
        done = [r for r in self.snapshot() if self.complete(r.candidate.config_id)]
        return sorted(
            done,
            key=lambda r: (self.score_of(r), -r.candidate.config_id),
            reverse=True,
        )

    def best(self):
        """The complete result with the best validation score, or None."""
        ranked = self.ranked()
        return ranked[0] if ranked else None

    def score_of(self, result):
        """:meth:`score` of a result, cached until it gets more folds."""
        key = (len(result.scores), self.folds_of(result))
        if result.score_cache[0] != key:
            result.score_cache = (key, self.score(result.candidate.config_id))
        return result.score_cache[1]

    def workers(self, holds_gil=False):
        """Fits running at once: one for those holding the GIL on threads."""
        if holds_gil and self.prefer == "threads":
            return 1
        return max(effective_n_jobs(self.n_jobs), 1)

    def table(self, validation_name):
        """The leaderboard: a row per candidate, best score first.

        ``validation_name(folds)`` names the validation of that many folds."""
        rows = []
        for result in self.snapshot():
            cand = result.candidate
            ok = self.complete(cand.config_id)
            folds = self.folds_of(result)
            scores = [result.scores.get(f, np.nan) for f in range(folds)]
            validation = validation_name(len(self.counted_folds(result)))
            if result.error is not None:
                status = "failed"
            elif result.pruned:
                status = "pruned"
                validation = f"raced: {len(result.scores)} of {folds} folds"
            elif ok:
                status = "ok"
            elif cand.config_id in self.holdout_only:
                status = "holdout only"  # ranked on its holdout score alone
                validation = validation_name(1)
            else:
                status = "not run"
            done = [s for s in scores if not np.isnan(s)]
            rows.append(
                {
                    "model": cand.label,
                    "family": cand.family,
                    "config_id": cand.config_id,
                    "source": cand.source,
                    "validation": validation,
                    "score": self.score_of(result) if ok else np.nan,
                    "mean_score": float(np.mean(done)) if done else np.nan,
                    "std_score": float(np.std(done)) if done else np.nan,
                    "fit_time": float(np.mean(list(result.fit_times.values())))
                    if result.fit_times
                    else np.nan,
                    "n_folds": len(result.scores),
                    "status": status,
                    "error": result.error,
                    "params": cand.params,
                    **{f"split{f}_score": s for f, s in enumerate(scores)},
                }
            )
        board = pd.DataFrame(rows)
        if board.empty:
            return board
        order = board["status"].map(
            {"ok": 0, "holdout only": 1, "pruned": 2, "failed": 3, "not run": 4}
        )
        board = (
            board.assign(_order=order)
            .sort_values(
                ["_order", "score", "mean_score"],
                ascending=[True, False, False],
                kind="stable",
                na_position="last",
            )
            .drop(columns="_order")
            .reset_index(drop=True)
        )
        return board


# One fit at a time among those that hold the GIL (Candidate.holds_gil), when
# fits run on threads of this process.
_GIL_FITS = threading.Lock()


def _tagged(
    key,
    pipeline,
    X,
    y,
    train,
    test,
    scorer,
    classes,
    keep_model,
    weight,
    balance,
    deadline=None,
    holds_gil=False,
    start_by=None,
):
    """A fold's fit and score under its key; ``None`` for the output when the
    fold was handed to a worker after ``start_by`` (a ``time.time()``)."""
    # a fit holding the GIL waits for another one on this process's threads: side
    # by side they would both run slower than in turn (its time starts after)
    in_thread = threading.current_thread() is not threading.main_thread()
    turn = _GIL_FITS if holds_gil and in_thread else contextlib.nullcontext()
    with turn, fit_deadline(deadline):
        if start_by is not None and time.time() > start_by:
            return key, None
        out = _fit_and_score(
            pipeline, X, y, train, test, scorer, True, classes, weight, balance
        )
    out["model"] = pipeline if keep_model and out["error"] is None else None
    return key, out


def _fit_and_score(
    pipeline,
    X,
    y,
    train,
    test,
    scorer,
    keep=False,
    classes=None,
    weight=None,
    balance=False,
):
    # warnings are recorded here (a worker process would print them to its own
    # stderr, once per fit) and raised again in the calling process, once each.
    # Not in a thread: catch_warnings swaps process-wide state.
    if threading.current_thread() is not threading.main_thread():
        return _fit_and_score_quiet(
            pipeline, X, y, train, test, scorer, keep, classes, weight, balance
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = _fit_and_score_quiet(
            pipeline, X, y, train, test, scorer, keep, classes, weight, balance
        )
    out["warnings"] = [
        (w.category, str(w.message), w.filename, w.lineno) for w in caught
    ]
    return out


def _module_name(filename):
    """The dotted module of a source file, for the ``module`` of warning filters."""
    parts = Path(filename).with_suffix("").parts
    for i, part in enumerate(parts):
        package = sys.modules.get(part)
        paths = getattr(package, "__path__", None)
        if paths and Path(filename).is_relative_to(next(iter(paths))):
            return ".".join(parts[i:])
    return None


def reemit_warnings(caught, seen):
    """Raise again, in this process, the warnings a fit recorded; once each."""
    for category, message, filename, lineno in caught:
        key = (category, message)
        if key in seen:
            continue
        seen.add(key)
        warnings.warn_explicit(
            message, category, filename, lineno, module=_module_name(filename)
        )


def _fit_and_score_quiet(
    pipeline, X, y, train, test, scorer, keep, classes, weight, balance=False
):
    start = time.perf_counter()
    exception = output = rounds = None
    test_weight = take_rows(weight, test)
    try:
        fit_weighted(
            pipeline, _safe_indexing(X, train), y[train], take_rows(weight, train)
        )
        fit_time = time.perf_counter() - start
        rounds = trained_rounds(final_step(pipeline)[1])
        X_test = _safe_indexing(X, test)
        error = None
        if keep and classes is None:
            output = pipeline.predict(X_test)
        elif keep and hasattr(pipeline, "predict_proba"):
            # columns for every class, also one a training fold did not have
            output = np.zeros((len(test), len(classes)))
            columns = np.searchsorted(classes, pipeline.classes_)
            output[:, columns] = pipeline.predict_proba(X_test)
            if balance:  # by the training rows' class shares only
                prior = class_prior(y[train], classes, take_rows(weight, train))
                output = balance_probabilities(output, prior)
        if output is not None and not np.isfinite(output).all():
            raise ValueError(
                "its predictions on a test fold hold NaN or infinity; the model "
                "cannot handle these data (constant columns? extreme values?)"
            )
        if output is None:
            score = score_weighted(scorer, pipeline, X_test, y[test], test_weight)
        else:  # score what was kept: the test fold is predicted once, not twice
            score = score_output(scorer, output, y[test], classes, test_weight)
    except Exception as exc:  # reported in the leaderboard; the run goes on
        fit_time, score = time.perf_counter() - start, np.nan
        error, exception = f"{type(exc).__name__}: {exc}", exc
    return {
        "fit_time": fit_time,
        "score": float(score),
        "error": error,
        "exception": exception,
        "output": output,
        "rounds": rounds,
        # a net that swallowed a Ctrl-C (skorch does) says so: the search stops
        "interrupted": _was_interrupted(pipeline),
    }


def _was_interrupted(estimator):
    """Whether a fitted pipeline's model stopped training on a KeyboardInterrupt."""
    return getattr(final_step(estimator)[1], "interrupted_", False) is True


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
            n_jobs=n_jobs,
            return_as="generator_unordered",
            prefer=prefer,
            # a fit is handed out when a worker is free, one at a time: joblib's
            # automatic batches grow on quick fits and would take many folds of
            # the next candidate at once, before racing or the clock could stop them
            pre_dispatch="n_jobs",
            batch_size=1,
        )(tasks)
    return _in_chunks(n_jobs, iter(tasks), prefer)


def _in_chunks(n_jobs, tasks, prefer=None):
    size = 2 * max(effective_n_jobs(n_jobs), 1)
    with Parallel(n_jobs=n_jobs, prefer=prefer, batch_size=1) as parallel:
        while chunk := list(islice(tasks, size)):
            yield from parallel(chunk)
