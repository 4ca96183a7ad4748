"""The lifecycle's rules: which stage moves are legal, what they need, and what they record.

The rules are one table, `MOVES`, so that the kanban, the command line and the
tests all ask the same question and get the same answer. Going back to an
earlier stage is normal in an ML project (the lecture's back-edges); it is
recorded with a reason and counted, never treated as an error.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from core.models import LIFECYCLE, Project, Stage, Transition, TransitionKind
from core.vocabulary import CHECKLIST_ITEMS, BackReason, back_reasons_for, infer_back_reason

__all__ = [
    "FINAL_STAGES",
    "MOVES",
    "STAGE_TITLES",
    "BackReason",
    "Move",
    "MoveError",
    "back_edge_reasons",
    "checklist_gates",
    "checklist_wording",
    "days_in_stage",
    "default_resume_target",
    "entered_stage_at",
    "find_move",
    "legal_targets",
    "loop_count",
    "move_kind",
    "open_checklist_items",
    "parked_from",
    "plan_move",
    "reason_code_problem",
    "reason_words",
]

# Short names keep the table below readable as a table.
P, D, T, Y = Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT
PARKED, KILLED, SHIPPED = Stage.PARKED, Stage.KILLED, Stage.SHIPPED
FORWARD, BACK = TransitionKind.FORWARD, TransitionKind.BACK
OUTCOME, RESUME = TransitionKind.OUTCOME, TransitionKind.RESUME

STAGE_TITLES: dict[Stage, str] = {
    P: "Planning & setup",
    D: "Data collection & labelling",
    T: "Training & debugging",
    Y: "Deployment & testing",
    PARKED: "Parked",
    KILLED: "Killed",
    SHIPPED: "Shipped",
}
"""A human title for every stage, in the lecture's words."""

FINAL_STAGES = frozenset({KILLED, SHIPPED})
"""Outcomes a project never leaves."""


@dataclass(frozen=True, slots=True)
class Move:
    """One legal move between two stages: its kind and its gate.

    `checklist_gate` marks moves out of planning that the feasibility checklist
    must clear first; parking or killing an idea never needs the checklist.
    """

    from_stage: Stage
    to_stage: Stage
    kind: TransitionKind
    checklist_gate: bool = False

    @property
    def needs_reason(self) -> bool:
        """Whether the move must say why: every back-edge does, so loops stay explainable."""
        return self.kind is BACK

    @property
    def reasons(self) -> tuple[BackReason, ...]:
        """The reason codes this move may record: the lecture's for a back-edge, then
        `other`; () for every other kind of move (`core.vocabulary.BACK_REASONS`)."""
        if self.kind is not BACK:
            return ()
        return back_reasons_for(self.from_stage, self.to_stage)


MOVES: tuple[Move, ...] = (
    # Forward, one stage at a time; leaving planning needs the checklist.
    Move(P, D, FORWARD, checklist_gate=True),
    Move(D, T, FORWARD),
    Move(T, Y, FORWARD),
    # Back-edges to any earlier stage; their reasons are `core.vocabulary.BACK_REASONS`.
    Move(D, P, BACK),
    Move(T, D, BACK),
    Move(T, P, BACK),
    Move(Y, T, BACK),
    Move(Y, D, BACK),
    Move(Y, P, BACK),
    # Outcomes: park or kill from anywhere in the lifecycle, ship from deployment.
    Move(P, PARKED, OUTCOME),
    Move(D, PARKED, OUTCOME),
    Move(T, PARKED, OUTCOME),
    Move(Y, PARKED, OUTCOME),
    Move(P, KILLED, OUTCOME),
    Move(D, KILLED, OUTCOME),
    Move(T, KILLED, OUTCOME),
    Move(Y, KILLED, OUTCOME),
    Move(Y, SHIPPED, OUTCOME),
    # A parked project may be killed without being woken first, or resumed anywhere.
    Move(PARKED, KILLED, OUTCOME),
    Move(PARKED, P, RESUME),
    Move(PARKED, D, RESUME),
    Move(PARKED, T, RESUME),
    Move(PARKED, Y, RESUME),
)
"""Every legal move; a pair of stages not listed here is illegal."""

_BY_PAIR: dict[tuple[Stage, Stage], Move] = {(m.from_stage, m.to_stage): m for m in MOVES}


class MoveError(ValueError):
    """A stage move was refused; the message is one plain line for the user."""


def find_move(from_: Stage, to: Stage) -> Move | None:
    """The table row for moving from `from_` to `to`, or None when the move is illegal."""
    return _BY_PAIR.get((from_, to))


def move_kind(from_: Stage, to: Stage) -> TransitionKind | None:
    """What kind of transition moving from `from_` to `to` is, or None when it is illegal."""
    move = find_move(from_, to)
    return None if move is None else move.kind


def legal_targets(stage: Stage) -> tuple[Stage, ...]:
    """Where a project in `stage` may go, in the table's order."""
    return tuple(m.to_stage for m in MOVES if m.from_stage == stage)


def back_edge_reasons(from_: Stage, to: Stage) -> tuple[BackReason, ...]:
    """The reason codes a move from `from_` back to `to` may record: the lecture's
    canonical reasons for that edge, then `BackReason.OTHER`; () when the move is
    not a back-edge. Each code has its words (`.label`); free text goes with it."""
    move = find_move(from_, to)
    return () if move is None else move.reasons


def reason_code_problem(from_: Stage, to: Stage, code: str) -> str | None:
    """Why `code` cannot be the reason for moving from `from_` back to `to`, as one line
    naming the valid codes and the nearest one; None when it can."""
    valid = back_edge_reasons(from_, to)
    if code in valid:
        return None
    if not valid:
        return f"moving from {from_.value} to {to.value} is not going back: it takes no reason code"
    near = difflib.get_close_matches(code, [c.value for c in valid], n=1, cutoff=0.5)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return (
        f"{code!r} is not a reason for going back from {from_.value} to {to.value}{hint};"
        f" use one of: {', '.join(c.value for c in valid)}"
    )


def reason_words(code: BackReason | None, text: str) -> str:
    """A move's reason as reports show it: the code's label, then the free text.

    "labels unreliable — vendors disagreed on totals"; the text alone when there
    is no code; the label alone when the text only repeats it. A text that
    starts with the label and a colon (as migrated history does) is not
    repeated: "Labels unreliable: vendors..." reads "labels unreliable — vendors...".
    """
    text = text.strip()
    if code is None:
        return text
    head, colon, rest = text.partition(":")
    if " ".join(head.split()).rstrip(".").casefold() == code.label.casefold():
        text = rest.strip() if colon else ""
    return f"{code.label} — {text}" if text else code.label


def open_checklist_items(project: Project) -> tuple[str, ...]:
    """Keys of the feasibility checklist items still open, in the checklist's order."""
    return tuple(key for key, _ in CHECKLIST_ITEMS if not getattr(project.checklist, key))


def checklist_wording(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The checklist's wording for these item keys, for messages and screens."""
    wording = dict(CHECKLIST_ITEMS)
    return tuple(wording[key] for key in keys)


def loop_count(project: Project) -> int:
    """How many times the project went back to an earlier stage."""
    return sum(1 for t in project.history if t.kind is BACK)


def entered_stage_at(project: Project) -> datetime | None:
    """When the project entered its current stage: its last move, else its creation."""
    return project.history[-1].at if project.history else project.created_at


def days_in_stage(project: Project, now: datetime) -> int | None:
    """Whole days since the project entered its stage (never negative), or None if unknown."""
    entered = entered_stage_at(project)
    if entered is None:
        return None
    return max(0, (now - entered).days)


def parked_from(project: Project) -> Stage | None:
    """The lifecycle stage a parked project was parked from, per its history; else None."""
    if project.stage is not PARKED:
        return None
    for transition in reversed(project.history):
        if transition.to_stage is PARKED:
            return transition.from_stage if transition.from_stage in LIFECYCLE else None
    return None


def default_resume_target(project: Project) -> Stage:
    """Where resuming a parked project goes unless told otherwise: back where it was parked from."""
    return parked_from(project) or P


def _is_gated(project: Project, move: Move) -> bool:
    """Whether this move leaves planning, so the checklist must be cleared or overridden.

    A resume counts when the project was parked from planning and resumes past
    it; otherwise parking would be a way round the gate.
    """
    if move.checklist_gate:
        return True
    return move.kind is RESUME and move.to_stage is not P and parked_from(project) is P


def checklist_gates(project: Project, to: Stage) -> bool:
    """Whether moving this project to `to` must clear (or override) the checklist first:
    leaving planning, or resuming past planning a project parked from it."""
    move = find_move(project.stage, to)
    return move is not None and _is_gated(project, move)


def _refusal(project: Project, to: Stage) -> str:
    """The message for an illegal move, saying what is legal instead."""
    here = project.stage
    if here in FINAL_STAGES:
        return f"{project.id} is {here.value}, which is final: it cannot move to {to.value}"
    targets = ", ".join(s.value for s in legal_targets(here))
    return (
        f"{project.id} cannot move from {here.value} to {to.value};"
        f" from {here.value} it can go to {targets}"
    )


def _reason_code(project: Project, move: Move, reason: str, given: str | None) -> BackReason | None:
    """The code a move records: None unless it is a back move; refused when it does not fit."""
    if given is not None:
        problem = reason_code_problem(move.from_stage, move.to_stage, given)
        if problem is not None:
            raise MoveError(f"cannot move {project.id}: {problem}")
        return BackReason(given)
    if move.kind is not BACK:
        return None
    return infer_back_reason(move.from_stage, move.to_stage, reason)


def plan_move(
    project: Project,
    to: Stage,
    *,
    now: datetime,
    by: str,
    reason: str = "",
    override: bool = False,
    reason_code: str | None = None,
) -> Transition:
    """Check a move against the rules and return the transition to record, or raise MoveError.

    The project is not changed; the caller appends the transition and sets the
    stage. `override` lets a project leave planning with open checklist items,
    and the transition then says so. A back move records a reason code: the
    one given (it must be valid on that edge), else the one its text stands for
    (`core.vocabulary.infer_back_reason`, `other` for free text). It needs a
    lecture's code or some text; a code given alone also becomes the text.
    """
    try:
        target = Stage(to)
    except ValueError:
        raise MoveError(f"{to!r} is not a stage") from None
    if target == project.stage:
        raise MoveError(f"{project.id} is already in {target.value}")
    move = find_move(project.stage, target)
    if move is None:
        raise MoveError(_refusal(project, target))
    reason = reason.strip()
    code = _reason_code(project, move, reason, reason_code)
    if code is not None and code is not BackReason.OTHER and not reason:
        reason = code.label
    if move.needs_reason and not reason:
        example = f", e.g. {move.reasons[0].label!r}" if move.reasons else ""
        raise MoveError(
            f"moving {project.id} back from {project.stage.value} to {target.value}"
            f" needs a reason{example}"
        )
    overridden = False
    if _is_gated(project, move):
        still_open = open_checklist_items(project)
        if still_open and not override:
            items = "; ".join(checklist_wording(still_open))
            raise MoveError(
                f"{project.id} cannot leave planning with {len(still_open)} open checklist"
                f" item(s): {items} (override to move anyway)"
            )
        overridden = bool(still_open)
    try:
        return Transition(
            at=now,
            from_stage=project.stage,
            to_stage=target,
            by=by,
            kind=move.kind,
            reason_code=code,
            reason=reason,
            checklist_override=overridden,
        )
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "transition"
        raise MoveError(f"cannot record the move: {field}: {first['msg']}") from None
