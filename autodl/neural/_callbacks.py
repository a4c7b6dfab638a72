"""skorch callbacks for what skorch itself lacks: max-norm, an lr column, pickling,
weight snapshots, weight averaging, and a search's deadline.

Early stopping, gradient clipping and learning-rate schedules come from skorch
(``EarlyStopping``, ``GradientNormClipping``, ``LRScheduler``), weight averaging
from ``torch.optim.swa_utils``; these callbacks fill the gaps.
"""

import copy
import math
import time
from collections import deque
from collections.abc import Mapping

import torch
from skorch.callbacks import Callback, LRScheduler
from torch.optim.lr_scheduler import ReduceLROnPlateau

__all__ = [
    "MaxNorm",
    "PicklableLRScheduler",
    "RecordLR",
    "WeightAveraging",
    "WeightSnapshots",
]


class MaxNorm(Callback):
    """Constrain the incoming weight vector of every hidden unit to an L2 norm.

    After each optimiser step, each row of the weight matrix of every hidden
    ``Linear`` layer (the weights into one unit) whose L2 norm exceeds
    ``max_norm`` is rescaled to norm ``max_norm`` (Srivastava et al., 2014, the
    max-norm constraint used with dropout). The output layer is left free.

    Parameters
    ----------
    max_norm : float
        The largest L2 norm allowed.

    Examples
    --------
    >>> MaxNorm(3.0).max_norm
    3.0
    """

    def __init__(self, max_norm):
        self.max_norm = max_norm

    def on_batch_end(self, net, training=False, **kwargs):
        if not training:
            return
        with torch.no_grad():
            for layer in net.module_.hidden_linears():
                weight = layer.weight
                weight.copy_(torch.renorm(weight, p=2, dim=0, maxnorm=self.max_norm))


class RecordLR(Callback):
    """Write the learning rate of each epoch's first step to ``history[:, "lr"]``.

    Parameters
    ----------
    name : str, default="lr"
        Column name in the history.

    Examples
    --------
    >>> RecordLR().name
    'lr'
    """

    def __init__(self, name="lr"):
        self.name = name

    def on_epoch_begin(self, net, **kwargs):
        net.history.record(self.name, net.optimizer_.param_groups[0]["lr"])


class PicklableLRScheduler(LRScheduler):
    """skorch's ``LRScheduler`` without its torch scheduler in the pickle.

    The torch scheduler holds a reference to the optimiser, so pickling it would
    store the optimiser state a second time, outside skorch's device-mapping
    mechanism, and a net trained on CUDA would not load on a CPU machine. The
    scheduler is rebuilt at the start of every fit anyway, and from its first
    step: skorch would resume it at the history's epoch count, which a warm
    start carries over.

    Parameters
    ----------
    policy : str or torch scheduler class
        As for skorch's ``LRScheduler``.
    monitor : str, default="train_loss"
        As for skorch's ``LRScheduler``.
    event_name : str or None, default="event_lr"
        As for skorch's ``LRScheduler``.
    step_every : {"epoch", "batch"}, default="epoch"
        As for skorch's ``LRScheduler``.
    **kwargs : dict
        Passed to the torch scheduler.

    Examples
    --------
    >>> from torch.optim.lr_scheduler import StepLR
    >>> PicklableLRScheduler(StepLR, step_size=2).step_every
    'epoch'
    """

    def _get_scheduler(self, net, policy, **scheduler_kwargs):
        # every fit starts the schedule afresh: skorch resumes it at the epoch
        # count of the history, which a warm start carries over
        if policy is not ReduceLROnPlateau:
            scheduler_kwargs.setdefault("last_epoch", -1)
        return super()._get_scheduler(net, policy, **scheduler_kwargs)

    def __getstate__(self):
        state = self.__dict__.copy()
        state["lr_scheduler_"] = None
        return state


def _cpu_state(module):
    """A detached CPU copy of ``module.state_dict()`` (parameters and buffers)."""
    return {k: v.detach().to("cpu", copy=True) for k, v in module.state_dict().items()}


class WeightSnapshots(Callback):
    """Keep a CPU copy of the module's weights at the end of chosen epochs.

    The copies (parameters and buffers, e.g. batch-norm statistics) are in
    ``snapshots_``, a list of ``(epoch, state_dict)`` pairs in training order;
    ``net.module_.load_state_dict(state_dict)`` restores one. Epochs are 1-based,
    as in the net's history. ``SnapshotEnsemble`` uses it to turn one training run
    into several models.

    Parameters
    ----------
    epochs : collection of int
        The epochs at whose end the weights are copied.

    Attributes
    ----------
    snapshots_ : list of (int, dict)
        The copies taken so far (reset when the net is initialised).

    Examples
    --------
    >>> WeightSnapshots(epochs=[10, 20]).epochs
    [10, 20]
    """

    def __init__(self, epochs):
        self.epochs = epochs

    def initialize(self):
        self.snapshots_ = []
        return self

    def on_epoch_end(self, net, **kwargs):
        epoch = len(net.history)
        if epoch in set(self.epochs):
            self.snapshots_.append((epoch, _cpu_state(net.module_)))


def _training_batches(X, batch_size=4096):
    """``X`` in large batches for a batch-norm pass; no batch of a single row.

    ``X`` may be the net's dict of inputs (``{"X": X, "sample_weight": w}``):
    the statistics are those of the rows of positive weight.
    """
    if isinstance(X, Mapping):
        X = X["X"][torch.as_tensor(X["sample_weight"]) > 0]
    X = torch.as_tensor(X)
    batches = list(torch.split(X, batch_size))
    if len(batches) > 1 and len(batches[-1]) == 1:
        batches[-2:] = [torch.cat(batches[-2:])]
    return batches


class WeightAveraging(Callback):
    """Replace the trained weights by an average of the last epochs' weights.

    The weights at the end of each epoch are kept for a trailing window: the last
    ``ceil(fraction * n)`` epochs of the ``n`` epochs trained so far. When training
    ends, the module's parameters are set to the average of the window, computed
    by ``torch.optim.swa_utils.AveragedModel``:

    - ``"swa"``: equal weights (stochastic weight averaging, Izmailov et al., 2018);
    - ``"ema"``: an exponential moving average of the window in epoch order, with
      ``decay = 1 - 2 / (len(window) + 1)`` (the span convention of pandas' ``ewm``),
      so the last epochs weigh most.

    Batch-norm statistics are then recomputed for the averaged weights with
    ``torch.optim.swa_utils.update_bn`` on the training rows. The window is
    relative to the epochs actually trained, so the average covers the end of
    training whether the run used its whole budget or was ended early. Put it
    before ``EarlyStopping`` (which ends the last epoch by raising) and give that
    ``load_best=False``: a best-weight restore after this callback would undo it.

    Parameters
    ----------
    method : {"swa", "ema"}, default="swa"
        Equal or exponential weights.
    fraction : float in (0, 1], default=0.25
        Share of the epochs trained that the window covers.

    Attributes
    ----------
    averaged_epochs_ : tuple of (int, int) or None
        The first and last epoch (1-based) whose weights were averaged; None
        before training ends.

    Examples
    --------
    >>> WeightAveraging("ema").method
    'ema'
    """

    def __init__(self, method="swa", fraction=0.25):
        self.method = method
        self.fraction = fraction

    def initialize(self):
        self.window_ = deque()
        self.averaged_epochs_ = None
        return self

    def on_train_begin(self, net, **kwargs):
        self.window_ = deque()
        self.averaged_epochs_ = None

    def on_epoch_end(self, net, **kwargs):
        epoch = len(net.history)
        self.window_.append((epoch, _cpu_state(net.module_)))
        keep = max(1, math.ceil(self.fraction * epoch))
        while len(self.window_) > keep:
            self.window_.popleft()

    def on_train_end(self, net, X=None, **kwargs):
        from torch.optim.swa_utils import (
            AveragedModel,
            get_ema_multi_avg_fn,
            update_bn,
        )

        window, self.window_ = list(self.window_), deque()
        if not window:
            return
        multi_avg_fn = None
        if self.method == "ema":
            multi_avg_fn = get_ema_multi_avg_fn(1 - 2 / (len(window) + 1))
        scratch = copy.deepcopy(net.module_).to("cpu")
        averaged = AveragedModel(scratch, device="cpu", multi_avg_fn=multi_avg_fn)
        for _, state in window:
            scratch.load_state_dict(state)
            averaged.update_parameters(scratch)
        net.module_.load_state_dict(averaged.module.state_dict())
        self.averaged_epochs_ = (window[0][0], window[-1][0])
        if X is not None:  # update_bn returns at once when there is no batch norm
            update_bn(_training_batches(X), net.module_)


class _InterruptionGuard(Callback):
    """Count the epochs that finish and keep the best one's weights for a Ctrl-C.

    skorch ends training quietly on a ``KeyboardInterrupt`` (Ctrl-C, a callback,
    or ``EarlyStopping`` when it stops), possibly in the middle of an epoch. This
    callback records in ``completed_`` how many history rows belong to finished
    epochs, so the row of an epoch cut short can be dropped. With
    ``keep_weights`` (no early stopping to restore the best weights) it also keeps
    a copy, on the net's device, of the weights of the epoch with the lowest
    ``monitor`` value, for the estimator to restore after an interruption.
    :func:`check_interrupted` reads it after training. Put it before
    ``EarlyStopping``, which raises at the end of its last epoch.

    Parameters
    ----------
    monitor : str
        The history column to minimise (``"valid_loss"`` or ``"train_loss"``).
    keep_weights : bool
        Keep a copy of the best epoch's weights.

    Attributes
    ----------
    first_epoch_ : int
        The first epoch (1-based, as in the history) of the current training run.
    completed_ : int
        History rows of finished epochs.
    best_epoch_ : int or None
        The epoch whose weights are in ``best_state_``.
    best_state_ : dict or None
        The copy of the best epoch's ``state_dict`` (never pickled).
    """

    def __init__(self, monitor, keep_weights):
        self.monitor = monitor
        self.keep_weights = keep_weights

    def initialize(self):
        self._reset(0)
        return self

    def _reset(self, n_rows):
        self.first_epoch_ = n_rows + 1
        self.completed_ = n_rows
        self.best_epoch_ = None
        self.best_state_ = None
        self.best_loss_ = math.inf

    def on_train_begin(self, net, **kwargs):
        self._reset(len(net.history))

    def on_epoch_end(self, net, **kwargs):
        self.completed_ = len(net.history)
        if not self.keep_weights:
            return
        loss = float(net.history[-1, self.monitor])
        if math.isfinite(loss) and loss < self.best_loss_:
            self.best_loss_, self.best_epoch_ = loss, self.completed_
            self.best_state_ = {
                k: v.detach().clone() for k, v in net.module_.state_dict().items()
            }

    def __getstate__(self):
        state = self.__dict__.copy()
        state["best_state_"] = None  # device tensors, and only needed during fit
        return state


class _Deadline(Callback):
    """End training after the epoch that reaches ``deadline`` (a ``time.time()``).

    A search's fold fits run under :func:`autodl.utils.fit_deadline`; the main
    run of a net fitted there gets this callback, and stops as early stopping
    does: at the end of an epoch, by raising ``KeyboardInterrupt``, which skorch
    ends training on. The net then keeps its best epoch, as after early stopping.
    Put it after every other callback, so that they see the last epoch.

    Attributes
    ----------
    reached_ : bool
        Whether the deadline ended training.
    """

    def __init__(self, deadline):
        self.deadline = deadline

    def initialize(self):
        self.reached_ = False
        return self

    def on_epoch_end(self, net, **kwargs):
        if self.deadline is not None and time.time() >= self.deadline:
            self.reached_ = True
            raise KeyboardInterrupt


def check_interrupted(net, owner, phase=None):
    """Whether the last training run of ``net`` was interrupted (Ctrl-C).

    skorch ends training quietly on a ``KeyboardInterrupt`` (Ctrl-C, or a callback
    raising it), and ``EarlyStopping`` and a search's deadline (``_Deadline``) stop
    training that way too. Any other stop before ``net.max_epochs`` finished
    epochs is an interruption. The net's
    ``"interruption"`` callback (an ``_InterruptionGuard``) counted the finished
    epochs; the history row of an epoch cut short is dropped here. An interrupted
    run that leaves nothing to keep raises the ``KeyboardInterrupt`` again: a
    phase before the main run (``phase`` names it), or a run without one finished
    epoch.

    Parameters
    ----------
    net : skorch net
        The net after ``fit`` / ``partial_fit``, with an ``"interruption"`` callback.
    owner : str
        The estimator's class name, for the message.
    phase : str or None, default=None
        The name of the phase ``net`` trained, or None for the main run.

    Returns
    -------
    interrupted : bool
    """
    callbacks = dict(net.callbacks_)
    guard = callbacks["interruption"]
    stopper = callbacks.get("early_stopping")
    while len(net.history) > guard.completed_:  # an epoch cut short
        net.history.pop()
    n_epochs = guard.completed_ - guard.first_epoch_ + 1
    stopped = stopper is not None and stopper.misses_ >= stopper.patience
    stopped = stopped or deadline_reached(net)
    interrupted = not stopped and n_epochs < int(net.max_epochs)
    if interrupted and phase is not None:
        raise KeyboardInterrupt(
            f"{owner}: training interrupted in the {phase!r} phase, before the main "
            "training run; there is no trained net to keep."
        )
    if interrupted and n_epochs < 1:
        raise KeyboardInterrupt(
            f"{owner}: training interrupted before its first epoch finished; there "
            "is no trained net to keep."
        )
    return interrupted


class FlatAnneal:
    """Learning-rate factor of ``lr_schedule="flat_anneal"`` (for ``LambdaLR``).

    1 for the first ``flat_fraction`` of ``total_steps``, then a half cosine down
    to 0 at ``total_steps``. A class, not a lambda, so the net pickles.

    Parameters
    ----------
    total_steps : int
        Steps of the whole run (``max_epochs`` times the batches per epoch).
    flat_fraction : float, default=0.5
        Share of the steps at the full rate.

    Examples
    --------
    >>> f = FlatAnneal(100)
    >>> f(0), f(50), round(f(75), 3), f(100)
    (1.0, 1.0, 0.5, 0.0)
    """

    def __init__(self, total_steps, flat_fraction=0.5):
        self.total_steps = max(1, int(total_steps))
        self.flat_fraction = float(flat_fraction)

    def __call__(self, step):
        start = self.flat_fraction * self.total_steps
        if step <= start:
            return 1.0
        progress = min(1.0, (step - start) / max(1.0, self.total_steps - start))
        return 0.5 * (1.0 + math.cos(math.pi * progress))


def deadline_reached(net):
    """Whether a search's deadline (a ``_Deadline`` callback) ended ``net``'s
    training."""
    return getattr(dict(net.callbacks_).get("deadline"), "reached_", False)
