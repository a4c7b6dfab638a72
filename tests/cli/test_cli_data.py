"""Data that would fit quietly and wrongly, through the real command line: duplicate
header names, a copy of the target, an id column, a metric that does not fit, an
integer target with many values, another separator; warnings once each; Ctrl-C."""

import warnings

import numpy as np
import pandas as pd
import pytest
from _helpers import run_cli

from autodl.cli import _show_warning, main
from autodl.cli._modelfile import load_model

FIT = ["--time-budget", "3", "--n-jobs", "1"]


def _one_line_error(done):
    assert done.returncode == 1, done.stderr
    lines = [ln for ln in done.stderr.splitlines() if "error:" in ln]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def _table(n=80, seed=0):
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    frame["target"] = np.where(frame["a"] + rng.normal(size=n) > 0, "yes", "no")
    return frame


def test_duplicate_header_names_are_refused(tmp_path):
    data = tmp_path / "dup.csv"
    frame = _table()
    frame.columns = ["Aa", "Aa", "target"]
    frame.to_csv(data, index=False)
    err = _one_line_error(run_cli("fit", data, "--target", "target", *FIT))
    assert "duplicate column names ['Aa']" in err and "'Aa.1'" in err
    assert not (tmp_path / "model.skops").exists()


def test_a_copy_of_the_target_is_left_out_and_an_id_gets_a_hint(tmp_path):
    data = tmp_path / "leak.csv"
    frame = _table(120)
    frame.insert(0, "row_id", range(5000, 5120))
    frame["answer"] = frame["target"].map({"yes": 1, "no": 0})  # a recoding
    frame.loc[3, "answer"] = 1 - frame.loc[3, "answer"]  # near-identical: 119/120
    frame.to_csv(data, index=False)
    out = tmp_path / "model.joblib"
    done = run_cli("fit", data, "--target", "target", *FIT, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "['answer'] repeat the target 'target'" in done.stderr
    assert "left out of the features" in done.stderr
    assert "Column 'row_id' holds a different value in each" in done.stderr
    assert "pass --id-column row_id" in done.stderr
    features = load_model(out)["features"]
    assert "answer" not in features and "a" in features


def test_the_python_api_warns_about_a_copy_of_the_target():
    from autodl import AutoClassifier

    frame = _table(60)
    X = frame[["a", "b"]].assign(copy=frame["target"])
    with pytest.warns(
        UserWarning, match=r"\['copy'\] repeat the target.*Drop them from X"
    ):
        AutoClassifier(
            time_budget=2, include=["naive_bayes"], n_jobs=1, cv=2, verbose=0
        ).fit(X, frame["target"])


def test_a_metric_that_does_not_fit_fails_before_the_search(tmp_path):
    rng = np.random.RandomState(0)
    data = tmp_path / "nine.csv"
    pd.DataFrame({"a": rng.normal(size=90), "target": np.arange(90) % 9}).to_csv(
        data, index=False
    )
    done = run_cli("fit", data, "--target", "target", "--scoring", "roc_auc", *FIT)
    err = _one_line_error(done)
    assert "scoring='roc_auc' does not fit a multiclass target" in err
    assert "'roc_auc_ovr'" in err and "'balanced_accuracy'" in err
    assert "Leaderboard" not in done.stdout


def test_an_integer_target_with_many_values_warns_once(tmp_path):
    rng = np.random.RandomState(0)
    data = tmp_path / "counts.csv"
    n = 200
    pd.DataFrame(
        {"a": rng.normal(size=n), "b": rng.normal(size=n), "target": np.arange(n) % 47}
    ).to_csv(data, index=False)
    done = run_cli("fit", data, "--target", "target", *FIT, "--out", tmp_path / "m.job")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("47 distinct integer values") == 1
    assert "--task regression" in done.stderr
    # every warning line is printed once, whatever the number of fits
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("autodl: ")]
    assert len(lines) == len(set(lines))
    assert "Traceback" not in done.stderr and "warnings.warn(" not in done.stderr


def test_the_separator_hint_names_the_cli_option(tmp_path):
    data = tmp_path / "semi.csv"
    _table().to_csv(data, index=False, sep=";")
    err = _one_line_error(run_cli("fit", data, "--target", "target", *FIT))
    assert "pass --sep ';'" in err and "sep=';'" not in err.replace("--sep ';'", "")
    out = tmp_path / "m.skops"
    done = run_cli("fit", data, "--target", "target", "--sep", ";", *FIT, "--out", out)
    assert done.returncode == 0, done.stderr
    test = tmp_path / "test.csv"
    _table(10, seed=1).drop(columns="target").to_csv(test, index=False, sep=";")
    assert main(["predict", str(out), str(test), "--out", str(tmp_path / "p.csv")]) == 1
    done = run_cli("predict", out, test, "--sep", ";", "--out", tmp_path / "p.csv")
    assert done.returncode == 0 and len(pd.read_csv(tmp_path / "p.csv")) == 10


def test_a_warning_is_shown_once_and_loky_is_explained(capsys):
    import autodl.cli as cli

    cli._SHOWN.clear()
    for _ in range(41):
        _show_warning(UserWarning("same  thing\nagain"), UserWarning, "f.py", 1)
    loky = "A worker stopped while some jobs were given to the executor. This can..."
    for _ in range(3):
        _show_warning(UserWarning(loky), UserWarning, "loky.py", 1)
    err = capsys.readouterr().err
    assert err.count("autodl: warning: same thing again") == 1
    assert "A worker stopped" not in err and err.count("nothing is lost") == 1


def test_fits_in_worker_processes_warn_once_in_the_caller():
    from sklearn.naive_bayes import GaussianNB

    from autodl import SpotCheck

    class Noisy(GaussianNB):
        def fit(self, X, y):
            warnings.warn("noisy fit", UserWarning, stacklevel=1)
            return super().fit(X, y)

    frame = _table(60)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SpotCheck(
            models=[("noisy", Noisy())], views=[("raw", None)], cv=4, n_jobs=2
        ).fit(frame[["a", "b"]], frame["target"])
    assert [str(w.message) for w in caught].count("noisy fit") == 1


def test_ctrl_c_before_anything_finished_says_nothing_was_saved(
    tmp_path, capsys, monkeypatch
):
    from autodl import AutoClassifier

    def interrupted(self, X, y):
        raise KeyboardInterrupt(
            "AutoClassifier was interrupted before any candidate finished validation: "
            "there is no model to keep."
        )

    monkeypatch.setattr(AutoClassifier, "fit", interrupted)
    data = tmp_path / "t.csv"
    _table().to_csv(data, index=False)
    out = tmp_path / "model.joblib"
    assert main(["fit", str(data), "--target", "target", "--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert "autodl fit: interrupted (Ctrl-C): AutoClassifier was interrupted" in err
    assert "nothing was saved" in err and not out.exists()
