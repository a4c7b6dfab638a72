"""Where a net's training starts: warm start, transfer, pretraining, a frozen phase.

``MLPClassifier`` / ``MLPRegressor`` build their skorch net in ``fit``; before the
main training run, :class:`_StartingWeightsMixin` sets the net's starting weights:

- ``warm_start=True`` on a fitted estimator: the weights (and the history) of the
  previous fit, so training continues;
- ``init_from``: the hidden layers (and the output layer) of another fitted autodl
  net whose shapes fit, copied;
- ``pretrain="greedy"``: the net grown one hidden layer at a time, each new layer
  trained with a fresh output head on top of the (fixed) layers below;
- ``pretrain="autoencoder"``: each hidden layer trained as a denoising autoencoder
  of its own input, without labels;

then, with ``freeze=k``, a first phase of ``freeze_epochs`` epochs in which the first
``k`` of those given hidden layers stay fixed (skorch's ``Freezer``). Every phase
before the main run is a small skorch net of its own, trained on the training rows
without a validation split; its history is kept in ``phase_histories_``.
"""

import copy

import numpy as np
import torch
from sklearn.base import is_classifier

from autodl.utils import check_number, check_option

__all__: list[str] = []  # private: mixed into the estimators

PRETRAIN = (None, "greedy", "autoencoder")
# std of the autoencoder's input noise, relative to the std of the layer's input
_AUTOENCODER_NOISE = 0.2
_FORWARD_BATCH = 4096


# ---------------------------------------------------------------- describing nets
def _blocks(module):
    """``[(Linear, BatchNorm1d or None)]`` of the hidden blocks of an MLPModule."""
    out = []
    for block in module.hidden:
        norm = block[1] if isinstance(block[1], torch.nn.BatchNorm1d) else None
        out.append((block[0], norm))
    return out


def _shape(linear):
    return f"Linear({linear.in_features} -> {linear.out_features})"


def describe(module):
    """The layer shapes of an MLPModule, e.g. ``Linear(8 -> 32), output Linear(..)``."""
    hidden = [_shape(linear) for linear, _ in _blocks(module)]
    return ", ".join([*hidden, f"output {_shape(module.output)}"])


def _same_shape(a, b):
    """Same layer kind and parameter shapes (a plain and an ensemble layer differ)."""
    return type(a) is type(b) and {k: v.shape for k, v in a.state_dict().items()} == {
        k: v.shape for k, v in b.state_dict().items()
    }


# ------------------------------------------------------------------ init_from
def _source(init_from):
    """The MLPModule in ``init_from``, its kind and classes (None where unknown)."""
    from sklearn.frozen import FrozenEstimator
    from sklearn.pipeline import Pipeline
    from skorch import NeuralNet

    from autodl.neural._estimators import MLPClassifier, MLPRegressor
    from autodl.neural._modules import MLPModule

    obj = init_from
    if isinstance(obj, FrozenEstimator):
        obj = obj.estimator
    if isinstance(obj, Pipeline):  # imbalanced-learn's Pipeline is one too
        obj = obj.steps[-1][1]
    kind = classes = None
    if isinstance(obj, MLPClassifier | MLPRegressor):
        if not hasattr(obj, "net_"):
            raise ValueError(
                f"init_from is an unfitted {type(obj).__name__}; fit it first. If "
                "it was fitted, a clone() (GridSearchCV, cross_val_score, "
                "Pipeline cloning) dropped its weights: pass "
                "init_from=sklearn.frozen.FrozenEstimator(fitted_net), which clone "
                "leaves as it is, or the torch module fitted_net.net_.module_."
            )
        kind = "classifier" if isinstance(obj, MLPClassifier) else "regressor"
        classes = getattr(obj, "classes_", None)
        obj = obj.net_
    if isinstance(obj, NeuralNet):
        if not getattr(obj, "initialized_", False):
            raise ValueError(
                "init_from is a skorch net that was never initialised or fitted; "
                "pass a fitted autodl net or its net_."
            )
        obj = obj.module_
    if not isinstance(obj, MLPModule):
        raise TypeError(
            "init_from takes a fitted autodl MLPClassifier / MLPRegressor (alone, "
            "in a FrozenEstimator or as the last step of a Pipeline), its skorch "
            f"net_ or its MLPModule; got {type(init_from).__name__}."
        )
    return obj, kind, classes


def copy_layers(source, target, copy_output):
    """Copy every hidden block of ``source`` whose shape fits the block at the same
    position in ``target`` (Linear, and batch norm where both have it), and the
    output layer when ``copy_output`` and the shapes fit.

    Returns the names of the copied layers (``"hidden.i"``, ``"output"``).
    """
    copied = []
    with torch.no_grad():
        pairs = zip(_blocks(source), _blocks(target), strict=False)
        for i, ((src, src_norm), (dst, dst_norm)) in enumerate(pairs):
            if not _same_shape(src, dst):
                continue
            dst.load_state_dict(src.state_dict())
            if (
                src_norm is not None
                and dst_norm is not None
                and src_norm.num_features == dst_norm.num_features
            ):
                dst_norm.load_state_dict(src_norm.state_dict())
            copied.append(f"hidden.{i}")
        if copy_output and _same_shape(source.output, target.output):
            target.output.load_state_dict(source.output.state_dict())
            copied.append("output")
    return copied


# ----------------------------------------------------------------- small helpers
def _forward_block(block, X):
    """``block(X)`` in eval mode, without gradients, in large batches."""
    training = block.training
    block.eval()
    with torch.no_grad():
        out = torch.cat([block(part) for part in torch.split(X, _FORWARD_BATCH)])
    block.train(training)
    return out


class _StartingWeightsMixin:
    """Set the starting weights of ``net`` before its main training run."""

    def _check_start_params(self):
        check_option("pretrain", self.pretrain, PRETRAIN)
        check_number("pretrain_epochs", self.pretrain_epochs, 1, integer=True)
        check_number("freeze", self.freeze, 0, integer=True)
        check_number("freeze_epochs", self.freeze_epochs, 1, integer=True)
        if not isinstance(self.warm_start, bool | np.bool_):
            raise ValueError(
                f"warm_start={self.warm_start!r} is not supported; use True or False."
            )
        if self.init_from is not None and self.pretrain is not None:
            raise ValueError(
                f"init_from and pretrain={self.pretrain!r} both choose the starting "
                "weights; set one of them (init_from=None or pretrain=None)."
            )

    def _warm_classes(self, classes):
        """With warm start, the new fit must see the classes of the fitted net."""
        if not (self.warm_start and hasattr(self, "net_")):
            return
        before = self.classes_
        if len(before) != len(classes) or not np.array_equal(before, classes):
            raise ValueError(
                f"warm_start=True continues the fitted net, trained on the classes "
                f"{before.tolist()}; y has the classes {classes.tolist()}. Fit with "
                "warm_start=False for a new net, or init_from=<the fitted net> to "
                "reuse its hidden layers with a new output layer."
            )

    def _warm_start_net(self, module, n_features):
        """The fitted skorch net to continue from, checked against ``module``."""
        if not (self.warm_start and hasattr(self, "net_")):
            return None
        previous = self.net_
        before = previous.module_
        first = before.hidden[0][0] if len(before.hidden) else before.output
        n_before = getattr(before, "n_features", first.in_features)
        if n_before != n_features:
            raise ValueError(
                "warm_start=True continues the fitted net, trained on "
                f"{n_before} features; X has {n_features}. Fit with "
                "warm_start=False for a new net, or init_from=<the fitted net> to "
                "reuse the hidden layers that fit."
            )
        shapes = {k: v.shape for k, v in before.state_dict().items()}
        if shapes != {k: v.shape for k, v in module.state_dict().items()}:
            raise ValueError(
                f"warm_start=True continues the fitted net ({describe(before)}), "
                f"but the parameters now build {describe(module)}"
                f"{' with batch norm' if self.batch_norm else ''}. Keep "
                "hidden_layer_sizes, batch_norm and the target as in the first fit, "
                "or fit with warm_start=False."
            )
        return previous

    def _start_weights(self, net, X, y, n_outputs, seed):
        """Initialise ``net`` and set its starting weights; train the early phases.

        ``X`` and ``y`` are the training tensors (on ``device_``); ``seed`` seeds
        the batch order of each phase.
        """
        net.initialize()
        module = net.module_
        self.phase_histories_ = []
        self.transferred_layers_ = None
        previous = self._warm_start_net(module, X.shape[1])
        if previous is not None:  # continue: weights and history of the last fit
            module.load_state_dict(previous.module_.state_dict())
            net.history = copy.deepcopy(previous.history)
            given = list(range(len(module.hidden)))
        elif self.init_from is not None:
            given = self._transfer(module)
        elif self.pretrain is not None:
            self._pretrain(module, X, y, n_outputs, seed)
            given = list(range(len(module.hidden)))
        else:
            given = []
        if self.freeze:
            if self.freeze > len(given):
                raise ValueError(
                    f"freeze={self.freeze} keeps the first {self.freeze} hidden "
                    "layers that init_from, pretrain or warm_start gave this net "
                    f"fixed, but it has {len(given)} such layer(s)"
                    f"{': ' + ', '.join(f'hidden.{i}' for i in given) if given else ''}"
                    f". Use freeze <= {len(given)}."
                )
            self._frozen_phase(module, X, y, n_outputs, given[: self.freeze], seed)

    # --------------------------------------------------------------- transfer
    def _transfer(self, module):
        source, kind, classes = _source(self.init_from)
        own_kind = "classifier" if is_classifier(self) else "regressor"
        copy_output = kind is None or (
            kind == own_kind
            and (
                kind == "regressor"
                or (
                    classes is not None
                    and len(classes) == len(self.classes_)
                    and np.array_equal(classes, self.classes_)
                )
            )
        )
        copied = copy_layers(source, module, copy_output)
        if not copied:
            output = "" if copy_output else " (a new output: other classes or task)"
            raise ValueError(
                "init_from: no layer of the source net fits this net, so nothing "
                f"can be copied. Source: {describe(source)}; this net: "
                f"{describe(module)}{output}. Hidden layers are copied position by "
                "position when their shapes are equal: give hidden_layer_sizes the "
                "source's widths."
            )
        self.transferred_layers_ = copied
        return [int(name.split(".")[1]) for name in copied if name != "output"]

    # ------------------------------------------------------------ phase nets
    def _make_phase_net(
        self, module, net_class, criterion, epochs, n_train, seed, callbacks=()
    ):
        """A net training ``module`` (an instance) for ``epochs`` epochs, without
        validation split, schedule or early stopping."""
        from autodl.neural._callbacks import _InterruptionGuard

        guard = _InterruptionGuard("train_loss", keep_weights=False)
        return self._make_net(
            module,
            criterion,
            epochs,
            n_train,
            seed,
            [*callbacks, ("interruption", guard)],
            net_class=net_class,
        )

    def _fit_phase(self, net, X, y, name):
        """Train a phase net; a Ctrl-C stops the whole fit, not just the phase."""
        from autodl.neural._callbacks import check_interrupted

        net.fit(X, y)
        check_interrupted(net, type(self).__name__, phase=name)

    def _supervised_criterion(self, y, n_outputs):
        y_np = y.detach().cpu().numpy() if is_classifier(self) else None
        return self._criterion_params(y_np, n_outputs)

    def _pretrain(self, module, X, y, n_outputs, seed):
        """Train each hidden block of ``module`` in turn (greedy or autoencoder)."""
        from autodl.neural._modules import MLPModule
        from autodl.neural._net import _PenalizedNetRegressor

        inputs = X
        depth = len(module.hidden)
        for i in range(depth):
            width = module.hidden[i][0].out_features
            n_in = inputs.shape[1]
            params = self._make_module_params(n_in, n_outputs, (width,))
            params["feature_scale"] = False  # only hidden[i] is kept
            if self.pretrain == "greedy":
                # the new layer and a new output head on the fixed layers below
                params["input_noise"] = float(self.input_noise) if i == 0 else 0.0
                phase = MLPModule(**params)
                net = self._make_phase_net(
                    phase,
                    self._net_class,
                    self._supervised_criterion(y, n_outputs),
                    self.pretrain_epochs,
                    len(X),
                    seed + i,
                )
                self._fit_phase(net, inputs, y, f"greedy:{i + 1}")
            else:  # a denoising autoencoder of the layer's input
                noise = _AUTOENCODER_NOISE * float(inputs.float().std())
                params.update(
                    n_outputs=n_in, input_noise=noise, dropout=0.0, hidden_noise=0.0
                )
                phase = MLPModule(**params)
                net = self._make_phase_net(
                    phase,
                    _PenalizedNetRegressor,
                    {"criterion": torch.nn.MSELoss},
                    self.pretrain_epochs,
                    len(X),
                    seed + i,
                )
                self._fit_phase(net, inputs, inputs, f"autoencoder:{i + 1}")
            module.hidden[i].load_state_dict(phase.hidden[0].state_dict())
            if self.pretrain == "greedy" and i == depth - 1:
                module.output.load_state_dict(phase.output.state_dict())
            self.phase_histories_.append((f"{self.pretrain}:{i + 1}", net.history))
            if i < depth - 1:
                inputs = _forward_block(module.hidden[i], inputs)

    def _frozen_phase(self, module, X, y, n_outputs, frozen, seed):
        """Train ``module`` with the hidden blocks ``frozen`` fixed (``Freezer``)."""
        from skorch.callbacks import Freezer

        patterns = [f"hidden.{i}.*" for i in frozen]
        net = self._make_phase_net(
            module,
            self._net_class,
            self._supervised_criterion(y, n_outputs),
            self.freeze_epochs,
            len(X),
            seed + len(module.hidden),
            [("freezer", Freezer(patterns))],
        )
        self._fit_phase(net, X, y, "freeze")
        for param in module.parameters():  # the main run trains every layer
            param.requires_grad_(True)
        self.phase_histories_.append(("freeze", net.history))
