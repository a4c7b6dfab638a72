"""make_pipeline, and samplers that act on training rows only.

Every sampler (each ``Resampler`` method, ``NoiseAugmenter``), wherever it sits
(a pipeline, a ``SpotCheck`` view, in front of ``AutoClassifier``), must leave
predict-time rows alone: the pipeline's output equals the final model applied to
the transformed rows, exactly, row for row.
"""

import joblib
import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from autodl import AutoClassifier, NoiseAugmenter, Resampler, Rescaler, SpotCheck
from autodl.neural import MLPClassifier
from autodl.pipeline import make_pipeline
from autodl.preprocessing._resampler import _METHODS

SAMPLERS = [
    *(Resampler(method, k_neighbors=3, random_state=0) for method in _METHODS),
    NoiseAugmenter(scale=0.1, n_copies=2, random_state=0),
]
SAMPLER_IDS = [*_METHODS, "noise"]


class _RecordingLR(LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        self.seen_counts_ = np.bincount(y)
        return super().fit(X, y, sample_weight)


def test_make_pipeline_names_and_sampler_at_fit_only():
    X, y = make_classification(200, weights=[0.9], random_state=0)
    pipe = make_pipeline(
        StandardScaler(), RandomOverSampler(random_state=0), _RecordingLR()
    )
    assert isinstance(pipe, Pipeline)
    assert [n for n, _ in pipe.steps] == [
        "standardscaler",
        "randomoversampler",
        "_recordinglr",
    ]
    pipe.fit(X, y)
    final = pipe[-1]
    assert final.seen_counts_[0] == final.seen_counts_[1]  # balanced at fit
    assert pipe.predict(X).shape == (200,)  # one prediction per input row


def test_make_pipeline_in_grid_search():
    X, y = make_classification(120, random_state=0)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    grid = {"logisticregression__C": [1e-4, 1.0]}
    search = GridSearchCV(pipe, grid, cv=3, scoring="neg_log_loss").fit(X, y)
    # a model that barely fits (probabilities near 0.5) loses; the refit carries
    # the winning value
    assert search.best_params_["logisticregression__C"] == 1.0
    assert search.best_estimator_[-1].C == 1.0
    scores = search.cv_results_["mean_test_score"]
    assert scores[1] > scores[0] + 0.1


@pytest.fixture(scope="module")
def imbalanced():
    X, y = make_classification(
        160, 5, n_informative=3, weights=[0.8], flip_y=0.05, random_state=0
    )
    # predict-time rows: new rows, in no particular order, then one alone
    return X[:120], y[:120], X[120:][np.random.default_rng(0).permutation(40)]


def _same_outputs(pipe, X_pred, final, Xt):
    """``pipe`` on ``X_pred`` equals ``final`` on the transformed rows ``Xt``."""
    for method in ("predict", "predict_proba", "decision_function"):
        if hasattr(final, method):
            np.testing.assert_array_equal(
                getattr(pipe, method)(X_pred), getattr(final, method)(Xt)
            )
    np.testing.assert_array_equal(
        pipe.predict_proba(X_pred[7:8]), final.predict_proba(Xt[7:8])
    )


class _CountingLR(LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        self.n_seen_ = len(X)
        return super().fit(X, y, sample_weight)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=SAMPLER_IDS)
def test_samplers_stay_out_of_predict_in_a_pipeline(imbalanced, sampler):
    X, y, X_pred = imbalanced
    pipe = make_pipeline(Rescaler(), sampler, _CountingLR()).fit(X, y)
    if sampler.get_params().get("method") != "none":
        assert pipe[-1].n_seen_ != len(X)  # the sampler did act at fit time
    _same_outputs(pipe, X_pred, pipe[-1], pipe[0].transform(X_pred))


@pytest.mark.parametrize("sampler", SAMPLERS, ids=SAMPLER_IDS)
def test_samplers_stay_out_of_predict_as_a_spotcheck_view(imbalanced, sampler):
    X, y, X_pred = imbalanced
    spot = SpotCheck(
        models=[("logistic", LogisticRegression())],
        views=[("sampled", sampler)],
        cv=2,
        random_state=0,
    ).fit(X, y)
    _same_outputs(spot, X_pred, spot.best_estimator_[-1], X_pred)


@pytest.mark.parametrize(
    "sampler",
    [Resampler("smote", random_state=0), NoiseAugmenter(0.1, random_state=0)],
    ids=["smote", "noise"],
)
def test_samplers_stay_out_of_predict_before_auto_classifier(imbalanced, sampler):
    X, y, X_pred = imbalanced
    auto = AutoClassifier(
        time_budget=None,
        max_trials=2,
        include=["logistic_regression", "naive_bayes"],
        cv=2,
        n_jobs=1,
        random_state=0,
        verbose=0,
    )
    pipe = make_pipeline(Rescaler(), sampler, auto).fit(X, y)
    _same_outputs(pipe, X_pred, pipe[-1], pipe[0].transform(X_pred))
    # and inside AutoClassifier: its model applied to the same rows
    inner = pipe[-1].best_estimator_
    Xt = pipe[0].transform(X_pred)
    np.testing.assert_array_equal(pipe.predict_proba(X_pred), inner.predict_proba(Xt))


# -- a grid search over an autodl pipeline on Dask (``dask_client``: tests/conftest.py)
@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=120, n_features=6, random_state=0)


def test_grid_search_over_autodl_pipeline_on_dask(data, dask_client):
    X, y = data
    pipe = make_pipeline(
        Rescaler(), MLPClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
    )
    grid = {
        "rescaler__method": ["standard", "minmax"],
        "mlpclassifier__dropout": [0, 0.2],
    }
    local = GridSearchCV(pipe, grid, cv=3, n_jobs=1).fit(X, y)
    with joblib.parallel_backend("dask"):
        remote = GridSearchCV(pipe, grid, cv=3, n_jobs=-1).fit(X, y)
    np.testing.assert_array_equal(
        local.cv_results_["mean_test_score"], remote.cv_results_["mean_test_score"]
    )
    assert local.best_params_ == remote.best_params_
