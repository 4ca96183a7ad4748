"""The ranking's rows under a fixed header, drawn line by line with a row cursor.

Textual's DataTable renders every cell of a row as a rich renderable each time
the row is drawn, and a cursor move redraws two rows cell by cell: at nine
columns that is most of a keypress. This list lays each row out once as a few
runs of plain text (`row_runs`), keeps the drawn strips of recently seen rows,
and on a cursor move redraws exactly the two rows that changed. Only the
visible rows are ever drawn, so neither cost grows with the portfolio.

It knows nothing of sorting or filtering: `RankingTable` hands it the rows in
order with `show_rows` and follows its `cursor` reactive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.views.ranking import RankRow
from tui.text import plain
from tui.widgets.lines import Run, fit

CURSOR_MARK = "▶"
"""Drawn in the gap before the cursor row's rank, so the cursor shows without colour too."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column as drawn: its key, header label, width in cells and alignment.

    The width counts the one-cell gap drawn before every value.
    """

    key: str
    label: str
    width: int
    right: bool = False


def row_texts(row: RankRow) -> tuple[str, ...]:
    """Row values as plain text in `core.views.ranking.COLUMNS` order (user text via `plain`)."""
    quadrant = plain(row.quadrant_text)
    blank = "—" if row.unscored else None
    return (
        str(row.rank),
        plain(row.title),
        row.stage.value,
        blank or f"{row.impact:.2f}",
        blank or f"{row.feasibility:.2f}",
        quadrant,
        blank or f"{row.score:.1f}",
        row.findings.compact,
        rated_text(row),
        plain(row.owner),
    )


def rated_text(row: RankRow) -> str:
    """The Rated cell: how many people rate the project, "!" when they disagree; "" unrated."""
    if not row.raters:
        return ""
    return f"{row.raters}{'!' if row.disagrees else ''}"


def cell_text(text: str, column: Column) -> str:
    """`text` after the gap, fitted to the column: cut with an ellipsis, padded to its side."""
    inner = column.width - 1
    if inner <= 0:
        return " " * max(column.width, 0)
    value = fit(text, inner)
    pad = " " * (inner - cell_len(value))
    return " " + (pad + value if column.right else value + pad)


def row_runs(
    texts: tuple[str, ...], columns: tuple[Column, ...], roles: dict[str, str]
) -> list[Run]:
    """A row as runs: adjacent columns of the same role merge into one run.

    `roles` names the role of each column key that is not drawn in the base style.
    """
    runs: list[Run] = []
    for text, column in zip(texts, columns, strict=True):
        drawn, role = cell_text(text, column), roles.get(column.key, "")
        if runs and runs[-1][1] == role:
            runs[-1] = (runs[-1][0] + drawn, role)
        else:
            runs.append((drawn, role))
    return runs


class RankList(ScrollView, can_focus=True):
    """Rows of the ranking under a header that stays put; one row is the cursor.

    Up/down (and the ranking's j/k), page up/down, home/end move the cursor and
    keep it in view; left/right scroll sideways when the columns are wider than
    the list. A click on a row moves the cursor there, a click on the header
    posts `HeaderClicked` with the column's key.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"rank-list--{role}" for role in ("header", "cursor", "near", "warning", "empty")
    }

    DEFAULT_CSS = """
    RankList {
        background: $surface;
        color: $foreground;
        & > .rank-list--header { background: $panel; color: $foreground; text-style: bold; }
        &:ansi > .rank-list--header { background: ansi_bright_blue; color: ansi_default; }
        & > .rank-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .rank-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .rank-list--near { text-style: italic; }
        & > .rank-list--warning { text-style: bold; }
        & > .rank-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """The index of the cursor's row among the rows shown."""

    class HeaderClicked(Message):
        """The user clicked a column's header."""

        def __init__(self, rank_list: RankList, column: str) -> None:
            super().__init__()
            self.rank_list = rank_list
            self.column = column
            """The column's key, as in `core.views.ranking.COLUMNS`."""

        @property
        def control(self) -> RankList:
            """The list whose header was clicked (for `@on` selectors)."""
            return self.rank_list

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows: tuple[RankRow, ...] = ()
        """The rows shown, top to bottom."""
        self.columns: tuple[Column, ...] = ()
        self.header: tuple[str, ...] = ()
        """Each column's header as it reads (the sort column's with its arrow)."""
        self._texts: dict[str, tuple[str, ...]] = {}
        self._header: list[Run] = []
        self._strips: LRUCache[tuple[int, bool], Strip] = LRUCache(1024)
        """Drawn rows, full width, by (index, is the cursor): a scroll redraws every visible row."""
        self._strips_width = 0
        """The width the cached strips were drawn at: a scrollbar coming or going changes it."""
        self._styles: dict[str, Style] = {}
        """Base, component and combined styles, worked out once per style change."""

    # --- what to draw --------------------------------------------------------------

    def show_rows(
        self,
        rows: tuple[RankRow, ...],
        texts: dict[str, tuple[str, ...]],
        columns: tuple[Column, ...],
        header: tuple[str, ...],
        cursor: int,
    ) -> None:
        """Show `rows` (their values in `texts` by project id) in `columns`, the cursor at `cursor`.

        `header` holds each column's label as it should read (a sort arrow
        included). The cursor moves without `cursor` watchers hearing of it:
        this is the owner's doing, not the user's.
        """
        self.rows = rows
        self._texts = texts
        self.columns = columns
        self.header = header
        self._header = [
            (
                "".join(cell_text(label, c) for label, c in zip(header, columns, strict=True)),
                "header",
            )
        ]
        self._strips.clear()
        self.set_reactive(RankList.cursor, self._clamp(cursor))
        width = sum(column.width for column in columns)
        self.virtual_size = Size(width, len(rows) + 1)
        self._reveal()
        self.call_after_refresh(self._reveal)  # again once scrollbars have come or gone
        self.refresh()

    def move_cursor(self, index: int) -> None:
        """Put the cursor on row `index` (clamped) quietly, and bring it into view."""
        old = self.cursor
        self.set_reactive(RankList.cursor, self._clamp(index))
        self._cursor_changed(old, self.cursor)

    def _clamp(self, index: int) -> int:
        return min(max(index, 0), max(len(self.rows) - 1, 0))

    @property
    def page_rows(self) -> int:
        """How many rows fit under the header."""
        return max(self.scrollable_content_region.height - 1, 1)

    # --- moving --------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._cursor_changed(old, new)

    def _cursor_changed(self, old: int, new: int) -> None:
        """Redraw the two rows that changed, or everything when the list scrolled."""
        top = self.scroll_offset.y
        self._reveal()
        if self.scroll_offset.y != top:
            return  # scrolling repaints the whole list
        for index in (old, new):
            y = index - top + 1
            if 1 <= y < self.size.height:
                self.refresh(Region(0, y, self.size.width, 1))

    def _reveal(self) -> None:
        """Bring a cursor that left the view back to the middle of it; a visible one stays put.

        Scrolling redraws every row, so the list scrolls half a page at a time
        rather than a row per key: the next rows are in sight before the cursor
        reaches them, and a walk down the list redraws it once in half a page
        (which matters most over SSH), not on every key.
        """
        height = self.page_rows
        if not self.rows or self.scrollable_content_region.height <= 1:
            return
        top = round(self.scroll_offset.y)
        if not top <= self.cursor < top + height:
            # Forced: right after `show_rows` grows the list, the scrollbar that
            # permits scrolling does not exist yet.
            y = max(self.cursor - height // 2, 0)
            self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def action_move(self, delta: int) -> None:
        """Move the cursor `delta` rows; at either end, bring it back into view."""
        if self.rows:
            self._set_cursor(self._clamp(self.cursor + delta))

    def action_page(self, pages: int) -> None:
        """Move the cursor by a screenful."""
        self.action_move(pages * max(self.page_rows - 1, 1))

    def action_jump(self, index: int) -> None:
        """Put the cursor on the first (0) or last (-1) row."""
        if self.rows:
            self._set_cursor(index if index >= 0 else len(self.rows) - 1)

    def _set_cursor(self, index: int) -> None:
        """The user's move; one that stays put still shows a cursor scrolled away (the wheel)."""
        if index == self.cursor:
            self._reveal()
        else:
            self.cursor = index

    def on_click(self, event: events.Click) -> None:
        """A click on a row moves the cursor there; on the header, it asks to sort by that one."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + round(self.scroll_offset.x)
            for column in self.columns:
                if x < column.width:
                    self.post_message(self.HeaderClicked(self, column.key))
                    return
                x -= column.width
            return
        index = offset.y - 1 + round(self.scroll_offset.y)
        if 0 <= index < len(self.rows):
            self.cursor = index

    def on_resize(self, _event: events.Resize) -> None:
        """Keep the cursor in view at the new size."""
        self._reveal()

    def notify_style_update(self) -> None:
        """Theme or focus changed: drawn rows carry old colours, so drop them."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    # --- drawing -------------------------------------------------------------------

    def _style(self, role: str, cursor: bool) -> Style:
        """The style of a run: its role's, laid over the cursor's on the cursor row."""
        key = f"{role}/{cursor}"
        style = self._styles.get(key)
        if style is None:
            base = self.rich_style
            if cursor:
                style = self.get_component_rich_style("rank-list--cursor")
                if role:
                    style += self.get_component_rich_style(f"rank-list--{role}", partial=True)
            elif role:
                style = self.get_component_rich_style(f"rank-list--{role}")
            else:
                style = base
            self._styles[key] = style
        return style

    def _strip(self, runs: list[Run], cursor: bool, width: int, pad: str = "") -> Strip:
        """Runs as a strip `width` cells wide, padded in the style of the role `pad`."""
        segments = [Segment(text, self._style(role, cursor)) for text, role in runs]
        return Strip(segments).adjust_cell_length(width, self._style(pad, cursor))

    def render_line(self, y: int) -> Strip:
        """The header on the first line, then the rows at the scroll position."""
        width = self.scrollable_content_region.width
        full = max(self.virtual_size.width, width)
        if full != self._strips_width:
            self._strips.clear()
            self._strips_width = full
        if y == 0:
            return self._crop(self._strip(self._header, False, full, "header"), width)
        index = y - 1 + round(self.scroll_offset.y)
        if 0 <= index < len(self.rows):
            key = (index, index == self.cursor)
            strip = self._strips.get(key)
            if strip is None:
                row = self.rows[index]
                runs = row_runs(self._texts[row.project_id], self.columns, _roles(row))
                if key[1]:  # the cursor, marked in the gap before the rank: seen without colour
                    (text, role), *rest = runs  # a run of its own: SVG exports place each run
                    runs = [(CURSOR_MARK, role), (text[1:], role), *rest]
                strip = self._strips[key] = self._strip(runs, key[1], full)
            return self._crop(strip, width)
        if y == 1 and not self.rows:
            return self._strip([(" no projects match", "empty")], False, width)
        return Strip.blank(width, self.rich_style)

    def _crop(self, strip: Strip, width: int) -> Strip:
        """The part of a full-width line the horizontal scroll shows."""
        x = round(self.scroll_offset.x)
        if x == 0 and strip.cell_length == width:
            return strip
        return strip.crop(x, x + width).adjust_cell_length(width, self.rich_style)


def _roles(row: RankRow) -> dict[str, str]:
    """Columns of this row drawn in a style of their own."""
    roles = {"warnings": "warning"}
    if row.near_boundary:
        roles["quadrant"] = "near"
    return roles
