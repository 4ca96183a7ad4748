"""A read-only table whose columns fit their content and whose long cells wrap.

Textual's DataTable sizes a column from its header unless every cell is
plain text it can measure, so a table of `Content` cells showed every column
as wide as its header ("Lifec", "Move the sel"). The help and history screens
only show rows to read, not to pick, so they draw a Rich table instead: Rich
measures each cell, keeps the short columns whole (cutting with an ellipsis
only when even they do not fit), and wraps the long one on word boundaries.
When the long column would be too narrow to read beside the others (the
history's "Why" at 80 columns), each row's long text goes on the lines under
the row, indented, as wide as the table. User text reaches it as
`rich.text.Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.text import plain

MIN_WRAP_WIDTH = 30
"""Below this many cells beside the other columns, the long text goes under its row."""
GAP = 2
"""Cells between two columns."""
INDENT = 4
"""How far the long text under a row is indented."""


@dataclass(frozen=True, slots=True)
class TextColumn:
    """One column: its header and whether its cells wrap (the long text) or stay on one line."""

    header: str
    wrap: bool = False


def side_by_side(columns: Sequence[TextColumn], rows: Sequence[Sequence[str]]) -> Table:
    """A Rich table of plain cells: short columns whole, wrapping ones folded onto more lines."""
    table = Table(
        box=box.SIMPLE_HEAD,
        expand=True,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    for column in columns:
        table.add_column(
            column.header,
            no_wrap=not column.wrap,
            overflow="fold" if column.wrap else "ellipsis",
            ratio=1 if column.wrap else None,
        )
    for row in rows:
        table.add_row(*(Text(plain(cell)) for cell in row))
    return table


def column_widths(columns: Sequence[TextColumn], rows: Sequence[Sequence[str]]) -> list[int]:
    """How wide each column is at its widest cell, header included."""
    return [
        max([cell_len(column.header), *(cell_len(plain(row[i])) for row in rows)])
        for i, column in enumerate(columns)
    ]


def _line(cells: Sequence[str], widths: Sequence[int], style: str = "") -> Text:
    """Cells padded to their widths on one line, cut with an ellipsis by the caller's width."""
    text = Text(
        (" " * GAP).join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)),
        style=style,
        no_wrap=True,
        overflow="ellipsis",
    )
    text.rstrip()
    return text


def stacked(columns: Sequence[TextColumn], rows: Sequence[Sequence[str]]) -> RenderableType:
    """The short columns side by side, each row's wrapping cells as indented lines under it."""
    short = [i for i, column in enumerate(columns) if not column.wrap]
    long = [i for i, column in enumerate(columns) if column.wrap]
    all_widths = column_widths(columns, rows)
    widths = [all_widths[i] for i in short]
    header = _line([columns[i].header for i in short], widths, "bold")
    parts: list[RenderableType] = [header]
    parts.extend(Padding(Text(columns[i].header, style="bold"), (0, 0, 0, INDENT)) for i in long)
    parts.append(Text("─" * (sum(widths) + GAP * (len(widths) - 1))))
    for row in rows:
        parts.append(_line([plain(row[i]) for i in short], widths))
        parts.extend(Padding(Text(plain(row[i])), (0, 0, 0, INDENT)) for i in long if row[i])
    return Group(*parts)


def text_table(
    columns: Sequence[TextColumn], rows: Sequence[Sequence[str]], width: int
) -> RenderableType:
    """The table for `width` cells: side by side when the long column gets room to read."""
    widths = column_widths(columns, rows)
    beside = sum(w + GAP for w, column in zip(widths, columns, strict=True) if not column.wrap)
    if any(column.wrap for column in columns) and width - beside < MIN_WRAP_WIDTH:
        return stacked(columns, rows)
    return side_by_side(columns, rows)


class TextTable(VerticalScroll):
    """A scrollable, focusable table of text (arrows, page keys, home and end scroll it)."""

    DEFAULT_CSS = """
    TextTable { height: auto; max-height: 1fr; }
    TextTable > Static { width: 1fr; height: auto; }
    """

    def __init__(
        self,
        columns: Sequence[TextColumn],
        rows: Sequence[Sequence[str]],
        *,
        id: str | None = None,
    ) -> None:
        self.columns = tuple(columns)
        self.rows = tuple(tuple(row) for row in rows)
        """The cells shown, row by row, for tests and callers that need them."""
        self._drawn_for: bool | None = None
        super().__init__(Static(side_by_side(self.columns, self.rows)), id=id)

    def on_resize(self, event: events.Resize) -> None:
        """Choose side by side or stacked for the new width (only redrawn when that changes)."""
        width = event.size.width - self.styles.gutter.width
        renderable = text_table(self.columns, self.rows, width)
        is_stacked = isinstance(renderable, Group)
        if is_stacked != self._drawn_for:
            self._drawn_for = is_stacked
            self.query_one(Static).update(renderable)
