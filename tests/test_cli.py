import subprocess
import sys

import pytest

from autodl.cli import main
from autodl.cli._demo import leaderboard
from autodl.datasets import load_demo


def test_help_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "autodl", "--help"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "demo" in out


def test_demo_prints_ranked_table(capsys):
    assert main(["demo", "--cv", "2", "--n-jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "breast_cancer (569 rows x 30 features" in out
    assert "roc_auc" in out and "Best:" in out
    scores = [
        float(line.split()[2])
        for line in out.splitlines()
        if line.strip()[:1].isdigit()
    ]
    assert len(scores) >= 5 and scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "name,task,scoring",
    [("wine", "multiclass", "balanced_accuracy"), ("diabetes", "regression", "r2")],
)
def test_demo_leaderboard_other_tasks(name, task, scoring):
    X, y = load_demo(name)
    board = leaderboard(X, y, task, cv=2, n_jobs=1)
    assert board.attrs["scoring"] == scoring
    assert list(board.columns) == [
        "rank",
        "model",
        "mean_score",
        "std_score",
        "fit_time",
    ]
    assert board["mean_score"].is_monotonic_decreasing
    assert board["mean_score"].iloc[0] > (0.8 if task == "multiclass" else 0.3)


def test_error_is_one_line(capsys):
    assert main(["demo", "--cv", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least 2 folds" in err and "Traceback" not in err


def test_debug_shows_traceback():
    with pytest.raises(ValueError, match="at least 2 folds"):
        main(["--debug", "demo", "--cv", "1"])
