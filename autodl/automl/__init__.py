"""AutoClassifier / AutoRegressor: spot-check, tune and ensemble under a time budget."""

__all__ = []
