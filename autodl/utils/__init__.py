"""Private helpers shared by autodl's packages, and the estimator registry.

Nothing here imports an autodl package above it (DESIGN.md, "Layering"), except
:func:`all_estimators`, which imports them lazily when called.
"""

from autodl.utils._budget import current_fit_deadline, fit_deadline
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
from autodl.utils._introspection import (
    final_step,
    find_net,
    first_step,
    first_steps_accept,
    fitted_nets,
    is_net,
    steps_of,
)
from autodl.utils._param_validation import (
    check_number,
    check_option,
    check_params,
)
from autodl.utils._persistence import trusted_types
from autodl.utils._scoring import (
    DEFAULT_SCORING,
    balance_probabilities,
    check_metric,
    class_prior,
    ranks_rows,
    score_output,
    score_weighted,
)
from autodl.utils._seeds import MAX_SEED, draw_seed, random_state_params, set_seeds
from autodl.utils._task import one_model_per_target, resolve_task
from autodl.utils._validation import (
    check_classification_y,
    check_dense,
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
    "DEFAULT_SCORING",
    "MAX_SEED",
    "DriftError",
    "accepts_sample_weight",
    "all_estimators",
    "balance_probabilities",
    "as_pandas",
    "atomic_write",
    "check_classification_y",
    "check_dense",
    "check_drift",
    "check_metric",
    "class_prior",
    "check_number",
    "check_option",
    "check_output",
    "check_params",
    "check_weights",
    "current_fit_deadline",
    "drop_routed_requests",
    "csv_header_is",
    "draw_seed",
    "fallback_path",
    "fit_deadline",
    "final_step",
    "find_net",
    "first_step",
    "first_steps_accept",
    "fitted_nets",
    "fit_weighted",
    "holds_bytes",
    "is_report",
    "is_net",
    "like_input",
    "members_router",
    "one_model_per_target",
    "positive_rows",
    "profile_columns",
    "random_state_params",
    "ranks_rows",
    "requesting_weights",
    "resolve_task",
    "route_to_members",
    "score_output",
    "score_weighted",
    "set_seeds",
    "steps_of",
    "take_rows",
    "trusted_types",
    "validate_numeric",
    "validate_passthrough",
]
