"""What triage may decide on a project and how a decision's move is worded: core, no app.

`targets_of`, `allowed_decisions` and `describe_move` used to live on the UI
floor (the lifecycle actions and the triage screen); these tests pin them
where they belong, against tables written out by hand from the lecture's
lifecycle.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.models import Project, Stage, Transition, TransitionKind
from core.rules.lifecycle import targets_of
from core.triage import DecisionKind, allowed_decisions, describe_move

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
A, B, P, K, KEEP, R = (
    DecisionKind.ADVANCE,
    DecisionKind.BACK,
    DecisionKind.PARK,
    DecisionKind.KILL,
    DecisionKind.KEEP,
    DecisionKind.RESCORE,
)


def at(stage: Stage) -> Project:
    """A project standing in `stage`."""
    return Project(id="p", title="P", stage=stage)


def moved(project: Project, to: Stage, reason: str = "", *, override: bool = False) -> Project:
    """The project after one more history entry, to `to`."""
    step = Transition.model_validate(
        {
            "at": NOW,
            "from": project.stage,
            "to": to,
            "by": "ann",
            "kind": TransitionKind.BACK,
            "reason": reason,
            "checklist_override": override,
        }
    )
    return project.model_copy(update={"stage": to, "history": (*project.history, step)})


@pytest.mark.parametrize(
    ("stage", "kind", "expected"),
    [
        (Stage.PLANNING, TransitionKind.FORWARD, (Stage.DATA,)),
        (Stage.DEPLOYMENT, TransitionKind.FORWARD, ()),
        (Stage.TRAINING, TransitionKind.BACK, (Stage.DATA, Stage.PLANNING)),
        (Stage.PLANNING, TransitionKind.BACK, ()),
        (Stage.DEPLOYMENT, TransitionKind.OUTCOME, (Stage.PARKED, Stage.KILLED, Stage.SHIPPED)),
        (Stage.PARKED, TransitionKind.OUTCOME, (Stage.KILLED,)),
        (
            Stage.PARKED,
            TransitionKind.RESUME,
            (Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT),
        ),
        (Stage.KILLED, TransitionKind.RESUME, ()),
    ],
)
def test_targets_of_lists_the_stages_a_kind_of_move_reaches(
    stage: Stage, kind: TransitionKind, expected: tuple[Stage, ...]
) -> None:
    assert targets_of(at(stage), kind) == expected


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        (Stage.PLANNING, (A, P, K, KEEP, R)),
        (Stage.DATA, (A, B, P, K, KEEP, R)),
        (Stage.DEPLOYMENT, (B, P, K, KEEP, R)),
        (Stage.PARKED, (A, K, KEEP, R)),
        (Stage.KILLED, (KEEP, R)),
        (Stage.SHIPPED, (KEEP, R)),
    ],
)
def test_allowed_decisions_follow_the_lifecycle_in_menu_order(
    stage: Stage, expected: tuple[DecisionKind, ...]
) -> None:
    assert allowed_decisions(at(stage)) == expected


def test_describe_move_names_the_move_and_its_reason_on_one_line() -> None:
    before = at(Stage.TRAINING)
    after = moved(before, Stage.DATA, "labels\n  unreliable")
    assert describe_move(before, after) == "training → data: labels unreliable"


def test_describe_move_marks_a_checklist_override_and_omits_an_empty_reason() -> None:
    before = at(Stage.PLANNING)
    assert describe_move(before, moved(before, Stage.DATA, override=True)) == (
        "planning → data (checklist overridden)"
    )


def test_describe_move_is_empty_when_nothing_moved() -> None:
    before = moved(at(Stage.PLANNING), Stage.DATA, "x")
    assert describe_move(before, before) == ""
    assert describe_move(before, None) == ""
