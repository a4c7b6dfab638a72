"""Ensemble selection fold by fold under ROC AUC: the scorer against the ranks.

``greedy_selection`` scores every member's blend on every fold of every round: under
binary ROC AUC, ``autodl.utils.score_output`` computes the area from the ranks
instead of calling scikit-learn's scorer (whose ``roc_auc_score`` spends about 1.3
ms a call on input checks). Both run here in the same process on the same synthetic
out-of-fold probabilities (8 members, 40 rounds, the fold shapes of a search's
repeated 5-fold on credit-g and ionosphere and of its 5-fold on churn); the reference
is the same scorer wrapped in a function, which ``score_output`` does not recognise.
They must pick the same weights and reach the same score.

    python benchmarks/selection_speed.py
"""

import argparse
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics import get_scorer

sys.path.insert(0, os.path.dirname(__file__))
from _common import machine_line, markdown_table, write_result  # noqa: E402

from autodl.ensemble import greedy_selection  # noqa: E402

# (rows of the search's training part, folds): credit-g and ionosphere on 5-fold x3,
# churn on 5-fold
SHAPES = [(750, 15), (263, 15), (3750, 5)]


def outputs(rows, n_members, rng):
    """Probabilities of ``n_members`` models of differing skill on a 30 % class."""
    y = (rng.random(rows) < 0.3).astype(int)
    members = []
    for _ in range(n_members):
        signal = 0.4 * rng.random() * (y - 0.3)
        p = np.clip(0.3 + signal + 0.25 * rng.standard_normal(rows), 0, 1)
        members.append(np.c_[1 - p, p])
    return y, members


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    scorer = get_scorer("roc_auc")

    def through_the_scorer(estimator, X, y, **kwargs):
        return scorer(estimator, X, y, **kwargs)

    load = os.getloadavg()
    rows = []
    for n_rows, n_folds in SHAPES:
        y, members = outputs(n_rows, args.members, rng)
        repeats = n_folds // 5  # stacked repetitions, as the evaluator stacks them
        y, members = np.tile(y, repeats), [np.tile(m, (repeats, 1)) for m in members]
        folds = np.array_split(np.arange(len(y)), n_folds)
        found = {}
        for name, s in [("scorer", through_the_scorer), ("ranks", scorer)]:
            start = time.perf_counter()
            weights, score = greedy_selection(
                members, y, s, args.rounds, np.array([0, 1]), folds=folds
            )
            found[name] = (time.perf_counter() - start, weights, score)
        (slow, w_slow, s_slow), (fast, w_fast, s_fast) = found.values()
        rows.append(
            {
                "rows, folds": f"{n_rows}, {n_folds}",
                "through the scorer (s)": slow,
                "from the ranks (s)": fast,
                "speed-up": slow / fast,
                "same weights": bool(np.allclose(w_slow, w_fast)),
                "score difference": abs(s_slow - s_fast),
            }
        )
    table = markdown_table(pd.DataFrame(rows), floatfmt=".3g")
    text = "\n\n".join(
        [
            "# Ensemble selection under ROC AUC: the scorer against the ranks",
            f"{args.members} members, {args.rounds} rounds, seed {args.seed}.",
            machine_line(),
            "Load average before (1 / 5 / 15 min): "
            + " / ".join(f"{x:.2f}" for x in load),
            table,
        ]
    )
    print(text)
    write_result("selection_speed.md", text)


if __name__ == "__main__":
    main()
