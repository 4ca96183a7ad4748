"""The lifecycle's rules, checked over every pair of stages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any

import pytest

from core.models import LIFECYCLE, Checklist, Project, Stage, Transition, TransitionKind
from core.rules.lifecycle import (
    MOVES,
    STAGE_TITLES,
    MoveError,
    back_edge_reasons,
    checklist_wording,
    days_in_stage,
    default_resume_target,
    entered_stage_at,
    find_move,
    legal_targets,
    loop_count,
    move_kind,
    open_checklist_items,
    parked_from,
    plan_move,
)
from core.vocabulary import CHECKLIST_ITEMS

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CREATED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

P, D, T, Y = Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT
PARKED, KILLED, SHIPPED = Stage.PARKED, Stage.KILLED, Stage.SHIPPED
F, B, OUT, R = (
    TransitionKind.FORWARD,
    TransitionKind.BACK,
    TransitionKind.OUTCOME,
    TransitionKind.RESUME,
)

# Written out by hand from the brief, independently of core.rules.lifecycle.MOVES.
EXPECTED: dict[tuple[Stage, Stage], TransitionKind] = {
    (P, D): F,
    (D, T): F,
    (T, Y): F,
    (D, P): B,
    (T, P): B,
    (T, D): B,
    (Y, P): B,
    (Y, D): B,
    (Y, T): B,
    (P, PARKED): OUT,
    (D, PARKED): OUT,
    (T, PARKED): OUT,
    (Y, PARKED): OUT,
    (P, KILLED): OUT,
    (D, KILLED): OUT,
    (T, KILLED): OUT,
    (Y, KILLED): OUT,
    (Y, SHIPPED): OUT,
    (PARKED, KILLED): OUT,
    (PARKED, P): R,
    (PARKED, D): R,
    (PARKED, T): R,
    (PARKED, Y): R,
}

ALL_PAIRS = list(product(Stage, Stage))
LEGAL_PAIRS = sorted(EXPECTED)
DONE = Checklist(**{key: True for key, _ in CHECKLIST_ITEMS})


def make_project(
    stage: Stage = P,
    *,
    checklist: Checklist = DONE,
    history: tuple[Transition, ...] = (),
    **more: Any,
) -> Project:
    """A small valid project at `stage`."""
    fields: dict[str, Any] = {"id": "fraud-detection", "title": "Fraud detection"}
    fields |= {"stage": stage, "checklist": checklist, "history": history, "created_at": CREATED}
    return Project.model_validate(fields | more)


def step(
    from_: Stage, to: Stage, kind: TransitionKind, days: int = 0, reason: str = ""
) -> Transition:
    """A history entry `days` after creation."""
    return Transition(
        at=CREATED + timedelta(days=days),
        from_stage=from_,
        to_stage=to,
        by="ann",
        kind=kind,
        reason=reason,
    )


def pair_id(pair: tuple[Stage, Stage]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


# -- the table ------------------------------------------------------------------------


@pytest.mark.parametrize(("from_", "to"), ALL_PAIRS, ids=[pair_id(p) for p in ALL_PAIRS])
def test_move_kind_matches_the_rules_for_every_pair(from_: Stage, to: Stage) -> None:
    assert move_kind(from_, to) == EXPECTED.get((from_, to))


def test_the_table_has_no_duplicate_rows() -> None:
    pairs = [(m.from_stage, m.to_stage) for m in MOVES]
    assert len(pairs) == len(set(pairs)) == len(EXPECTED)


@pytest.mark.parametrize("stage", list(Stage))
def test_legal_targets_are_exactly_the_legal_pairs(stage: Stage) -> None:
    targets = legal_targets(stage)
    assert set(targets) == {to for (from_, to) in EXPECTED if from_ == stage}
    assert len(targets) == len(set(targets))
    assert stage not in targets


@pytest.mark.parametrize("stage", [KILLED, SHIPPED])
def test_killed_and_shipped_are_final(stage: Stage) -> None:
    assert legal_targets(stage) == ()


@pytest.mark.parametrize(("from_", "to"), ALL_PAIRS, ids=[pair_id(p) for p in ALL_PAIRS])
def test_every_back_edge_offers_reasons_and_nothing_else_does(from_: Stage, to: Stage) -> None:
    reasons = back_edge_reasons(from_, to)
    if EXPECTED.get((from_, to)) is B:
        assert reasons
        assert all(r and r == r.strip() and "\n" not in r for r in reasons)
    else:
        assert reasons == ()


@pytest.mark.parametrize(
    ("from_", "to", "reason"),
    [
        (D, P, "data too hard to get"),
        (T, D, "more data needed"),
        (T, D, "labels unreliable"),
        (T, P, "task too hard"),
        (T, P, "requirements trade off"),
        (Y, T, "fails in the lab"),
        (Y, D, "train/production data mismatch"),
        (Y, D, "hard cases to mine"),
        (Y, P, "metric does not drive user behaviour"),
    ],
)
def test_the_lectures_reasons_are_offered(from_: Stage, to: Stage, reason: str) -> None:
    assert reason in [code.label for code in back_edge_reasons(from_, to)]


def test_back_edges_reach_every_earlier_stage_and_only_those() -> None:
    for later, stage in enumerate(LIFECYCLE):
        for earlier in LIFECYCLE[:later]:
            assert move_kind(stage, earlier) is B
        for ahead in LIFECYCLE[later + 2 :]:
            assert move_kind(stage, ahead) is None


def test_every_stage_has_a_title() -> None:
    assert set(STAGE_TITLES) == set(Stage)
    assert STAGE_TITLES[P] == "Planning & setup"


def test_only_leaving_planning_forward_is_gated_in_the_table() -> None:
    gated = {(m.from_stage, m.to_stage) for m in MOVES if m.checklist_gate}
    assert gated == {(P, D)}


# -- plan_move over every pair ---------------------------------------------------------


@pytest.mark.parametrize(("from_", "to"), ALL_PAIRS, ids=[pair_id(p) for p in ALL_PAIRS])
def test_plan_move_allows_exactly_the_legal_pairs(from_: Stage, to: Stage) -> None:
    project = make_project(from_)
    kind = EXPECTED.get((from_, to))
    if kind is None:
        with pytest.raises(MoveError) as caught:
            plan_move(project, to, now=NOW, by="ann", reason="because", override=True)
        assert "\n" not in str(caught.value)
        assert "fraud-detection" in str(caught.value)
        return
    transition = plan_move(project, to, now=NOW, by="ann", reason="because")
    assert transition.kind is kind
    assert (transition.from_stage, transition.to_stage) == (from_, to)
    assert transition.at == NOW
    assert transition.by == "ann"
    assert transition.reason == "because"
    assert transition.checklist_override is False


@pytest.mark.parametrize(("from_", "to"), LEGAL_PAIRS, ids=[pair_id(p) for p in LEGAL_PAIRS])
@pytest.mark.parametrize("reason", ["", "   "])
def test_only_back_edges_need_a_reason(from_: Stage, to: Stage, reason: str) -> None:
    project = make_project(from_)
    if EXPECTED[(from_, to)] is B:
        with pytest.raises(MoveError, match="needs a reason") as caught:
            plan_move(project, to, now=NOW, by="ann", reason=reason)
        assert back_edge_reasons(from_, to)[0].label in str(caught.value)
    else:
        assert plan_move(project, to, now=NOW, by="ann", reason=reason).reason == ""


def test_free_text_reasons_are_kept_trimmed() -> None:
    transition = plan_move(make_project(T), D, now=NOW, by="ann", reason="  vendor went bust ")
    assert transition.reason == "vendor went bust"


@pytest.mark.parametrize(("from_", "to"), LEGAL_PAIRS, ids=[pair_id(p) for p in LEGAL_PAIRS])
@pytest.mark.parametrize("override", [False, True])
def test_the_checklist_gates_only_leaving_planning(
    from_: Stage, to: Stage, *, override: bool
) -> None:
    project = make_project(from_, checklist=Checklist(need_ml=True))
    gated = (from_, to) == (P, D)
    if gated and not override:
        with pytest.raises(MoveError) as caught:
            plan_move(project, to, now=NOW, by="ann", reason="why", override=override)
        message = str(caught.value)
        assert "\n" not in message
        assert "6 open checklist item(s)" in message
        for wording in checklist_wording(open_checklist_items(project)):
            assert wording in message
        assert "Are you sure that you need ML at all?" not in message
        return
    transition = plan_move(project, to, now=NOW, by="ann", reason="why", override=override)
    assert transition.checklist_override is (gated and override)


def test_override_is_not_recorded_when_the_checklist_is_done() -> None:
    transition = plan_move(make_project(P), D, now=NOW, by="ann", override=True)
    assert transition.checklist_override is False


@pytest.mark.parametrize("parked_stage", LIFECYCLE)
@pytest.mark.parametrize("target", LIFECYCLE)
def test_resuming_past_planning_counts_as_leaving_it(parked_stage: Stage, target: Stage) -> None:
    history = (step(parked_stage, PARKED, OUT, days=3),)
    project = make_project(PARKED, checklist=Checklist(), history=history)
    gated = parked_stage is P and target is not P
    if gated:
        with pytest.raises(MoveError, match="open checklist"):
            plan_move(project, target, now=NOW, by="ann")
        assert plan_move(project, target, now=NOW, by="ann", override=True).checklist_override
    else:
        transition = plan_move(project, target, now=NOW, by="ann")
        assert transition.kind is R
        assert transition.checklist_override is False


@pytest.mark.parametrize("stage", list(Stage))
def test_same_stage_moves_are_refused(stage: Stage) -> None:
    with pytest.raises(MoveError, match="already in"):
        plan_move(make_project(stage), stage, now=NOW, by="ann", reason="x", override=True)


def test_final_stages_say_so() -> None:
    with pytest.raises(MoveError, match="killed, which is final"):
        plan_move(make_project(KILLED), P, now=NOW, by="ann")


def test_illegal_moves_name_the_legal_ones() -> None:
    with pytest.raises(MoveError, match=r"it can go to data, parked, killed$"):
        plan_move(make_project(P), Y, now=NOW, by="ann")


def test_unknown_stage_names_are_refused() -> None:
    with pytest.raises(MoveError, match="not a stage"):
        plan_move(make_project(P), "launch", now=NOW, by="ann")  # type: ignore[arg-type]


def test_stage_names_as_strings_are_accepted() -> None:
    transition = plan_move(make_project(P), "data", now=NOW, by="ann")  # type: ignore[arg-type]
    assert transition.to_stage is D


@pytest.mark.parametrize(
    ("now", "by", "reason"),
    [
        (datetime(2026, 3, 1), "ann", ""),
        (NOW, "ann\nbob", ""),
        (NOW, "ann", "bad \x1b[31m escape"),
    ],
    ids=["naive-time", "newline-in-author", "control-char-in-reason"],
)
def test_an_unrecordable_transition_is_a_one_line_move_error(
    now: datetime, by: str, reason: str
) -> None:
    with pytest.raises(MoveError, match="cannot record the move") as caught:
        plan_move(make_project(P), PARKED, now=now, by=by, reason=reason)
    assert "\n" not in str(caught.value)


def test_plan_move_does_not_change_the_project() -> None:
    project = make_project(P)
    plan_move(project, D, now=NOW, by="ann")
    assert project.stage is P
    assert project.history == ()


# -- history-derived facts ---------------------------------------------------------------


def test_open_checklist_items_follow_the_checklists_order() -> None:
    project = make_project(checklist=Checklist(need_ml=True, ethics=True))
    assert open_checklist_items(project) == (
        "success_criteria",
        "literature_review",
        "labelled_benchmark",
        "rule_based_baseline",
        "really_need_ml",
    )
    assert open_checklist_items(make_project()) == ()
    assert len(open_checklist_items(make_project(checklist=Checklist()))) == len(CHECKLIST_ITEMS)


def test_loop_count_counts_back_edges_only() -> None:
    history = (
        step(P, D, F, 1),
        step(D, T, F, 2),
        step(T, D, B, 3, "labels unreliable"),
        step(D, T, F, 4),
        step(T, P, B, 5, "task too hard"),
    )
    assert loop_count(make_project(P, history=history)) == 2
    assert loop_count(make_project()) == 0


def test_entered_stage_at_and_days_in_stage() -> None:
    project = make_project(D, history=(step(P, D, F, days=10),))
    assert entered_stage_at(project) == CREATED + timedelta(days=10)
    assert days_in_stage(project, CREATED + timedelta(days=13, hours=23)) == 3


def test_without_history_the_stage_was_entered_at_creation() -> None:
    project = make_project()
    assert entered_stage_at(project) == CREATED
    assert days_in_stage(project, CREATED + timedelta(days=2)) == 2


def test_days_in_stage_is_unknown_without_any_date_and_never_negative() -> None:
    assert days_in_stage(make_project(created_at=None), NOW) is None
    assert entered_stage_at(make_project(created_at=None)) is None
    assert days_in_stage(make_project(), CREATED - timedelta(days=5)) == 0


def test_parked_from_reads_the_last_parking() -> None:
    history = (
        step(P, D, F, 1),
        step(D, PARKED, OUT, 2),
        step(PARKED, T, R, 3),
        step(T, PARKED, OUT, 4),
    )
    project = make_project(PARKED, history=history)
    assert parked_from(project) is T
    assert default_resume_target(project) is T


def test_parked_from_is_none_when_unknown_or_not_parked() -> None:
    assert parked_from(make_project(PARKED)) is None
    assert default_resume_target(make_project(PARKED)) is P
    assert parked_from(make_project(D, history=(step(P, D, F, 1),))) is None


def test_find_move_gives_the_whole_row() -> None:
    move = find_move(T, D)
    assert move is not None
    assert move.needs_reason
    assert not move.checklist_gate
    assert find_move(KILLED, P) is None
