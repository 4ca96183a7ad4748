"""Where the kanban's columns and cards go: pure geometry over `core.views.board` columns.

Computed once per `show()`, resize or fold (never per key): the widget in
`tui.widgets.board` looks a card's column and row up here, and draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Final

from rich.cells import cell_len
from textual.geometry import Size

from core.views.board import Column
from tui.text import plain
from tui.widgets.cards import CARD_HEIGHT
from tui.widgets.lines import fit

HEADER: Final = 1
"""Lines at the top that stay put while the cards scroll: the column titles."""

FOLDED_TITLE: Final = "Outcomes"
"""Heading of the narrow column the outcomes fold into."""

_MIN_LIFECYCLE, _MIN_OUTCOME = 10, 8
_WEIGHT_LIFECYCLE, _WEIGHT_OUTCOME = 4, 3
"""Columns share the width by weight, never narrower than these minimums."""


def heading(column: Column, width: int) -> str:
    """ "Title (n)" in `width` cells: the title's first word when the whole one does not fit."""
    title, count = plain(column.title), f" ({len(column.cards)})"
    room = width - cell_len(count)
    if cell_len(title) > room:
        title = title.split(" ", 1)[0]
    return fit(title, room) + count


def count_label(column: Column) -> str:
    """A column's title with its card count, as in "Shipped (3)"."""
    return f"{plain(column.title)} ({len(column.cards)})"


def _share(total: int, weights: Sequence[int], minimums: Sequence[int]) -> list[int]:
    """Split `total` cells by `weights`, never below `minimums`; spare cells go leftmost."""
    weight_sum = sum(weights) or 1
    widths = [max(m, total * w // weight_sum) for w, m in zip(weights, minimums, strict=True)]
    for i in range(max(total - sum(widths), 0)):
        widths[i % len(widths)] += 1
    return widths


@dataclass(frozen=True, slots=True)
class Slot:
    """Where one drawn column sits: its board column (-1 for the folded outcomes), x and width."""

    column: int
    x: int
    width: int


@dataclass(frozen=True, slots=True)
class BoardLayout:
    """Everything a keypress or a line needs, computed on data, size or fold changes only."""

    slots: tuple[Slot, ...]
    slot_of: dict[int, Slot]
    """Each unfolded column's slot."""
    index: dict[str, tuple[int, int]]
    """Each card's (column, row)."""
    folded: tuple[int, ...]
    """The folded columns, top to bottom in the narrow column."""


EMPTY_LAYOUT = BoardLayout((), {}, {}, ())


def lay_out(
    columns: tuple[Column, ...], fold: bool, size: Size, scrollbar: int, *, can_scroll: bool
) -> tuple[BoardLayout, Size]:
    """Place every column (the outcomes folded into one narrow column when `fold`) and index
    every card, for a board of `size` whose vertical scrollbar takes `scrollbar` cells when it
    shows; returns the layout and the board's virtual size."""
    index = {
        each.project_id: (col, row)
        for col, column in enumerate(columns)
        for row, each in enumerate(column.cards)
    }
    folded = tuple(c for c, column in enumerate(columns) if fold and column.is_outcome)
    open_cols = [c for c in range(len(columns)) if c not in folded]
    tallest = max((len(columns[c].cards) for c in open_cols), default=0)
    height = HEADER + tallest * CARD_HEIGHT
    tall = height > size.height and can_scroll
    room = max(size.width - (scrollbar if tall else 0), 0)
    fold_width = 0
    if folded:
        labels = [count_label(columns[c]) for c in folded]
        fold_width = max(cell_len(FOLDED_TITLE) + 1, *(cell_len(t) + 2 for t in labels))
    outcome = [columns[c].is_outcome for c in open_cols]
    widths = _share(
        room - fold_width,
        [_WEIGHT_OUTCOME if o else _WEIGHT_LIFECYCLE for o in outcome],
        [_MIN_OUTCOME if o else _MIN_LIFECYCLE for o in outcome],
    )
    if folded:
        open_cols.append(-1)
        widths.append(fold_width)
    xs = (0, *accumulate(widths))
    slots = tuple(Slot(c, x, w) for c, x, w in zip(open_cols, xs, widths, strict=False))
    slot_of = {slot.column: slot for slot in slots if slot.column >= 0}
    return BoardLayout(slots, slot_of, index, folded), Size(xs[-1], height)


__all__ = [
    "EMPTY_LAYOUT",
    "FOLDED_TITLE",
    "HEADER",
    "BoardLayout",
    "Slot",
    "count_label",
    "heading",
    "lay_out",
]
