"""diagnose: the three problems of the issue, the rules, the advice, the errors."""

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_friedman1, make_moons
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.tree import DecisionTreeClassifier

from autodl.diagnostics import Diagnosis, Evidence, diagnose
from autodl.diagnostics import _diagnose as rules
from autodl.neural import MLPClassifier, MLPRegressor
from autodl.pipeline import make_pipeline
from autodl.preprocessing import Rescaler


@pytest.fixture(scope="module")
def learning():
    """SGD at lr=1e-6 for 15 epochs: the loss cannot move."""
    X, y = make_circles(400, noise=0.1, factor=0.5, random_state=0)
    net = MLPClassifier(optimizer="sgd", lr=1e-6, max_epochs=15, device="cpu")
    return diagnose(net, X, y, random_state=0)


@pytest.fixture(scope="module")
def generalization():
    """A (512, 512) net, 400 epochs, no early stopping, 60 noisy rows."""
    X, y = make_circles(60, noise=0.3, random_state=0)
    net = MLPClassifier(
        hidden_layer_sizes=(512, 512),
        lr=3e-3,
        lr_schedule=None,  # a constant rate: the training loss goes to 0
        label_smoothing=0.0,  # which smoothing would keep above its floor
        max_epochs=400,
        early_stopping=False,
        device="cpu",
    )
    return diagnose(net, X, y, random_state=0)


@pytest.fixture(scope="module")
def moons():
    return make_moons(400, noise=0.2, random_state=0)


def test_learning_problem(learning):
    assert learning.problem == "learning"
    ev = learning.evidence
    assert ev["train_loss_ratio"] > rules.LEARNING_LOSS_RATIO
    assert ev["final_to_prior_loss"] > rules.LEARNING_PRIOR_RATIO
    assert ev["train_skill"] < rules.LEARNING_MIN_TRAIN_SKILL
    assert ev["n_runs"] == 3 and len(learning.curves) == 3
    assert any(
        "raise lr" in a and "lr_schedule='plateau'" in a for a in learning.advice
    )
    assert any("optimizer='adam'" in a for a in learning.advice)


def test_generalization_problem(generalization):
    assert generalization.problem == "generalization"
    ev = generalization.evidence
    assert ev["valid_loss_rise"] > 1  # the validation loss more than doubles
    assert ev["train_loss_ratio"] < 0.1  # while the training loss vanishes
    assert ev["skill_gap"] > rules.GENERALIZATION_SKILL_GAP
    assert ev["gap_opened_epoch"] > ev["valid_min_epoch"]
    assert not ev["restores_best_epoch"]
    text = " ".join(generalization.advice)
    for lever in ("dropout=0.2", "weight_decay=1e-4", "early_stopping=True"):
        assert lever in text
    # the metric panel gets a training curve from the callback diagnose adds
    assert "train_acc" in generalization.curves[0]


def test_prediction_problem(moons):
    """One randomised tree per seed: equally good fits, different each run."""
    X, y = moons
    tree = ExtraTreesClassifier(n_estimators=1, max_depth=4)
    for seed in (0, 1):
        found = diagnose(tree, X, y, random_state=seed)
        assert found.problem == "prediction", str(found)
        ev = found.evidence
        assert ev["valid_skill_std"] > rules.PREDICTION_SKILL_STD
        assert abs(ev["skill_gap"]) < rules.GENERALIZATION_SKILL_GAP
        assert ev["train_skill"] > rules.LEARNING_MIN_TRAIN_SKILL
    assert any("SeedEnsemble" in a for a in found.advice)
    assert any("n_estimators=4" in a for a in found.advice)


def test_non_net_learning_and_generalization():
    X, y = make_circles(300, noise=0.1, factor=0.5, random_state=0)
    linear = diagnose(LogisticRegression(), X, y, random_state=0)
    assert linear.problem == "learning"
    assert linear.source == "learning_curve"
    # LogisticRegression has a random_state parameter, but lbfgs ignores it
    assert linear.evidence["valid_skill_std"] == 0
    X, y = make_moons(400, noise=0.4, random_state=0)  # noisy: a full tree memorises
    deep = diagnose(DecisionTreeClassifier(), X, y, scoring="accuracy", random_state=0)
    assert deep.problem == "generalization"
    assert deep.evidence["train_score"] == 1.0
    assert list(deep.curves[0]) == ["train_size", "train_score", "valid_score"]


def test_no_problem_and_pipeline(moons):
    X, y = moons
    pipe = make_pipeline(
        Rescaler(),
        MLPClassifier(hidden_layer_sizes=(32,), lr=1e-2, max_epochs=200, device="cpu"),
    )
    found = diagnose(pipe, X, y, n_runs=2, random_state=0)
    assert found.problem is None, str(found)
    assert found.estimator_name == "MLPClassifier"
    assert found.source == "history"
    assert "no rule fired" in found.advice[0]


def test_still_improving_when_epochs_run_out():
    """A regressor cut off after 30 epochs while its loss still falls."""
    X, y = make_friedman1(300, noise=0.5, random_state=0)
    net = MLPRegressor(  # a plain net, slow to learn, with no anneal at the end
        hidden_layer_sizes=(32,),
        max_epochs=30,
        batch_size=64,
        lr=1e-3,
        lr_schedule=None,
        numeric_embedding=None,
        feature_scale=False,
        activation="relu",
        device="cpu",
    )
    found = diagnose(net, X, y, n_runs=2, random_state=0)
    assert found.problem == "learning"
    assert found.scoring == "r2"
    ev = found.evidence
    assert ev["stopped_while_improving"] >= 0.5
    assert ev["tail_loss_fall_per_epoch"] > rules.LEARNING_STILL_FALLING
    assert found.advice[0].startswith("train longer: max_epochs=60")
    assert "train_r2" in found.curves[0]


def test_diagnose_a_fitted_net_from_its_history():
    X, y = make_circles(60, noise=0.3, random_state=0)
    net = MLPClassifier(
        hidden_layer_sizes=(256, 256),
        lr=3e-3,
        max_epochs=150,
        early_stopping=False,
        random_state=0,
        device="cpu",
    ).fit(X, y)
    found = diagnose(net)
    assert found.source == "history_only"
    assert found.problem == "generalization"
    assert "train_skill" not in found.evidence  # no data, no scores


def test_deterministic_estimator_runs_once():
    X, y = make_friedman1(100, random_state=0)
    with pytest.warns(UserWarning, match="no random_state"):
        found = diagnose(KNeighborsRegressor(), X, y, random_state=0)
    assert found.evidence["n_runs"] == 1
    assert "valid_skill_std" not in found.evidence


def test_str_reads_as_a_report(generalization):
    text = str(generalization)
    assert text.startswith("MLPClassifier: generalization problem")
    assert "evidence (history, 3 run(s), scores are roc_auc):" in text
    assert "advice:" in text and "1. " in text


def test_diagnosis_plot(generalization, learning):
    fig = generalization.plot()
    assert len(fig.axes) == 2
    # three runs, train and validation each, in the loss panel
    assert len(fig.axes[0].get_lines()) >= 6


def test_rules_on_evidence_alone():
    """The thresholds decide, in the documented order."""
    clean = {"train_skill": 0.95, "valid_skill": 0.9, "skill_gap": 0.05, "n_runs": 3}
    assert rules._rules(Evidence(**clean)) == []
    spread = {**clean, "valid_skill_std": 0.2, "valid_score_std": 0.1}
    assert [p for p, _ in rules._rules(Evidence(**spread))] == ["prediction"]
    gap = {**spread, "skill_gap": 0.5, "train_score": 1.0, "valid_score": 0.75}
    found = rules._verdict(Evidence(**gap), False, {}, "binary")
    assert isinstance(found, Diagnosis)
    assert found.problem == "generalization"
    assert found.findings[-1].startswith("also (prediction)")
    # a loss that stayed flat because the net fitted everything at once is fine
    flat = {**clean, "train_loss_ratio": 0.95}
    assert rules._rules(Evidence(**flat)) == []
    # a rising validation loss is harmless when early stopping kept the best epoch
    rising = {
        **clean,
        "valid_loss_rise": 1.0,
        "train_loss_drop_after_min": 0.5,
        "restores_best_epoch": True,
    }
    assert rules._rules(Evidence(**rising)) == []
    rising["restores_best_epoch"] = False
    rising.update(
        min_valid_loss=0.3,
        final_valid_loss=0.6,
        valid_min_epoch=5,
        train_loss_at_valid_min=0.3,
        final_train_loss=0.15,
    )
    assert [p for p, _ in rules._rules(Evidence(**rising))] == ["generalization"]


def test_an_averaged_net_does_not_restore_its_best_epoch():
    """With weight averaging (the regressor's default) the kept weights average
    the run's end, past the best epoch: a rising validation loss reaches them,
    and the advice names the switch back to the best epoch."""
    assert rules._restores_best_epoch({"early_stopping": True})
    averaged = {"early_stopping": True, "weight_averaging": "ema"}
    assert not rules._restores_best_epoch(averaged)
    assert not rules._restores_best_epoch({"early_stopping": False})
    advice = rules._net_generalization_advice(averaged, Evidence(valid_min_epoch=5))
    assert any("weight_averaging=None" in a and "(5)" in a for a in advice)


def test_errors():
    X, y = make_moons(60, random_state=0)
    with pytest.raises(ValueError, match="n_runs=0"):
        diagnose(LogisticRegression(), X, y, n_runs=0)
    with pytest.raises(ValueError, match="needs y"):
        diagnose(LogisticRegression(), X)
    with pytest.raises(ValueError, match="without X, y needs a fitted"):
        diagnose(LogisticRegression())
    assert np.isfinite(diagnose(LogisticRegression(), X, y).evidence["valid_score"])
