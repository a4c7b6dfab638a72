"""Pseudo-labelling: scikit-learn's SelfTrainingClassifier over autodl estimators."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier
from sklearn.tree import DecisionTreeClassifier

from autodl import AutoClassifier, SpotCheck
from autodl.neural import MLPClassifier


@pytest.fixture(scope="module")
def semi():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    hidden = np.random.RandomState(0).rand(len(y)) < 0.8
    return X, y, np.where(hidden, -1, y)


class RecordFit:
    """Wrap ``fit`` of an estimator class to record the labels it is given."""

    def __init__(self, monkeypatch, cls):
        self.seen = []
        fit = cls.fit

        def recording(est, X, y, *args, **kwargs):
            self.seen.append(np.unique(y))
            return fit(est, X, y, *args, **kwargs)

        monkeypatch.setattr(cls, "fit", recording)


BASES = {
    "mlp": lambda: MLPClassifier(
        hidden_layer_sizes=(16,), max_epochs=60, device="cpu", random_state=0
    ),
    "spotcheck": lambda: SpotCheck(
        models=[
            ("logistic", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ],
        views=[("raw", None)],
        cv=3,
        random_state=0,
    ),
    "auto": lambda: AutoClassifier(
        time_budget=10,
        include=["logistic_regression", "naive_bayes"],
        cv=3,
        n_jobs=1,
        random_state=0,
        verbose=0,
    ),
}


@pytest.mark.parametrize("name", BASES)
def test_self_training_over_autodl(semi, name, monkeypatch):
    X, y, y_semi = semi
    base = BASES[name]()
    recorder = RecordFit(monkeypatch, type(base))
    model = SelfTrainingClassifier(base, threshold=0.9, max_iter=2).fit(X, y_semi)
    # the base estimator only ever sees labelled rows: -1 is never a class
    assert all(-1 not in labels for labels in recorder.seen)
    assert len(recorder.seen) == model.n_iter_ + 1
    assert list(model.classes_) == [0, 1]
    assert list(model.estimator_.classes_) == [0, 1]
    # rows were pseudo-labelled and the last fit used them
    assert (model.labeled_iter_ > 0).sum() > 0
    assert model.predict_proba(X).shape == (len(X), 2)
    assert model.score(X, y) > 0.9
