"""The architecture of DESIGN.md, checked: imports point one way, import is light."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "autodl"

# DESIGN.md "Layering": a smaller number sits higher; imports go to larger numbers.
LAYER = {
    "cli": 1,
    "automl": 2,
    "diagnostics": 3,
    "spotcheck": 4,
    "ensemble": 4,
    "preprocessing": 5,
    "neural": 5,
    "pipeline": 6,
    "datasets": 6,
    "utils": 6,
}
SIBLINGS_FORBIDDEN = {5}  # preprocessing and neural never import each other


def _autodl_imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "autodl" and len(parts) > 1:
                yield parts[1]


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) > 1 or rel.stem in LAYER:
            yield rel.parts[0].removesuffix(".py"), path


def test_every_package_has_a_layer():
    packages = {
        p.name.removesuffix(".py")
        for p in PACKAGE.iterdir()
        if not p.name.startswith("_") and p.name != "__pycache__"
    }
    assert packages == set(LAYER)


@pytest.mark.parametrize(
    "package,path",
    list(_modules()),
    ids=lambda v: str(v.relative_to(PACKAGE)) if isinstance(v, Path) else v,
)
def test_imports_point_down(package, path):
    own = LAYER[package]
    for target in _autodl_imports(path):
        if target == package:
            continue
        assert target in LAYER, f"{path} imports unknown autodl.{target}"
        assert LAYER[target] >= own, f"{path} imports autodl.{target}, a layer above"
        if LAYER[target] == own:
            assert own not in SIBLINGS_FORBIDDEN, f"{path} imports sibling {target}"


def test_import_is_light():
    code = (
        "import sys, autodl, autodl.cli; autodl.load_demo; autodl.make_pipeline;"
        "heavy = {'torch', 'xgboost', 'skorch'} & set(sys.modules);"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_search_that_trains_no_net_never_imports_torch():
    """Importing torch takes a second or more: a short search that fits no net
    (here the net is in its zoo, built and cloned, but the one trial goes to the
    anchor, logistic regression) must not pay it."""
    code = (
        "import sys; from sklearn.base import clone;"
        "from autodl import AutoClassifier, MLPClassifier, load_demo;"
        "X, y = load_demo(); clone(MLPClassifier(activation='pselu')).get_params();"
        "AutoClassifier(time_budget=None, max_trials=1, n_jobs=1,"
        " include=['logistic_regression', 'lda', 'naive_bayes', 'mlp'],"
        " verbose=0).fit(X[:200], y[:200]);"
        "assert 'torch' not in sys.modules, 'torch imported';"
        "from autodl.neural import MaxNorm; assert 'torch' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_version_is_exported():
    import autodl

    assert autodl.__version__.count(".") >= 2
    assert "__version__" in autodl.__all__
