"""Model-selection plots: per-fold box plots, errors, importance."""

import pandas as pd
import pytest
from sklearn.datasets import load_iris, make_friedman1, make_moons
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from autodl.diagnostics import (
    plot_confusion_matrix,
    plot_cv_scores,
    plot_permutation_importance,
    plot_residuals,
    plot_roc_curve,
)
from autodl.spotcheck import SpotCheck


@pytest.fixture(scope="module")
def spot():
    X, y = make_moons(150, noise=0.3, random_state=0)
    return SpotCheck(
        models=[
            ("logistic", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ],
        views=[("raw", None), ("again", None)],
        cv=4,
        random_state=0,
    ).fit(X, y)


def test_cv_scores_one_box_per_candidate(spot):
    fig = plot_cv_scores(spot)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    best = spot.leaderboard_.iloc[0]
    assert labels[-1] == f"{best['model']} / {best['view']}"  # best on top
    assert len(labels) == 4
    assert ax.get_xlabel() == "roc_auc per fold"
    assert len(plot_cv_scores(spot.leaderboard_, top=2).axes[0].get_yticklabels()) == 2


def test_cv_scores_errors(spot):
    with pytest.raises(TypeError, match="has no leaderboard_"):
        plot_cv_scores(LogisticRegression())
    failed = spot.leaderboard_.assign(status="failed")
    with pytest.raises(ValueError, match="no candidate scored on every fold"):
        plot_cv_scores(failed)


def test_classifier_plots_binary_and_multiclass():
    X, y = load_iris(return_X_y=True, as_frame=True)
    model = LogisticRegression(max_iter=1000).fit(X, y)
    fig = plot_confusion_matrix(model, X, y, normalize="true")
    assert fig.axes[0].get_title() == "confusion matrix"
    roc = plot_roc_curve(model, X, y)
    assert len(roc.axes[0].get_legend().get_texts()) == 3  # one vs rest, per class
    Xb, yb = make_moons(100, random_state=0)
    binary = plot_roc_curve(LinearSVC().fit(Xb, yb), Xb, yb)  # decision_function
    assert "AUC" in binary.axes[0].get_legend().get_texts()[0].get_text()


def test_roc_needs_scores():
    class LabelsOnly:
        classes_ = [0, 1]

        def predict(self, X):
            return X[:, 0] > 0

    X, y = make_moons(40, random_state=0)
    with pytest.raises(ValueError, match="needs scores"):
        plot_roc_curve(LabelsOnly(), X, y)


def test_residuals_and_importance():
    X, y = make_friedman1(120, random_state=0)
    X = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    model = Ridge().fit(X, y)
    fig = plot_residuals(model, X, y)
    assert [a.get_title() for a in fig.axes] == [
        "actual vs predicted",
        "residuals vs predicted",
    ]
    fig = plot_permutation_importance(model, X, y, top=3, random_state=0)
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(names) == 3
    assert names[-1] == "f3"  # friedman1's strongest linear term, on top
