"""``write_report``: one self-contained HTML file about a fitted search."""

import base64
import datetime
import html
import io
import logging
from pathlib import Path

import numpy as np
from sklearn.metrics import check_scoring

from autodl.diagnostics._diagnose import Diagnosis, diagnose
from autodl.diagnostics._plots import (
    candidate_labels,
    is_classification,
    plot_confusion_matrix,
    plot_cv_scores,
    plot_permutation_importance,
    plot_residuals,
    plot_roc_curve,
)
from autodl.utils import atomic_write, fitted_nets
from autodl.utils._files import REPORT_MARKER

__all__ = ["write_report"]

logger = logging.getLogger(__name__)

# leaderboard rows shown in the report (the rest are counted, not listed)
MAX_LEADERBOARD_ROWS = 50
# candidates in the per-fold box plot
MAX_BOXES = 20
# characters of a parameter's repr in the settings table
MAX_PARAM_CHARS = 300
# permutation importance: shuffles per column, and rows used at most
IMPORTANCE_REPEATS = 5
IMPORTANCE_MAX_ROWS = 2000

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 2em auto; max-width: 1100px; color: #222; line-height: 1.45;
       padding: 0 1em; }
h1 { margin-bottom: 0.1em; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 1.8em; }
.sub { color: #666; margin-top: 0; }
table { border-collapse: collapse; font-size: 0.88em; margin: 0.6em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left;
         vertical-align: top; }
th { background: #f3f3f3; }
tr:nth-child(even) td { background: #fafafa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.4em 0; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.5em 0.8em; }
.verdict { font-size: 1.15em; font-weight: 600; }
.ok { color: #1b7f3b; } .bad { color: #b3261e; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""


def _esc(value):
    return html.escape(str(value))


def _figure_html(fig, alt):
    """The figure as an embedded PNG ``<img>``; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{_esc(alt)}" src="data:image/png;base64,{data}">'


def _number(value, digits=4):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return f"{value:.{digits}g}" if abs(value) >= 1e4 else f"{value:.{digits}f}"
    return str(value)


def _table(rows, header):
    """An HTML table from a list of row lists (cells are escaped)."""
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for cell in row:
            numeric = isinstance(cell, int | float | np.integer | np.floating)
            text = _number(cell) if numeric else ("" if cell is None else str(cell))
            css = ' class="num"' if numeric else ""
            cells.append(f"<td{css}>{_esc(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _leaderboard_html(board):
    board = board.reset_index(drop=True)
    labels = candidate_labels(board) if "model" in board else list(board.index)
    columns = [
        c
        for c in (
            "score",
            "mean_score",
            "std_score",
            "fit_time",
            "validation",
            "n_folds",
            "status",
        )
        if c in board
    ]
    show_params = "params" in board and any(bool(p) for p in board["params"])
    show_errors = "error" in board and board["error"].notna().any()
    header = ["rank", "candidate", *columns]
    header += ["params"] if show_params else []
    header += ["error"] if show_errors else []
    rows = []
    for i, row in board.head(MAX_LEADERBOARD_ROWS).iterrows():
        cells = [i + 1, labels[i], *[row[c] for c in columns]]
        if show_params:
            cells.append(
                ", ".join(f"{k}={v!r}" for k, v in (row["params"] or {}).items())
            )
        if show_errors:
            cells.append(row["error"] or "")
        rows.append(cells)
    out = _table(rows, header)
    if len(board) > MAX_LEADERBOARD_ROWS:
        out += (
            f"<p>{len(board) - MAX_LEADERBOARD_ROWS} more candidates are in "
            "<code>leaderboard_</code>.</p>"
        )
    return out


def _final_model_html(fitted):
    model = getattr(fitted, "best_estimator_", None)
    parts = []
    weights = getattr(fitted, "ensemble_weights_", None)
    if weights:
        rows = [[name, float(w)] for name, w in weights.items()]
        parts.append(
            "<p>The final model is "
            + (
                "a weighted ensemble (ensemble selection on out-of-fold "
                "predictions), refit on all the training rows:"
                if len(weights) > 1
                else "the best candidate, refit on all the training rows:"
            )
            + "</p>"
            + _table(rows, ["member", "weight"])
        )
    if model is not None:
        text = repr(model)
        if len(text) > 4000:
            text = text[:4000] + " ..."
        parts.append(f"<pre>{_esc(text)}</pre>")
    return "".join(parts)


def _diagnosis_html(diagnosis, where):
    verdict = (
        f'<span class="bad">{_esc(diagnosis.problem)} problem</span>'
        if diagnosis.problem
        else '<span class="ok">no problem found by the rules</span>'
    )
    parts = [f'<p class="verdict">{_esc(diagnosis.estimator_name)}: {verdict}</p>']
    parts.append(f"<p>{_esc(where)}</p>")
    if diagnosis.findings:
        parts.append(
            "<ul>"
            + "".join(f"<li>{_esc(t)}</li>" for t in diagnosis.findings)
            + "</ul>"
        )
    parts.append("<p><b>Advice</b></p>")
    parts.append(
        "<ol>" + "".join(f"<li>{_esc(t)}</li>" for t in diagnosis.advice) + "</ol>"
    )
    try:
        parts.append(_figure_html(diagnosis.plot(), "learning curves"))
    except Exception as exc:  # a plot must not sink the report
        parts.append(f'<p class="note">The curves could not be drawn: {_esc(exc)}</p>')
    rows = [[k, v] for k, v in diagnosis.evidence.items()]
    parts.append("<details><summary>evidence</summary>")
    parts.append(_table(rows, ["evidence", "value"]) + "</details>")
    return "".join(parts)


def _settings_html(fitted):
    rows = []
    try:
        params = fitted.get_params(deep=False)
    except Exception:  # not an estimator
        params = {}
    for key, value in params.items():
        text = repr(value)
        if len(text) > MAX_PARAM_CHARS:
            text = text[:MAX_PARAM_CHARS] + " ..."
        rows.append([key, text])
    fitted_rows = []
    for attr in (
        "task_",
        "scoring_",
        "n_features_in_",
        "classes_",
        "stop_reason_",
        "fit_time_",
    ):
        value = getattr(fitted, attr, None)
        if value is None:
            continue
        if isinstance(value, np.ndarray):
            more = " ..." if len(value) > 20 else ""
            value = ", ".join(map(str, value[:20])) + more
        elif callable(value):
            value = getattr(value, "__name__", repr(value))
        fitted_rows.append([attr, value])
    out = ""
    if rows:
        out += f"<p>Parameters of {_esc(type(fitted).__name__)}:</p>"
        out += _table(rows, ["parameter", "value"])
    if fitted_rows:
        out += "<p>Learned in <code>fit</code>:</p>"
        out += _table(fitted_rows, ["attribute", "value"])
    out += "<p>Versions: " + _esc(_versions()) + "</p>"
    return out


def _versions():
    import sys

    import matplotlib
    import sklearn

    import autodl

    parts = [
        f"autodl {autodl.__version__}",
        f"scikit-learn {sklearn.__version__}",
        f"matplotlib {matplotlib.__version__}",
        f"Python {sys.version.split()[0]}",
    ]
    torch = sys.modules.get("torch")
    if torch is not None:
        parts.insert(2, f"torch {torch.__version__}")
    return ", ".join(parts)


def _evaluation_html(fitted, model, X, y, random_state, left_out):
    """Held-out score, error plots and permutation importance."""
    parts = []
    scoring = getattr(fitted, "scoring_", None)
    classification = is_classification(fitted)
    try:
        scorer = check_scoring(model, scoring=scoring)
        score = float(scorer(model, X, y))
        name = scoring if isinstance(scoring, str) else "score"
        parts.append(
            f"<p>{_esc(name)} of the final model on the {len(y)} rows given: "
            f"<b>{score:.4f}</b></p>"
        )
    except Exception as exc:
        left_out.append(f"the held-out score: {exc}")
    plots = (
        [(plot_confusion_matrix, "confusion matrix"), (plot_roc_curve, "ROC curve")]
        if classification
        else [(plot_residuals, "residuals")]
    )
    for plot, alt in plots:
        try:
            parts.append(_figure_html(plot(model, X, y), alt))
        except Exception as exc:  # e.g. no probabilities for a ROC curve
            left_out.append(f"the {alt}: {exc}")
    rows = np.arange(len(y))
    if len(rows) > IMPORTANCE_MAX_ROWS:
        rows = np.random.RandomState(random_state).choice(
            rows, IMPORTANCE_MAX_ROWS, replace=False
        )
    X_imp = X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]
    y_imp = np.asarray(y)[rows]
    try:
        fig = plot_permutation_importance(
            model,
            X_imp,
            y_imp,
            scoring=scoring,
            n_repeats=IMPORTANCE_REPEATS,
            random_state=random_state,
        )
        parts.append("<h3>Permutation importance of the final model</h3>")
        parts.append(
            f"<p>Drop in {_esc(scoring or 'score')} when one input column is "
            f"shuffled ({IMPORTANCE_REPEATS} shuffles each, on "
            f"{len(rows)} of the rows given).</p>"
        )
        parts.append(_figure_html(fig, "permutation importance"))
    except Exception as exc:
        left_out.append(f"the permutation importance: {exc}")
    return "".join(parts)


def write_report(
    fitted, path, X=None, y=None, diagnosis=None, title=None, random_state=0
):
    """Write one self-contained HTML report about a fitted search or model.

    The report holds, as far as ``fitted`` and the data allow: the leaderboard
    table, box plots of the per-fold scores, the final model (with its ensemble
    weights), held-out evaluation plots, the permutation importance of the final
    model, the diagnosis of the best net, and the settings used. Images are
    embedded as base64 PNGs, so the file can be mailed or archived alone.

    What cannot be shown is listed in the report with the reason: the
    confusion matrix, ROC curve (classifiers), residual plots (regressors) and
    permutation importance need held-out data, so they appear only when ``X``
    and ``y`` are given; the leaderboard plots need a ``leaderboard_``.

    Parameters
    ----------
    fitted : fitted SpotCheck, AutoClassifier, AutoRegressor or estimator
        Read by duck typing: ``leaderboard_``, ``best_estimator_``,
        ``scoring_``, ``task_``, ``ensemble_weights_``, ``get_params()``. A
        plain fitted estimator (an autodl net, say) gets the sections that
        apply to it.
    path : str or Path
        The HTML file to write (parent folders are created). It is written to a
        temporary file in the same folder, then moved into place.
    X : array-like or DataFrame, default=None
        Held-out input, for the evaluation plots and the permutation
        importance. Use rows the model was not trained on.
    y : array-like, default=None
        Held-out target, with ``X``.
    diagnosis : Diagnosis, default=None
        A diagnosis to include (e.g. ``diagnose(net, X_train, y_train)``).
        Without it, the best fitted net inside the final model, if there is
        one, is diagnosed from its own training history (``diagnose(net)``: no
        refits, so no seed spread).
    title : str, default=None
        The page title; default "autodl report: <class name>".
    random_state : int, default=0
        Seeds the permutation importance (and its row sample).

    Returns
    -------
    path : pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from autodl.datasets import load_demo
    >>> from autodl.spotcheck import SpotCheck
    >>> from autodl.diagnostics import write_report
    >>> X, y = load_demo()
    >>> spot = SpotCheck(models=[("bayes", GaussianNB())],
    ...                  views=[("raw", None)], cv=3, random_state=0).fit(X, y)
    >>> out = write_report(spot, Path(tempfile.mkdtemp()) / "report.html")
    >>> "data:image/png;base64," in out.read_text()
    True
    """
    if (X is None) != (y is None):
        raise ValueError("write_report needs both X and y, or neither.")
    if diagnosis is not None and not isinstance(diagnosis, Diagnosis):
        raise TypeError(
            f"diagnosis must be a Diagnosis from autodl.diagnostics.diagnose, got "
            f"{type(diagnosis).__name__}."
        )
    path = Path(path)
    name = type(fitted).__name__
    board = getattr(fitted, "leaderboard_", None)
    model = getattr(fitted, "best_estimator_", None)
    if model is None and board is None:
        model = fitted  # a plain fitted estimator
    left_out = []
    sections = []

    # -- summary ---------------------------------------------------------------
    summary = []
    scoring = getattr(fitted, "scoring_", None)
    if board is not None and len(board):
        best = board.iloc[0]
        label = candidate_labels(board.iloc[:1])[0]
        summary.append(
            f"<p>Best candidate: <b>{_esc(label)}</b>, {_esc(scoring or 'score')} "
            f"{_number(best.get('mean_score'))} ± {_number(best.get('std_score'))} "
            f"over {_esc(best.get('n_folds', ''))} folds; {len(board)} candidates "
            "in all.</p>"
        )
    stop = getattr(fitted, "stop_reason_", None)
    if stop:
        summary.append(
            f'<p class="note">The search stopped early ({_esc(stop)}); the '
            "leaderboard ranks what finished.</p>"
        )
    summary.append(_final_model_html(fitted))
    sections.append(("Summary", "".join(summary)))

    # -- leaderboard -----------------------------------------------------------
    if board is not None:
        metric = board.attrs.get("scoring") or scoring or "score"
        parts = [
            f"<p>Cross-validated {_esc(metric)} per candidate, best first (mean "
            "and standard deviation over folds, mean fit time per fold in "
            "seconds).</p>",
            _leaderboard_html(board),
        ]
        try:
            parts.append(_figure_html(plot_cv_scores(board, top=MAX_BOXES), "scores"))
        except Exception as exc:
            left_out.append(f"the per-fold box plots: {exc}")
        sections.append(("Leaderboard", "".join(parts)))
    else:
        left_out.append(
            f"the leaderboard and per-fold box plots: {name} has no leaderboard_ "
            "(only SpotCheck, AutoClassifier and AutoRegressor make one)"
        )

    # -- held-out evaluation ---------------------------------------------------
    if X is not None and model is not None:
        sections.append(
            (
                "Held-out evaluation",
                _evaluation_html(fitted, model, X, y, random_state, left_out),
            )
        )
    else:
        what = (
            "the confusion matrix and ROC curve"
            if is_classification(fitted)
            else "the residual plots"
        )
        left_out.append(
            f"{what}, the held-out score and the permutation importance: they "
            "need held-out data, and none was given; call "
            "write_report(fitted, path, X=X_test, y=y_test) to add them"
        )

    # -- diagnosis of the best net ---------------------------------------------
    nets = fitted_nets(model)
    if diagnosis is not None:
        where = (
            f"From diagnose(): {diagnosis.evidence.get('n_runs', 1)} run(s) on a "
            "train / validation split of the data it was given."
        )
        sections.append(("Diagnosis", _diagnosis_html(diagnosis, where)))
    elif nets:
        label, net = nets[0]
        try:
            found = diagnose(net)
            where = (
                f"The net of the final model ({label}), read from the history of "
                "its refit: learning and validation-loss rules only. For the "
                "train / validation gap and the spread across seeds, run "
                "diagnose(net, X_train, y_train) and pass it as diagnosis=."
            )
            html_ = _diagnosis_html(found, where)
            sections.append(("Diagnosis of the best net", html_))
        except Exception as exc:
            left_out.append(f"the diagnosis of the net {label}: {exc}")
    else:
        reason = "the final model has no neural net"
        if board is not None and "model" in board:
            ranked = [
                (i + 1, m)
                for i, m in enumerate(board["model"].astype(str))
                if m.split("#")[0] == "mlp"
            ]
            if ranked:
                reason += (
                    f" (the best net of the leaderboard, {ranked[0][1]}, ranks "
                    f"{ranked[0][0]} and was not refit)"
                )
        left_out.append(
            f"a diagnosis: {reason}; diagnose(estimator, X_train, y_train) works on "
            "any model, pass its result as diagnosis="
        )

    # -- settings --------------------------------------------------------------
    sections.append(("Settings", _settings_html(fitted)))
    if left_out:
        heading, content = sections[0]
        note = (
            f'<p class="note">{len(left_out)} part(s) could not be shown; '
            '<a href="#not-in-this-report">Not in this report</a> says which '
            "and why.</p>"
        )
        sections[0] = (heading, content + note)
        sections.append(
            (
                "Not in this report",
                "<ul>" + "".join(f"<li>{_esc(t)}</li>" for t in left_out) + "</ul>",
            )
        )

    title = title or f"autodl report: {name}"
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    task = getattr(fitted, "task_", None)
    subtitle = ", ".join(
        p
        for p in (
            f"task {task}" if task else "",
            f"metric {scoring}" if isinstance(scoring, str) else "",
            f"written {stamp}",
        )
        if p
    )
    body = "".join(
        f'<section><h2 id="{_esc(h.lower().replace(" ", "-"))}">{_esc(h)}</h2>'
        f"{content}</section>"
        for h, content in sections
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"{REPORT_MARKER}"
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{_esc(title)}</h1><p class="sub">{_esc(subtitle)}</p>{body}'
        "</body></html>\n"
    )
    atomic_write(path, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    logger.info("wrote %s", path)
    return path
