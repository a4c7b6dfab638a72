"""Private helpers shared by autodl's packages, and the estimator registry.

Nothing here imports an autodl package above it (DESIGN.md, "Layering"), except
:func:`all_estimators`, which imports them lazily when called.
"""

from autodl.utils._discovery import all_estimators
from autodl.utils._frames import as_pandas, like_input
from autodl.utils._persistence import trusted_types
from autodl.utils._scoring import score_output, score_weighted
from autodl.utils._task import one_model_per_target, resolve_task
from autodl.utils._validation import (
    check_classification_y,
    check_dense,
    check_option,
    first_steps_accept,
    validate_numeric,
    validate_passthrough,
)
from autodl.utils._weights import (
    accepts_sample_weight,
    check_weights,
    fit_weighted,
    members_router,
    positive_rows,
    requesting_weights,
    route_to_members,
    take_rows,
)

__all__ = [
    "accepts_sample_weight",
    "all_estimators",
    "as_pandas",
    "check_classification_y",
    "check_dense",
    "check_option",
    "check_weights",
    "fit_weighted",
    "like_input",
    "members_router",
    "one_model_per_target",
    "positive_rows",
    "requesting_weights",
    "route_to_members",
    "first_steps_accept",
    "resolve_task",
    "score_output",
    "score_weighted",
    "take_rows",
    "trusted_types",
    "validate_numeric",
    "validate_passthrough",
]
