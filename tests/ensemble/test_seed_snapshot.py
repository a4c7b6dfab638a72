import copy

import numpy as np
import pytest
import torch
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.datasets import make_classification, make_moons, make_regression
from sklearn.ensemble import StackingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from autodl.ensemble import SeedEnsemble, SnapshotEnsemble
from autodl.neural import MLPClassifier, MLPRegressor

# a small net that trains in a fraction of a second on the CPU (exact comparisons)
NET = MLPClassifier(
    hidden_layer_sizes=(16,),
    max_epochs=40,
    lr=0.01,
    lr_schedule="flat_anneal",
    device="cpu",
)


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(300, noise=0.3, random_state=0)
    grid = np.random.RandomState(1).uniform(-1.5, 2.5, size=(200, 2))
    return X, y, grid


def _spread(make, X, y, grid, seeds=(0, 1, 2)):
    """Mean over rows of the std across seeds of the predicted probability."""
    proba = [make(seed).fit(X, y).predict_proba(grid)[:, 1] for seed in seeds]
    return np.std(proba, axis=0).mean()


@pytest.fixture(scope="module")
def single_spread(moons):
    return _spread(lambda s: clone(NET).set_params(random_state=s), *moons)


def test_seed_ensemble_spreads_less_than_a_single_net(moons, single_spread):
    spread = _spread(lambda s: SeedEnsemble(NET, 5, random_state=s), *moons)
    # five independent members: about 1/sqrt(5) of a single net's spread
    assert spread < 0.7 * single_spread, (spread, single_spread)


def test_snapshot_ensemble_spreads_less_than_a_single_net(moons, single_spread):
    spread = _spread(lambda s: SnapshotEnsemble(NET, 5, random_state=s), *moons)
    assert spread < single_spread, (spread, single_spread)


@pytest.fixture(scope="module")
def cyclic(moons):
    X, y, _ = moons
    return SnapshotEnsemble(NET, n_snapshots=4, random_state=0).fit(X, y)


def test_cyclic_snapshots_differ_and_average(cyclic, moons):
    _, _, grid = moons
    assert cyclic.snapshot_epochs_ == [10, 20, 30, 40]
    members = [est.predict_proba(grid) for est in cyclic.estimators_]
    for a, b in zip(members, members[1:], strict=False):
        assert np.abs(a - b).max() > 1e-3  # each snapshot is its own model
    np.testing.assert_allclose(cyclic.predict_proba(grid), np.mean(members, axis=0))
    assert all(isinstance(est, MLPClassifier) for est in cyclic.estimators_)
    # the user's estimator is left as it was
    assert NET.lr_schedule == "flat_anneal" and NET.callbacks is None


def test_cyclic_learning_rate_restarts(cyclic):
    lr = np.asarray(cyclic.estimators_[0].history_[:, "lr"])
    assert len(lr) == 40
    np.testing.assert_allclose(lr[[0, 10, 20, 30]], 0.01)  # a restart per cycle
    assert (lr[[9, 19, 29, 39]] < 0.001).all()  # annealed at each snapshot
    assert (np.diff(lr[:10]) < 0).all()


def test_horizontal_keeps_the_last_epochs(moons):
    X, y, grid = moons
    net = clone(NET).set_params(max_epochs=12, lr_schedule="cosine")
    ens = SnapshotEnsemble(net, n_snapshots=3, method="horizontal", random_state=0)
    ens.fit(X, y)
    assert ens.snapshot_epochs_ == [10, 11, 12]
    # the lr schedule of the net is kept (cosine annealing over 12 epochs)
    assert len(ens.estimators_[0].history_) == 12
    assert ens.estimators_[0].history_[-1, "lr"] < 0.01
    # the last member holds the weights the run ended with
    single = clone(net).set_params(random_state=ens.estimators_[0].random_state)
    single.set_params(early_stopping=False, n_seeds=1).fit(X, y)  # one run
    np.testing.assert_allclose(
        ens.estimators_[-1].predict_proba(grid), single.predict_proba(grid), rtol=1e-6
    )


def test_snapshot_of_a_pipeline_and_a_regressor():
    X, y = make_regression(200, 5, noise=1.0, random_state=0)
    pipe = make_pipeline(
        StandardScaler(),
        MLPRegressor(hidden_layer_sizes=(16,), max_epochs=20, lr=0.01, device="cpu"),
    )
    ens = SnapshotEnsemble(pipe, n_snapshots=2, random_state=0).fit(X, y)
    assert is_regressor(ens) and not hasattr(ens, "predict_proba")
    expected = np.mean([est.predict(X) for est in ens.estimators_], axis=0)
    np.testing.assert_allclose(ens.predict(X), expected)
    assert ens.score(X, y) > 0.5


def test_snapshot_refuses_other_estimators():
    X, y = make_classification(50, random_state=0)
    with pytest.raises(TypeError, match="SnapshotEnsemble takes snapshots"):
        SnapshotEnsemble(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="n_snapshots=5 needs a net with max_epochs"):
        SnapshotEnsemble(clone(NET).set_params(max_epochs=3)).fit(X, y)
    with pytest.raises(ValueError, match="method='vertical' is not supported"):
        SnapshotEnsemble(NET, method="vertical").fit(X, y)


def test_seed_ensemble_seeds_every_random_state():
    X, y = make_classification(120, random_state=0)
    pipe = make_pipeline(
        StandardScaler(), DecisionTreeClassifier(max_features=3, random_state=7)
    )
    ens = SeedEnsemble(pipe, n_estimators=4, random_state=0).fit(X, y)
    seeds = [s["decisiontreeclassifier__random_state"] for s in ens.random_states_]
    assert len(set(seeds)) == 4
    fitted = [est[-1].random_state for est in ens.estimators_]
    assert fitted == seeds
    assert pipe[-1].random_state == 7  # the user's estimator is unchanged
    same = SeedEnsemble(pipe, n_estimators=4, random_state=0).fit(X, y)
    assert same.random_states_ == ens.random_states_


def test_seed_ensemble_regressor_and_hard_vote():
    X, y = make_regression(100, 4, random_state=0)
    reg = SeedEnsemble(DecisionTreeRegressor(max_features=2), 3, random_state=0)
    reg.fit(X, y)
    assert is_regressor(reg) and not hasattr(reg, "predict_proba")
    expected = np.mean([est.predict(X) for est in reg.estimators_], axis=0)
    np.testing.assert_allclose(reg.predict(X), expected)

    Xc, yc = make_classification(100, random_state=0)
    labels = np.array(["a", "b"])[yc]
    clf = SeedEnsemble(LinearSVC(), 3, random_state=0).fit(Xc, labels)
    assert is_classifier(clf) and not hasattr(clf, "predict_proba")
    assert set(clf.predict(Xc)) <= {"a", "b"}


def test_seed_ensemble_needs_a_random_state():
    X, y = make_regression(30, 2, random_state=0)
    with pytest.raises(ValueError, match="has no random_state parameter"):
        SeedEnsemble(LinearRegression()).fit(X, y)


def test_grid_search_over_the_wrapped_net(moons):
    X, y, _ = moons
    net = clone(NET).set_params(max_epochs=10)
    grid = {"estimator__dropout": [0.0, 0.2]}
    for ens in (SeedEnsemble(net, 2, random_state=0), SnapshotEnsemble(net, 2)):
        search = GridSearchCV(ens, grid, cv=2, error_score="raise").fit(X, y)
        # the best-scored value won, and it reached every member's net
        best = search.best_params_["estimator__dropout"]
        assert (
            best
            == grid["estimator__dropout"][
                int(np.argmax(search.cv_results_["mean_test_score"]))
            ]
        )
        for member in search.best_estimator_.estimators_:
            drops = [
                m.p
                for m in member.net_.module_.modules()
                if isinstance(m, torch.nn.Dropout)
            ]
            assert drops == ([best] if best > 0 else [])


def test_members_pickle_and_copy(cyclic, moons):
    _, _, grid = moons
    copied = copy.deepcopy(cyclic)
    np.testing.assert_allclose(copied.predict_proba(grid), cyclic.predict_proba(grid))


def test_sklearn_stacking_with_an_autodl_net(moons):
    X, y, grid = moons
    stack = StackingClassifier(
        [("net", clone(NET).set_params(max_epochs=20)), ("lr", LogisticRegression())],
        final_estimator=LogisticRegression(),
        cv=3,
    ).fit(X, y)
    # the meta-learner saw out-of-fold probabilities, one column per member
    assert stack.final_estimator_.coef_.shape == (1, 2)
    assert isinstance(stack.named_estimators_["net"], MLPClassifier)
    proba = stack.predict_proba(grid)
    np.testing.assert_allclose(proba.sum(axis=1), 1)


_NET_WEIGHTS = {
    f"check_sample_weight_equivalence_on_{kind}_data": "the net trains on shuffled "
    "mini-batches with a validation split, so a row of weight 2 is not the same "
    "steps as the row twice."
    for kind in ("dense", "sparse")
}


# regressor variants of the averaging ensembles (test_common checks the classifiers)
@parametrize_with_checks(
    [
        SeedEnsemble(DecisionTreeRegressor(max_depth=4), 3, random_state=0),
        SnapshotEnsemble(
            MLPRegressor(
                hidden_layer_sizes=(32,), max_epochs=30, lr=0.01, device="cpu"
            ),
            n_snapshots=3,
            method="horizontal",
            random_state=0,
        ),
    ],
    expected_failed_checks=lambda est: (
        {
            **_NET_WEIGHTS,
            "check_methods_subset_invariance": "float32 nets: the embedding's "
            "batched matrix products round differently with the number of rows, "
            "so a prediction on a subset may differ in the 7th digit (relative "
            "1e-6), past the check's 1e-7; the classifier's labels are exact.",
        }
        if isinstance(est, SnapshotEnsemble)
        else {}
    ),
)
def test_regressor_variants_pass_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_snapshot_ensemble_on_gpu(moons):
    X, y, grid = moons
    net = clone(NET).set_params(device="cuda", max_epochs=10)
    ens = SnapshotEnsemble(net, n_snapshots=2, random_state=0).fit(X, y)
    members = [est.predict_proba(grid) for est in ens.estimators_]
    assert np.abs(members[0] - members[1]).max() > 1e-3
    np.testing.assert_allclose(
        ens.predict_proba(grid), np.mean(members, axis=0), rtol=1e-5
    )
