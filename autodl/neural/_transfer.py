"""Where a net's training starts: warm start, transfer, pretraining, a frozen phase.

``MLPClassifier`` / ``MLPRegressor`` build their skorch net in ``fit``; before the
main training run, :func:`start_weights` sets the net's starting weights:

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
before the main run is a small skorch net of its own, built by the estimator's net
factory (``make_net``, passed in) and trained on the training rows without a
validation split; its history is kept in ``phase_histories_``.

These are plain functions: the estimator passes them its net factory and the few
values they need, and sets the fitted attributes from what they return. They import
torch when they run: importing the estimators does not.
"""

import copy
from functools import partial

import numpy as np
from sklearn.base import is_classifier

from autodl.utils import final_step

__all__: list[str] = []  # private: called by the estimators

PRETRAIN = (None, "greedy", "autoencoder")
# std of the autoencoder's input noise, relative to the std of the layer's input
_AUTOENCODER_NOISE = 0.2
_FORWARD_BATCH = 4096


# ---------------------------------------------------------------- describing nets
def _blocks(module):
    """``[(Linear, BatchNorm1d or None)]`` of the hidden blocks of an MLPModule."""
    import torch

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
    front = []
    if module.embedding is not None:
        front = [f"{type(module.embedding).__name__}({module.n_features} features)"]
    return ", ".join([*front, *hidden, f"output {_shape(module.output)}"])


def _same_shape(a, b):
    """Same layer kind and parameter shapes (a plain and an ensemble layer differ)."""
    return type(a) is type(b) and {k: v.shape for k, v in a.state_dict().items()} == {
        k: v.shape for k, v in b.state_dict().items()
    }


# ------------------------------------------------------------------ init_from
def _source(init_from, net_types):
    """The MLPModule in ``init_from``, its kind and classes (None where unknown).

    ``net_types`` are the autodl estimator classes whose fitted ``net_`` holds one.
    """
    from sklearn.frozen import FrozenEstimator
    from skorch import NeuralNet

    from autodl.neural._modules import MLPModule

    obj = init_from
    if isinstance(obj, FrozenEstimator):
        obj = obj.estimator
    obj, _ = final_step(obj)  # the end of a pipeline
    kind = classes = None
    if isinstance(obj, net_types):
        if not hasattr(obj, "net_"):
            raise ValueError(
                f"init_from is an unfitted {type(obj).__name__}; fit it first. If "
                "it was fitted, a clone() (GridSearchCV, cross_val_score, "
                "Pipeline cloning) dropped its weights: pass "
                "init_from=sklearn.frozen.FrozenEstimator(fitted_net), which clone "
                "leaves as it is, or the torch module fitted_net.net_.module_."
            )
        kind = "classifier" if is_classifier(obj) else "regressor"
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
    position in ``target`` (Linear, and the batch norm and parametric activation
    where both have them), and the output layer when ``copy_output`` and the
    shapes fit. When the first hidden block is copied, so are the numeric
    embedding and the feature scale in front of it (what it learned to read),
    where both nets have them in the same shape.

    Returns the names of the copied layers (``"embedding"``, ``"feature_scale"``,
    ``"hidden.i"``, ``"output"``).
    """
    import torch

    copied = []
    with torch.no_grad():
        first = [module.hidden[0][0] for module in (source, target) if module.hidden]
        if len(first) == 2 and _same_shape(*first):
            copied += _copy_front(source, target)
        pairs = zip(source.hidden, target.hidden, strict=False)
        for i, (src, dst) in enumerate(pairs):
            if not _same_shape(src[0], dst[0]):
                continue
            dst[0].load_state_dict(src[0].state_dict())
            for part in list(dst)[1:]:  # batch norm, activation: those with weights
                same = [p for p in list(src)[1:] if _same_shape(p, part)]
                if same and part.state_dict():
                    part.load_state_dict(same[0].state_dict())
            copied.append(f"hidden.{i}")
        if copy_output and _same_shape(source.output, target.output):
            target.output.load_state_dict(source.output.state_dict())
            copied.append("output")
    return copied


# ----------------------------------------------------------------- small helpers
def _forward_block(module, X, fn):
    """``fn(X)`` with ``module`` in eval mode, without gradients, in large batches."""
    import torch

    training = module.training
    module.eval()
    with torch.no_grad():
        out = torch.cat([fn(part) for part in torch.split(X, _FORWARD_BATCH)])
    module.train(training)
    return out


# ---------------------------------------------------------------- checks
def check_start_params(*, init_from, pretrain):
    """Raise a ValueError when two parameters both choose the starting weights."""
    if init_from is not None and pretrain is not None:
        raise ValueError(
            f"init_from and pretrain={pretrain!r} both choose the starting "
            "weights; set one of them (init_from=None or pretrain=None)."
        )


def check_warm_classes(before, classes):
    """A warm start continues a net trained on the classes ``before``: same ones."""
    if len(before) != len(classes) or not np.array_equal(before, classes):
        raise ValueError(
            f"warm_start=True continues the fitted net, trained on the classes "
            f"{before.tolist()}; y has the classes {classes.tolist()}. Fit with "
            "warm_start=False for a new net, or init_from=<the fitted net> to "
            "reuse its hidden layers with a new output layer."
        )


def _check_warm_net(previous, module, n_features, batch_norm):
    """The fitted net ``previous`` can continue as ``module`` on ``n_features``."""
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
            f"{' with batch norm' if batch_norm else ''}. Keep "
            "hidden_layer_sizes, batch_norm and the target as in the first fit, "
            "or fit with warm_start=False."
        )


def _check_freeze(freeze, given):
    """``freeze`` fixes no more layers than the ``given`` ones (hidden indices)."""
    if freeze > len(given):
        raise ValueError(
            f"freeze={freeze} keeps the first {freeze} hidden "
            "layers that init_from, pretrain or warm_start gave this net "
            f"fixed, but it has {len(given)} such layer(s)"
            f"{': ' + ', '.join(f'hidden.{i}' for i in given) if given else ''}"
            f". Use freeze <= {len(given)}."
        )


# ------------------------------------------------------------ starting weights
def start_weights(
    net,
    X,
    y,
    make_net,
    *,
    criterion,
    module_kwargs,
    seed,
    owner,
    classes=None,
    previous=None,
    init_from=None,
    net_types=(),
    pretrain=None,
    pretrain_epochs=10,
    freeze=0,
    freeze_epochs=10,
):
    """Initialise ``net`` and set its starting weights; train the early phases.

    Parameters
    ----------
    net : skorch net
        The main net, not yet initialised.
    X, y : tensor
        The training rows and targets as the net sees them, on the net's device.
    make_net : callable
        The estimator's net factory, ``make_net(module, criterion, epochs,
        n_train, seed, callbacks, net_class=None)``.
    criterion : dict
        skorch's criterion parameters of the main net (the supervised phases use
        them too).
    module_kwargs : dict
        The ``MLPModule`` keyword arguments of the main net.
    seed : int
        Seeds the batch order of the phases (one more for each).
    owner : str
        The estimator's class name, for the messages.
    classes : ndarray or None, default=None
        The estimator's classes; None for a regressor.
    previous : skorch net or None, default=None
        The fitted net to continue (warm start).
    init_from : object, default=None
        The estimator's ``init_from``.
    net_types : type or tuple of type, default=()
        The autodl estimator classes ``init_from`` may be.
    pretrain, pretrain_epochs, freeze, freeze_epochs
        The estimator's parameters of the same names.

    Returns
    -------
    phase_histories : list of (str, History)
        The phases trained, in order, with their history.
    transferred_layers : list of str or None
        The layers copied from ``init_from`` (None without it).
    """
    net.initialize()
    module = net.module_
    train_phase = partial(_train_phase, make_net, owner)
    histories, transferred = [], None
    every_layer = list(range(len(module.hidden)))
    if previous is not None:  # continue: weights and history of the last fit
        _check_warm_net(previous, module, X.shape[1], module_kwargs["batch_norm"])
        module.load_state_dict(previous.module_.state_dict())
        net.history = copy.deepcopy(previous.history)
        given = every_layer
    elif init_from is not None:
        transferred = _transfer(init_from, net_types, module, classes)
        given = [int(name[7:]) for name in transferred if name.startswith("hidden.")]
    elif pretrain is not None:
        histories += _pretrain(
            pretrain,
            module,
            X,
            y,
            train_phase,
            criterion,
            module_kwargs,
            pretrain_epochs,
            seed,
        )
        given = every_layer
    else:
        given = []
    if freeze:
        _check_freeze(freeze, given)
        frozen = [f"hidden.{i}.*" for i in given[:freeze]]
        if 0 in given[:freeze]:  # and what the first layer reads, where it was given
            front = {"embedding": "embedding.*", "feature_scale": "feature_scale"}
            kept = front if transferred is None else set(transferred) & set(front)
            frozen += [front[k] for k in kept if getattr(module, k) is not None]
        seed += len(module.hidden)
        histories.append(
            _frozen_phase(
                module, X, y, train_phase, criterion, frozen, freeze_epochs, seed
            )
        )
    return histories, transferred


# --------------------------------------------------------------- transfer
def _transfer(init_from, net_types, module, classes):
    """Copy the layers of ``init_from`` that fit into ``module``; their names."""
    source, kind, source_classes = _source(init_from, net_types)
    own_kind = "regressor" if classes is None else "classifier"
    copy_output = kind is None or (
        kind == own_kind
        and (
            kind == "regressor"
            or (
                source_classes is not None
                and len(source_classes) == len(classes)
                and np.array_equal(source_classes, classes)
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
    return copied


# ------------------------------------------------------------ phase nets
def _train_phase(
    make_net,
    owner,
    name,
    module,
    X,
    y,
    criterion,
    epochs,
    seed,
    callbacks=(),
    net_class=None,
):
    """Train ``module`` (an instance) for ``epochs`` epochs, without validation
    split, schedule or early stopping; ``(name, history)``.

    A Ctrl-C stops the whole fit, not just the phase.
    """
    from autodl.neural._callbacks import _InterruptionGuard, check_interrupted

    guard = _InterruptionGuard("train_loss", keep_weights=False)
    callbacks = [*callbacks, ("interruption", guard)]
    net = make_net(
        module, criterion, epochs, len(X), seed, callbacks, net_class=net_class
    )
    net.fit(X, y)
    check_interrupted(net, owner, phase=name)
    return name, net.history


def _pretrain(
    method, module, X, y, train_phase, criterion, module_kwargs, epochs, seed
):
    """Train each hidden block of ``module`` in turn (greedy or autoencoder)."""
    import torch

    from autodl.neural._modules import MLPModule
    from autodl.neural._net import _PenalizedNetRegressor

    histories = []
    inputs = X
    depth = len(module.hidden)
    for i in range(depth):
        width = module.hidden[i][0].out_features
        n_in = inputs.shape[1]
        # hidden[i] is kept; the first phase also trains the module's front (the
        # numeric embedding and feature scale, when there are any)
        params = {**module_kwargs, "n_features": n_in, "hidden_layer_sizes": (width,)}
        if i > 0:
            params.update(numeric_embedding=None, bins=None, feature_scale=False)
        name = f"{method}:{i + 1}"
        if method == "greedy":
            # the new layer and a new output head on the fixed layers below
            if i > 0:
                params["input_noise"] = 0.0
            phase = MLPModule(**params)
            histories.append(
                train_phase(name, phase, inputs, y, criterion, epochs, seed + i)
            )
        else:  # a denoising autoencoder of the layer's input
            noise = _AUTOENCODER_NOISE * float(inputs.float().std())
            params.update(
                n_outputs=n_in, input_noise=noise, dropout=0.0, hidden_noise=0.0
            )
            phase = MLPModule(**params)
            mse = {"criterion": torch.nn.MSELoss}
            histories.append(
                train_phase(
                    name,
                    phase,
                    inputs,
                    inputs,
                    mse,
                    epochs,
                    seed + i,
                    net_class=_PenalizedNetRegressor,
                )
            )
        module.hidden[i].load_state_dict(phase.hidden[0].state_dict())
        if i == 0:
            _copy_front(phase, module)
        if method == "greedy" and i == depth - 1:
            module.output.load_state_dict(phase.output.state_dict())
        if i < depth - 1:
            block = module.hidden[i]
            encode = (lambda x, b=block: b(module.front(x))) if i == 0 else block
            inputs = _forward_block(module, inputs, encode)
    return histories


def _copy_front(source, target):
    """The numeric embedding and the feature scale of ``source`` into ``target``,
    where both have them in the same shape; the names of those copied."""
    import torch

    copied = []
    with torch.no_grad():
        embeddings = source.embedding, target.embedding
        if None not in embeddings and _same_shape(*embeddings):
            embeddings[1].load_state_dict(embeddings[0].state_dict())
            copied.append("embedding")
        scales = source.feature_scale, target.feature_scale
        if None not in scales and scales[0].shape == scales[1].shape:
            scales[1].copy_(scales[0])
            copied.append("feature_scale")
    return copied


def _frozen_phase(module, X, y, train_phase, criterion, frozen, epochs, seed):
    """Train ``module`` with the parameters ``frozen`` fixed (``Freezer``)."""
    from skorch.callbacks import Freezer

    freezer = [("freezer", Freezer(frozen))]
    history = train_phase("freeze", module, X, y, criterion, epochs, seed, freezer)
    for param in module.parameters():  # the main run trains every layer
        param.requires_grad_(True)
    return history
