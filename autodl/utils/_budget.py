"""One budget for a search: a deadline made once, and trials counted once."""

import math
import threading
import time
from contextlib import contextmanager


class _Trials:
    """A count of candidate configurations shared by a budget and its children."""

    def __init__(self, limit):
        self.limit = limit
        self.used = 0

    @property
    def left(self):
        return math.inf if self.limit is None else self.limit - self.used


class Budget:
    """A deadline and a trial count, handed down a search instead of seconds.

    Made once at the start of ``fit``; a phase gets a child (:meth:`share`,
    :meth:`until`) whose deadline never passes its parent's, never a new absolute
    deadline of its own. Children share the parent's trial count.

    Parameters
    ----------
    seconds : float or None
        Seconds from now; ``None`` is no clock.
    trials : int or None, default=None
        Candidate configurations to evaluate at most; ``None`` is no limit.

    Examples
    --------
    >>> budget = Budget(60, trials=10)
    >>> half = budget.share(0.5)
    >>> half.left() <= 30.0 < budget.left()
    True
    >>> half.take_trial(); budget.trials_left()
    9
    """

    _reserve = None

    def __init__(self, seconds, trials=None):
        self.deadline = None if seconds is None else time.perf_counter() + seconds
        self._trials = _Trials(trials)

    @classmethod
    def _child(cls, parent, deadline):
        child = cls.__new__(cls)
        child.deadline = deadline
        child._trials = parent._trials
        return child

    def left(self):
        """Seconds to the deadline (``math.inf`` without a clock, 0 when past)."""
        if self.deadline is None:
            return math.inf
        reserve = self._reserve() if self._reserve is not None else 0.0
        return max(self.deadline - reserve - time.perf_counter(), 0.0)

    def trials_left(self):
        return self._trials.left

    def take_trial(self):
        """Count one candidate configuration against the budget."""
        self._trials.used += 1

    def expired(self):
        """Whether no new work may start: past the deadline or out of trials."""
        return self.left() <= 0 or self._trials.left <= 0

    def share(self, fraction):
        """A child budget with ``fraction`` of the time left."""
        if self.deadline is None:
            return self._child(self, None)
        reserve = self._reserve() if self._reserve is not None else 0.0
        end = time.perf_counter() + fraction * self.left() + reserve
        child = self._child(self, min(end, self.deadline))
        child._reserve = self._reserve  # still kept back, as by the parent
        return child

    def until(self, reserve):
        """A child budget that ends ``reserve`` seconds before this one.

        ``reserve`` may be a function of no arguments, asked again at every
        :meth:`left` (time kept for work whose cost grows as the search goes on,
        such as the final refit).
        """
        if self.deadline is None:
            return self._child(self, None)
        if callable(reserve):
            child = self._child(self, self.deadline)
            child._reserve = reserve
            return child
        return self._child(self, self.deadline - reserve)

    @property
    def timed(self):
        return self.deadline is not None


_clock = threading.local()


@contextmanager
def fit_deadline(deadline):
    """Models fitted in this block stop training at ``deadline``.

    A search's fold fits run in one, so that a model ends by the search's deadline
    instead of overrunning it. The zoo's LightGBM, XGBoost and CatBoost models stop
    adding trees and keep the rounds they trained (their best round when they
    early-stop on a validation split), as AutoGluon's models do under their time
    limit; its random forest and extra trees stop growing trees and keep those
    grown; autodl's nets end after the epoch that reaches the deadline and keep
    their best epoch. ``deadline`` is a ``time.time()`` value (one clock for the
    threads and processes of a machine), or ``None`` for no limit. The deadline is
    the calling thread's: fits in other threads are not affected.

    Examples
    --------
    >>> import time
    >>> with fit_deadline(time.time() + 60):
    ...     print(current_fit_deadline() > time.time())
    True
    >>> print(current_fit_deadline())
    None
    """
    before = current_fit_deadline()
    _clock.deadline = deadline
    try:
        yield
    finally:
        _clock.deadline = before


def current_fit_deadline():
    """The ``time.time()`` at which fits in this thread stop, or ``None``
    (see :func:`fit_deadline`)."""
    return getattr(_clock, "deadline", None)
