"""The triage agenda, its reasons and order, the triage mark, and the minutes' Markdown."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from factories import NOW, project

from core.models import Portfolio, Project, Settings, Stage
from core.rules.priority import assess
from core.triage import (
    AgendaItem,
    AgendaReason,
    Decision,
    DecisionKind,
    MarkTriaged,
    ReasonKind,
    TriageMinutes,
    build_agenda,
    describe_rescore,
    key_figures,
    session_label,
)
from core.vocabulary import CHECKLIST_ITEMS
from portfolio import dumps, loads
from portfolio.exports.text import md
from portfolio.minutes import render_minutes

ALL_TICKED = {key: True for key, _ in CHECKLIST_ITEMS}
ACCURACY = {"name": "accuracy", "optimise": True}


def make_project(project_id: str = "p", **fields: Any) -> Project:
    """A project that is on no agenda: triaged and touched yesterday, calm in every respect."""
    data: dict[str, Any] = {
        "updated_at": NOW - timedelta(days=1),
        "triaged_at": NOW - timedelta(days=1),
        "checklist": ALL_TICKED,
        "impact": {"cheap_prediction": 5, "product_friction": 5, "automation": 5},
        "feasibility": {"data_availability": 5, "problem_difficulty": 5},
    }
    return project(project_id, **(data | fields))


def agenda(
    *projects: Project, since: datetime | None = None, **settings: Any
) -> tuple[AgendaItem, ...]:
    portfolio = Portfolio(projects=projects, settings=Settings(**settings))
    return build_agenda(portfolio, NOW, last_snapshot_at=since)


def kinds(*projects: Project, since: datetime | None = None) -> set[ReasonKind]:
    found = agenda(*projects, since=since)
    assert len(found) <= 1
    return set(found[0].kinds) if found else set()


def back_edge(days_ago: float, reason: str = "labels unreliable") -> dict[str, Any]:
    return {
        "at": NOW - timedelta(days=days_ago),
        "from": "training",
        "to": "data",
        "by": "bo",
        "kind": "back",
        "reason": reason,
    }


def test_a_calm_recently_triaged_project_is_not_on_the_agenda() -> None:
    assert agenda(make_project()) == ()


# -- each reason ---------------------------------------------------------------------------


def test_never_triaged() -> None:
    project = make_project(triaged_at=None)
    (item,) = agenda(project)
    assert item.reasons == (
        AgendaReason(ReasonKind.NEVER_TRIAGED, "no triage has recorded a decision on it yet"),
    )


def test_stale_counts_from_the_last_change_or_triage_whichever_is_later() -> None:
    old = NOW - timedelta(days=45)
    stale = make_project(updated_at=old, triaged_at=old)
    (item,) = agenda(stale)
    assert item.reasons == (
        AgendaReason(ReasonKind.STALE, "no change for 45 days (stale after 30)"),
    )
    assert kinds(make_project(updated_at=old, triaged_at=NOW - timedelta(days=2))) == set()
    assert kinds(make_project(updated_at=old, triaged_at=old), since=None) == {ReasonKind.STALE}
    assert agenda(stale, stale_days=60) == ()


def test_a_parked_project_goes_stale_but_killed_and_shipped_never_appear() -> None:
    old = NOW - timedelta(days=90)
    parked = make_project(stage="parked", updated_at=old, triaged_at=old)
    (item,) = agenda(parked)
    assert item.reasons[0].kind is ReasonKind.STALE
    assert item.reasons[0].text.startswith("parked, and not looked at for 90 days")
    for final in ("killed", "shipped"):
        assert agenda(make_project(stage=final, updated_at=old, triaged_at=None)) == ()


def test_back_edges_since_the_last_snapshot() -> None:
    project = make_project(stage="data", history=(back_edge(3),))
    (item,) = agenda(project, since=NOW - timedelta(days=7))
    assert item.reasons == (
        AgendaReason(
            ReasonKind.BACK_EDGE, "sent back training → data 3 days ago: labels unreliable (by bo)"
        ),
    )
    assert agenda(project, since=NOW - timedelta(days=2)) == ()


def test_without_a_snapshot_back_edges_count_within_the_stale_window() -> None:
    recent = make_project("recent", stage="data", history=(back_edge(10),))
    old = make_project("old", stage="data", history=(back_edge(40),))
    assert [item.project_id for item in agenda(recent, old)] == ["recent"]


def test_open_checklist_items_past_planning() -> None:
    open_two = {**ALL_TICKED, "ethics": False, "literature_review": False}
    (item,) = agenda(make_project(stage="data", checklist=open_two))
    assert item.reasons == (
        AgendaReason(
            ReasonKind.OPEN_CHECKLIST,
            "in data with 2 open checklist items: ethics, literature review",
        ),
    )
    assert agenda(make_project(stage="planning", checklist=open_two)) == ()


def test_failing_thresholds() -> None:
    project = make_project(
        stage="training",
        metrics=(ACCURACY, {"name": "latency", "direction": "minimize", "threshold": 50}),
        baselines=({"name": "rules", "kind": "scripted-rules", "scores": {"accuracy": 0.5}},),
        models=({"name": "big", "scores": {"accuracy": 0.9, "latency": 80}},),
    )
    (item,) = agenda(project)
    (reason,) = item.reasons
    assert reason.kind is ReasonKind.FAILING_THRESHOLDS
    assert reason.text.startswith("the candidate model fails its thresholds; big: ")
    assert "latency" in reason.text


def test_no_baseline_once_models_are_trained() -> None:
    metrics = (ACCURACY,)
    models = ({"name": "m", "scores": {"accuracy": 0.9}},)
    (item,) = agenda(make_project(stage="training", metrics=metrics, models=models))
    assert item.reasons == (
        AgendaReason(
            ReasonKind.NO_BASELINE,
            "in training with no baseline: nothing bounds what a model should reach",
        ),
    )
    assert agenda(make_project(stage="data")) == ()
    (item,) = agenda(make_project(stage="data", metrics=metrics, models=models))
    assert item.reasons[0].text.startswith("has candidate models with no baseline")


def test_near_a_quadrant_boundary_or_able_to_flip() -> None:
    near = make_project(impact={"cheap_prediction": 3, "product_friction": 3, "automation": 3})
    (item,) = agenda(near)
    assert item.kinds == {ReasonKind.NEAR_BOUNDARY}
    assert "from the impact threshold" in item.reasons[0].text
    ranged = make_project(
        feasibility={
            "data_availability": 4,
            "problem_difficulty": 4,
            "ranges": {"data_availability": {"low": 1, "high": 5}},
        }
    )
    (item,) = agenda(ranged)
    assert item.reasons == (
        AgendaReason(
            ReasonKind.NEAR_BOUNDARY,
            "in quick wins, but its score ranges reach into another quadrant",
        ),
    )


def test_consistency_warnings_but_not_infos_nor_findings_with_their_own_reason() -> None:
    rules = {"name": "r", "kind": "scripted-rules", "scores": {"accuracy": 0.5}}
    project = make_project(stage="deployment", metrics=(ACCURACY,), baselines=(rules,))
    (item,) = agenda(project)
    assert item.reasons == (
        AgendaReason(ReasonKind.CONSISTENCY, "in deployment with no success criteria"),
    )
    # "checklist-open" and "stale" findings have reasons of their own, listed once.
    old = NOW - timedelta(days=60)
    listed = agenda(make_project(stage="data", checklist={}, updated_at=old, triaged_at=old))[0]
    assert [r.kind for r in listed.reasons] == [ReasonKind.STALE, ReasonKind.OPEN_CHECKLIST]


# -- order ---------------------------------------------------------------------------------


def test_most_kinds_of_reason_first_then_the_better_ranked() -> None:
    calm_impact = {"cheap_prediction": 2, "product_friction": 2, "automation": 2}
    one_low = make_project("one-low", triaged_at=None, impact=calm_impact)
    one_high = make_project("one-high", triaged_at=None)
    old = NOW - timedelta(days=45)
    two = make_project("two", triaged_at=None, updated_at=old, impact=calm_impact)
    order = [item.project_id for item in agenda(one_low, one_high, two)]
    assert order == ["two", "one-high", "one-low"]
    assert [item.rank for item in agenda(one_low, one_high, two)] == [3, 1, 2]


def test_reasons_are_listed_in_kind_order() -> None:
    old = NOW - timedelta(days=45)
    project = make_project(
        stage="data",
        triaged_at=None,
        updated_at=old,
        checklist={},
        history=(back_edge(40),),
    )
    (item,) = agenda(project, since=NOW - timedelta(days=50))
    assert [r.kind for r in item.reasons] == [
        ReasonKind.NEVER_TRIAGED,
        ReasonKind.STALE,
        ReasonKind.BACK_EDGE,
        ReasonKind.OPEN_CHECKLIST,
    ]


# -- the triage mark -----------------------------------------------------------------------


def test_mark_triaged_sets_the_time_and_undoes_exactly() -> None:
    before = Portfolio(projects=(make_project(triaged_at=None),))
    edit = MarkTriaged("p", NOW)
    after = edit.apply(before, NOW, "ann")
    project = after.project("p")
    assert project is not None
    assert project.triaged_at == NOW
    assert project.updated_by == "ann"
    assert edit.describe() == "record the triage of p"
    undone = edit.inverse(before).apply(after, NOW, "ann").project("p")
    assert undone is not None
    assert undone.triaged_at is None
    assert agenda(project) == ()


def test_triaged_at_round_trips_and_is_omitted_when_unset() -> None:
    portfolio = Portfolio(projects=(make_project(triaged_at=None),))
    assert "triaged_at" not in dumps(portfolio)
    marked = MarkTriaged("p", NOW).apply(portfolio, NOW, "ann")
    text = dumps(marked)
    assert "triaged_at = 2026-11-21 12:00:00+00:00" in text
    assert loads(text) == marked


# -- figures and labels --------------------------------------------------------------------


def test_key_figures_and_session_label() -> None:
    project = make_project(stage="training", history=(back_edge(3),), triaged_at=None)
    figures = dict(key_figures(project, Settings(), NOW))
    assert figures["Stage"] == "Training & debugging (3 days)"
    assert figures["Back-edges"] == "1"
    assert figures["Last triaged"] == "never"
    assert figures["Quadrant"] == "quick wins"
    assessment = assess(project, Settings())
    assert figures["Priority"] == f"{assessment.score:.1f}"  # as the ranking shows it
    assert re.fullmatch(r"\d+\.\d\d", figures["Impact"])
    assert re.fullmatch(r"\d+\.\d\d", figures["Feasibility"])
    assert session_label(NOW) == "triage-2026-11-21"


def test_describe_rescore_names_the_axes_that_moved_and_a_new_quadrant() -> None:
    settings = Settings()
    before = make_project()
    after = make_project(impact={"cheap_prediction": 1, "product_friction": 1, "automation": 1})
    text = describe_rescore(assess(before, settings), assess(after, settings), settings)
    assert text == "impact 4.5 → 1.5; now in fill-ins"
    assert describe_rescore(assess(before, settings), assess(before, settings), settings) == (
        "scores unchanged on the grid"
    )


# -- the minutes ---------------------------------------------------------------------------

HOSTILE = "[click](http://evil.example) <img src=x onerror=alert(1)> **bold** `code` # head"


def minutes(previous: str | None = "triage-2026-11-14") -> TriageMinutes:
    item = AgendaItem(
        "p", HOSTILE, Stage.DATA, 1, 80.0, (AgendaReason(ReasonKind.STALE, "no change <b>x</b>"),)
    )
    other = AgendaItem(
        "q",
        "Quiet one",
        Stage.PLANNING,
        2,
        40.0,
        (AgendaReason(ReasonKind.NEVER_TRIAGED, "no triage has recorded a decision on it yet"),),
    )
    decision = Decision(
        "p", HOSTILE, DecisionKind.BACK, "data → planning: [x](y)", HOSTILE, NOW, "ann"
    )
    return TriageMinutes(
        label="triage-2026-11-21",
        portfolio_name="Northwind <script>",
        started_at=NOW,
        ended_at=NOW + timedelta(minutes=40),
        lead="ann",
        attendees=("ann", "[bo](http://x)", "<chen>"),
        agenda=(item, other),
        decisions=(decision,),
        previous_snapshot=previous,
    )


def test_minutes_hold_attendees_decisions_notes_and_the_diff() -> None:
    text = render_minutes(minutes(), "### Changes from a to b\n\n- moved\n")
    assert text.startswith("## Triage minutes: triage-2026-11-21\n")
    assert f"- Attendees: ann, {md('[bo](http://x)')}, {md('<chen>')}" in text
    assert "\n1. **" in text
    assert ": send back, data → planning: \\[x\\](y)" in text
    assert "   - Note: \\[click\\]" in text
    assert "### Not reached" in text
    assert "**Quiet one** (q): never triaged" in text
    assert text.rstrip().endswith("### Changes from a to b\n\n- moved")


def test_minutes_escape_every_piece_of_user_text() -> None:
    text = render_minutes(minutes(), "")
    for raw in ("[click](", "**bold**", "`code`", "[bo]("):
        assert raw not in text, raw
    assert re.search(r"(?<!\\)[<>]", text) is None, "a raw < or > could open a tag"
    assert "\\# head" in text
    assert md(HOSTILE) in text
    assert "http://evil" not in text  # no bare autolink either
    assert "\\<img src=x onerror=alert(1)\\>" in text


def test_minutes_of_the_first_snapshot_say_so() -> None:
    text = render_minutes(minutes(None), None)
    assert "This is the first snapshot of the portfolio" in text


def test_minutes_without_decisions() -> None:
    text = render_minutes(
        TriageMinutes(
            label="t",
            portfolio_name="P",
            started_at=NOW,
            ended_at=NOW,
            lead="ann",
            attendees=(),
            agenda=(),
            decisions=(),
            previous_snapshot=None,
        ),
        None,
    )
    assert "No decisions were taken." in text
    assert "- Attendees: (none named)" in text
