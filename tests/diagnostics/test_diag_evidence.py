"""Evidence: the typed, frozen record diagnose returns, read as a mapping too."""

import dataclasses

import pytest

from autodl.diagnostics import Evidence
from autodl.diagnostics import _diagnose as rules


def test_fields_are_typed_frozen_and_documented():
    ev = Evidence(train_score=0.9, valid_score=0.8, train_skill=0.8, n_runs=3)
    assert ev.train_score == 0.9 and ev.valid_skill_std is None and ev.n_runs == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.train_score = 1.0
    with pytest.raises(TypeError, match="train_scor"):
        Evidence(train_scor=0.9)  # a typo is an error, not a silent new key
    for item in dataclasses.fields(Evidence):
        assert item.type is not None
        assert item.name in Evidence.__doc__, f"document Evidence.{item.name}"


def test_mapping_shows_the_numbers_that_apply_in_field_order():
    ev = Evidence(skill_gap=0.1, train_score=0.9, train_skill=0.8, n_runs=2)
    assert list(ev) == [
        "train_score",
        "valid_score",
        "baseline_score",
        "train_skill",
        "valid_skill",
        "skill_gap",
        "n_runs",
    ]
    # a group's None values are keys (no dummy score), other Nones are not
    assert ev["baseline_score"] is None and "baseline_score" in ev
    assert "valid_skill_std" not in ev and ev.get("valid_skill_std") is None
    with pytest.raises(KeyError, match="valid_skill_std"):
        ev["valid_skill_std"]
    assert ev.to_dict() == dict(ev.items()) and len(ev) == 7
    assert isinstance(ev.to_dict(), dict)
    assert repr(ev).startswith("Evidence(train_score=0.9, valid_score=None,")


def test_flags_and_groups():
    assert "diverged" not in Evidence(initial_train_loss=1.0)
    assert Evidence(initial_train_loss=1.0, diverged=True)["diverged"] is True
    # the validation group: no gap opened is still a key once the loss was read
    seen = Evidence(valid_loss_rise=0.05, valid_min_epoch=4)
    assert seen["gap_opened_epoch"] is None
    assert "gap_opened_epoch" not in Evidence()
    # every net shows max_epochs, even when the net has none
    assert Evidence(initial_train_loss=1.0)["max_epochs"] is None
    assert list(Evidence()) == ["n_runs"]


def test_each_rule_is_quiet_without_its_numbers():
    empty = Evidence()
    for problem, rule in rules.RULES:
        assert problem in rules.PROBLEMS
        assert rule(empty, "binary") is None, rule.__name__
    assert rules._rules(empty) == []


def test_each_rule_fires_on_its_numbers():
    fired = rules._rules(
        Evidence(
            initial_train_loss=1.0,
            final_train_loss=1.0,
            train_loss_ratio=1.0,
            diverged=True,
            prior_loss=0.7,
            final_to_prior_loss=1.4,
            tail_loss_fall_per_epoch=0.01,
            stopped_while_improving=1.0,
            train_score=0.5,
            baseline_score=0.5,
            train_skill=0.0,
            valid_skill=-0.5,
            skill_gap=0.5,
            valid_score=0.25,
            n_runs=3,
            valid_score_std=0.1,
            valid_skill_std=0.2,
            prediction_disagreement=0.3,
        ),
        "regression",
    )
    assert [p for p, _ in fired] == ["learning"] * 5 + ["generalization", "prediction"]
    assert "predicting only the mean" in fired[2][1]
    assert "disagree" not in fired[-1][1]  # regression: no share of rows


def test_diagnosis_str_reads_the_record():
    found = rules._verdict(
        Evidence(train_score=1.0, train_skill=1.0, valid_skill=0.2, skill_gap=0.8),
        False,
        {},
        "binary",
        source="learning_curve",
        estimator_name="Tree",
    )
    assert found.problem == "generalization"
    assert isinstance(found.evidence, Evidence)
    text = str(found)
    assert "evidence (learning_curve, 1 run(s)):" in text
    assert "  skill_gap                  0.8" in text and "n_runs " not in text


def test_a_diagnosis_built_from_a_dict_gets_the_record():
    found = rules.Diagnosis("prediction", {"n_runs": 5, "valid_skill_std": None}, [])
    assert isinstance(found.evidence, Evidence) and found.evidence.n_runs == 5
    assert found.evidence.to_dict() == {"n_runs": 5}
    assert "5 run(s)" in str(found)
