"""The phases of an Auto* search, over one evaluator and one budget.

Strong first, then broad, then deep:

1. :func:`anchor` -- the best single configurations of the cheap families
   (LightGBM, HistGradientBoosting, learned with the portfolio) on the holdout
   fold: a validated model as good as a default boosted tree within seconds;
2. :func:`choose_validation` -- holdout, k-fold or repeated k-fold, from the
   measured cost of those fits against the time left;
3. :func:`walk_portfolio` -- the portfolio learned offline
   (``benchmarks/build_portfolio.py``), with the boosting libraries' own defaults
   (the bar to clear) and the cheap families' defaults early (breadth: on small or
   wide data a linear model or an SVM can beat every tree);
4. :func:`tune` -- a random search over the best families' spaces, and successive
   halving on the training length for the families that have one (the nets);
5. :func:`confirm` -- a holdout search's best candidates on the rest of the
   k-fold round (time kept back for it, :func:`promotion_seconds`); with time
   left, a k-fold search's finalists on further k-fold repetitions.

Every phase only adds candidates; the best so far is never replaced by a worse one.
"""

import itertools
import json
import logging
import math
from importlib import resources
from typing import NamedTuple

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid, ParameterSampler
from sklearn.multioutput import MultiOutputRegressor

from autodl.spotcheck._evaluate import Candidate
from autodl.utils import draw_seed

logger = logging.getLogger(__name__)

# Anchors evaluated first, on the holdout (as many whatever the number of
# workers, so the search does not depend on it). They start whatever the clock
# says, and a boosted tree among them stops adding trees at this share of the
# time (it still has to predict its holdout, and the search to go on).
_ANCHORS = 2
_ANCHOR_SHARE = 0.5
# Families at most this costly (relative to a default LightGBM fit) are "cheap":
# their defaults run early, whatever the portfolio says.
CHEAP = 0.5
# A candidate starts only if its estimated time fits in this share of the time left.
_AFFORD = 0.5
# Portfolio entries before the boosting libraries' and the cheap families'
# defaults run.
PORTFOLIO_HEAD = 3
# Validation: k-fold when a k-fold round of this many candidates fits in the
# share of the time left; repeated k-fold (3 x) on small, cheap data.
_K_FOLD_CANDIDATES = 15
_K_FOLD_SHARE = 0.5
_SMALL_ROWS = 2_000
_SMALL_CANDIDATES = 3
_REPEATED_MAX_ROWS = 2_000
_REPEATS = 3
# Finalists: the best candidates (the ensemble's pool) validated on further
# k-fold repetitions with the time left after tuning.
FINALISTS = 8
# A holdout search keeps back the time to validate its best candidates (at most
# this many, in at most this share of the whole budget; two at least, or none)
# on the rest of the k-fold round: the best of many on one holdout owes much to
# its noise.
_PROMOTED = 4
_PROMOTE_SHARE = 0.2
# Random search: the best families tuned, and configurations tried per family.
_N_TUNED = 3
_N_TRIALS = 30
# Successive halving (Jamieson & Talwalkar, 2016) on a spec's resource: 9
# configurations at a ninth of it, the best 3 at a third, the best one at all.
_HALVING_FACTOR = 3
_HALVING_RUNGS = 3


class Entry(NamedTuple):
    """A configuration learned offline, with its measured relative cost."""

    family: str
    params: dict
    cost: float  # fit time over the zoo's default LightGBM's (meta-suite median)


def load_portfolio(task, part=""):
    """The portfolio learned offline: ``[Entry(family, params, cost)]``, in order.

    ``params`` are the zoo estimator's parameters (as ``ModelSpec.space`` names
    them). ``part="anchors"`` gives the anchors instead: the best single
    configuration of each cheap family; ``part="library_defaults"`` the boosting
    libraries' own defaults (the zoo's ``LIBRARY_DEFAULTS`` for ``REFERENCES``).
    Rebuilt by ``python benchmarks/build_portfolio.py``.
    """
    kind = "regression" if task == "regression" else "classification"
    key = f"{kind}_{part}" if part else kind
    text = resources.files("autodl.automl").joinpath("portfolio.json").read_text()
    return [
        Entry(e["family"], _tuples(e["params"]), e["cost"])
        for e in json.loads(text)[key]
    ]


def _tuples(params):
    """JSON has no tuples: ``hidden_layer_sizes`` and the like come back as lists."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


class Search:
    """What one fit tried: the zoo's pipelines, the evaluator, the candidates.

    Local to ``fit`` (never stored on the estimator); phases are functions over it.
    """

    def __init__(self, specs, pipelines, evaluator, rng, n_splits, splitter=False):
        self.specs = {spec.name: spec for spec in specs}
        self.pipelines = pipelines  # family -> the unfitted pipeline with defaults
        self.evaluator = evaluator
        self.rng = rng
        self.n_splits = n_splits  # folds of one k-fold round
        self.splitter = splitter  # the user's cv splitter, used whole
        self._ids = itertools.count()
        self._seen = {}
        self.unaffordable = set()  # families left out because time ran short

    def candidate(self, family, params, source, cost=None):
        """A new candidate, or None when this configuration was already proposed.

        ``cost``: its measured relative cost, if known (else its family's)."""
        params = {f"model__{k}": v for k, v in params.items()}
        key = (family, repr(sorted(params.items())))
        if family not in self.specs or key in self._seen:
            return None
        pipeline = clone(self.pipelines[family])
        if isinstance(pipeline.named_steps["model"], MultiOutputRegressor):
            # one model per target: the parameters are its estimator's
            inner = {
                "model__estimator__" + k.removeprefix("model__"): v
                for k, v in params.items()
            }
            pipeline.set_params(**inner)
        else:
            pipeline.set_params(**params)
        spec = self.specs[family]
        cand = Candidate(
            next(self._ids),
            family,
            params,
            pipeline,
            source,
            cost=spec.cost if cost is None else cost,
            holds_gil=spec.holds_gil,
        )
        self._seen[key] = cand
        return cand

    def validation_name(self, folds):
        """``"holdout"``, ``"5-fold"``, ``"5-fold x3"`` or ``"4 splits of cv"``."""
        k = self.n_splits
        if folds == 1:
            return "holdout"
        if self.splitter:
            return f"{folds} splits of cv"
        return f"{k}-fold" if folds == k else f"{k}-fold x{folds // k}"

    @property
    def validation(self):
        """The name of the validation every candidate gets."""
        return self.validation_name(self.evaluator.folds)

    def fold_seconds(self, family, cost=None):
        """Estimated seconds of a fold of a ``family`` configuration of relative
        ``cost`` (its family's default when None; a default LightGBM fit is 1):
        ``cost`` x the seconds per unit of cost measured on this data, the
        family's own (the mean over its candidates of fold seconds / cost) or,
        before it ran, the largest of the other families'. Only candidates at
        least as costly as a default LightGBM set that scale: the cheap ones'
        times are mostly overhead, and a kNN fold says nothing of a CatBoost one.
        """
        cost = self.specs[family].cost if cost is None else cost
        rates = {}  # family -> [seconds per unit of cost of each candidate]
        for result in self.evaluator.snapshot():
            cand = result.candidate
            if result.fit_times and (cand.family == family or cand.cost >= 1):
                rates.setdefault(cand.family, []).append(
                    result.fold_seconds / cand.cost
                )
        if family in rates:
            return cost * sum(rates[family]) / len(rates[family])
        return cost * max((max(r) for r in rates.values()), default=1.0)

    def affordable(self, family, budget, cost=None):
        """Whether a ``family`` candidate of relative ``cost`` would end within
        ``_AFFORD`` of the time left: its folds spread over the workers, a fold on
        one of them (a holdout fit takes as long with two workers as with one)."""
        if not budget.timed:
            return True
        workers = self.evaluator.workers(self.specs[family].holds_gil)
        rounds = math.ceil(self.evaluator.folds / workers)
        if self.fold_seconds(family, cost) * rounds <= _AFFORD * budget.left():
            return True
        self.unaffordable.add(family)
        return False

    def run(self, candidates, budget, **kwargs):
        """Evaluate candidates (``None``, an already proposed one, is skipped)."""
        return self.evaluator.evaluate(
            (c for c in candidates if c is not None), budget, **kwargs
        )


def anchor(search, budget, anchors):
    """The first validated models, on the holdout: the best cheap configurations."""
    ev = search.evaluator
    cheap = [e for e in anchors if e.family in search.specs]
    if not cheap:  # the anchors' families are excluded: the cheapest of the rest
        ranked = sorted(search.specs.values(), key=lambda s: s.cost)
        cheap = [Entry(s.name, {}, s.cost) for s in ranked]
    first = [search.candidate(*e[:2], "anchor", e.cost) for e in cheap[:_ANCHORS]]
    ev.folds = 1
    search.run(
        [c for c in first if c is not None],
        budget.share(_ANCHOR_SHARE),
        deadline_exempt=True,
    )


def effective_rows(y, classification):
    """The rows of ``y`` as a metric's noise sees them.

    A regression target's rows; for a class label, ``K ** 2 / sum(1 / n_k)`` over
    its ``K`` classes of ``n_k`` rows (``K`` times the harmonic mean of the class
    sizes): the rows themselves when the classes are balanced, far fewer when one
    is rare, since balanced accuracy, ROC AUC or log loss on a holdout are as noisy
    as its rarest classes are small (churn: 3,750 rows, 14 % positive, count as
    1,820). A multi-output target counts its rows.
    """
    if not classification or np.ndim(y) > 1:
        return len(y)
    _, counts = np.unique(y, return_counts=True)
    return float(len(counts) ** 2 / np.sum(1.0 / counts))


def choose_validation(search, budget, n_rows):
    """Holdout, k-fold or repeated k-fold, from the measured cost of a fit.

    k-fold when a k-fold round of ``_K_FOLD_CANDIDATES`` candidates fits in
    ``_K_FOLD_SHARE`` of the time left, or on small data (a holdout of a few
    hundred rows ranks by noise) when a few do; repeated k-fold on small data when
    even that is cheap; otherwise the holdout, as AutoGluon does at short budgets.
    The time left is net of the anchors' other folds, which run first. ``n_rows``
    is the data's size as the metric sees it (:func:`effective_rows`).
    """
    ev = search.evaluator
    k = search.n_splits
    if ev.interrupted:
        return  # keep what the holdout validated
    if not budget.timed:
        folds = k
    else:
        seconds = min(ev.family_time.values(), default=0.0)
        per_candidate = seconds * k / ev.workers()
        # the anchors' other folds come first, whatever runs after them; spread
        # over the workers, also HistGradientBoosting's, which take turns on
        # threads (counted in turn, yeast went to the holdout at 10 s and the dev
        # suite's mean did not rise: docs/benchmarks.md)
        anchor_fold = sum(r.fold_seconds for r in ev.snapshot() if r.error is None)

        def room(folds):
            rest = anchor_fold * (folds - 1) / ev.workers()
            return _K_FOLD_SHARE * budget.left() - rest

        wanted = _K_FOLD_CANDIDATES if n_rows > _SMALL_ROWS else _SMALL_CANDIDATES
        folds = k if per_candidate * wanted <= room(k) else 1
        repeats = k * _REPEATS
        repeated = per_candidate * _REPEATS * _K_FOLD_CANDIDATES <= room(repeats)
        if folds == k and n_rows <= _REPEATED_MAX_ROWS and repeated:
            folds = repeats
    ev.folds = min(folds, len(ev.splits))
    logger.info("validation: %s", search.validation)
    # the anchors get their other folds
    anchors = [r.candidate for r in ev.snapshot() if r.error is None]
    search.run(anchors, budget, race=False, deadline_exempt=not budget.timed)
    if ev.best() is None and ev.folds > 1:  # cut short: keep the holdout's ranking
        ev.folds = 1


def walk_portfolio(search, budget, portfolio, library_defaults):
    """The learned portfolio in order, with the boosting libraries' own defaults
    (``library_defaults``, cheapest first) and the cheap families' defaults
    early."""
    entries = [e for e in portfolio if e.family in search.specs]
    references = sorted(
        (e for e in library_defaults if e.family in search.specs),
        key=lambda e: e.cost,
    )
    cheap = sorted(
        (s for s in search.specs.values() if s.cost <= CHEAP), key=lambda s: s.cost
    )
    rest = sorted(search.specs.values(), key=lambda s: s.cost)
    queue = [
        *[(*e, "portfolio") for e in entries[:PORTFOLIO_HEAD]],
        *[(*e, "library default") for e in references],
        *[(s.name, {}, s.cost, "breadth") for s in cheap],
        *[(*e, "portfolio") for e in entries[PORTFOLIO_HEAD:]],
        *[(s.name, {}, s.cost, "breadth") for s in rest],
    ]

    def candidates():
        for family, params, cost, source in queue:
            if search.affordable(family, budget, cost):
                yield search.candidate(family, params, source, cost)

    search.run(candidates(), budget)


def tune(search, budget):
    """Random search over the best families; successive halving where a spec has a
    resource (the nets' epochs)."""
    ev = search.evaluator
    best = ev.best()
    if best is None:
        return
    families = []
    for result in ev.ranked():
        family = result.candidate.family
        if family not in families and search.specs[family].space:
            families.append(family)
    top = families[:_N_TUNED]
    halved = [f for f in top if search.specs[f].resource]
    sampled = [f for f in top if f not in halved]
    if sampled:
        share = budget.share(len(sampled) / len(top)) if halved else budget
        search.run(_random_candidates(search, sampled, share), share)
    for i, family in enumerate(halved):
        if budget.expired() or ev.interrupted:
            break
        _halving(search, family, budget.share(1 / (len(halved) - i)))


def _sampler(space, n_iter, seed):
    size = len(ParameterGrid(space))
    return iter(ParameterSampler(space, n_iter=min(n_iter, size), random_state=seed))


def _random_candidates(search, families, budget):
    samplers = {
        f: _sampler(search.specs[f].space, _N_TRIALS, draw_seed(search.rng))
        for f in families
    }
    while samplers:  # round-robin: each family gets its turn while time lasts
        for family in list(samplers):
            params = next(samplers[family], None)
            if params is None:
                del samplers[family]
                continue
            if search.affordable(family, budget):
                yield search.candidate(family, params, "random search")


def _halving(search, family, budget):
    """Successive halving over ``family``'s space on its resource (``max_epochs``).

    ``_HALVING_FACTOR ** (_HALVING_RUNGS - 1)`` sampled configurations get
    ``1 / _HALVING_FACTOR ** (_HALVING_RUNGS - 1)`` of the resource; after each
    rung the best ``1 / _HALVING_FACTOR`` go on with ``_HALVING_FACTOR`` times more,
    until the full resource. Each configuration of each rung is a candidate.
    """
    ev = search.evaluator
    spec = search.specs[family]
    resource = spec.resource
    full = int(spec.estimator.get_params()[resource])
    n_configs = _HALVING_FACTOR ** (_HALVING_RUNGS - 1)
    configs = [
        p for p in _sampler(spec.space, n_configs + 1, draw_seed(search.rng)) if p != {}
    ][:n_configs]
    for rung in range(_HALVING_RUNGS):
        if not configs or budget.expired() or ev.interrupted:
            return
        amount = max(1, full // _HALVING_FACTOR ** (_HALVING_RUNGS - 1 - rung))
        cands = [
            search.candidate(family, {**p, resource: amount}, "successive halving")
            for p in configs
        ]
        cands = [c for c in cands if c is not None]
        done = search.run(cands, budget, race=False)
        scored = [c for c in cands if c.config_id in done and ev.complete(c.config_id)]
        scored.sort(key=lambda c: ev.score(c.config_id), reverse=True)
        keep = math.ceil(len(configs) / _HALVING_FACTOR)
        configs = [
            {
                k[len("model__") :]: v
                for k, v in c.params.items()
                if k != f"model__{resource}"
            }
            for c in scored[:keep]
        ]
        logger.info(
            "%s, rung %d: %d configurations at %s=%d",
            family,
            rung + 1,
            len(cands),
            resource,
            amount,
        )


def _promotable(search, seconds, limit):
    """``(results, seconds)``: the best holdout candidates, best first and at
    most ``limit``, while their remaining folds of the k-fold round fit in
    ``seconds``; none when fewer than two fit, or the search is not on the
    holdout. Never one passed over for its cost: the others would replace it in
    the ranking and the ensemble."""
    ev = search.evaluator
    k = search.n_splits
    if ev.folds != 1 or k < 2 or search.splitter:
        return [], 0.0
    chosen, total = [], 0.0
    for result in ev.ranked()[:limit]:
        cost = result.fold_seconds * (k - 1) / ev.workers(result.candidate.holds_gil)
        if total + cost > seconds:
            break
        chosen.append(result)
        total += cost
    return (chosen, total) if len(chosen) >= 2 else ([], 0.0)


def promotion_seconds(search, time_budget):
    """Seconds a timed holdout search keeps back for :func:`confirm` to validate
    its best candidates on the rest of the k-fold round: those of the best
    ``_PROMOTED`` that fit in ``_PROMOTE_SHARE`` of ``time_budget`` (0 when fewer
    than two fit, or the search is not on the holdout). Re-estimated as the
    search finds better candidates."""
    if time_budget is None:
        return 0.0
    return _promotable(search, _PROMOTE_SHARE * time_budget, _PROMOTED)[1]


def confirm(search, budget):
    """After tuning, the best candidates validated on more folds.

    On the holdout: the best candidates (best first, at most ``FINALISTS``,
    while their folds fit in the time left) get the rest of the k-fold round,
    and when two or more finish, the search becomes a k-fold one over them
    (:meth:`~autodl.spotcheck._evaluate.Evaluator.promote`): the best of many
    configurations on one holdout owes much to that holdout's noise, and the
    finalists' ranking and the ensemble's weights on every row owe less. The
    search kept time back for it (:func:`promotion_seconds`).

    On k-fold, with time left: the best ``FINALISTS`` on a further k-fold
    repetition (other shuffles), and again while the time and the repetitions
    last. The more configurations a search ranks on the same folds, the more the
    best of them owes to those folds' noise. Pooled over more repetitions (each
    row's prediction the mean of its out-of-fold ones), the finalists' ranking and
    the ensemble weighed on their predictions owe less to one shuffle. Each round
    deepens the least validated of the current best, best first and as many as
    fit in ``_AFFORD`` of the time left (a finalist whose score drops makes room
    for the next); one that does not finish keeps its k-fold score.

    Only under a clock and with the integer ``cv`` (a user's splitter is used as
    given).
    """
    ev = search.evaluator
    k = search.n_splits
    if not budget.timed or search.splitter or ev.interrupted:
        return
    if ev.folds == 1 and k > 1:
        finalists, _ = _promotable(search, budget.left(), FINALISTS)
        if not finalists:
            return
        name = search.validation_name(k)
        logger.info("validating %d holdout finalists on %s", len(finalists), name)
        search.run([r.candidate for r in finalists], budget, folds=k)
        promoted = [
            r
            for r in finalists
            if ev.complete(r.candidate.config_id) and ev.folds_of(r) == k
        ]
        if len(promoted) < 2:
            return  # cut short: the holdout's ranking stands
        ev.promote(k)
    if ev.folds < k:
        return
    while not (budget.expired() or ev.interrupted):
        best = ev.ranked()[:FINALISTS]
        if not best:
            return
        depth = min(ev.folds_of(r) for r in best)
        if depth + k > len(ev.splits):
            return  # every finalist has every repetition
        # the least validated of them, best first, as many as fit
        pending, seconds = [], 0.0
        for result in best:
            if ev.folds_of(result) == depth:
                seconds += (
                    result.fold_seconds * k / ev.workers(result.candidate.holds_gil)
                )
                if seconds > _AFFORD * budget.left():
                    break
                pending.append(result)
        if not pending:
            return
        name = search.validation_name(depth + k)
        logger.info("confirming %d finalists on %s", len(pending), name)
        confirmed = search.run([r.candidate for r in pending], budget, folds=depth + k)
        if len(confirmed) < len(pending):
            return  # cut short: out of time
