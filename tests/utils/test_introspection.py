"""autodl.utils._introspection: one way to look inside pipelines and ensembles."""

import subprocess
import sys

import pytest
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from autodl.pipeline import make_pipeline as make_imblearn_pipeline
from autodl.utils import (
    final_step,
    find_net,
    first_step,
    first_steps_accept,
    fitted_nets,
    is_net,
    steps_of,
)


class _FittedNet(BaseEstimator):
    """Stands in for a fitted autodl net: it has a ``history_``."""

    def __init__(self, tag=0):
        self.tag = tag
        self.history_ = [{"epoch": 1}]


class _Members(BaseEstimator):
    """Stands in for a fitted meta-estimator with named members."""

    def __init__(self, **members):
        self.named_estimators_ = members


def test_first_step_goes_through_nested_pipelines_and_skips_passthrough():
    scaler = StandardScaler()
    inner = Pipeline([("skip", "passthrough"), ("scale", scaler)])
    outer = make_imblearn_pipeline(inner, LogisticRegression())
    assert first_step(outer) is scaler
    assert first_step(None, "passthrough", outer) is scaler
    assert first_step("drop", None) is None
    assert first_step(Pipeline([("a", "passthrough")]), scaler) is scaler


def test_first_steps_accept_reads_the_first_step_of_each_member():
    nan_first = make_pipeline(HistGradientBoostingClassifier())
    assert first_steps_accept([nan_first, "drop", None], "allow_nan")
    assert not first_steps_accept(
        [nan_first, make_pipeline(StandardScaler(), LogisticRegression())], "string"
    )
    # a member whose steps are all skipped hands X on: nothing to refuse
    assert first_steps_accept([Pipeline([("a", "passthrough")])], "allow_nan")


def test_final_step_routes_through_nested_pipelines():
    model = LogisticRegression()
    nested = Pipeline([("prep", StandardScaler()), ("inner", make_pipeline(model))])
    found, prefix = final_step(nested)
    assert found is model
    assert prefix == "inner__logisticregression__"
    nested.set_params(**{prefix + "C": 0.5})
    assert model.C == 0.5
    assert final_step(model) == (model, "")
    assert steps_of(model) == []


def test_find_net_and_fitted_nets():
    net = _FittedNet()
    assert is_net(net)
    assert not is_net(LogisticRegression())
    assert find_net(make_pipeline(StandardScaler(), net)) == (net, "_fittednet__")
    assert find_net(make_pipeline(StandardScaler(), LogisticRegression())) == (
        None,
        None,
    )
    other = _FittedNet(1)
    blend = _Members(a=make_pipeline(StandardScaler(), net), b=LogisticRegression())
    middle = Pipeline([("net", other), ("lr", LogisticRegression())])
    assert fitted_nets(blend) == [("a", net)]
    assert fitted_nets(middle) == [("net", other)]
    assert fitted_nets(net, "mine") == [("mine", net)]
    assert fitted_nets(None) == []


def test_an_autodl_net_is_recognised_before_it_is_fitted():
    pytest.importorskip("torch")
    from autodl.neural import MLPClassifier

    net = MLPClassifier()
    assert find_net(make_imblearn_pipeline(StandardScaler(), net))[0] is net


def test_looking_for_nets_loads_neither_torch_nor_skorch():
    code = (
        "import sys;"
        "from sklearn.pipeline import make_pipeline;"
        "from sklearn.linear_model import LogisticRegression;"
        "from autodl.utils import find_net, fitted_nets;"
        "model = make_pipeline(LogisticRegression());"
        "assert find_net(model) == (None, None) and fitted_nets(model) == [];"
        "heavy = {'torch', 'skorch'} & set(sys.modules);"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_package_keeps_its_own_unwrap_helper():
    """The helpers that each unwrapped pipelines their own way are gone."""
    import autodl.diagnostics._curves as curves
    import autodl.diagnostics._report as report
    import autodl.spotcheck._spotcheck as spotcheck
    import autodl.utils._validation as validation

    for module, name in [
        (curves, "_is_net"),
        (curves, "_steps"),
        (report, "_nets_in"),
        (spotcheck, "_first_step"),
        (validation, "first_steps_accept"),
    ]:
        assert not hasattr(module, name), (module.__name__, name)
    assert curves.find_net is find_net
