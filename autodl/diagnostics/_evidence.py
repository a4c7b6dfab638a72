"""``Evidence``: the numbers :func:`diagnose` reads, as one typed, frozen record."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

__all__ = ["Evidence"]


def _with(anchor):
    """A field that belongs to the group of ``anchor``: shown whenever it is set.

    Such a field appears as a key even when it is ``None`` (e.g. no gap opened
    although the validation loss was read), as the evidence always showed it.
    """
    return field(default=None, metadata={"with": anchor})


@dataclass(frozen=True, repr=False)
class Evidence(Mapping):
    """The numbers behind a :class:`Diagnosis`, one typed field per number.

    Per-epoch numbers are medians over the runs, scores are means over the runs.
    A field is ``None`` when it does not apply (no validation loss, no data, a
    single run, not a net ...). docs/diagnostics.md states the rule that reads
    each number.

    The record is also a read-only mapping of the numbers that apply, in the
    order below, so ``evidence["train_skill"]``, ``"valid_skill_std" in
    evidence``, ``evidence.get("n_runs")`` and ``evidence.items()`` read as they
    did when the evidence was a dict; :meth:`to_dict` returns that dict.

    Attributes
    ----------
    initial_train_loss, final_train_loss : float or None
        The training loss of the first and of the last epoch (nets).
    train_loss_ratio : float or None
        ``final_train_loss / initial_train_loss``; ``inf`` when it diverged.
    diverged : bool
        Whether the training loss became infinite or NaN in any run; a key only
        when ``True``.
    tail_loss_fall_per_epoch : float or None
        How much the training loss fell per epoch over the last epochs, as a
        share of its first-epoch value.
    stopped_while_improving : float or None
        The share of runs still learning when ``max_epochs`` ran out.
    prior_loss : float or None
        The training loss of predicting only the class priors (or the mean);
        autodl nets only.
    final_to_prior_loss : float or None
        ``final_train_loss / prior_loss``.
    min_valid_loss, final_valid_loss : float or None
        The validation loss at its minimum and at the last epoch.
    valid_loss_rise : float or None
        ``(final_valid_loss - min_valid_loss) / min_valid_loss``.
    train_loss_at_valid_min : float or None
        The training loss at the epoch of the validation minimum.
    train_loss_drop_after_min : float or None
        How much the training loss fell after that epoch, as a share.
    valid_min_epoch : int or None
        The epoch of the validation minimum.
    gap_opened_epoch : int or None
        The first epoch after the validation minimum from which the validation
        loss stays more than 20% above it; ``None`` when it did not (a key
        whenever the validation loss was read).
    best_epoch : int or None
        The net's ``best_epoch_``.
    epochs_run : int or None
        The epochs each run trained (nets).
    max_epochs : int or None
        The net's ``max_epochs`` (a key for every net).
    restores_best_epoch : bool or None
        Whether the net keeps the weights of its best epoch (``early_stopping``
        without ``weight_averaging``).
    train_score, valid_score : float or None
        The mean score on the training rows and on the validation rows.
    baseline_score : float or None
        The dummy model's score on the validation rows (a key whenever there are
        scores; ``None`` when the scorer cannot score the dummy).
    train_skill, valid_skill : float or None
        The scores on the skill scale: 0 is the dummy, 1 a perfect score.
    skill_gap : float or None
        ``train_skill - valid_skill``.
    n_runs : int
        The seeds fitted (1 for a diagnosis from a net's own history).
    valid_score_std, valid_skill_std : float or None
        The standard deviation (ddof=1) of the validation score and skill
        across seeds; with two runs or more.
    prediction_disagreement : float or None
        Classes: the share of validation rows the runs do not all predict alike;
        regression: the mean standard deviation of the predictions across runs
        over the standard deviation of ``y``.
    curve_valid_gain : float or None
        Non-nets: the validation skill gained over the second half of the
        learning curve.
    """

    initial_train_loss: float | None = None
    final_train_loss: float | None = _with("initial_train_loss")
    train_loss_ratio: float | None = _with("initial_train_loss")
    diverged: bool = False
    tail_loss_fall_per_epoch: float | None = _with("initial_train_loss")
    stopped_while_improving: float | None = _with("initial_train_loss")
    prior_loss: float | None = None
    final_to_prior_loss: float | None = _with("prior_loss")
    min_valid_loss: float | None = _with("valid_loss_rise")
    final_valid_loss: float | None = _with("valid_loss_rise")
    valid_loss_rise: float | None = None
    train_loss_at_valid_min: float | None = _with("valid_loss_rise")
    train_loss_drop_after_min: float | None = _with("valid_loss_rise")
    valid_min_epoch: int | None = _with("valid_loss_rise")
    gap_opened_epoch: int | None = _with("valid_loss_rise")
    best_epoch: int | None = None
    epochs_run: int | None = _with("initial_train_loss")
    max_epochs: int | None = _with("initial_train_loss")
    restores_best_epoch: bool | None = _with("initial_train_loss")
    train_score: float | None = None
    valid_score: float | None = _with("train_score")
    baseline_score: float | None = _with("train_score")
    train_skill: float | None = _with("train_score")
    valid_skill: float | None = _with("train_score")
    skill_gap: float | None = _with("train_score")
    n_runs: int = 1
    valid_score_std: float | None = None
    valid_skill_std: float | None = _with("valid_score_std")
    prediction_disagreement: float | None = _with("valid_score_std")
    curve_valid_gain: float | None = None

    def _applies(self, item):
        if item.name == "diverged":
            return bool(self.diverged)
        return getattr(self, item.metadata.get("with", item.name)) is not None

    def _keys(self):
        return [item.name for item in fields(self) if self._applies(item)]

    def __getitem__(self, key):
        if key not in self._keys():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self):
        return iter(self._keys())

    def __len__(self):
        return len(self._keys())

    def __repr__(self):
        numbers = ", ".join(f"{key}={value!r}" for key, value in self.items())
        return f"{type(self).__name__}({numbers})"

    def to_dict(self):
        """The numbers that apply, as a dict (what ``evidence`` used to be)."""
        return dict(self)
