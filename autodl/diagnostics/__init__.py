"""Learning curves, the learning / generalization / prediction diagnosis, reports."""

__all__ = []
