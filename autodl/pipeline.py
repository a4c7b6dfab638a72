"""Pipelines that accept samplers: imbalanced-learn's Pipeline, scikit-learn's names."""

from imblearn.pipeline import Pipeline
from imblearn.pipeline import make_pipeline as _imblearn_make_pipeline

__all__ = ["Pipeline", "make_pipeline"]


def make_pipeline(*steps, memory=None, verbose=False):
    """Build a Pipeline whose steps may be samplers, named like scikit-learn's.

    It is imbalanced-learn's :class:`~imblearn.pipeline.Pipeline`, so a sampler
    (``Resampler``, ``NoiseAugmenter``, any imbalanced-learn sampler) changes the
    training rows in ``fit`` only and is skipped in ``predict`` and ``transform``.
    Step names are the lower-cased class names (``"logisticregression"``), so a
    grid reads ``{"logisticregression__C": [0.1, 1]}``.

    Parameters
    ----------
    *steps : estimators
        Transformers and samplers, then the final estimator.
    memory : str or joblib.Memory, default=None
        Cache fitted transformers (see scikit-learn's ``Pipeline``).
    verbose : bool, default=False
        Print the time each step takes.

    Returns
    -------
    pipeline : imblearn.pipeline.Pipeline

    Examples
    --------
    >>> from imblearn.over_sampling import RandomOverSampler
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import StandardScaler
    >>> from autodl.pipeline import make_pipeline
    >>> pipe = make_pipeline(StandardScaler(), RandomOverSampler(random_state=0),
    ...                      LogisticRegression())
    >>> [name for name, _ in pipe.steps]
    ['standardscaler', 'randomoversampler', 'logisticregression']
    """
    return _imblearn_make_pipeline(*steps, memory=memory, verbose=verbose)
