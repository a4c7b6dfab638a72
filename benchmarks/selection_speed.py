"""Ensemble selection fold by fold under ROC AUC: the scorer against the ranks.

``greedy_selection`` scores every member's blend on every fold of every round: under
ROC AUC (binary, or one-vs-rest over several classes), ``autodl.utils.score_output``
computes the area from the ranks instead of calling scikit-learn's scorer (whose
``roc_auc_score`` spends about 1.3 ms a call on input checks). Both run here in the
same process on the same synthetic out-of-fold probabilities (8 members, 40 rounds,
the fold shapes of a search's repeated 5-fold on credit-g and ionosphere and of its
5-fold on churn; 6 classes on the shapes of yeast and satimage); the reference is the
same scorer wrapped in a function, which ``score_output`` does not recognise. They
must pick the same weights and reach the same score.

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

# (rows of the search's training part, folds, classes): credit-g and ionosphere on
# 5-fold x3, churn on 5-fold (binary ROC AUC); a 6-class target of yeast's size on
# 5-fold x3 and of satimage's on 5-fold (one-vs-rest ROC AUC)
SHAPES = [(750, 15, 2), (263, 15, 2), (3750, 5, 2), (1113, 15, 6), (4826, 5, 6)]


def outputs(rows, n_members, n_classes, rng):
    """Probabilities of ``n_members`` models of differing skill (binary: a 30 %
    class)."""
    if n_classes == 2:
        y = (rng.random(rows) < 0.3).astype(int)
    else:
        y = rng.integers(n_classes, size=rows)
    members = []
    for _ in range(n_members):
        logits = 2 * rng.random() * np.eye(n_classes)[y]
        logits += rng.standard_normal((rows, n_classes))
        p = np.exp(logits)
        members.append(p / p.sum(axis=1, keepdims=True))
    return y, members


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    load = os.getloadavg()
    rows = []
    for n_rows, n_folds, n_classes in SHAPES:
        scorer = get_scorer("roc_auc" if n_classes == 2 else "roc_auc_ovr")

        def through_the_scorer(estimator, X, y, scorer=scorer, **kwargs):
            return scorer(estimator, X, y, **kwargs)

        y, members = outputs(n_rows, args.members, n_classes, rng)
        repeats = n_folds // 5  # stacked repetitions, as the evaluator stacks them
        y, members = np.tile(y, repeats), [np.tile(m, (repeats, 1)) for m in members]
        folds = np.array_split(np.arange(len(y)), n_folds)
        found = {}
        for name, s in [("scorer", through_the_scorer), ("ranks", scorer)]:
            start = time.perf_counter()
            weights, score = greedy_selection(
                members, y, s, args.rounds, np.arange(n_classes), folds=folds
            )
            found[name] = (time.perf_counter() - start, weights, score)
        (slow, w_slow, s_slow), (fast, w_fast, s_fast) = found.values()
        rows.append(
            {
                "rows, folds, classes": f"{n_rows}, {n_folds}, {n_classes}",
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
