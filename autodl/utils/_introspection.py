"""Looking inside a composite estimator: its steps, the first step, the nets.

A composite is a Pipeline (scikit-learn's or imbalanced-learn's: anything with a
``steps`` list of ``(name, step)``) or a meta-estimator with fitted members in
``named_estimators_``. Every helper here walks them the same way: a step that is
``None`` or a string (``"passthrough"``, ``"drop"``) is no estimator and is
skipped. Nothing is imported from the packages above ``utils``: a net is
recognised by where its class lives (``autodl.neural``, ``skorch``) or by the
``history_`` a fitted autodl net has, so neither torch nor skorch is loaded here.
"""

from sklearn.utils import get_tags

# where the classes of nets live; checked by name, so nothing is imported
_NET_MODULES = ("autodl.neural", "skorch")


def is_step(step):
    """Whether ``step`` is an estimator, not ``None``, ``"passthrough"``, ``"drop"``."""
    return step is not None and not isinstance(step, str)


def steps_of(estimator):
    """``[(name, step)]`` of a Pipeline (any object with a ``steps`` list), else ``[]``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> [name for name, _ in steps_of(make_pipeline(StandardScaler()))]
    ['standardscaler']
    >>> steps_of(StandardScaler())
    []
    """
    steps = getattr(estimator, "steps", None)
    return list(steps) if isinstance(steps, list | tuple) else []


def first_step(*estimators):
    """The first estimator data meets in a chain of steps and (nested) pipelines.

    Parameters
    ----------
    *estimators : estimator, "passthrough", "drop" or None
        The chain, in the order data goes through it.

    Returns
    -------
    estimator or None
        None when every step is skipped.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> first_step("passthrough", make_pipeline(StandardScaler(), LogisticRegression()))
    StandardScaler()
    """
    for estimator in estimators:
        steps = steps_of(estimator)
        if steps:
            estimator = first_step(*(step for _, step in steps))
        if is_step(estimator):
            return estimator
    return None


def first_steps_accept(estimators, tag):
    """Whether every estimator's first step (pipelines unwrapped) has an input tag.

    A meta-estimator hands ``X`` on to its members, so what it accepts (NaN,
    strings) is what the first step of each member accepts: a member
    ``make_pipeline(TabularPreprocessor(), model)`` takes strings and NaN.

    Parameters
    ----------
    estimators : iterable of estimator, "passthrough", "drop" or None
        The members, or chains of steps; ``"passthrough"``, ``"drop"`` and
        ``None`` are skipped.
    tag : str
        A field of scikit-learn's ``InputTags`` (``"allow_nan"``, ``"string"``).

    Returns
    -------
    bool

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> first_steps_accept([HistGradientBoostingClassifier()], "allow_nan")
    True
    >>> first_steps_accept([HistGradientBoostingClassifier(),
    ...                     LogisticRegression()], "allow_nan")
    False
    """
    firsts = (first_step(estimator) for estimator in estimators)
    return all(
        getattr(get_tags(step).input_tags, tag) for step in firsts if step is not None
    )


def final_step(estimator, prefix=""):
    """The estimator at the end of (nested) pipelines, and the prefix routing to it.

    Parameters
    ----------
    estimator : estimator instance
    prefix : str, default=""
        Put in front of the prefix found (the path to ``estimator`` itself).

    Returns
    -------
    estimator : estimator instance
        The last step of the last step ...; ``estimator`` itself when it is no
        Pipeline.
    prefix : str
        ``"<name>__"`` for each pipeline gone through, so ``prefix + "param"``
        routes ``set_params`` to the estimator found.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> final_step(make_pipeline(StandardScaler(), LogisticRegression()))
    (LogisticRegression(), 'logisticregression__')
    """
    steps = steps_of(estimator)
    while steps:
        name, estimator = steps[-1]
        prefix = f"{prefix}{name}__"
        steps = steps_of(estimator)
    return estimator, prefix


def is_net(estimator):
    """Whether ``estimator`` is an autodl or skorch net (fitted or not), or holds a
    fitted net's ``history_``; no torch or skorch is imported to tell."""
    module = type(estimator).__module__
    return hasattr(estimator, "history_") or module.startswith(_NET_MODULES)


def find_net(estimator):
    """The net in ``estimator`` (itself, or the end of its pipelines) and its prefix.

    Returns
    -------
    net, prefix : estimator instance and str, or ``(None, None)``
        ``make_pipeline(Rescaler(), MLPClassifier())`` gives its
        ``MLPClassifier`` and ``"mlpclassifier__"``.
    """
    net, prefix = final_step(estimator)
    return (net, prefix) if is_net(net) else (None, None)


def fitted_nets(model, label="model"):
    """``[(label, fitted net)]`` of every net in ``model``, in the model's order.

    A net is looked for at the end of ``model``'s pipelines, then in its fitted
    members (``named_estimators_``, labelled by their names) and in every step of
    its pipelines (a net in the middle of one), recursively.

    Parameters
    ----------
    model : estimator instance or None
    label : str, default="model"
        The label of a net found at ``model`` itself.

    Returns
    -------
    list of (str, estimator instance)
    """
    if model is None:
        return []
    net, _ = find_net(model)
    if net is not None and hasattr(net, "history_"):
        return [(label, net)]
    found = []
    members = getattr(model, "named_estimators_", None)
    if members:
        for name, member in members.items():
            found += fitted_nets(member, name)
    for name, step in steps_of(model):
        found += fitted_nets(step, name)
    return found
