import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.linear_model import LogisticRegression

from autodl.pipeline import make_pipeline
from autodl.preprocessing import FeatureSelector

SUPERVISED = ["univariate", "mutual_info", "model", "l1", "rfe", "consensus"]
INFORMATIVE = set(range(5))


@pytest.fixture(scope="module")
def consensus_data():
    # the check: the 5 informative features are the first 5 columns
    return make_classification(
        600, 25, n_informative=5, n_redundant=0, shuffle=False, random_state=0
    )


@pytest.fixture(scope="module")
def classification():
    X, y = make_classification(
        300, 15, n_informative=5, n_redundant=0, n_classes=3,
        n_clusters_per_class=1, shuffle=False, random_state=0,
    )  # fmt: skip
    return X, y


@pytest.fixture(scope="module")
def regression():
    return make_regression(
        300, 15, n_informative=5, noise=5, shuffle=False, random_state=1
    )


def _kept(selector, perm):
    """Original column numbers of the kept features of X[:, perm]."""
    return set(perm[selector.get_support()].tolist())


def test_consensus_keeps_the_informative_features(consensus_data):
    X, y = consensus_data
    selector = FeatureSelector("consensus", k=5, random_state=0).fit(X, y)
    assert selector.k_ == 5
    assert len(set(np.flatnonzero(selector.get_support())) & INFORMATIVE) >= 4


@pytest.mark.parametrize("seed", [1, 2])
def test_consensus_does_not_depend_on_column_order(consensus_data, seed):
    # ties broken by column order would favour the first (informative) columns;
    # with the columns shuffled the informative ones must still be found
    X, y = consensus_data
    perm = np.random.RandomState(seed).permutation(X.shape[1])
    selector = FeatureSelector("consensus", k=5, random_state=0).fit(X[:, perm], y)
    assert len(_kept(selector, perm) & INFORMATIVE) >= 4


@pytest.mark.parametrize("task", ["classification", "regression"])
@pytest.mark.parametrize("method", SUPERVISED)
def test_every_method_finds_informative_features(method, task, request):
    X, y = request.getfixturevalue(task)
    perm = np.random.RandomState(0).permutation(X.shape[1])
    selector = FeatureSelector(method, k=5, random_state=0).fit(X[:, perm], y)
    assert selector.k_ == 5 and selector.transform(X).shape == (300, 5)
    assert selector.task_ == task
    assert len(_kept(selector, perm) & INFORMATIVE) >= 3
    auto = FeatureSelector(method, random_state=0).fit(X[:, perm], y)
    assert auto.k == "auto"  # the resolved number lives in k_ only
    assert 1 <= auto.k_ < X.shape[1]
    assert len(_kept(auto, perm) & INFORMATIVE) >= 0.6 * auto.k_


def test_consensus_votes(consensus_data):
    X, y = consensus_data
    selector = FeatureSelector(random_state=0).fit(X, y)
    assert set(selector.votes_) == {"univariate", "mutual_info", "model", "l1"}
    n_votes = np.sum(list(selector.votes_.values()), axis=0)
    # k="auto" keeps exactly the features most of the methods vote for
    np.testing.assert_array_equal(selector.get_support(), n_votes > 2)
    np.testing.assert_array_equal(np.floor(selector.scores_), n_votes)


def test_variance_is_unsupervised_and_drops_constants():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.normal(size=50), np.ones(50), rng.normal(size=50) * 3])
    selector = FeatureSelector("variance").fit(X)  # no y needed
    assert list(selector.get_support()) == [True, False, True]
    assert list(FeatureSelector("variance", k=1).fit(X).get_support()) == [
        False,
        False,
        True,
    ]


def test_task_from_the_target_or_given(regression):
    X, y = regression
    ratings = np.digitize(y, np.percentile(y, [20, 40, 60, 80])).astype(float)
    assert FeatureSelector("univariate").fit(X, ratings).task_ == "regression"
    codes = ratings.astype(int)  # the same values as integers read as classes
    assert FeatureSelector("univariate").fit(X, codes).task_ == "classification"
    forced = FeatureSelector("univariate", task="regression").fit(X, codes)
    assert forced.task_ == "regression"
    with pytest.raises(ValueError, match="needs class labels, but y is continuous"):
        FeatureSelector("univariate", task="classification").fit(X, y)
    with pytest.raises(ValueError, match="task='both' is not supported"):
        FeatureSelector("univariate", task="both").fit(X, y)


def test_k_as_fraction_and_too_large(consensus_data):
    X, y = consensus_data
    assert FeatureSelector("univariate", k=0.2).fit(X, y).k_ == 5
    with pytest.warns(UserWarning, match="k=40 is more than the 25 features"):
        selector = FeatureSelector("univariate", k=40).fit(X, y)
    assert selector.k_ == 25 and selector.k == 40


def test_feature_names_out(consensus_data):
    X, y = consensus_data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    selector = FeatureSelector("univariate", k=3).fit(frame, y)
    names = selector.get_feature_names_out()
    assert len(names) == 3 and set(names) <= set(frame.columns)
    assert list(selector.transform(frame).shape) == [600, 3]


def test_searchable_in_a_pipeline(consensus_data):
    X, y = consensus_data
    pipe = make_pipeline(FeatureSelector(), LogisticRegression())
    pipe.set_params(featureselector__method="model", featureselector__k=7)
    pipe.fit(X, y)
    assert pipe[0].k_ == 7 and pipe[-1].coef_.shape == (1, 7)


def test_errors(consensus_data):
    X, y = consensus_data
    with pytest.raises(ValueError, match="method='pca' is not supported"):
        FeatureSelector("pca").fit(X, y)
    for bad in (0, -1, 1.5, "all", True):
        with pytest.raises(ValueError, match="use a positive int, a fraction"):
            FeatureSelector(k=bad).fit(X, y)
    with pytest.raises(ValueError, match="requires y"):
        FeatureSelector("univariate").fit(X)
    with pytest.raises(ValueError, match="one class"):
        FeatureSelector("univariate").fit(X, np.zeros(len(X)))
    frame = pd.DataFrame(X[:, :3], columns=["a", "b", "c"])
    frame.loc[3, "b"] = np.nan
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \['b'\].*Tabular"):
        FeatureSelector().fit(frame, y)
    with pytest.raises(ValueError, match=r"\['city'\].*TabularPreprocessor"):
        FeatureSelector().fit(frame.fillna(0).assign(city="Paris"), y)
