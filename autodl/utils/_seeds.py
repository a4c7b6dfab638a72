"""Seeds: integers drawn from a ``random_state``, and the estimator's seed knobs.

Every integer seed autodl passes on (to a sub-estimator, a CV splitter, a sampler,
torch) is drawn here, from ``[0, MAX_SEED)``, so a fit with the same
``random_state`` draws the same seeds wherever it happens.
"""

import numpy as np
from sklearn.utils import check_random_state

# the seeds drawn are below this: what every library we seed accepts
MAX_SEED = np.iinfo(np.int32).max


def draw_seed(random_state, size=None):
    """An integer seed drawn from ``random_state``, or a list of ``size`` of them.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        As scikit-learn takes it (:func:`~sklearn.utils.check_random_state`); a
        RandomState instance is drawn from (and so advances).
    size : int or None, default=None
        How many seeds; None for one.

    Returns
    -------
    seed : int, or list of int when ``size`` is given

    Examples
    --------
    >>> draw_seed(0) == draw_seed(0)
    True
    >>> len(draw_seed(0, size=3))
    3
    """
    rng = check_random_state(random_state)
    if size is None:
        return int(rng.randint(MAX_SEED))
    return [int(seed) for seed in rng.randint(MAX_SEED, size=size)]


def random_state_params(estimator):
    """Names of every ``random_state`` parameter of ``estimator``, nested ones too.

    Parameters
    ----------
    estimator : estimator instance
        Any scikit-learn estimator (a pipeline or meta-estimator included).

    Returns
    -------
    names : list of str
        ``"random_state"`` and every ``"<path>__random_state"`` of
        ``estimator.get_params(deep=True)``, sorted.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.decomposition import PCA
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> random_state_params(make_pipeline(PCA(2), DecisionTreeClassifier()))
    ['decisiontreeclassifier__random_state', 'pca__random_state']
    """
    return sorted(
        name
        for name in estimator.get_params(deep=True)
        if name == "random_state" or name.endswith("__random_state")
    )


def set_seeds(estimator, random_state, names=None):
    """Set each ``random_state`` parameter of ``estimator`` to a seed drawn here.

    Parameters
    ----------
    estimator : estimator instance
        Changed in place (``set_params``); pass a clone to keep the original.
    random_state : int, RandomState instance or None
        Where the seeds come from, one per name, in the order of ``names``.
    names : list of str or None, default=None
        The parameters to seed; None for :func:`random_state_params`.

    Returns
    -------
    estimator : estimator instance
    seeds : dict of str to int
        The seed given to each parameter.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> tree, seeds = set_seeds(DecisionTreeClassifier(), 0)
    >>> tree.random_state == seeds["random_state"]
    True
    """
    rng = check_random_state(random_state)
    if names is None:
        names = random_state_params(estimator)
    seeds = {name: draw_seed(rng) for name in names}
    return estimator.set_params(**seeds), seeds
