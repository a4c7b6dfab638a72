import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from autodl.pipeline import make_pipeline
from autodl.preprocessing import Rescaler, TabularPreprocessor


@pytest.fixture(scope="module")
def table():
    """Numbers, strings, categoricals, booleans and missing values, 300 rows."""
    rng = np.random.RandomState(0)
    n = 300
    y = pd.Series(rng.randint(0, 2, n), name="target")
    city = np.array([f"city{i}" for i in range(40)])[rng.randint(0, 40, n)]
    X = pd.DataFrame(
        {
            "age": np.where(rng.rand(n) < 0.1, np.nan, rng.normal(40, 10, n)),
            "visits": pd.array(
                np.where(rng.rand(n) < 0.1, None, rng.randint(0, 9, n)), dtype="Int64"
            ),
            "member": rng.rand(n) < 0.5,
            "opted_in": pd.array(
                np.where(rng.rand(n) < 0.1, None, rng.rand(n) < 0.5), dtype="boolean"
            ),
            "colour": pd.array(
                np.where(rng.rand(n) < 0.1, None, rng.choice(["red", "blue"], n)),
                dtype="string",
            ),
            "size": pd.Categorical(rng.choice(["S", "M", "L", None], n)),
            "city": city,  # high cardinality (40 values)
            "plan": np.where(rng.rand(n) < 0.05, None, rng.choice(["a", "b"], n)),
        }
    )
    return X, y


def test_mixed_table_in_numeric_matrix_out(table):
    X, y = table
    prep = TabularPreprocessor(random_state=0)
    out = prep.fit_transform(X, y)
    assert out.dtype == np.float64 and np.isfinite(out).all()
    assert prep.numeric_columns_ == ["age", "visits", "member", "opted_in"]
    assert prep.onehot_columns_ == ["colour", "size", "plan"]
    assert prep.high_cardinality_columns_ == ["city"]
    assert prep.high_cardinality_ == "target"
    names = list(prep.get_feature_names_out())
    assert names[:4] == ["age", "visits", "member", "opted_in"]
    assert {"colour_red", "colour_blue", "colour_missing", "size_missing"} <= set(names)
    assert names[-1] == "city" and len(names) == out.shape[1]
    assert_array_equal(out[:, 2], X["member"].astype(float))


def test_indicators_and_imputation(table):
    X, y = table
    prep = TabularPreprocessor(add_indicator=True, numeric_impute="mean").fit(X, y)
    out = pd.DataFrame(prep.transform(X), columns=prep.get_feature_names_out())
    missing = X["age"].isna()
    assert_array_equal(out["missingindicator_age"], missing.astype(float))
    assert out.loc[missing, "age"].nunique() == 1
    assert out.loc[missing, "age"].iloc[0] == pytest.approx(X["age"].mean())


def test_unseen_categories_at_transform(table):
    X, y = table
    prep = TabularPreprocessor(random_state=0).fit(X, y)
    new = X.iloc[:2].copy()
    new["colour"] = pd.array(["green", None], dtype="string")
    new["city"] = "Atlantis"
    out = pd.DataFrame(prep.transform(new), columns=prep.get_feature_names_out())
    colour = ["colour_blue", "colour_red", "colour_missing"]
    assert out.loc[0, colour].sum() == 0  # unseen: all-zero one-hot
    assert out.loc[1, "colour_missing"] == 1  # missing: its own category
    # an unseen city gets the target mean
    assert out.loc[0, "city"] == pytest.approx(y.mean())


def test_ordinal_encoding_without_y(table):
    X, _ = table
    prep = TabularPreprocessor().fit(X)  # no y: "auto" resolves to ordinal
    assert prep.high_cardinality == "auto" and prep.high_cardinality_ == "ordinal"
    out = pd.DataFrame(prep.transform(X), columns=prep.get_feature_names_out())
    assert out["city"].nunique() == X["city"].nunique()
    unseen = X.iloc[:1].assign(city="Atlantis")
    assert prep.transform(unseen)[0, -1] == -1
    with pytest.raises(ValueError, match="needs y in fit"):
        TabularPreprocessor(high_cardinality="target").fit(X)


def test_target_encoding_is_cross_fitted(table):
    # an ID-like column (unique per row) and a random target: an encoding
    # learned on the same rows would reproduce y exactly; cross-fitting cannot
    X, y = table
    ids = X.assign(city=[f"id{i}" for i in range(len(X))])
    prep = TabularPreprocessor(random_state=0)
    leak_free = prep.fit_transform(ids, y)[:, -1]
    assert abs(np.corrcoef(leak_free, y)[0, 1]) < 0.3
    in_sample = prep.transform(ids)[:, -1]  # the full-data encoding
    assert np.corrcoef(in_sample, y)[0, 1] > 0.5


def test_categorical_columns_forces_integer_codes(table):
    X, y = table
    X = X.assign(state=np.arange(len(X)) % 4)
    prep = TabularPreprocessor(categorical_columns=["state"]).fit(X, y)
    assert "state" in prep.onehot_columns_
    assert {"state_0", "state_3"} <= set(prep.get_feature_names_out())
    with pytest.raises(ValueError, match=r"\['nope'\], which are not columns"):
        TabularPreprocessor(categorical_columns=["nope"]).fit(X, y)


def test_numpy_object_array(table):
    X, y = table
    prep = TabularPreprocessor(random_state=0).fit(X.to_numpy(), y)
    assert prep.numeric_columns_ == [0, 1, 2, 3]
    assert np.isfinite(prep.transform(X.to_numpy())).all()


def test_nothing_is_dropped(table):
    X, y = table
    X = X.assign(empty=np.nan)
    with pytest.warns(UserWarning, match=r"\['empty'\] have no observed value"):
        prep = TabularPreprocessor().fit(X, y)
    assert "empty" in prep.get_feature_names_out()


def test_datetime_columns_become_parts_and_time():
    X = pd.DataFrame(
        {
            "signup": pd.to_datetime(["2024-01-01 06:00", None, "2024-03-02 18:30"]),
            "paid": pd.to_datetime(
                ["2024-01-01", "2024-01-02", "2024-01-03"]
            ).tz_localize("Europe/Paris"),
            "wait": pd.to_timedelta(["1 days", "12 hours", None]),
        }
    )
    prep = TabularPreprocessor().fit(X)
    assert prep.datetime_columns_ == ["signup", "paid", "wait"]
    names = list(prep.get_feature_names_out())
    assert names[:6] == [
        "signup_year",
        "signup_month",
        "signup_day",
        "signup_dayofweek",
        "signup_hour",
        "signup_time",
    ]
    assert names[-1] == "wait_days" and len(names) == 13
    out = pd.DataFrame(prep.transform(X), columns=names)
    assert out.loc[0, "signup_year"] == 2024 and out.loc[2, "signup_month"] == 3
    assert out.loc[0, "signup_dayofweek"] == 0  # a Monday
    np.testing.assert_allclose(out.loc[2, "signup_time"] % 1, 18.5 / 24)
    # a missing date is imputed like a missing number (the median)
    assert out.loc[1, "signup_year"] == 2024
    # time zones are read in UTC: midnight in Paris is 23:00 the day before
    assert out.loc[0, "paid_hour"] == 23 and out.loc[0, "paid_day"] == 31
    np.testing.assert_allclose(out["wait_days"], [1.0, 0.5, 0.75])


def test_polars_table_keeps_names_and_kinds():
    pl = pytest.importorskip("polars")
    import datetime

    X = pl.DataFrame(
        {
            "age": [25.0, None, 47.0, 51.0],
            "city": ["Paris", "Lyon", None, "Paris"],
            "size": pl.Series(["S", "M", "S", None], dtype=pl.Categorical),
            "member": [True, False, None, True],
            "seen": [datetime.datetime(2024, 5, d) for d in (1, 2, 3, 4)],
        }
    )
    prep = TabularPreprocessor().fit(X)
    assert list(prep.feature_names_in_) == X.columns
    assert prep.numeric_columns_ == ["age", "member"]
    assert prep.onehot_columns_ == ["city", "size"]
    assert "seen_dayofweek" in prep.get_feature_names_out()
    same = pd.DataFrame(
        {
            "age": [25.0, np.nan, 47.0, 51.0],
            "city": ["Paris", "Lyon", None, "Paris"],
            "size": pd.Categorical(["S", "M", "S", None]),
            "member": pd.array([True, False, None, True], dtype="boolean"),
            "seen": pd.to_datetime([f"2024-05-0{d}" for d in (1, 2, 3, 4)]),
        }
    )
    reference = TabularPreprocessor().fit(same)
    np.testing.assert_allclose(prep.transform(X), reference.transform(same))
    # scikit-learn's set_output hands polars back, named
    out = TabularPreprocessor().set_output(transform="polars").fit_transform(X)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == list(prep.get_feature_names_out())


def test_in_a_searched_pipeline(table):
    X, y = table
    pipe = make_pipeline(
        TabularPreprocessor(random_state=0), Rescaler(), LogisticRegression()
    )
    grid = {
        "tabularpreprocessor__max_onehot": [5, 50],
        "tabularpreprocessor__add_indicator": [False, True],
    }
    search = GridSearchCV(pipe, grid, cv=3, error_score="raise").fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    # the winning values reached the refit preprocessor: its output columns
    best = search.best_params_
    prep = search.best_estimator_[0]
    names = list(prep.get_feature_names_out())
    assert ("missingindicator_age" in names) == best[
        "tabularpreprocessor__add_indicator"
    ]
    assert prep.max_onehot == best["tabularpreprocessor__max_onehot"]
    np.testing.assert_array_equal(
        search.predict(X.iloc[:5]), search.best_estimator_.predict(X.iloc[:5])
    )


def test_bad_parameters(table):
    X, y = table
    with pytest.raises(ValueError, match="numeric_impute='zero' is not supported"):
        TabularPreprocessor(numeric_impute="zero").fit(X, y)
    with pytest.raises(ValueError, match="max_onehot=0 is not supported"):
        TabularPreprocessor(max_onehot=0).fit(X, y)
    with pytest.raises(ValueError, match="high_cardinality='hash' is not supported"):
        TabularPreprocessor(high_cardinality="hash").fit(X, y)


@pytest.mark.parametrize("max_onehot", [2, 3])
def test_max_onehot_is_the_largest_one_hot_column(max_onehot):
    # a column with exactly max_onehot values is one-hot; one more value is not
    at_limit, over = "abc"[:max_onehot], "pqrs"[: max_onehot + 1]
    X = pd.DataFrame(
        {
            "at_limit": [at_limit[i % len(at_limit)] for i in range(24)],
            "over": [over[i % len(over)] for i in range(24)],
        }
    )
    y = np.arange(24) % 2
    prep = TabularPreprocessor(max_onehot=max_onehot, random_state=0).fit(X, y)
    names = list(prep.get_feature_names_out())
    assert sum(n.startswith("at_limit_") for n in names) == max_onehot
    assert "over" in names and not any(n.startswith("over_") for n in names)
    assert prep.high_cardinality_columns_ == ["over"]


def test_tabular_preprocessor_names_bad_numeric_columns():
    frame = pd.DataFrame(
        {"n": pd.Series([1, pd.NA, None, 4], dtype=object), "x": [1.0, 2, 3, 4]}
    )
    prep = TabularPreprocessor().fit(frame)  # NA in an object column is imputed
    assert prep.transform(frame).shape == (4, 2)
    with pytest.raises(ValueError, match=r"\['n'\] held numbers in fit.*strings"):
        prep.transform(frame.assign(n=["a", 1, 2, 3]))
    with pytest.raises(ValueError, match=r"infinity in column\(s\) \['x'\]"):
        prep.transform(frame.assign(x=[1.0, np.inf, 2, 3]))
