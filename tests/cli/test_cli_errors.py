"""The command line fails in one clear line: malformed CSVs, a one-class target,
a model file from another task or another autodl."""

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from autodl import AutoClassifier
from autodl.cli import main
from autodl.cli._modelfile import load_model, save_model


def _error(capsys, argv):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rel_cli")
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    y = pd.Series(np.where(X["a"] > 0, "yes", "no"), name="label")
    auto = AutoClassifier(
        time_budget=10,
        include=["logistic_regression"],
        cv=2,
        n_jobs=1,
        random_state=0,
        verbose=0,
    ).fit(X, y)
    path = save_model(
        folder / "model.skops",
        auto,
        target="label",
        features=X.columns,
        task="binary",
        fmt="skops",
    )
    return path


def test_malformed_csv(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,0\n3,4,5,1\n5,6,1\n")
    err = _error(capsys, ["fit", str(bad), "--target", "y"])
    assert "not a well-formed CSV" in err and "as many fields as the header" in err
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"a,y\n\xff\xfe\x00\x81,1\n")
    err = _error(capsys, ["fit", str(binary), "--target", "y"])
    assert "not UTF-8 text" in err and "encoding" in err
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text("a;b;y\n1;2;0\n3;4;1\n")
    err = _error(capsys, ["fit", str(semicolons), "--target", "y"])
    assert "'y' is not in" in err and "--sep ';'" in err


def test_a_target_with_one_class(tmp_path, capsys):
    data = tmp_path / "one.csv"
    pd.DataFrame({"a": range(20), "y": ["spam"] * 20}).to_csv(data, index=False)
    err = _error(capsys, ["fit", str(data), "--target", "y", "--time-budget", "2"])
    assert "single value ('spam')" in err and "nothing to learn" in err


def test_a_model_file_from_another_task(model_file, tmp_path, capsys):
    # held-out rows of another (regression) task under the same target name
    other = tmp_path / "other.csv"
    pd.DataFrame({"a": [0.1, 0.2], "b": [1.0, 2.0], "label": [3.5, 7.25]}).to_csv(
        other, index=False
    )
    err = _error(capsys, ["report", str(model_file), "--data", str(other)])
    assert "never saw" in err and "another task" in err
    # the features of another table
    columns = tmp_path / "columns.csv"
    pd.DataFrame({"x": [1.0], "z": [2.0]}).to_csv(columns, index=False)
    err = _error(capsys, ["predict", str(model_file), str(columns)])
    assert "lacks column(s) ['a', 'b']" in err
    # a regression model file given class labels
    bundle = load_model(model_file)
    bundle.update(task="regression")
    sio.dump(bundle, tmp_path / "regression.skops")
    words = tmp_path / "words.csv"
    pd.DataFrame({"a": [0.1], "b": [1.0], "label": ["yes"]}).to_csv(words, index=False)
    err = _error(
        capsys, ["report", str(tmp_path / "regression.skops"), "--data", str(words)]
    )
    assert "regression target" in err and "another task" in err


def test_model_files_autodl_cannot_use(model_file, tmp_path, capsys):
    bundle = load_model(model_file)
    newer = dict(bundle, format=bundle["format"] + 1)
    sio.dump(newer, tmp_path / "newer.skops")
    err = _error(capsys, ["leaderboard", str(tmp_path / "newer.skops")])
    assert "model-file format" in err and "Upgrade autodl" in err
    plain = dict(bundle, model=bundle["model"].best_estimator_)
    sio.dump(plain, tmp_path / "plain.skops")
    err = _error(capsys, ["leaderboard", str(tmp_path / "plain.skops")])
    assert "has no leaderboard" in err


def test_a_multi_line_message_is_one_line(model_file, capsys, monkeypatch):
    import autodl.cli._leaderboard as leaderboard

    def run(args):
        raise ValueError("Error tokenizing data.\nC error: Expected 2 fields\n")

    monkeypatch.setattr(leaderboard, "run", run)
    err = _error(capsys, ["leaderboard", str(model_file)])
    assert "Error tokenizing data. C error: Expected 2 fields" in err
