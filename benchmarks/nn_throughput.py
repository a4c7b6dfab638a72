"""Training throughput: autodl's MLPClassifier against a plain PyTorch loop.

autodl's ``MLPClassifier`` runs with its defaults (input scaling, embeddings,
activation, optimiser, schedule, label smoothing: whatever the defaults are), only
one net (``n_seeds=1``: the default's two nets are two such fits), without a
validation split and early stopping, for ``--epochs`` epochs over
``--rows`` x ``--features`` float32 data in batches of ``--batch-size`` rows
(``--hidden`` overrides its hidden layer sizes). The plain loop trains the same
network the same way, written directly in PyTorch: the same input scaling and
quantile bins fitted first, the same torch module, Adam with the same learning rate
and betas (fused where autodl's is), cross-entropy with the same label smoothing, the
same per-batch learning rate schedule; it slices shuffled batches from tensors
already on the device and sums the epoch's training loss (``loss.item()``) as skorch
does. So the ratio is the cost of autodl's machinery (input validation, skorch's
callbacks and history), not of the architecture. Each timing covers the whole fit:
numpy arrays in, trained model out. Both run on the same device, in the same process.

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


def make_autodl(args):
    sizes = {} if args.hidden is None else {"hidden_layer_sizes": args.hidden}
    return MLPClassifier(
        **sizes,
        batch_size=args.batch_size,
        max_epochs=args.epochs,
        early_stopping=False,
        validation_fraction=0.0,
        device=args.device,
        n_threads=None,  # same torch threads as the plain loop
        n_seeds=1,  # one net, as the loop trains (n_seeds nets cost n_seeds fits)
        random_state=0,
    )


def fit_autodl(X, y, args):
    model = make_autodl(args)
    start = time.perf_counter()
    model.fit(X, y)
    sync(args.device)
    return time.perf_counter() - start, model


def fit_plain(X, y, args, module_kwargs):
    """The same network and training as autodl's defaults, in plain PyTorch.

    ``module_kwargs`` are the torch module's arguments as autodl built them (the
    architecture); everything fitted on data (scaler, bins) is fitted here again.
    """
    from autodl.neural._callbacks import FlatAnneal
    from autodl.neural._estimators import _FLAT_FRACTION, _has_fused_adam
    from autodl.neural._modules import MLPModule
    from autodl.neural._scaling import make_input_scaler, quantile_bins

    p = make_autodl(args).get_params()
    start = time.perf_counter()
    torch.manual_seed(0)
    device = torch.device(args.device)
    scaler = make_input_scaler(p["input_scaling"], len(X), 0)
    if scaler is not None:
        X = scaler.fit_transform(X).astype(np.float32)
    kwargs = dict(module_kwargs)
    if p["numeric_embedding"] == "piecewise_linear":
        kwargs["bins"] = quantile_bins(X, p["n_bins"])
    X_t = torch.from_numpy(X).to(device)
    y_t = torch.from_numpy(y).to(device)
    model = MLPModule(**kwargs).to(device)
    optimizer = torch.optim.Adam(
        model.parameters(),
        lr=p["lr"],
        betas=p["betas"],
        weight_decay=p["weight_decay"],
        fused=_has_fused_adam(args.device),  # as autodl's net runs it
    )
    loss_fn = nn.CrossEntropyLoss(label_smoothing=p["label_smoothing"])
    n = len(X_t)
    steps = args.epochs * -(-n // args.batch_size)
    schedule = None
    if p["lr_schedule"] == "flat_anneal":
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer, FlatAnneal(steps, _FLAT_FRACTION)
        )
    elif p["lr_schedule"] is not None:
        raise SystemExit(f"the plain loop has no lr_schedule={p['lr_schedule']!r}")
    model.train()
    for _ in range(args.epochs):
        order = torch.randperm(n, device=device)
        total = 0.0
        for i in range(0, n, args.batch_size):
            idx = order[i : i + args.batch_size]
            xb, yb = X_t[idx], y_t[idx]
            optimizer.zero_grad()
            out = model(xb)
            if out.dim() == 3:  # an ensemble: the mean of the members' losses
                k = out.shape[1]
                out, yb = out.reshape(-1, out.shape[-1]), yb.repeat_interleave(k)
            loss = loss_fn(out, yb)
            loss.backward()
            optimizer.step()
            if schedule is not None:
                schedule.step()
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
        default=None,
        help="hidden layer sizes, comma-separated (default: autodl's default)",
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
    _, model = fit_autodl(X[:small], y[:small], warm)
    module_kwargs = model.net_.get_params_for("module")
    fit_plain(X[:small], y[:small], warm, module_kwargs)

    autodl_times, plain_times = [], []
    for _ in range(args.repeats):  # interleaved, so drift hits both alike
        autodl_times.append(fit_autodl(X, y, args)[0])
        plain_times.append(fit_plain(X, y, args, module_kwargs))
    best = min(autodl_times), min(plain_times)
    median = statistics.median(autodl_times), statistics.median(plain_times)
    ratio = best[0] / best[1]

    hidden = ", ".join(
        map(str, model.net_.get_params_for("module")["hidden_layer_sizes"])
    )
    recipe = ", ".join(
        f"{k}={v!r}"
        for k, v in model.get_params().items()
        if k
        in (
            "input_scaling",
            "numeric_embedding",
            "activation",
            "feature_scale",
            "lr",
            "betas",
            "lr_schedule",
            "label_smoothing",
            "n_ensemble",
        )
    )
    table = "\n".join(
        [
            f"Training {args.epochs} epochs over {args.rows:,} x {args.features} "
            f"rows, batch {args.batch_size}, MLP ({hidden}), autodl's defaults "
            f"({recipe}), on {args.device}; {args.repeats} runs each (seconds).",
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
