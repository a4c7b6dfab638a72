import numpy as np
import pytest
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.linear_model import LogisticRegression, Ridge, RidgeCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from autodl.ensemble import BlendingClassifier, BlendingRegressor


class RecordingLR(LogisticRegression):
    """A meta-learner that keeps the rows it was fitted on."""

    def fit(self, X, y, sample_weight=None):
        self.seen_X_, self.seen_y_ = np.asarray(X).copy(), np.asarray(y).copy()
        return super().fit(X, y, sample_weight=sample_weight)


MEMBERS = [
    ("lr", LogisticRegression(max_iter=1000)),
    ("nb", GaussianNB()),
    ("tree", DecisionTreeClassifier(max_depth=4, random_state=0)),
]


@pytest.fixture(scope="module")
def split():
    X, y = make_classification(
        800, n_features=20, n_informative=6, flip_y=0.1, random_state=3
    )
    return train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def memoriser_blend(split):
    # 1-NN reproduces the label of every row it was fitted on
    X_tr, _, y_tr, _ = split
    members = [("memo", KNeighborsClassifier(1)), ("lr", LogisticRegression())]
    return BlendingClassifier(
        members, final_estimator=RecordingLR(), refit_members=False, random_state=0
    ).fit(X_tr, y_tr)


def test_meta_learner_sees_only_holdout_predictions(memoriser_blend, split):
    X_tr, _, y_tr, _ = split
    meta = memoriser_blend.final_estimator_
    n_holdout = int(np.ceil(0.2 * len(y_tr)))
    assert memoriser_blend.n_holdout_ == n_holdout
    # binary: one probability column per member (the first is dropped)
    assert meta.seen_X_.shape == (n_holdout, 2)
    memo = memoriser_blend.named_estimators_["memo"]
    # on its own training rows the memoriser is always right ...
    train_rows = memo.predict(X_tr) == y_tr
    assert train_rows.sum() >= len(y_tr) - n_holdout
    # ... but the meta-learner only saw its output for rows it never fitted on
    memo_acc = np.mean((meta.seen_X_[:, 0] > 0.5) == meta.seen_y_)
    assert memo_acc < 0.9, memo_acc


def test_refit_members_uses_all_rows(split):
    X_tr, _, y_tr, _ = split
    full = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
    refit = BlendingClassifier(MEMBERS, random_state=0).fit(X_tr, y_tr)
    kept = BlendingClassifier(MEMBERS, refit_members=False, random_state=0).fit(
        X_tr, y_tr
    )
    np.testing.assert_allclose(refit.named_estimators_["lr"].coef_, full.coef_)
    assert not np.allclose(kept.named_estimators_["lr"].coef_, full.coef_)
    # the meta-learner is the same: fitted before the refit, on the same holdout
    np.testing.assert_allclose(
        refit.final_estimator_.coef_, kept.final_estimator_.coef_
    )


def test_blend_beats_worst_member_on_held_out_data(split):
    X_tr, X_te, y_tr, y_te = split
    blend = BlendingClassifier(MEMBERS, random_state=0).fit(X_tr, y_tr)
    auc = roc_auc_score(y_te, blend.predict_proba(X_te)[:, 1])
    members = {
        name: roc_auc_score(y_te, est.predict_proba(X_te)[:, 1])
        for name, est in blend.named_estimators_.items()
    }
    assert auc > min(members.values()), (auc, members)
    assert auc >= max(members.values()) - 0.01, (auc, members)


def test_soft_features_as_stacking_builds_them():
    X, y = load_iris(return_X_y=True)
    blend = BlendingClassifier(MEMBERS[:2], random_state=0).fit(X, y)
    assert blend.stack_.transform(X).shape == (150, 6)  # 3 classes x 2 members
    proba = blend.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    passthrough = BlendingClassifier(MEMBERS[:2], passthrough=True, random_state=0)
    assert passthrough.fit(X, y).stack_.transform(X).shape == (150, 10)


def test_string_labels_and_drop():
    X, y = make_classification(200, random_state=0)
    labels = np.array(["no", "yes"])[y]
    blend = BlendingClassifier(
        [("lr", LogisticRegression()), ("nb", "drop")], random_state=0
    ).fit(X, labels)
    assert list(blend.classes_) == ["no", "yes"]
    assert set(blend.predict(X)) <= {"no", "yes"}
    assert len(blend.estimators_) == 1 and blend.named_estimators_["nb"] == "drop"


def test_grid_search_over_meta_learner_and_members():
    X, y = make_classification(200, random_state=0)
    blend = BlendingClassifier(
        [("lr", LogisticRegression()), ("nb", GaussianNB())],
        final_estimator=LogisticRegression(),
        random_state=0,
    )
    search = GridSearchCV(
        blend,
        {"final_estimator__C": [0.1, 10.0], "lr__C": [0.1, 1.0]},
        cv=2,
        error_score="raise",
    ).fit(X, y)
    assert set(search.best_params_) == {"final_estimator__C", "lr__C"}


def test_regressor_defaults_to_ridge_cv():
    X, y = make_regression(300, 8, noise=5.0, random_state=0)
    blend = BlendingRegressor(
        [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=4))],
        holdout=60,
        random_state=0,
    ).fit(X, y)
    assert isinstance(blend.final_estimator_, RidgeCV)
    assert blend.n_holdout_ == 60
    assert blend.score(X, y) > 0.8


@pytest.mark.parametrize("holdout", [0, 1.0, -3, "half", True])
def test_bad_holdout(holdout):
    X, y = make_classification(50, random_state=0)
    with pytest.raises(ValueError, match="holdout=.* is not supported"):
        BlendingClassifier(MEMBERS[:1], holdout=holdout).fit(X, y)


def test_holdout_too_small_for_the_classes():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="could not hold out holdout=2"):
        BlendingClassifier(MEMBERS[:1], holdout=2).fit(X, y)
