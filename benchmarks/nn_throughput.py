"""Training throughput: autodl's MLPClassifier against a plain PyTorch loop.

Both train the same MLP (ReLU, hidden layers ``--hidden``) with Adam (lr 1e-3) for
``--epochs`` epochs over the same ``--rows`` x ``--features`` float32 data in
batches of ``--batch-size`` rows, shuffled each epoch, on the same device and in the
same process. autodl runs without a validation split and without early stopping, so
it does the plain loop's work plus its own: input validation, skorch's callbacks and
history. The plain loop slices shuffled batches from tensors already on the device
and sums the epoch's training loss (``loss.item()``) as skorch does. Each timing
covers the whole fit: numpy arrays in, trained model out.

    python benchmarks/nn_throughput.py                    # CPU, the issue's sizes
    python benchmarks/nn_throughput.py --device cuda      # on a GPU

Runs are interleaved (autodl, plain, autodl, ...) after one warm-up run of each.
Prints a markdown table with the best (minimum, as ``timeit`` advises: noise from
other processes only ever adds time) and the median of ``--repeats`` runs, and
writes it to benchmarks/results/nn_throughput.md.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import torch
from torch import nn

from autodl.neural import MLPClassifier

RESULTS = Path(__file__).resolve().parent / "results"


def make_data(rows, features, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, features), dtype=np.float32)
    w = rng.standard_normal(features).astype(np.float32)
    y = (X @ w + 0.5 * rng.standard_normal(rows) > 0).astype(np.int64)
    return X, y


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def fit_autodl(X, y, args):
    model = MLPClassifier(
        hidden_layer_sizes=args.hidden,
        optimizer="adam",
        lr=1e-3,
        batch_size=args.batch_size,
        max_epochs=args.epochs,
        early_stopping=False,
        validation_fraction=0.0,
        device=args.device,
        n_threads=None,  # same torch threads as the plain loop
        random_state=0,
    )
    start = time.perf_counter()
    model.fit(X, y)
    sync(args.device)
    return time.perf_counter() - start


def fit_plain(X, y, args):
    start = time.perf_counter()
    torch.manual_seed(0)
    device = torch.device(args.device)
    X_t = torch.from_numpy(X).to(device)
    y_t = torch.from_numpy(y).to(device)
    layers, width = [], X.shape[1]
    for size in args.hidden:
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    model = nn.Sequential(*layers, nn.Linear(width, 2)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = len(X_t)
    model.train()
    for _ in range(args.epochs):
        order = torch.randperm(n, device=device)
        total = 0.0
        for i in range(0, n, args.batch_size):
            idx = order[i : i + args.batch_size]
            xb, yb = X_t[idx], y_t[idx]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        _epoch_loss = total / n
    sync(args.device)
    return time.perf_counter() - start


def machine_line(device, load):
    import sklearn
    import skorch

    import autodl

    if device.startswith("cuda"):
        where = f"GPU {torch.cuda.get_device_name(torch.device(device))}"
    else:
        where = f"CPU ({platform.processor() or platform.machine()})"
    return (
        f"Measured on {where}, {platform.system()}, {os.cpu_count()} cores, "
        f"torch threads {torch.get_num_threads()} "
        f"(OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}), "
        f"Python {sys.version.split()[0]}, torch {torch.__version__}, "
        f"skorch {skorch.__version__}, scikit-learn {sklearn.__version__}, "
        f"autodl {autodl.__version__}. 1-minute load average when the runs "
        f"began: {load:.1f} (other processes share these cores)."
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument(
        "--hidden",
        type=lambda s: tuple(int(v) for v in s.split(",")),
        default=(256, 256),
        help="hidden layer sizes, comma-separated (default 256,256)",
    )
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--out", type=Path, default=RESULTS / "nn_throughput.md", help="result file"
    )
    args = parser.parse_args(argv)
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        parser.error(f"--device {args.device}: torch sees no CUDA GPU here")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    X, y = make_data(args.rows, args.features)
    # warm-up: allocators, kernels and lazy imports are paid before timing
    small = min(len(X), 4 * args.batch_size)
    warm = argparse.Namespace(**{**vars(args), "epochs": 1})
    fit_autodl(X[:small], y[:small], warm)
    fit_plain(X[:small], y[:small], warm)

    autodl_times, plain_times = [], []
    for _ in range(args.repeats):  # interleaved, so drift hits both alike
        autodl_times.append(fit_autodl(X, y, args))
        plain_times.append(fit_plain(X, y, args))
    best = min(autodl_times), min(plain_times)
    median = statistics.median(autodl_times), statistics.median(plain_times)
    ratio = best[0] / best[1]

    hidden = ", ".join(map(str, args.hidden))
    table = "\n".join(
        [
            f"Training {args.epochs} epochs over {args.rows:,} x {args.features} "
            f"rows, batch {args.batch_size}, MLP ({hidden}), Adam, on "
            f"{args.device}; {args.repeats} runs each (seconds).",
            "",
            "| statistic | autodl MLPClassifier (s) | plain torch loop (s) | ratio |",
            "| --- | --- | --- | --- |",
            f"| best | {best[0]:.3f} | {best[1]:.3f} | {ratio:.3f}x |",
            f"| median | {median[0]:.3f} | {median[1]:.3f} "
            f"| {median[0] / median[1]:.3f}x |",
            "",
            "All runs (autodl / plain): "
            + ", ".join(
                f"{a:.3f}/{p:.3f}"
                for a, p in zip(autodl_times, plain_times, strict=True)
            ),
            "",
            machine_line(args.device, load),
        ]
    )
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table + "\n")
    return ratio


if __name__ == "__main__":
    main()
