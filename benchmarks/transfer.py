"""Transfer learning on a small labelled sample: a net from scratch against one
initialised from a net trained on a related task.

Dataset: satimage (6 classes, 36 features; ``--data-dir``). For each seed: a 25%
stratified test split; from the rest, a *target* sample of ``--n-target`` labelled
rows (stratified) and, disjoint from it, a *source* sample of ``--n-source`` rows.
Inputs are standardised with a scaler fitted on the non-test rows (no labels).
Two source nets, both ``MLPClassifier`` defaults ((128, 64) ReLU, Adam, early
stopping), are trained on the source rows:

- **same task, another sample**: the 6 classes;
- **related target**: a coarser task, grey soils (classes 3, 4, 7) against the
  rest (1, 2, 5), so its output layer does not fit and is re-initialised.

Then on the target sample, with the same defaults: a net from scratch;
``init_from=source`` (every layer that fits is copied, all train); and
``init_from=source, freeze=2, freeze_epochs=20`` (the copied hidden layers stay
fixed for 20 epochs while the output layer trains, then everything trains).
Scores are the balanced accuracy on the test split, mean and standard deviation
over the seeds, and the per-seed gain over the net from scratch.

    python benchmarks/transfer.py --data-dir ../shared/datasets
"""

import argparse
import os
import sys
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import balanced_accuracy_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import LabelEncoder, StandardScaler  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _common import DEFAULT_DATA_DIR, machine_line, markdown_table, write_result  # noqa: E402

from autodl.datasets import load_csv  # noqa: E402
from autodl.neural import MLPClassifier  # noqa: E402

# satimage labels 1, 2, 3, 4, 5, 7 encode as 0..5; grey soils are 3, 4 and 7
GREY_SOILS = [2, 3, 5]
ROWS = [
    ("from scratch", None, {}),
    ("init_from same task", "same", {}),
    ("init_from same task, freeze=2", "same", {"freeze": 2, "freeze_epochs": 20}),
    ("init_from related target", "related", {}),
    (
        "init_from related target, freeze=2",
        "related",
        {"freeze": 2, "freeze_epochs": 20},
    ),
]


def samples(X, y, seed, n_target, n_source):
    pool, test = train_test_split(
        np.arange(len(y)), test_size=0.25, random_state=seed, stratify=y
    )
    rest, target = train_test_split(
        pool, test_size=n_target, random_state=seed, stratify=y[pool]
    )
    source = np.random.RandomState(seed).choice(rest, n_source, replace=False)
    scaler = StandardScaler().fit(X[pool])
    Xs = scaler.transform(X).astype(np.float32)
    return Xs, target, source, test


def run(X, y, seeds, n_target, n_source):
    records = []
    for seed in seeds:
        Xs, target, source, test = samples(X, y, seed, n_target, n_source)
        net = MLPClassifier(random_state=seed, device="cpu")
        sources = {
            "same": MLPClassifier(random_state=seed, device="cpu").fit(
                Xs[source], y[source]
            ),
            "related": MLPClassifier(random_state=seed, device="cpu").fit(
                Xs[source], np.isin(y[source], GREY_SOILS).astype(int)
            ),
        }
        records.append(
            {
                "seed": seed,
                "model": f"source net alone ({n_source} rows, same task)",
                "score": balanced_accuracy_score(
                    y[test], sources["same"].predict(Xs[test])
                ),
                "seconds": np.nan,
            }
        )
        for name, origin, params in ROWS:
            model = net.set_params(
                init_from=None if origin is None else sources[origin],
                **{"freeze": 0, **params},
            )
            start = time.perf_counter()
            model.fit(Xs[target], y[target])
            records.append(
                {
                    "seed": seed,
                    "model": name,
                    "score": balanced_accuracy_score(y[test], model.predict(Xs[test])),
                    "seconds": time.perf_counter() - start,
                    "layers": model.transferred_layers_,
                }
            )
        print(f"seed {seed} done", file=sys.stderr)
    return pd.DataFrame(records)


def table(results):
    scratch = results[results["model"] == "from scratch"].set_index("seed")["score"]
    rows = []
    for name in dict.fromkeys(results["model"]):
        part = results[results["model"] == name].set_index("seed")
        gain = part["score"] - scratch.loc[part.index]
        layers = part["layers"].iloc[0] if "layers" in part else None
        rows.append(
            {
                "model": name,
                "copied layers": ", ".join(layers) if isinstance(layers, list) else "",
                "balanced accuracy (mean)": part["score"].mean(),
                "std over seeds": part["score"].std(ddof=1),
                "gain over scratch (mean)": gain.mean(),
                "gain std": gain.std(ddof=1),
                "fit seconds (mean)": part["seconds"].mean(),
            }
        )
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n-target", type=int, default=200)
    parser.add_argument("--n-source", type=int, default=2000)
    parser.add_argument("--out", default="transfer.md")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=UserWarning)
    X, y = load_csv(os.path.join(args.data_dir, "satimage.csv.gz"), "target")
    X = X.to_numpy(dtype=np.float64)
    y = LabelEncoder().fit_transform(y)
    start = time.perf_counter()
    results = run(X, y, range(args.seeds), args.n_target, args.n_source)
    frame = table(results)
    text = "\n\n".join(
        [
            f"satimage: {args.n_target} labelled target rows, source nets trained "
            f"on {args.n_source} other rows; test = 25% stratified split; "
            f"{args.seeds} seeds; balanced accuracy on the test split. Wall time "
            f"{time.perf_counter() - start:.0f} s.",
            markdown_table(frame, floatfmt=".4f"),
            machine_line(),
        ]
    )
    print(text)
    path = write_result(args.out, text)
    print(f"written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
