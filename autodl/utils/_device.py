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
