"""The same random_state gives the same SpotCheck leaderboard, predictions and
out-of-fold predictions on the CPU, with n_jobs=1 and n_jobs=-1."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from autodl.neural import MLPClassifier
from autodl.spotcheck import SpotCheck

SCORES = ["model", "view", "mean_score", "std_score", "split0_score", "split1_score"]


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(160, 6, n_informative=4, random_state=0)
    return pd.DataFrame(X, columns=[f"f{i}" for i in range(6)]), y


def test_spotcheck_parallel_equals_sequential(data):
    X, y = data
    models = [
        ("tree", DecisionTreeClassifier(max_depth=3, random_state=0)),
        ("logistic", LogisticRegression()),
        ("net", MLPClassifier((8,), max_epochs=5, device="cpu", random_state=0)),
    ]
    runs = [
        SpotCheck(
            models=models, cv=3, n_jobs=n_jobs, random_state=3, keep_predictions=True
        ).fit(X, y)
        for n_jobs in (1, -1)
    ]
    pd.testing.assert_frame_equal(
        runs[0].leaderboard_[SCORES], runs[1].leaderboard_[SCORES]
    )
    np.testing.assert_array_equal(runs[0].predict_proba(X), runs[1].predict_proba(X))
    for key, oof in runs[0].oof_predictions_.items():
        np.testing.assert_array_equal(oof, runs[1].oof_predictions_[key])
