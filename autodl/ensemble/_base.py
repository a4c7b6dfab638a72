"""What the combiners over ``(name, estimator)`` members share."""

from sklearn.base import MetaEstimatorMixin
from sklearn.utils.metaestimators import _BaseComposition

from autodl.utils import first_steps_accept, validate_passthrough
from autodl.utils._repr import members_block


class _Members(MetaEstimatorMixin, _BaseComposition):
    """Members in ``estimators``: ``name__param`` routing, input as they accept it."""

    def get_params(self, deep=True):
        # members' parameters route as ``name__param``, as in VotingClassifier
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        self._set_params("estimators", **params)
        return self

    def _sk_visual_block_(self):  # the HTML diagram draws the members
        return members_block(self.estimators)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = first_steps_accept(  # as the members allow
            (est for _, est in self.estimators), "allow_nan"
        )
        tags.input_tags.sparse = first_steps_accept(
            (est for _, est in self.estimators), "sparse"
        )
        return tags

    def _validate(self, X, y="no_validation", reset=False):
        members = [est for _, est in self.estimators]
        return validate_passthrough(
            self,
            X,
            y,
            reset=reset,
            allow_nan=first_steps_accept(members, "allow_nan"),
            allow_strings=first_steps_accept(members, "string"),
            allow_sparse=first_steps_accept(members, "sparse"),
        )
