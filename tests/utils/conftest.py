"""Every registered estimator fitted once per session, for the registry-wide tests."""

import pytest
from _helpers import NAMES, fit, make_data, small_instance
from sklearn.base import clone


@pytest.fixture(scope="session")
def fitted():
    """``{name: (fitted estimator, X, y)}`` for every registered estimator."""
    out = {}
    for name in NAMES:
        X, y = make_data(name)
        out[name] = (fit(clone(small_instance(name)), X, y), X, y)
    return out
