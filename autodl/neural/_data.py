"""A batch iterator that slices whole batches out of tensors.

skorch's default ``iterator_train`` is a torch ``DataLoader``: one
``Dataset.__getitem__`` call per row, then a collate step that stacks the rows
again. For tabular data that already sits in one tensor that is pure overhead.
:class:`TensorBatchIterator` takes the place of the ``DataLoader`` (skorch calls it
the same way, ``iterator(dataset, batch_size=..., **kwargs)``), permutes the rows
once per epoch with its own seeded generator and yields contiguous slices, on
whatever device the tensors live.
"""

import numpy as np
import torch

__all__ = ["TensorBatchIterator", "n_batches"]


def n_batches(n_rows, batch_size):
    """How many batches :class:`TensorBatchIterator` yields per epoch.

    A trailing batch of a single row is merged into the one before it (a batch
    of one breaks ``BatchNorm1d`` in training mode), so learning-rate schedules
    that count steps agree with the iterator.

    Parameters
    ----------
    n_rows : int
        Rows in the dataset.
    batch_size : int
        Rows per batch.

    Returns
    -------
    n : int

    Examples
    --------
    >>> n_batches(10, 3), n_batches(9, 3), n_batches(1, 4)
    (3, 3, 1)
    """
    if n_rows <= 0:
        return 0
    full, rest = divmod(n_rows, batch_size)
    if rest == 1 and full > 0 and batch_size > 1:
        return full
    return full + (rest > 0)


def _as_tensor(data):
    if data is None or isinstance(data, torch.Tensor):
        return data
    array = np.asarray(data)
    # a copy only when numpy cannot lend its buffer (read-only or strided input)
    array = np.require(array, requirements=["C", "W"])
    return torch.from_numpy(array)


class TensorBatchIterator:
    """Iterate over a dataset in batches sliced from tensors, not row by row.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset or torch TensorDataset
        Holds ``X`` and ``y`` as tensors or numpy arrays (``y`` may be None).
        Tensors are used where they are, so data already moved to the GPU is
        sliced on the GPU.
    batch_size : int, default=128
        Rows per batch. A trailing batch of a single row is merged into the
        previous batch (see :func:`n_batches`).
    shuffle : bool, default=False
        Draw a new permutation of the rows at the start of every epoch.
    seed : int or None, default=None
        Seed of the iterator's own ``torch.Generator``; the same seed gives the
        same sequence of permutations, and torch's global RNG is not touched.
    **kwargs : dict
        ``DataLoader`` options that have no meaning here (``num_workers``,
        ``pin_memory``, ...) are accepted and ignored.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import TensorDataset
    >>> data = TensorDataset(torch.arange(10.0).reshape(5, 2), torch.arange(5))
    >>> [yb.tolist() for _, yb in TensorBatchIterator(data, batch_size=2)]
    [[0, 1], [2, 3, 4]]
    """

    def __init__(self, dataset, batch_size=128, shuffle=False, seed=None, **kwargs):
        X, y = _unpack(dataset)
        self.X = _as_tensor(X)
        self.y = _as_tensor(y)
        self.batch_size = max(1, int(batch_size))
        self.shuffle = shuffle
        self.seed = seed
        self.generator = torch.Generator()
        if seed is None:
            self.generator.seed()
        else:
            self.generator.manual_seed(int(seed))

    def __len__(self):
        return n_batches(len(self.X), self.batch_size)

    def __iter__(self):
        X, y = self.X, self.y
        n = len(X)
        if self.shuffle and n > 1:
            order = torch.randperm(n, generator=self.generator).to(X.device)
            X = X[order]  # one gather per epoch, then contiguous slices
            if y is not None:
                y = y[order.to(y.device)]
        bounds = [i * self.batch_size for i in range(len(self))] + [n]
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            yield X[start:stop], (None if y is None else y[start:stop])


def _unpack(dataset):
    if isinstance(dataset, torch.utils.data.TensorDataset):
        tensors = dataset.tensors
        return tensors[0], (tensors[1] if len(tensors) > 1 else None)
    try:
        X, y = dataset.X, dataset.y
    except AttributeError:
        raise TypeError(
            "TensorBatchIterator needs a dataset that holds its data as X and y "
            f"(a skorch.dataset.Dataset or a TensorDataset), got "
            f"{type(dataset).__name__}; use torch's DataLoader for other datasets."
        ) from None
    if not isinstance(X, (torch.Tensor, np.ndarray)):
        raise TypeError(
            "TensorBatchIterator slices arrays and tensors; got X of type "
            f"{type(X).__name__}. Convert X to a numpy array or a tensor first."
        )
    return X, y
