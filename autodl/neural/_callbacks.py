"""skorch callbacks for what skorch itself lacks: max-norm, an lr column, pickling.

Early stopping, gradient clipping and learning-rate schedules come from skorch
(``EarlyStopping``, ``GradientNormClipping``, ``LRScheduler``); these callbacks
fill the gaps.
"""

import torch
from skorch.callbacks import Callback, LRScheduler

__all__ = ["MaxNorm", "RecordLR", "PicklableLRScheduler"]


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
    scheduler is rebuilt at the start of every fit anyway.

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

    def __getstate__(self):
        state = self.__dict__.copy()
        state["lr_scheduler_"] = None
        return state
