"""SpotCheck: every model x view on the same cross-validation splits, ranked."""

import logging
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.metrics import check_scoring
from sklearn.model_selection import (
    KFold,
    RepeatedKFold,
    RepeatedStratifiedKFold,
    StratifiedKFold,
    check_cv,
)
from sklearn.pipeline import Pipeline as SklearnPipeline
from sklearn.utils._metadata_requests import _routing_enabled
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import (
    check_is_fitted,
)

from autodl.pipeline import Pipeline
from autodl.spotcheck._evaluate import Candidate, Evaluator
from autodl.spotcheck._zoo import default_models
from autodl.utils import (
    DEFAULT_SCORING,
    check_classification_y,
    check_params,
    check_weights,
    draw_seed,
    first_step,
    first_steps_accept,
    fit_weighted,
    one_model_per_target,
    resolve_task,
    score_weighted,
    validate_passthrough,
)
from autodl.utils._budget import Budget
from autodl.utils._docstring import (
    Substitution,
    _n_jobs_docstring,
    _random_state_docstring,
    _verbose_docstring,
)
from autodl.utils._param_validation import (
    InvalidParameterError,
    NamedPairs,
    StrOptions,
    one_of,
)
from autodl.utils._repr import members_block
from autodl.utils._tables import TableAttribute
from autodl.utils._task import TASKS

logger = logging.getLogger(__name__)


def default_views():
    """The default data views: raw, standardized, and power-transformed.

    Returns
    -------
    views : list of (name, transformer or "passthrough")
    """
    from autodl.preprocessing import PowerTransform, Rescaler

    return [
        ("raw", "passthrough"),
        ("standardized", Rescaler("standard")),
        ("power", Pipeline([("power", PowerTransform()), ("scale", Rescaler())])),
    ]


def _best_has(attr):
    def check(self):
        check_is_fitted(self)
        return hasattr(self.best_estimator_, attr)

    return check


@Substitution(
    n_jobs=_n_jobs_docstring,
    random_state=_random_state_docstring,
    verbose=_verbose_docstring,
)
class SpotCheck(MetaEstimatorMixin, BaseEstimator):
    """Cross-validate many models on several views of the data and rank them.

    Every model is paired with every view (a preprocessing step such as
    standardisation) and each pair is scored on the same cross-validation splits,
    in parallel through joblib, so any joblib backend (a Dask or Ray cluster) can run
    it. The leaderboard reports the mean and spread over the folds; the best pair is
    refit on all the data and used by ``predict``.

    Parameters
    ----------
    models : "default" or list of (name, estimator), default="default"
        The candidates. ``"default"`` is :func:`default_models` for the task found in
        ``y``. Triples ``(name, estimator, space)`` (a ``ModelSpec``) are accepted too.
    views : "default" or list of (name, transformer), default="default"
        Preprocessing variants put in front of every model; ``"passthrough"`` or
        ``None`` is the raw data. ``"default"`` is raw, standardized
        (``Rescaler``) and power-transformed (``PowerTransform`` then ``Rescaler``).
        A view may be a sampler (``Resampler``): it then acts on training folds only.
    cv : int or cross-validation splitter, default=5
        Folds; an int gives stratified folds for classification, shuffled with
        ``random_state``.
    n_repeats : int, default=1
        Repeat the ``cv`` folds with different shuffles (an int ``cv`` only).
    scoring : str or callable, default=None
        Any scikit-learn scorer name. ``None`` uses ROC AUC for binary targets,
        balanced accuracy for multiclass and R² for regression.
    {n_jobs}
        Here the jobs are the fits. When they run in parallel,
        pipelines that would train on a CUDA GPU (a net whose ``device="auto"``
        finds one here) run one at a time in this process after the others, so
        parallel workers never share one GPU.
    time_budget : float, default=None
        Seconds; once spent, no new fit starts and the pairs not fully evaluated are
        left out of the ranking (listed with ``status="not run"``).
    {random_state}
        It seeds the splits and the models' own seeds.
    {verbose}
        Here 1 shows a progress bar; 2 also logs every fold.
    refit : bool, default=True
        Refit the best pair on all the data. With ``False`` only the leaderboard is
        made; ``best_estimator_`` is then the unfitted best pipeline and ``predict``
        is not available.
    keep_predictions : bool, default=False
        Keep every pair's out-of-fold predictions (probabilities for classifiers)
        in ``oof_predictions_``, e.g. to build an ensemble without refitting.
    task : {"auto", "classification", "regression"}, default="auto"
        The kind of target. ``"auto"`` infers it (:func:`autodl.utils.resolve_task`):
        two values or integer / string labels are classes, other numbers are
        regression.

    Attributes
    ----------
    leaderboard_ : pandas.DataFrame
        One row per model x view, best first: ``model``, ``view``, ``mean_score``,
        ``std_score``, ``fit_time`` (mean per fold, seconds), ``n_folds``,
        ``status`` (``"ok"``, ``"failed"`` or ``"not run"``), ``error`` and one
        ``split{i}_score`` column per fold. ``leaderboard_.attrs["scoring"]`` names
        the metric.
    best_estimator_ : Pipeline or None
        The best pipeline, ``[("view", view), ("model", model)]`` (a view that is
        a pipeline is laid out flat, as ``view_<step>`` steps), refit on all the
        data (when ``refit``). ``None`` when ``refit=False`` and the time budget
        ran out before any pair was scored on every fold.
    oof_predictions_ : dict
        ``{(model, view): array}`` of out-of-fold predictions, one row per training
        row (probabilities with a column per class in ``classes_`` for
        classifiers), for the pairs scored on every fold; only with
        ``keep_predictions=True``.
    best_index_ : int
        Row of the best pair in ``leaderboard_`` (always 0).
    scoring_ : str or callable
        The metric used.
    task_ : str
        ``"binary"``, ``"multiclass"`` or ``"regression"``.
    classes_ : ndarray
        Class labels (classification only).
    stop_reason_ : {None, "time_budget", "interrupted"}
        Why the run stopped before every pair was scored: the time budget ran out,
        or Ctrl-C (KeyboardInterrupt); ``None`` when everything ran.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` was a DataFrame.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from autodl.datasets import load_demo
    >>> from autodl.spotcheck import SpotCheck
    >>> X, y = load_demo()
    >>> spot = SpotCheck(
    ...     models=[("logistic", LogisticRegression(max_iter=1000)),
    ...             ("tree", DecisionTreeClassifier(random_state=0))],
    ...     views=[("raw", None)], cv=3, random_state=0).fit(X, y)
    >>> spot.leaderboard_[["model", "view"]].iloc[0].tolist()
    ['logistic', 'raw']
    """

    # kept as plain arrays (safe persistence), a DataFrame when read
    leaderboard_ = TableAttribute()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # NaN is fine when the first step of every pipeline takes it
        tags.input_tags.allow_nan = self._first_steps_accept("allow_nan")
        tags.input_tags.sparse = self._first_steps_accept("sparse")
        return tags

    def _first_steps_accept(self, tag):
        """Whether the first step of every view x model pipeline has an input tag."""
        if isinstance(self.views, str):
            return False  # the default views take numbers without NaN
        views = [view for _, view in self._views()]
        if all(view != "passthrough" for view in views):  # they meet X first
            return first_steps_accept(views, tag)
        if isinstance(self.models, str):
            return False  # the default zoo: not every model takes NaN or strings
        return first_steps_accept(
            (
                first_step(view, model)
                for _, model in self._models(None, None)
                for view in views
            ),
            tag,
        )

    _parameter_constraints = {
        "models": [
            StrOptions({"default"}),
            NamedPairs("estimator", allow_dict=True),
        ],
        "views": [
            StrOptions({"default"}),
            NamedPairs("transformer", allow_dict=True),
        ],
        "task": one_of(TASKS),
    }

    def __init__(
        self,
        models="default",
        views="default",
        cv=5,
        n_repeats=1,
        scoring=None,
        n_jobs=None,
        time_budget=None,
        random_state=None,
        verbose=0,
        refit=True,
        keep_predictions=False,
        task="auto",
    ):
        self.models = models
        self.views = views
        self.cv = cv
        self.n_repeats = n_repeats
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.time_budget = time_budget
        self.random_state = random_state
        self.verbose = verbose
        self.refit = refit
        self.keep_predictions = keep_predictions
        self.task = task

    # -- composition -----------------------------------------------------------
    def get_params(self, deep=True):
        """Parameters, with every model's and view's as ``name__param`` (deep).

        As in scikit-learn's ``VotingClassifier``: ``GridSearchCV`` can search
        ``{"lr__C": [0.1, 1]}`` or replace a model, ``{"lr": [other]}``.

        Parameters
        ----------
        deep : bool, default=True
            Include the members and their parameters.

        Returns
        -------
        params : dict
        """
        out = super().get_params(deep=deep)
        if not deep:
            return out
        for name, member in self._members():
            if name in out:  # SpotCheck's own parameter wins
                continue
            out[name] = member
            if hasattr(member, "get_params"):
                nested = member.get_params(deep=True)
                out.update((f"{name}__{k}", v) for k, v in nested.items())
        return out

    def set_params(self, **params):
        """Set parameters, members' too (``lr__C=0.1``, ``lr=other``).

        Returns
        -------
        self : SpotCheck
        """
        for attr in ("models", "views"):
            if attr in params:
                setattr(self, attr, params.pop(attr))
        names = {name for name, _ in self._members()}
        for key in [k for k in params if k in names]:
            self._replace_member(key, params.pop(key))
        return super().set_params(**params)

    def _members(self):
        """``(name, estimator)`` of every model and view given as a list or dict."""
        for members in (self.models, self.views):
            if isinstance(members, dict):
                yield from members.items()
            elif isinstance(members, list | tuple):  # anything else: fit says what
                yield from (
                    (item[0], item[1])
                    for item in members
                    if isinstance(item, list | tuple) and len(item) >= 2
                )

    def _replace_member(self, name, new):
        for attr in ("models", "views"):
            members = getattr(self, attr)
            if isinstance(members, dict) and name in members:
                setattr(self, attr, {**members, name: new})
            elif isinstance(members, list | tuple):
                setattr(
                    self,
                    attr,
                    [
                        (n, new, *rest) if n == name else (n, m, *rest)
                        for n, m, *rest in members
                    ],
                )

    def _sk_visual_block_(self):  # the HTML diagram: the views, then the models
        return members_block(self.views, self.models)

    # -- configuration -------------------------------------------------------
    def _models(self, n_samples, seed):
        if isinstance(self.models, str):  # "default" (see the table)
            return [
                (s.name, s.estimator)
                for s in default_models(
                    self.task_, n_samples=n_samples, random_state=seed
                )
            ]
        if isinstance(self.models, dict):
            return list(self.models.items())
        return [(item[0], item[1]) for item in self.models]

    def _views(self):
        if isinstance(self.views, str):  # "default" (see the table)
            return default_views()
        items = self.views.items() if isinstance(self.views, dict) else self.views
        return [(name, "passthrough" if view is None else view) for name, view in items]

    def _splits(self, X, y, seed, split_params):
        classification = self.task_ != "regression"
        if isinstance(self.cv, int | np.integer):
            if self.n_repeats > 1:
                cls = RepeatedStratifiedKFold if classification else RepeatedKFold
                splitter = cls(
                    n_splits=self.cv, n_repeats=self.n_repeats, random_state=seed
                )
            else:
                cls = StratifiedKFold if classification else KFold
                splitter = cls(self.cv, shuffle=True, random_state=seed)
        else:
            if self.n_repeats != 1:
                raise ValueError(
                    "n_repeats applies to an integer cv only; pass a repeated splitter "
                    "(e.g. RepeatedStratifiedKFold) as cv instead."
                )
            splitter = check_cv(self.cv, y, classifier=classification)
        return list(splitter.split(X, y, **split_params))

    # -- fitting -------------------------------------------------------------
    def fit(self, X, y, sample_weight=None, **params):
        """Score every model x view on the same folds, then refit the best.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric features (put ``TabularPreprocessor`` in a view, or use
            ``AutoClassifier``, for strings and missing values).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target (see ``task``). Several continuous targets are a
            multi-output regression: a model that cannot fit them at once is
            wrapped in ``MultiOutputRegressor`` (one model per target).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights. Every model x view fits with them (each step whose
            ``fit`` takes ``sample_weight``; a model that cannot is reported as
            failed in the leaderboard), the fold scores weigh the test rows, and
            the best pair is refit with them. With metadata routing on, request
            them with ``set_fit_request(sample_weight=True)``.
        **params : dict
            Metadata for the ``cv`` splitter, e.g. ``groups`` for ``GroupKFold``
            (routed to its ``split`` when metadata routing is on).

        Returns
        -------
        self : SpotCheck
        """
        check_params(self)
        split_params = self._split_params(sample_weight, params)
        X, y = self._validate(X, y, reset=True)
        weight = check_weights(sample_weight, X)
        if isinstance(self.cv, int | np.integer) and X.shape[0] < self.cv:
            raise ValueError(
                f"Cross-validation needs at least cv={self.cv} rows, got "
                f"n_samples={X.shape[0]}; pass more data or a smaller cv."
            )
        self.task_ = resolve_task(y, self.task)
        if self.task_ != "regression":
            check_classification_y(y)
            self.classes_ = np.unique(y)
        seed = draw_seed(self.random_state)
        self.scoring_ = self.scoring or DEFAULT_SCORING[self.task_]
        models, views = self._models(X.shape[0], seed), self._views()
        splits = self._splits(X, y, seed, split_params)
        pairs = [(m, v) for m in models for v in views]
        candidates = [
            Candidate(
                p, name, {}, self._pipeline(view, model, y.ndim), "spot-check", vname
            )
            for p, ((name, model), (vname, view)) in enumerate(pairs)
        ]
        evaluator = Evaluator(
            X,
            y,
            splits,
            check_scoring(scoring=self.scoring_),
            getattr(self, "classes_", None),
            self.n_jobs,
            verbose=self.verbose,
            sample_weight=weight,
        )
        self._evaluate(evaluator, candidates)
        self.leaderboard_ = self._leaderboard(evaluator, candidates)
        if self.keep_predictions:
            self.oof_predictions_ = {
                (c.family, c.view): evaluator.output(c.config_id)
                for c in candidates
                if evaluator.complete(c.config_id)
                and evaluator.output(c.config_id) is not None
            }
        self.best_index_ = 0
        best = self.leaderboard_.iloc[0]
        if best["status"] != "ok":
            if (self.leaderboard_["status"] == "failed").all():
                result = min(
                    (r for r in evaluator.snapshot() if r.exception),
                    key=lambda r: r.candidate.config_id,
                )
                first = result.exception
                name, view = result.candidate.family, result.candidate.view
                if type(first) in (ValueError, TypeError, InvalidParameterError):
                    # say it in the message itself (a one-line error shows no notes)
                    raise type(first)(
                        f"{first} (SpotCheck: no model could be scored on every "
                        f"fold; this is the first error, of {name} on view "
                        f"{view!r}; the others are in leaderboard_.)"
                    ) from first
                first.add_note(
                    "SpotCheck: no model could be scored on every fold; the first "
                    f"error ({name} on view {view!r}) is above, the rest are in "
                    "leaderboard_."
                )
                raise first
            if self.refit and self.stop_reason_ == "interrupted":
                raise KeyboardInterrupt(
                    "SpotCheck was interrupted before any pair was scored on every "
                    "fold: there is no model to keep (leaderboard_ lists the fits)."
                )
            if self.refit:
                raise ValueError(
                    "No model could be scored on every fold within "
                    f"time_budget={self.time_budget}s; raise the budget."
                )
            self.best_estimator_ = None  # the leaderboard says what did run
            return self
        model = dict(models)[best["model"]]
        view = dict(views)[best["view"]]
        self.best_estimator_ = self._pipeline(view, model, y.ndim)
        if self.refit:
            fit_weighted(self.best_estimator_, X, y, weight)
        return self

    def _split_params(self, sample_weight, params):
        """The metadata for ``cv.split``: routed, or ``groups`` as given."""
        if _routing_enabled():
            routed = process_routing(self, "fit", sample_weight=sample_weight, **params)
            return routed.splitter.split
        unknown = sorted(set(params) - {"groups"})
        if unknown:
            raise TypeError(
                f"SpotCheck.fit got {unknown}, which it does not use; with metadata "
                "routing off it takes sample_weight and groups only. Turn routing "
                "on (sklearn.set_config(enable_metadata_routing=True)) to route "
                "other metadata to the cv splitter."
            )
        return params

    def get_metadata_routing(self):
        """How metadata reach SpotCheck's parts (scikit-learn's metadata routing).

        SpotCheck consumes ``sample_weight`` itself (ask for it with
        ``set_fit_request(sample_weight=True)``) and hands it to every model x
        view and to the scoring; ``groups`` and other splitter metadata go to
        ``cv.split``.

        Returns
        -------
        routing : MetadataRouter
        """
        return (
            MetadataRouter(owner=self)
            .add_self_request(self)
            .add(
                splitter=check_cv(self.cv),
                method_mapping=MethodMapping().add(caller="fit", callee="split"),
            )
        )

    @staticmethod
    def _pipeline(view, model, y_ndim=1):
        if isinstance(view, SklearnPipeline):
            # imbalanced-learn refuses a pipeline as an intermediate step: a view
            # that is a chain of steps (the default "power" view) is laid out flat
            steps = [(f"view_{name}", clone(step)) for name, step in view.steps]
        else:
            steps = [("view", clone(view) if view != "passthrough" else view)]
        return Pipeline([*steps, ("model", one_model_per_target(model, y_ndim))])

    def _evaluate(self, evaluator, candidates):
        """Every candidate on every fold, within ``time_budget``; sets stop_reason_."""
        seconds = None if self.time_budget is None else float(self.time_budget)
        n_fits = len(candidates) * len(evaluator.splits)
        if self.verbose:
            from tqdm.auto import tqdm

            evaluator.progress = tqdm(total=n_fits, desc="SpotCheck", unit="fit")
        try:
            evaluator.evaluate(candidates, Budget(seconds), race=False)
        finally:
            if evaluator.progress is not None:
                evaluator.progress.close()
        done = sum(len(r.fit_times) for r in evaluator.snapshot())
        self.stop_reason_ = None
        if evaluator.interrupted:
            self.stop_reason_ = "interrupted"
            warnings.warn(
                f"SpotCheck interrupted after {done} of {n_fits} fits; the "
                "leaderboard ranks the pairs scored on every fold so far.",
                stacklevel=3,
            )
        elif done < n_fits:
            self.stop_reason_ = "time_budget"

    def _leaderboard(self, evaluator, candidates):
        rows = []
        n_splits = len(evaluator.splits)
        for cand in candidates:
            result = evaluator.results.get(cand.config_id)
            times = list(result.fit_times.values()) if result else []
            scores = [
                result.scores.get(s, np.nan) if result else np.nan
                for s in range(n_splits)
            ]
            if result is not None and result.error is not None:
                status = "failed"
            elif len(times) < n_splits:
                status = "not run"
            else:
                status = "ok"
            ok = status == "ok"
            rows.append(
                {
                    "model": cand.family,
                    "view": cand.view,
                    "mean_score": float(np.mean(scores)) if ok else np.nan,
                    "std_score": float(np.std(scores)) if ok else np.nan,
                    "fit_time": float(np.mean(times)) if times else np.nan,
                    "n_folds": len(times),
                    "status": status,
                    "error": result.error if result else None,
                    **{f"split{s}_score": score for s, score in enumerate(scores)},
                }
            )
        board = pd.DataFrame(rows)
        board["_order"] = board["status"].map({"ok": 0, "failed": 1, "not run": 2})
        board = (
            board.sort_values(
                ["_order", "mean_score"], ascending=[True, False], kind="stable"
            )
            .drop(columns="_order")
            .reset_index(drop=True)
        )
        board.attrs["scoring"] = (
            self.scoring_
            if isinstance(self.scoring_, str)
            else getattr(self.scoring_, "__name__", repr(self.scoring_))
        )
        return board

    # -- delegation ----------------------------------------------------------
    def _validate(self, X, y="no_validation", reset=False):
        return validate_passthrough(
            self,
            X,
            y,
            reset=reset,
            multi_output=True,
            allow_nan=self._first_steps_accept("allow_nan"),
            allow_strings=self._first_steps_accept("string"),
            allow_sparse=self._first_steps_accept("sparse"),
        )

    def _checked(self, X):
        check_is_fitted(self)
        return self._validate(X)

    def predict(self, X):
        """Predict with the best pipeline, refit on all the data."""
        X = self._checked(X)
        return self.best_estimator_.predict(X)

    @available_if(_best_has("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from the best pipeline."""
        X = self._checked(X)
        return self.best_estimator_.predict_proba(X)

    @available_if(_best_has("decision_function"))
    def decision_function(self, X):
        """Decision function of the best pipeline."""
        X = self._checked(X)
        return self.best_estimator_.decision_function(X)

    def score(self, X, y, sample_weight=None):
        """The ``scoring_`` metric of the best pipeline on ``(X, y)``, weighted."""
        check_is_fitted(self)
        scorer = check_scoring(self.best_estimator_, scoring=self.scoring_)
        return score_weighted(
            scorer, self.best_estimator_, self._checked(X), y, sample_weight
        )
