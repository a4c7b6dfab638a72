import inspect
from numbers import Integral, Real

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import BaseEstimator, clone
from sklearn.preprocessing import StandardScaler

from autodl.utils import (
    all_estimators,
    check_classification_y,
    check_number,
    check_option,
    check_params,
    validate_numeric,
)
from autodl.utils._device import resolve_device
from autodl.utils._param_validation import (
    Described,
    HasMethods,
    Interval,
    InvalidParameterError,
    NamedPairs,
    SequenceOf,
    StrOptions,
    check_param,
    describe,
    one_of,
)


def test_check_option():
    check_option("method", "a", {"a", "b"})
    with pytest.raises(ValueError, match=r"method='c' is not supported; use one of"):
        check_option("method", "c", {"a", "b"})
    with pytest.raises(ValueError, match="is not supported"):
        check_option("method", ["a"], {"a"})  # unhashable


# ------------------------------------------------------------ parameter validation
_POSITIVE_INT = Interval(Integral, 1, None, closed="left")


@pytest.mark.parametrize(
    "constraints, good, bad, allowed",
    [
        ([_POSITIVE_INT], [1, np.int64(7)], [0, 1.5, True, "2"], "an int >= 1"),
        (
            [Interval(Real, 0, 1, closed="left")],
            [0, 0.5, np.float32(0.9)],
            [1.0, -0.1, np.nan, False],
            "a number in [0, 1)",
        ),
        (
            [Interval(Real, 0, None, closed="neither")],
            [1e-9, 3],
            [0, np.inf],
            "a number > 0",
        ),
        (
            one_of((None, "swa", "ema")),
            [None, "swa"],
            ["polyak", ["swa"]],
            "one of ['ema', 'swa'] or None",
        ),
        ([_POSITIVE_INT, StrOptions({"full"})], [4, "full"], ["half"], "or 'full'"),
        (["boolean"], [True, np.bool_(False)], [1, "yes"], "a bool"),
        ([HasMethods(["fit"]), None], [StandardScaler(), None], [3], "with fit"),
        ([callable, dict], [len, {"a": 1}], [3], "a callable or a dict"),
        (
            [SequenceOf(_POSITIVE_INT)],
            [(), (64, 32), [8], np.array([4, 2])],
            [(8, 0), 8, "8", np.ones((2, 2), dtype=int)],
            "a tuple of items, each an int >= 1",
        ),
        (
            [SequenceOf(Interval(Real, 0, 1, closed="left"), length=2)],
            [(0.9, 0.99)],
            [(0.9,), (0.9, 1.0)],
            "a tuple of 2 items, each a number in [0, 1)",
        ),
        (
            [NamedPairs()],
            [[("a", StandardScaler())], (("a", None, 1),)],
            [[], [StandardScaler()], {"a": StandardScaler()}, [(1, None)]],
            "a non-empty list of (name, estimator) pairs",
        ),
        (
            [NamedPairs("transformer", allow_dict=True)],
            [{"a": StandardScaler()}],
            ["default"],
            "(name, transformer) pairs (or a dict)",
        ),
        (
            [
                Described(
                    "positive seconds, or None",
                    Interval(Real, 0, None, closed="neither"),
                    None,
                )
            ],
            [None, 30],
            ["a minute", -1],
            "use positive seconds, or None.",
        ),
    ],
)
def test_check_param(constraints, good, bad, allowed):
    for value in good:
        check_param("p", value, constraints)
    for value in bad:
        with pytest.raises(InvalidParameterError) as info:
            check_param("p", value, constraints)
        message = str(info.value)
        assert message.startswith(f"p={value!r} is not supported; use "), message
        assert allowed in message
        assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)


def test_describe_words_scikit_learn_constraints():
    assert describe(Interval(Integral, None, 5, closed="right")) == "an int <= 5"
    assert describe(Interval(Real, 0, 1, closed="both")) == "a number in [0, 1]"
    assert describe(Interval(Real, None, None, closed="neither")) == "a number"
    assert describe(StrOptions({"auto"})) == "'auto'"
    assert describe(None) == "None"


def test_check_number():
    check_number("dropout", 0.5, 0, 1, high_open=True)
    with pytest.raises(ValueError, match=r"dropout=1.0 is not supported; use a "):
        check_number("dropout", 1.0, 0, 1, high_open=True)
    check_number("patience", 1, 1, integer=True)
    with pytest.raises(ValueError, match=r"patience=2.0 is not supported; use an int"):
        check_number("patience", 2.0, 1, integer=True)
    with pytest.raises(ValueError, match="x=inf"):
        check_number("x", np.inf, 0)  # an unbounded side still refuses infinity
    with pytest.raises(ValueError, match="x=-inf"):
        check_number("x", -np.inf, high=0)


class _Toy(BaseEstimator):
    _parameter_constraints = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "kind": one_of(("a", "b")),
        "anything": "no_validation",
    }

    def __init__(self, alpha=1.0, kind="a", anything=None):
        self.alpha = alpha
        self.kind = kind
        self.anything = anything


def test_check_params_reads_the_table():
    check_params(_Toy(anything=object()))
    with pytest.raises(ValueError, match=r"kind='c' is not supported; use one of"):
        check_params(_Toy(kind="c"))
    with pytest.raises(ValueError, match=r"alpha=-1 is not supported; use a number"):
        check_params(_Toy(alpha=-1, kind="c"))  # in the table's order
    check_params(_Toy(alpha=-1), names=["kind"])  # only the parameters named


def _instance(cls):
    """A default instance; meta-estimators get members."""
    from sklearn.linear_model import LinearRegression, LogisticRegression

    from autodl.neural import MLPClassifier, MLPRegressor

    regressor = "Regressor" in cls.__name__
    model = LinearRegression() if regressor else LogisticRegression()
    required = inspect.signature(cls).parameters
    if "estimators" in required:
        return cls([("model", model)])
    if "estimator" in required:
        if cls.__name__ == "SnapshotEnsemble":
            model = MLPRegressor() if regressor else MLPClassifier()
        return cls(model)
    return cls()


@pytest.mark.parametrize("name", [name for name, _ in all_estimators()])
def test_every_estimator_checks_its_table_first_in_fit(name):
    cls = dict(all_estimators())[name]
    estimator = _instance(cls)
    table = cls._parameter_constraints
    params = estimator.get_params(deep=False)
    assert table, f"{name} declares no _parameter_constraints"
    assert set(table) <= set(params), f"{name}: {set(table) - set(params)}"
    X, y = np.arange(40.0).reshape(20, 2), np.arange(20) % 2
    bad = type("BadType", (), {})()
    for param, constraints in table.items():
        if constraints == "no_validation":
            continue
        broken = clone(estimator).set_params(**{param: bad})
        fit = broken.fit_resample if hasattr(broken, "fit_resample") else broken.fit
        with pytest.raises(InvalidParameterError, match=f"^{param}=<.*BadType"):
            fit(X, y)


def test_validate_numeric_names_string_columns():
    X = pd.DataFrame(
        {"a": [1.0, 2.0], "city": ["x", "y"], "cat": pd.Categorical(["u", "v"])}
    )
    with pytest.raises(ValueError, match=r"\['city', 'cat'\].*TabularPreprocessor"):
        validate_numeric(StandardScaler(), X)


def test_validate_numeric_string_array():
    X = np.array([[1, "a"], [2, "b"]], dtype=object)
    with pytest.raises(
        ValueError, match=r"column\(s\) \[1\] hold strings.*TabularPreprocessor"
    ):
        validate_numeric(StandardScaler(), X)


def test_validate_numeric_names_nan_columns():
    X = pd.DataFrame({"a": [1.0, np.nan], "b": [1.0, 2.0], "c": [np.nan, 1.0]})
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \['a', 'c'\].*impute"):
        validate_numeric(StandardScaler(), X)
    out = validate_numeric(StandardScaler(), X, allow_nan=True)
    assert np.isnan(out).sum() == 2


def test_validate_numeric_inf_always_refused():
    X = np.array([[1.0, np.inf], [2.0, 3.0]])
    with pytest.raises(ValueError, match=r"infinity in column\(s\) \[1\]"):
        validate_numeric(StandardScaler(), X, allow_nan=True)


def test_validate_numeric_sparse_nan():
    X = sparse.csr_matrix(np.array([[1.0, 0.0], [0.0, np.nan]]))
    with pytest.raises(ValueError, match="NaN in its stored values"):
        validate_numeric(StandardScaler(), X, accept_sparse="csr")


def test_validate_numeric_sets_n_features_and_returns_y():
    est = StandardScaler()
    X, y = validate_numeric(est, np.eye(3), [0, 1, 0])
    assert est.n_features_in_ == 3 and y.shape == (3,)


def test_check_classification_y():
    check_classification_y(["a", "b"])
    with pytest.raises(ValueError, match=r"single class \(1\)"):
        check_classification_y([1, 1, 1])
    with pytest.raises(ValueError, match="Unknown label type"):
        check_classification_y([0.5, 1.5, 2.25])


def test_resolve_device():
    torch = pytest.importorskip("torch")
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="is not supported"):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="sees no CUDA GPU.*device='auto'"):
            resolve_device("cuda")


def test_validate_passthrough_keeps_frames_and_names_nan():
    from autodl.utils import validate_passthrough

    X = pd.DataFrame({"a": [1.0, np.nan], "city": ["x", None]})
    est = StandardScaler()
    out, y = validate_passthrough(est, X, [0, 1])
    assert out is X and list(est.feature_names_in_) == ["a", "city"]
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \['a'\]"):
        validate_passthrough(StandardScaler(), X, [0, 1], allow_nan=False)
    with pytest.raises(ValueError, match="requires y to be passed"):
        validate_passthrough(StandardScaler(), X, None)


def test_balanced_probabilities_sum_to_one_and_keep_nan():
    from autodl.utils import balance_probabilities, class_prior

    prior = class_prior([0, 0, 0, 1, 2, 2], np.array([0, 1, 2, 3]))
    np.testing.assert_allclose(prior, [0.5, 1 / 6, 1 / 3, 0.0])
    proba = np.array([[0.5, 0.2, 0.3, 0.0], [np.nan] * 4])
    balanced = balance_probabilities(proba, prior)
    np.testing.assert_allclose(balanced[0], [1, 1.2, 0.9, 0] / np.float64(3.1))
    assert np.isnan(balanced[1]).all()  # not silently turned into zeros


@pytest.mark.parametrize("weighted", [False, True])
def test_score_output_roc_auc_is_scikit_learns(weighted):
    """Binary ROC AUC on precomputed probabilities (ensemble selection's thousands
    of calls) is computed from the ranks: scikit-learn's figure, ties and weights
    included; what scikit-learn refuses (NaN) is refused as before, and a metric
    given other arguments goes through the scorer."""
    from sklearn.metrics import get_scorer, make_scorer, roc_auc_score

    from autodl.utils import score_output

    rng = np.random.default_rng(0)
    classes = np.array(["no", "yes"])
    scorer = get_scorer("roc_auc")
    for n in (4, 30, 300):
        y = np.r_[classes, rng.choice(classes, n - 2)]
        p = np.round(rng.random(n), 1)  # many ties
        weight = rng.random(n) if weighted else None
        got = score_output(scorer, np.c_[1 - p, p], y, classes, weight)
        want = roc_auc_score(y == "yes", p, sample_weight=weight)
        assert got == pytest.approx(want, abs=1e-12)
    p[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        score_output(scorer, np.c_[1 - p, p], y, classes)
    partial = make_scorer(roc_auc_score, response_method="predict_proba", max_fpr=0.5)
    p = rng.random(n)
    got = score_output(partial, np.c_[1 - p, p], y, classes)
    assert got == pytest.approx(roc_auc_score(y == "yes", p, max_fpr=0.5))


@pytest.mark.parametrize(
    "name, weighted",
    [
        ("roc_auc_ovr", False),
        ("roc_auc_ovr", True),
        ("roc_auc_ovr_weighted", False),
        ("roc_auc_ovr_weighted", True),
        ("roc_auc_ovo", False),  # scikit-learn's takes no sample_weight
    ],
)
def test_score_output_multiclass_roc_auc_is_scikit_learns(name, weighted):
    """One-vs-rest ROC AUC over several classes (macro and weighted) is computed
    from the ranks too: scikit-learn's figure; one-vs-one goes through the scorer,
    and what scikit-learn refuses (a class missing from the rows, probabilities
    not summing to one) is refused as before."""
    from sklearn.metrics import get_scorer, roc_auc_score

    from autodl.utils import score_output
    from autodl.utils._scoring import _roc_auc

    rng = np.random.default_rng(0)
    classes = np.array(["a", "b", "c", "d"])
    scorer = get_scorer(name)
    for n in (5, 40, 400):
        y = np.r_[classes, rng.choice(classes, n - 4)]
        p = np.round(rng.random((n, 4)), 1) + 0.01  # many ties
        p /= p.sum(axis=1, keepdims=True)
        weight = rng.random(n) if weighted else None
        got = score_output(scorer, p, y, classes, weight)
        want = roc_auc_score(y, p, sample_weight=weight, **scorer._kwargs)
        assert got == pytest.approx(want, abs=1e-12)
        ranked = _roc_auc(scorer, p, y, classes, weight) is not None
        assert ranked == (name != "roc_auc_ovo")
    with pytest.raises(ValueError, match="Number of classes in y_true"):
        score_output(scorer, p[y != "d"], y[y != "d"], classes)
    with pytest.raises(ValueError, match="sum up to 1.0"):
        score_output(scorer, 2 * p, y, classes)


def test_renamed_param_reads_the_new_name_or_warns_about_the_old_one():
    from types import SimpleNamespace

    from autodl.utils._deprecation import renamed_param

    class Blend(SimpleNamespace):
        pass

    new_only = Blend(holdout="deprecated", fraction=0.3)
    assert renamed_param(new_only, "holdout", "fraction", default=0.2) == 0.3
    old_only = Blend(holdout=0.3, fraction=0.2)
    with pytest.warns(FutureWarning, match="Blend: holdout was renamed to fraction"):
        assert renamed_param(old_only, "holdout", "fraction", default=0.2) == 0.3
    for new in (0.25, 1):  # any value but the default counts as given
        with pytest.raises(ValueError, match="both fraction=.*=0.3.*fraction only"):
            renamed_param(Blend(holdout=0.3, fraction=new), "holdout", "fraction", 0.2)
