"""The torch modules behind ``MLPClassifier`` and ``MLPRegressor``.

:class:`MLPModule` is a plain multilayer perceptron whose every block is
``Linear -> [BatchNorm1d] -> activation -> [GaussianNoise] -> [Dropout]``, with
optional Gaussian noise on the inputs. It also measures the mean absolute hidden
activation of each training batch, so the skorch net can add an activity (L1)
penalty to the loss.
"""

import torch
from torch import nn

__all__ = ["ACTIVATIONS", "WEIGHT_INITS", "GaussianNoise", "MLPModule"]

# name -> (module class, its keyword arguments, name for torch.nn.init gains)
ACTIVATIONS = {
    "relu": (nn.ReLU, {}, "relu"),
    "leaky_relu": (nn.LeakyReLU, {"negative_slope": 0.01}, "leaky_relu"),
    "elu": (nn.ELU, {}, "relu"),
    "selu": (nn.SELU, {}, "selu"),
    "gelu": (nn.GELU, {}, "relu"),
    "tanh": (nn.Tanh, {}, "tanh"),
    "sigmoid": (nn.Sigmoid, {}, "sigmoid"),
}

WEIGHT_INITS = ("default", "xavier", "kaiming", "orthogonal")


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
    ):
        super().__init__()
        act_cls, act_kwargs, gain_name = ACTIVATIONS[activation]
        self.track_activity = track_activity
        self.activity_ = None
        self.input_noise = GaussianNoise(input_noise) if input_noise > 0 else None
        # hidden[i]: Linear -> [BatchNorm1d] -> activation;
        # noise[i]: [GaussianNoise] -> [Dropout], active in training only; None
        # when there is neither (fewer modules: skorch calls .train() per batch).
        self.hidden = nn.ModuleList()
        regularised = hidden_noise > 0 or dropout > 0
        self.noise = nn.ModuleList() if regularised else None
        width = n_features
        for size in hidden_layer_sizes:
            layers = [nn.Linear(width, int(size))]
            if batch_norm:
                layers.append(nn.BatchNorm1d(int(size)))
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
        self.output = nn.Linear(width, n_outputs)
        if weight_init != "default":
            self._init_weights(weight_init, gain_name)

    def _init_weights(self, scheme, gain_name):
        hidden = [block[0] for block in self.hidden]
        for layer in [*hidden, self.output]:
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

    def hidden_linears(self):
        """The ``Linear`` layer of each hidden block (max-norm acts on these)."""
        return [block[0] for block in self.hidden]

    def weights(self):
        """Every ``Linear`` weight matrix, biases excluded (L1 acts on these)."""
        return [layer.weight for layer in [*self.hidden_linears(), self.output]]

    def forward(self, X):
        if self.input_noise is not None:
            X = self.input_noise(X)
        track = self.track_activity and self.training
        activity = None
        for i, block in enumerate(self.hidden):
            X = block(X)
            if track:
                term = X.abs().sum(dim=1).mean()
                activity = term if activity is None else activity + term
            if self.noise is not None:
                X = self.noise[i](X)
        if track:
            self.activity_ = activity
        return self.output(X)
