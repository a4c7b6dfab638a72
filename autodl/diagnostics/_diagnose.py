"""``diagnose``: is it a learning, a generalization or a prediction problem?

The rules are deliberately simple; every threshold is a named constant below and
docs/diagnostics.md states each rule. Scores are compared on a *skill* scale:
0 is a dummy model (class priors, or the mean) on the same split, 1 is a perfect
score, so one threshold serves accuracy, ROC AUC and R² alike.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import learning_curve as sklearn_learning_curve
from sklearn.utils import _safe_indexing, check_random_state

from autodl.diagnostics._curves import learning_curves
from autodl.diagnostics._evidence import Evidence
from autodl.diagnostics._runs import (
    baseline_score,
    fit_and_score,
    holdout,
    perfect_score,
    prediction_spread,
    run_seeds,
    scoring_of,
    seeded_clone,
    skill,
    task_of,
)
from autodl.utils import draw_seed, find_net

__all__ = ["Diagnosis", "diagnose"]

# -- thresholds of the rules ---------------------------------------------------
# learning: the training loss barely falls (last epoch / first epoch above this)
LEARNING_LOSS_RATIO = 0.9
# learning: the training loss stays high (last epoch / loss of predicting the
# class priors, or the mean, above this)
LEARNING_PRIOR_RATIO = 0.9
# learning: the model fits its own training rows poorly (training skill below)
LEARNING_MIN_TRAIN_SKILL = 0.4
# ... but a net whose training skill is at least this has nothing left to learn,
# however flat its loss (it learnt everything in the first epoch)
LEARNING_FITTED_SKILL = 0.9
# learning: stopped while still improving, when a run used every one of its
# max_epochs, its training loss still fell by more than LEARNING_STILL_FALLING
# of its first-epoch value per epoch over the last LEARNING_TAIL_SHARE of the
# epochs (at least 3), and the monitored loss (validation, else training) was
# lowest within those epochs (not when the training skill is already
# LEARNING_FITTED_SKILL or more)
LEARNING_TAIL_SHARE = 0.1
LEARNING_STILL_FALLING = 0.005
# generalization: the validation loss ends this fraction above its minimum ...
GENERALIZATION_VALID_RISE = 0.2
# ... while the training loss fell by at least this fraction after that minimum
GENERALIZATION_TRAIN_DROP = 0.1
# generalization: training skill minus validation skill above this
GENERALIZATION_SKILL_GAP = 0.2
# prediction: standard deviation of the validation skill across seeds above this
PREDICTION_SKILL_STD = 0.05
# non-net estimators: training-set sizes of scikit-learn's learning curve
LEARNING_CURVE_SIZES = (0.1, 0.325, 0.55, 0.775, 1.0)

PROBLEMS = ("learning", "generalization", "prediction")


@dataclass
class Diagnosis:
    """The verdict of :func:`diagnose`, the numbers behind it and what to try.

    Attributes
    ----------
    problem : {"learning", "generalization", "prediction"} or None
        The first problem found, in that order (a model that cannot fit its
        training data has nothing to generalise yet; a spread across seeds
        matters once both are fine). ``None``: no rule fired.
    evidence : Evidence
        The numbers the rules read (medians over runs for per-epoch values,
        means for scores), one typed field each; it also reads as the mapping
        of the numbers that apply (``evidence["train_skill"]``,
        ``evidence.to_dict()``). docs/diagnostics.md describes each number.
    advice : list of str
        Concrete interventions for ``problem``, naming the autodl parameters or
        estimators to change (TOOLBOX.md sections 3-5).
    findings : list of str
        Every rule that fired, in words, the verdict's first.
    runs : pandas.DataFrame or None
        One row per seed: scores and, for nets, the per-run curve numbers.
    curves : list of pandas.DataFrame
        Per run, :func:`learning_curves` of the fitted net; for other estimators
        one table of scikit-learn's learning curve (``train_size``,
        ``train_score``, ``valid_score``).
    source : {"history", "learning_curve", "history_only"}
        Where the curve evidence comes from.
    estimator_name : str
        The class name of the estimator (of its net, for a pipeline with one).
    scoring : str or None
        The metric of the scores.
    """

    problem: str | None
    evidence: Evidence
    advice: list
    findings: list = field(default_factory=list)
    runs: pd.DataFrame | None = field(default=None, repr=False)
    curves: list = field(default_factory=list, repr=False)
    source: str = "history"
    estimator_name: str = ""
    scoring: str | None = None

    def __post_init__(self):
        if not isinstance(self.evidence, Evidence):  # a dict, as before Evidence
            self.evidence = Evidence(**self.evidence)

    def __str__(self):
        verdict = f"{self.problem} problem" if self.problem else "no problem found"
        lines = [f"{self.estimator_name}: {verdict}"]
        lines += [f"  - {text}" for text in self.findings]
        how = f"{self.source}, {self.evidence.n_runs} run(s)"
        if self.scoring:
            how += f", scores are {self.scoring}"
        lines.append(f"evidence ({how}):")
        for key, value in self.evidence.items():
            if key != "n_runs":
                lines.append(f"  {key:<26} {_format(value)}")
        lines.append("advice:")
        lines += [f"  {i}. {text}" for i, text in enumerate(self.advice, 1)]
        return "\n".join(lines)

    def plot(self, ax=None):
        """The curves behind the diagnosis, as a matplotlib Figure.

        For nets, :func:`plot_learning_curves` of every run; for other
        estimators, training and validation score against training-set size.

        Parameters
        ----------
        ax : matplotlib Axes (a pair for nets), default=None
            Where to draw; ``None`` makes a new figure.

        Returns
        -------
        fig : matplotlib.figure.Figure
        """
        from autodl.diagnostics._curves import plot_learning_curves

        if self.source != "learning_curve":
            curves = self.curves
            if len(curves) > 1:
                curves = {f"run {i + 1}": c for i, c in enumerate(curves)}
            return plot_learning_curves(curves, ax=ax)
        import matplotlib.pyplot as plt

        table = self.curves[0]
        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 3.8))
        fig = ax.figure
        ax.plot(table["train_size"], table["train_score"], "o-", label="train")
        ax.plot(table["train_size"], table["valid_score"], "o--", label="validation")
        ax.set(
            xlabel="training rows",
            ylabel=self.scoring or "score",
            title=f"{self.estimator_name}: learning curve",
        )
        ax.legend(fontsize="small")
        fig.tight_layout()
        return fig


def _format(value):
    if value is None:
        return "-"
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return f"{value:.4g}" if np.isfinite(value) else str(value)
    return str(value)


def _is_autodl(net):
    return type(net).__module__.startswith("autodl.neural")


# -- per-run curve numbers -----------------------------------------------------
def _curve_numbers(curves, max_epochs=None):
    """The per-epoch evidence of one net's learning curves (a row of ``runs``)."""
    train = curves["train_loss"].to_numpy(dtype=float)
    diverged = not np.isfinite(train).all()
    numbers = {
        "initial_train_loss": float(train[0]),
        "final_train_loss": float(train[-1]),
        "train_loss_ratio": np.inf if diverged else _ratio(train[-1], train[0]),
        "epochs_run": len(train),
        "diverged": diverged,
    }
    valid = None
    if "valid_loss" in curves and np.isfinite(curves["valid_loss"]).any():
        valid = curves["valid_loss"].to_numpy(dtype=float)
    numbers.update(_tail_numbers(train, valid, max_epochs))
    if valid is not None:
        numbers.update(_valid_numbers(train, valid, curves.index))
    return numbers


def _ratio(last, first):
    return float(last / first) if first > 0 else np.nan


def _lowest(values):
    """The index of the smallest finite value."""
    return int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))


def _tail_numbers(train, valid, max_epochs):
    """Was the net still improving when its epochs ran out?"""
    n = len(train)
    tail = max(3, int(np.ceil(LEARNING_TAIL_SHARE * n)))
    tail_drop = np.nan
    if n > tail and np.isfinite(train[-tail - 1 :]).all() and train[0] > 0:
        tail_drop = float((train[-tail - 1] - train[-1]) / train[0] / tail)
    lowest = _lowest(valid if valid is not None else train)
    improving = bool(
        max_epochs is not None
        and n >= max_epochs
        and tail_drop > LEARNING_STILL_FALLING
        and lowest >= n - tail
    )
    return {"tail_loss_fall_per_epoch": tail_drop, "stopped_while_improving": improving}


def _valid_numbers(train, valid, epochs):
    """The validation loss's minimum, its rise and when the gap opened."""
    best = _lowest(valid)
    low, last = valid[best], valid[-1]
    if not np.isfinite(last):
        rise = np.inf
    elif low > 0:
        rise = (last - low) / low
    else:
        rise = np.inf if last > low else 0.0
    at_best = train[best]
    opened = None
    if rise > GENERALIZATION_VALID_RISE:
        above = ~(valid <= low * (1 + GENERALIZATION_VALID_RISE))
        # the first epoch after the minimum from which validation stays above
        opened = next(
            (int(epochs[i]) for i in range(best + 1, len(valid)) if above[i:].all()),
            None,
        )
    return {
        "min_valid_loss": float(low),
        "final_valid_loss": float(last),
        "valid_loss_rise": float(rise),
        "valid_min_epoch": int(epochs[best]),
        "gap_opened_epoch": opened,
        "train_loss_at_valid_min": float(at_best),
        "train_loss_drop_after_min": (
            float((at_best - train[-1]) / at_best) if at_best > 0 else 0.0
        ),
    }


def _prior_loss(net, y):
    """The training loss of a net that predicts only the priors (or the mean)."""
    y = np.asarray(y)
    if hasattr(net, "classes_"):
        _, counts = np.unique(y, return_counts=True)
        p = counts / counts.sum()
        return float(-(p * np.log(p)).sum())
    loss = getattr(net, "loss", "mse")
    y2 = y.reshape(len(y), -1).astype(float)
    scale = y2.std(axis=0)
    z = (y2 - y2.mean(axis=0)) / np.where(scale > 0, scale, 1.0)
    if loss == "mae":
        return float(np.abs(z).mean())
    if loss == "huber":
        a = np.abs(z)
        return float(np.where(a <= 1, 0.5 * z**2, a - 0.5).mean())
    return float((z**2).mean())


def _add_train_metric(estimator, task):
    """Record a training score per epoch in the autodl net inside ``estimator``.

    skorch records the validation metric only; this appends an ``EpochScoring``
    on the training batches (``train_acc`` or ``train_r2``) to the net's
    ``callbacks``. It scores the predictions cached during the epoch, so
    training itself is unchanged.
    """
    net, _ = find_net(estimator)
    if net is None or not _is_autodl(net):
        return
    from skorch.callbacks import EpochScoring

    scoring, name = (
        ("r2", "train_r2") if task == "regression" else ("accuracy", "train_acc")
    )
    existing = list(net.callbacks or [])
    if name in {item[0] for item in existing if isinstance(item, tuple)}:
        return
    callback = EpochScoring(scoring, lower_is_better=False, on_train=True, name=name)
    net.set_params(callbacks=[*existing, (name, callback)])


# -- the rules -----------------------------------------------------------------
# Each rule reads the Evidence (and the task) and returns its finding, or None.
def _fitted(ev):
    """A net that fits its training rows this well has nothing left to learn."""
    return ev.train_skill is not None and ev.train_skill >= LEARNING_FITTED_SKILL


def _diverged(ev, task):
    if ev.diverged:
        return "the training loss diverged (infinite or NaN)"


def _loss_barely_fell(ev, task):
    ratio = ev.train_loss_ratio
    if ratio is not None and ratio > LEARNING_LOSS_RATIO and not _fitted(ev):
        return (
            "the training loss barely fell: "
            f"{_format(ev.initial_train_loss)} in the first epoch, "
            f"{_format(ev.final_train_loss)} in the last (ratio "
            f"{ratio:.2f} > {LEARNING_LOSS_RATIO})"
        )


def _loss_stays_high(ev, task):
    prior = ev.final_to_prior_loss
    if prior is not None and prior > LEARNING_PRIOR_RATIO:
        what = "mean" if task == "regression" else "class priors"
        return (
            "the training loss stays high: "
            f"{_format(ev.final_train_loss)} against "
            f"{_format(ev.prior_loss)} for predicting only the {what} "
            f"(ratio {prior:.2f} > {LEARNING_PRIOR_RATIO})"
        )


def _still_improving(ev, task):
    improving = ev.stopped_while_improving
    if improving is not None and improving >= 0.5 and not _fitted(ev):
        return (
            "it was still learning when max_epochs ran out: over the last "
            f"{LEARNING_TAIL_SHARE:.0%} of the epochs the training loss fell "
            f"{ev.tail_loss_fall_per_epoch:.1%} of its first-epoch value "
            f"per epoch (> {LEARNING_STILL_FALLING:.1%}) and the monitored loss "
            "was lowest there"
            + (f" (in {improving:.0%} of the runs)" if improving < 1 else "")
        )


def _fits_poorly(ev, task):
    train_skill = ev.train_skill
    if train_skill is not None and train_skill < LEARNING_MIN_TRAIN_SKILL:
        return (
            "it fits its own training rows poorly: training skill "
            f"{train_skill:.2f} < {LEARNING_MIN_TRAIN_SKILL} (train score "
            f"{_format(ev.train_score)}, dummy "
            f"{_format(ev.baseline_score)})"
        )


def _valid_loss_rose(ev, task):
    rise, drop = ev.valid_loss_rise, ev.train_loss_drop_after_min
    if (
        not ev.restores_best_epoch
        and rise is not None
        and rise > GENERALIZATION_VALID_RISE
        and drop is not None
        and drop > GENERALIZATION_TRAIN_DROP
    ):
        opened = ev.gap_opened_epoch
        return (
            "the validation loss rose while the training loss kept falling: "
            f"lowest {_format(ev.min_valid_loss)} at epoch "
            f"{ev.valid_min_epoch}, {_format(ev.final_valid_loss)} at "
            f"the end (+{rise:.0%} > +{GENERALIZATION_VALID_RISE:.0%}), while "
            f"the training loss went from {_format(ev.train_loss_at_valid_min)}"
            f" to {_format(ev.final_train_loss)} (-{drop:.0%})"
            + (f"; the gap opened at epoch {opened}" if opened else "")
        )


def _skill_gap(ev, task):
    gap = ev.skill_gap
    if gap is not None and gap > GENERALIZATION_SKILL_GAP:
        return (
            f"a large train / validation gap: skill {ev.train_skill:.2f} on the "
            f"training rows, {ev.valid_skill:.2f} on the validation rows "
            f"(gap {gap:.2f} > {GENERALIZATION_SKILL_GAP}; scores "
            f"{_format(ev.train_score)} / {_format(ev.valid_score)})"
        )


def _runs_vary(ev, task):
    spread = ev.valid_skill_std
    if spread is not None and np.isfinite(spread) and spread > PREDICTION_SKILL_STD:
        text = (
            "results vary from run to run: the validation score's std across "
            f"{ev.n_runs} seeds is {_format(ev.valid_score_std)} (skill "
            f"{spread:.3f} > {PREDICTION_SKILL_STD})"
        )
        disagree = ev.prediction_disagreement
        if task != "regression" and disagree is not None:
            text += f"; the runs disagree on {disagree:.0%} of the validation rows"
        return text


# the rules in the order their findings are listed (docs/diagnostics.md)
RULES = (
    ("learning", _diverged),
    ("learning", _loss_barely_fell),
    ("learning", _loss_stays_high),
    ("learning", _still_improving),
    ("learning", _fits_poorly),
    ("generalization", _valid_loss_rose),
    ("generalization", _skill_gap),
    ("prediction", _runs_vary),
)


def _rules(ev, task=None):
    """[(problem, finding)] for every rule that fires on the evidence ``ev``."""
    fired = [(problem, rule(ev, task)) for problem, rule in RULES]
    return [(problem, text) for problem, text in fired if text]


# -- advice ----------------------------------------------------------------------
def _net_advice(problem, p, ev):
    """Interventions for a net with parameters ``p``."""
    advice = {
        "learning": _net_learning_advice,
        "generalization": _net_generalization_advice,
        "prediction": _net_prediction_advice,
    }.get(problem)
    return advice(p, ev) if advice else []


def _net_learning_advice(p, ev):
    advice = []
    lr = p.get("lr", 1e-3)
    max_epochs = p.get("max_epochs")
    if max_epochs and (ev.stopped_while_improving or 0) >= 0.5:
        advice.append(
            f"train longer: max_epochs={2 * max_epochs} (now {max_epochs}), or "
            f"raise lr (now {lr:g}) to learn faster"
        )
    if ev.diverged:
        advice.append(
            f"lower lr (now {lr:g}), set grad_clip=1.0 and scale the inputs "
            "(Rescaler() before the net): the loss diverged"
        )
    else:
        advice.append(
            f"raise lr (now {lr:g}; try {lr * 10:g}) or use "
            "lr_schedule='plateau' or 'one_cycle'; if the loss oscillates "
            "instead of staying flat, lower lr or set grad_clip=1.0"
        )
    if p.get("optimizer") == "sgd":
        advice.append(
            "optimizer='adam', which needs less tuning of lr (or keep SGD "
            "with momentum=0.9, nesterov=True)"
        )
    advice.append(
        "scale the inputs: Rescaler() (and PowerTransform() for skewed "
        "columns) before the net in a pipeline"
    )
    if p.get("batch_norm") is False:
        advice.append(
            "batch_norm=True, with weight_init='kaiming' for ReLU, helps "
            "deeper nets train"
        )
    if p.get("hidden_layer_sizes") is not None:
        advice.append(
            "more capacity: e.g. hidden_layer_sizes=(256, 128) (now "
            f"{p['hidden_layer_sizes']!r})"
        )
    return advice


def _restores_best_epoch(params):
    """Whether the fitted weights are the best epoch's: early stopping without
    weight averaging (an average of the run's end takes the best epoch's place)."""
    return bool(params.get("early_stopping", False)) and not params.get(
        "weight_averaging"
    )


def _net_generalization_advice(p, ev):
    dropout, decay = p.get("dropout", 0.0), p.get("weight_decay", 0.0)
    first = "add dropout=0.2" if not dropout else f"raise dropout (now {dropout:g})"
    first += (
        ", weight_decay=1e-4" if not decay else f", raise weight_decay (now {decay:g})"
    )
    if p.get("early_stopping") is False:
        first += " or early_stopping=True"
    advice = [first]
    if p.get("early_stopping") and p.get("weight_averaging") and ev.valid_min_epoch:
        advice.append(
            "weight_averaging=None keeps the weights of the best epoch "
            f"({ev.valid_min_epoch}) instead of the average of the run's end "
            f"(now {p['weight_averaging']!r})"
        )
    if p.get("early_stopping") is False and ev.valid_min_epoch:
        advice.append(
            "early_stopping=True (patience=10) keeps the weights of the best "
            f"epoch; the validation loss was lowest at epoch "
            f"{ev.valid_min_epoch}"
        )
    advice.append(
        "input_noise=0.1 or hidden_noise=0.1 (or NoiseAugmenter in the "
        "pipeline), and max_norm=3.0 with dropout"
    )
    if p.get("hidden_layer_sizes"):
        advice.append(
            "a smaller net: e.g. hidden_layer_sizes=(64,) (now "
            f"{p['hidden_layer_sizes']!r})"
        )
    advice.append(
        "more training rows, or fewer features: FeatureSelector(method='consensus')"
    )
    return advice


def _net_prediction_advice(p, ev):
    advice = [
        "average models: SeedEnsemble(net, n_estimators=5)",
        "or at the cost of one run: SnapshotEnsemble(net, method='cyclic') "
        "(cyclic lr, one member per cycle) or method='horizontal' (its last "
        "epochs), or weight_averaging='swa' (or 'ema') to average one run's "
        "weights",
    ]
    if p.get("lr_schedule", "") is None:
        advice.append(
            "end the run at a small learning rate: lr_schedule='cosine' or "
            "'step' (now a constant lr)"
        )
    batch = p.get("batch_size")
    if isinstance(batch, int | np.integer) and batch < 256:
        advice.append(
            f"larger batches for less noisy steps: batch_size={4 * batch} (now {batch})"
        )
    return advice


def _estimator_advice(problem, p, task, ev):
    """Interventions for an estimator that is not a net."""
    regression = task == "regression"
    voting = "VotingRegressor" if regression else "VotingClassifier"
    bagging = "BaggingRegressor" if regression else "BaggingClassifier"
    selection = (
        "EnsembleSelectionRegressor" if regression else "EnsembleSelectionClassifier"
    )
    if problem == "learning":
        return [
            "more capacity or less regularisation: e.g. a larger max_depth, a "
            "smaller min_samples_leaf, a larger C or a smaller alpha",
            "better inputs: PowerTransform() for skewed columns, "
            "TabularPreprocessor() for categories and missing values, Rescaler() "
            "for distance-based and linear models",
            "another model family: SpotCheck(cv=5) ranks the zoo on the same folds",
        ]
    if problem == "generalization":
        advice = [
            "regularise: e.g. a smaller max_depth or a larger min_samples_leaf "
            "for trees, a smaller C or a larger alpha for linear models and SVMs",
            "fewer, better features: FeatureSelector(method='consensus')",
            f"average many models: a forest instead of one tree, {bagging}, or "
            f"{selection} over several models",
        ]
        gain = ev.curve_valid_gain
        if gain is not None and gain > 0.02:
            advice.append(
                f"more training rows: the validation skill still rose by {gain:.2f} "
                "over the second half of the learning curve"
            )
        return advice
    if problem == "prediction":
        advice = [f"average models: SeedEnsemble(model, n_estimators=5) or {bagging}"]
        if isinstance(p.get("n_estimators"), int | np.integer):
            advice.append(
                f"more members: n_estimators={4 * p['n_estimators']} (now "
                f"{p['n_estimators']})"
            )
        advice.append(f"a mean or vote of different models: {voting} or {selection}")
        return advice
    return []


def _none_advice(task):
    regression = task == "regression"
    search = "AutoRegressor" if regression else "AutoClassifier"
    selection = (
        "EnsembleSelectionRegressor" if regression else "EnsembleSelectionClassifier"
    )
    return [
        f"no rule fired: tune it (GridSearchCV, {search}) or combine it with other "
        f"good models ({selection})"
    ]


def _verdict(ev, is_net, params, task, **info):
    """The Diagnosis of the evidence ``ev``: the first problem, findings, advice."""
    fired = _rules(ev, task)
    problem = next((p for p in PROBLEMS if any(f[0] == p for f in fired)), None)
    findings = [text for p, text in fired if p == problem]
    findings += [f"also ({p}): {text}" for p, text in fired if p != problem]
    if problem is None:
        advice = _none_advice(task)
    elif is_net:
        advice = _net_advice(problem, params, ev)
    else:
        advice = _estimator_advice(problem, params, task, ev)
    return Diagnosis(problem, ev, advice, findings, **info)


# -- entry point -----------------------------------------------------------------
def diagnose(estimator, X=None, y=None, n_runs=3, random_state=None, scoring=None):
    """Is it a learning, a generalization or a prediction problem, and what to try.

    Holds out 25% of the rows (stratified for classifiers), fits ``n_runs`` clones
    of ``estimator`` on the rest under different seeds, and reads:

    - for autodl nets (alone or at the end of a pipeline), each run's per-epoch
      ``history_``: first against last training loss, the loss of predicting
      only the priors, the validation loss's minimum, its rise and the epoch
      the gap opened (the clones also record a training score per epoch, so
      the metric panel of :meth:`Diagnosis.plot` has a training curve);
    - for other estimators, scikit-learn's ``learning_curve`` (training and
      validation score over growing training sets) on the same split;
    - for both, training and validation scores against a dummy model, and the
      spread of the validation score across seeds.

    The rules (docs/diagnostics.md; thresholds are module constants):
    *learning* when the training loss barely falls (last / first epoch > 0.9,
    unless the training skill is already >= 0.9), stays high (> 0.9 of the
    prior-only loss), diverges, was still falling (by > 0.5% of its first-epoch
    value per epoch over the last 10% of the epochs) when ``max_epochs`` ran
    out, or the training skill is below 0.4;
    *generalization* when the validation loss ends 20% above its minimum while
    the training loss fell another 10%, or the train / validation skill gap
    exceeds 0.2; *prediction* when the std of the validation skill across seeds
    exceeds 0.05. The first of learning, generalization, prediction that fires
    is the ``problem``.

    Parameters
    ----------
    estimator : estimator
        Unfitted (clones are fitted). With ``X=None``: a *fitted* autodl net, or
        pipeline ending in one, diagnosed from its own ``history_`` (no refits;
        the loss rules only, no scores and no seed spread).
    X : array-like or DataFrame of shape (n_samples, n_features), default=None
        Input.
    y : array-like of shape (n_samples,), default=None
        Target.
    n_runs : int, default=3
        Seeds to fit; an estimator without ``random_state`` is fitted once.
    random_state : int, RandomState instance or None, default=None
        Seeds the split and the runs.
    scoring : str or callable, default=None
        A scikit-learn scorer; ``None`` is ROC AUC for binary targets (accuracy
        without probabilities), balanced accuracy for multiclass and R² for
        regression.

    Returns
    -------
    diagnosis : Diagnosis
        ``problem``, ``evidence``, ``advice``, ``findings``, per-run ``runs`` and
        ``curves``; ``print(diagnosis)`` reads as a report and
        ``diagnosis.plot()`` draws the curves.

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from autodl.neural import MLPClassifier
    >>> from autodl.diagnostics import diagnose
    >>> X, y = make_circles(400, noise=0.1, factor=0.5, random_state=0)
    >>> slow = MLPClassifier(optimizer="sgd", lr=1e-6, max_epochs=15)
    >>> diagnose(slow, X, y, random_state=0).problem
    'learning'
    """
    if X is None:
        return _diagnose_history(estimator)
    if y is None:
        raise ValueError("diagnose needs y with X; pass the target.")
    if not isinstance(n_runs, int | np.integer) or n_runs < 1:
        raise ValueError(f"n_runs={n_runs!r} is not supported; use an integer >= 1.")
    y = np.asarray(y)
    task = task_of(estimator, y)
    rng = check_random_state(random_state)
    split = holdout(y, task, draw_seed(rng))
    seeds = run_seeds(estimator, n_runs, rng)
    name, scorer = scoring_of(estimator, task, scoring)
    net, _ = find_net(estimator)
    runs, curves, predictions, fitted_net = _fit_runs(
        estimator, X, y, split, scorer, seeds, task, net is not None
    )
    baseline = _baseline(task, scorer, X, y, split)
    perfect = perfect_score(name)
    found = _score_evidence(runs, baseline, perfect, predictions, task, y)
    if net is not None:
        params, source = net.get_params(), "history"
        found.update(_net_evidence(runs, fitted_net, params, y[split[0]]))
    else:
        params, source = estimator.get_params(), "learning_curve"
        first = seeded_clone(estimator, seeds[0])
        curves = [_size_curve(first, X, y, *split, scorer)]
        found["curve_valid_gain"] = _curve_gain(curves[0], baseline, perfect)
    return _verdict(
        Evidence(**found),
        net is not None,
        params,
        task,
        runs=runs,
        curves=curves,
        source=source,
        estimator_name=type(net if net is not None else estimator).__name__,
        scoring=name,
    )


def _baseline(task, scorer, X, y, split):
    """The dummy model's score on the validation rows of ``split``."""
    train, valid = split
    X_train, X_valid = _safe_indexing(X, train), _safe_indexing(X, valid)
    return baseline_score(task, scorer, X_train, y[train], X_valid, y[valid])


def _fit_runs(estimator, X, y, split, scorer, seeds, task, is_net):
    """Fit and score one seeded clone per seed.

    Returns the ``runs`` table (scores, and for nets each run's curve numbers),
    the nets' learning curves, the validation predictions and the last fitted
    net (``None`` for other estimators).
    """
    runs, curves, predictions, fitted_net = [], [], [], None
    for seed in seeds:
        model = seeded_clone(estimator, seed)
        if is_net:
            _add_train_metric(model, task)
        result = fit_and_score(model, X, y, *split, scorer, train_score=True)
        row = {
            "seed": seed,
            "train_score": result["train_score"],
            "valid_score": result["valid_score"],
        }
        if is_net:
            fitted_net, _ = find_net(result["model"])
            frame = learning_curves(fitted_net)
            curves.append(frame)
            row.update(_curve_numbers(frame, fitted_net.get_params().get("max_epochs")))
            row["best_epoch"] = frame.attrs.get("best_epoch")
        runs.append(row)
        predictions.append(result["prediction"])
    return pd.DataFrame(runs), curves, predictions, fitted_net


def _net_evidence(runs, fitted_net, params, y_train):
    """The curve evidence of the runs: medians of the per-run numbers."""
    keys = ("initial_train_loss", "final_train_loss", "train_loss_ratio")
    found = {key: float(runs[key].median()) for key in keys}
    found["diverged"] = bool(runs["diverged"].any())
    found["tail_loss_fall_per_epoch"] = float(runs["tail_loss_fall_per_epoch"].median())
    found["stopped_while_improving"] = float(runs["stopped_while_improving"].mean())
    if _is_autodl(fitted_net):
        found["prior_loss"] = _prior_loss(fitted_net, y_train)
        found["final_to_prior_loss"] = found["final_train_loss"] / found["prior_loss"]
    if "valid_loss_rise" in runs:
        found.update(_valid_evidence(runs))
    if runs["best_epoch"].notna().any():
        found["best_epoch"] = int(runs["best_epoch"].median())
    found["epochs_run"] = int(runs["epochs_run"].median())
    found["max_epochs"] = params.get("max_epochs")
    found["restores_best_epoch"] = _restores_best_epoch(params)
    return found


def _valid_evidence(runs):
    """The validation-loss evidence of the runs: medians of the per-run numbers."""
    keys = (
        "min_valid_loss",
        "final_valid_loss",
        "valid_loss_rise",
        "train_loss_at_valid_min",
        "train_loss_drop_after_min",
    )
    found = {key: float(runs[key].median()) for key in keys}
    found["valid_min_epoch"] = int(runs["valid_min_epoch"].median())
    opened = runs["gap_opened_epoch"].dropna()
    rose = found["valid_loss_rise"] > GENERALIZATION_VALID_RISE
    found["gap_opened_epoch"] = int(opened.median()) if rose and len(opened) else None
    return found


def _score_evidence(runs, baseline, perfect, predictions, task, y):
    """Scores, skills and the run-to-run spread, as Evidence fields."""
    train_score = float(runs["train_score"].mean())
    valid_score = float(runs["valid_score"].mean())
    train_skill = float(skill(train_score, baseline, perfect))
    valid_skill = float(skill(valid_score, baseline, perfect))
    found = {
        "train_score": train_score,
        "valid_score": valid_score,
        "baseline_score": baseline,
        "train_skill": train_skill,
        "valid_skill": valid_skill,
        "skill_gap": train_skill - valid_skill,
        "n_runs": len(runs),
    }
    if len(runs) > 1:
        std = float(runs["valid_score"].std(ddof=1))
        scale = 1.0
        if perfect is not None and baseline is not None:
            scale = abs(perfect - baseline) or 1.0
        found["valid_score_std"] = std
        found["valid_skill_std"] = std / scale
        y_scale = float(np.std(y)) if task == "regression" else None
        found["prediction_disagreement"] = prediction_spread(predictions, task, y_scale)
    return found


def _curve_gain(table, baseline, perfect):
    """The validation skill gained over the second half of the learning curve."""
    valid_scores = table["valid_score"]
    half, full = valid_scores.iloc[len(table) // 2], valid_scores.iloc[-1]
    if not (np.isfinite(half) and np.isfinite(full)):
        return None
    return float(skill(full, baseline, perfect) - skill(half, baseline, perfect))


def _size_curve(estimator, X, y, train, valid, scorer):
    """scikit-learn's learning curve on the fixed split, as a table."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sizes, train_scores, valid_scores = sklearn_learning_curve(
            estimator,
            X,
            y,
            train_sizes=LEARNING_CURVE_SIZES,
            cv=[(train, valid)],
            scoring=scorer,
            error_score=np.nan,
        )
    return pd.DataFrame(
        {
            "train_size": sizes,
            "train_score": train_scores[:, 0],
            "valid_score": valid_scores[:, 0],
        }
    )


def _diagnose_history(estimator):
    """The history-only diagnosis of a fitted net (no refits, no seeds)."""
    net, _ = find_net(estimator)
    if net is None or not (hasattr(net, "history_") or hasattr(net, "history")):
        raise ValueError(
            f"diagnose({type(estimator).__name__}) without X, y needs a fitted "
            "autodl net (or a pipeline ending in one) to read its history_; pass "
            "X and y to fit and diagnose clones instead."
        )
    frame = learning_curves(net)
    task = "regression" if hasattr(net, "n_outputs_") else "classification"
    params = net.get_params()
    found = _curve_numbers(frame, params.get("max_epochs"))
    found["stopped_while_improving"] = float(found["stopped_while_improving"])
    evidence = Evidence(
        **found,
        best_epoch=frame.attrs.get("best_epoch"),
        max_epochs=params.get("max_epochs"),
        restores_best_epoch=_restores_best_epoch(params),
        n_runs=1,
    )
    return _verdict(
        evidence,
        True,
        params,
        task,
        runs=None,
        curves=[frame],
        source="history_only",
        estimator_name=type(net).__name__,
        scoring=None,
    )
