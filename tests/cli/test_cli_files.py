"""Files autodl writes: never an input, never a file it did not write (unless
--force), checked before the search, atomic under ``kill -9``, and a fallback when
the save fails after a fit.

``FAULTS`` and ``BAD_OUTPUTS`` count the cases tried here (docs/reliability.md).
"""

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np
import pandas as pd
import pytest
from _helpers import run_cli

from autodl.cli import main
from autodl.cli._modelfile import is_model_file, load_model

FIT = ["--time-budget", "3", "--n-jobs", "1"]


def _error(capsys, argv):
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert "Leaderboard" not in captured.out  # refused before any search
    return captured.err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("files")
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    frame["y"] = np.where(frame["a"] + 0.3 * rng.normal(size=60) > 0, "yes", "no")
    frame.to_csv(folder / "train.csv", index=False)
    frame.drop(columns="y").to_csv(folder / "test.csv", index=False)
    model = folder / "model.skops"
    assert main(["fit", str(folder / "train.csv"), "--target", "y", *FIT,
                 "--out", str(model)]) == 0  # fmt: skip
    return folder


def test_an_output_that_is_an_input_is_refused(files):
    train = files / "train.csv"
    before = train.read_bytes()
    # through the real command line: nothing is searched, the CSV is intact
    done = run_cli("fit", train, "--target", "y", "--out", train, "--force", *FIT)
    assert done.returncode == 1
    assert "is the input file" in done.stderr and "would destroy it" in done.stderr
    assert train.read_bytes() == before
    model = files / "model.skops"
    before = model.read_bytes()
    done = run_cli("predict", model, files / "test.csv", "--out", model, "--force")
    assert done.returncode == 1 and "is the input file" in done.stderr
    assert model.read_bytes() == before and is_model_file(model)


def test_an_existing_file_autodl_did_not_write(files, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("precious")
    err = _error(capsys, ["fit", str(files / "train.csv"), "--target", "y", *FIT,
                          "--out", str(notes)])  # fmt: skip
    assert "already exists and is not a model file autodl wrote" in err
    assert "--force" in err and notes.read_text() == "precious"
    err = _error(capsys, ["predict", str(files / "model.skops"),
                          str(files / "test.csv"), "--out", str(notes)])  # fmt: skip
    assert "is not a CSV of this model's predictions" in err
    err = _error(capsys, ["report", str(files / "model.skops"), "--out", str(notes)])
    assert "is not a report autodl wrote" in err
    assert notes.read_text() == "precious"
    # --force replaces it
    argv = ["predict", str(files / "model.skops"), str(files / "test.csv")]
    assert main([*argv, "--out", str(notes), "--force"]) == 0
    assert pd.read_csv(notes).columns.tolist() == ["y"]


def test_files_autodl_wrote_are_replaced(files, tmp_path, capsys):
    out = tmp_path / "sub.csv"
    argv = ["predict", str(files / "model.skops"), str(files / "test.csv")]
    assert main([*argv, "--out", str(out)]) == 0
    assert main([*argv, "--out", str(out), "--proba"]) == 0  # labels -> probas
    assert pd.read_csv(out).columns.tolist() == ["no", "yes"]
    report = tmp_path / "r.html"
    assert main(["report", str(files / "model.skops"), "--out", str(report)]) == 0
    assert main(["report", str(files / "model.skops"), "--out", str(report)]) == 0
    capsys.readouterr()
    # no temporary file is left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "sub.csv"]


def test_outputs_checked_before_the_search(files, tmp_path, capsys):
    train = str(files / "train.csv")
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    cases = [
        (["--out", str(blocker / "model.joblib")], "is a file, not a folder"),
        (["--out", "/proc/model.joblib"], "is not writable"),
        (["--out", str(tmp_path)], "is a folder"),
        (["--report", "/proc/r.html"], "is not writable"),
        (["--report", train], "is the input file"),
        (
            [
                "--out",
                str(tmp_path / "m.joblib"),
                "--report",
                str(tmp_path / "m.joblib"),
            ],
            "is the input file",
        ),  # fmt: skip
    ]
    for extra, message in cases:
        start = time.perf_counter()
        err = _error(capsys, ["fit", train, "--target", "y", *FIT, *extra])
        assert message in err, (extra, err)
        assert time.perf_counter() - start < 3  # far less than the search
    err = _error(capsys, ["demo", "--out-dir", str(blocker)])
    assert "is a file, not a folder" in err


def test_a_save_that_fails_after_the_fit_keeps_the_model(
    files, tmp_path, capsys, monkeypatch
):
    replace = os.replace
    target = tmp_path / "model.joblib"

    def disk_full(src, dst):
        if os.fspath(dst) == os.fspath(target):
            raise OSError(28, "No space left on device")
        return replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    # where Python puts temporary files (tempfile's documented setting)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "spare"))
    (tmp_path / "spare").mkdir()
    assert main(["fit", str(files / "train.csv"), "--target", "y", *FIT,
                 "--out", str(target)]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "No space left on device" in err and "it was saved to" in err
    (spare,) = (tmp_path / "spare").glob("autodl-model-*.joblib")
    assert str(spare) in err and load_model(spare)["target"] == "y"
    assert not target.exists() and not list(tmp_path.glob(".model.joblib*"))


_SLOW_SAVE = """
import sys, time, pickle
from pathlib import Path
import joblib
import numpy as np

def slow_dump(obj, path):
    data = pickle.dumps(obj)
    with open(path, "wb") as handle:
        for start in range(0, len(data), 1 << 16):
            handle.write(data[start:start + (1 << 16)])
            handle.flush()
            Path(sys.argv[2]).touch()  # the parent may kill us now
            time.sleep(0.05)

joblib.dump = slow_dump
from autodl.cli._modelfile import save_model
big = {"weights": np.random.RandomState(0).normal(size=2_000_000)}
save_model(sys.argv[1], big, target="y", features=["a"])
"""


def test_kill_9_during_a_save_leaves_the_previous_model(files, tmp_path):
    model = tmp_path / "model.joblib"
    model.write_bytes((files / "model.skops").read_bytes())
    before = model.read_bytes()
    script = tmp_path / "slow_save.py"
    script.write_text(textwrap.dedent(_SLOW_SAVE))
    started = tmp_path / "started"
    child = subprocess.Popen([sys.executable, str(script), str(model), str(started)])
    deadline = time.time() + 60
    while not started.exists() and child.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the child never started writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert model.read_bytes() == before  # the previous good model, whole
    assert load_model(model)["target"] == "y"
    # what the killed write left is a hidden temporary file, never the model
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".model")]
    assert all(name.endswith(".tmp") for name in leftovers)
