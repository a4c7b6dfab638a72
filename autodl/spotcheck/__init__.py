"""Cross-validated spot-checks of many models over several views of the data."""

from autodl.spotcheck._spotcheck import SpotCheck, default_views
from autodl.spotcheck._zoo import ModelSpec, default_models

__all__ = ["ModelSpec", "SpotCheck", "default_models", "default_views"]
