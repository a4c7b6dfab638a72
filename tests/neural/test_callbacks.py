"""autodl's skorch callbacks act: the max-norm constraint (gradient clipping is
skorch's; its effect is tested in test_mlp.py)."""

import pytest
import torch

from autodl.neural import MLPClassifier
from autodl.neural._callbacks import MaxNorm
from autodl.neural._modules import MLPModule


def _row_norms(clf):
    return [
        layer.weight.detach().norm(dim=1) for layer in clf.net_.module_.hidden_linears()
    ]


def test_max_norm_bounds_every_hidden_row(levers_off, lever_data):
    X, y = lever_data
    params = {**levers_off, "hidden_layer_sizes": (32, 32), "lr": 0.05}
    free = MLPClassifier(**params).fit(X, y)
    assert max(n.max().item() for n in _row_norms(free)) > 1.0  # work to do
    bound = 0.6
    constrained = MLPClassifier(**{**params, "max_norm": bound}).fit(X, y)
    norms = torch.cat(_row_norms(constrained))
    assert (norms <= bound + 1e-5).all()
    assert (norms > 0.9 * bound).sum() > len(norms) // 4  # rows pressed on the bound


class _Net:
    """What ``MaxNorm`` reads of a skorch net: ``module_``."""

    def __init__(self, module):
        self.module_ = module


def test_max_norm_rescales_long_rows_and_leaves_short_ones():
    module = MLPModule(3, 2, hidden_layer_sizes=(2,))
    with torch.no_grad():
        module.hidden[0][0].weight.copy_(torch.tensor([[3.0, 4.0, 0.0], [0.3, 0.4, 0]]))
        module.output.weight.fill_(10.0)
    MaxNorm(2.0).on_batch_end(_Net(module), training=True)
    weight = module.hidden[0][0].weight.detach()
    assert weight[0].tolist() == pytest.approx([1.2, 1.6, 0.0])
    assert weight[1].tolist() == pytest.approx([0.3, 0.4, 0.0])
    assert (module.output.weight == 10.0).all()  # the output layer stays free
    MaxNorm(0.1).on_batch_end(_Net(module), training=False)  # validation: no-op
    assert weight.tolist() == module.hidden[0][0].weight.tolist()
