"""Data preparation: rescaling, power transforms, feature selection, resampling.

Leaf estimators built on scikit-learn and imbalanced-learn. Nothing here imports
torch, ``autodl.neural`` or anything above it (DESIGN.md, "Layering").
"""

from autodl.preprocessing._noise import NoiseAugmenter
from autodl.preprocessing._power import PowerTransform
from autodl.preprocessing._resampler import Resampler
from autodl.preprocessing._rescaler import Rescaler
from autodl.preprocessing._selection import FeatureSelector
from autodl.preprocessing._tabular import TabularPreprocessor

__all__ = [
    "FeatureSelector",
    "NoiseAugmenter",
    "PowerTransform",
    "Resampler",
    "Rescaler",
    "TabularPreprocessor",
]
