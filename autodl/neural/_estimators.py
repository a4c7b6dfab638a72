"""``MLPClassifier`` and ``MLPRegressor``: scikit-learn estimators on skorch.

Each is a plain scikit-learn estimator whose ``fit`` builds a skorch net (kept as
``net_``) around :class:`~autodl.neural.MLPModule`, and ``n_seeds - 1`` more of its
own class with their own seeds (``seed_nets_``), whose predictions it averages.
skorch runs the training loop, the history, early stopping with best-weight
restore, learning-rate schedules, gradient clipping and the CPU loading of
CUDA-trained nets; autodl adds the flat, searchable parameters, input validation,
seeding, a stratified validation split and a batch iterator that slices tensors
already on the device.
"""

import copy
import math
import time
import warnings
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    is_classifier,
)
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

from autodl.neural._options import ACTIVATIONS, NUMERIC_EMBEDDINGS, WEIGHT_INITS
from autodl.neural._scaling import BINNINGS, INPUT_SCALINGS
from autodl.neural._transfer import (
    PRETRAIN,
    check_start_params,
    check_warm_classes,
    start_weights,
)
from autodl.utils import (
    check_classification_y,
    check_params,
    check_weights,
    current_fit_deadline,
    draw_seed,
    take_rows,
    validate_numeric,
)
from autodl.utils._device import resolve_device
from autodl.utils._docstring import (
    Substitution,
    _device_docstring,
    _feature_attributes_docstring,
    _random_state_docstring,
    _verbose_docstring,
)
from autodl.utils._param_validation import (
    Described,
    Interval,
    SequenceOf,
    StrOptions,
    one_of,
)

__all__ = ["MLPClassifier", "MLPRegressor"]

_OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")
_LR_SCHEDULES = (
    None,
    "step",
    "exponential",
    "plateau",
    "cosine",
    "cosine_restarts",
    "one_cycle",
    "flat_anneal",
)
# flat_anneal: the share of the steps at the full rate before the cosine anneal
_FLAT_FRACTION = 0.5
_REGRESSION_LOSSES = ("mse", "mae", "huber")
_WEIGHT_AVERAGING = (None, "swa", "ema")
# weight averaging covers this share of the epochs trained (the end of the run)
_AVERAGING_FRACTION = 0.25
_CLASS_WEIGHTS = (None, "balanced")
# rows per forward pass for validation and prediction (no gradients kept)
_EVAL_BATCH_SIZE = 4096
# out of GPU memory: halve the batch size down to this, then train on the CPU
_MIN_OOM_BATCH_SIZE = 8
_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
_POSITIVE = Interval(Real, 0, None, closed="neither")
_NON_NEGATIVE = Interval(Real, 0, None, closed="left")
_FRACTION = Interval(Real, 0, 1, closed="left")  # [0, 1)


_SHARED_PARAMS = """\
    hidden_layer_sizes : tuple of int, default=(256, 256)
        Width of each hidden layer (capacity: more layers / more units).
    activation : {"relu", "leaky_relu", "elu", "selu", "gelu", "tanh", \
"sigmoid", "mish", "prelu", "pselu", "pmish"}, default="pselu"
        Hidden-layer nonlinearity. ``"prelu"`` learns the negative slope of each
        unit (initialised to 0.25); ``"pselu"`` / ``"pmish"`` are RealMLP's
        parametric activations ``x + a * (f(x) - x)`` with ``a`` learned per
        unit (initialised to 1).
    batch_norm : bool, default=False
        Batch normalisation between each hidden ``Linear`` and its activation.
    dropout : float in [0, 1), default=0.0
        Dropout probability after each hidden layer (``AlphaDropout`` for SELU).
    input_noise : float, default=0.0
        Standard deviation of Gaussian noise added to the inputs, in training only.
    hidden_noise : float, default=0.0
        Standard deviation of Gaussian noise added after each hidden activation,
        in training only.
    weight_init : {"default", "xavier", "kaiming", "orthogonal"}, default="default"
        Initialisation of the ``Linear`` weights; ``"default"`` keeps torch's.
    optimizer : {"adam", "adamw", "sgd", "rmsprop"}, default="adam"
        The torch optimiser. Adam and AdamW run torch's fused kernel (one kernel
        a step for all parameters) where torch has one for the device: CUDA, and
        the CPU from torch 2.4.
    lr : float, default=4e-3
        Learning rate (the peak rate for ``lr_schedule="one_cycle"``).
    momentum : float in [0, 1), default=0.9
        Momentum of ``optimizer="sgd"``; ignored by the other optimisers.
    nesterov : bool, default=False
        Nesterov momentum for ``optimizer="sgd"`` (needs ``momentum > 0``).
    batch_size : int or "full", default=256
        Rows per gradient step: ``1`` is stochastic gradient descent, ``"full"``
        (or any size at least the training set) is batch gradient descent.
    max_epochs : int, default=100
        Most passes over the training data.
    lr_schedule : {None, "step", "exponential", "plateau", "cosine", \
"cosine_restarts", "one_cycle", "flat_anneal"}, default="flat_anneal"
        Learning-rate schedule: ``"step"`` divides the rate by 10 every third of
        ``max_epochs``; ``"exponential"`` decays it to 1% by ``max_epochs``;
        ``"plateau"`` divides it by 5 when the monitored loss has not improved
        for ``max(1, patience // 2)`` epochs; ``"cosine"`` anneals it to 0 over
        the run; ``"cosine_restarts"`` (SGDR) runs four such cycles;
        ``"one_cycle"`` warms up to ``lr`` then anneals (Smith's one-cycle
        policy); ``"flat_anneal"`` keeps ``lr`` for the first half of the
        ``max_epochs * batches`` steps, then anneals it to 0 along a half cosine
        (the flat-then-anneal shape of RealMLP's and TabM's recipes). The last
        four step after every batch.
    grad_clip : float or None, default=None
        Clip the global gradient L2 norm to this value (exploding gradients).
    weight_decay : float, default=0.0
        L2 penalty, passed to the optimiser (decoupled for ``"adamw"``).
    l1 : float, default=0.0
        L1 penalty on all weight matrices, added to the training loss.
    activity_l1 : float, default=0.0
        L1 penalty on the hidden activations (batch mean of the per-row sum of
        absolute activations, summed over hidden layers), for sparse codes.
    max_norm : float or None, default=None
        Max-norm constraint: after each step, the incoming weight vector of every
        hidden unit is rescaled to an L2 norm of at most ``max_norm``.
    early_stopping : bool, default=True
        Stop when the monitored loss (``valid_loss``, or ``train_loss`` when
        ``validation_fraction=0``) has not improved for ``patience`` epochs and
        restore the weights of the best epoch (unless ``weight_averaging``, the
        regressor's default, puts the average of the run's end in its place).
    patience : int, default=30
        Epochs without improvement before early stopping.
    validation_fraction : float in [0, 1), default=0.1
        Share of the training rows held out to compute ``valid_loss`` and the
        validation metric each epoch{stratified}. ``0`` trains on every row.
        A class of a single row stays in training. When the data is too small to
        hold out such a split, a warning says so and training uses every row.
    weight_averaging : {None, "swa", "ema"}, default={averaging_default}
        Replace the final weights by an average of the weights at the end of
        the last 25% of the epochs trained (``ceil(n_epochs / 4)`` epochs, with
        ``torch.optim.swa_utils``): ``"swa"`` weighs them equally (stochastic
        weight averaging), ``"ema"`` exponentially, the last epochs most;
        ``None`` keeps the best epoch's weights (with early stopping) or the last
        epoch's. Batch-norm statistics are recomputed for the averaged weights.
        With early stopping, the window is the end of the run that early stopping
        ended (its patience epochs included), and the average takes the place
        of the best epoch's weights.
        {averaging_why}
        ``lr_schedule`` is left as it is: averaging helps most while the rate is
        still high (``None``, ``"cosine_restarts"``), little after a schedule
        annealed it to zero.
    init_from : fitted autodl net or None, default=None
        Transfer learning: a fitted ``MLPClassifier`` / ``MLPRegressor`` (alone,
        in a ``sklearn.frozen.FrozenEstimator``, or last in a ``Pipeline``), its
        ``net_`` or its ``MLPModule``, trained on a related problem. Each of its
        hidden layers whose shape equals the layer at the same position here is
        copied (batch-norm statistics too); the output layer is copied when the
        task and the classes (or targets) are the same. So the first layer is
        new when the number of features differs, the output layer when the
        classes differ. A ``ValueError`` names the shapes when no layer fits.
        ``clone`` (as in ``GridSearchCV``) unfits an estimator held in a
        parameter: wrap it in ``FrozenEstimator`` to search with it.
    freeze : int, default=0
        Keep the first ``freeze`` hidden layers that ``init_from``, ``pretrain``
        or ``warm_start`` gave the net fixed for a first phase of
        ``freeze_epochs`` epochs (skorch's ``Freezer``; the numeric embedding
        and feature scale stay fixed with the first layer, where they were
        given too); then every layer trains for up to ``max_epochs`` epochs.
    freeze_epochs : int, default=10
        Epochs of the frozen first phase (only with ``freeze > 0``).
    warm_start : bool, default=False
        When the estimator is already fitted, ``fit`` continues from the fitted
        weights instead of starting anew: another ``max_epochs`` epochs,
        appended to ``history_`` (the optimiser state and the schedule start
        afresh). The features, the classes or targets and the architecture must
        be those of the first fit; ``init_from`` and ``pretrain`` are not
        applied again.
    pretrain : {None, "greedy", "autoencoder"}, default=None
        Pretraining of the hidden layers, one at a time from the input up,
        before the whole net trains: ``"greedy"`` trains each new layer with a
        new output head on top of the layers below it, kept fixed (greedy
        layer-wise supervised pretraining; the last head becomes the output
        layer); ``"autoencoder"`` trains each layer as a denoising autoencoder
        of its input (Gaussian noise of 0.2 times the input's standard
        deviation, MSE reconstruction), without the labels.
    pretrain_epochs : int, default=10
        Epochs of each layer's pretraining phase.
    input_scaling : {"robust_smooth_clip", "quantile", "standard", None}, \
default="robust_smooth_clip"
        How the net scales its input, fitted in ``fit`` on the training rows only
        (the validation split excluded) and applied in ``predict``; kept as
        ``input_scaler_``. ``"robust_smooth_clip"`` (RealMLP's): each column
        minus its median over its interquartile range (half its range when that
        is 0), then ``x / sqrt(1 + (x / 3) ** 2)``, which squeezes outliers
        smoothly into about ±3; ``"quantile"``: scikit-learn's
        ``QuantileTransformer(output_distribution="normal")``; ``"standard"``:
        ``StandardScaler``; ``None`` uses the input as given (scale it yourself).
    numeric_embedding : {None, "periodic", "piecewise_linear"}, \
default="piecewise_linear"
        Embed each (scaled) column into ``embedding_dim`` values before the first
        layer, with ``rtdl_num_embeddings``: ``"periodic"`` is
        ``PeriodicEmbeddings`` (PLR: sin/cos of learned frequencies, a linear
        layer per feature, ReLU); ``"piecewise_linear"`` is
        ``PiecewiseLinearEmbeddings`` (version "B", as in TabM) over ``n_bins``
        bins at the quantiles of the training rows.
    embedding_dim : int, default=8
        Size of each column's embedding (the first layer then sees
        ``n_features * embedding_dim`` inputs).
    n_frequencies : int, default=48
        Frequencies per column of ``numeric_embedding="periodic"``.
    frequency_scale : float, default=0.01
        Standard deviation of the initial frequencies of the periodic embedding
        (its most important setting: larger values fit finer detail).
    n_bins : int, default=16
        Most bins per column of ``numeric_embedding="piecewise_linear"`` (fewer
        when a column has fewer distinct quantiles).
    binning : {"quantile", "tree", "both"}, default="quantile"
        Where the piecewise-linear embedding's bin edges go: ``"quantile"`` at
        ``n_bins + 1`` evenly spaced quantiles of the training rows; ``"tree"``
        at the thresholds of a decision tree of at most ``n_bins`` leaves (64
        rows a leaf at least) fitted on each column against the target
        (Gorishniy et al., 2022: bins where the target changes most);
        ``"both"``: the quantiles' edges and
        those of the tree's thresholds that leave at least half a quantile bin's
        rows on either side (no sliver of a bin, which makes small-data fits
        swing). Fitted on the training rows only; the zoo's ``mlp`` space
        searches ``"quantile"`` and ``"both"``.
    feature_scale : bool, default=True
        A learned factor per input of the first layer (initialised to 1),
        RealMLP's scaling layer: the net can turn useless features down.
    n_ensemble : int, default=1
        TabM-style ensembling: ``k`` members share each hidden layer's weight
        (BatchEnsemble adapters: per-member input and output scales and biases,
        the ``tabm`` package's ``LinearBatchEnsemble``) and have their own output
        layer. They train together on the mean of their losses, and the
        prediction is their average (mean probability for a classifier).
        ``1`` is a plain MLP. A member costs about as much as a wider layer.
    n_seeds : int, default=2
        Train this many nets, each with its own seed (its own validation split,
        initial weights, batch order and dropout), and average their predictions
        (probabilities for a classifier; mean logits for a multilabel ``y``, as
        ``n_ensemble``). ``net_`` and the attributes that describe the training
        (``history_``, ``best_epoch_``, ...) are the first net's, the one a
        single net fits with the same ``random_state``; the others are
        ``seed_nets_``. Each net costs a full fit: ``1`` fits one net (half the
        time). On the meta suite two nets scored above one on each of the 6
        splits of rounds 22-23 of ``benchmarks/net_defaults.py``
        (docs/neural.md); the zoo's ``mlp`` takes ``1``, as its search
        ensembles configurations itself.
    betas : tuple of (float, float), default=(0.9, 0.95)
        Adam's / AdamW's moment decay rates; RealMLP and TabM use a lower second
        one, ``(0.9, 0.95)``. Ignored by the other optimisers.
"""

_COMMON_PARAMS = """\
    {device}
        The resolved device is ``device_``.
    n_threads : int or None, default=1
        torch CPU threads used during ``fit`` and ``predict`` (set for the call
        and restored afterwards). One thread is fastest for small tabular nets and
        safe inside parallel searches; ``None`` leaves torch's setting alone.
    callbacks : list of skorch callbacks or None, default=None
        Extra skorch callbacks (e.g. ``skorch.callbacks.Checkpoint``), run after
        autodl's own.
    {random_state}
        It seeds the weights, the validation split, the batch order, dropout and
        noise. The same integer gives the same model on the CPU. torch's global
        random state is left as it was.
    {verbose}
        Here ``1`` prints skorch's table of losses per epoch.
"""

_SAMPLE_WEIGHT = """\
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each row in the training and validation
            losses (their weighted means; a row of weight 0 does not count).
            The input scaling and the piecewise-linear embedding's bins are
            fitted on the rows of positive weight (``input_scaling="standard"``
            weighs them); the phases before the main run (pretraining, the
            frozen phase) train unweighted on the rows of positive weight. Route
            it with ``set_fit_request(sample_weight=True)`` when metadata routing
            is on."""

_SHARED_ATTRIBUTES = """\
    {feature_attributes}
    net_ : skorch net
        The trained skorch net; ``net_.module_`` is the torch module.
    history_ : skorch.history.History
        One row per epoch with ``train_loss``, ``valid_loss`` (with a validation
        split), {metric},
        ``lr`` (at the start of the epoch) and ``dur`` (seconds), e.g.
        ``history_[:, "valid_loss"]``.
    best_epoch_ : int
        The epoch (1-based, as in ``history_``) with the lowest monitored loss
        (``valid_loss``, or ``train_loss`` without a validation split). With
        ``early_stopping=True`` the fitted weights are this epoch's, otherwise
        the last epoch's; with ``weight_averaging`` (the regressor's default) the
        average of ``averaged_epochs_`` instead; when training was interrupted
        or ended at a search's deadline, see ``interrupted_``.
    averaged_epochs_ : tuple of (int, int) or None
        With ``weight_averaging``: the first and last epoch whose weights were
        averaged into the fitted weights; otherwise None.
    phase_histories_ : list of (str, skorch.history.History)
        The training phases run before the main one, in order, each with its
        history (``train_loss`` per epoch): ``"greedy:i"`` or
        ``"autoencoder:i"`` for the pretraining of hidden layer ``i``, and
        ``"freeze"`` for the frozen phase. Empty without them.
    transferred_layers_ : list of str or None
        With ``init_from``: the layers copied from it (``"hidden.0"``, ...,
        ``"output"``, as named in ``net_.module_``); otherwise None.
    batch_size_ : int
        The batch size the net was trained with: ``batch_size`` (``"full"``
        resolved), or less after the GPU ran out of memory.
    interrupted_ : bool
        Whether training was interrupted (Ctrl-C, or a callback raising
        ``KeyboardInterrupt``) before ``max_epochs``, other than by early
        stopping. The net then keeps its best finished epoch (or, with
        ``weight_averaging``, the average of the finished epochs), and a warning
        says so. A fit in a search's fold (under
        :func:`autodl.utils.fit_deadline`) ends quietly after the epoch that
        reaches the search's deadline and keeps its best epoch the same way;
        that is not an interruption.
    device_ : str
        The device the net was trained on: ``device`` resolved, or ``"cpu"``
        after a GPU ran out of memory even at a small batch size.
    input_scaler_ : transformer or None
        The fitted input scaling of ``input_scaling`` (None without it).
    seed_nets_ : list of estimators
        The other ``n_seeds - 1`` nets, each fitted as this class with
        ``n_seeds=1`` and a ``random_state`` drawn from ``random_state`` (empty
        for ``n_seeds=1``). A fit interrupted (Ctrl-C) or ended by a search's
        deadline trains no further net: the prediction averages those fitted.
"""


# the texts of the placeholders in both nets' docstrings
_DOC_TEXTS = {
    "shared_params": _SHARED_PARAMS,
    "common_params": _COMMON_PARAMS,
    "shared_attributes": _SHARED_ATTRIBUTES,
    "device": _device_docstring,
    "random_state": _random_state_docstring,
    "verbose": _verbose_docstring,
    "feature_attributes": _feature_attributes_docstring,
}

# what the nets take: numbers as float32, sparse matrices too (made dense)
_INPUT = {"dtype": np.float32, "accept_sparse": ["csr", "csc", "coo"]}


def _dense(X):
    """A sparse ``X`` as a dense array: the input scaling and the batches are dense."""
    return X.toarray() if sparse.issparse(X) else X


@contextmanager
def _torch_threads(n_threads):
    """Use ``n_threads`` torch CPU threads inside the block, then restore."""
    import torch

    before = torch.get_num_threads()
    change = n_threads is not None and n_threads != before
    if change:
        torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        if change:
            torch.set_num_threads(before)


def _forked_rng(device):
    """Fork torch's RNG (CPU, plus the CUDA device in use) for a seeded block."""
    import torch

    devices = []
    if device.startswith("cuda"):
        index = torch.device(device).index
        devices = [torch.cuda.current_device() if index is None else index]
    return torch.random.fork_rng(devices=devices)


def _has_fused_adam(device):
    """Whether torch has a fused Adam / AdamW kernel for ``device``: CUDA, and the
    CPU from torch 2.4 (the per-tensor loop's update in one kernel a step; the
    rounding may differ)."""
    import torch

    kind = torch.device(device).type
    if kind == "cuda":
        return True
    version = tuple(int(part) for part in torch.__version__.split(".")[:2])
    return kind == "cpu" and version >= (2, 4)


def _release_gpu_memory(device):
    """Give a CUDA device's cached, unused memory back (between a search's fits)."""
    if not str(device).startswith("cuda"):
        return
    import gc

    import torch

    gc.collect()  # reference cycles may still hold the tensors of a finished fit
    torch.cuda.empty_cache()


class _BaseMLP(BaseEstimator):
    """What ``MLPClassifier`` and ``MLPRegressor`` share: validation, the net."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # made dense on the way in
        return tags

    # subclasses: the skorch net class, the name of the validation metric
    _net_class = None
    _stratify = False

    _parameter_constraints = {
        "hidden_layer_sizes": [
            Described(
                "a tuple of positive integers, e.g. (128, 64), or () for a linear "
                "model",
                _POSITIVE_INT,
                SequenceOf(_POSITIVE_INT),
            )
        ],
        "activation": one_of(ACTIVATIONS),
        "batch_norm": ["boolean"],
        "dropout": [_FRACTION],
        "input_noise": [_NON_NEGATIVE],
        "hidden_noise": [_NON_NEGATIVE],
        "weight_init": one_of(WEIGHT_INITS),
        "optimizer": one_of(_OPTIMIZERS),
        "lr": [_POSITIVE],
        "momentum": [_FRACTION],
        "batch_size": [_POSITIVE_INT, StrOptions({"full"})],
        "max_epochs": [_POSITIVE_INT],
        "lr_schedule": one_of(_LR_SCHEDULES),
        "grad_clip": [_NON_NEGATIVE, None],
        "weight_decay": [_NON_NEGATIVE],
        "l1": [_NON_NEGATIVE],
        "activity_l1": [_NON_NEGATIVE],
        "max_norm": [_POSITIVE, None],
        "patience": [_POSITIVE_INT],
        "validation_fraction": [_FRACTION],
        "weight_averaging": one_of(_WEIGHT_AVERAGING),
        "pretrain": one_of(PRETRAIN),
        "pretrain_epochs": [_POSITIVE_INT],
        "freeze": [Interval(Integral, 0, None, closed="left")],
        "freeze_epochs": [_POSITIVE_INT],
        "warm_start": ["boolean"],
        "n_threads": [_POSITIVE_INT, None],
        "input_scaling": one_of(INPUT_SCALINGS),
        "numeric_embedding": one_of(NUMERIC_EMBEDDINGS),
        "embedding_dim": [_POSITIVE_INT],
        "n_frequencies": [_POSITIVE_INT],
        "frequency_scale": [_POSITIVE],
        "n_bins": [Interval(Integral, 2, None, closed="left")],
        "binning": one_of(BINNINGS),
        "feature_scale": ["boolean"],
        "n_ensemble": [_POSITIVE_INT],
        "n_seeds": [_POSITIVE_INT],
        "betas": [SequenceOf(_FRACTION, length=2)],
    }

    # ---------------------------------------------------------------- checks
    def _check_combinations(self):
        """What the constraints table cannot say: parameters that exclude others."""
        if self.nesterov and not (self.optimizer == "sgd" and self.momentum > 0):
            raise ValueError(
                "nesterov=True needs optimizer='sgd' and momentum > 0; got "
                f"optimizer={self.optimizer!r}, momentum={self.momentum!r}."
            )
        if self.batch_norm and self.batch_size == 1:
            raise ValueError(
                "batch_norm=True needs at least 2 rows per batch (batch statistics "
                "of one row are undefined); use batch_size >= 2 or batch_norm=False."
            )
        if self.pretrain is not None and self.n_ensemble > 1:
            raise ValueError(
                f"pretrain={self.pretrain!r} pretrains plain hidden layers; it "
                f"cannot be combined with n_ensemble={self.n_ensemble!r}. Set "
                "pretrain=None, or n_ensemble=1."
            )
        check_start_params(init_from=self.init_from, pretrain=self.pretrain)

    def _layer_sizes(self):
        """``hidden_layer_sizes`` as a tuple (an int is one layer)."""
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, Integral):
            return (sizes,)
        return tuple(sizes)

    def _split(self, y, seed):
        """Indices of the training and validation rows (None: no validation)."""
        n = len(y)
        everything = np.arange(n)
        if self.validation_fraction == 0:
            return everything, None
        n_valid = math.ceil(self.validation_fraction * n)
        # a class of one row cannot be in both parts: it stays in training, and
        # the other rows are split (stratified) as usual
        single = np.array([], dtype=np.intp)
        if self._stratify:
            single = np.flatnonzero(np.bincount(y)[y] < 2)
            rest = np.setdiff1d(everything, single)
            n_classes = np.unique(y[rest]).size
            too_small = (
                n_classes < 1 or n_valid < n_classes or rest.size - n_valid < n_classes
            )
            splitter = StratifiedShuffleSplit(1, test_size=n_valid, random_state=seed)
        else:
            rest = everything
            too_small = n_valid < 2 or n - n_valid < 1  # R² needs 2 rows
            splitter = ShuffleSplit(1, test_size=n_valid, random_state=seed)
        if too_small:
            warnings.warn(
                f"{type(self).__name__}: {n} rows are too few to hold out "
                f"validation_fraction={self.validation_fraction}"
                f"{' with every class in both parts' if self._stratify else ''}; "
                "training on every row without a validation split (early stopping, "
                "if on, monitors the training loss).",
                UserWarning,
                stacklevel=4,
            )
            return everything, None
        train, valid = next(splitter.split(np.zeros((rest.size, 1)), y[rest]))
        return np.sort(np.concatenate([rest[train], single])), np.sort(rest[valid])

    def _continued_net(self):
        """The fitted net that ``warm_start=True`` continues, or None."""
        return self.net_ if self.warm_start and hasattr(self, "net_") else None

    # ------------------------------------------------------------ net pieces
    def _batch_size(self, n_train):
        size = max(1, n_train) if self.batch_size == "full" else int(self.batch_size)
        # after running out of GPU memory, fit retries with a smaller batch
        return max(1, size // getattr(self, "_oom_shrink", 1))

    def _make_module_params(self, n_features, n_outputs, sizes):
        """Keyword arguments of :class:`MLPModule` (skorch's ``module__*``)."""
        return {
            "n_features": n_features,
            "n_outputs": n_outputs,
            "hidden_layer_sizes": sizes,
            "activation": self.activation,
            "batch_norm": bool(self.batch_norm),
            "dropout": float(self.dropout),
            "input_noise": float(self.input_noise),
            "hidden_noise": float(self.hidden_noise),
            "weight_init": self.weight_init,
            "track_activity": self.activity_l1 > 0,
            "numeric_embedding": self.numeric_embedding,
            "embedding_dim": int(self.embedding_dim),
            "n_frequencies": int(self.n_frequencies),
            "frequency_scale": float(self.frequency_scale),
            "bins": self._prepared[1] if hasattr(self, "_prepared") else None,
            "feature_scale": bool(self.feature_scale),
            "n_ensemble": int(self.n_ensemble),
            "average": self._ensemble_average(),
        }

    def _ensemble_average(self):
        """How ``n_ensemble`` members' outputs combine: mean output (logits)."""
        return "mean"

    def _make_optimizer(self):
        """The torch optimiser class and its keyword arguments."""
        import torch

        kwargs = {"weight_decay": float(self.weight_decay)}
        if self.optimizer == "sgd":
            kwargs.update(momentum=float(self.momentum), nesterov=bool(self.nesterov))
        if self.optimizer in ("adam", "adamw"):
            kwargs["betas"] = tuple(float(b) for b in self.betas)
            if _has_fused_adam(self.device_):
                kwargs["fused"] = True  # about 10% off a CPU fit of the default net
        classes = {
            "adam": torch.optim.Adam,
            "adamw": torch.optim.AdamW,
            "sgd": torch.optim.SGD,
            "rmsprop": torch.optim.RMSprop,
        }
        return classes[self.optimizer], kwargs

    def _make_lr_scheduler(self, steps_per_epoch, monitor):
        """skorch ``LRScheduler`` callback for ``lr_schedule``, or None."""
        from torch.optim import lr_scheduler as sched

        from autodl.neural._callbacks import PicklableLRScheduler

        epochs = int(self.max_epochs)
        total_steps = max(1, epochs * steps_per_epoch)
        name = self.lr_schedule
        if name is None:
            return None
        if name == "step":
            return PicklableLRScheduler(
                sched.StepLR, step_size=max(1, epochs // 3), gamma=0.1
            )
        if name == "exponential":
            return PicklableLRScheduler(sched.ExponentialLR, gamma=0.01 ** (1 / epochs))
        if name == "plateau":
            return PicklableLRScheduler(
                sched.ReduceLROnPlateau,
                monitor=monitor,
                factor=0.2,
                patience=max(1, self.patience // 2),
            )
        if name == "cosine":
            return PicklableLRScheduler(
                sched.CosineAnnealingLR, T_max=total_steps, step_every="batch"
            )
        if name == "flat_anneal":
            from autodl.neural._callbacks import FlatAnneal

            return PicklableLRScheduler(
                sched.LambdaLR,
                lr_lambda=FlatAnneal(total_steps, _FLAT_FRACTION),
                step_every="batch",
            )
        if name == "cosine_restarts":
            cycle = max(1, epochs // 4) * steps_per_epoch
            return PicklableLRScheduler(
                sched.CosineAnnealingWarmRestarts,
                T_0=max(1, cycle),
                step_every="batch",
            )
        # one_cycle: momentum cycles too where the optimiser has momentum
        cycle_momentum = self.optimizer in ("adam", "adamw") or (
            self.optimizer == "sgd" and self.momentum > 0
        )
        return PicklableLRScheduler(
            sched.OneCycleLR,
            max_lr=float(self.lr),
            total_steps=total_steps,
            cycle_momentum=cycle_momentum,
            step_every="batch",
        )

    def _make_callbacks(self, steps_per_epoch, monitor):
        """The main run's callbacks after the lr record, in order, then the user's."""
        from skorch.callbacks import EarlyStopping, GradientNormClipping

        from autodl.neural._callbacks import (
            MaxNorm,
            WeightAveraging,
            _Deadline,
            _InterruptionGuard,
        )

        callbacks = self._metric_callbacks()
        scheduler = self._make_lr_scheduler(steps_per_epoch, monitor)
        if scheduler is not None:
            callbacks.append(("lr_scheduler", scheduler))
        if self.grad_clip is not None:
            callbacks.append(
                ("grad_clip", GradientNormClipping(gradient_clip_value=self.grad_clip))
            )
        if self.max_norm is not None:
            callbacks.append(("max_norm", MaxNorm(self.max_norm)))
        averaging = self.weight_averaging is not None
        if averaging:  # before early stopping, which ends the last epoch early
            callbacks.append(
                (
                    "weight_averaging",
                    WeightAveraging(self.weight_averaging, _AVERAGING_FRACTION),
                )
            )
        # counts the finished epochs, and keeps the best weights for a Ctrl-C when
        # nothing else restores them; before early stopping, which raises
        keep_weights = not (self.early_stopping or averaging)
        callbacks.append(("interruption", _InterruptionGuard(monitor, keep_weights)))
        if self.early_stopping:
            # with weight averaging, the average replaces the best epoch's weights
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(
                        monitor=monitor, patience=self.patience, load_best=not averaging
                    ),
                )
            )
        callbacks += list(self.callbacks or [])
        deadline = current_fit_deadline()  # a search's fold fit: stop in time
        if deadline is not None:
            callbacks.append(("deadline", _Deadline(deadline)))
        return callbacks

    def _metric_callbacks(self):
        return []

    def _make_net(
        self,
        module,
        criterion,
        epochs,
        n_train,
        seed,
        callbacks=(),
        valid=None,
        *,
        module_kwargs=None,
        net_class=None,
    ):
        """The skorch net factory, for the main net and the phase nets before it.

        The net trains with this estimator's optimiser, learning rate, batch
        size, penalties, device and verbosity, and records the learning rate.

        Parameters
        ----------
        module : MLPModule or type
            A module to train as it is, or the module class, built from
            ``module_kwargs`` when the net initialises.
        criterion : dict
            skorch's criterion parameters (``criterion``, ``criterion__*``, and
            ``classes`` for a classifier net). A weighted net (``X`` given as
            ``{"X": X, "sample_weight": w}``) has ``criterion__reduction="none"``:
            its ``get_loss`` takes the weighted mean of the rows' losses.
        epochs : int
            ``max_epochs`` of the net.
        n_train : int
            Training rows (resolve ``batch_size="full"``).
        seed : int
            Seed of the batch order.
        callbacks : list of (str, Callback), default=()
            Callbacks after the learning-rate record, in order.
        valid : tuple of tensors or None, default=None
            The validation ``(X, y)`` on ``device_`` (``X`` a dict with the
            validation rows' weights for a weighted net); None trains without one.
        module_kwargs : dict or None, default=None
            skorch's ``module__*`` parameters, for a module class.
        net_class : type or None, default=None
            The skorch net class; None for the estimator's (classifier or
            regressor).
        """
        from skorch.dataset import Dataset
        from skorch.helper import predefined_split

        from autodl.neural._callbacks import RecordLR
        from autodl.neural._data import TensorBatchIterator

        batch_size = self._batch_size(n_train)
        optimizer, optimizer_kwargs = self._make_optimizer()
        net_class = self._net_class if net_class is None else net_class
        return net_class(
            module=module,
            **{f"module__{k}": v for k, v in (module_kwargs or {}).items()},
            **criterion,
            optimizer=optimizer,
            **{f"optimizer__{k}": v for k, v in optimizer_kwargs.items()},
            lr=float(self.lr),
            max_epochs=int(epochs),
            batch_size=batch_size,
            iterator_train=TensorBatchIterator,
            iterator_train__shuffle=True,
            iterator_train__seed=seed,
            iterator_valid=TensorBatchIterator,
            iterator_valid__batch_size=max(
                batch_size, _EVAL_BATCH_SIZE // getattr(self, "_oom_shrink", 1)
            ),
            train_split=None if valid is None else predefined_split(Dataset(*valid)),
            callbacks=[("lr", RecordLR()), *callbacks],
            device=self.device_,
            verbose=self.verbose,
            l1=float(self.l1),
            activity_l1=float(self.activity_l1),
        )

    # ------------------------------------------------------------------ fit
    def _fit_net(self, X, y_net, y_strat, n_outputs, sample_weight=None):
        """Train the ``n_seeds`` nets on ``X`` (float32) and ``y_net``.

        The first is this estimator's own net, seeded as a single net is; the
        others (``seed_nets_``) are estimators of this class with ``n_seeds=1``
        and seeds drawn next from ``random_state``. A warm start continues each.
        """
        rng = check_random_state(self.random_state)
        members = self._seed_members()
        self._train_net(X, y_net, y_strat, n_outputs, sample_weight, rng)
        seeds = draw_seed(rng, size=len(members))
        for member, seed in zip(members, seeds, strict=True):
            deadline = current_fit_deadline()
            if self.interrupted_ or (deadline is not None and time.time() >= deadline):
                break  # Ctrl-C or the search's clock: no further net
            if member.random_state is None:  # a new net (not a warm start's)
                member.random_state = seed
            # the fitted state that fit sets before training: classes, targets
            member.__dict__.update(
                {n: getattr(self, n) for n in self._fit_state if hasattr(self, n)}
            )
            member._fit_net(X, y_net, y_strat, n_outputs, sample_weight)
            self.interrupted_ = member.interrupted_
        # every fitted net: a warm start's not trained now keep their earlier fit
        self.seed_nets_ = [net for net in members if hasattr(net, "net_")]
        return self

    # what fit sets before training, which each net of seed_nets_ gets too
    _fit_state = ("n_features_in_", "feature_names_in_")

    def _seed_members(self):
        """The unfitted (or, warm-starting, fitted) nets after the first."""
        params = {**self.get_params(deep=False), "n_seeds": 1, "random_state": None}
        if self._continued_net() is None:
            # each net its own copy of the callbacks (their state is per run)
            return [
                type(self)(**{**params, "callbacks": copy.deepcopy(self.callbacks)})
                for _ in range(self.n_seeds - 1)
            ]
        previous = self.seed_nets_
        if len(previous) != self.n_seeds - 1:
            raise ValueError(
                f"warm_start=True continues the {len(previous) + 1} nets of the "
                f"first fit, but n_seeds={self.n_seeds}; set n_seeds="
                f"{len(previous) + 1}, or warm_start=False to fit anew."
            )
        for member in previous:  # this fit's parameters, each net's own seed
            member.set_params(
                **{
                    **params,
                    "random_state": member.random_state,
                    "callbacks": copy.deepcopy(self.callbacks),
                }
            )
        return previous

    def _train_net(self, X, y_net, y_strat, n_outputs, sample_weight, rng):
        """Split, seed, build and train one net on ``X`` and ``y_net``."""
        import torch

        from autodl.neural._data import n_batches
        from autodl.neural._modules import MLPModule

        weight = check_weights(sample_weight, X)
        if weight is not None:
            weight = weight.astype(np.float32)

        self._check_combinations()
        sizes = self._layer_sizes()
        self.device_ = resolve_device(self.device)
        split_seed, torch_seed, shuffle_seed = draw_seed(rng, size=3)
        train, valid = self._split(y_strat, split_seed)
        if self.batch_norm and len(train) < 2:
            raise ValueError(
                f"batch_norm=True needs at least 2 training rows, got {len(train)}."
            )
        if weight is not None and not weight[train].sum() > 0:
            raise ValueError(
                f"{type(self).__name__}: every training row has sample_weight 0; "
                "give some rows a positive weight."
            )
        X, self._prepared = self._scale_input(X, y_net, train, split_seed, weight)

        def to_device(array):
            # no copy for a writable C-contiguous array on the CPU (the net only
            # reads its training data)
            array = np.require(array, requirements=["C", "W"])
            return torch.from_numpy(array).to(self.device_)

        def with_weight(X_t, rows):
            # skorch's way of passing per-row data along: X as a dict
            if weight is None:
                return X_t
            return {"X": X_t, "sample_weight": to_device(weight[rows])}

        if valid is None:  # every row trains: no gather
            X_train, y_train = X, y_net
        else:
            X_train, y_train = X[train], y_net[train]
        module_kwargs = self._make_module_params(X.shape[1], n_outputs, sizes)
        train_weight = take_rows(weight, train)
        criterion = self._criterion_params(y_train, n_outputs, train_weight)
        # the phases before the main run (pretraining, the frozen phase) only set
        # its starting weights: they train unweighted, on the training rows of
        # positive weight (a row of weight 0 counts nowhere), with the main net's
        # criterion (balanced class weights computed with the sample weights) but
        # its plain mean loss; the main run then weighs every row
        phase_criterion = dict(criterion)
        if weight is not None:  # per-row losses, averaged by the net's get_loss
            criterion["criterion__reduction"] = "none"
        monitor = "train_loss" if valid is None else "valid_loss"
        self._oom_shrink = 1
        while True:  # one attempt, or more after running out of GPU memory
            stage = "data"
            try:
                with _torch_threads(self.n_threads), _forked_rng(self.device_):
                    torch.manual_seed(torch_seed)
                    valid_data = (
                        None
                        if valid is None
                        else (
                            with_weight(to_device(X[valid]), valid),
                            to_device(y_net[valid]),
                        )
                    )
                    n_train = len(y_train)
                    batches = n_batches(n_train, self._batch_size(n_train))
                    net = self._make_net(
                        MLPModule,
                        criterion,
                        self.max_epochs,
                        n_train,
                        shuffle_seed,
                        self._make_callbacks(batches, monitor),
                        valid_data,
                        module_kwargs=module_kwargs,
                    )
                    X_t, y_t = to_device(X_train), to_device(y_train)
                    X_phase, y_phase = X_t, y_t
                    if train_weight is not None and not (train_weight > 0).all():
                        counts = torch.from_numpy(train_weight > 0).to(self.device_)
                        X_phase, y_phase = X_t[counts], y_t[counts]
                    stage = "train"
                    # warm start, init_from, pretraining and the frozen phase, if any
                    self.phase_histories_, self.transferred_layers_ = start_weights(
                        net,
                        X_phase,
                        y_phase,
                        self._make_net,
                        criterion=phase_criterion,
                        module_kwargs=module_kwargs,
                        seed=shuffle_seed,
                        owner=type(self).__name__,
                        classes=self.classes_ if is_classifier(self) else None,
                        previous=self._continued_net(),
                        init_from=self.init_from,
                        net_types=_BaseMLP,
                        pretrain=self.pretrain,
                        pretrain_epochs=self.pretrain_epochs,
                        freeze=self.freeze,
                        freeze_epochs=self.freeze_epochs,
                    )
                    X_phase = y_phase = None
                    net.partial_fit(with_weight(X_t, train), y_t)
                break
            except RuntimeError as exc:  # torch.OutOfMemoryError is one
                retry = self._out_of_memory_retry(exc, stage, len(train))
                if retry is None:
                    raise
                failure = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            # free this attempt's tensors before the next (outside the except block,
            # whose traceback holds on to them)
            net = valid_data = X_t = y_t = X_phase = y_phase = None
            _release_gpu_memory(self.device_)
            self._out_of_memory_warn(failure, retry, len(train))
        self.batch_size_ = self._batch_size(len(train))
        self.input_scaler_, self._bins = self._prepared
        del self._prepared
        # drop what only training needed: no data or device copies stay behind
        # (GPU memory is free for the next fit of a search; the pickle stays small)
        X_t = y_t = valid_data = None
        self._after_training(net)
        _release_gpu_memory(self.device_)
        self.net_ = net
        self.history_ = net.history
        self.best_epoch_ = self._find_best_epoch(net, valid is not None)
        self.averaged_epochs_ = (
            dict(net.callbacks_)["weight_averaging"].averaged_epochs_
            if self.weight_averaging is not None
            else None
        )
        if self.interrupted_:
            kept = (
                "the average of epochs {} to {}".format(*self.averaged_epochs_)
                if self.averaged_epochs_ is not None
                else f"the weights of its best epoch, {self.best_epoch_}"
            )
            warnings.warn(
                f"{type(self).__name__}: training interrupted (KeyboardInterrupt) "
                f"after epoch {len(net.history)} of {self.max_epochs}; the net keeps "
                f"{kept} (interrupted_ is True).",
                UserWarning,
                stacklevel=3,
            )
        last_loss = net.history[-1, "train_loss"]
        if not np.isfinite(last_loss):
            warnings.warn(
                f"{type(self).__name__}: training diverged (train_loss={last_loss}); "
                "lower lr, set grad_clip, or standardise the inputs.",
                UserWarning,
                stacklevel=3,
            )
        return self

    def _scale_input(self, X, y_net, train, seed, weight=None):
        """``X`` scaled, and ``(scaler, bins)`` fitted on the training rows.

        With sample weights, only rows of positive weight count (and the
        ``"standard"`` scaler weighs them). Continuing a fit (warm start) keeps
        the first fit's. They become ``input_scaler_`` and ``_bins`` once training
        succeeded."""
        from autodl.neural._scaling import (
            combined_bins,
            make_input_scaler,
            quantile_bins,
            tree_bins,
        )
        from autodl.utils import accepts_sample_weight, fit_weighted

        # a warm start with other features fails later, with its own message
        previous = self._continued_net()
        continuing = (
            previous is not None
            and getattr(previous.module_, "n_features", None) == X.shape[1]
        )
        if continuing:
            scaler, bins = self.input_scaler_, self._bins
        else:
            if weight is not None:
                train = train[weight[train] > 0]
            X_train = X if len(train) == len(X) else X[train]
            scaler = make_input_scaler(self.input_scaling, len(X_train), seed)
            if scaler is not None:
                weighs = weight is not None and accepts_sample_weight(scaler)
                scaler = fit_weighted(
                    scaler, X_train, sample_weight=weight[train] if weighs else None
                )
        if scaler is not None:
            X = scaler.transform(X).astype(np.float32, copy=False)
        if not continuing:
            bins = None
            if self.numeric_embedding == "piecewise_linear":
                rows = slice(None) if len(train) == len(X) else train
                if self.binning != "tree":
                    bins = quantile_bins(X[rows], self.n_bins)
                if self.binning != "quantile":
                    thresholds = tree_bins(
                        X[rows],
                        y_net[rows],
                        self.n_bins,
                        classification=y_net.ndim == 1,
                        sample_weight=None if weight is None else weight[rows],
                    )
                    bins = (
                        thresholds
                        if self.binning == "tree"
                        else combined_bins(X[rows], bins, thresholds, self.n_bins)
                    )
        return X, (scaler, bins)

    def _out_of_memory_retry(self, exc, stage, n_train):
        """``(shrink, device)`` of the next attempt after ``exc``, or None to raise.

        Out of memory in training: halve the batch size (not below
        ``_MIN_OOM_BATCH_SIZE``); then, on a GPU, train on the CPU with the batch
        size asked for. When the data alone does not fit on the GPU
        (``stage == "data"``), go to the CPU at once. Nothing left to try, or
        another error: None.
        """
        import torch

        if not (isinstance(exc, torch.OutOfMemoryError) or "out of memory" in str(exc)):
            return None
        if stage == "train" and self._batch_size(n_train) // 2 >= _MIN_OOM_BATCH_SIZE:
            return self._oom_shrink * 2, self.device_
        if self.device_ == "cpu":
            return None
        return 1, "cpu"

    def _out_of_memory_warn(self, failure, retry, n_train):
        """Switch to the batch size and device of ``retry``, and say so."""
        shrink, device = retry
        name, before = type(self).__name__, self._batch_size(n_train)
        self._oom_shrink = shrink
        after = self._batch_size(n_train)
        if device != self.device_:
            message = f"training on the CPU instead, with batch_size={after}"
        else:
            message = f"retrying with batch_size={after}"
        warnings.warn(
            f"{name}: {self.device_} ran out of memory with batch_size={before} "
            f"({failure}); {message}. batch_size_ and device_ say what the fit "
            "used; set a smaller batch_size or device='cpu' to avoid the retries.",
            UserWarning,
            stacklevel=4,
        )
        self.device_ = device

    def _after_training(self, net):
        """Notice an interrupted training (Ctrl-C), keep its best epoch, tidy up.

        :func:`check_interrupted` decides whether the run was interrupted. Then the
        weights are those of the best finished epoch (early stopping's restore, the
        weight average of the finished epochs, or the copy the guard kept), and
        every copy that only training needed is dropped.
        """
        from skorch.callbacks import EpochScoring

        from autodl.neural._callbacks import check_interrupted, deadline_reached

        self.interrupted_ = check_interrupted(net, type(self).__name__)
        callbacks = dict(net.callbacks_)
        guard = callbacks["interruption"]
        stopper = callbacks.get("early_stopping")
        cut = self.interrupted_ or deadline_reached(net)
        if cut and guard.best_state_ is not None:
            net.module_.load_state_dict(guard.best_state_)
        if "deadline" in callbacks:  # the search's clock, not the fitted net's
            callbacks["deadline"].deadline = None
        # keep memory and the pickle small and device-free: the validation tensors
        # live in train_split, the last batches in the scoring caches, weight copies
        # in the guard and early stopping; the fitted net only needs them in fit
        net.train_split = None
        net.module_.zero_grad(set_to_none=True)  # the last batch's gradients
        guard.best_state_ = None
        if stopper is not None:
            stopper.best_model_weights_ = None
        for _, callback in net.callbacks_:
            if isinstance(callback, EpochScoring):
                callback._initialize_cache()

    def _find_best_epoch(self, net, has_valid):
        if self.early_stopping:
            stopper = dict(net.callbacks_)["early_stopping"]
            if stopper.best_epoch_ > 0:
                return int(stopper.best_epoch_)
        losses = np.asarray(
            net.history[:, "valid_loss" if has_valid else "train_loss"], dtype=float
        )
        if not np.isfinite(losses).any():
            return len(losses)
        return int(np.nanargmin(np.where(np.isfinite(losses), losses, np.nan)) + 1)

    def _forward(self, X):
        """Validated ``X`` through the nets in eval mode: their mean, float32."""
        check_is_fitted(self)
        X = _dense(validate_numeric(self, X, reset=False, **_INPUT))
        with _torch_threads(self.n_threads):
            outputs = [net._net_output(X) for net in (self, *self.seed_nets_)]
        if len(outputs) == 1:
            return outputs[0]
        return np.mean(outputs, axis=0, dtype=np.float32)

    def _net_output(self, X):
        """This net's output for ``X`` (validated, float32), scaled as it was."""
        if self.input_scaler_ is not None:
            X = self.input_scaler_.transform(X).astype(np.float32, copy=False)
        return self.net_.predict_proba(X)

    def __setstate__(self, state):
        super().__setstate__(state)
        # skorch maps a CUDA-trained net to the CPU when no GPU is left
        if "net_" in state:
            self.device_ = str(self.net_.device)


@Substitution(
    **_DOC_TEXTS,
    stratified=", stratified by class",
    metric="``valid_acc`` (accuracy)",
    averaging_default="None",
    averaging_why="The regressor's default is ``\"ema\"``; on the meta suite's\n"
    "classification sets the two scored the same.",
)
class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multilayer-perceptron classifier trained by skorch, with the DL toolbox.

    Every lever for better learning (batch size, optimiser, learning-rate
    schedule, batch normalisation, activation, initialisation, gradient clipping)
    and better generalization (weight decay, L1, max-norm, activity penalty,
    noise, dropout, early stopping) is one flat parameter, so ``GridSearchCV``
    searches it as ``mlpclassifier__dropout``. The net scales its own input
    (``input_scaling``), and carries the tabular state of the art as levers:
    numerical embeddings, RealMLP's recipe (``feature_scale``, parametric
    activations, ``label_smoothing``, ``lr_schedule="flat_anneal"``, ``betas``)
    and TabM-style ensembling (``n_ensemble``).

    Parameters
    ----------
    {shared_params}
    class_weight : {None, "balanced"} or dict, default=None
        Weights of the classes in the cross-entropy: ``"balanced"`` weights each
        class inversely to its frequency in the training rows; a dict maps class
        labels to weights (missing classes weigh 1).
    label_smoothing : float in [0, 1), default=0.1
        Label smoothing of the cross-entropy (torch's ``CrossEntropyLoss``): the
        target puts ``1 - label_smoothing`` on the true class and spreads the
        rest evenly (RealMLP uses 0.1). It also applies to ``valid_loss``. For a
        multilabel ``y``, each label's 0/1 target becomes ``label_smoothing / 2``
        / ``1 - label_smoothing / 2`` (the two-class case).
    {common_params}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    {shared_attributes}

    See Also
    --------
    MLPRegressor : the same net for regression.
    sklearn.neural_network.MLPClassifier : scikit-learn's numpy MLP.

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from autodl.neural import MLPClassifier
    >>> X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    >>> clf = MLPClassifier(hidden_layer_sizes=(32,), max_epochs=20,
    ...                     random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    >>> len(clf.history_) <= 20
    True
    """

    _stratify = True
    _multilabel = False  # set by fit: y was a multilabel indicator matrix
    _fit_state = (*_BaseMLP._fit_state, "classes_", "_multilabel")
    _parameter_constraints = {
        **_BaseMLP._parameter_constraints,
        "class_weight": [*one_of(_CLASS_WEIGHTS), dict],
        "label_smoothing": [_FRACTION],
    }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags

    def __init__(
        self,
        hidden_layer_sizes=(256, 256),
        activation="pselu",
        batch_norm=False,
        dropout=0.0,
        input_noise=0.0,
        hidden_noise=0.0,
        weight_init="default",
        optimizer="adam",
        lr=4e-3,
        momentum=0.9,
        nesterov=False,
        batch_size=256,
        max_epochs=100,
        lr_schedule="flat_anneal",
        grad_clip=None,
        weight_decay=0.0,
        l1=0.0,
        activity_l1=0.0,
        max_norm=None,
        early_stopping=True,
        patience=30,
        validation_fraction=0.1,
        weight_averaging=None,
        init_from=None,
        freeze=0,
        freeze_epochs=10,
        warm_start=False,
        pretrain=None,
        pretrain_epochs=10,
        input_scaling="robust_smooth_clip",
        numeric_embedding="piecewise_linear",
        embedding_dim=8,
        n_frequencies=48,
        frequency_scale=0.01,
        n_bins=16,
        binning="quantile",
        feature_scale=True,
        n_ensemble=1,
        n_seeds=2,
        betas=(0.9, 0.95),
        class_weight=None,
        label_smoothing=0.1,
        device="auto",
        n_threads=1,
        callbacks=None,
        random_state=None,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.batch_norm = batch_norm
        self.dropout = dropout
        self.input_noise = input_noise
        self.hidden_noise = hidden_noise
        self.weight_init = weight_init
        self.optimizer = optimizer
        self.lr = lr
        self.momentum = momentum
        self.nesterov = nesterov
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.lr_schedule = lr_schedule
        self.grad_clip = grad_clip
        self.weight_decay = weight_decay
        self.l1 = l1
        self.activity_l1 = activity_l1
        self.max_norm = max_norm
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.weight_averaging = weight_averaging
        self.init_from = init_from
        self.freeze = freeze
        self.freeze_epochs = freeze_epochs
        self.warm_start = warm_start
        self.pretrain = pretrain
        self.pretrain_epochs = pretrain_epochs
        self.input_scaling = input_scaling
        self.numeric_embedding = numeric_embedding
        self.embedding_dim = embedding_dim
        self.n_frequencies = n_frequencies
        self.frequency_scale = frequency_scale
        self.n_bins = n_bins
        self.binning = binning
        self.feature_scale = feature_scale
        self.n_ensemble = n_ensemble
        self.n_seeds = n_seeds
        self.betas = betas
        self.class_weight = class_weight
        self.label_smoothing = label_smoothing
        self.device = device
        self.n_threads = n_threads
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    @property
    def _net_class(self):
        from autodl.neural._net import _PenalizedNetClassifier, _PenalizedNetRegressor

        # multilabel: one logit per label, no softmax and no single-label accuracy
        if self._multilabel:
            return _PenalizedNetRegressor
        return _PenalizedNetClassifier

    def _ensemble_average(self):
        # the members' mean probability (softmax); mean logits for multilabel
        return "mean" if self._multilabel else "proba"

    def _criterion_params(self, y_train, n_outputs, sample_weight=None):
        import torch

        if self._multilabel:  # a sigmoid cross-entropy per label; raw logits out
            return {
                "criterion": torch.nn.BCEWithLogitsLoss,
                "predict_nonlinearity": None,
            }
        params = {
            "criterion": torch.nn.CrossEntropyLoss,
            "classes": list(range(n_outputs)),
        }
        if self.label_smoothing:
            params["criterion__label_smoothing"] = float(self.label_smoothing)
        if self.class_weight is not None:
            weights = compute_class_weight(
                self.class_weight,
                classes=self.classes_,
                y=self.classes_[y_train],
                sample_weight=sample_weight,
            )
            params["criterion__weight"] = torch.from_numpy(weights.astype(np.float32))
        return params

    def _metric_callbacks(self):
        return []  # skorch's classifier already records valid_acc

    @Substitution(sample_weight=_SAMPLE_WEIGHT)
    def fit(self, X, y, sample_weight=None):
        """Train the net on ``X``, ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric training input (cast to float32).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix (a 0/1 column per
            label; each row may have several labels, or none).
        {sample_weight}

        Returns
        -------
        self : MLPClassifier
        """
        check_params(self)
        X, y = validate_numeric(self, X, y, multi_output=True, **_INPUT)
        X = _dense(X)
        if X.shape[0] < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples to fit, got "
                f"n_samples = {X.shape[0]}."
            )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        self._multilabel = y.ndim == 2
        if self._multilabel:
            return self._fit_multilabel(X, y, sample_weight)
        check_classification_y(y)
        encoder = LabelEncoder().fit(y)
        if self._continued_net() is not None:
            check_warm_classes(self.classes_, encoder.classes_)
        self.classes_ = encoder.classes_
        y_enc = encoder.transform(y).astype(np.int64)
        return self._fit_net(X, y_enc, y_enc, len(self.classes_), sample_weight)

    def _fit_multilabel(self, X, y, sample_weight):
        if type_of_target(y) != "multilabel-indicator":
            raise ValueError(
                f"{type(self).__name__} takes one column of class labels or a "
                f"multilabel indicator matrix (0/1 columns); y has {y.shape[1]} "
                f"columns of kind {type_of_target(y)!r}. Fit one model per column "
                "(sklearn.multioutput.MultiOutputClassifier) for several targets."
            )
        if self.class_weight is not None:
            raise ValueError(
                f"class_weight={self.class_weight!r} applies to one column of class "
                "labels; a multilabel y takes class_weight=None."
            )
        classes = np.arange(y.shape[1])
        if self._continued_net() is not None:
            check_warm_classes(self.classes_, classes)
        self.classes_ = classes
        # label smoothing per label, as the cross-entropy does for two classes:
        # a 1 becomes 1 - label_smoothing / 2 and a 0 becomes label_smoothing / 2
        smoothing = float(self.label_smoothing)
        y_net = np.asarray(y, dtype=np.float32) * np.float32(1 - smoothing)
        y_net += np.float32(smoothing / 2)
        # the validation split is drawn unstratified (one stratum)
        strata = np.zeros(len(y_net), dtype=np.int64)
        return self._fit_net(X, y_net, strata, len(classes), sample_weight)

    def predict_proba(self, X):
        """Class probabilities (softmax of the net's outputs, eval mode).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Input.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``. For a multilabel ``y``: the probability
            of each label (a sigmoid per column; rows need not sum to 1).
        """
        out = self._forward(X).astype(np.float64)
        if self._multilabel:
            return 1.0 / (1.0 + np.exp(-out))
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Input.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            For a multilabel ``y``: the indicator matrix of the labels whose
            probability is above 0.5.
        """
        scores = self._forward(X)
        if self._multilabel:  # a logit above 0 is a probability above 0.5
            return (scores > 0).astype(np.int64)
        return self.classes_[np.argmax(scores, axis=1)]


@Substitution(
    **_DOC_TEXTS,
    stratified="",
    metric="``valid_r2`` (R² of the validation rows)",
    averaging_default='"ema"',
    averaging_why="The default: on the meta suite's regression sets it scored\n"
    "higher than the best epoch, which 10 % of the rows pick noisily on\n"
    "small sets (the classifier's default is ``None``).",
)
class MLPRegressor(RegressorMixin, _BaseMLP):
    """Multilayer-perceptron regressor trained by skorch, with the DL toolbox.

    The same net and levers as :class:`MLPClassifier`, with a regression loss.
    Targets are standardised inside (per output: minus the mean, over the standard
    deviation) and predictions are mapped back, so an unscaled target (prices in
    thousands, say) trains as well as a scaled one. The input is scaled inside too
    (``input_scaling``).

    Parameters
    ----------
    {shared_params}
    loss : {"mse", "mae", "huber"}, default="mse"
        Regression loss on the standardised target; ``"huber"`` is quadratic
        within one standard deviation of the target and linear beyond.
    {common_params}

    Attributes
    ----------
    n_outputs_ : int
        Number of targets.
    target_mean_ : ndarray of shape (n_outputs_,)
        Mean of each target, removed before training.
    target_scale_ : ndarray of shape (n_outputs_,)
        Standard deviation of each target (1 for a constant target).
    {shared_attributes}

    See Also
    --------
    MLPClassifier : the same net for classification.
    sklearn.neural_network.MLPRegressor : scikit-learn's numpy MLP.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from autodl.neural import MLPRegressor
    >>> X, y = make_regression(200, 5, noise=1.0, random_state=0)
    >>> reg = MLPRegressor(hidden_layer_sizes=(32,), max_epochs=20,
    ...                    random_state=0).fit(X, 100 * y + 1000)
    >>> reg.predict(X[:3]).shape
    (3,)
    >>> reg.score(X, 100 * y + 1000) > 0.5
    True
    """

    _fit_state = (
        *_BaseMLP._fit_state,
        "n_outputs_",
        "target_mean_",
        "target_scale_",
        "_target_ndim",
    )
    _parameter_constraints = {
        **_BaseMLP._parameter_constraints,
        "loss": one_of(_REGRESSION_LOSSES),
    }

    def __init__(
        self,
        hidden_layer_sizes=(256, 256),
        activation="pselu",
        batch_norm=False,
        dropout=0.0,
        input_noise=0.0,
        hidden_noise=0.0,
        weight_init="default",
        optimizer="adam",
        lr=4e-3,
        momentum=0.9,
        nesterov=False,
        batch_size=256,
        max_epochs=100,
        lr_schedule="flat_anneal",
        grad_clip=None,
        weight_decay=0.0,
        l1=0.0,
        activity_l1=0.0,
        max_norm=None,
        early_stopping=True,
        patience=30,
        validation_fraction=0.1,
        weight_averaging="ema",
        init_from=None,
        freeze=0,
        freeze_epochs=10,
        warm_start=False,
        pretrain=None,
        pretrain_epochs=10,
        input_scaling="robust_smooth_clip",
        numeric_embedding="piecewise_linear",
        embedding_dim=8,
        n_frequencies=48,
        frequency_scale=0.01,
        n_bins=16,
        binning="quantile",
        feature_scale=True,
        n_ensemble=1,
        n_seeds=2,
        betas=(0.9, 0.95),
        loss="mse",
        device="auto",
        n_threads=1,
        callbacks=None,
        random_state=None,
        verbose=0,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.batch_norm = batch_norm
        self.dropout = dropout
        self.input_noise = input_noise
        self.hidden_noise = hidden_noise
        self.weight_init = weight_init
        self.optimizer = optimizer
        self.lr = lr
        self.momentum = momentum
        self.nesterov = nesterov
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.lr_schedule = lr_schedule
        self.grad_clip = grad_clip
        self.weight_decay = weight_decay
        self.l1 = l1
        self.activity_l1 = activity_l1
        self.max_norm = max_norm
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.weight_averaging = weight_averaging
        self.init_from = init_from
        self.freeze = freeze
        self.freeze_epochs = freeze_epochs
        self.warm_start = warm_start
        self.pretrain = pretrain
        self.pretrain_epochs = pretrain_epochs
        self.input_scaling = input_scaling
        self.numeric_embedding = numeric_embedding
        self.embedding_dim = embedding_dim
        self.n_frequencies = n_frequencies
        self.frequency_scale = frequency_scale
        self.n_bins = n_bins
        self.binning = binning
        self.feature_scale = feature_scale
        self.n_ensemble = n_ensemble
        self.n_seeds = n_seeds
        self.betas = betas
        self.loss = loss
        self.device = device
        self.n_threads = n_threads
        self.callbacks = callbacks
        self.random_state = random_state
        self.verbose = verbose

    @property
    def _net_class(self):
        from autodl.neural._net import _PenalizedNetRegressor

        return _PenalizedNetRegressor

    def _criterion_params(self, y_train, n_outputs, sample_weight=None):
        import torch

        losses = {
            "mse": torch.nn.MSELoss,
            "mae": torch.nn.L1Loss,
            "huber": torch.nn.HuberLoss,
        }
        return {"criterion": losses[self.loss]}

    def _metric_callbacks(self):
        from skorch.callbacks import EpochScoring

        # R² is unchanged by the target standardisation, so it reads as on y
        return [
            (
                "valid_r2",
                EpochScoring("r2", name="valid_r2", lower_is_better=False),
            )
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @Substitution(sample_weight=_SAMPLE_WEIGHT)
    def fit(self, X, y, sample_weight=None):
        """Train the net on ``X``, ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Numeric training input (cast to float32).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets, in any units (standardised inside).
        {sample_weight}

        Returns
        -------
        self : MLPRegressor
        """
        check_params(self)
        X, y = validate_numeric(self, X, y, multi_output=True, y_numeric=True, **_INPUT)
        X = _dense(X)
        y = np.asarray(y, dtype=np.float64)
        self._target_ndim = y.ndim
        y2 = y.reshape(len(y), -1)
        self.n_outputs_ = y2.shape[1]
        weight = check_weights(sample_weight, X)
        self.target_mean_ = np.average(y2, axis=0, weights=weight)
        spread = (y2 - self.target_mean_) ** 2
        scale = np.sqrt(np.average(spread, axis=0, weights=weight))
        self.target_scale_ = np.where(scale > 0, scale, 1.0)
        y_std = ((y2 - self.target_mean_) / self.target_scale_).astype(np.float32)
        # stratify nothing; the split only needs the number of rows
        return self._fit_net(X, y_std, np.zeros(len(y_std)), self.n_outputs_, weight)

    def predict(self, X):
        """Predicted targets, in the units of ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Input.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs_)
        """
        out = self._forward(X).astype(np.float64)
        out = out * self.target_scale_ + self.target_mean_
        return out.ravel() if self._target_ndim == 1 else out
