"""``write_report``: one self-contained HTML file about a fitted search.

The report is assembled from small section functions, each reading what it
shows from the fitted object into plain values (a :class:`Section`); one Jinja2
template, ``templates/report.html``, owns all the HTML and escapes every value.
"""

import base64
import datetime
import functools
import io
import logging
from dataclasses import dataclass, field
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
# characters of the final model's repr
MAX_MODEL_CHARS = 4000
# permutation importance: shuffles per column, and rows used at most
IMPORTANCE_REPEATS = 5
IMPORTANCE_MAX_ROWS = 2000
# fitted attributes listed under "Learned in fit"
FITTED_ATTRIBUTES = (
    "task_",
    "scoring_",
    "n_features_in_",
    "classes_",
    "stop_reason_",
    "fit_time_",
)
LEADERBOARD_COLUMNS = (
    "score",
    "mean_score",
    "std_score",
    "fit_time",
    "validation",
    "n_folds",
    "status",
)


# -- the values the template reads --------------------------------------------------
@dataclass(frozen=True)
class Table:
    """A table: a header and rows of cells (numbers are right-aligned)."""

    header: list
    rows: list


@dataclass(frozen=True)
class Image:
    """A figure as a base64 PNG, embedded in the page."""

    alt: str
    data: str


@dataclass
class Section:
    """One ``<section>`` of the report, or a part that could not be shown.

    ``kind`` names the template macro that draws ``content`` (``None``: nothing
    to draw); ``left_out`` says what could not be shown, and why.
    """

    title: str
    kind: str | None = None
    content: dict = field(default_factory=dict)
    left_out: list = field(default_factory=list)

    @property
    def anchor(self):
        return self.title.lower().replace(" ", "-")


def _image(fig, alt):
    """The figure as an :class:`Image`; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return Image(alt, base64.b64encode(buffer.getvalue()).decode("ascii"))


def _clip(text, limit):
    return text[:limit] + " ..." if len(text) > limit else text


def _is_numeric(cell):
    return isinstance(cell, int | float | np.integer | np.floating)


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


def _cell(value):
    """A table cell's text: numbers as :func:`_number`, ``None`` empty."""
    if _is_numeric(value):
        return _number(value)
    return "" if value is None else str(value)


# -- the sections ---------------------------------------------------------------------
def _summary(fitted, board):
    """The best candidate, an early stop, the final model and its weights."""
    best = None
    if board is not None and len(board):
        top = board.iloc[0]
        best = {
            "label": candidate_labels(board.iloc[:1])[0],
            "metric": getattr(fitted, "scoring_", None) or "score",
            "mean": top.get("mean_score"),
            "std": top.get("std_score"),
            "n_folds": top.get("n_folds", ""),
            "n_candidates": len(board),
        }
    weights = getattr(fitted, "ensemble_weights_", None)
    model = getattr(fitted, "best_estimator_", None)
    content = {
        "best": best,
        "stop_reason": getattr(fitted, "stop_reason_", None),
        "weights": (
            Table(["member", "weight"], [[n, float(w)] for n, w in weights.items()])
            if weights
            else None
        ),
        "model": None if model is None else _clip(repr(model), MAX_MODEL_CHARS),
    }
    return Section("Summary", "summary", content)


def _leaderboard_table(board):
    """The leaderboard's first rows: rank, candidate, scores, params, errors."""
    board = board.reset_index(drop=True)
    labels = candidate_labels(board) if "model" in board else list(board.index)
    columns = [c for c in LEADERBOARD_COLUMNS if c in board]
    show_params = "params" in board and any(bool(p) for p in board["params"])
    show_errors = "error" in board and board["error"].notna().any()
    header = ["rank", "candidate", *columns]
    header += ["params"] if show_params else []
    header += ["error"] if show_errors else []
    rows = []
    for i, row in board.head(MAX_LEADERBOARD_ROWS).iterrows():
        cells = [i + 1, labels[i], *[row[c] for c in columns]]
        if show_params:
            params = (row["params"] or {}).items()
            cells.append(", ".join(f"{k}={v!r}" for k, v in params))
        if show_errors:
            cells.append(row["error"] or "")
        rows.append(cells)
    return Table(header, rows)


def _leaderboard(fitted, board):
    """The leaderboard table and the box plots of the per-fold scores."""
    if board is None:
        return Section(
            "Leaderboard",
            left_out=[
                f"the leaderboard and per-fold box plots: {type(fitted).__name__} "
                "has no leaderboard_ (only SpotCheck, AutoClassifier and "
                "AutoRegressor make one)"
            ],
        )
    section = Section("Leaderboard", "leaderboard")
    section.content = {
        "metric": board.attrs.get("scoring")
        or getattr(fitted, "scoring_", None)
        or "score",
        "table": _leaderboard_table(board),
        "n_more": len(board) - MAX_LEADERBOARD_ROWS,
        "scores": None,
    }
    try:
        fig = plot_cv_scores(board, top=MAX_BOXES)
        section.content["scores"] = _image(fig, "scores")
    except Exception as exc:
        section.left_out.append(f"the per-fold box plots: {exc}")
    return section


def _evaluation(fitted, model, X, y, random_state):
    """Held-out score, error plots and permutation importance of the final model."""
    if X is None or model is None:
        what = (
            "the confusion matrix and ROC curve"
            if is_classification(fitted)
            else "the residual plots"
        )
        note = (
            f"{what}, the held-out score and the permutation importance: they "
            "need held-out data, and none was given; call "
            "write_report(fitted, path, X=X_test, y=y_test) to add them"
        )
        return Section("Held-out evaluation", left_out=[note])
    section = Section("Held-out evaluation", "evaluation")
    scoring = getattr(fitted, "scoring_", None)
    section.content = {
        "score": _held_out_score(model, X, y, scoring, section.left_out),
        "plots": _error_plots(fitted, model, X, y, section.left_out),
        "importance": _importance(model, X, y, scoring, random_state, section.left_out),
    }
    return section


def _held_out_score(model, X, y, scoring, left_out):
    try:
        scorer = check_scoring(model, scoring=scoring)
        value = float(scorer(model, X, y))
    except Exception as exc:
        left_out.append(f"the held-out score: {exc}")
        return None
    metric = scoring if isinstance(scoring, str) else "score"
    return {"metric": metric, "n_rows": len(y), "value": value}


def _error_plots(fitted, model, X, y, left_out):
    """Confusion matrix and ROC curve (classifiers), or residuals (regressors)."""
    plots = (
        [(plot_confusion_matrix, "confusion matrix"), (plot_roc_curve, "ROC curve")]
        if is_classification(fitted)
        else [(plot_residuals, "residuals")]
    )
    images = []
    for plot, alt in plots:
        try:
            images.append(_image(plot(model, X, y), alt))
        except Exception as exc:  # e.g. no probabilities for a ROC curve
            left_out.append(f"the {alt}: {exc}")
    return images


def _importance(model, X, y, scoring, random_state, left_out):
    """Permutation importance on at most IMPORTANCE_MAX_ROWS of the rows given."""
    rows = np.arange(len(y))
    if len(rows) > IMPORTANCE_MAX_ROWS:
        rows = np.random.RandomState(random_state).choice(
            rows, IMPORTANCE_MAX_ROWS, replace=False
        )
    X_imp = X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]
    try:
        fig = plot_permutation_importance(
            model,
            X_imp,
            np.asarray(y)[rows],
            scoring=scoring,
            n_repeats=IMPORTANCE_REPEATS,
            random_state=random_state,
        )
    except Exception as exc:
        left_out.append(f"the permutation importance: {exc}")
        return None
    return {
        "metric": scoring or "score",
        "repeats": IMPORTANCE_REPEATS,
        "n_rows": len(rows),
        "image": _image(fig, "permutation importance"),
    }


def _diagnosis(diagnosis, model, board):
    """The diagnosis given, or that of the best net of the final model."""
    if diagnosis is not None:
        where = (
            f"From diagnose(): {diagnosis.evidence.get('n_runs', 1)} run(s) on a "
            "train / validation split of the data it was given."
        )
        return Section("Diagnosis", "diagnosis", _diagnosis_content(diagnosis, where))
    nets = fitted_nets(model)
    if not nets:
        return Section("Diagnosis", left_out=[_no_net_note(board)])
    label, net = nets[0]
    try:
        found = diagnose(net)
    except Exception as exc:
        return Section(
            "Diagnosis", left_out=[f"the diagnosis of the net {label}: {exc}"]
        )
    where = (
        f"The net of the final model ({label}), read from the history of "
        "its refit: learning and validation-loss rules only. For the "
        "train / validation gap and the spread across seeds, run "
        "diagnose(net, X_train, y_train) and pass it as diagnosis=."
    )
    content = _diagnosis_content(found, where)
    return Section("Diagnosis of the best net", "diagnosis", content)


def _diagnosis_content(diagnosis, where):
    """What the template shows of a Diagnosis: verdict, advice, curves, evidence."""
    content = {
        "diagnosis": diagnosis,
        "where": where,
        "curves": None,
        "plot_error": None,
        "evidence": Table(
            ["evidence", "value"], [[k, v] for k, v in diagnosis.evidence.items()]
        ),
    }
    try:
        content["curves"] = _image(diagnosis.plot(), "learning curves")
    except Exception as exc:  # a plot must not sink the report
        content["plot_error"] = exc
    return content


def _no_net_note(board):
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
    return (
        f"a diagnosis: {reason}; diagnose(estimator, X_train, y_train) works on "
        "any model, pass its result as diagnosis="
    )


def _settings(fitted):
    """The parameters, what fit learned, and the library versions."""
    try:
        params = fitted.get_params(deep=False)
    except Exception:  # not an estimator
        params = {}
    rows = [[key, _clip(repr(value), MAX_PARAM_CHARS)] for key, value in params.items()]
    learned = []
    for attr in FITTED_ATTRIBUTES:
        value = getattr(fitted, attr, None)
        if value is None:
            continue
        if isinstance(value, np.ndarray):
            more = " ..." if len(value) > 20 else ""
            value = ", ".join(map(str, value[:20])) + more
        elif callable(value):
            value = getattr(value, "__name__", repr(value))
        learned.append([attr, value])
    content = {
        "name": type(fitted).__name__,
        "params": Table(["parameter", "value"], rows) if rows else None,
        "learned": Table(["attribute", "value"], learned) if learned else None,
        "versions": _versions(),
    }
    return Section("Settings", "settings", content)


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


def _subtitle(fitted):
    task = getattr(fitted, "task_", None)
    scoring = getattr(fitted, "scoring_", None)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    parts = (
        f"task {task}" if task else "",
        f"metric {scoring}" if isinstance(scoring, str) else "",
        f"written {stamp}",
    )
    return ", ".join(p for p in parts if p)


# -- the page -------------------------------------------------------------------------
@functools.cache
def _template():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("autodl.diagnostics", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _cell
    env.filters["number"] = _number
    env.tests["numeric"] = _is_numeric
    return env.get_template("report.html")


def _page(fitted, X, y, diagnosis, title, random_state):
    """The report's HTML: every section, in order, through the template."""
    board = getattr(fitted, "leaderboard_", None)
    model = getattr(fitted, "best_estimator_", None)
    if model is None and board is None:
        model = fitted  # a plain fitted estimator
    sections = [
        _summary(fitted, board),
        _leaderboard(fitted, board),
        _evaluation(fitted, model, X, y, random_state),
        _diagnosis(diagnosis, model, board),
        _settings(fitted),
    ]
    return _template().render(
        marker=REPORT_MARKER,
        title=title or f"autodl report: {type(fitted).__name__}",
        subtitle=_subtitle(fitted),
        sections=[s for s in sections if s.kind is not None],
        left_out=[text for s in sections for text in s.left_out],
    )


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
    page = _page(fitted, X, y, diagnosis, title, random_state)
    atomic_write(path, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    logger.info("wrote %s", path)
    return path
