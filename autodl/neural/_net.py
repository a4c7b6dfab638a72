"""The skorch nets that ``MLPClassifier`` / ``MLPRegressor`` build in ``fit``.

They are skorch's ``NeuralNetClassifier`` / ``NeuralNetRegressor`` with one
addition skorch lacks: an L1 weight penalty and an L1 activity penalty added to
the training loss (``get_loss`` is skorch's documented hook for that). The
validation loss stays the plain data loss, so it is comparable across settings.
A TabM-style ensemble module returns every member's output in training, shape
``(batch, k, n_outputs)``; the training loss is then the mean of the members'
losses (the rows repeated once per member).
Per-row sample weights come the way skorch documents for extra data: ``X`` is a
dict ``{"X": X, "sample_weight": w}`` (sliced alike into batches), the criterion
is built with ``reduction="none"``, and ``get_loss`` takes the weighted mean of
the rows' losses (class weights included, as torch's own mean does).
They also skip skorch's per-batch ``module.train()`` walk when every submodule is
already in the requested mode (same result, less Python per batch).
"""

from collections.abc import Mapping

import torch
from skorch import NeuralNetClassifier, NeuralNetRegressor
from skorch.utils import to_tensor

__all__: list[str] = []  # private: built by the estimators


class _PenaltyMixin:
    def _set_training(self, training=True):
        # skorch calls this before every batch; Module.train() walks and re-sets
        # every submodule each time. Same end state, without the writes when every
        # submodule is already in the requested mode (the common case mid-epoch).
        for name in self._modules + self._criteria:
            module = getattr(self, name + "_")
            if isinstance(module, torch.nn.Module) and any(
                m.training != training for m in module.modules()
            ):
                module.train(training)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        weight = X.get("sample_weight") if isinstance(X, Mapping) else None
        if y_pred.ndim == 3:  # an ensemble in training: the mean of members' losses
            k = y_pred.shape[1]
            y_pred = y_pred.reshape(-1, y_pred.shape[-1])
            y_true = to_tensor(y_true, device=self.device).repeat_interleave(k, dim=0)
            if weight is not None:
                weight = to_tensor(weight, device=self.device)
                weight = weight.repeat_interleave(k, dim=0)
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        if weight is not None:
            loss = self._weighted_mean(loss, y_true, weight)
        if not training:
            return loss
        if self.l1:
            loss = loss + self.l1 * sum(w.abs().sum() for w in self.module_.weights())
        activity = getattr(self.module_, "activity_", None)
        if self.activity_l1 and activity is not None:
            loss = loss + self.activity_l1 * activity
        return loss

    def _weighted_mean(self, loss, y_true, weight):
        """Mean of the per-row ``loss`` (criterion ``reduction="none"``) by weight."""
        weight = to_tensor(weight, device=loss.device).to(loss.dtype)
        loss = loss.reshape(len(weight), -1).mean(dim=1)  # one value per row
        total = weight
        class_weight = getattr(self.criterion_, "weight", None)
        if class_weight is not None:
            # the rows' losses carry their class weight already; torch's mean
            # divides by the class weights too
            y_true = to_tensor(y_true, device=loss.device)
            total = weight * class_weight.to(loss.device)[y_true]
        # a batch whose rows all weigh 0 contributes nothing (not NaN)
        return (loss * weight).sum() / total.sum().clamp_min(1e-12)


class _PenalizedNetClassifier(_PenaltyMixin, NeuralNetClassifier):
    """skorch's ``NeuralNetClassifier`` plus L1 weight and activity penalties.

    Parameters
    ----------
    *args : tuple
        Passed to ``NeuralNetClassifier``.
    l1 : float, default=0.0
        Weight of ``sum(|W|)`` over all ``Linear`` weight matrices (no biases).
    activity_l1 : float, default=0.0
        Weight of the module's ``activity_`` (L1 norm of hidden activations).
    **kwargs : dict
        Passed to ``NeuralNetClassifier``.
    """

    def __init__(self, *args, l1=0.0, activity_l1=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.l1 = l1
        self.activity_l1 = activity_l1


class _PenalizedNetRegressor(_PenaltyMixin, NeuralNetRegressor):
    """skorch's ``NeuralNetRegressor`` plus L1 weight and activity penalties.

    Parameters
    ----------
    *args : tuple
        Passed to ``NeuralNetRegressor``.
    l1 : float, default=0.0
        Weight of ``sum(|W|)`` over all ``Linear`` weight matrices (no biases).
    activity_l1 : float, default=0.0
        Weight of the module's ``activity_`` (L1 norm of hidden activations).
    **kwargs : dict
        Passed to ``NeuralNetRegressor``.
    """

    def __init__(self, *args, l1=0.0, activity_l1=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.l1 = l1
        self.activity_l1 = activity_l1
