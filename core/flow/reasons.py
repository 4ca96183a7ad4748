"""Which of the lecture's reasons a back-edge gives: the one place back-edges are grouped.

Today a back-edge's reason is free text; the lecture's reasons are the
suggestions `core.rules.lifecycle.MOVES` offers for each edge, and people
usually start their text with one ("Labels unreliable: the two vendors
disagreed…"). `reason_of` maps a back move to that lecture reason, or to
`OTHER` when the text starts with none of them. When moves carry a typed
reason code, only this function changes: every count calls it.
"""

from __future__ import annotations

from core.models import Stage, Transition
from core.rules.lifecycle import MOVES, back_edge_reasons

__all__ = ["OTHER", "lecture_reasons", "reason_of"]

OTHER = "other"
"""The group of a back-edge whose reason is none of the lecture's."""


def lecture_reasons() -> tuple[tuple[Stage, Stage, str], ...]:
    """Every back-edge the lecture names, with each of its reasons, in the table's order."""
    return tuple(
        (move.from_stage, move.to_stage, reason) for move in MOVES for reason in move.reasons
    )


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def reason_of(move: Transition) -> str:
    """The lecture reason a back move gives (its text starts with it), else OTHER."""
    text = _folded(move.reason)
    for reason in back_edge_reasons(move.from_stage, move.to_stage):
        wanted = _folded(reason)
        if text == wanted or (text.startswith(wanted) and not text[len(wanted)].isalnum()):
            return reason
    return OTHER
