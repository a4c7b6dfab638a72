"""The preprocessing estimators together: several views of the data, one search."""

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from autodl.pipeline import make_pipeline
from autodl.preprocessing import (
    FeatureSelector,
    NoiseAugmenter,
    PowerTransform,
    Resampler,
    Rescaler,
    TabularPreprocessor,
)


class _RecordingLR(LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        self.seen_counts_ = Counter(np.asarray(y).tolist())
        self.seen_shape_ = X.shape
        return super().fit(X, y, sample_weight)


@pytest.fixture(scope="module")
def imbalanced():
    X, y = make_classification(
        300, 20, n_informative=5, weights=[0.85], flip_y=0.02, random_state=0
    )
    X[:, 0] = np.exp(X[:, 0])  # one skewed column for the power transform
    return X, y


def test_grid_search_over_views_runs_end_to_end(imbalanced):
    X, y = imbalanced
    pipe = make_pipeline(
        Rescaler(),
        PowerTransform(),
        FeatureSelector(k=10, random_state=0),
        Resampler(random_state=0),
        LogisticRegression(),
    )
    grid = {
        "rescaler__method": ["standard", "minmax", "quantile_normal"],
        "resampler__method": ["none", "smote", "random_under"],
        "featureselector__k": [5, 10],
    }
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    search = GridSearchCV(pipe, grid, cv=cv, scoring="roc_auc", error_score="raise")
    search.fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 18 and np.isfinite(scores).all()
    assert search.best_score_ > 0.75  # the views keep the signal
    best = search.best_estimator_
    assert (
        best.named_steps["featureselector"].k_
        == search.best_params_["featureselector__k"]
    )
    assert best.predict(X).shape == (300,)


def test_after_smote_the_model_sees_balanced_classes(imbalanced):
    X, y = imbalanced
    pipe = make_pipeline(
        Rescaler(),
        FeatureSelector(k=8, random_state=0),
        Resampler("smote", random_state=0),
        _RecordingLR(),
    ).fit(X, y)
    seen = pipe[-1].seen_counts_
    assert seen[0] == seen[1] == Counter(y)[0] > Counter(y)[1]
    assert pipe[-1].seen_shape_ == (2 * Counter(y)[0], 8)
    assert pipe.predict(X).shape == (len(X),)  # one row out per row in
    assert pipe.predict_proba(X[:11]).shape == (11, 2)


def test_samplers_stack_and_stay_out_of_predict(imbalanced):
    X, y = imbalanced
    pipe = make_pipeline(
        Resampler("random_over", random_state=0),
        NoiseAugmenter(n_copies=2, random_state=0),
        _RecordingLR(),
    ).fit(X, y)
    assert pipe[-1].seen_shape_[0] == 3 * 2 * Counter(y)[0]
    np.testing.assert_allclose(pipe.predict_proba(X), pipe[-1].predict_proba(X))


@pytest.mark.parametrize(
    "estimator",
    [
        Rescaler("robust"),
        PowerTransform("log", columns="all"),
        FeatureSelector("rfe", k=3),
        Resampler("adasyn", k_neighbors=3),
        NoiseAugmenter(scale=0.2),
        TabularPreprocessor(max_onehot=4),
    ],
    ids=lambda est: type(est).__name__,
)
def test_clone_keeps_every_parameter(estimator):
    params = estimator.get_params()
    assert clone(estimator).get_params() == params


def test_the_user_guide_code_runs():
    page = Path(__file__).resolve().parents[2] / "docs" / "preprocessing.md"
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, str(page), "exec"), {})
