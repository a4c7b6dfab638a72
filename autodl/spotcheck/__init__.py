"""Cross-validated spot-checks of many models over several views of the data."""

__all__ = []
