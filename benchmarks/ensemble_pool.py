"""Which validated candidates the search's final ensemble draws from, on the meta suite.

``AutoClassifier`` / ``AutoRegressor`` end with greedy ensemble selection (Caruana et
al., 2004) over the out-of-fold (or holdout) predictions of their ``FINALISTS`` best
candidates. This compares that pool with others, from the same search:

- ``best``: the best candidate alone;
- ``top8``: the 8 best (what the search does);
- ``top8+family``: the 8 best and each family's best (more diverse members);
- ``top16`` and ``all`` (up to 40): larger pools;
- ``top8 pooled``: the 8 best, selected on the folds' predictions pooled (every row
  scored at once) instead of each fold scored on its own as the search does;
- ``top8 margin k SE``: the 8 best's blend only when its gain over its best member
  exceeds k standard errors of the paired differences on the validation folds (5
  chunks of the rows when the metric scores them pooled), else the best alone.

One timed search per dataset (``--budget`` seconds, the meta sets whose training part
holds at most ``--max-rows`` rows, so that the search sees every row); for each pool,
greedy selection on the search's validation predictions, the chosen members refit on
all training rows (each once) and the weighted ensemble scored on the test part, with
the probabilities balanced as the search's model balances them under balanced
accuracy. Meta suite only: the search's defaults are never chosen on the dev suite.

    OMP_NUM_THREADS=1 python benchmarks/ensemble_pool.py --budget 30
"""

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _common import META_DATA_DIR, machine_line, markdown_table, write_result  # noqa: E402
from predictive import load_split, score, suite_tasks  # noqa: E402

import autodl.automl._auto as auto_module  # noqa: E402
from autodl import AutoClassifier, AutoRegressor  # noqa: E402
from autodl.ensemble import greedy_selection  # noqa: E402
from autodl.utils import balance_probabilities, score_output, take_rows  # noqa: E402

POOLS = ["best", "top8", "top8+family", "top16", "all", "top8 pooled"]
MARGINS = [0.5, 1.0, 2.0]  # the blend over the best alone in standard errors
MARGIN_POOLS = [f"top8 margin {k:g} SE" for k in MARGINS]
_members = auto_module._BaseAuto._members


def _keep_search(self, search, n_total, budget):
    """The search's ``_members``, keeping the search for the pools below."""
    self._kept_search = search
    return _members(self, search, n_total, budget)


def pools(auto):
    """Config ids of each pool, best first (candidates with predictions only)."""
    ev = auto._kept_search.evaluator
    board = auto.leaderboard_[auto.leaderboard_["status"] == "ok"]
    ids = [
        c for c in map(int, board["config_id"]) if ev.results[c].outputs[0] is not None
    ]
    family_best = {}
    for c in ids:
        family_best.setdefault(ev.results[c].candidate.family, c)
    return {
        "best": ids[:1],
        "top8": ids[:8],
        "top8+family": list(dict.fromkeys(ids[:8] + list(family_best.values()))),
        "top16": ids[:16],
        "all": ids[:40],
        "top8 pooled": ids[:8],
    }


def paired_gain(ev, ids, weights):
    """The blend's gain over its best member on each part of the validation rows:
    the folds a rank metric is scored on, else 5 chunks of the pooled rows."""
    stacked, rows, folds = ev.fold_outputs(ids)
    if folds is None or len(folds) < 3:
        order = np.random.default_rng(0).permutation(len(rows))
        folds = np.array_split(order, 5)
    y, weight = ev.y[rows], take_rows(ev.sample_weight, rows)

    def fold_scores(output):
        return np.array(
            [
                score_output(
                    ev.scorer, output[f], y[f], ev.classes, take_rows(weight, f)
                )
                for f in folds
            ]
        )

    blend = fold_scores(sum(w * out for w, out in zip(weights, stacked, strict=True)))
    singles = [fold_scores(out) for out in stacked]
    best = singles[int(np.argmax([s.mean() for s in singles]))]
    diff = blend - best
    return float(diff.mean()), float(diff.std(ddof=1) / np.sqrt(len(diff)))


def run_one(data_dir, name, task, budget, max_rows):
    """The pools' test scores on one dataset; None when the search would not see
    every training row."""
    X, X_test, y, y_test = load_split(data_dir, name, task, 0)
    if len(X) > min(max_rows, auto_module.SEARCH_MAX_ROWS):
        return None
    Auto = AutoRegressor if task == "regression" else AutoClassifier
    auto = Auto(time_budget=budget, random_state=0, verbose=0).fit(X, y)
    ev = auto._kept_search.evaluator
    prior = getattr(auto, "class_prior_", None)
    fitted = {}

    def test_output(c):
        if c not in fitted:
            model = ev.refit_pipeline(c).fit(X, y)
            fitted[c] = (
                model.predict(X_test)
                if task == "regression"
                else model.predict_proba(X_test)
            )
        return fitted[c]

    row = {"dataset": name, "validation": auto.validation_}
    for pool_name, ids in pools(auto).items():
        start = time.perf_counter()
        if len(ids) > 1 and pool_name.endswith("pooled"):
            outputs = [ev.output(c) for c in ids]
            valid = np.isfinite(outputs[0].reshape(len(ev.y), -1)).all(axis=1)
            weights, _ = greedy_selection(
                [out[valid] for out in outputs],
                ev.y[valid],
                ev.scorer,
                n_iter=auto_module._N_ROUNDS,
                classes=ev.classes,
            )
        elif len(ids) > 1:  # as the search selects: each fold scored on its own
            stacked, rows, folds = ev.fold_outputs(ids)
            weights, _ = greedy_selection(
                stacked,
                ev.y[rows],
                ev.scorer,
                n_iter=auto_module._N_ROUNDS,
                classes=ev.classes,
                folds=folds,
            )
        else:
            weights = np.ones(1)
        seconds = time.perf_counter() - start
        weights = weights / weights.sum()
        if pool_name == "top8":
            top8 = (ids, weights)
        output = sum(
            w * test_output(c) for c, w in zip(ids, weights, strict=True) if w > 0
        )
        if task != "regression":
            if prior is not None:
                output = balance_probabilities(output, prior)
            output = output[:, 1] if task == "binary" else output.argmax(axis=1)
        row[pool_name] = score(task, y_test, output)
        row[f"{pool_name} members"] = int((weights > 0).sum())
        row[f"{pool_name} selection s"] = seconds
    ids, weights = top8
    gain, se = paired_gain(ev, ids, weights) if len(ids) > 1 else (0.0, 0.0)
    row["blend gain"], row["blend gain SE"] = gain, se
    for k, pool_name in zip(MARGINS, MARGIN_POOLS, strict=True):
        keep = len(ids) > 1 and gain > k * se
        row[pool_name] = row["top8"] if keep else row["best"]
        row[f"{pool_name} members"] = row["top8 members"] if keep else 1
        row[f"{pool_name} selection s"] = row["top8 selection s"]
    print(row, flush=True)
    return row


def summary(frame):
    out = []
    for pool_name in POOLS + MARGIN_POOLS:
        diff = frame[pool_name] - frame["top8"]
        out.append(
            {
                "pool": pool_name,
                "mean test score": frame[pool_name].mean(),
                "minus top8, mean": diff.mean(),
                "better / worse than top8": f"{(diff > 1e-9).sum()} / "
                f"{(diff < -1e-9).sum()}",
                "mean members": frame[f"{pool_name} members"].mean(),
                "mean selection s": frame[f"{pool_name} selection s"].mean(),
            }
        )
    return pd.DataFrame(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(META_DATA_DIR))
    parser.add_argument("--budget", type=float, default=30, help="seconds")
    parser.add_argument("--max-rows", type=int, default=15_000)
    parser.add_argument("--out", default="ensemble_pool", help="file stem")
    args = parser.parse_args()
    auto_module._BaseAuto._members = _keep_search
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = [
        run_one(args.data_dir, name, task, args.budget, args.max_rows)
        for name, task in suite_tasks("meta", args.data_dir).items()
    ]
    frame = pd.DataFrame([row for row in rows if row is not None])
    after = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    scores = frame[
        ["dataset", "validation", *POOLS, *MARGIN_POOLS, "blend gain", "blend gain SE"]
    ]
    text = "\n\n".join(
        [
            "# The final ensemble's pool (meta suite)",
            f"`python benchmarks/ensemble_pool.py --budget {args.budget:g} "
            f"--max-rows {args.max_rows}`",
            machine_line(),
            f"Load average before (1 / 5 / 15 min): {load}.  \n"
            f"Load average after (1 / 5 / 15 min): {after}.",
            "Test score of the final ensemble drawn from each pool (ROC AUC, "
            "balanced accuracy, R2), against the search's own pool (the 8 best):",
            markdown_table(summary(frame)),
            "Per dataset:",
            markdown_table(scores),
        ]
    )
    print(text)
    write_result(f"{args.out}.md", text)


if __name__ == "__main__":
    main()
