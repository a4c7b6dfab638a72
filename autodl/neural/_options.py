"""The names a net's options take, without importing torch.

``MLPClassifier`` / ``MLPRegressor`` validate their parameters against these, and
the zoo builds them, long before anything trains: torch (a second or more to
import) is imported by the first fit, so a search that never trains a net never
imports it.
"""

__all__: list[str] = []  # private: read by the estimators and the modules

# name -> (torch.nn class name, its keyword arguments, name for torch.nn.init gains)
ACTIVATIONS = {
    "relu": ("ReLU", {}, "relu"),
    "leaky_relu": ("LeakyReLU", {"negative_slope": 0.01}, "leaky_relu"),
    "elu": ("ELU", {}, "relu"),
    "selu": ("SELU", {}, "selu"),
    "gelu": ("GELU", {}, "relu"),
    "tanh": ("Tanh", {}, "tanh"),
    "sigmoid": ("Sigmoid", {}, "sigmoid"),
    "mish": ("Mish", {}, "relu"),
    # parametric (a learned shape per hidden unit): built by ParametricActivation
    "prelu": (None, {}, "leaky_relu"),
    "pselu": (None, {}, "selu"),
    "pmish": (None, {}, "relu"),
}
NUMERIC_EMBEDDINGS = (None, "periodic", "piecewise_linear")
WEIGHT_INITS = ("default", "xavier", "kaiming", "orthogonal")
