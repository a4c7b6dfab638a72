"""Per-epoch learning curves of fitted nets, as a table and as a figure."""

import numpy as np
import pandas as pd

from autodl.utils import find_net

__all__ = ["learning_curves", "plot_learning_curves"]

# columns of a skorch history row that are bookkeeping, not curves
_SKIPPED = {"batches", "train_batch_count", "valid_batch_count"}
# the curve columns first, in this order; other recorded scores follow
_FIRST = ["train_loss", "valid_loss"]
_LAST = ["lr", "dur"]


def _history(net):
    """The skorch History (a list of per-epoch dicts) behind ``net``."""
    if isinstance(net, pd.DataFrame):
        return net
    found, _ = find_net(net)
    if found is None:
        found = net
    history = getattr(found, "history_", None)
    if history is None:
        history = getattr(found, "history", None)
    if history is None and isinstance(found, list):
        history = found
    if history is None or not isinstance(history, list):
        raise TypeError(
            f"{type(net).__name__} has no training history; pass a fitted autodl "
            "MLPClassifier / MLPRegressor (or a pipeline ending in one), a skorch "
            "net, its history, or a DataFrame from learning_curves."
        )
    if len(history) == 0:
        raise ValueError(
            f"{type(net).__name__} is not fitted (its history is empty); call fit "
            "first."
        )
    return history


def learning_curves(net):
    """The per-epoch learning curves of a fitted net, one row per epoch.

    Parameters
    ----------
    net : fitted MLPClassifier, MLPRegressor, Pipeline ending in one, skorch net \
or skorch History
        The trained net (its ``history_``; for skorch nets, ``history``).

    Returns
    -------
    curves : pandas.DataFrame
        Indexed by ``epoch`` (1-based), with ``train_loss``, ``valid_loss`` (with
        a validation split), every score skorch recorded (``valid_acc`` for the
        classifier, ``valid_r2`` for the regressor, ``train_acc`` / ``train_r2``
        when a training-score callback ran, as :func:`diagnose` adds), ``lr``
        (at the start of the epoch) and ``dur`` (seconds). A value an epoch did
        not record (early stopping ends the last epoch before later callbacks
        run) is NaN. ``curves.attrs["best_epoch"]`` is the net's
        ``best_epoch_`` when it has one.

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from autodl.neural import MLPClassifier
    >>> from autodl.diagnostics import learning_curves
    >>> X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    >>> net = MLPClassifier(hidden_layer_sizes=(16,), max_epochs=5,
    ...                     random_state=0).fit(X, y)
    >>> learning_curves(net).columns.tolist()
    ['train_loss', 'valid_loss', 'valid_acc', 'lr', 'dur']
    """
    if isinstance(net, pd.DataFrame):
        return net.copy()
    history = _history(net)
    keys = []
    for row in history:
        for key in row:
            if key in _SKIPPED or key.endswith("_best") or key == "epoch":
                continue
            if key not in keys:
                keys.append(key)
    middle = [k for k in keys if k not in _FIRST and k not in _LAST]
    # train_* scores before valid_* scores, each group in recorded order
    middle.sort(key=lambda k: (not k.startswith("train_"), keys.index(k)))
    first = [k for k in _FIRST if k in keys]
    columns = first + middle + [k for k in _LAST if k in keys]
    frame = pd.DataFrame(
        [{k: row.get(k, np.nan) for k in columns} for row in history],
        columns=columns,
        dtype=float,
    )
    frame.index = pd.Index(
        [int(row.get("epoch", i + 1)) for i, row in enumerate(history)], name="epoch"
    )
    found, _ = find_net(net)
    best = getattr(found, "best_epoch_", None)
    if best is not None:
        frame.attrs["best_epoch"] = int(best)
    return frame


def _metric_columns(curves):
    """(train metric column or None, validation metric column or None)."""
    valid = [c for c in curves if c.startswith("valid_") and c != "valid_loss"]
    if not valid:
        train = [c for c in curves if c.startswith("train_") and c != "train_loss"]
        return (train[0] if train else None), None
    name = valid[0].removeprefix("valid_")
    train = f"train_{name}"
    return (train if train in curves else None), valid[0]


def _labelled(net_or_nets):
    """[(label or None, curves DataFrame)] from one net, a list or a dict."""
    if isinstance(net_or_nets, dict):
        items = list(net_or_nets.items())
    elif isinstance(net_or_nets, (list, tuple)):
        items = [(None, n) for n in net_or_nets]
    else:
        items = [(None, net_or_nets)]
    labelled = []
    for i, (label, net) in enumerate(items):
        if label is None and len(items) > 1:
            label = f"run {i + 1}"
        labelled.append((label, learning_curves(net)))
    return labelled


def plot_learning_curves(net_or_nets, ax=None):
    """Loss and metric per epoch, training (solid) against validation (dashed).

    Parameters
    ----------
    net_or_nets : fitted net, list of nets or dict of {label: net}
        Anything :func:`learning_curves` reads (a fitted autodl net, a pipeline
        ending in one, a skorch net, a DataFrame from ``learning_curves``). With
        several, each net gets its own colour, labelled by its dict key or
        ``run i``.
    ax : sequence of two matplotlib Axes, default=None
        Axes for the loss panel and the metric panel; ``None`` makes a new
        figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Left: ``train_loss`` and ``valid_loss``, a dot at the best epoch. Right:
        the validation metric (``valid_acc`` / ``valid_r2``) and the training
        metric when one was recorded.

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from autodl.neural import MLPClassifier
    >>> from autodl.diagnostics import plot_learning_curves
    >>> X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    >>> nets = {f"lr={lr}": MLPClassifier(hidden_layer_sizes=(16,), lr=lr,
    ...         max_epochs=5, random_state=0).fit(X, y) for lr in (1e-3, 1e-2)}
    >>> fig = plot_learning_curves(nets)
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt

    curves = _labelled(net_or_nets)
    if ax is None:
        fig, (loss_ax, metric_ax) = plt.subplots(1, 2, figsize=(10, 3.8))
    else:
        loss_ax, metric_ax = ax
        fig = loss_ax.figure
    metric_name = None
    for i, (label, frame) in enumerate(curves):
        found = _plot_run(loss_ax, metric_ax, frame, label, f"C{i % 10}")
        metric_name = found or metric_name
    _finish_loss_panel(loss_ax, curves)
    _finish_metric_panel(metric_ax, metric_name)
    fig.tight_layout()
    return fig


def _plot_run(loss_ax, metric_ax, frame, label, color):
    """One net's curves in ``color``; the name of its metric (or None)."""
    prefix = f"{label}: " if label else ""
    epochs = frame.index.to_numpy()
    for column, style in (("train_loss", "-"), ("valid_loss", "--")):
        if column in frame:
            loss_ax.plot(
                epochs,
                frame[column],
                style,
                color=color,
                label=f"{prefix}{column.split('_')[0]}",
            )
    best = frame.attrs.get("best_epoch")
    monitored = "valid_loss" if "valid_loss" in frame else "train_loss"
    if best is not None and best in frame.index and monitored in frame:
        loss_ax.plot(best, frame.loc[best, monitored], "o", color=color)
    metric_name = None
    train_metric, valid_metric = _metric_columns(frame)
    for column, style in ((train_metric, "-"), (valid_metric, "--")):
        if column is not None:
            metric_name = column.split("_", 1)[1]
            metric_ax.plot(
                epochs,
                frame[column],
                style,
                color=color,
                label=f"{prefix}{column.split('_')[0]}",
            )
    return metric_name


def _finish_loss_panel(loss_ax, curves):
    loss_ax.set(xlabel="epoch", ylabel="loss", title="loss")
    values = np.concatenate(
        [f[c].to_numpy() for _, f in curves for c in _FIRST if c in f]
    )
    values = values[np.isfinite(values)]
    if values.size and values.min() > 0 and values.max() / values.min() > 50:
        loss_ax.set_yscale("log")  # a diverging loss would flatten the rest
    loss_ax.legend(fontsize="small")


def _finish_metric_panel(metric_ax, metric_name):
    if metric_name is None:
        metric_ax.text(
            0.5,
            0.5,
            "no metric recorded",
            ha="center",
            va="center",
            transform=metric_ax.transAxes,
        )
        metric_ax.set_axis_off()
    else:
        metric_ax.set(xlabel="epoch", ylabel=metric_name, title=metric_name)
        metric_ax.legend(fontsize="small")
