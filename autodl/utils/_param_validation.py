"""Parameter validation: one constraints table per estimator, checked once in fit.

An estimator declares what each parameter accepts in ``_parameter_constraints``, as
scikit-learn and imbalanced-learn do, and its ``fit`` starts with
:func:`check_params`::

    class Rescaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
        _parameter_constraints = {"method": one_of(_SCALERS)}

        def fit(self, X, y=None):
            check_params(self)
            ...

(A call, not a decorator as scikit-learn's ``_fit_context``: a decorator's frame
would shift the ``stacklevel`` of every warning ``fit`` gives.)

A value is valid when it satisfies any constraint of its list. The constraints are
scikit-learn's (``Interval``, ``StrOptions``, ``Options``, ``HasMethods``,
``"boolean"``, ``callable``, ``None``, a type), so they read as they do there, plus
three for structured values: :class:`SequenceOf` (layer sizes, pairs of numbers),
:class:`NamedPairs` (``(name, estimator)`` lists) and :class:`Described` (any of
its constraints, worded for the user). scikit-learn decides what is valid; the
error is worded our way, naming the parameter, the value and what is allowed::

    InvalidParameterError: dropout=1.0 is not supported; use a number in [0, 1).

(scikit-learn's ``InvalidParameterError``, a ``ValueError`` and a ``TypeError``.)

Checks between parameters (``nesterov=True`` needs ``optimizer="sgd"``) and against
the data (``cv`` against ``n_samples``) stay in ``fit``, after this one.
"""

from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np

# scikit-learn's constraint objects (imbalanced-learn imports them from here too);
# private, so this is the one place to change if they move
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    _Booleans,
    _Callables,
    _InstancesOf,
    _NoneConstraint,
    make_constraint,
)

__all__ = [
    "Described",
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "NamedPairs",
    "Options",
    "SequenceOf",
    "StrOptions",
    "check_number",
    "check_option",
    "check_param",
    "check_params",
    "describe",
    "one_of",
]


class _Constraint:
    """A constraint of ours: ``is_satisfied_by(value)`` and ``describe()``."""

    def is_satisfied_by(self, value):
        raise NotImplementedError

    def describe(self):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.describe()!r})"


class Described(_Constraint):
    """Any of ``constraints``, described in the error by ``text``.

    For a parameter whose alternatives read better as one phrase, or whose
    message says what the value means (``"positive seconds"``).

    Parameters
    ----------
    text : str
        What is allowed, completing "use ...".
    *constraints : constraint
        The constraints, as in a table's list (any of them will do).

    Examples
    --------
    >>> budget = Described("positive seconds, or None", Interval(Real, 0, None,
    ...                    closed="neither"), None)
    >>> budget.is_satisfied_by(30), budget.is_satisfied_by(0)
    (True, False)
    """

    def __init__(self, text, *constraints):
        self.text = text
        self.constraints = [_as_constraint(c) for c in constraints]

    def is_satisfied_by(self, value):
        return any(_satisfied(c, value) for c in self.constraints)

    def describe(self):
        return self.text


class SequenceOf(_Constraint):
    """A tuple, list or 1-D array whose items all satisfy ``item``.

    Parameters
    ----------
    item : constraint or None, default=None
        What each item must be, e.g. ``Interval(Integral, 1, None, closed="left")``
        (None: anything).
    length : int or None, default=None
        The number of items required (None: any number, none included).
    min_length : int, default=0
        The fewest items accepted.

    Examples
    --------
    >>> betas = SequenceOf(Interval(Real, 0, 1, closed="left"), length=2)
    >>> betas.is_satisfied_by((0.9, 0.99)), betas.is_satisfied_by((0.9,))
    (True, False)
    >>> betas.describe()
    'a tuple of 2 items, each a number in [0, 1)'
    """

    def __init__(self, item=None, *, length=None, min_length=0):
        self.item = None if item is None else _as_constraint(item)
        self.length = length
        self.min_length = min_length

    def is_satisfied_by(self, value):
        if isinstance(value, str | bytes | Mapping) or not hasattr(value, "__iter__"):
            return False
        if getattr(value, "ndim", 1) != 1:
            return False
        items = list(value)
        if len(items) < self.min_length:
            return False
        if self.length is not None and len(items) != self.length:
            return False
        return self.item is None or all(_satisfied(self.item, v) for v in items)

    def describe(self):
        count = "" if self.length is None else f"{self.length} "
        some = "a non-empty" if self.min_length and self.length is None else "a"
        each = "" if self.item is None else f", each {describe(self.item)}"
        return f"{some} tuple of {count}items{each}"


class NamedPairs(_Constraint):
    """A list of ``(name, what)`` pairs (or a dict ``{name: what}``).

    The members of a meta-estimator, as scikit-learn's ``StackingClassifier``
    takes them. Only the shape is checked (a string name first); the members are
    checked when they are fitted.

    Parameters
    ----------
    what : str, default="estimator"
        What the second item is, for the message.
    allow_empty : bool, default=False
        Accept an empty list.
    allow_dict : bool, default=False
        Accept a dict ``{name: what}`` too.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> NamedPairs().is_satisfied_by([("lr", LogisticRegression())])
    True
    >>> NamedPairs().is_satisfied_by([LogisticRegression()])
    False
    """

    def __init__(self, what="estimator", *, allow_empty=False, allow_dict=False):
        self.what = what
        self.allow_empty = allow_empty
        self.allow_dict = allow_dict

    def is_satisfied_by(self, value):
        if isinstance(value, Mapping):
            if not self.allow_dict:
                return False
            pairs = [(k, None) for k in value]
        elif isinstance(value, list | tuple):
            pairs = value
        else:
            return False
        if not pairs and not self.allow_empty:
            return False
        return all(
            isinstance(p, list | tuple) and len(p) >= 2 and isinstance(p[0], str)
            for p in pairs
        )

    def describe(self):
        some = "" if self.allow_empty else "non-empty "
        pairs = f"a {some}list of (name, {self.what}) pairs"
        return f"{pairs} (or a dict)" if self.allow_dict else pairs


def one_of(values):
    """The constraints for a closed set of options: strings, and None if listed.

    Parameters
    ----------
    values : iterable
        The options, e.g. ``(None, "swa", "ema")`` or a dict's keys.

    Returns
    -------
    list of constraint
        For a table's entry (add more constraints to it with ``+``).

    Examples
    --------
    >>> [describe(c) for c in one_of((None, "swa", "ema"))]
    ["one of ['ema', 'swa']", 'None']
    """
    values = set(values)
    strings = {v for v in values if isinstance(v, str)}
    others = values - strings - {None}
    constraints = [StrOptions(strings)] if strings else []
    if others:
        constraints.append(Options(object, others))
    return constraints + ([None] if None in values else [])


def _as_constraint(constraint):
    """A constraint object: ours as it is, anything else through scikit-learn."""
    if isinstance(constraint, _Constraint):
        return constraint
    return make_constraint(constraint)


def _satisfied(constraint, value):
    """Whether ``value`` satisfies ``constraint`` (no bool passes for a number)."""
    if isinstance(constraint, Interval) and isinstance(value, bool | np.bool_):
        return False
    try:
        return bool(constraint.is_satisfied_by(value))
    except TypeError:  # an unhashable value against a set of options
        return False


def _bound(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _describe_interval(c):
    kind = "an int" if c.type is Integral else "a number"
    left_closed = c.closed in ("left", "both")
    right_closed = c.closed in ("right", "both")
    if c.left is not None and c.right is not None:
        return (
            f"{kind} in {'[' if left_closed else '('}{_bound(c.left)}, "
            f"{_bound(c.right)}{']' if right_closed else ')'}"
        )
    if c.left is not None:
        return f"{kind} {'>=' if left_closed else '>'} {_bound(c.left)}"
    if c.right is not None:
        return f"{kind} {'<=' if right_closed else '<'} {_bound(c.right)}"
    return kind


def _describe_options(options):
    options = sorted(options, key=repr)
    if len(options) == 1:
        return repr(options[0])
    return f"one of [{', '.join(repr(o) for o in options)}]"


def describe(constraint):
    """What a constraint allows, in words that complete "use ...".

    Parameters
    ----------
    constraint : constraint
        One entry of a constraints table's list.

    Returns
    -------
    str

    Examples
    --------
    >>> describe(Interval(Integral, 1, None, closed="left"))
    'an int >= 1'
    >>> describe(Interval(Real, 0, 1, closed="left"))
    'a number in [0, 1)'
    >>> describe(StrOptions({"standard", "minmax"}))
    "one of ['minmax', 'standard']"
    >>> describe(HasMethods(["fit", "predict"]))
    'an object with fit and predict'
    """
    if isinstance(constraint, _Constraint):
        return constraint.describe()
    c = _as_constraint(constraint)
    if isinstance(c, Interval):
        return _describe_interval(c)
    if isinstance(c, Options):
        return _describe_options(c.options)
    if isinstance(c, HasMethods):
        return f"an object with {' and '.join(c.methods)}"
    if isinstance(c, _NoneConstraint):
        return "None"
    if isinstance(c, _Booleans):
        return "a bool"
    if isinstance(c, _Callables):
        return "a callable"
    if isinstance(c, _InstancesOf):
        name = c.type.__name__
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"
    return str(c)  # scikit-learn's own words


def _allowed(constraints):
    parts = [describe(c) for c in constraints if not getattr(c, "hidden", False)]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} or {parts[-1]}"


def check_param(name, value, constraints):
    """Raise unless ``value`` satisfies one of ``constraints``, naming all three.

    The error is scikit-learn's ``InvalidParameterError``: a ``ValueError`` (and a
    ``TypeError``) that says ``name=value is not supported; use <allowed>.``

    Parameters
    ----------
    name : str
        The parameter's name, as the user typed it.
    value : object
        The value given.
    constraints : list of constraint
        One entry of a constraints table (see the module docstring).

    Examples
    --------
    >>> check_param("n_copies", 2, [Interval(Integral, 0, None, closed="left")])
    >>> check_param("n_copies", 1.5, [Interval(Integral, 0, None, closed="left")])
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: n_copies=1.5 is not \
supported; use an int >= 0.
    """
    if not any(_satisfied(_as_constraint(c), value) for c in constraints):
        raise InvalidParameterError(
            f"{name}={value!r} is not supported; use {_allowed(constraints)}."
        )


def check_params(estimator, names=None):
    """Check ``estimator``'s parameters against its class's constraints table.

    Reads ``type(estimator)._parameter_constraints`` (``{name: [constraint, ...]}``,
    or ``"no_validation"`` for a parameter that takes anything) and
    ``estimator.get_params(deep=False)``.

    Parameters
    ----------
    estimator : estimator instance
    names : iterable of str, default=None
        Check only these parameters (e.g. one that ``predict`` reads again);
        None checks every parameter of the table.

    Examples
    --------
    >>> from autodl.preprocessing import Rescaler
    >>> check_params(Rescaler("minmax"))
    >>> check_params(Rescaler("max"))
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: method='max' is not \
supported; use one of ['minmax', 'minmax_sym', 'none', 'quantile_normal', \
'robust', 'standard'].
    """
    table = type(estimator)._parameter_constraints
    params = estimator.get_params(deep=False)
    for name in table if names is None else names:
        constraints = table[name]
        if isinstance(constraints, str) and constraints == "no_validation":
            continue
        check_param(name, params[name], constraints)


def check_option(name, value, allowed):
    """Raise a ValueError naming the allowed values when ``value`` is not one.

    For a function's argument; an estimator's parameters go in its table.

    Parameters
    ----------
    name : str
        The parameter's name, as the user typed it.
    value : object
        The value given.
    allowed : collection
        The values accepted (a dict's keys, a set, a list).

    Examples
    --------
    >>> check_option("method", "minmax", {"standard", "minmax"})
    >>> check_option("method", "max", {"standard", "minmax"})
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: method='max' is not \
supported; use one of ['minmax', 'standard'].
    """
    check_param(name, value, [Options(object, set(allowed))])


def check_number(name, value, low=None, high=None, *, integer=False, high_open=False):
    """Raise a ValueError naming the parameter unless low <= value (< or <=) high.

    For a function's argument; an estimator's parameters go in its table.

    Parameters
    ----------
    name : str
        The parameter's name, as the user typed it.
    value : object
        The value given.
    low, high : number or None, default=None
        The bounds (None: unbounded on that side); ``low`` is inclusive.
    integer : bool, default=False
        Accept integers only (else any finite number; never a bool).
    high_open : bool, default=False
        Exclude ``high`` itself.

    Examples
    --------
    >>> check_number("dropout", 0.2, 0, 1, high_open=True)
    >>> check_number("n_runs", 0, 1, integer=True)
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: n_runs=0 is not \
supported; use an int >= 1.
    """
    # an unbounded side is open, so infinity is refused there
    if low is None:
        closed = "neither" if high is None or high_open else "right"
    else:
        closed = "left" if high is None or high_open else "both"
    interval = Interval(Integral if integer else Real, low, high, closed=closed)
    check_param(name, value, [interval])
