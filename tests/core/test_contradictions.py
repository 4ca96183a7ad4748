"""The seven new consistency findings (issue 11): each fires on its contradiction and only there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Checklist,
    Feasibility,
    Metric,
    Project,
    Settings,
    Stage,
    Transition,
)
from core.rules.consistency import check_project
from core.vocabulary import Archetype

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACC = Metric(name="acc", optimise=True)
RULES = Baseline(name="rules", kind=BaselineKind.SCRIPTED_RULES, scores={"acc": 0.70})


def codes(**fields: Any) -> list[str]:
    """The finding codes of a project in training with a metric and a rules baseline, changed."""
    base: dict[str, Any] = {
        "id": "p",
        "title": "P",
        "stage": Stage.PLANNING,
        "success_criteria": "agreed",
        "metrics": (ACC,),
        "baselines": (RULES,),
    }
    project = Project(**{**base, **fields})
    return [f.code for f in check_project(project, Settings(), NOW)]


def test_models_in_training_or_deployment_need_a_baseline() -> None:
    model = (CandidateModel(name="m", scores={"acc": 0.8}),)
    for stage in (Stage.TRAINING, Stage.DEPLOYMENT):
        assert "models-no-baseline" in codes(stage=stage, models=model, baselines=())
        assert "models-no-baseline" not in codes(stage=stage, models=model)
    assert "models-no-baseline" not in codes(stage=Stage.DATA, models=model, baselines=())


def test_human_in_the_loop_needs_a_good_enough_answer() -> None:
    hitl = Archetype.HUMAN_IN_THE_LOOP
    assert "hitl-no-good-enough" in codes(archetype=hitl)
    assert "hitl-no-good-enough" in codes(archetype=hitl, archetype_notes={"good_enough": "  "})
    answered = {"good_enough": "1 correction in 10 fields"}
    assert "hitl-no-good-enough" not in codes(archetype=hitl, archetype_notes=answered)
    assert "hitl-no-good-enough" not in codes()


def test_checklist_baselines_must_be_recorded_once_past_planning() -> None:
    planning = codes(checklist=Checklist(rule_based_baseline=True), baselines=())
    assert "checklist-baseline-missing" not in planning

    def codes_in_data(**fields: Any) -> list[str]:
        return codes(stage=Stage.DATA, **fields)

    rules_ticked = Checklist(rule_based_baseline=True)
    assert "checklist-baseline-missing" not in codes_in_data(checklist=rules_ticked)
    model_only = (Baseline(name="lr", kind=BaselineKind.SIMPLE_MODEL, scores={"acc": 0.7}),)
    assert (
        codes_in_data(checklist=rules_ticked, baselines=model_only).count(
            "checklist-baseline-missing"
        )
        == 1
    )
    average = (Baseline(name="avg", kind=BaselineKind.DATASET_AVERAGE),)
    assert "checklist-baseline-missing" not in codes_in_data(
        checklist=rules_ticked, baselines=average
    )
    benchmark = Checklist(labelled_benchmark=True)
    unscored = (Baseline(name="rules", kind=BaselineKind.SCRIPTED_RULES),)
    assert "checklist-baseline-missing" in codes_in_data(checklist=benchmark, baselines=unscored)
    assert "checklist-baseline-missing" not in codes_in_data(checklist=benchmark)


@pytest.mark.parametrize(
    ("feasibility", "fires"),
    [
        (Feasibility(accuracy_requirement=5), True),
        (Feasibility(accuracy_requirement=4), True),
        (Feasibility(accuracy_requirement=3), False),
        (Feasibility(accuracy_target=0.95), True),
        (Feasibility(accuracy_target=0.999), False),
        (Feasibility(), False),
    ],
)
def test_an_autonomous_system_cannot_have_a_forgiving_accuracy_requirement(
    feasibility: Feasibility, fires: bool
) -> None:
    notes = {"acceptable_failure_rate": "1 in 10,000"}
    found = codes(archetype=Archetype.AUTONOMOUS, archetype_notes=notes, feasibility=feasibility)
    assert ("autonomous-forgiving-accuracy" in found) is fires
    human = codes(archetype=Archetype.HUMAN_IN_THE_LOOP, feasibility=feasibility)
    assert "autonomous-forgiving-accuracy" not in human


@pytest.mark.parametrize(
    ("train", "stage", "fires"),
    [
        (0.99, Stage.DEPLOYMENT, True),  # train 0.99, validation 0.80: variance
        (0.99, Stage.SHIPPED, True),
        (0.99, Stage.TRAINING, False),  # still being trained: the panel's hint is enough
        (0.81, Stage.DEPLOYMENT, False),  # on par with its training score, above the baseline
    ],
)
def test_a_deployed_or_shipped_winner_must_not_misfit(
    train: float, stage: Stage, fires: bool
) -> None:
    model = CandidateModel(name="m", scores={"acc": 0.80}, train_scores={"acc": train})
    found = codes(stage=stage, models=(model,))
    assert ("deployed-winner-misfit" in found) is fires


def test_a_metric_must_be_optimised_or_thresholded() -> None:
    idle = Metric(name="latency", direction="minimize")
    assert "metric-unused" in codes(metrics=(ACC, idle))
    held = Metric(name="latency", direction="minimize", threshold=50.0)
    assert "metric-unused" not in codes(metrics=(ACC, held))
    weighted = Metric(name="latency", direction="minimize", weight=1.0)
    one = Metric(name="acc", weight=1.0)
    assert "metric-unused" not in codes(metric_strategy="weighted", metrics=(one, weighted))
    assert "metric-unused" in codes(metric_strategy="weighted", metrics=(one, idle))


def test_the_last_move_must_end_at_the_current_stage() -> None:
    moved = Transition.model_validate(
        {"at": NOW, "from": "planning", "to": "data", "by": "ann", "kind": "forward"}
    )
    assert "history-stage-mismatch" in codes(stage=Stage.TRAINING, history=(moved,))
    assert "history-stage-mismatch" not in codes(stage=Stage.DATA, history=(moved,))
    assert "history-stage-mismatch" not in codes()
