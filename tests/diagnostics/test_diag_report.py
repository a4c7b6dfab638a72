"""write_report: one self-contained HTML file, rendered in headless Chromium."""

import re
import shutil
import subprocess
import tempfile

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_friedman1
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from autodl import AutoRegressor
from autodl.diagnostics import diagnose, write_report
from autodl.neural import MLPClassifier
from autodl.preprocessing import Rescaler
from autodl.spotcheck import SpotCheck

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def circles():
    X, y = make_circles(300, noise=0.1, factor=0.5, random_state=0)
    return train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def spot(circles):
    X_train, _, y_train, _ = circles
    net = MLPClassifier(hidden_layer_sizes=(32,), lr=1e-2, max_epochs=40)
    return SpotCheck(
        models=[
            ("logistic", LogisticRegression()),
            ("tree", DecisionTreeClassifier(max_depth=4, random_state=0)),
            ("net", net.set_params(device="cpu", random_state=0)),
        ],
        views=[("raw", None), ("standardized", Rescaler())],
        cv=3,
        random_state=0,
    ).fit(X_train, y_train)


@pytest.fixture(scope="module")
def report(spot, circles, tmp_path_factory):
    _, X_test, _, y_test = circles
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert write_report(spot, path, X=X_test, y=y_test) == path
    return path


def _rows(html):
    table = html.split("<h2", 3)[2]  # the leaderboard section
    return re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([^<]+)</td>", table)


def test_html_holds_leaderboard_plots_diagnosis_settings(spot, report):
    html = report.read_text()
    board = spot.leaderboard_
    rows = _rows(html)
    assert [int(rank) for rank, _ in rows] == list(range(1, len(board) + 1))
    assert rows[0][1] == f"{board['model'][0]} / {board['view'][0]}"
    assert f"{board['mean_score'][0]:.4f}" in html
    # box plots, confusion matrix, ROC, importance, learning curves: all inline
    assert html.count("data:image/png;base64,") == 5
    assert "<img" in html and 'src="http' not in html and "<script" not in html
    for heading in ("Leaderboard", "Held-out evaluation", "Settings"):
        assert f">{heading}</h2>" in html
    assert "roc_auc of the final model on the 90 rows given" in html
    assert board["model"][0] == "net"  # so the report diagnoses it
    assert "Diagnosis of the best net" in html and 'alt="learning curves"' in html
    assert "scikit-learn" in html and "random_state" in html


def test_without_data_the_report_says_what_is_left_out(spot, tmp_path):
    html = write_report(spot, tmp_path / "r.html").read_text()
    assert "Not in this report" in html
    assert "the confusion matrix and ROC curve" in html
    assert "need held-out data" in html
    assert "Held-out evaluation" not in html
    assert "data:image/png;base64," in html  # the box plots need no data


def test_given_diagnosis_and_regression_search(tmp_path):
    X, y = make_friedman1(160, random_state=0)
    auto = AutoRegressor(
        time_budget=3, include=["ridge"], cv=3, n_jobs=1, random_state=0, verbose=0
    ).fit(X[:120], y[:120])
    found = diagnose(DecisionTreeClassifier(), *make_circles(100, random_state=0))
    html = write_report(
        auto, tmp_path / "auto.html", X=X[120:], y=y[120:], diagnosis=found
    ).read_text()
    assert 'alt="residuals"' in html and 'alt="permutation importance"' in html
    assert ">Diagnosis</h2>" in html and "DecisionTreeClassifier" in html
    assert "task regression" in html and "metric r2" in html
    with pytest.raises(ValueError, match="both X and y"):
        write_report(auto, tmp_path / "x.html", X=X)
    with pytest.raises(TypeError, match="diagnosis must be a Diagnosis"):
        write_report(auto, tmp_path / "x.html", diagnosis="learning")


def test_plain_fitted_net(tmp_path):
    X, y = make_circles(100, noise=0.1, random_state=0)
    net = MLPClassifier(hidden_layer_sizes=(8,), max_epochs=5, random_state=0)
    html = write_report(net.fit(X, y), tmp_path / "net.html").read_text()
    assert "Diagnosis of the best net" in html
    assert "has no leaderboard_" in html


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium); .ci/run installs it",
)
def test_renders_in_headless_chromium(report, tmp_path):
    shot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1280,2400",
                report.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    import matplotlib.image

    pixels = matplotlib.image.imread(shot)
    assert pixels.shape[:2] == (2400, 1280)
    grey = pixels[..., :3].mean(axis=2)
    assert grey.std() > 0.05  # not a blank page
    assert (grey < 0.5).mean() > 0.01  # text and plots drew dark pixels
    assert np.unique(pixels[..., :3].reshape(-1, 3), axis=0).shape[0] > 50  # colours
