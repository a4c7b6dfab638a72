"""learning_curves and plot_learning_curves."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_circles, make_friedman1
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from autodl.diagnostics import learning_curves, plot_learning_curves
from autodl.neural import MLPClassifier, MLPRegressor
from autodl.pipeline import make_pipeline

FAST = {"hidden_layer_sizes": (16,), "random_state": 0, "device": "cpu"}


@pytest.fixture(scope="module")
def nets():
    X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    return {
        f"lr={lr}": MLPClassifier(lr=lr, lr_schedule=None, max_epochs=8, **FAST).fit(
            X, y
        )
        for lr in (1e-3, 1e-2)
    }


def test_one_row_per_epoch(nets):
    net = nets["lr=0.001"]
    curves = learning_curves(net)
    assert list(curves) == ["train_loss", "valid_loss", "valid_acc", "lr", "dur"]
    assert curves.index.name == "epoch"
    assert curves.index.tolist() == list(range(1, len(net.history_) + 1))
    assert np.allclose(curves["valid_loss"], net.history_[:, "valid_loss"])
    assert (curves["lr"] == 1e-3).all()
    assert curves.attrs["best_epoch"] == net.best_epoch_


def test_pipeline_regressor_and_skorch_history():
    X, y = make_friedman1(150, random_state=0)
    pipe = make_pipeline(StandardScaler(), MLPRegressor(max_epochs=5, **FAST))
    curves = learning_curves(pipe.fit(X, y))
    assert "valid_r2" in curves and len(curves) == 5
    from_history = learning_curves(pipe[-1].net_.history)
    pd.testing.assert_frame_equal(
        from_history, curves, check_like=True, check_exact=False
    )


def test_without_validation_split():
    X, y = make_circles(100, noise=0.1, random_state=0)
    net = MLPClassifier(max_epochs=3, validation_fraction=0, **FAST).fit(X, y)
    assert list(learning_curves(net)) == ["train_loss", "lr", "dur"]
    fig = plot_learning_curves(net)
    assert fig.axes[0].get_lines()  # the loss panel still draws
    assert not fig.axes[1].axison  # no metric was recorded


def test_plot_one_colour_per_net(nets):
    fig = plot_learning_curves(nets)
    loss_ax, metric_ax = fig.axes
    colours = {line.get_color() for line in loss_ax.get_lines()}
    assert colours == {"C0", "C1"}
    labels = [t.get_text() for t in loss_ax.get_legend().get_texts()]
    assert "lr=0.001: train" in labels and "lr=0.01: valid" in labels
    assert metric_ax.get_ylabel() == "acc"


def test_plot_into_given_axes(nets):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    assert plot_learning_curves(list(nets.values()), ax=axes) is fig


def test_errors():
    X, y = make_circles(60, random_state=0)
    with pytest.raises(TypeError, match="has no training history"):
        learning_curves(LogisticRegression().fit(X, y))
    with pytest.raises(TypeError, match="has no training history"):
        learning_curves(MLPClassifier())  # unfitted: no history_ yet
