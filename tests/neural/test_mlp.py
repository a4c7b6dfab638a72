"""MLPClassifier / MLPRegressor: quality, the toolbox levers, errors, persistence."""

import io
import pickle
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.datasets import make_circles, make_classification, make_friedman1
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import Callback

from autodl.neural import MLPClassifier, MLPRegressor
from autodl.pipeline import make_pipeline

# small and on the CPU, where the same seed gives the same model
FAST = {
    "hidden_layer_sizes": (16,),
    "max_epochs": 4,
    "random_state": 0,
    "device": "cpu",
}


@pytest.fixture(scope="module")
def circles():
    X, y = make_circles(2000, noise=0.1, factor=0.5, random_state=0)
    return train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def small():
    X, y = make_classification(120, 6, n_informative=4, random_state=0)
    return X.astype(np.float32), y


@pytest.fixture(scope="module")
def circles_clf(circles):
    X_train, _, y_train, _ = circles
    return MLPClassifier(random_state=0).fit(X_train, y_train)


class Capture(Callback):
    """Keep the validation data and, after training, the restored weights' loss."""

    def on_epoch_end(self, net, dataset_valid=None, **kwargs):
        self.dataset_valid_ = dataset_valid

    def on_train_end(self, net, **kwargs):
        self.final_valid_loss_ = None
        if self.dataset_valid_ is not None:
            X, y = self.dataset_valid_.X, self.dataset_valid_.y
            net.module_.eval()
            with torch.no_grad():
                loss = net.criterion_(net.module_(X), y)
            self.final_valid_loss_ = float(loss)


# ----------------------------------------------------------------- quality
def test_defaults_classify_circles(circles, circles_clf):
    _, X_test, _, y_test = circles
    assert circles_clf.score(X_test, y_test) >= 0.95


def test_defaults_fit_unscaled_friedman_target():
    X, y = make_friedman1(3000, noise=0.5, random_state=0)
    y = 100 * y + 1000
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, random_state=0
    )
    reg = MLPRegressor(random_state=0).fit(X_train, y_train)
    assert reg.score(X_test, y_test) >= 0.9


def test_fitted_attributes(circles_clf):
    history = circles_clf.history_
    assert list(circles_clf.classes_) == [0, 1]
    assert circles_clf.n_features_in_ == 2
    assert circles_clf.device_ in {"cpu", "cuda"}
    for key in ["train_loss", "valid_loss", "valid_acc", "lr", "dur"]:
        assert len(history[:, key]) == len(history)
    assert 1 <= circles_clf.best_epoch_ <= len(history)
    assert circles_clf.net_.train_split is None  # no data kept in the model


# ------------------------------------------------------------ determinism
def test_same_random_state_same_predictions(small):
    X, y = small
    params = {**FAST, "dropout": 0.2, "input_noise": 0.1, "max_epochs": 6}
    state = torch.get_rng_state()
    p1 = MLPClassifier(**params).fit(X, y).predict_proba(X)
    assert torch.equal(state, torch.get_rng_state()), "global torch RNG moved"
    p2 = MLPClassifier(**params).fit(X, y).predict_proba(X)
    p3 = MLPClassifier(**{**params, "random_state": 1}).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(p1, p2)
    assert not np.allclose(p1, p3)


def test_threads_are_restored(small):
    X, y = small
    before = torch.get_num_threads()
    clf = MLPClassifier(**FAST, n_threads=1).fit(X, y)
    clf.predict(X)
    assert torch.get_num_threads() == before


# ------------------------------------------------------------- the levers
# dropout, noise, l1, activity_l1 and max_norm: test_modules.py, test_net.py and
# test_callbacks.py, each lever alone on top of every other lever off


def test_early_stopping_restores_best_epoch():
    X, y = make_classification(
        300, 20, n_informative=3, flip_y=0.3, random_state=0
    )  # noisy labels: a wide net overfits within a few epochs
    capture = Capture()
    clf = MLPClassifier(
        hidden_layer_sizes=(256, 256),
        lr=0.01,
        patience=3,
        max_epochs=200,
        validation_fraction=0.3,
        random_state=0,
        callbacks=[capture],
    ).fit(X, y)
    losses = clf.history_[:, "valid_loss"]
    assert len(losses) == clf.best_epoch_ + 3 < 200  # stopped by patience
    assert losses[clf.best_epoch_ - 1] == pytest.approx(min(losses))
    assert losses[-1] > min(losses)
    # the fitted weights are the best epoch's, not the last epoch's
    assert capture.final_valid_loss_ == pytest.approx(
        losses[clf.best_epoch_ - 1], rel=1e-5
    )


def test_without_early_stopping_keeps_last_epoch():
    X, y = make_classification(300, 20, n_informative=3, flip_y=0.3, random_state=0)
    capture = Capture()
    clf = MLPClassifier(
        hidden_layer_sizes=(64,),
        max_epochs=8,
        early_stopping=False,
        validation_fraction=0.3,
        random_state=0,
        callbacks=[capture],
    ).fit(X, y)
    assert len(clf.history_) == 8
    assert capture.final_valid_loss_ == pytest.approx(
        clf.history_[-1, "valid_loss"], rel=1e-5
    )


def test_validation_split_is_stratified():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 3)).astype(np.float32)
    y = np.array(["minority"] * 40 + ["majority"] * 360)
    capture = Capture()
    MLPClassifier(**FAST, validation_fraction=0.25, callbacks=[capture]).fit(X, y)
    y_valid = capture.dataset_valid_.y.numpy()
    assert len(y_valid) == 100
    # classes_ are sorted: "majority" is 0, "minority" is 1
    assert np.bincount(y_valid).tolist() == [90, 10]


def test_no_validation_split():
    X, y = make_classification(100, 4, random_state=0)
    clf = MLPClassifier(**FAST, validation_fraction=0.0).fit(X, y)
    assert "valid_loss" not in clf.history_[-1]
    train_loss = clf.history_[:, "train_loss"]
    assert clf.best_epoch_ == int(np.argmin(train_loss)) + 1
    assert sum(clf.history_[-1, "batches", :, "train_batch_size"]) == 100


def test_tiny_data_warns_and_trains_on_everything():
    X = np.arange(8, dtype=float).reshape(4, 2)
    y = [0, 1, 0, 1]
    with pytest.warns(UserWarning, match="too few to hold out"):
        clf = MLPClassifier(**FAST).fit(X, y)
    assert "valid_loss" not in clf.history_[-1]


def test_a_class_of_one_row_stays_in_training_and_the_split_remains():
    """A rare class cannot be in both parts; the others still get a stratified
    validation split (before, one such row cost the whole split and the best-epoch
    restore, with a warning that spoke of too few rows)."""
    X, y = make_classification(100, 4, random_state=0)
    y = np.where(np.arange(100) == 7, 2, y)  # class 2: a single row
    clf = MLPClassifier(**FAST)
    train, valid = clf._split(y, seed=0)
    assert 7 in train and 7 not in valid
    assert len(valid) == 10
    assert np.array_equal(np.sort(np.r_[train, valid]), np.arange(100))
    assert np.bincount(y[valid]).tolist() == [5, 5]  # stratified on the others
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        fitted = clf.fit(X, y)
    assert "valid_loss" in fitted.history_[-1]


@pytest.mark.parametrize(
    "batch_size, batches", [(1, 90), (32, 3), ("full", 1), (89, 1)]
)
def test_batch_size(batch_size, batches):
    X, y = make_classification(100, 4, random_state=0)  # 90 train, 10 valid
    clf = MLPClassifier(**{**FAST, "max_epochs": 2}, batch_size=batch_size).fit(X, y)
    assert clf.history_[-1, "train_batch_count"] == batches


def test_batch_norm_with_a_trailing_single_row():
    X, y = make_classification(99, 4, random_state=0)  # 89 train rows = 8 * 11 + 1
    clf = MLPClassifier(**FAST, batch_norm=True, batch_size=11).fit(X, y)
    sizes = clf.history_[-1, "batches", :, "train_batch_size"]
    assert min(sizes) >= 2 and sum(sizes) == 89


@pytest.mark.parametrize(
    "lr_schedule",
    [None, "step", "exponential", "plateau", "cosine", "cosine_restarts", "one_cycle"],
)
@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_every_lr_schedule_fits(small, lr_schedule, optimizer):
    X, y = small
    clf = MLPClassifier(
        **{**FAST, "max_epochs": 8},
        lr=1e-3,
        lr_schedule=lr_schedule,
        optimizer=optimizer,
        early_stopping=False,
    ).fit(X, y)
    lrs = np.array(clf.history_[:, "lr"])
    first = 1e-3 / 25 if lr_schedule == "one_cycle" else 1e-3  # one-cycle warms up
    assert lrs[0] == pytest.approx(first)
    if lr_schedule is None:
        assert np.all(lrs == 1e-3)
    elif lr_schedule == "step":  # / 10 every max_epochs // 3 = 2 epochs
        np.testing.assert_allclose(lrs[[1, 2, 4, 6]], [1e-3, 1e-4, 1e-5, 1e-6])
    elif lr_schedule in ("exponential", "cosine"):
        assert np.all(np.diff(lrs) < 0)
    elif lr_schedule == "cosine_restarts":  # cycles of 2 epochs
        assert lrs[2] == pytest.approx(1e-3) and lrs[1] < 1e-3
    elif lr_schedule == "one_cycle":
        assert lrs.max() > 0.5e-3 > lrs[0] > lrs[-1]


def test_plateau_schedule_reduces_lr():
    X, y = make_classification(100, 4, flip_y=0.5, random_state=0)
    clf = MLPClassifier(
        **{**FAST, "max_epochs": 30},
        lr=0.05,
        lr_schedule="plateau",
        patience=4,
        early_stopping=False,
    ).fit(X, y)
    assert min(clf.history_[:, "lr"]) <= 0.05 * 0.2 + 1e-12


OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_optimizer_gets_what_was_passed(small, optimizer):
    X, y = small
    clf = MLPClassifier(
        **FAST,
        optimizer=optimizer,
        lr=0.0123,
        lr_schedule=None,  # the rate in the group is the rate passed
        weight_decay=0.0456,
        momentum=0.7,
        nesterov=optimizer == "sgd",
        betas=(0.8, 0.95),
    ).fit(X, y)
    assert type(clf.net_.optimizer_) is OPTIMIZERS[optimizer]
    group = clf.net_.optimizer_.param_groups[0]
    assert group["lr"] == 0.0123 and group["weight_decay"] == 0.0456
    if optimizer == "sgd":
        assert group["momentum"] == 0.7 and group["nesterov"] is True
    if optimizer in ("adam", "adamw"):
        assert group["betas"] == (0.8, 0.95)
    if optimizer == "rmsprop":  # momentum is sgd's only
        assert group["momentum"] == 0


def test_sgd_momentum_without_nesterov(small):
    X, y = small
    clf = MLPClassifier(**FAST, optimizer="sgd", momentum=0.5, nesterov=False)
    group = clf.fit(X, y).net_.optimizer_.param_groups[0]
    assert group["momentum"] == 0.5 and group["nesterov"] is False


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_weight_decay_shrinks_the_weights(small, optimizer):
    X, y = small
    params = {
        **FAST,
        "optimizer": optimizer,
        "lr": 0.05,
        "max_epochs": 15,
        "dropout": 0.0,
        "early_stopping": False,
        "validation_fraction": 0.0,
    }

    def l2(clf):
        return sum(w.pow(2).sum().item() for w in clf.net_.module_.weights())

    plain = MLPClassifier(**params, weight_decay=0.0).fit(X, y)
    decayed = MLPClassifier(**params, weight_decay=0.1).fit(X, y)
    assert l2(decayed) < 0.8 * l2(plain)


@pytest.mark.parametrize(
    "activation", ["relu", "leaky_relu", "elu", "selu", "gelu", "tanh", "sigmoid"]
)
def test_every_activation_fits(small, activation):
    X, y = small
    clf = MLPClassifier(**FAST, activation=activation, dropout=0.1).fit(X, y)
    assert clf.predict_proba(X).shape == (len(X), 2)
    act = clf.net_.module_.hidden[0][-1]
    assert type(act).__name__.lower().replace("_", "") == activation.replace("_", "")


@pytest.mark.parametrize("weight_init", ["default", "xavier", "kaiming", "orthogonal"])
def test_every_weight_init_fits(small, weight_init):
    X, y = small
    clf = MLPClassifier(**FAST, weight_init=weight_init, batch_norm=True).fit(X, y)
    assert np.isfinite(clf.history_[:, "train_loss"]).all()


class InitialWeights(Callback):
    def on_train_begin(self, net, **kwargs):
        self.params_ = [p.detach().clone() for p in net.module_.parameters()]


def test_grad_clip_bounds_the_update(small):
    X, y = small
    initial = InitialWeights()
    clf = MLPClassifier(
        **{**FAST, "max_epochs": 1},
        optimizer="sgd",
        momentum=0.0,
        lr=1.0,
        batch_size="full",
        validation_fraction=0.0,
        callbacks=[initial],
    )
    # one full-batch SGD step with lr=1 moves the weights by the gradient norm...
    clf.fit(X, y)
    moved = [
        (a - b).pow(2).sum().item()
        for a, b in zip(clf.net_.module_.parameters(), initial.params_, strict=True)
    ]
    assert sum(moved) ** 0.5 > 1e-2
    # ...and by at most the clip value with grad_clip
    clf.set_params(grad_clip=1e-3).fit(X, y)
    moved = [
        (a - b).pow(2).sum().item()
        for a, b in zip(clf.net_.module_.parameters(), initial.params_, strict=True)
    ]
    assert sum(moved) ** 0.5 <= 1e-3 * 1.01


def test_class_weight_balanced_finds_the_minority():
    X, y = make_classification(
        600, 4, weights=[0.95], class_sep=0.5, flip_y=0, random_state=0
    )
    params = {**FAST, "max_epochs": 20}
    plain = MLPClassifier(**params).fit(X, y).predict(X)
    balanced = MLPClassifier(**params, class_weight="balanced").fit(X, y).predict(X)
    assert (balanced == 1).sum() > 2 * max(1, (plain == 1).sum())


# ------------------------------------------------------------- regression
def test_target_standardisation_makes_units_irrelevant():
    X, y = make_friedman1(200, random_state=0)
    reg = MLPRegressor(**FAST)
    p1 = reg.fit(X, y).predict(X)
    p2 = MLPRegressor(**FAST).fit(X, 100 * y + 1000).predict(X)
    np.testing.assert_allclose(p2, 100 * p1 + 1000, rtol=1e-4)
    assert reg.target_mean_ == pytest.approx(y.mean())


@pytest.mark.parametrize(
    "loss, expected",
    # residuals 0.5 and 3: mean of r**2, of |r|, of huber (delta 1)
    [("mse", (0.25 + 9) / 2), ("mae", (0.5 + 3) / 2), ("huber", (0.125 + 2.5) / 2)],
)
def test_regression_losses(loss, expected):
    X, y = make_friedman1(150, random_state=0)
    reg = MLPRegressor(**FAST, loss=loss).fit(X, y)
    criterion = reg.net_.criterion_
    value = criterion(torch.tensor([[0.5], [3.0]]), torch.zeros(2, 1)).item()
    assert value == pytest.approx(expected)
    assert reg.predict(X).shape == (150,)


def test_multi_output_regression():
    X, y = make_friedman1(150, random_state=0)
    Y = np.column_stack([y, -3 * y])
    reg = MLPRegressor(**FAST).fit(X, Y)
    assert reg.predict(X).shape == (150, 2) and reg.n_outputs_ == 2


# ---------------------------------------------------------------- pipelines
def test_grid_search_over_the_toolbox_in_a_pipeline():
    X, y = make_circles(160, noise=0.1, factor=0.5, random_state=0)
    pipe = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(16,), max_epochs=3, random_state=0),
    )
    grid = {
        "mlpclassifier__dropout": [0.0, 0.2],
        "mlpclassifier__batch_norm": [False, True],
        "mlpclassifier__lr_schedule": [None, "cosine_restarts"],
        "mlpclassifier__optimizer": ["adam", "sgd"],
    }
    search = GridSearchCV(pipe, grid, cv=2, error_score="raise").fit(X, y)
    assert len(search.cv_results_["params"]) == 16
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    # the searched values reach the fitted net of the best candidate
    best = search.best_estimator_[-1]
    kinds = {type(m) for m in best.net_.module_.modules()}
    assert (torch.nn.Dropout in kinds) == (
        search.best_params_["mlpclassifier__dropout"] > 0
    )
    assert (torch.nn.BatchNorm1d in kinds) == search.best_params_[
        "mlpclassifier__batch_norm"
    ]
    assert (
        type(best.net_.optimizer_)
        is OPTIMIZERS[search.best_params_["mlpclassifier__optimizer"]]
    )


def test_numeric_dataframe_input(small):
    X, y = small
    frame = pd.DataFrame(X, columns=[f"c{i}" for i in range(X.shape[1])])
    frame["c0"] = frame["c0"].astype(np.float64)
    frame["flag"] = (frame["c1"] > 0).astype(int)
    clf = MLPClassifier(**FAST).fit(frame, pd.Series(y))
    assert list(clf.feature_names_in_) == list(frame.columns)
    assert clf.predict(frame).shape == (len(frame),)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "value, match", [(np.nan, "contains NaN"), (np.inf, "contains infinity")]
)
def test_non_finite_input_is_refused(small, value, match):
    X, y = small
    X = X.copy()
    X[3, 1] = value
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**FAST).fit(X, y)
    with pytest.raises(ValueError, match=match):
        MLPRegressor(**FAST).fit(X, y.astype(float))


def test_one_class_is_refused(small):
    X, _ = small
    with pytest.raises(ValueError, match="single class"):
        MLPClassifier(**FAST).fit(X, np.ones(len(X)))


def test_string_column_is_refused(small):
    X, y = small
    frame = pd.DataFrame(X).assign(city="Paris")
    with pytest.raises(ValueError, match=r"column\(s\) \['city'\] hold strings"):
        MLPClassifier(**FAST).fit(frame, y)


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without GPU")
def test_cuda_without_gpu(small):
    X, y = small
    with pytest.raises(ValueError, match="torch sees no CUDA GPU"):
        MLPClassifier(**{**FAST, "device": "cuda"}).fit(X, y)
    clf = MLPClassifier(**{**FAST, "device": "auto"}).fit(X, y)
    assert clf.device_ == "cpu" and clf.device == "auto"


@pytest.mark.parametrize(
    "params, match",
    [
        ({"activation": "swish"}, "activation='swish' is not supported"),
        ({"optimizer": "lbfgs"}, "optimizer='lbfgs' is not supported"),
        ({"lr_schedule": "linear"}, "lr_schedule='linear' is not supported"),
        ({"weight_init": "he"}, "weight_init='he' is not supported"),
        ({"dropout": 1.0}, "dropout=1.0 is not supported"),
        ({"batch_size": "half"}, "batch_size='half' is not supported"),
        ({"batch_size": 0}, "batch_size=0 is not supported"),
        ({"hidden_layer_sizes": (8, 0)}, "hidden_layer_sizes=.* positive integers"),
        ({"batch_norm": True, "batch_size": 1}, "batch_norm=True needs at least 2"),
        ({"nesterov": True}, "nesterov=True needs optimizer='sgd'"),
        ({"validation_fraction": 1.0}, "validation_fraction=1.0 is not supported"),
        ({"device": "tpu"}, "device='tpu' is not supported"),
        ({"class_weight": "auto"}, "class_weight='auto' is not supported"),
    ],
)
def test_bad_parameters(small, params, match):
    X, y = small
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**FAST).set_params(**params).fit(X, y)


def test_bad_regression_loss():
    X, y = make_friedman1(50, random_state=0)
    with pytest.raises(ValueError, match="loss='hinge' is not supported"):
        MLPRegressor(**FAST, loss="hinge").fit(X, y)


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        MLPRegressor().predict(np.zeros((2, 3)))


# ------------------------------------------------------------- persistence
def test_pickle_and_joblib_round_trip(small, tmp_path):
    X, y = small
    clf = MLPClassifier(**FAST, lr_schedule="cosine").fit(X, y)
    expected = clf.predict_proba(X)
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)
    assert loaded.history_[:, "train_loss"] == clf.history_[:, "train_loss"]
    joblib.dump(clf, tmp_path / "clf.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "clf.joblib").predict_proba(X), expected
    )
    reg = MLPRegressor(**FAST).fit(X, y.astype(float) * 10)
    buffer = io.BytesIO()
    joblib.dump(reg, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(joblib.load(buffer).predict(X), reg.predict(X))


class _TensorSpy(pickle.Pickler):
    """Record the tensors pickled in the main stream (not via skorch's torch.save)."""

    def __init__(self, file):
        super().__init__(file)
        self.tensors = []

    def reducer_override(self, obj):
        if isinstance(obj, torch.Tensor):
            self.tensors.append(tuple(obj.shape))
        return NotImplemented


def test_pickle_holds_no_tensors_outside_skorchs_device_mapping(small):
    # skorch maps module, optimiser and criterion to the CPU when a CUDA-trained
    # net is loaded without a GPU; a tensor pickled anywhere else would not load
    X, y = small
    clf = MLPClassifier(
        **FAST,
        lr_schedule="one_cycle",
        grad_clip=1.0,
        max_norm=2.0,
        early_stopping=True,
    ).fit(X, y)
    spy = _TensorSpy(io.BytesIO())
    spy.dump(clf)
    assert spy.tensors == []


# --------------------------------------------------------------------- GPU
@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_trains_on_gpu_and_loads_anywhere(small):
    X, y = small
    clf = MLPClassifier(**{**FAST, "device": "auto"}).fit(X, y)
    assert clf.device_ == "cuda"
    assert next(clf.net_.module_.parameters()).is_cuda
    proba = clf.predict_proba(X)
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(loaded.predict_proba(X), proba, rtol=1e-5)
    cpu = MLPClassifier(**FAST).fit(X, y)
    assert abs(cpu.score(X, y) - clf.score(X, y)) < 0.2


def test_multilabel_indicator_target():
    from sklearn.datasets import make_multilabel_classification

    X, Y = make_multilabel_classification(
        300, 8, n_classes=3, n_labels=1, random_state=0
    )
    clf = MLPClassifier(
        hidden_layer_sizes=(32,), max_epochs=100, lr=0.01, random_state=0
    ).fit(X[:200], Y[:200])
    assert list(clf.classes_) == [0, 1, 2]
    proba = clf.predict_proba(X[200:])
    assert proba.shape == (100, 3) and ((proba > 0) & (proba < 1)).all()
    pred = clf.predict(X[200:])
    assert set(np.unique(pred)) <= {0, 1}
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(int))
    # each label beats always predicting its majority value
    majority = (Y[:200].mean(axis=0) > 0.5).astype(int)
    assert ((pred == Y[200:]).mean(axis=0) > (majority == Y[200:]).mean(axis=0)).all()


def test_multilabel_refuses_single_label_options_and_other_2d_targets():
    X = np.random.RandomState(0).normal(size=(40, 3))
    Y = (X[:, :2] > 0).astype(int)
    with pytest.raises(ValueError, match="class_weight='balanced' applies to one"):
        MLPClassifier(class_weight="balanced", max_epochs=2).fit(X, Y)
    with pytest.raises(ValueError, match="MultiOutputClassifier"):
        MLPClassifier(max_epochs=2).fit(X, np.c_[Y[:, 0], Y[:, 1] * 2 + Y[:, 0]])
    with pytest.raises(ValueError, match="label_smoothing=1.0"):
        MLPClassifier(label_smoothing=1.0, max_epochs=2).fit(X, Y)


def test_multilabel_label_smoothing_softens_each_label():
    # each label's target becomes label_smoothing / 2 or 1 - label_smoothing / 2,
    # so even separable labels stay near 0.2 / 0.8 with label_smoothing=0.4
    X = np.random.RandomState(0).normal(size=(200, 3))
    Y = (X[:, :2] > 0).astype(int)
    params = {"hidden_layer_sizes": (32,), "max_epochs": 60, "random_state": 0}
    sharp = MLPClassifier(label_smoothing=0.0, **params).fit(X, Y).predict_proba(X)
    soft = MLPClassifier(label_smoothing=0.4, **params).fit(X, Y).predict_proba(X)
    assert sharp.max() > 0.95 and soft.max() < 0.9
    assert (soft.round() == sharp.round()).mean() > 0.95
