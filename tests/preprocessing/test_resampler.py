from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from autodl.pipeline import make_pipeline
from autodl.preprocessing import Resampler

OVER = ["random_over", "smote", "borderline_smote", "adasyn"]
CLEANED = ["smote_tomek", "smote_enn"]


class _RecordingLR(LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        self.seen_counts_ = Counter(np.asarray(y).tolist())
        return super().fit(X, y, sample_weight)


@pytest.fixture(scope="module")
def imbalanced():
    X, y = make_classification(
        400, 6, n_informative=4, weights=[0.85], flip_y=0, random_state=0
    )
    return pd.DataFrame(X, columns=[f"x{i}" for i in range(6)]), pd.Series(y)


def test_none_keeps_the_rows(imbalanced):
    X, y = imbalanced
    X_res, y_res = Resampler().fit_resample(X, y)
    pd.testing.assert_frame_equal(X_res, X)
    assert Resampler().fit_resample(X, y)[1].equals(y)


@pytest.mark.parametrize("method", OVER)
def test_over_samplers_grow_the_minority(imbalanced, method):
    X, y = imbalanced
    counts = Counter(y)
    X_res, y_res = Resampler(method, random_state=0).fit_resample(X, y)
    res = Counter(y_res)
    assert res[0] == counts[0]  # the majority is untouched
    assert res[1] >= 0.95 * counts[0]  # ADASYN balances approximately
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(X.columns)


@pytest.mark.parametrize("method", OVER + CLEANED)
def test_smote_family_invents_rows_random_over_copies_them(imbalanced, method):
    X, y = imbalanced
    X_res, _ = Resampler(method, random_state=0).fit_resample(X, y)
    seen = set(map(tuple, X.to_numpy()))
    new = [row for row in map(tuple, X_res.to_numpy()) if row not in seen]
    if method == "random_over":
        assert new == []  # copies of minority rows only
    else:  # interpolated between neighbours: rows that were not there
        assert len(new) > 0.5 * (Counter(y)[0] - Counter(y)[1])


@pytest.mark.parametrize("method", OVER + CLEANED)
def test_a_boolean_column_stays_a_flag(imbalanced, method):
    # the interpolating methods read a flag as 0 / 1 and round each new value
    # to the nearer of the two: the same rows as the flag given as 0.0 / 1.0,
    # with the new values rounded (imbalanced-learn alone would make any
    # value above 0 True)
    X, y = imbalanced
    flagged = X.assign(flag=X["x0"] > X["x0"].median())
    as_float = flagged.assign(flag=flagged["flag"].astype(float))
    X_res, y_res = Resampler(method, random_state=0).fit_resample(flagged, y)
    X_float, y_float = Resampler(method, random_state=0).fit_resample(as_float, y)
    assert X_res["flag"].dtype == bool
    np.testing.assert_array_equal(y_res, y_float)
    np.testing.assert_array_equal(X_res["flag"], X_float["flag"] >= 0.5)
    pd.testing.assert_frame_equal(
        X_res.drop(columns="flag"), X_float.drop(columns="flag")
    )
    if method != "random_over":  # some new rows fell between a False and a True
        assert not np.isin(X_float["flag"], [0.0, 1.0]).all()


@pytest.mark.parametrize("container", ["frame", "array", "sparse"])
def test_a_table_of_booleans_is_resampled_into_booleans(container):
    import scipy.sparse

    rng = np.random.RandomState(0)
    flags = rng.rand(60, 4) > 0.5
    y = np.repeat([0, 1], [45, 15])
    X = {
        "frame": pd.DataFrame(flags, columns=list("abcd")),
        "array": flags,
        "sparse": scipy.sparse.csr_matrix(flags),
    }[container]
    X_res, y_res = Resampler("smote", k_neighbors=3, random_state=0).fit_resample(X, y)
    assert len(y_res) == 90 and Counter(y_res) == {0: 45, 1: 45}
    dense = X_res.toarray() if container == "sparse" else np.asarray(X_res)
    assert dense.dtype == bool and dense.shape == (90, 4)
    np.testing.assert_array_equal(dense[:60], flags)  # the given rows, unchanged


def test_random_under_shrinks_the_majority(imbalanced):
    X, y = imbalanced
    X_res, y_res = Resampler("random_under", random_state=0).fit_resample(X, y)
    assert Counter(y_res) == {0: Counter(y)[1], 1: Counter(y)[1]}


@pytest.mark.parametrize("method", CLEANED)
def test_combined_samplers_end_near_balance(imbalanced, method):
    X, y = imbalanced
    _, y_res = Resampler(method, random_state=0).fit_resample(X, y)
    res = Counter(y_res)
    assert min(res.values()) / max(res.values()) > 0.8
    assert len(y_res) > len(y)


def test_sampling_strategy_and_seed_pass_through(imbalanced):
    X, y = imbalanced
    resampler = Resampler("smote", sampling_strategy=0.5, random_state=3)
    X_a, y_a = resampler.fit_resample(X, y)
    assert Counter(y_a)[1] == Counter(y)[0] // 2
    assert dict(resampler.sampling_strategy_) == {1: Counter(y)[0] // 2 - Counter(y)[1]}
    X_b, _ = clone(resampler).fit_resample(X, y)
    pd.testing.assert_frame_equal(X_a, X_b)  # same seed, same synthetic rows
    X_c, _ = resampler.set_params(random_state=4).fit_resample(X, y)
    assert not X_a.equals(X_c)


def test_smote_in_a_pipeline_balances_fit_only(imbalanced):
    X, y = imbalanced
    pipe = make_pipeline(Resampler("smote", random_state=0), _RecordingLR())
    pipe.fit(X, y)
    seen = pipe[-1].seen_counts_
    assert seen[0] == seen[1] == Counter(y)[0]  # the model saw balanced classes
    assert pipe.predict(X).shape == (len(X),)  # one prediction per input row
    assert pipe.predict_proba(X.iloc[:7]).shape == (7, 2)


def test_regression_target_is_refused_with_the_fix(imbalanced):
    X, _ = imbalanced
    y = np.linspace(0, 1, len(X))
    for method in ("none", "smote"):
        with pytest.raises(ValueError, match="regression target.*remove the Resampler"):
            Resampler(method).fit_resample(X, y)


def test_class_too_small_for_k_neighbors(imbalanced):
    X, y = imbalanced
    y_small = y.copy()
    y_small[y_small == 1] = 0
    y_small.iloc[:3] = 1  # the minority has 3 rows
    for method in ("smote", "adasyn", "smote_enn"):
        with pytest.raises(ValueError, match=r"class 1 has only 3 row.*at most 2"):
            Resampler(method, k_neighbors=5).fit_resample(X, y_small)
    X_res, y_res = Resampler("smote", k_neighbors=2).fit_resample(X, y_small)
    assert Counter(y_res)[1] == Counter(y_small)[0]  # the suggested fix works


def test_nan_only_where_the_method_cannot_take_it(imbalanced):
    X, y = imbalanced
    X_nan = X.copy()
    X_nan.iloc[5, 2] = np.nan
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \['x2'\].*Tabular"):
        Resampler("smote").fit_resample(X_nan, y)
    X_res, _ = Resampler("random_over", random_state=0).fit_resample(X_nan, y)
    assert X_res.isna().sum().sum() >= 1  # copied, not dropped


def test_string_column_is_named(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match=r"\['city'\].*TabularPreprocessor"):
        Resampler("random_over").fit_resample(X.assign(city="Paris"), y)


def test_bad_parameters(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="method='smot' is not supported"):
        Resampler("smot").fit_resample(X, y)
    with pytest.raises(ValueError, match="k_neighbors=0 is not supported"):
        Resampler("smote", k_neighbors=0).fit_resample(X, y)
