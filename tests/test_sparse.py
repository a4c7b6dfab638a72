"""Sparse input: taken where the model can, refused by name (with the fix) elsewhere."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from autodl import (
    AutoClassifier,
    EnsembleSelectionClassifier,
    FeatureSelector,
    MLPClassifier,
    PowerTransform,
    Rescaler,
    SpotCheck,
    TabularPreprocessor,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(60, 5, random_state=0)
    X[np.abs(X) < 0.5] = 0.0
    return X, sparse.csr_matrix(X), y


def test_nets_take_sparse_input_as_dense(data):
    X, Xs, y = data
    params = {"hidden_layer_sizes": (8,), "max_epochs": 5, "random_state": 0}
    dense = MLPClassifier(**params).fit(X, y)
    from_sparse = MLPClassifier(**params).fit(Xs, y)
    np.testing.assert_allclose(from_sparse.predict_proba(Xs), dense.predict_proba(X))


def test_meta_estimators_hand_sparse_input_to_members_that_take_it(data):
    X, Xs, y = data
    spot = SpotCheck(
        models=[("lr", LogisticRegression())], views=[("raw", None)], cv=3
    ).fit(Xs, y)
    assert spot.predict(Xs).shape == (60,)
    ens = EnsembleSelectionClassifier([("lr", LogisticRegression())], cv=3)
    assert ens.fit(Xs, y).predict(Xs).shape == (60,)


@pytest.mark.parametrize(
    "estimator",
    [
        Rescaler(),
        PowerTransform(),
        FeatureSelector(),
        TabularPreprocessor(),
        AutoClassifier(time_budget=None, max_trials=1),
        SpotCheck(
            views=[("scaled", Rescaler())], models=[("lr", LogisticRegression())]
        ),
    ],
    ids=lambda e: type(e).__name__,
)
def test_dense_only_estimators_name_themselves_and_the_fix(data, estimator):
    _, Xs, y = data
    with pytest.raises(
        TypeError,
        match=rf"{type(estimator).__name__} does not take "
        r"sparse input .*X\.toarray\(\)",
    ):
        estimator.fit(Xs, y)
