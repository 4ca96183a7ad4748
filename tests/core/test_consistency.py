"""Consistency findings: each check fires when it should and stays quiet when it should not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from factories import project
from pydantic import ValidationError

from core.models import Portfolio, Project, Settings
from core.rules.consistency import Finding, check_portfolio, check_project, last_change
from core.vocabulary import CHECKLIST_ITEMS

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings()
ALL_TICKED = {key: True for key, _ in CHECKLIST_ITEMS}


# -- builders ----------------------------------------------------------------------------


def make_project(**fields: Any) -> Project:
    """A project that triggers no finding, changed by just the fields a test cares about."""
    return project(**({"updated_at": NOW - timedelta(days=1)} | fields))


def metric(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, **fields}


def model(name: str, **scores: float) -> dict[str, Any]:
    return {"name": name, "scores": scores}


def baseline(name: str, **scores: float) -> dict[str, Any]:
    return {"name": name, "kind": "scripted-rules", "scores": scores}


def transition(days_ago: int, to: str = "data", **fields: Any) -> dict[str, Any]:
    return {
        "at": NOW - timedelta(days=days_ago),
        "from": "planning",
        "to": to,
        "by": "ana",
        "kind": "forward",
        **fields,
    }


def codes(project: Project, settings: Settings = SETTINGS) -> list[str]:
    return [f.code for f in check_project(project, settings, NOW)]


def finding(project: Project, code: str) -> Finding:
    matches = [f for f in check_project(project, SETTINGS, NOW) if f.code == code]
    assert len(matches) == 1, matches
    return matches[0]


ACCURACY = metric("accuracy", optimise=True)
# A project far enough along to be judged, with everything in order.
HEALTHY: dict[str, Any] = {
    "stage": "shipped",
    "success_criteria": "cut review time by half",
    "checklist": ALL_TICKED,
    "metrics": (ACCURACY,),
    "baselines": (baseline("rules", accuracy=0.7),),
    "models": (model("m", accuracy=0.9),),
}


def test_a_healthy_project_has_no_findings() -> None:
    assert check_project(make_project(**HEALTHY), SETTINGS, NOW) == ()
    assert check_project(make_project(), SETTINGS, NOW) == ()


# -- archetypes --------------------------------------------------------------------------


def test_autonomous_without_failure_rate() -> None:
    found = finding(make_project(archetype="autonomous"), "autonomous-no-failure-rate")
    assert found.severity == "warning"
    assert found.project_id == "p"
    blank = make_project(archetype="autonomous", archetype_notes={"acceptable_failure_rate": " "})
    assert "autonomous-no-failure-rate" in codes(blank)


def test_autonomous_with_failure_rate_is_fine() -> None:
    project = make_project(
        archetype="autonomous", archetype_notes={"acceptable_failure_rate": "1 in 10k"}
    )
    assert codes(project) == []


def test_archetype_notes_for_other_archetypes_are_named() -> None:
    project = make_project(
        archetype="human-in-the-loop",
        archetype_notes={"good_enough": "yes", "drives_flywheel": "x", "other_key": "y"},
    )
    found = finding(project, "unknown-archetype-note")
    assert found.severity == "info"
    assert found.message == (
        "archetype notes that are not human-in-the-loop questions: 'drives_flywheel', 'other_key'"
    )
    assert "\n" not in found.message


def test_archetype_notes_that_match_the_archetype_are_fine() -> None:
    project = make_project(archetype_notes={"improves_performance": "yes"})
    assert codes(project) == []


def test_software_2_0_with_no_flywheel() -> None:
    no = {"data_loop": "no", "more_data_better_model": "no", "better_model_better_product": "no"}
    found = finding(make_project(flywheel=no), "flywheel-all-no")
    assert found.severity == "info"
    hitl = {"archetype": "human-in-the-loop", "archetype_notes": {"good_enough": "1 in 4"}}
    assert codes(make_project(**hitl, flywheel=no)) == []


def test_flywheel_with_one_yes_or_unknown_is_fine() -> None:
    some = {"data_loop": "no", "more_data_better_model": "yes", "better_model_better_product": "no"}
    assert codes(make_project(flywheel=some)) == []
    assert codes(make_project(flywheel={"data_loop": "no"})) == []


# -- thresholds and metrics --------------------------------------------------------------


def test_threshold_on_a_metric_no_baseline_scores() -> None:
    project = make_project(metrics=(ACCURACY, metric("recall", threshold=0.8)))
    found = finding(project, "threshold-without-baseline")
    assert found.severity == "info"
    assert found.message == "threshold on recall, but no baseline scores recall"


def test_threshold_on_a_metric_a_baseline_scores_is_fine() -> None:
    project = make_project(
        metrics=(ACCURACY, metric("recall", threshold=0.8)),
        baselines=(baseline("rules", recall=0.6),),
    )
    assert codes(project) == []


def test_threshold_baseline_that_does_not_exist() -> None:
    project = make_project(metrics=(ACCURACY, metric("f1", threshold_baseline="ghost")))
    found = finding(project, "threshold-baseline-missing")
    assert found.message == "threshold on f1: baseline 'ghost' does not exist"
    assert "threshold-without-baseline" not in codes(project)


def test_threshold_baseline_without_that_score() -> None:
    project = make_project(
        metrics=(ACCURACY, metric("f1", threshold_baseline="rules")),
        baselines=(baseline("rules", accuracy=0.5),),
    )
    found = finding(project, "threshold-baseline-unscored")
    assert found.severity == "warning"
    assert found.message == "threshold on f1: baseline 'rules' has no score for f1"


def test_threshold_baseline_with_that_score_is_fine() -> None:
    project = make_project(
        metrics=(ACCURACY, metric("f1", threshold_baseline="rules")),
        baselines=(baseline("rules", accuracy=0.5, f1=0.6),),
    )
    assert codes(project) == []


def test_threshold_that_is_not_a_number_is_refused_by_the_model() -> None:
    with pytest.raises(ValidationError):
        make_project(
            metrics=(ACCURACY, metric("f1", threshold=float("nan"))),
            baselines=(baseline("rules", f1=0.6),),
        )


def test_scores_for_metrics_that_do_not_exist() -> None:
    project = make_project(
        metrics=(ACCURACY,),
        baselines=(baseline("rules", accuracy=0.5, acuracy=0.5),),
        models=(
            {"name": "m", "scores": {"accuracy": 0.9, "f2": 0.1}, "train_scores": {"f3": 1.0}},
        ),
    )
    messages = [f.message for f in check_project(project, SETTINGS, NOW)]
    assert messages == [
        "baseline 'rules' scores a metric that does not exist: acuracy",
        "model 'm' scores a metric that does not exist: f2, f3",
    ]
    assert codes(project) == ["unknown-metric", "unknown-metric"]


def test_scores_for_defined_metrics_are_fine() -> None:
    project = make_project(
        metrics=(ACCURACY,),
        baselines=(baseline("rules", accuracy=0.5),),
        models=({"name": "m", "scores": {"accuracy": 0.9}, "train_scores": {"accuracy": 1.0}},),
    )
    assert codes(project) == []


def test_training_or_later_without_metrics() -> None:
    for stage in ("training", "deployment", "shipped"):
        project = make_project(stage=stage, checklist=ALL_TICKED, success_criteria="x")
        assert "no-metrics" in codes(project), stage
    found = finding(make_project(stage="training", checklist=ALL_TICKED), "no-metrics")
    assert found.message == "in training with no metrics"


def test_early_or_parked_projects_need_no_metrics() -> None:
    for stage in ("planning", "parked", "killed"):
        assert codes(make_project(stage=stage)) == [], stage
    rules = (baseline("rules", accuracy=0.7),)
    ticked = {"checklist": ALL_TICKED, "metrics": (ACCURACY,), "baselines": rules}
    assert codes(make_project(stage="data", **ticked)) == []


def test_models_without_metrics() -> None:
    project = make_project(models=(model("m", accuracy=0.9),))
    found = finding(project, "models-without-metrics")
    assert found.message == "1 candidate model but no metrics to judge it by"
    two = make_project(models=(model("a"), model("b")))
    assert finding(two, "models-without-metrics").message == (
        "2 candidate models but no metrics to judge them by"
    )


def test_models_with_metrics_are_fine() -> None:
    assert codes(make_project(metrics=(ACCURACY,), models=(model("m", accuracy=0.9),))) == []


def test_weighted_strategy_without_weights() -> None:
    project = make_project(metric_strategy="weighted", metrics=(ACCURACY, metric("f1")))
    assert finding(project, "weighted-no-weights").severity == "info"


def test_weighted_strategy_with_a_weight_is_fine() -> None:
    project = make_project(metric_strategy="weighted", metrics=(ACCURACY, metric("f1", weight=2)))
    assert codes(project) == []
    assert codes(make_project(metric_strategy="weighted")) == []


def test_accuracy_target_without_requirement_is_fine() -> None:
    project = make_project(feasibility={"accuracy_target": 0.99})
    assert codes(project) == []


# -- lifecycle ---------------------------------------------------------------------------


def test_deployment_or_shipped_without_success_criteria() -> None:
    for stage in ("deployment", "shipped"):
        project = make_project(**{**HEALTHY, "stage": stage, "success_criteria": "  "})
        assert codes(project) == ["no-success-criteria"], stage
    found = finding(make_project(**{**HEALTHY, "success_criteria": ""}), "no-success-criteria")
    assert found.message == "in shipped with no success criteria"


def test_success_criteria_are_not_needed_before_deployment() -> None:
    assert codes(make_project(**{**HEALTHY, "stage": "training", "success_criteria": ""})) == []


def test_past_planning_with_open_checklist_and_no_override() -> None:
    open_two = {**ALL_TICKED, "ethics": False, "really_need_ml": False}
    project = make_project(stage="data", checklist=open_two)
    found = finding(project, "checklist-open")
    assert found.severity == "warning"
    assert found.message == (
        "in data with 2 open checklist items and no override recorded: ethics, really need ml"
    )


def test_open_checklist_is_fine_in_planning_or_with_an_override() -> None:
    assert codes(make_project(stage="planning")) == []
    overridden = make_project(
        stage="data", history=(transition(1, checklist_override=True, reason="pilot"),)
    )
    assert codes(overridden) == []
    not_overridden = make_project(stage="data", history=(transition(1),))
    assert codes(not_overridden) == ["checklist-open"]


def test_shipped_with_no_model_passing_thresholds() -> None:
    failing = make_project(
        **{
            **HEALTHY,
            "metrics": (ACCURACY, metric("recall", threshold=0.8)),
            "baselines": (baseline("rules", recall=0.5),),
            "models": (model("m", accuracy=0.9, recall=0.5),),
        }
    )
    found = finding(failing, "shipped-no-passing-model")
    assert found.message == "shipped, but no candidate model passes every threshold"
    no_models = make_project(**{**HEALTHY, "models": ()})
    assert finding(no_models, "shipped-no-passing-model").message == (
        "shipped with no candidate models recorded"
    )


def test_shipped_with_a_passing_model_or_not_shipped_is_fine() -> None:
    passing = make_project(
        **{
            **HEALTHY,
            "metrics": (ACCURACY, metric("recall", threshold=0.8)),
            "baselines": (baseline("rules", recall=0.5),),
            "models": (model("m", accuracy=0.9, recall=0.85),),
        }
    )
    assert codes(passing) == []
    assert codes(make_project(**{**HEALTHY, "stage": "deployment", "models": ()})) == []


# -- staleness ---------------------------------------------------------------------------


def test_stale_active_project() -> None:
    project = make_project(updated_at=NOW - timedelta(days=45))
    found = finding(project, "stale")
    assert found.severity == "info"
    assert found.message == "stale: no change in 45 days"


def test_a_recent_transition_keeps_a_project_fresh() -> None:
    project = make_project(
        stage="data",
        checklist=ALL_TICKED,
        metrics=(ACCURACY,),
        baselines=(baseline("rules", accuracy=0.7),),
        updated_at=NOW - timedelta(days=90),
        history=(transition(3),),
    )
    assert codes(project) == []
    assert last_change(project) == NOW - timedelta(days=3)


def test_stale_threshold_comes_from_settings_and_outcomes_never_go_stale() -> None:
    project = make_project(updated_at=NOW - timedelta(days=10))
    assert codes(project) == []
    assert codes(project, Settings(stale_days=7)) == ["stale"]
    parked = make_project(stage="parked", updated_at=NOW - timedelta(days=400))
    assert codes(parked) == []


def test_no_timestamps_means_no_staleness_finding() -> None:
    project = make_project(updated_at=None)
    assert last_change(project) is None
    assert codes(project) == []


def test_naive_now_is_read_as_utc() -> None:
    project = make_project(updated_at=NOW - timedelta(days=45))
    naive = NOW.replace(tzinfo=None)
    assert [f.code for f in check_project(project, SETTINGS, naive)] == ["stale"]


# -- ordering and the portfolio ----------------------------------------------------------


def test_warnings_come_before_info() -> None:
    project = make_project(
        archetype="autonomous",
        updated_at=NOW - timedelta(days=99),
        models=(model("m"),),
    )
    severities = [f.severity for f in check_project(project, SETTINGS, NOW)]
    assert severities == sorted(severities, key=lambda s: s != "warning")
    assert severities[0] == "warning"
    assert severities[-1] == "info"


def test_check_portfolio_lists_only_projects_with_findings() -> None:
    portfolio = Portfolio(
        settings=Settings(stale_days=5),
        projects=(
            make_project(id="fresh"),
            make_project(id="old", updated_at=NOW - timedelta(days=6)),
            make_project(id="robot", archetype="autonomous"),
        ),
    )
    results = check_portfolio(portfolio, NOW)
    assert list(results) == ["old", "robot"]
    assert [f.code for f in results["old"]] == ["stale"]
    assert results["robot"][0].project_id == "robot"


@pytest.mark.parametrize("hostile", ["[bold]x[/]", "[/", "\x1b[31m"])
def test_hostile_archetype_note_keys_are_refused_by_the_model(hostile: str) -> None:
    with pytest.raises(ValidationError):
        make_project(archetype_notes={hostile: "x"})
