"""Private helpers shared by autodl's packages, and the estimator registry.

Nothing here imports an autodl package above it (DESIGN.md, "Layering"), except
:func:`all_estimators`, which imports them lazily when called.
"""

from autodl.utils._discovery import all_estimators
from autodl.utils._drift import DriftError, check_drift, profile_columns
from autodl.utils._files import (
    atomic_write,
    check_output,
    csv_header_is,
    fallback_path,
    holds_bytes,
    is_report,
)
from autodl.utils._scoring import check_metric, score_output
from autodl.utils._task import resolve_task
from autodl.utils._validation import (
    check_classification_y,
    check_number,
    check_option,
    first_steps_accept,
    validate_numeric,
    validate_passthrough,
)

__all__ = [
    "DriftError",
    "all_estimators",
    "atomic_write",
    "check_classification_y",
    "check_drift",
    "check_metric",
    "check_number",
    "check_option",
    "check_output",
    "csv_header_is",
    "fallback_path",
    "first_steps_accept",
    "holds_bytes",
    "profile_columns",
    "is_report",
    "resolve_task",
    "score_output",
    "validate_numeric",
    "validate_passthrough",
]
