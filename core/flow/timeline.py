"""A project's stage timeline cut into equal cells: what a row of coloured spans draws.

Every stage has a letter as well as a colour, so the timeline reads without
colour: `PPDDDTT<DD` is planning, data, training, back to data. A cell whose
time holds a back move is marked (`back`), so no loop hides in a short span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.flow.spans import Span
from core.models import Stage, TransitionKind

__all__ = ["BACK_MARK", "STAGE_LETTERS", "Cell", "legend", "timeline_cells"]

STAGE_LETTERS: dict[Stage, str] = {
    Stage.PLANNING: "P",
    Stage.DATA: "D",
    Stage.TRAINING: "T",
    Stage.DEPLOYMENT: "Y",
    Stage.PARKED: "Z",
    Stage.KILLED: "K",
    Stage.SHIPPED: "S",
}
"""One letter per stage (deploYment, Z for a parked project asleep), for colour-blind reading."""

BACK_MARK = "<"
"""Drawn in the cell where a project went back to an earlier stage."""


def legend() -> str:
    """'P planning · D data · …': what the letters mean."""
    letters = " · ".join(f"{letter} {stage.value}" for stage, letter in STAGE_LETTERS.items())
    return f"{letters} · {BACK_MARK} went back"


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a timeline: the stage it mostly shows, and whether a back move lies in it."""

    stage: Stage | None
    """None before the project began."""
    back: bool

    @property
    def letter(self) -> str:
        """The cell as one character: the back mark, the stage's letter, or a space."""
        if self.back:
            return BACK_MARK
        return " " if self.stage is None else STAGE_LETTERS[self.stage]


def timeline_cells(
    spans: Sequence[Span], start: datetime, end: datetime, width: int
) -> tuple[Cell, ...]:
    """`width` cells covering [start, end): each shows the stage held at its middle.

    A back move marks the cell holding its instant. With no time to show, every
    cell shows the project's last stage.
    """
    if width <= 0:
        return ()
    if not spans:
        return (_BLANK,) * width
    origin, total = start.timestamp(), (end - start).total_seconds()
    if total <= 0:
        return (_PLAIN[spans[-1].stage],) * width
    step = total / width
    starts = [(span.start.timestamp() - origin) for span in spans]
    cells: list[Cell] = []
    index, last = 0, len(spans) - 1
    for i in range(width):
        middle = step * (i + 0.5)
        while index < last and starts[index + 1] <= middle:
            index += 1
        cells.append(_PLAIN[spans[index].stage] if starts[index] <= middle else _BLANK)
    for span, offset in zip(spans, starts, strict=True):
        if span.entered_by is TransitionKind.BACK and 0 <= offset < total:
            cells[min(int(offset / step), width - 1)] = Cell(span.stage, True)
    return tuple(cells)


_BLANK = Cell(None, False)
_PLAIN = {stage: Cell(stage, False) for stage in Stage}
