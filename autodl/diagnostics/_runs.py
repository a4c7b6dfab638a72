"""Fitting clones under several seeds on fixed splits: ``run_variance``."""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import clone, is_classifier
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.metrics import check_scoring
from sklearn.model_selection import (
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
    check_cv,
)
from sklearn.utils import _safe_indexing, check_random_state

from autodl.utils import DEFAULT_SCORING, draw_seed, random_state_params, set_seeds

__all__ = ["RunVariance", "run_variance"]

# share of the rows held out when no cv is given (diagnose and run_variance)
VALIDATION_FRACTION = 0.25


def task_of(estimator, y):
    """``"binary"``, ``"multiclass"`` or ``"regression"``, from the estimator."""
    if is_classifier(estimator):
        return "binary" if np.unique(np.asarray(y)).size <= 2 else "multiclass"
    return "regression"


def scoring_of(estimator, task, scoring=None):
    """(name, scorer): ``scoring`` or autodl's default for the task."""
    if scoring is None:
        scoring = DEFAULT_SCORING[task]
        if scoring == "roc_auc" and not (
            hasattr(estimator, "predict_proba")
            or hasattr(estimator, "decision_function")
        ):
            scoring = "accuracy"
    name = scoring if isinstance(scoring, str) else getattr(scoring, "__name__", None)
    return name or repr(scoring), check_scoring(estimator, scoring=scoring)


def perfect_score(scoring):
    """The best value of a named scikit-learn scorer: 0 for ``neg_*``, else 1.

    ``None`` for a callable scorer, whose range we cannot know.
    """
    if not isinstance(scoring, str):
        return None
    return 0.0 if scoring.startswith("neg_") else 1.0


def skill(score, baseline, perfect):
    """Score on a 0 (the dummy baseline) to 1 (perfect) scale.

    Without a known perfect score, the raw score.
    """
    if perfect is None or baseline is None or not abs(perfect - baseline) > 1e-12:
        return score
    return (score - baseline) / (perfect - baseline)


def seeded_clone(estimator, seed):
    """A clone whose every ``random_state`` parameter is drawn from ``seed``."""
    return set_seeds(clone(estimator), np.random.RandomState(seed))[0]


def run_seeds(estimator, n_runs, rng):
    """``n_runs`` seeds; one when the estimator has no ``random_state`` at all."""
    if not random_state_params(estimator):
        if n_runs > 1:
            warnings.warn(
                f"{type(estimator).__name__} has no random_state parameter, so every "
                "run would be the same; fitting it once (the run-to-run spread is "
                "then unknown).",
                UserWarning,
                stacklevel=3,
            )
        return [draw_seed(rng)]
    return draw_seed(rng, size=n_runs)


def holdout(y, task, seed, fraction=VALIDATION_FRACTION):
    """One shuffled (stratified for classes) train / validation split."""
    n = len(y)
    n_valid = max(2, int(np.ceil(fraction * n)))
    if task != "regression":
        _, counts = np.unique(np.asarray(y), return_counts=True)
        if counts.min() >= 2 and n_valid >= counts.size:
            splitter = StratifiedShuffleSplit(1, test_size=n_valid, random_state=seed)
            return next(splitter.split(np.zeros((n, 1)), y))
    splitter = ShuffleSplit(1, test_size=n_valid, random_state=seed)
    return next(splitter.split(np.zeros((n, 1))))


def cv_splits(cv, y, task, seed):
    """The list of (train, test) index pairs shared by every run."""
    if cv is None:
        return [holdout(y, task, seed)]
    if isinstance(cv, int | np.integer):
        cls = StratifiedKFold if task != "regression" else KFold
        splitter = cls(int(cv), shuffle=True, random_state=seed)
    else:
        splitter = check_cv(cv, y, classifier=task != "regression")
    return list(splitter.split(np.zeros((len(y), 1)), y))


def baseline_score(task, scorer, X_train, y_train, X_valid, y_valid):
    """The score of a prior / mean predictor on the same split."""
    dummy = DummyRegressor() if task == "regression" else DummyClassifier()
    dummy.fit(X_train, y_train)
    try:
        return float(scorer(dummy, X_valid, y_valid))
    except Exception:  # a scorer the dummy cannot serve
        return None


def fit_and_score(estimator, X, y, train, test, scorer, train_score=False):
    """Fit on ``train`` and score on ``test``: a dict with the fitted model."""
    X_train, y_train = _safe_indexing(X, train), _safe_indexing(y, train)
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)
    with warnings.catch_warnings():
        # e.g. a net that says it diverged: the diagnosis reports it
        warnings.simplefilter("ignore", UserWarning)
        estimator.fit(X_train, y_train)
    result = {
        "model": estimator,
        "valid_score": float(scorer(estimator, X_test, y_test)),
        "prediction": np.asarray(estimator.predict(X_test)),
    }
    if train_score:
        result["train_score"] = float(scorer(estimator, X_train, y_train))
    return result


def prediction_spread(predictions, task, y_scale=None):
    """How much the runs' predictions of the same rows differ.

    For classes, the share of rows on which the runs do not all agree; for
    regression, the mean over rows of the predictions' standard deviation across
    runs, over ``y_scale`` (the target's standard deviation).
    """
    predictions = np.asarray(predictions)
    if predictions.shape[0] < 2:
        return np.nan
    if task != "regression":
        return float(np.mean((predictions != predictions[0]).any(axis=0)))
    spread = predictions.astype(float).std(axis=0, ddof=1).mean()
    return float(spread / y_scale) if y_scale else float(spread)


@dataclass
class RunVariance:
    """What :func:`run_variance` measured: scores and predictions per seed.

    Attributes
    ----------
    scores : pandas.DataFrame
        One row per run: ``seed``, ``split{i}_score`` per fold, ``mean_score``.
    mean_score : float
        Mean of the runs' mean scores.
    std_score : float
        Standard deviation (ddof=1) of the runs' mean scores: the run-to-run
        spread. NaN with a single run.
    fold_std : float
        Mean over runs of the standard deviation across folds, for comparison
        (NaN with a single split).
    prediction_spread : float
        Classification: the share of rows whose predicted class differs between
        runs. Regression: mean over rows of the standard deviation of the
        predictions across runs, over the standard deviation of ``y``.
    predictions : ndarray of shape (n_runs, n_rows)
        Every run's predictions of the held-out rows, in the order of ``rows``.
    rows : ndarray of int
        Positions (in ``X``) of the held-out rows, fold after fold.
    scoring : str
        The metric.
    task : str
        ``"binary"``, ``"multiclass"`` or ``"regression"``.
    """

    scores: pd.DataFrame
    mean_score: float
    std_score: float
    fold_std: float
    prediction_spread: float
    predictions: np.ndarray = field(repr=False)
    rows: np.ndarray = field(repr=False)
    scoring: str = ""
    task: str = ""

    def __str__(self):
        n_runs = len(self.scores)
        n_folds = sum(c.startswith("split") for c in self.scores)
        what = (
            "share of rows predicted differently"
            if self.task != "regression"
            else "spread of predictions / std(y)"
        )
        return "\n".join(
            [
                f"{n_runs} runs x {n_folds} split(s), {self.scoring}:",
                f"  mean score            {self.mean_score:.4f}",
                f"  run-to-run std        {self.std_score:.4f}",
                f"  fold-to-fold std      {self.fold_std:.4f}",
                f"  {what:<21} {self.prediction_spread:.4f}",
            ]
        )


def run_variance(estimator, X, y, n_runs=5, cv=None, random_state=None, scoring=None):
    """Fit the estimator under ``n_runs`` seeds and measure how much results vary.

    Every run uses the same splits; only the estimator's own randomness changes
    (every ``random_state`` parameter, nested ones in pipelines included, is set
    from the run's seed). The run-to-run spread is the "prediction problem" of
    TOOLBOX.md section 5: when it is large, average several models
    (``SeedEnsemble``, ``SnapshotEnsemble``, voting) rather than trusting one.

    Parameters
    ----------
    estimator : estimator
        Any scikit-learn estimator (unfitted; clones are fitted).
    X : array-like or DataFrame of shape (n_samples, n_features)
        Input.
    y : array-like of shape (n_samples,)
        Target.
    n_runs : int, default=5
        Number of seeds. An estimator without ``random_state`` runs once, with a
        warning.
    cv : None, int or cross-validation splitter, default=None
        ``None`` holds out 25% of the rows once (stratified for classifiers); an
        int is that many shuffled (stratified) folds.
    random_state : int, RandomState instance or None, default=None
        Seeds the split and the runs' seeds.
    scoring : str or callable, default=None
        A scikit-learn scorer; ``None`` is ROC AUC for binary targets (accuracy
        without probabilities), balanced accuracy for multiclass and R² for
        regression, as in ``SpotCheck``.

    Returns
    -------
    result : RunVariance
        ``scores`` per run and fold, ``mean_score``, ``std_score`` (across runs),
        ``fold_std``, ``prediction_spread`` and every run's ``predictions``.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from autodl.diagnostics import run_variance
    >>> X, y = make_moons(200, noise=0.3, random_state=0)
    >>> rv = run_variance(RandomForestClassifier(n_estimators=3), X, y, n_runs=3,
    ...                   random_state=0)
    >>> rv.scores.shape[0], rv.std_score > 0
    (3, True)
    """
    if not isinstance(n_runs, int | np.integer) or n_runs < 1:
        raise ValueError(f"n_runs={n_runs!r} is not supported; use an integer >= 1.")
    y = np.asarray(y)
    task = task_of(estimator, y)
    rng = check_random_state(random_state)
    splits = cv_splits(cv, y, task, draw_seed(rng))
    seeds = run_seeds(estimator, n_runs, rng)
    name, scorer = scoring_of(estimator, task, scoring)
    rows, predictions = [], []
    for seed in seeds:
        results = [
            fit_and_score(seeded_clone(estimator, seed), X, y, train, test, scorer)
            for train, test in splits
        ]
        scores = [r["valid_score"] for r in results]
        rows.append(
            {
                "seed": seed,
                **{f"split{i}_score": s for i, s in enumerate(scores)},
                "mean_score": float(np.mean(scores)),
            }
        )
        predictions.append(np.concatenate([r["prediction"] for r in results]))
    table = pd.DataFrame(rows)
    split_columns = [c for c in table if c.startswith("split")]
    y_scale = float(np.std(y)) if task == "regression" else None
    return RunVariance(
        scores=table,
        mean_score=float(table["mean_score"].mean()),
        std_score=float(table["mean_score"].std(ddof=1)) if len(table) > 1 else np.nan,
        fold_std=float(table[split_columns].std(axis=1, ddof=1).mean())
        if len(split_columns) > 1
        else np.nan,
        prediction_spread=prediction_spread(predictions, task, y_scale),
        predictions=np.asarray(predictions),
        rows=np.concatenate([test for _, test in splits]),
        scoring=name,
        task=task,
    )
