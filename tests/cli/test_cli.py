import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator

from autodl.cli import main


def test_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "autodl", "--help"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "demo" in out


def test_demo_prints_ranked_table(capsys, tmp_path):
    args = [
        "demo",
        "--time-budget",
        "8",
        "--cv",
        "3",
        "--n-jobs",
        "1",
        "--out-dir",
        str(tmp_path / "demo"),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "breast_cancer (569 rows x 30 features" in out
    assert "roc_auc" in out and "Final model" in out and "Held-out roc_auc" in out
    scores = [
        float(line.split()[2])
        for line in out.splitlines()
        if line.strip()[:1].isdigit() and len(line.split()) == 6
    ]
    assert len(scores) >= 3 and scores == sorted(scores, reverse=True)
    assert f"Files written to {tmp_path / 'demo'}/" in out
    assert (tmp_path / "demo" / "model.skops").is_file()
    assert (tmp_path / "demo" / "predictions.csv").is_file()
    html = (tmp_path / "demo" / "report.html").read_text()
    assert "data:image/png;base64" in html and "logistic_regression" in html
    # every row of predictions.csv: its own id, its own target, the model's label
    from autodl.cli._modelfile import load_model
    from autodl.datasets import load_demo

    X, y = load_demo()
    written = pd.read_csv(tmp_path / "demo" / "predictions.csv")
    rows = written["row"].to_numpy()
    assert len(set(rows)) == len(rows) == 143 and list(rows) != sorted(rows)
    model = load_model(tmp_path / "demo" / "model.skops")["model"]
    np.testing.assert_array_equal(written["target"], y.loc[rows])
    np.testing.assert_array_equal(written["predicted"], model.predict(X.loc[rows]))


def test_demo_regression(capsys, tmp_path):
    args = [
        "demo",
        "--dataset",
        "diabetes",
        "--time-budget",
        "5",
        "--n-jobs",
        "1",
        "--out-dir",
        str(tmp_path),
    ]
    assert main(args) == 0
    assert "Held-out r2" in capsys.readouterr().out


def test_error_is_one_line(capsys):
    assert main(["demo", "--cv", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least 2 folds" in err and "Traceback" not in err


def test_debug_shows_traceback():
    with pytest.raises(ValueError, match="at least 2 folds"):
        main(["--debug", "demo", "--cv", "1"])


# -- fit / predict / leaderboard ----------------------------------------------


@pytest.fixture(scope="module")
def train_test_csv(tmp_path_factory):
    from autodl.datasets import load_demo

    folder = tmp_path_factory.mktemp("cli")
    X, y = load_demo()
    frame = X.iloc[:, :6].assign(passenger_id=range(1000, 1000 + len(X)), label=y)
    frame.iloc[:400].to_csv(folder / "train.csv", index=False)
    frame.iloc[400:].drop(columns="label").to_csv(folder / "test.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def model_file(train_test_csv):
    out = train_test_csv / "model.skops"
    args = [
        "fit",
        str(train_test_csv / "train.csv"),
        "--target",
        "label",
        "--id-column",
        "passenger_id",
        "--time-budget",
        "6",
        "--n-jobs",
        "1",
        "--out",
        str(out),
        "--report",
        str(train_test_csv / "fit_report.html"),
    ]
    assert main(args) == 0
    return out


def test_fit_writes_a_model_file(model_file, capsys):
    from autodl.cli._modelfile import load_model

    bundle = load_model(model_file)
    assert bundle["target"] == "label" and bundle["id_column"] == "passenger_id"
    assert "passenger_id" not in bundle["features"]
    assert {"autodl", "scikit-learn", "torch"} <= set(bundle["versions"])
    assert "data:image/png" in (model_file.parent / "fit_report.html").read_text()
    assert main(["leaderboard", str(model_file), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "Leaderboard: roc_auc on the validation predictions" in out


def _predict(model_file, data, out, *options):
    assert (
        main(["predict", str(model_file), str(data), "--out", str(out), *options]) == 0
    )
    return pd.read_csv(out)


@pytest.fixture(scope="module")
def shuffled_test(train_test_csv):
    """The test rows in another order, ids not sorted, columns in another order."""
    test = pd.read_csv(train_test_csv / "test.csv")
    test = test.sample(frac=1, random_state=0).reset_index(drop=True)
    test = test[list(reversed(test.columns))]
    path = train_test_csv / "shuffled.csv"
    test.to_csv(path, index=False)
    return test, path


def test_predict_writes_a_submission(model_file, train_test_csv, shuffled_test):
    from autodl.cli._modelfile import load_model

    test, path = shuffled_test
    bundle = load_model(model_file)
    model, X = bundle["model"], test[bundle["features"]]
    sub = _predict(model_file, path, train_test_csv / "submission.csv")
    assert list(sub.columns) == ["passenger_id", "label"]
    # row i: the id of input row i, next to the model's label for that row
    np.testing.assert_array_equal(sub["passenger_id"], test["passenger_id"])
    np.testing.assert_array_equal(sub["label"], model.predict(X))
    probs = _predict(model_file, path, train_test_csv / "proba.csv", "--proba")
    assert list(probs.columns) == ["passenger_id", "0", "1"]
    np.testing.assert_array_equal(probs["passenger_id"], test["passenger_id"])
    np.testing.assert_allclose(probs[["0", "1"]], model.predict_proba(X), rtol=1e-12)
    # the probabilities vary from row to row: a shifted column would show
    assert probs["1"].round(3).nunique() > 20


def test_predict_with_another_id_column_and_without_one(
    model_file, train_test_csv, shuffled_test
):
    from autodl.cli._modelfile import load_model

    test, _ = shuffled_test
    bundle = load_model(model_file)
    model, X = bundle["model"], test[bundle["features"]]
    ticket = train_test_csv / "ticket.csv"
    renamed = test.rename(columns={"passenger_id": "ticket"})
    renamed.assign(ticket=[f"t{i}" for i in renamed["ticket"]]).to_csv(
        ticket, index=False
    )
    probs = _predict(
        model_file, ticket, train_test_csv / "t.csv", "--id-column", "ticket", "--proba"
    )
    assert list(probs["ticket"]) == [f"t{i}" for i in test["passenger_id"]]
    np.testing.assert_allclose(probs[["0", "1"]], model.predict_proba(X), rtol=1e-12)
    no_id = train_test_csv / "no_id.csv"
    test.drop(columns="passenger_id").to_csv(no_id, index=False)
    bundle_no_id = train_test_csv / "model_no_id.joblib"
    joblib.dump({**load_model(model_file), "id_column": None}, bundle_no_id)
    sub = _predict(bundle_no_id, no_id, train_test_csv / "n.csv")
    assert list(sub.columns) == ["label"]
    np.testing.assert_array_equal(sub["label"], model.predict(X))


def test_predict_checks_columns(model_file, train_test_csv, capsys):
    import pandas as pd

    test = pd.read_csv(train_test_csv / "test.csv")
    bad = train_test_csv / "bad.csv"
    test.drop(columns=[test.columns[0]]).assign(extra=1).to_csv(bad, index=False)
    assert main(["predict", str(model_file), str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"lacks column(s) ['{test.columns[0]}']" in err and err.count("\n") == 1
    extra = train_test_csv / "extra.csv"
    test.assign(extra=1).to_csv(extra, index=False)
    out = train_test_csv / "p.csv"
    assert main(["predict", str(model_file), str(extra), "--out", str(out)]) == 0
    assert "['extra'] that the model was not trained on" in capsys.readouterr().err


def test_fit_errors_are_one_line(train_test_csv, tmp_path, capsys):
    train = str(train_test_csv / "train.csv")
    assert main(["fit", train, "--target", "survived"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'survived' is not in" in err and "'label'" in err
    assert main(["fit", str(tmp_path / "nope.csv"), "--target", "y"]) == 1
    assert "No such file" in capsys.readouterr().err
    (tmp_path / "empty.csv").write_text("")
    assert main(["fit", str(tmp_path / "empty.csv"), "--target", "y"]) == 1
    assert "is empty" in capsys.readouterr().err
    (tmp_path / "junk.joblib").write_text("not a model")
    assert main(["leaderboard", str(tmp_path / "junk.joblib")]) == 1
    assert "is not an autodl model file" in capsys.readouterr().err


def test_model_file_version_warning(model_file, tmp_path):
    from autodl.cli._modelfile import load_model

    bundle = load_model(model_file)
    bundle["versions"]["scikit-learn"] = "0.1"
    old = tmp_path / "old.joblib"
    joblib.dump(bundle, old)
    with pytest.warns(UserWarning, match=r"scikit-learn 0.1 -> .*Refit"):
        load_model(old)


def test_help_mentions_pickle():
    out = subprocess.run(
        [sys.executable, "-m", "autodl", "predict", "--help"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "only load files you trust" in " ".join(out.split())


def test_report_command(model_file, train_test_csv, capsys):
    from autodl.datasets import load_demo

    X, y = load_demo()
    held_out = train_test_csv / "held_out.csv"
    X.iloc[400:, :6].assign(passenger_id=0, label=y.iloc[400:]).to_csv(
        held_out, index=False
    )
    out = train_test_csv / "report.html"
    assert (
        main(["report", str(model_file), "--out", str(out), "--data", str(held_out)])
        == 0
    )
    html = out.read_text()
    assert "Leaderboard" in html or "leaderboard" in html
    assert html.count("data:image/png;base64") >= 2
    assert f"Report written to {out}" in capsys.readouterr().out
    # the held-out score is the model's, on the rows of the file given
    from sklearn.metrics import roc_auc_score

    from autodl.cli._modelfile import load_model

    model = load_model(model_file)["model"]
    score = roc_auc_score(y.iloc[400:], model.predict_proba(X.iloc[400:, :6])[:, 1])
    assert f"roc_auc of the final model on the 169 rows given: <b>{score:.4f}</b>" in (
        html
    )


def test_fit_writes_a_skops_file_that_loads_without_pickle(train_test_csv, capsys):
    pytest.importorskip("skops")
    from autodl.cli._modelfile import load_model

    out = train_test_csv / "model.skops"
    args = ["fit", str(train_test_csv / "train.csv"), "--target", "label"]
    args += ["--id-column", "passenger_id", "--time-budget", "3", "--n-jobs", "1"]
    assert main([*args, "--format", "skops", "--out", str(out)]) == 0
    with open(out, "rb") as file:
        assert file.read(2) == b"PK"  # a zip archive, not a pickle
    bundle = load_model(out)
    assert list(bundle["model"].leaderboard_.columns)[:2] == ["model", "family"]
    predictions = train_test_csv / "skops_predictions.csv"
    test = str(train_test_csv / "test.csv")
    assert main(["predict", str(out), test, "--out", str(predictions)]) == 0
    assert predictions.is_file()
    # written atomically (no temporary file left); a skops file is autodl's own
    # (the marker in its schema), so fitting again replaces it without --force,
    # while another zip archive needs --force
    from autodl.cli._modelfile import is_model_file

    assert not list(train_test_csv.glob(".model.skops.*"))
    assert is_model_file(out)
    foreign = train_test_csv / "other.skops"
    import zipfile

    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("schema.json", "{}")
    assert not is_model_file(foreign)
    with pytest.raises(ValueError, match="not a model file autodl wrote"):
        main(["--debug", *args, "--format", "skops", "--out", str(foreign)])


class _Untrusted(BaseEstimator):
    pass


def test_skops_file_with_untrusted_types_is_refused_by_name(tmp_path):
    sio = pytest.importorskip("skops.io")
    from autodl.cli._modelfile import MARKER, load_model

    path = tmp_path / "other.skops"
    sio.dump({"marker": MARKER, "model": _Untrusted()}, path)
    with pytest.raises(ValueError, match=r"does not trust: \[.*_Untrusted'\]"):
        load_model(path)


class _Constant(BaseEstimator):
    """A model of a type autodl does not trust: predicts 0 for every row."""

    def predict(self, X):
        return np.zeros(len(X), dtype=int)


def _constant_bundle():
    from autodl.cli._modelfile import FORMAT, MARKER, _versions

    return {
        "marker": MARKER,
        "format": FORMAT,
        "model": _Constant(),
        "target": "y",
        "features": ["a"],
        "id_column": None,
        "task": "binary",
        "versions": _versions(),
    }


def test_fit_writes_skops_by_default_and_predict_loads_it(
    train_test_csv, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    args = ["fit", str(train_test_csv / "train.csv"), "--target", "label"]
    args += ["--id-column", "passenger_id", "--max-trials", "1", "--n-jobs", "1"]
    assert main(args) == 0
    out = capsys.readouterr()
    assert "Model written to model.skops." in out.out
    assert "pickle" not in out.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.skops"]
    with open("model.skops", "rb") as file:
        assert file.read(2) == b"PK"  # a zip archive (skops), not a pickle
    test = str(train_test_csv / "test.csv")
    assert main(["predict", "model.skops", test]) == 0
    assert "pickle" not in capsys.readouterr().err
    assert len(pd.read_csv("predictions.csv")) == 169


def test_predict_trusts_a_type_only_when_told(tmp_path, capsys):
    sio = pytest.importorskip("skops.io")
    model, rows = tmp_path / "custom.skops", tmp_path / "rows.csv"
    sio.dump(_constant_bundle(), model)
    pd.DataFrame({"a": [1.0, 2.0, 3.0]}).to_csv(rows, index=False)
    name = f"{_Constant.__module__}._Constant"
    out = tmp_path / "p.csv"
    argv = ["predict", str(model), str(rows), "--out", str(out)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"does not trust: ['{name}']" in err
    assert f"pass --trust {name}" in err and not out.exists()
    assert main([*argv, "--trust", "numpy.float64", "--trust", name]) == 0
    assert pd.read_csv(out)["y"].tolist() == [0, 0, 0]
    # the trusted list grows only for this call
    assert main(["leaderboard", str(model)]) == 1
    assert "--trust" in capsys.readouterr().err


def test_joblib_model_files_warn_when_written_and_loaded(
    train_test_csv, tmp_path, capsys
):
    from autodl.cli._modelfile import save_model

    out = tmp_path / "m.bin"
    args = ["fit", str(train_test_csv / "train.csv"), "--target", "label"]
    args += ["--id-column", "passenger_id", "--max-trials", "1", "--n-jobs", "1"]
    assert main([*args, "--format", "joblib", "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"{out} is a joblib pickle: pickles run code on load" in err
    assert err.count("pickles run code on load") == 1
    with open(out, "rb") as file:
        assert file.read(2) != b"PK"
    model = save_model(
        tmp_path / "c.joblib", _Constant(), target="y", features=["a"], task="binary"
    )
    rows = tmp_path / "rows.csv"
    pd.DataFrame({"a": [1.0, 2.0]}).to_csv(rows, index=False)
    predictions = tmp_path / "p.csv"
    assert main(["predict", str(model), str(rows), "--out", str(predictions)]) == 0
    err = capsys.readouterr().err
    line = f"autodl: warning: {model} is read as a joblib pickle: pickles run code"
    assert line in err and err.count("pickles run code on load") == 1
    assert main(["report", str(model), "--out", str(tmp_path / "r.html")]) == 0
    assert "pickles run code on load" in capsys.readouterr().err


def _autodl(*args, stdin=None, pipe_to=None, cwd=None):
    """Run ``python -m autodl ARGS`` (optionally ``| pipe_to``), capture the output."""
    import os
    import shlex

    command = shlex.join([sys.executable, "-m", "autodl", *map(str, args)])
    if pipe_to:
        command += f" | {pipe_to}"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as source:
        return subprocess.run(
            command,
            shell=True,
            executable="/bin/bash",
            stdin=source,
            capture_output=True,
            cwd=cwd,
            env=env,
        )


def test_fit_max_trials_and_quiet_from_standard_input(train_test_csv, tmp_path):
    model = tmp_path / "m.joblib"
    args = ["fit", "-", "--target", "label", "--id-column", "passenger_id"]
    args += ["--max-trials", "2", "--n-jobs", "1", "--out", model, "--quiet"]
    done = _autodl(*args, stdin=train_test_csv / "train.csv")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""  # quiet: nothing but errors
    from autodl.cli._modelfile import load_model

    auto = load_model(model)["model"]
    assert auto.time_budget is None and len(auto.leaderboard_) <= 2
    # predictions to standard output: a CSV, the note on standard error
    done = _autodl(
        "predict", model, "-", "--out", "-", stdin=train_test_csv / "test.csv"
    )
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "passenger_id,label" and len(lines) == 1 + 169
    assert b"predictions written" in done.stderr


def test_only_predict_writes_to_standard_output(train_test_csv):
    # '-' is standard output for predict's CSV; a model file needs a path, and
    # the refusal comes before any search
    train = str(train_test_csv / "train.csv")
    with pytest.raises(ValueError, match="standard output"):
        main(["--debug", "fit", train, "--target", "label", "--out", "-"])


def test_fit_into_a_closed_pipe_still_writes_the_model(train_test_csv, tmp_path):
    model = tmp_path / "piped.joblib"
    args = ["fit", train_test_csv / "train.csv", "--target", "label"]
    args += ["--max-trials", "1", "--n-jobs", "1", "--out", model]
    # `true` reads nothing and exits: every line autodl prints meets a closed pipe
    done = _autodl(*args, pipe_to="true; exit ${PIPESTATUS[0]}")
    assert done.returncode == 0, done.stderr.decode()
    assert model.is_file()
    # no progress bar where standard error is not a terminal
    assert b"%|" not in done.stderr and b"Traceback" not in done.stderr


# pyproject.toml turns autodl's FutureWarnings into errors; this one is the point
@pytest.mark.filterwarnings("default::FutureWarning")
def test_fit_metric_is_a_deprecated_alias_of_scoring(train_test_csv, tmp_path, capsys):
    train = str(train_test_csv / "train.csv")
    fit = ["fit", train, "--target", "label", "--max-trials", "1", "--n-jobs", "1"]
    out = ["--out", str(tmp_path / "model.skops")]
    assert main([*fit, "--metric", "accuracy", *out]) == 0
    captured = capsys.readouterr()
    assert "--metric was renamed to --scoring" in captured.err
    assert "pass --scoring accuracy instead" in captured.err
    assert "Leaderboard: accuracy" in captured.out
    both = ["--scoring", "accuracy", "--metric", "accuracy"]
    assert main([*fit, *both, "--out", str(tmp_path / "two.skops")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pass --scoring only" in err
    assert not (tmp_path / "two.skops").exists()
