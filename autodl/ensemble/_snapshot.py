"""Snapshot and horizontal ensembles: several members from one run of an autodl net.

The net trains once; skorch callbacks do the rest: a ``LRScheduler`` around torch's
``CosineAnnealingWarmRestarts`` for the cycles, and autodl's ``WeightSnapshots``
for the copies of the weights that become the members.
"""

import copy
from numbers import Integral

from sklearn import config_context
from sklearn.base import clone

from autodl.ensemble._averaging import _BaseAveraging
from autodl.utils import (
    check_params,
    check_weights,
    drop_routed_requests,
    final_step,
    set_seeds,
)
from autodl.utils._param_validation import HasMethods, Interval, one_of

_METHODS = ("cyclic", "horizontal")
# callback names, unlikely to clash with a user's own callbacks
_LR_CALLBACK = "snapshot_ensemble_lr"
_SNAPSHOT_CALLBACK = "snapshot_ensemble_weights"


def _net_of(model):
    """The autodl net in ``model`` (itself, or the end of its pipelines) and the
    prefix that routes parameters to it."""
    from autodl.neural import MLPClassifier, MLPRegressor

    net, prefix = final_step(model)
    if not isinstance(net, MLPClassifier | MLPRegressor):
        raise TypeError(
            "SnapshotEnsemble takes snapshots of one training run of an autodl net: "
            "an autodl.neural.MLPClassifier or MLPRegressor, alone or as the last "
            f"step of a Pipeline; got {type(net).__name__}. Use SeedEnsemble to "
            "average independent fits of any estimator."
        )
    return net, prefix


class SnapshotEnsemble(_BaseAveraging):
    """Members taken from ONE training run of an autodl net, predictions averaged.

    - ``method="cyclic"`` (snapshot ensemble, Huang et al., 2017): the learning
      rate follows a cosine from ``lr`` down to 0 in each of ``n_snapshots``
      cycles of ``max_epochs // n_snapshots`` epochs (torch's
      ``CosineAnnealingWarmRestarts``, stepped each epoch), restarting at ``lr``;
      the weights at the end of each cycle, a low-rate minimum, are a member.
      The net's ``lr_schedule`` is replaced by the cycles and ``max_epochs`` is
      rounded down to a whole number of cycles.
    - ``method="horizontal"`` (horizontal voting): the weights at the end of the
      last ``n_snapshots`` epochs are the members; the net's ``lr_schedule`` is
      kept (a schedule that anneals to 0 leaves little variety between them).

    Either way the net trains its whole (rounded) ``max_epochs``: early stopping
    and weight averaging are turned off for the run, since the snapshots are
    taken at fixed epochs, and the net is one net (``n_seeds=1``). One run costs
    what a single net costs, so this is the cheap way to reduce the run-to-run
    spread of a net's predictions; members from independent runs
    (:class:`SeedEnsemble`) are more diverse.

    Parameters
    ----------
    estimator : MLPClassifier, MLPRegressor or Pipeline ending in one
        The net to train. Its parameters route as ``estimator__param``
        (``estimator__mlpclassifier__param`` for a pipeline).
    n_snapshots : int, default=5
        Number of members (cycles for ``"cyclic"``); at most ``max_epochs``.
    method : {"cyclic", "horizontal"}, default="cyclic"
        Where the snapshots come from.
    random_state : int, RandomState instance or None, default=None
        When not None, seeds every ``random_state`` parameter of the estimator;
        None keeps the estimator's own.

    Attributes
    ----------
    estimators_ : list of estimators
        The members: each a fitted copy of the estimator holding one snapshot of
        the weights (a usable autodl net or pipeline). They share the run's
        ``history_``.
    snapshot_epochs_ : list of int
        The epoch (1-based, as in ``history_``) of each member's weights.
    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen in ``fit``, when ``X`` was a DataFrame.

    See Also
    --------
    SeedEnsemble : members from independent runs.
    autodl.neural.MLPClassifier : ``weight_averaging`` averages the weights of
        the last epochs into one model instead.

    Examples
    --------
    >>> from sklearn.datasets import make_circles
    >>> from autodl.ensemble import SnapshotEnsemble
    >>> from autodl.neural import MLPClassifier
    >>> X, y = make_circles(200, noise=0.1, factor=0.5, random_state=0)
    >>> net = MLPClassifier(hidden_layer_sizes=(16,), max_epochs=30, lr=0.01,
    ...                     device="cpu")
    >>> ens = SnapshotEnsemble(net, n_snapshots=3, random_state=0).fit(X, y)
    >>> ens.snapshot_epochs_
    [10, 20, 30]
    >>> ens.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit"])],
        "n_snapshots": [Interval(Integral, 1, None, closed="left")],
        "method": one_of(_METHODS),
    }

    def __init__(self, estimator, n_snapshots=5, method="cyclic", random_state=None):
        self.estimator = estimator
        self.n_snapshots = n_snapshots
        self.method = method
        self.random_state = random_state

    def _configure(self, model):
        """Set the run up: callbacks, schedule, epochs; return the snapshot epochs."""
        from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

        from autodl.neural import PicklableLRScheduler, WeightSnapshots

        net, prefix = _net_of(model)
        n, max_epochs = self.n_snapshots, net.max_epochs
        if max_epochs < n:
            raise ValueError(
                f"n_snapshots={n} needs a net with max_epochs >= {n}, got "
                f"max_epochs={max_epochs}; train longer or take fewer snapshots."
            )
        # one run gives the snapshots: one net (n_seeds=1), no early end
        params = {"early_stopping": False, "weight_averaging": None, "n_seeds": 1}
        callbacks = list(net.callbacks or [])
        if self.method == "cyclic":
            cycle = max_epochs // n
            epochs = [cycle * (i + 1) for i in range(n)]
            params.update(lr_schedule=None, max_epochs=cycle * n)
            scheduler = PicklableLRScheduler(CosineAnnealingWarmRestarts, T_0=cycle)
            callbacks.append((_LR_CALLBACK, scheduler))
        else:
            epochs = list(range(max_epochs - n + 1, max_epochs + 1))
        callbacks.append((_SNAPSHOT_CALLBACK, WeightSnapshots(epochs)))
        params["callbacks"] = callbacks
        model.set_params(**{prefix + key: value for key, value in params.items()})
        return epochs

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Train the net once and keep its snapshots as members.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data, passed to the estimator as it is.
        y : array-like of shape (n_samples,)
            Target.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights of the training run (each part of a pipeline that takes
            them). With metadata routing on, ``estimator`` gets what it
            requested.
        **fit_params : dict
            Other metadata for ``estimator``; only with metadata routing on.

        Returns
        -------
        self
        """
        check_params(self)
        _net_of(self.estimator)  # a clear error before any work
        estimator, params = self._route(sample_weight, fit_params)
        X, y = self._validate(X, y, reset=True)
        check_weights(sample_weight, X)
        model = clone(estimator)
        if self.random_state is not None:
            set_seeds(model, self.random_state)
        self._configure(model)
        with config_context(enable_metadata_routing=bool(params)):
            model.fit(X, y, **params)
        net = _net_of(model)[0]
        recorder = dict(net.net_.callbacks_)[_SNAPSHOT_CALLBACK]
        snapshots, recorder.snapshots_ = recorder.snapshots_, []
        if not snapshots:
            raise ValueError(
                "Training ended before the first snapshot (was it interrupted?); "
                "no member to keep."
            )
        members = []
        for _, state in snapshots:
            member = copy.deepcopy(model)
            _net_of(member)[0].net_.module_.load_state_dict(state)
            members.append(member)
        self._set_classes(y)
        self.estimators_ = members
        drop_routed_requests(sample_weight, self.estimators_)  # skops-friendly
        self.snapshot_epochs_ = [epoch for epoch, _ in snapshots]
        return self
