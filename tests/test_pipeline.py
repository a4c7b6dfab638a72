import numpy as np
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from autodl.pipeline import make_pipeline


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
    search = GridSearchCV(
        pipe, {"logisticregression__C": [0.1, 1.0]}, cv=3, error_score="raise"
    ).fit(X, y)
    assert search.best_params_["logisticregression__C"] in (0.1, 1.0)
