"""A batch iterator that slices whole batches out of tensors.

skorch's default ``iterator_train`` is a torch ``DataLoader``: one
``Dataset.__getitem__`` call per row, then a collate step that stacks the rows
again. For tabular data that already sits in one tensor that is pure overhead.
:class:`TensorBatchIterator` takes the place of the ``DataLoader`` (skorch calls it
the same way, ``iterator(dataset, batch_size=..., **kwargs)``), permutes the rows
once per epoch with its own seeded generator and yields contiguous slices, on
whatever device the tensors live. ``X`` may also be a dict of such arrays (skorch's
way of passing extra per-row data, e.g. ``{"X": X, "sample_weight": w}``): each
entry is sliced alike, and the module's ``forward`` receives them as keywords.
"""

from collections.abc import Mapping

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
        Holds ``X`` and ``y`` as tensors or numpy arrays (``y`` may be None);
        ``X`` may be a dict of them, all with the same number of rows.
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
        if isinstance(X, Mapping):
            self.X = {key: _as_tensor(value) for key, value in X.items()}
        else:
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

    def _first(self):
        return next(iter(self.X.values())) if isinstance(self.X, Mapping) else self.X

    def __len__(self):
        return n_batches(len(self._first()), self.batch_size)

    def __iter__(self):
        X, y = self.X, self.y
        n = len(self._first())
        if self.shuffle and n > 1:
            order = torch.randperm(n, generator=self.generator)
            X = _take(X, order)  # one gather per epoch, then contiguous slices
            y = _take(y, order)
        bounds = [i * self.batch_size for i in range(len(self))] + [n]
        for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
            rows = slice(start, stop)
            yield _take(X, rows), _take(y, rows)


def _take(data, rows):
    """``data[rows]`` for a tensor, each entry's for a dict, None for None."""
    if data is None:
        return None
    if isinstance(data, Mapping):
        return {key: _take(value, rows) for key, value in data.items()}
    if isinstance(rows, torch.Tensor):
        rows = rows.to(data.device)
    return data[rows]


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
    values = X.values() if isinstance(X, Mapping) else [X]
    if not all(isinstance(value, (torch.Tensor, np.ndarray)) for value in values):
        raise TypeError(
            "TensorBatchIterator slices arrays and tensors; got X of type "
            f"{type(X).__name__}. Convert X to a numpy array or a tensor (or a dict "
            "of them) first."
        )
    return X, y
