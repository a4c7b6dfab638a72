import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.preprocessing import StandardScaler

from autodl.utils import check_classification_y, check_option, validate_numeric
from autodl.utils._device import resolve_device


def test_check_option():
    check_option("method", "a", {"a", "b"})
    with pytest.raises(ValueError, match=r"method='c' is not supported; use one of"):
        check_option("method", "c", {"a", "b"})
    with pytest.raises(ValueError, match="is not supported"):
        check_option("method", ["a"], {"a"})  # unhashable


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
