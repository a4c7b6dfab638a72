"""AutoClassifier / AutoRegressor: spot-check, tune and ensemble under a time budget."""

from autodl.automl._auto import AutoClassifier, AutoRegressor

__all__ = ["AutoClassifier", "AutoRegressor"]
