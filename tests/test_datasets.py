import numpy as np
import pandas as pd
import pytest

from autodl.datasets import DEMO_DATASETS, load_csv, load_demo


@pytest.mark.parametrize("name", sorted(DEMO_DATASETS))
def test_load_demo(name):
    X, y = load_demo(name)
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)
    assert len(X) == len(y) > 100 and y.name == "target"
    assert X.select_dtypes("number").shape == X.shape
    task = DEMO_DATASETS[name][1]
    n_classes = y.nunique()
    assert (
        (n_classes == 2)
        if task == "binary"
        else (n_classes > 2 if task == "multiclass" else n_classes > 20)
    )


def test_load_demo_unknown_name():
    with pytest.raises(
        ValueError, match="'titanic' is not a demo dataset.*breast_cancer"
    ):
        load_demo("titanic")


@pytest.fixture
def frame():
    return pd.DataFrame(
        {"age": [30, 40, 50], "city": ["a", "b", None], "price": [1.5, 2.5, 3.5]}
    )


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_load_csv_round_trip(tmp_path, frame, suffix):
    path = tmp_path / f"train{suffix}"
    frame.to_csv(path, index=False)
    X, y = load_csv(path, target="price")
    assert list(X.columns) == ["age", "city"]
    np.testing.assert_allclose(y, frame["price"])
    assert (
        X["city"].isna().sum() == 1
    )  # nothing imputed or dropped behind the user's back


def test_load_csv_passes_read_options(tmp_path, frame):
    path = tmp_path / "semi.csv"
    frame.to_csv(path, index=False, sep=";")
    X, _ = load_csv(path, target="price", sep=";")
    assert X.shape == (3, 2)


def test_load_csv_missing_target_lists_columns(tmp_path, frame):
    path = tmp_path / "train.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(
        ValueError,
        match=r"'Price' is not in .*\['age', 'city', 'price'\]"
        r".*Did you mean 'price'",
    ):
        load_csv(path, target="Price")


def test_load_csv_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such file"):
        load_csv(tmp_path / "nope.csv", target="y")


def test_load_csv_empty(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(ValueError, match="is empty"):
        load_csv(path, target="y")
    path.write_text("a,y\n")
    with pytest.raises(ValueError, match="no data rows"):
        load_csv(path, target="y")


def test_load_csv_target_with_missing_values(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,y\n1,0\n2,\n3,1\n")
    with pytest.raises(ValueError, match="1 missing value"):
        load_csv(path, target="y")


def test_load_csv_parquet(tmp_path, frame):
    pytest.importorskip("pyarrow", reason="Parquet needs the 'parquet' extra")
    path = tmp_path / "train.parquet"
    frame.to_parquet(path)
    X, y = load_csv(path, target="price")
    assert X.shape == (3, 2)


def test_load_csv_from_standard_input_refuses_duplicate_headers(monkeypatch):
    # standard input is read once; the header is read again from memory
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a,b,y\n1,2,0\n3,4,1\n"))
    X, y = load_csv("-", "y")
    assert list(X.columns) == ["a", "b"] and list(y) == [0, 1]
    monkeypatch.setattr("sys.stdin", io.StringIO("a,a,y\n1,2,0\n3,4,1\n"))
    with pytest.raises(ValueError, match="duplicate column names"):
        load_csv("-", "y")
    monkeypatch.setattr("sys.stdin", io.StringIO("a;b;y\n1;2;0\n"))
    X, _ = load_csv("-", "y", sep=";")
    assert list(X.columns) == ["a", "b"]
