"""Learn the search's portfolio on the meta suite: an ordered list of configurations.

A pool of configurations per family (each library's defaults, plus configurations
sampled from the zoo's search spaces: a few dozen for the boosted trees, fewer for
the costly families) is scored on every dataset of the meta suite
(``../shared/datasets/meta``, never the dev suite). The portfolio is then built
greedily: each next configuration is the one that most raises the mean normalised
score of the best-so-far over the datasets ((score - worst) / (best - worst) per
dataset) per second of its fit, since the search walks it against a clock
(AutoGluon's zero-shot portfolios leave the seconds out; ``anytime_check`` prints
both rules, each learned without the dataset it is walked on). Beside it, the *anchors*:
the best single configuration of each cheap family (cost at most a default
LightGBM's in the zoo's specs) among those measured at most ``ANCHOR_MAX_COST``
default LightGBM fits, which a search validates first, whatever the clock.
Every entry carries its measured ``cost``: its fit time over the zoo's default
LightGBM's on the same dataset, median over the datasets, from which the search
estimates its time on new data before it has run (the boosting libraries'
defaults, which the search walks early, get theirs too).

Protocol (no leakage into what we report): per dataset, the same seed-0 75/25
split that ``benchmarks/predictive.py`` scores on; only its 75 % training part is
used here, subsampled to at most ``--max-rows`` rows and split again (2/3 fit,
1/3 validation, seed 1). The 25 % test part is never read.

    python benchmarks/build_portfolio.py --data-dir ../shared/datasets/meta

writes ``autodl/automl/portfolio.json`` (shipped in the package) and the raw scores
to ``benchmarks/results/portfolio_scores.csv`` (``--from-scores`` rebuilds the
portfolio from that file without refitting anything).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.metrics import check_scoring, get_scorer
from sklearn.model_selection import ParameterSampler, train_test_split

sys.path.insert(0, os.path.dirname(__file__))
from _common import (  # noqa: E402
    DEFAULT_DATA_DIR,
    REPO,
    RESULTS,
    declared_tasks,
    machine_line,
)

from autodl.automl._auto import _pipeline  # noqa: E402
from autodl.automl._search import PORTFOLIO_HEAD  # noqa: E402
from autodl.spotcheck import default_models  # noqa: E402
from autodl.spotcheck._zoo import LIBRARY_DEFAULTS, REFERENCES  # noqa: E402
from autodl.utils import (  # noqa: E402
    balance_probabilities,
    class_prior,
    score_output,
)

META_DIR = DEFAULT_DATA_DIR / "meta"
PORTFOLIO = REPO / "autodl" / "automl" / "portfolio.json"
# sampled configurations per family, beside its defaults
# (and each boosting library's own defaults, LIBRARY_DEFAULTS: the portfolio can
# pick them)
POOL = {
    "lightgbm": 16,
    "xgboost": 8,
    "catboost": 5,
    "hist_gradient_boosting": 8,
    "random_forest": 3,
    "extra_trees": 3,
    "mlp": 4,
}
METRIC = {"binary": "roc_auc", "multiclass": "balanced_accuracy", "regression": "r2"}
LENGTH = 25  # entries of the portfolio at most
OVERHEAD = 0.05  # seconds a candidate costs beyond its fit (folds, scoring)
ROUND = 2.5  # a 5-fold round over two workers, in fits: anytime_check's clock
# An anchor is validated first, whatever the clock: at most this many default
# LightGBM fits (the best classification LightGBM, lr 0.03, costs 3.6 for 0.003
# more mean normalised score than one of 0.8, and 4.0 against 0.7 on many classes)
ANCHOR_MAX_COST = 1.5


def params_text(params):
    """A configuration's parameters as the scores file keys them."""
    return json.dumps(params, sort_keys=True)


def _strata(y, classification):
    """Stratify on ``y`` when every class has two rows at least."""
    if not classification or np.bincount(y).min(initial=2) < 2:
        return None
    return y


def load(data_dir, name, task, max_rows):
    frame = pd.read_csv(Path(data_dir) / f"{name}.csv.gz")
    X, y = frame.drop(columns="target"), frame["target"].to_numpy()
    classification = task != "regression"
    if classification:
        y = np.unique(y, return_inverse=True)[1]
    strat = y if classification else None
    # the benchmark's split: its test part is never used here
    X_train, _, y_train, _ = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=strat
    )
    if len(y_train) > max_rows:
        X_train, _, y_train, _ = train_test_split(
            X_train,
            y_train,
            train_size=max_rows,
            random_state=0,
            stratify=_strata(y_train, classification),
        )
    return train_test_split(
        X_train,
        y_train,
        test_size=1 / 3,
        random_state=1,
        stratify=_strata(y_train, classification),
    )


def pool(kind):
    """[(family, params)]: every family's defaults (the zoo's, and the library's
    own where they differ), then sampled configurations."""
    task = "regression" if kind == "regression" else "binary"
    configs = []
    for spec in default_models(task, random_state=0):
        configs.append((spec.name, {}))
        if spec.name in LIBRARY_DEFAULTS:
            configs.append((spec.name, LIBRARY_DEFAULTS[spec.name]))
        n = POOL.get(spec.name, 0)
        if n and spec.space:
            for params in ParameterSampler(spec.space, n_iter=n, random_state=0):
                configs.append((spec.name, params))
    return configs


def evaluate(name, task, data, family, params):
    X_fit, X_val, y_fit, y_val = data
    specs = {s.name: s for s in default_models(task, len(y_fit), random_state=0)}
    if family not in specs:  # e.g. the SVM on bigger data
        return None
    pipe = _pipeline(specs[family], "cpu")
    pipe.set_params(**{f"model__{k}": v for k, v in params.items()})
    start = time.perf_counter()
    try:
        pipe.fit(X_fit, y_fit)
        seconds = time.perf_counter() - start
        if task == "multiclass":  # the search's decision: balanced probabilities
            classes = np.unique(y_fit)
            proba = np.zeros((len(y_val), len(classes)))
            proba[:, np.searchsorted(classes, pipe.classes_)] = pipe.predict_proba(
                X_val
            )
            proba = balance_probabilities(proba, class_prior(y_fit, classes))
            score = score_output(get_scorer(METRIC[task]), proba, y_val, classes)
        else:
            score = check_scoring(pipe, scoring=METRIC[task])(pipe, X_val, y_val)
    except Exception as exc:  # a config that fails scores as the worst
        print(f"  {name} {family} {params}: {type(exc).__name__}: {exc}")
        seconds, score = time.perf_counter() - start, np.nan
    return {
        "dataset": name,
        "task": task,
        "family": family,
        "params": params_text(params),
        "score": float(score),
        "seconds": seconds,
    }


def normalised(scores):
    """(config x dataset) scores as (score - worst) / (best - worst) per dataset."""
    table = scores.pivot_table(
        index=["family", "params"], columns="dataset", values="score", aggfunc="first"
    )
    lo, hi = table.min(), table.max()
    informative = (hi - lo) > 1e-9  # a dataset where every config ties says nothing
    return ((table - lo) / (hi - lo))[informative.index[informative]].fillna(0.0)


def anchors(scores, kind, costs, n=4, max_cost=ANCHOR_MAX_COST):
    """The best single configurations of the cheap families (cost <= 1 in the
    zoo's specs), one per family and each at most ``max_cost`` default LightGBM
    fits (``costs``): what a search validates first, in seconds."""
    task = "regression" if kind == "regression" else "binary"
    cost = {s.name: s.cost for s in default_models(task)}
    mean = normalised(scores).mean(axis=1).sort_values(ascending=False)
    picked = []
    for family, params in mean.index:
        if (
            cost.get(family, np.inf) <= 1
            and costs[(family, params)] <= max_cost
            and family not in {f for f, _ in picked}
        ):
            picked.append((family, params))
            print(
                f"  anchor {family} {params}  mean {mean[(family, params)]:.4f}"
                f"  cost {costs[(family, params)]:.2f}"
            )
    return [{"family": f, "params": json.loads(p)} for f, p in picked[:n]]


def fit_seconds(scores, norm):
    """(config x dataset) seconds of one fit, aligned with ``normalised(scores)``."""
    seconds = scores.pivot_table(
        index=["family", "params"], columns="dataset", values="seconds", aggfunc="first"
    )
    return seconds.reindex(index=norm.index, columns=norm.columns)


def greedy(scores, length=LENGTH, per_second=True, verbose=True):
    """The ordered portfolio from a (config x dataset) table of scores and seconds.

    Each next configuration is the one that most raises the mean normalised score
    of the best-so-far over the datasets per second of its fit (its mean over the
    datasets, plus ``OVERHEAD``): the greedy rule for anytime schedules (Streeter
    and Golovin, 2008), since the search walks the portfolio against a clock.
    ``per_second=False`` drops the seconds (the order of AutoGluon's zero-shot
    portfolios), kept as the reference ``anytime_check`` prints.
    """
    norm = normalised(scores)
    cost = 1.0
    if per_second:
        cost = (
            np.nan_to_num(fit_seconds(scores, norm).mean(axis=1).to_numpy()) + OVERHEAD
        )
    best = np.zeros(norm.shape[1])
    order = []
    for _ in range(length):
        gains = (np.maximum(norm.to_numpy(), best).mean(axis=1)) - best.mean()
        pick = int(np.argmax(gains / cost))
        if gains[pick] < 1e-4:
            break
        order.append(norm.index[pick])
        best = np.maximum(best, norm.to_numpy()[pick])
        family, params = order[-1]
        if verbose:
            print(f"  {len(order):2d}. {family} {params}  mean {best.mean():.4f}")
    return [{"family": f, "params": json.loads(p)} for f, p in order]


def walk(portfolio, norm, seconds, budget):
    """Per dataset, the best normalised score a portfolio reaches when walked
    against ``budget`` seconds (each entry a k-fold round over two workers; an
    entry that would overrun is skipped, as the search does)."""
    reached = []
    for dataset in norm.columns:
        spent, best = 0.0, 0.0
        for entry in portfolio:
            key = (entry["family"], params_text(entry["params"]))
            cost = seconds.at[key, dataset] * ROUND
            if np.isnan(cost) or spent + cost > budget:
                continue
            spent += cost
            best = max(best, norm.at[key, dataset])
        reached.append(best)
    return np.array(reached)


def relative_costs(scores):
    """Each configuration's fit time over the zoo's default LightGBM's on the same
    dataset, median over the datasets: ``(family, params) -> cost``, the unit of
    the zoo's spec costs. Prints the families' defaults (median and 75th
    percentile): the ``cost`` of the zoo's specs."""
    seconds = scores.pivot_table(
        index=["family", "params"], columns="dataset", values="seconds", aggfunc="first"
    )
    ratio = seconds / seconds.loc[("lightgbm", "{}")]
    print("  default fit time / the zoo LightGBM's (median, 75th percentile):")
    for (family, params), row in ratio.iterrows():
        if params == "{}":
            row = row.dropna()
            print(f"    {family:24s} {row.median():6.2f} {row.quantile(0.75):6.2f}")
    return ratio.median(axis=1)


def with_costs(entries, costs):
    """Portfolio entries with their measured relative cost (``relative_costs``), from
    which the search estimates a configuration's time before it ran."""
    return [
        {**e, "cost": round(float(costs[(e["family"], params_text(e["params"]))]), 3)}
        for e in entries
    ]


def anytime_check(scores, budgets=(2, 5, 10, 30, 60, 300)):
    """Leave one dataset out: the portfolio learned on the others, walked on it.

    Prints the mean normalised score reached at each simulated budget by the
    per-second greedy, by it with the boosting libraries' defaults after its head
    (the search's walk), and by the plain greedy (scores only), as evidence for
    the rule ``greedy`` uses; nothing is fitted.
    """
    norm = normalised(scores)
    seconds = fit_seconds(scores, norm)
    reached = {}
    for dataset in norm.columns:
        rest = scores[scores["dataset"] != dataset]
        per_second = greedy(rest, verbose=False)
        walks = {
            "per second": per_second,
            "per second, then the libraries' defaults (the search)": with_references(
                per_second
            ),
            "plain (reference)": greedy(rest, per_second=False, verbose=False),
        }
        for label, portfolio in walks.items():
            one = [
                walk(portfolio, norm[[dataset]], seconds[[dataset]], b) for b in budgets
            ]
            reached.setdefault(label, []).append(np.concatenate(one))
    print("  leave-one-dataset-out, mean normalised score reached within")
    print("  " + " ".join(f"{b:>7}s" for b in budgets) + "  greedy")
    for label, rows in reached.items():
        means = np.mean(rows, axis=0)
        print("  " + " ".join(f"{m:8.4f}" for m in means) + f"  {label}")


def with_references(portfolio):
    """The portfolio as the search walks it: the boosting libraries' own defaults
    after its head (the cheap families' defaults are not in the scores' walk)."""
    known = {(e["family"], params_text(e["params"])) for e in portfolio}
    defaults = [
        {"family": f, "params": LIBRARY_DEFAULTS[f]}
        for f in REFERENCES
        if (f, params_text(LIBRARY_DEFAULTS[f])) not in known
    ]
    return [*portfolio[:PORTFOLIO_HEAD], *defaults, *portfolio[PORTFOLIO_HEAD:]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(META_DIR))
    parser.add_argument("--max-rows", type=int, default=4000)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--datasets", default=None, help="comma-separated subset")
    parser.add_argument("--from-scores", default=None, help="rebuild from a CSV")
    parser.add_argument(
        "--families",
        default=None,
        help="comma-separated: score only these families and replace their rows "
        "in the existing scores (e.g. after a family's defaults changed); with "
        "--datasets, only their rows on those datasets",
    )
    parser.add_argument(
        "--missing",
        action="store_true",
        help="score only the configurations the existing scores lack (after the "
        "pool grew), keeping every existing row",
    )
    args = parser.parse_args()
    print(machine_line())
    print(f"load average {os.getloadavg()}")
    raw = RESULTS / "portfolio_scores.csv"
    if args.from_scores:
        scores = pd.read_csv(args.from_scores)
    else:
        tasks = declared_tasks(args.data_dir)
        if args.datasets:
            tasks = {n: tasks[n] for n in args.datasets.split(",")}
        scored = set()
        if args.missing:
            old = pd.read_csv(raw)
            scored = set(zip(old["dataset"], old["family"], old["params"], strict=True))
        jobs = []
        for name, task in tasks.items():
            kind = "regression" if task == "regression" else "classification"
            configs = [
                (family, params)
                for family, params in pool(kind)
                if (not args.families or family in args.families.split(","))
                and (name, family, params_text(params)) not in scored
            ]
            if configs:
                data = load(args.data_dir, name, task, args.max_rows)
                jobs += [delayed(evaluate)(name, task, data, *c) for c in configs]
        print(f"{len(jobs)} fits on {len(tasks)} datasets")
        start = time.perf_counter()
        rows = Parallel(n_jobs=args.n_jobs, verbose=5)(jobs)
        scores = pd.DataFrame([r for r in rows if r is not None])
        print(f"done in {time.perf_counter() - start:.0f} s")
        if args.missing:  # new rows beside the old ones
            scores = pd.concat([old, scores], ignore_index=True)
        elif args.families or args.datasets:  # the other rows stay as they were
            old = pd.read_csv(raw)
            replaced = np.ones(len(old), dtype=bool)
            if args.families:
                replaced &= old["family"].isin(args.families.split(",")).to_numpy()
            if args.datasets:
                replaced &= old["dataset"].isin(args.datasets.split(",")).to_numpy()
            scores = pd.concat([old[~replaced], scores], ignore_index=True)
        RESULTS.mkdir(parents=True, exist_ok=True)
        scores.to_csv(raw, index=False)
    portfolio = {
        "built_by": (
            "python benchmarks/build_portfolio.py --data-dir ../shared/datasets/meta "
            f"--max-rows {args.max_rows}"
        ),
        "datasets": sorted(scores["dataset"].unique()),
    }
    for kind in ("classification", "regression"):
        part = scores[(scores["task"] == "regression") == (kind == "regression")]
        print(f"{kind}: {part['dataset'].nunique()} datasets")
        costs = relative_costs(part)
        portfolio[kind] = with_costs(greedy(part), costs)
        anytime_check(part)
        portfolio[f"{kind}_anchors"] = with_costs(anchors(part, kind, costs), costs)
        portfolio[f"{kind}_library_defaults"] = with_costs(
            [{"family": f, "params": LIBRARY_DEFAULTS[f]} for f in REFERENCES], costs
        )
    PORTFOLIO.write_text(json.dumps(portfolio, indent=1) + "\n")
    print(f"wrote {PORTFOLIO}")
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
