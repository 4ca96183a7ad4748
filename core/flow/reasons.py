"""Which of the lecture's reasons a back-edge gives: the one place back-edges are grouped.

Every back move records a reason code (`core.vocabulary.BackReason`): one of
the lecture's reasons for its edge, or `other` for a reason the lecture does
not list. `reason_of` reads it (a move without one, as built in code, gets
the code its words stand for, as the loader infers it), so every count of
back-edges by reason goes through this function.
"""

from __future__ import annotations

from core.models import Stage, Transition
from core.rules.lifecycle import MOVES, back_edge_reasons
from core.vocabulary import BackReason, infer_back_reason

__all__ = ["OTHER", "lecture_reasons", "reason_label", "reason_of"]

OTHER = BackReason.OTHER
"""The group of a back-edge whose reason is none of the lecture's."""


def lecture_reasons() -> tuple[tuple[Stage, Stage, BackReason], ...]:
    """Every back-edge with each of the lecture's reasons for it, in the table's order."""
    return tuple(
        (move.from_stage, move.to_stage, code)
        for move in MOVES
        for code in back_edge_reasons(move.from_stage, move.to_stage)
        if code is not OTHER
    )


def reason_of(move: Transition) -> BackReason:
    """The reason code of a back move: the one it records, else the one its text stands for."""
    if move.reason_code is not None:
        return move.reason_code
    return infer_back_reason(move.from_stage, move.to_stage, move.reason)


def reason_label(code: BackReason) -> str:
    """A reason in the lecture's words ("labels unreliable"); "other reason" for `other`."""
    return "other reason" if code is OTHER else code.label
