"""write_report's sections: each reads plain values from a fitted object."""

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.naive_bayes import GaussianNB

from autodl.diagnostics import Evidence, write_report
from autodl.diagnostics import _diagnose as rules
from autodl.diagnostics import _report as report
from autodl.utils import is_report


def _board(n, **columns):
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(n)],
            "mean_score": np.linspace(0.9, 0.5, n),
            "std_score": [0.01] * n,
            "n_folds": [3] * n,
            **columns,
        }
    )


@pytest.fixture(scope="module")
def bayes():
    X, y = make_classification(n_samples=80, random_state=0)
    return GaussianNB().fit(X, y), X, y


def test_leaderboard_table_ranks_and_caps_the_rows():
    board = _board(report.MAX_LEADERBOARD_ROWS + 5, params=[{}] * 55)
    board.at[1, "params"] = {"C": 1.0}
    table = report._leaderboard_table(board)
    assert table.header == [
        "rank",
        "candidate",
        "mean_score",
        "std_score",
        "n_folds",
        "params",
    ]
    assert len(table.rows) == report.MAX_LEADERBOARD_ROWS
    assert [row[0] for row in table.rows[:3]] == [1, 2, 3]
    assert table.rows[1][1] == "m1" and table.rows[1][-1] == "C=1.0"
    section = report._leaderboard(SimpleNamespace(scoring_="accuracy"), board)
    assert section.kind == "leaderboard" and section.content["n_more"] == 5
    assert section.content["metric"] == "accuracy"


def test_leaderboard_left_out_without_one():
    section = report._leaderboard(GaussianNB(), None)
    assert section.kind is None
    assert "GaussianNB has no leaderboard_" in section.left_out[0]


def test_summary_reads_the_best_row_weights_and_model():
    fitted = SimpleNamespace(
        scoring_="roc_auc",
        stop_reason_="time budget",
        ensemble_weights_={"a": 0.75, "b": 0.25},
        best_estimator_=GaussianNB(),
    )
    content = report._summary(fitted, _board(3)).content
    assert content["best"]["label"] == "m0" and content["best"]["n_candidates"] == 3
    assert content["best"]["metric"] == "roc_auc"
    assert content["weights"].rows == [["a", 0.75], ["b", 0.25]]
    assert content["model"] == "GaussianNB()"
    assert content["stop_reason"] == "time budget"


def test_evaluation_without_data_says_why(bayes):
    model, X, y = bayes
    section = report._evaluation(model, model, None, None, 0)
    assert section.kind is None
    assert section.left_out[0].startswith("the confusion matrix and ROC curve")
    left_out = []
    assert report._held_out_score(model, X, y, "no_such_metric", left_out) is None
    assert left_out[0].startswith("the held-out score:")
    score = report._held_out_score(model, X, y, "accuracy", [])
    assert score == {"metric": "accuracy", "n_rows": 80, "value": model.score(X, y)}


def test_diagnosis_given_not_found_and_unplottable():
    given = rules._verdict(Evidence(best_epoch=4), False, {}, "binary", curves=[])
    section = report._diagnosis(given, None, None)
    assert section.title == "Diagnosis" and section.content["diagnosis"] is given
    # no curves to draw: the report says so instead of failing
    assert section.content["curves"] is None and section.content["plot_error"]
    assert section.content["evidence"].rows == [["best_epoch", 4], ["n_runs", 1]]
    board = pd.DataFrame({"model": ["xgboost#1", "mlp#3"]})
    section = report._diagnosis(None, GaussianNB(), board)
    assert section.kind is None
    assert "mlp#3, ranks 2 and was not refit" in section.left_out[0]


def test_settings_clip_params_and_list_learned_attributes():
    fitted = SimpleNamespace(
        get_params=lambda deep: {"long": "x" * 500, "k": 3},
        classes_=np.array([0, 1]),
        scoring_=len,
    )
    content = report._settings(fitted).content
    assert content["name"] == "SimpleNamespace"
    long = dict(content["params"].rows)["long"]
    assert long.endswith(" ...") and len(long) == report.MAX_PARAM_CHARS + 4
    learned = dict(content["learned"].rows)
    assert learned == {"scoring_": "len", "classes_": "0, 1"}
    assert "scikit-learn" in content["versions"]
    assert report._settings(object()).content["params"] is None


def test_cells_and_numbers():
    assert report._cell(None) == "" and report._cell("a") == "a"
    assert report._cell(0.5) == "0.5000" and report._cell(123456.0) == "1.235e+05"
    assert report._cell(np.int64(3)) == "3" and report._cell(True) == "True"
    assert report._is_numeric(np.float32(1)) and not report._is_numeric("1")


def test_template_escapes_and_orders_sections(bayes, tmp_path):
    model, X, y = bayes
    path = write_report(model, tmp_path / "r.html", title="<b>mine</b>")
    assert is_report(path)  # the CLI recognises its own reports by this marker
    html = path.read_text()
    assert "<title>&lt;b&gt;mine&lt;/b&gt;</title>" in html
    headings = re.findall(r'<h2 id="[^"]*">([^<]+)</h2>', html)
    assert headings == ["Summary", "Settings", "Not in this report"]
    assert "3 part(s) could not be shown" in html
    assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>\n")
