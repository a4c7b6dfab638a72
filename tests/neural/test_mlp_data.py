"""The pieces under the estimators: batch iterator, torch module, callbacks."""

import numpy as np
import pytest
import torch
from skorch.dataset import Dataset
from torch import nn
from torch.utils.data import TensorDataset

from autodl.neural import (
    GaussianNoise,
    MaxNorm,
    MLPModule,
    PicklableLRScheduler,
    TensorBatchIterator,
)
from autodl.neural._data import n_batches


def _epoch(iterator):
    return [(xb.clone(), None if yb is None else yb.clone()) for xb, yb in iterator]


# ---------------------------------------------------------------- iterator
@pytest.mark.parametrize(
    "n, batch_size", [(10, 3), (10, 1), (10, 10), (10, 64), (9, 4)]
)
def test_every_row_once_per_epoch(n, batch_size):
    X = torch.arange(2 * n, dtype=torch.float32).reshape(n, 2)
    y = torch.arange(n)
    iterator = TensorBatchIterator(Dataset(X, y), batch_size=batch_size, shuffle=True)
    batches = _epoch(iterator)
    assert len(batches) == len(iterator) == n_batches(n, batch_size)
    rows = torch.cat([yb for _, yb in batches])
    assert sorted(rows.tolist()) == list(range(n))
    for xb, yb in batches:  # X and y stay aligned through the shuffle
        torch.testing.assert_close(xb[:, 0], 2.0 * yb)
    if batch_size > 1:  # no batch of one row, unless that is what was asked
        assert min(len(yb) for _, yb in batches) >= min(2, n)


def test_trailing_single_row_is_merged():
    iterator = TensorBatchIterator(
        TensorDataset(torch.zeros(9, 1), torch.zeros(9)), batch_size=4
    )
    assert [len(xb) for xb, _ in iterator] == [4, 5]


def test_shuffle_is_seeded_and_leaves_global_rng_alone():
    data = Dataset(torch.arange(50.0).reshape(50, 1), torch.arange(50))
    state = torch.get_rng_state()
    a = TensorBatchIterator(data, batch_size=50, shuffle=True, seed=3)
    b = TensorBatchIterator(data, batch_size=50, shuffle=True, seed=3)
    first_a, second_a = _epoch(a)[0][1], _epoch(a)[0][1]
    first_b = _epoch(b)[0][1]
    assert torch.equal(first_a, first_b)  # same seed, same order
    assert not torch.equal(first_a, second_a)  # a new order each epoch
    assert not torch.equal(first_a, torch.arange(50))
    assert torch.equal(state, torch.get_rng_state())


def test_no_shuffle_keeps_order_and_numpy_input():
    X = np.arange(12, dtype=np.float32).reshape(6, 2)
    X.setflags(write=False)  # read-only input (memmaps) is copied, not refused
    batches = _epoch(TensorBatchIterator(Dataset(X, None), batch_size=4))
    assert [b[1] for b in batches] == [None, None]
    torch.testing.assert_close(
        torch.cat([b[0] for b in batches]), torch.from_numpy(X.copy())
    )


def test_slices_are_views_of_the_data():
    X = torch.zeros(8, 3)
    xb, _ = next(iter(TensorBatchIterator(Dataset(X, torch.zeros(8)), batch_size=4)))
    assert xb.data_ptr() == X.data_ptr()  # no per-row copies, no collation


def test_unsupported_dataset():
    class Rows(torch.utils.data.Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return torch.zeros(2), 0

    with pytest.raises(TypeError, match="use torch's DataLoader"):
        TensorBatchIterator(Rows(), batch_size=2)


# ------------------------------------------------------------------ module
def test_module_layout():
    module = MLPModule(
        5, 3, (8, 4), activation="selu", batch_norm=True, dropout=0.1, input_noise=0.2
    )
    first = list(module.hidden[0])
    assert isinstance(first[0], nn.Linear) and isinstance(first[1], nn.BatchNorm1d)
    assert isinstance(first[2], nn.SELU)
    assert isinstance(module.noise[0][0], nn.AlphaDropout)  # keeps SELU normalised
    assert isinstance(module.input_noise, GaussianNoise)
    assert module(torch.zeros(6, 5)).shape == (6, 3)
    assert [w.shape for w in module.weights()] == [(8, 5), (4, 8), (3, 4)]


def test_linear_model_without_hidden_layers():
    module = MLPModule(4, 2, ())
    assert module.hidden_linears() == []
    assert module(torch.ones(3, 4)).shape == (3, 2)


def test_orthogonal_and_zero_bias_init():
    torch.manual_seed(0)
    module = MLPModule(32, 2, (16,), activation="relu", weight_init="orthogonal")
    w = module.hidden[0][0].weight.detach()
    gain = nn.init.calculate_gain("relu")
    torch.testing.assert_close(w @ w.T, gain**2 * torch.eye(16), atol=1e-5, rtol=0)
    assert torch.count_nonzero(module.hidden[0][0].bias) == 0


def test_gaussian_noise_scale():
    torch.manual_seed(0)
    layer = GaussianNoise(0.3)
    x = torch.zeros(20000, 2)
    assert layer(x).std().item() == pytest.approx(0.3, rel=0.05)
    assert torch.equal(layer.eval()(x), x)


def test_activity_is_tracked_in_training_only():
    module = MLPModule(3, 1, (4, 4), track_activity=True)
    module.train()
    module(torch.ones(5, 3))
    assert module.activity_.requires_grad and module.activity_.item() >= 0
    module.activity_ = None
    module.eval()
    module(torch.ones(5, 3))
    assert module.activity_ is None


# --------------------------------------------------------------- callbacks
class _Net:
    def __init__(self, module):
        self.module_ = module


def test_max_norm_callback_renormalises_rows():
    module = MLPModule(4, 2, (3,))
    with torch.no_grad():
        module.hidden[0][0].weight.copy_(torch.tensor([[3.0, 4, 0, 0]] * 3))
        module.output.weight.fill_(10.0)
    MaxNorm(2.0).on_batch_end(_Net(module), training=False)
    weight = module.hidden[0][0].weight.detach()
    assert weight.norm(dim=1).max().item() == pytest.approx(5.0)
    MaxNorm(2.0).on_batch_end(_Net(module), training=True)
    norms = module.hidden[0][0].weight.detach().norm(dim=1)
    assert torch.all(norms <= 2.0 + 1e-5) and torch.all(norms > 1.99)
    assert module.output.weight.max().item() == 10.0  # the output layer is left free


def test_scheduler_is_left_out_of_the_pickle():
    import pickle

    from torch.optim.lr_scheduler import StepLR

    callback = PicklableLRScheduler(StepLR, step_size=2).initialize()
    callback.lr_scheduler_ = object()  # stands for a scheduler tied to an optimiser
    loaded = pickle.loads(pickle.dumps(callback))
    assert loaded.lr_scheduler_ is None and loaded.kwargs == {"step_size": 2}


def test_set_training_reaches_every_submodule():
    from autodl.neural import MLPClassifier

    X = np.random.default_rng(0).standard_normal((40, 3)).astype(np.float32)
    y = np.arange(40) % 2
    net = (
        MLPClassifier(hidden_layer_sizes=(4, 4), dropout=0.1, max_epochs=1)
        .fit(X, y)
        .net_
    )
    for mode in [True, False, True]:
        net.module_.hidden[1].train(not mode)  # one submodule out of step
        net._set_training(mode)
        assert all(m.training == mode for m in net.module_.modules())
        assert net.criterion_.training == mode
