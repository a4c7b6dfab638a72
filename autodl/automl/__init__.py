"""AutoClassifier / AutoRegressor: a strong-first, anytime search in a time budget."""

from autodl.automl._auto import AutoClassifier, AutoRegressor

__all__ = ["AutoClassifier", "AutoRegressor"]
