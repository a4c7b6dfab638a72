"""Shared by the lever tests: every lever set explicitly (off), tiny seeded data.

The lever tests turn on the one lever they test on top of ``levers_off``, so a
change of the estimators' defaults cannot make a lever look active (or idle).
"""

import numpy as np
import pytest
from sklearn.datasets import make_classification

LEVERS_OFF = {
    "hidden_layer_sizes": (16,),
    "activation": "relu",
    "batch_norm": False,
    "dropout": 0.0,
    "input_noise": 0.0,
    "hidden_noise": 0.0,
    "weight_init": "default",
    "optimizer": "adam",
    "lr": 0.01,
    "batch_size": 32,
    "max_epochs": 15,
    "lr_schedule": None,
    "grad_clip": None,
    "weight_decay": 0.0,
    "l1": 0.0,
    "activity_l1": 0.0,
    "max_norm": None,
    "early_stopping": False,
    "validation_fraction": 0.0,
    "weight_averaging": None,
    "input_scaling": "standard",
    "numeric_embedding": None,
    "feature_scale": False,
    "n_ensemble": 1,
    "device": "cpu",
    "random_state": 0,
}


@pytest.fixture
def levers_off():
    """The estimators' parameters with every lever off (a fresh dict)."""
    return dict(LEVERS_OFF)


@pytest.fixture(scope="session")
def lever_data():
    """120 rows, 6 features, 2 classes, float32."""
    X, y = make_classification(120, 6, n_informative=4, random_state=0)
    return X.astype(np.float32), y
