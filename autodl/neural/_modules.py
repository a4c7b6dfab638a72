"""The torch modules behind ``MLPClassifier`` and ``MLPRegressor``.

:class:`MLPModule` is a multilayer perceptron whose every block is
``Linear -> [BatchNorm1d] -> activation -> [GaussianNoise] -> [Dropout]``, with
optional Gaussian noise on the inputs. In front of the first block it can embed
each numeric feature (``rtdl_num_embeddings``' periodic or piecewise-linear
embeddings) and scale each input column by a learned factor (RealMLP). With
``n_ensemble=k > 1`` it is a TabM-style ensemble: the hidden ``Linear`` layers are
the ``tabm`` package's ``LinearBatchEnsemble`` (one shared weight, per-member
``r`` / ``s`` adapters and biases), the output layer is ``LinearEnsemble`` (one
head per member); in training the module returns every member's output, shape
``(batch, k, n_outputs)``, so the loss is the mean of the members' losses; in eval
mode it returns their average (for a classifier, the log of the mean probability,
so a softmax gives the mean of the members' probabilities).
It also measures the mean absolute hidden activation of each training batch, so
the skorch net can add an activity (L1) penalty to the loss.
"""

import math

import torch
from torch import nn

from autodl.neural._options import ACTIVATIONS

__all__ = [
    "GaussianNoise",
    "MLPModule",
    "ParametricActivation",
]

PARAMETRIC = {"pselu": nn.SELU, "pmish": nn.Mish}


class ParametricActivation(nn.Module):
    """An activation with a learned parameter per unit (on the last dimension).

    ``"prelu"`` is ``max(0, x) + a * min(0, x)`` with ``a`` initialised to 0.25
    (torch's ``PReLU``, on the last dimension so that it also acts on the
    ``(batch, k, width)`` tensors of an ensemble); ``"pselu"`` / ``"pmish"`` are
    RealMLP's parametric activations ``x + a * (f(x) - x)`` with ``a``
    initialised to 1 (so they start as SELU / Mish and may learn to be linear).

    Parameters
    ----------
    name : {"prelu", "pselu", "pmish"}
        Which activation.
    width : int
        Number of units (one parameter each).

    Examples
    --------
    >>> import torch
    >>> act = ParametricActivation("prelu", 3)
    >>> act(torch.tensor([[-4.0, 0.0, 2.0]])).tolist()
    [[-1.0, 0.0, 2.0]]
    """

    def __init__(self, name, width):
        super().__init__()
        self.name = name
        self.fn = None if name == "prelu" else PARAMETRIC[name]()
        init = 0.25 if name == "prelu" else 1.0
        self.weight = nn.Parameter(torch.full((int(width),), init))

    def forward(self, x):
        if self.fn is None:
            return torch.clamp(x, min=0) + self.weight * torch.clamp(x, max=0)
        return x + self.weight * (self.fn(x) - x)

    def extra_repr(self):
        return f"{self.name!r}, width={self.weight.numel()}"


class _EnsembleBatchNorm(nn.BatchNorm1d):
    """``BatchNorm1d`` over the last dimension of ``(batch, k, width)`` inputs."""

    def forward(self, x):
        if x.ndim == 3:
            return super().forward(x.reshape(-1, x.shape[-1])).reshape(x.shape)
        return super().forward(x)


def _make_embedding(
    kind, n_features, embedding_dim, n_frequencies, frequency_scale, bins
):
    """The ``rtdl_num_embeddings`` module for ``kind`` (periodic: PLR as in TabM)."""
    import warnings

    from rtdl_num_embeddings import PeriodicEmbeddings, PiecewiseLinearEmbeddings

    if kind == "periodic":
        return PeriodicEmbeddings(
            n_features,
            embedding_dim,
            n_frequencies=n_frequencies,
            frequency_init_scale=frequency_scale,
            lite=False,
        )
    with warnings.catch_warnings():  # a column with one bin (few distinct values)
        warnings.simplefilter("ignore", UserWarning)
        return PiecewiseLinearEmbeddings(
            [torch.as_tensor(edges) for edges in bins],
            embedding_dim,
            activation=False,
            version="B",
        )


class GaussianNoise(nn.Module):
    """Add zero-mean Gaussian noise in training mode; the identity in eval mode.

    Parameters
    ----------
    std : float
        Standard deviation of the noise, in the units of the input (inputs are
        usually standardised, so ``0.1`` means a tenth of a standard deviation).

    Examples
    --------
    >>> import torch
    >>> layer = GaussianNoise(0.5).eval()
    >>> bool((layer(torch.ones(3, 2)) == 1).all())
    True
    """

    def __init__(self, std):
        super().__init__()
        self.std = float(std)

    def forward(self, x):
        if self.training and self.std > 0:
            return x + self.std * torch.randn_like(x)
        return x

    def extra_repr(self):
        return f"std={self.std}"


class MLPModule(nn.Module):
    """A multilayer perceptron with the regularisers of the deep-learning toolbox.

    Parameters
    ----------
    n_features : int
        Number of input columns.
    n_outputs : int
        Number of output units (classes for a classifier, targets for a regressor).
    hidden_layer_sizes : sequence of int, default=(128, 64)
        Width of each hidden layer; empty for a linear model.
    activation : str, default="relu"
        A key of :data:`ACTIVATIONS`.
    batch_norm : bool, default=False
        Insert ``BatchNorm1d`` between each hidden ``Linear`` and its activation.
    dropout : float, default=0.0
        Dropout probability after each hidden layer (``AlphaDropout`` with SELU,
        which keeps its self-normalising property).
    input_noise : float, default=0.0
        Standard deviation of Gaussian noise added to the inputs in training.
    hidden_noise : float, default=0.0
        Standard deviation of Gaussian noise added after each hidden activation
        in training.
    weight_init : {"default", "xavier", "kaiming", "orthogonal"}, default="default"
        How ``Linear`` weights are initialised; ``"default"`` keeps torch's.
        The others also set biases to zero and use the activation's gain.
    track_activity : bool, default=False
        Store the activity penalty term of each training forward pass in
        ``activity_`` (the sum over hidden layers of the batch mean of the
        per-row L1 norm of the activations).
    numeric_embedding : {None, "periodic", "piecewise_linear"}, default=None
        Embed each input column into ``embedding_dim`` values before the first
        layer (``rtdl_num_embeddings``' ``PeriodicEmbeddings`` or
        ``PiecewiseLinearEmbeddings`` version "B").
    embedding_dim : int, default=16
        Size of each column's embedding.
    n_frequencies : int, default=48
        Frequencies per column of the periodic embedding.
    frequency_scale : float, default=0.01
        Standard deviation of the initial frequencies of the periodic embedding.
    bins : list of 1-d tensors or None, default=None
        Bin edges of each column, for ``numeric_embedding="piecewise_linear"``.
    feature_scale : bool, default=False
        Multiply each input of the first layer by a learned factor (initialised
        to 1), RealMLP's scaling layer.
    n_ensemble : int, default=1
        Number of weight-sharing members (TabM's BatchEnsemble); 1 is a plain MLP.
    average : {"proba", "mean"}, default="mean"
        How the members' outputs are averaged in eval mode: ``"proba"`` returns
        the log of the mean softmax (classification), ``"mean"`` the mean.

    Examples
    --------
    >>> import torch
    >>> module = MLPModule(4, 3, hidden_layer_sizes=(8,))
    >>> module(torch.zeros(5, 4)).shape
    torch.Size([5, 3])
    """

    def __init__(
        self,
        n_features,
        n_outputs,
        hidden_layer_sizes=(128, 64),
        activation="relu",
        batch_norm=False,
        dropout=0.0,
        input_noise=0.0,
        hidden_noise=0.0,
        weight_init="default",
        track_activity=False,
        numeric_embedding=None,
        embedding_dim=16,
        n_frequencies=48,
        frequency_scale=0.01,
        bins=None,
        feature_scale=False,
        n_ensemble=1,
        average="mean",
    ):
        super().__init__()
        act_name, act_kwargs, gain_name = ACTIVATIONS[activation]
        act_cls = None if act_name is None else getattr(nn, act_name)
        self.track_activity = track_activity
        self.activity_ = None
        self.n_features = int(n_features)
        self.n_ensemble = k = int(n_ensemble)
        self.average = average
        self.input_noise = GaussianNoise(input_noise) if input_noise > 0 else None
        self.embedding = None
        width = n_features
        if numeric_embedding is not None:
            self.embedding = _make_embedding(
                numeric_embedding,
                n_features,
                int(embedding_dim),
                int(n_frequencies),
                float(frequency_scale),
                bins,
            )
            width = n_features * int(embedding_dim)
        self.feature_scale = nn.Parameter(torch.ones(width)) if feature_scale else None
        # hidden[i]: Linear -> [BatchNorm1d] -> activation;
        # noise[i]: [GaussianNoise] -> [Dropout], active in training only; None
        # when there is neither (fewer modules: skorch calls .train() per batch).
        self.hidden = nn.ModuleList()
        regularised = hidden_noise > 0 or dropout > 0
        self.noise = nn.ModuleList() if regularised else None
        for i, size in enumerate(hidden_layer_sizes):
            if k > 1:
                from tabm import LinearBatchEnsemble

                # TabM: random signs for the first layer's r, ones elsewhere
                scaling = ("random-signs" if i == 0 else "ones", "ones")
                layers = [
                    LinearBatchEnsemble(width, int(size), k=k, scaling_init=scaling)
                ]
            else:
                layers = [nn.Linear(width, int(size))]
            if batch_norm:
                norm_cls = _EnsembleBatchNorm if k > 1 else nn.BatchNorm1d
                layers.append(norm_cls(int(size)))
            if act_cls is None:
                layers.append(ParametricActivation(activation, int(size)))
            else:
                layers.append(act_cls(**act_kwargs))
            self.hidden.append(nn.Sequential(*layers))
            width = int(size)
            if not regularised:
                continue
            regularisers = []
            if hidden_noise > 0:
                regularisers.append(GaussianNoise(hidden_noise))
            if dropout > 0:
                drop_cls = nn.AlphaDropout if activation == "selu" else nn.Dropout
                regularisers.append(drop_cls(dropout))
            self.noise.append(nn.Sequential(*regularisers))
        if k > 1:
            from tabm import LinearEnsemble

            self.output = LinearEnsemble(width, n_outputs, k=k)
        else:
            self.output = nn.Linear(width, n_outputs)
        if weight_init != "default":
            self._init_weights(weight_init, gain_name)

    def _init_weights(self, scheme, gain_name):
        hidden = [block[0] for block in self.hidden]
        for layer in [*hidden, self.output]:
            if layer.weight.ndim > 2:  # one head per member: kept as tabm made it
                continue
            last = layer is self.output
            nonlinearity = "linear" if last else gain_name
            if scheme == "xavier":
                nn.init.xavier_uniform_(
                    layer.weight, gain=nn.init.calculate_gain(nonlinearity)
                )
            elif scheme == "kaiming":
                kaiming_nl = nonlinearity if nonlinearity != "sigmoid" else "linear"
                nn.init.kaiming_normal_(layer.weight, nonlinearity=kaiming_nl)
            elif scheme == "orthogonal":
                nn.init.orthogonal_(
                    layer.weight, gain=nn.init.calculate_gain(nonlinearity)
                )
            else:  # pragma: no cover - validated by the estimator
                raise ValueError(f"weight_init={scheme!r} is not supported")
            nn.init.zeros_(layer.bias)

    def __getstate__(self):
        # the last batch's activity term is part of a graph: not copied or pickled
        # (copy.deepcopy, as weight averaging does, refuses non-leaf tensors)
        state = dict(super().__getstate__())
        state["activity_"] = None
        return state

    def hidden_linears(self):
        """The ``Linear`` layer of each hidden block (max-norm acts on these)."""
        return [block[0] for block in self.hidden]

    def weights(self):
        """Every ``Linear`` weight matrix, biases excluded (L1 acts on these)."""
        return [layer.weight for layer in [*self.hidden_linears(), self.output]]

    def front(self, X):
        """What the first hidden layer sees: the embedded, scaled ``X``."""
        if self.embedding is not None:
            X = self.embedding(X).flatten(1)
        if self.feature_scale is not None:
            X = X * self.feature_scale
        return X

    def forward(self, X, sample_weight=None):
        # sample_weight: the per-row weights skorch hands every batch's keywords
        # to (X given as a dict); they weigh the loss, not the forward pass
        if self.input_noise is not None:
            X = self.input_noise(X)
        X = self.front(X)
        if self.n_ensemble > 1:
            X = X.unsqueeze(1).expand(-1, self.n_ensemble, -1)
        track = self.track_activity and self.training
        activity = None
        for i, block in enumerate(self.hidden):
            X = block(X)
            if track:
                term = X.abs().sum(dim=-1).mean()
                activity = term if activity is None else activity + term
            if self.noise is not None:
                X = self.noise[i](X)
        if track:
            self.activity_ = activity
        out = self.output(X)
        if self.n_ensemble == 1 or self.training:
            return out  # training an ensemble: (batch, k, n_outputs), one per member
        if self.average == "proba":  # softmax of this is the members' mean proba
            return torch.logsumexp(torch.log_softmax(out, dim=-1), dim=1) - math.log(
                self.n_ensemble
            )
        return out.mean(dim=1)
