"""Plots for model selection: per-fold scores, errors, importance.

Each function returns a matplotlib Figure and takes ``ax`` to draw into an
existing one; scikit-learn's display classes do the drawing where they exist.
"""

import numpy as np
import pandas as pd
from sklearn.base import is_classifier

__all__ = [
    "plot_confusion_matrix",
    "plot_cv_scores",
    "plot_permutation_importance",
    "plot_residuals",
    "plot_roc_curve",
]

# at most this many classes get their own one-vs-rest ROC curve
_MAX_ROC_CLASSES = 10


def _new_axes(ax, figsize, ncols=1):
    import matplotlib.pyplot as plt

    if ax is not None:
        first = ax[0] if isinstance(ax, list | tuple | np.ndarray) else ax
        return first.figure, ax
    fig, ax = plt.subplots(1, ncols, figsize=figsize)
    return fig, ax


def _horizontal_boxes(ax, data):
    """Horizontal box plots (``orientation`` is matplotlib >= 3.10, ``vert`` before)."""
    try:
        return ax.boxplot(data, orientation="horizontal", widths=0.6)
    except TypeError:
        return ax.boxplot(data, vert=False, widths=0.6)


def leaderboard_of(fitted):
    """The leaderboard DataFrame of a fitted SpotCheck / AutoClassifier, or itself."""
    if isinstance(fitted, pd.DataFrame):
        return fitted
    board = getattr(fitted, "leaderboard_", None)
    if board is None:
        raise TypeError(
            f"{type(fitted).__name__} has no leaderboard_; pass a fitted SpotCheck, "
            "AutoClassifier or AutoRegressor, or their leaderboard_ DataFrame."
        )
    return board


def candidate_labels(board):
    """``model`` or ``model / view`` when the leaderboard has several views."""
    if "view" in board and board["view"].nunique() > 1:
        return (board["model"].astype(str) + " / " + board["view"].astype(str)).tolist()
    return board["model"].astype(str).tolist()


def plot_cv_scores(fitted, top=15, ax=None):
    """Box plots of the per-fold scores of every candidate, best on top.

    The classic spot-check picture: the mean says which model ranks first, the
    boxes say whether the difference is larger than the spread over folds.

    Parameters
    ----------
    fitted : fitted SpotCheck, AutoClassifier, AutoRegressor or DataFrame
        Anything with a ``leaderboard_`` (``split{i}_score`` columns), or the
        leaderboard itself.
    top : int, default=15
        Show the best ``top`` candidates that were scored on every fold.
    ax : matplotlib Axes, default=None
        Where to draw; ``None`` makes a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from autodl.datasets import load_demo
    >>> from autodl.spotcheck import SpotCheck
    >>> from autodl.diagnostics import plot_cv_scores
    >>> X, y = load_demo()
    >>> spot = SpotCheck(models=[("bayes", GaussianNB()),
    ...                          ("tree", DecisionTreeClassifier(random_state=0))],
    ...                  views=[("raw", None)], cv=3, random_state=0).fit(X, y)
    >>> fig = plot_cv_scores(spot)
    """
    board = leaderboard_of(fitted)
    folds = [c for c in board if c.startswith("split") and c.endswith("_score")]
    ok = board["status"] == "ok" if "status" in board else np.ones(len(board), bool)
    board = board[ok].head(top)
    if board.empty or not folds:
        raise ValueError(
            "The leaderboard has no candidate scored on every fold (or no "
            "split{i}_score columns); nothing to plot."
        )
    scores = [row[folds].to_numpy(dtype=float) for _, row in board.iterrows()]
    labels = candidate_labels(board)
    fig, ax = _new_axes(ax, (7, 0.8 + 0.42 * len(labels)))
    # best on top: matplotlib draws the first box at the bottom
    _horizontal_boxes(ax, scores[::-1])
    ax.set_yticks(range(1, len(labels) + 1), labels[::-1])
    means = [s.mean() for s in scores[::-1]]
    ax.plot(means, range(1, len(labels) + 1), "D", color="C1", ms=4, label="mean")
    metric = board.attrs.get("scoring") or getattr(fitted, "scoring_", None) or "score"
    ax.set(xlabel=f"{metric} per fold", title="cross-validated scores")
    ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    return fig


def _scores(estimator, X):
    """Per-class scores (probabilities or decision values), or None."""
    if hasattr(estimator, "predict_proba"):
        try:
            return np.asarray(estimator.predict_proba(X))
        except (AttributeError, NotImplementedError):
            pass
    if hasattr(estimator, "decision_function"):
        scores = np.asarray(estimator.decision_function(X))
        return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores
    return None


def plot_confusion_matrix(estimator, X, y, normalize=None, ax=None):
    """The confusion matrix of a fitted classifier on ``X``, ``y``.

    Parameters
    ----------
    estimator : fitted classifier
        Anything with ``predict``.
    X : array-like or DataFrame
        Held-out input.
    y : array-like
        True labels.
    normalize : {None, "true", "pred", "all"}, default=None
        As in scikit-learn's ``confusion_matrix``; ``"true"`` shows recall per
        class on the diagonal.
    ax : matplotlib Axes, default=None

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    fig, ax = _new_axes(ax, (4.8, 4.2))
    labels = getattr(estimator, "classes_", None)
    ConfusionMatrixDisplay.from_predictions(
        y,
        estimator.predict(X),
        labels=labels,
        normalize=normalize,
        ax=ax,
        colorbar=False,
        values_format=".2f" if normalize else "d",
    )
    ax.set_title("confusion matrix")
    fig.tight_layout()
    return fig


def plot_roc_curve(estimator, X, y, ax=None):
    """ROC curve of a fitted classifier; one-vs-rest curves for several classes.

    Parameters
    ----------
    estimator : fitted classifier
        With ``predict_proba`` or ``decision_function``.
    X : array-like or DataFrame
        Held-out input.
    y : array-like
        True labels.
    ax : matplotlib Axes, default=None

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    from sklearn.metrics import RocCurveDisplay

    scores = _scores(estimator, X)
    if scores is None:
        raise ValueError(
            f"{type(estimator).__name__} has neither predict_proba nor "
            "decision_function; a ROC curve needs scores, not labels."
        )
    classes = getattr(estimator, "classes_", np.unique(y))
    y = np.asarray(y)
    fig, ax = _new_axes(ax, (4.8, 4.2))
    if len(classes) == 2:
        RocCurveDisplay.from_predictions(
            y,
            scores[:, 1],
            pos_label=classes[1],
            name=f"{classes[1]} vs {classes[0]}",
            ax=ax,
            plot_chance_level=True,
        )
    else:
        for i, label in enumerate(classes[:_MAX_ROC_CLASSES]):
            if not (y == label).any() or (y == label).all():
                continue
            RocCurveDisplay.from_predictions(
                y == label, scores[:, i], name=f"{label} vs rest", ax=ax
            )
        ax.plot([0, 1], [0, 1], "k--", lw=1)
    ax.set_title("ROC curve")
    ax.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    return fig


def plot_residuals(estimator, X, y, ax=None):
    """Actual against predicted values, and residuals against predicted values.

    Parameters
    ----------
    estimator : fitted regressor
    X : array-like or DataFrame
        Held-out input.
    y : array-like
        True targets.
    ax : pair of matplotlib Axes, default=None
        For the two panels; ``None`` makes a new figure.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    from sklearn.metrics import PredictionErrorDisplay

    fig, axes = _new_axes(ax, (9, 4), ncols=2)
    y_pred = np.asarray(estimator.predict(X)).ravel()
    y = np.asarray(y, dtype=float).ravel()
    for panel, kind in zip(
        axes, ("actual_vs_predicted", "residual_vs_predicted"), strict=True
    ):
        PredictionErrorDisplay.from_predictions(
            y, y_pred, kind=kind, ax=panel, random_state=0
        )
    axes[0].set_title("actual vs predicted")
    axes[1].set_title("residuals vs predicted")
    fig.tight_layout()
    return fig


def plot_permutation_importance(
    estimator, X, y, scoring=None, n_repeats=5, top=15, random_state=None, ax=None
):
    """Permutation importance of each input column, as box plots.

    How much the score drops when one column is shuffled (scikit-learn's
    ``permutation_importance``), on held-out data, so it shows what the model
    relies on rather than what it memorised.

    Parameters
    ----------
    estimator : fitted estimator
    X : array-like or DataFrame
        Held-out input; DataFrame column names label the boxes.
    y : array-like
        Held-out target.
    scoring : str or callable, default=None
        The score whose drop is measured; ``None`` is the estimator's ``score``.
    n_repeats : int, default=5
        Shuffles per column.
    top : int, default=15
        Show the ``top`` most important columns.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffles.
    ax : matplotlib Axes, default=None

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    from sklearn.inspection import permutation_importance

    result = permutation_importance(
        estimator,
        X,
        y,
        scoring=scoring,
        n_repeats=n_repeats,
        random_state=random_state,
    )
    names = getattr(X, "columns", None)
    if names is None:
        names = [f"x{i}" for i in range(np.shape(X)[1])]
    names = np.asarray([str(n) for n in names])
    order = np.argsort(result.importances_mean)[::-1][:top]
    fig, ax = _new_axes(ax, (7, 0.8 + 0.35 * len(order)))
    _horizontal_boxes(ax, list(result.importances[order][::-1]))
    ax.set_yticks(range(1, len(order) + 1), names[order][::-1])
    ax.axvline(0, color="k", lw=0.8, ls="--")
    metric = scoring if isinstance(scoring, str) else "score"
    ax.set(xlabel=f"drop in {metric} when the column is shuffled")
    ax.set_title("permutation importance")
    fig.tight_layout()
    return fig


def is_classification(fitted):
    """True for a classifier (or a search whose ``task_`` is a classification)."""
    task = getattr(fitted, "task_", None)
    if task is not None:
        return task != "regression"
    return is_classifier(fitted)
