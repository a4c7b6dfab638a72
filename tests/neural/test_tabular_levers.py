"""The tabular state-of-the-art levers: input scaling, numeric embeddings,
RealMLP's recipe and TabM-style ensembling. Each test shows that the lever acts."""

import pickle
import warnings

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification, make_regression
from sklearn.metrics import r2_score

from autodl.neural import MLPClassifier, MLPRegressor, _estimators
from autodl.neural._callbacks import FlatAnneal
from autodl.neural._modules import MLPModule, ParametricActivation

FAST = {"hidden_layer_sizes": (16,), "max_epochs": 5, "device": "cpu"}
# each test turns on the lever it shows; the others are off
PLAIN = {
    "numeric_embedding": None,
    "feature_scale": False,
    "activation": "relu",
    "lr_schedule": None,
}


def _clf(**params):
    return MLPClassifier(**{**FAST, **PLAIN, "label_smoothing": 0.0, **params})


def _reg(**params):
    return MLPRegressor(**{**FAST, **PLAIN, **params})


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=240, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    return X.astype(np.float32), y


@pytest.fixture(scope="module")
def badly_scaled():
    X, y = make_regression(200, 4, noise=1.0, random_state=0)
    # columns in wildly different units, one with far outliers
    X = X * np.array([1e-3, 1.0, 1e4, 1e6])
    X[:3, 0] = 1e3
    return X, y


# ------------------------------------------------------------------ scaling
def test_input_scaling_owned_by_the_net(badly_scaled):
    X, y = badly_scaled
    params = {
        "hidden_layer_sizes": (32,),
        "max_epochs": 60,
        "batch_size": 32,
        "device": "cpu",
        "random_state": 0,
        "validation_fraction": 0.0,
    }
    default = _reg(**params).fit(X, y)
    with warnings.catch_warnings():  # raw units may diverge: that is the point
        warnings.simplefilter("ignore", UserWarning)
        raw = _reg(input_scaling=None, **params).fit(X, y)
    assert default.input_scaler_ is not None and raw.input_scaler_ is None
    # the default trains well on raw units; without scaling the net is far worse
    assert r2_score(y, default.predict(X)) > 0.9
    assert r2_score(y, default.predict(X)) > r2_score(y, raw.predict(X)) + 0.2


@pytest.mark.parametrize("method", ["robust_smooth_clip", "quantile", "standard"])
def test_input_scaler_fitted_on_training_rows_only(data, method):
    X, y = data
    net = _clf(input_scaling=method, validation_fraction=0.25, random_state=0).fit(X, y)
    n_train = len(X) - int(np.ceil(0.25 * len(X)))
    if method == "standard":
        assert net.input_scaler_.n_samples_seen_ == n_train
    elif method == "quantile":
        assert net.input_scaler_.n_quantiles_ == n_train
    else:  # the median of the training rows differs from that of all rows
        assert not np.allclose(net.input_scaler_.center_, np.median(X, axis=0))
    Z = net.input_scaler_.transform(X)
    assert np.isfinite(Z).all()


def test_robust_smooth_clip_bounds_outliers():
    from autodl.neural._scaling import _RobustSmoothClip

    X = np.r_[np.random.default_rng(0).normal(size=(100, 2)), [[1e9, -1e9]]]
    X = np.c_[X, np.ones(len(X))]  # a constant column becomes 0
    Z = _RobustSmoothClip().fit(X).transform(X)
    assert np.abs(Z).max() <= 3.0 + 1e-5
    assert (Z[:, 2] == 0).all()


# --------------------------------------------------------------- embeddings
@pytest.mark.parametrize("kind", ["periodic", "piecewise_linear"])
def test_numeric_embedding_changes_the_module(data, kind):
    X, y = data
    net = _clf(
        numeric_embedding=kind,
        embedding_dim=4,
        n_bins=8,
        binning="quantile",
        random_state=0,
    ).fit(X, y)
    module = net.net_.module_
    assert module.embedding is not None
    assert module.hidden[0][0].in_features == X.shape[1] * 4
    names = {n for n, _ in module.named_parameters()}
    assert any(n.startswith("embedding.") for n in names)
    plain = _clf(random_state=0).fit(X, y)
    assert plain.net_.module_.embedding is None
    assert net.predict_proba(X).shape == (len(X), 3)
    assert not np.allclose(net.predict_proba(X), plain.predict_proba(X))
    if kind == "piecewise_linear":  # bins at the quantiles of the training rows
        assert all(len(b) <= 9 for b in net._bins)


def test_piecewise_linear_handles_constant_column(data):
    X, y = data
    X = np.c_[X, np.zeros(len(X), dtype=np.float32)]
    net = _clf(numeric_embedding="piecewise_linear", n_bins=4)
    assert net.fit(X, y).predict(X).shape == (len(X),)


def test_tree_bins_split_where_the_target_changes():
    from autodl.neural._scaling import tree_bins

    rng = np.random.default_rng(0)
    X = np.c_[rng.uniform(size=2000), np.ones(2000)]  # the second column constant
    y = (X[:, 0] > 0.7).astype(int)
    signal, constant = tree_bins(X, y, 16, classification=True)
    # the first split is where the target changes; the edges span the column
    assert np.abs(signal - 0.7).min() < 0.01
    assert len(signal) <= 17 and signal[0] == X[:, 0].min().astype(np.float32)
    assert signal[-1] == X[:, 0].max().astype(np.float32)
    assert constant.tolist() == [1.0, 2.0]
    # at most 4 leaves of 64 rows each: 3 thresholds
    assert len(tree_bins(X[:256], y[:256], 16, classification=True)[0]) <= 5
    # a regressor's (or multilabel) target may have several columns
    Y = np.c_[X[:, 0] > 0.7, X[:, 0] < 0.2].astype(np.float32)
    edges = tree_bins(X, Y, 16, classification=False)[0]
    assert np.abs(edges - 0.7).min() < 0.01 and np.abs(edges - 0.2).min() < 0.01


def test_combined_bins_add_no_sliver_of_a_bin():
    from autodl.neural._scaling import combined_bins, quantile_bins

    X = np.linspace(0, 1, 1001)[:-1, None]  # 1000 rows, 250 a quantile bin of 4
    quantile = quantile_bins(X, 4)
    # 0.6245 leaves 125 rows (half a bin) on either side: kept; 0.8 leaves 50 on
    # its left: a sliver, dropped; 0.4995 is a quantile edge already
    tree = [np.array([0.0, 0.4995, 0.6245, 0.8, 0.999], dtype=np.float32)]
    (edges,) = combined_bins(X, quantile, tree, 4)
    np.testing.assert_allclose(edges, np.r_[quantile[0][:3], 0.6245, quantile[0][3:]])


@pytest.mark.parametrize("make", [_clf, _reg])
def test_tree_binning_fits_on_the_training_rows(make):
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(400, 3)).astype(np.float32)
    y = (X[:, 0] > 0.5).astype(int) + (X[:, 1] > 0.5)
    X[0] = 5.0  # a row the net does not train on (weight 0)
    weight = np.ones(len(X))
    weight[0] = 0.0
    params = {"numeric_embedding": "piecewise_linear", "input_scaling": None}
    net = make(binning="tree", random_state=0, **params).fit(X, y, sample_weight=weight)
    assert np.abs(net._bins[0] - 0.5).min() < 0.03
    assert max(edges.max() for edges in net._bins) < 1.0
    assert net.predict(X).shape == (len(X),)
    quantile = make(binning="quantile", random_state=0, **params)
    quantile.fit(X, y, sample_weight=weight)
    assert len(quantile._bins[2]) == 17
    # "both": the quantiles' edges and the tree's, but none that would leave a
    # sliver of a bin
    both = make(binning="both", random_state=0, **params)
    both.fit(X, y, sample_weight=weight)
    for column in range(3):
        union = np.union1d(quantile._bins[column], net._bins[column])
        assert set(quantile._bins[column]) <= set(both._bins[column]) <= set(union)


# ------------------------------------------------------------ RealMLP recipe
def test_feature_scale_is_a_learned_parameter(data):
    X, y = data
    net = _clf(feature_scale=True, random_state=0).fit(X, y)
    scale = net.net_.module_.feature_scale
    assert scale.shape == (X.shape[1],)
    assert not torch.allclose(scale, torch.ones_like(scale))  # it trained


@pytest.mark.parametrize("name", ["prelu", "pselu", "pmish"])
def test_parametric_activations_learn(data, name):
    X, y = data
    net = _clf(activation=name, random_state=0).fit(X, y)
    act = net.net_.module_.hidden[0][-1]
    assert isinstance(act, ParametricActivation)
    start = 0.25 if name == "prelu" else 1.0
    assert not torch.allclose(act.weight, torch.full_like(act.weight, start))


def test_label_smoothing_changes_the_loss(data):
    X, y = data
    plain = _clf(random_state=0).fit(X, y)
    smooth = _clf(label_smoothing=0.3, random_state=0).fit(X, y)
    assert smooth.net_.criterion_.label_smoothing == 0.3
    assert plain.net_.criterion_.label_smoothing == 0.0
    # smoothed targets: a larger loss on the same confident predictions...
    logits = torch.tensor([[6.0, 0.0, 0.0], [0.0, 6.0, 0.0]])
    target = torch.tensor([0, 1])
    assert smooth.net_.criterion_(logits, target) > plain.net_.criterion_(
        logits, target
    )
    # ...so the net learns to be less sure of its training rows
    longer = {"max_epochs": 40, "lr": 0.02, "random_state": 0, "dropout": 0.0}
    longer.update(early_stopping=False, validation_fraction=0.0)
    sure = _clf(**longer).fit(X, y).predict_proba(X).max(axis=1).mean()
    unsure = _clf(label_smoothing=0.3, **longer).fit(X, y).predict_proba(X)
    assert unsure.max(axis=1).mean() < sure - 0.05


def test_flat_anneal_schedule(data):
    f = FlatAnneal(10, 0.5)
    assert [f(0), f(5)] == [1.0, 1.0]
    assert f(10) == 0.0 and 0 < f(7) < 1
    X, y = data
    net = _clf(
        lr_schedule="flat_anneal", lr=0.01, random_state=0, early_stopping=False
    ).fit(X, y)
    lrs = net.history_[:, "lr"]
    assert lrs[0] == lrs[2] == 0.01 and lrs[-1] < 0.01
    pickle.loads(pickle.dumps(net))  # the schedule pickles


def test_betas_reach_the_optimizer(data):
    X, y = data
    net = _clf(betas=(0.9, 0.95)).fit(X, y)
    assert net.net_.optimizer_.param_groups[0]["betas"] == (0.9, 0.95)


@pytest.mark.skipif(
    not _estimators._has_fused_adam("cpu"), reason="torch has a fused CPU Adam from 2.4"
)
@pytest.mark.parametrize("optimizer", ["adam", "adamw"])
def test_adam_runs_the_fused_kernel_with_the_same_update(data, optimizer, monkeypatch):
    X, y = data
    fused = _clf(optimizer=optimizer, device="cpu", random_state=0).fit(X, y)
    assert fused.net_.optimizer_.defaults["fused"] is True
    monkeypatch.setattr(_estimators, "_has_fused_adam", lambda device: False)
    loop = _clf(optimizer=optimizer, device="cpu", random_state=0).fit(X, y)
    assert not loop.net_.optimizer_.defaults["fused"]
    np.testing.assert_allclose(
        fused.predict_proba(X), loop.predict_proba(X), rtol=0, atol=1e-4
    )
    sgd = _clf(optimizer="sgd", device="cpu").fit(X, y)
    assert not sgd.net_.optimizer_.defaults.get("fused")


# ---------------------------------------------------------------- ensembling
def test_n_ensemble_members_and_averaged_predictions(data):
    X, y = data
    net = _clf(n_ensemble=4, n_seeds=1, random_state=0).fit(X, y)
    module = net.net_.module_
    Xt = torch.as_tensor(net.input_scaler_.transform(X), dtype=torch.float32)
    module.train()
    with torch.no_grad():
        members = module(Xt)  # one output per member
    module.eval()
    assert members.shape == (len(X), 4, 3)
    # the prediction is the mean of the members' probabilities
    mean_proba = torch.softmax(members, dim=-1).mean(dim=1).numpy()
    np.testing.assert_allclose(net.predict_proba(X), mean_proba, atol=1e-5)
    # the members differ (own adapters and heads) but share the hidden weight
    assert not torch.allclose(members[:, 0], members[:, 1])
    assert module.hidden[0][0].weight.shape == (16, X.shape[1])


def test_n_ensemble_regression_averages(data):
    X, y = data
    reg = _reg(n_ensemble=3, n_seeds=1, random_state=0).fit(X, y.astype(float))
    module = reg.net_.module_
    Xt = torch.as_tensor(reg.input_scaler_.transform(X), dtype=torch.float32)
    module.train()
    with torch.no_grad():
        members = module(Xt)
    module.eval()
    assert members.shape == (len(X), 3, 1)
    expected = (
        members.mean(dim=1).numpy().ravel() * reg.target_scale_ + reg.target_mean_
    )
    np.testing.assert_allclose(reg.predict(X), expected, rtol=1e-4, atol=1e-4)


def test_n_ensemble_with_classic_levers(data):
    X, y = data
    net = _clf(
        n_ensemble=2,
        batch_norm=True,
        dropout=0.1,
        max_norm=2.0,
        l1=1e-4,
        activity_l1=1e-4,
        weight_averaging="ema",
        numeric_embedding="periodic",
        feature_scale=True,
        activation="prelu",
        random_state=0,
    ).fit(X, y)
    assert net.predict_proba(X).shape == (len(X), 3)


def test_ensemble_module_is_a_plain_mlp_for_k1():
    module = MLPModule(3, 2, (4,), n_ensemble=1)
    assert isinstance(module.hidden[0][0], torch.nn.Linear)


# ----------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "params, match",
    [
        ({"input_scaling": "minmax"}, "input_scaling='minmax'"),
        ({"numeric_embedding": "linear"}, "numeric_embedding='linear'"),
        ({"embedding_dim": 0}, "embedding_dim=0"),
        ({"n_frequencies": 1.5}, "n_frequencies=1.5"),
        ({"frequency_scale": 0}, "frequency_scale=0"),
        ({"n_bins": 1}, "n_bins=1"),
        ({"binning": "kmeans"}, "binning='kmeans'"),
        ({"feature_scale": "yes"}, "feature_scale='yes'"),
        ({"n_ensemble": 0}, "n_ensemble=0"),
        ({"betas": (0.9,)}, r"betas=\(0.9,\)"),
        ({"betas": (0.9, 1.0)}, "betas"),
        ({"label_smoothing": 1.0}, "label_smoothing=1.0"),
        ({"activation": "swish"}, "activation='swish'"),
        ({"lr_schedule": "coslog4"}, "lr_schedule='coslog4'"),
        ({"pretrain": "greedy", "n_ensemble": 2}, "pretrain='greedy'"),
    ],
)
def test_new_params_are_validated(data, params, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        _clf(**{**params}).fit(X, y)


def test_warm_start_keeps_scaler_and_bins(data):
    X, y = data
    net = _clf(numeric_embedding="piecewise_linear", n_bins=8, warm_start=True).fit(
        X, y
    )
    scaler, bins = net.input_scaler_, net._bins
    net.fit(X[:100], y[:100])
    assert net.input_scaler_ is scaler and net._bins is bins
