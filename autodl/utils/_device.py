"""Where a net trains: ``device="auto"`` resolves to CUDA when torch sees a GPU."""

_DEVICES = ("auto", "cpu", "cuda")


def resolve_device(device):
    """Resolve ``"auto"`` to ``"cuda"`` or ``"cpu"``; refuse CUDA without a GPU.

    Parameters
    ----------
    device : str or torch.device
        ``"auto"``, ``"cpu"``, ``"cuda"`` or an explicit ``"cuda:N"``.

    Returns
    -------
    device : str
        The device to train on.

    Examples
    --------
    >>> resolve_device("cpu")
    'cpu'
    """
    import torch

    device = str(device)
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} was asked for, but torch sees no CUDA GPU on this "
                "machine; use device='auto' (GPU when there is one, else CPU) or "
                "device='cpu'."
            )
        return device
    if device != "cpu":
        raise ValueError(
            f"device={device!r} is not supported; use 'auto', 'cpu', 'cuda' or "
            "'cuda:N'."
        )
    return device


def uses_gpu(estimator):
    """Whether fitting ``estimator`` would train on a CUDA GPU.

    Reads every parameter named ``device`` in ``estimator.get_params(deep=True)``, so
    it sees a net inside a pipeline or a meta-estimator: ``"auto"`` (autodl's nets)
    counts when :func:`resolve_device` resolves it to CUDA here, ``"cuda"``,
    ``"cuda:N"`` and ``"gpu"`` (xgboost) always count. Used by the fan-out policy of
    ``SpotCheck`` and ``AutoClassifier``: fits that use the GPU run one at a time in
    the calling process, never in parallel worker processes sharing one GPU.

    Parameters
    ----------
    estimator : estimator instance, "passthrough" or None

    Returns
    -------
    bool

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> uses_gpu(LogisticRegression())
    False
    """
    get_params = getattr(estimator, "get_params", None)
    if get_params is None:
        return False
    try:
        params = get_params(deep=True)
    except Exception:  # not a scikit-learn estimator after all: no device to read
        return False
    for key, value in params.items():
        if key != "device" and not key.endswith("__device"):
            continue
        if not isinstance(value, str) and type(value).__name__ != "device":
            continue  # None (xgboost's default) or an object we cannot read
        value = str(value)
        if value == "auto":
            if resolve_device("auto") != "cpu":
                return True
        elif value.startswith(("cuda", "gpu")):
            return True
    return False
