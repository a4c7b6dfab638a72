"""One docstring mechanism: ``Substitution`` and the shared parameter texts."""

import inspect
import re

import pytest

import autodl
from autodl.utils import _docstring
from autodl.utils._docstring import Substitution

# the shared texts, by parameter name
SHARED = {
    "random_state": _docstring._random_state_docstring,
    "n_jobs": _docstring._n_jobs_docstring,
    "device": _docstring._device_docstring,
    "verbose": _docstring._verbose_docstring,
}
# {"Estimator": {"param": "why its text cannot be the shared one, in one sentence"}}
OWN_TEXT = {
    "SnapshotEnsemble": {
        "random_state": "None keeps the wrapped estimator's own seeds; an int seeds "
        "every random_state parameter inside it.",
    },
}

PUBLIC = [getattr(autodl, name) for name in autodl.__all__ if name != "__version__"]
ESTIMATORS = [obj for obj in PUBLIC if inspect.isclass(obj) and hasattr(obj, "fit")]


def _sections(doc):
    doc = inspect.cleandoc(doc)
    head = r"^(\w[\w ]*)\n-{3,}\n"
    found = re.finditer(head + r"(.*?)(?=" + head + r"|\Z)", doc, flags=re.M | re.S)
    return {m.group(1): m.group(2) for m in found}


def test_substitution_indents_blocks_and_fills_inline_and_nested_texts():
    @Substitution(
        block="x : int, default=0\n    The x{where}.",
        where=" of the class",
        name="f",
    )
    def f():
        """Summary of {name}.

        Parameters
        ----------
        {block}
            More about x.
        kind : {"a", "b"}, default="a"
            Braces that name no text stay.
        """

    lines = f.__doc__.split("\n")
    assert lines[0] == "Summary of f."
    assert "        x : int, default=0" in lines
    assert "            The x of the class." in lines
    assert "            More about x." in lines
    assert '        kind : {"a", "b"}, default="a"' in lines


def test_substitution_names_an_unused_text():
    with pytest.raises(ValueError, match=r"\['typo'\].*add \{typo\}"):

        @Substitution(typo="text")
        class Documented:
            """No placeholder here."""


def test_substitution_without_docstrings():  # python -OO
    def f():
        pass

    assert Substitution(x="text")(f) is f and f.__doc__ is None


@pytest.mark.parametrize("obj", PUBLIC, ids=lambda obj: obj.__name__)
def test_no_placeholder_is_left(obj):
    keys = {
        *SHARED,
        "feature_attributes",
        "shared",
        "shared_params",
        "common_params",
        "shared_attributes",
        "auto_params",
        "auto_attributes",
        "sample_weight",
    }
    docs = [obj.__doc__] + [
        getattr(obj, m).__doc__ or "" for m in ("fit", "predict") if hasattr(obj, m)
    ]
    left = {key for doc in docs for key in re.findall(r"\{(\w+)\}", doc)} & keys
    assert not left


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda est: est.__name__)
def test_estimator_docstring_is_numpydoc(est):
    sections = _sections(est.__doc__)
    assert {"Parameters", "Attributes", "Examples"} <= set(sections)
    documented = []
    for names in re.findall(r"^(\w[\w, ]*?) :", sections["Parameters"], flags=re.M):
        documented += [name.strip() for name in names.split(",")]
    params = list(inspect.signature(est).parameters)
    assert documented == params, "document every parameter once, in order"
    assert re.search(r"^\w+_ : ", sections["Attributes"], flags=re.M)
    assert ">>> " in sections["Examples"]


@pytest.mark.parametrize("est", ESTIMATORS, ids=lambda est: est.__name__)
def test_shared_parameters_use_the_shared_text(est):
    defaults = {
        name: p.default for name, p in inspect.signature(est).parameters.items()
    }
    doc = inspect.cleandoc(est.__doc__)
    for name, text in SHARED.items():
        if name not in defaults or name in OWN_TEXT.get(est.__name__, {}):
            continue
        default = re.search(r"default=(.*)", text.split("\n")[0]).group(1)
        if repr(defaults[name]).replace("'", '"') != default:
            continue  # another default is another parameter text
        assert text in doc, f"{est.__name__}: use {{{name}}}"


def test_regressors_do_not_retype_their_classifiers():
    """The twins share their parameter texts: one written, both rendered."""
    from autodl import AutoClassifier, AutoRegressor

    clf = _sections(AutoClassifier.__doc__)["Parameters"]
    reg = _sections(AutoRegressor.__doc__)["Parameters"]
    same = [line for line in clf.split("\n") if line in reg.split("\n")]
    assert len(same) > 0.8 * len(clf.split("\n"))
