import subprocess
import sys

import pytest

from autodl.cli import main


def test_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "autodl", "--help"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "demo" in out


def test_demo_prints_ranked_table(capsys):
    args = ["demo", "--time-budget", "8", "--cv", "3", "--n-jobs", "1"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "breast_cancer (569 rows x 30 features" in out
    assert "roc_auc" in out and "Final model" in out and "Held-out roc_auc" in out
    scores = [
        float(line.split()[2])
        for line in out.splitlines()
        if line.strip()[:1].isdigit() and len(line.split()) == 5
    ]
    assert len(scores) >= 3 and scores == sorted(scores, reverse=True)


def test_demo_regression(capsys):
    args = ["demo", "--dataset", "diabetes", "--time-budget", "5", "--n-jobs", "1"]
    assert main(args) == 0
    assert "Held-out r2" in capsys.readouterr().out


def test_error_is_one_line(capsys):
    assert main(["demo", "--cv", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least 2 folds" in err and "Traceback" not in err


def test_debug_shows_traceback():
    with pytest.raises(ValueError, match="at least 2 folds"):
        main(["--debug", "demo", "--cv", "1"])
