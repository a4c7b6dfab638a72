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
from autodl.utils._frames import as_pandas, like_input
from autodl.utils._param_validation import (
    check_number,
    check_option,
    check_params,
)
from autodl.utils._persistence import trusted_types
from autodl.utils._scoring import check_metric, score_output, score_weighted
from autodl.utils._task import one_model_per_target, resolve_task
from autodl.utils._validation import (
    check_classification_y,
    check_dense,
    first_steps_accept,
    validate_numeric,
    validate_passthrough,
)
from autodl.utils._weights import (
    accepts_sample_weight,
    check_weights,
    drop_routed_requests,
    fit_weighted,
    members_router,
    positive_rows,
    requesting_weights,
    route_to_members,
    take_rows,
)

__all__ = [
    "DriftError",
    "accepts_sample_weight",
    "all_estimators",
    "as_pandas",
    "atomic_write",
    "check_classification_y",
    "check_dense",
    "check_drift",
    "check_metric",
    "check_number",
    "check_option",
    "check_output",
    "check_params",
    "check_weights",
    "drop_routed_requests",
    "csv_header_is",
    "fallback_path",
    "first_steps_accept",
    "fit_weighted",
    "holds_bytes",
    "is_report",
    "like_input",
    "members_router",
    "one_model_per_target",
    "positive_rows",
    "profile_columns",
    "requesting_weights",
    "resolve_task",
    "route_to_members",
    "score_output",
    "score_weighted",
    "take_rows",
    "trusted_types",
    "validate_numeric",
    "validate_passthrough",
]
