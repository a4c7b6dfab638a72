"""Greedy layer-wise pretraining of a deep sigmoid net: learning curves and scores.

A net with 5 hidden layers of 64 sigmoid units (``MLPClassifier``, Adam at
``--lr``, batches of 64) is trained for a fixed ``--max-epochs`` (no early
stopping, so every curve has every epoch; 20% of the training rows held out for
the validation curve) three ways:

- from its random initialisation (``pretrain=None``);
- ``pretrain="greedy"``: each hidden layer trained in turn with a new output head
  on the fixed layers below, ``--pretrain-epochs`` epochs each, then the whole net;
- ``pretrain="autoencoder"``: each hidden layer trained in turn as a denoising
  autoencoder of its input (no labels), then the whole net.

Data: ``make_circles(2000, noise=0.1, factor=0.5)`` (half held out for the test)
and satimage from the dev datasets (25% stratified test split, standardised
inputs). Reported: the validation accuracy after 5, 10, 20, 50 and 100 epochs of
the whole-net training (mean over the seeds), the test score at the end (accuracy
for circles, balanced accuracy for satimage; mean and std over the seeds) and the
fit time, pretraining included. The learning curves go to
``benchmarks/results/pretraining.png``.

    python benchmarks/pretraining.py --data-dir ../shared/datasets
"""

import argparse
import os
import sys
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.datasets import make_circles  # noqa: E402
from sklearn.metrics import accuracy_score, balanced_accuracy_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import LabelEncoder, StandardScaler  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from _common import (  # noqa: E402
    DEFAULT_DATA_DIR,
    RESULTS,
    machine_line,
    markdown_table,
    write_result,
)

from autodl.datasets import load_csv  # noqa: E402
from autodl.neural import MLPClassifier  # noqa: E402

VARIANTS = [None, "greedy", "autoencoder"]
CHECKPOINTS = [5, 10, 20, 50, 100]


def datasets(data_dir):
    X, y = make_circles(2000, noise=0.1, factor=0.5, random_state=0)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.5, random_state=0, stratify=y
    )
    yield "circles", accuracy_score, (X_tr, X_te, y_tr, y_te)
    path = os.path.join(data_dir, "satimage.csv.gz")
    if not os.path.exists(path):
        print(f"{path} not found: satimage skipped", file=sys.stderr)
        return
    X, y = load_csv(path, "target")
    y = LabelEncoder().fit_transform(y)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X.to_numpy(dtype=np.float64), y, test_size=0.25, random_state=0, stratify=y
    )
    scaler = StandardScaler().fit(X_tr)
    yield (
        "satimage",
        balanced_accuracy_score,
        (scaler.transform(X_tr), scaler.transform(X_te), y_tr, y_te),
    )


def run(args):
    records, curves = [], {}
    for name, metric, (X_tr, X_te, y_tr, y_te) in datasets(args.data_dir):
        for variant in VARIANTS:
            for seed in range(args.seeds):
                net = MLPClassifier(
                    hidden_layer_sizes=(64,) * 5,
                    activation=args.activation,
                    lr=args.lr,
                    max_epochs=args.max_epochs,
                    early_stopping=False,
                    validation_fraction=0.2,
                    pretrain=variant,
                    pretrain_epochs=args.pretrain_epochs,
                    device="cpu",
                    random_state=seed,
                )
                start = time.perf_counter()
                net.fit(X_tr, y_tr)
                seconds = time.perf_counter() - start
                curve = np.asarray(net.history_[:, "valid_acc"], dtype=float)
                curves.setdefault((name, variant), []).append(curve)
                records.append(
                    {
                        "dataset": name,
                        "pretrain": str(variant),
                        "seed": seed,
                        "test": metric(y_te, net.predict(X_te)),
                        "seconds": seconds,
                        **{
                            f"valid acc @{e}": curve[e - 1]
                            for e in CHECKPOINTS
                            if e <= len(curve)
                        },
                    }
                )
            print(f"{name} {variant} done", file=sys.stderr)
    return pd.DataFrame(records), curves


def table(results):
    grouped = results.drop(columns="seed").groupby(["dataset", "pretrain"], sort=False)
    frame = grouped.mean()
    frame.insert(1, "test std", grouped["test"].std(ddof=1))
    frame = frame.rename(columns={"test": "test score (mean)"})
    return frame.reset_index()


def plot(curves, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(name for name, _ in curves))
    fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.5))
    for ax, name in zip(np.atleast_1d(axes), names, strict=True):
        for variant in VARIANTS:
            runs = np.array(curves[(name, variant)])
            epochs = np.arange(1, runs.shape[1] + 1)
            ax.plot(epochs, runs.mean(axis=0), label=f"pretrain={variant}")
            ax.fill_between(epochs, runs.min(axis=0), runs.max(axis=0), alpha=0.15)
        ax.set(
            title=f"{name}: 5 x 64 sigmoid units",
            xlabel="epoch of whole-net training",
            ylabel="validation accuracy",
        )
        ax.legend()
    fig.savefig(path, dpi=100, bbox_inches="tight")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--activation", default="sigmoid")
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--max-epochs", type=int, default=100)
    parser.add_argument("--pretrain-epochs", type=int, default=20)
    parser.add_argument("--out", default="pretraining.md")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=UserWarning)
    start = time.perf_counter()
    results, curves = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    figure = RESULTS / (os.path.splitext(args.out)[0] + ".png")
    plot(curves, figure)
    text = "\n\n".join(
        [
            f"5 hidden layers x 64 {args.activation} units, Adam lr={args.lr}, "
            f"batch 64, {args.max_epochs} epochs of whole-net training (no early "
            f"stopping), pretraining {args.pretrain_epochs} epochs per layer; "
            f"{args.seeds} seeds. Validation accuracy (20% of the training rows) "
            "after n epochs of whole-net training, mean over seeds; test score: "
            "accuracy (circles) or balanced accuracy (satimage). Seconds: the whole "
            f"fit, pretraining included. Wall time {time.perf_counter() - start:.0f}"
            f" s. Learning curves: {figure.name}.",
            markdown_table(table(results), floatfmt=".4f"),
            machine_line(),
        ]
    )
    print(text)
    path = write_result(args.out, text)
    print(f"written to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
