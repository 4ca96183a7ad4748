"""The ranking table: every project best first, sortable, searchable and filterable.

The rows, their order and the meaning of a filter expression all come from
`core.views.ranking`; this widget only draws them and turns keys into requests. The
app hands rows down with `show()` and `select()`; the widget posts
`RankingTable.Selected` when the user moves the cursor.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from core.views.ranking import (
    COLUMNS,
    DESCENDING_FIRST,
    FilterError,
    RankRow,
    RowFilter,
    describe_filter,
    describe_sort,
    filter_rows,
    format_filter,
    next_column,
    parse_filter,
    quadrant_labels,
    sort_rows,
)
from tui.text import plain
from tui.widgets.messages import ProjectSelected
from tui.widgets.rank_list import Column, RankList, row_texts

RIGHT_ALIGNED = frozenset({"rank", "impact", "feasibility", "score", "warnings", "rated"})
"""Numeric columns, aligned right so digits line up."""

WIDTH_CAPS = {"owner": 12, "quadrant": 12, "stage": 10}
"""Widest a column may grow; longer values end in an ellipsis."""

MIN_TITLE_WIDTH = 14
"""The title column never gets narrower than this, even in a small terminal."""

FilterMode = Literal["search", "filter"]


class FilterInput(Input):
    """The one-line search and filter box.

    Escape, ctrl+g and ctrl+u clear it, and so does Enter on an empty box: Escape
    alone is slow over SSH and inside tmux.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+g", "clear", "Clear", show=False),
        Binding("ctrl+u", "clear", "Clear", show=False),
    ]

    class Cleared(Message):
        """The user asked to clear the search or filter being edited."""

    def action_clear(self) -> None:
        """Ask the ranking table to clear what this box edits."""
        self.post_message(self.Cleared())


class RankingTable(Widget):
    """Projects best first in a table, with a filter box above and a status line below."""

    DEFAULT_CSS = """
    RankingTable {
        height: 1fr;
        layout: vertical;
    }
    RankingTable > FilterInput {
        display: none;
        background: $boost;
        &.-open { display: block; }
    }
    RankingTable > RankList {
        height: 1fr;
        scrollbar-size-vertical: 1;
        background: $surface;
    }
    RankingTable > #ranking-status {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
        &.-error { height: auto; max-height: 3; color: $text-error; background: $error-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "cycle_sort", "Sort", id="ranking.sort"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="ranking.reverse"),
        # A priority binding, as the app's "/" is: typing right after it must reach the box.
        Binding("slash", "open_search", "Search", id="ranking.search", priority=True),
        Binding("F", "open_filter", "Filter", id="ranking.filter"),
        Binding("ctrl+u", "clear_filter", "Clear filter", id="ranking.clear"),
        Binding("j", "cursor('down')", "Down", show=False, id="ranking.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="ranking.up"),
        Binding("g", "cursor('top')", "Top", show=False, id="ranking.top"),
        Binding("G", "cursor('bottom')", "Bottom", show=False, id="ranking.bottom"),
    ]

    selected: reactive[str | None] = reactive(None, init=False, repaint=False)
    """The selected project's id: set by `show` and `select` (quietly), or by the user's moves.

    Watch it to follow the user's moves in the same frame; `Selected` says the same later.
    """

    class Selected(ProjectSelected):
        """The user moved the cursor to another project."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows: tuple[RankRow, ...] = ()
        self._filtered: tuple[RankRow, ...] = ()
        self._visible: tuple[RankRow, ...] = ()
        self._positions: dict[str, int] = {}
        self._texts: dict[str, tuple[str, ...]] = {}
        self._widths: dict[str, int] = {}
        self._labels = quadrant_labels(())
        self._title_width = 0
        self._pending = False
        self._filter = RowFilter()
        self._sort_column = "rank"
        self._descending = False
        self._mode: FilterMode = "search"
        self._error = ""

    def compose(self) -> ComposeResult:
        """A hidden filter box, the rows and a status line."""
        yield FilterInput(id="ranking-filter", compact=True, select_on_focus=False)
        yield RankList(id="ranking-table")
        yield Static(id="ranking-status", markup=False)

    @property
    def _table(self) -> RankList:
        return self.query_one("#ranking-table", RankList)

    @property
    def _input(self) -> FilterInput:
        return self.query_one("#ranking-filter", FilterInput)

    # --- attributes down ---------------------------------------------------------

    @property
    def row_filter(self) -> RowFilter:
        """The filter in force."""
        return self._filter

    @property
    def sorting(self) -> tuple[str, bool]:
        """The sort column's key and whether it sorts descending."""
        return self._sort_column, self._descending

    @property
    def visible_ids(self) -> tuple[str, ...]:
        """The ids of the rows shown, top to bottom."""
        return tuple(row.project_id for row in self._visible)

    def show(self, rows: tuple[RankRow, ...], selected_id: str | None) -> None:
        """Replace the rows (in rank order) and keep the cursor on `selected_id` if present."""
        self._rows = rows
        self.set_reactive(RankingTable.selected, selected_id)
        self._texts = {row.project_id: row_texts(row) for row in rows}
        self._labels = quadrant_labels(rows)
        self._widths = self._measure()
        self._refilter(user=False)

    def select(self, project_id: str) -> None:
        """Move the cursor to `project_id` without posting `Selected` back."""
        self.set_reactive(RankingTable.selected, project_id)
        index = self._positions.get(project_id)
        if index is not None and self.is_mounted:
            self._table.move_cursor(index)

    def focus_table(self) -> None:
        """Give the keyboard to the table."""
        self._table.focus()

    # --- derived state -----------------------------------------------------------

    def _refilter(self, *, user: bool) -> None:
        """Apply the filter, then the sort; after a user's change, follow a hidden selection."""
        self._filtered = filter_rows(self._rows, self._filter)
        self._resort()
        if user and self._visible and self.selected not in self._positions:
            self._choose(self._visible[0].project_id)

    def _resort(self) -> None:
        """Sort the filtered rows and hand them to the list."""
        self._visible = sort_rows(self._filtered, self._sort_column, self._descending)
        self._positions = {row.project_id: i for i, row in enumerate(self._visible)}
        self._redraw()

    def _measure(self) -> dict[str, int]:
        """Each column's width but the title's: its widest value or header, capped."""
        widths: dict[str, int] = {}
        for index, (key, label) in enumerate(COLUMNS):
            if key == "title":
                continue
            widest = 1 + max((cell_len(t[index]) for t in self._texts.values()), default=0)
            header = cell_len(label) + 2  # leading space and sort arrow
            widths[key] = min(max(widest, header), WIDTH_CAPS.get(key, 1_000) + 1)
        return widths

    def _fit_title(self) -> int:
        """The title column's width: whatever the other columns leave, within reason."""
        others = sum(w for key, w in self._widths.items() if key != "title")
        room = self.size.width - others - 1  # the vertical scrollbar
        return max(MIN_TITLE_WIDTH, room)

    def _header(self, key: str, label: str) -> str:
        """A column's header: its label, and the sort arrow on the sort column."""
        return label + (("▼" if self._descending else "▲") if key == self._sort_column else "")

    def _redraw(self) -> None:
        """Hand the rows, in order, to the list; the cursor stays on the selection.

        Until the widget has a size this waits for its first resize.
        """
        if not self.is_mounted or not self.size.width:
            self._pending = True
            return
        self._pending = False
        self._title_width = self._fit_title()
        widths = {**self._widths, "title": self._title_width}
        columns = tuple(
            Column(key, label, widths[key], key in RIGHT_ALIGNED) for key, label in COLUMNS
        )
        self._table.show_rows(
            self._visible,
            self._texts,
            columns,
            tuple(self._header(key, label) for key, label in COLUMNS),
            self._positions.get(self.selected or "", 0),
        )
        self._update_status()
        self.refresh_bindings()

    def _update_status(self) -> None:
        """The status line: counts, filter, sort, or the last filter error."""
        status = (
            f"{len(self._visible)} of {len(self._rows)} projects · "
            f"{describe_filter(self._filter, self._labels)} · "
            f"{describe_sort(self._sort_column, self._descending)}"
        )
        line = self.query_one("#ranking-status", Static)
        line.set_class(bool(self._error), "-error")
        line.update(Content(plain(f"{self._error} · {status}" if self._error else status)))

    def on_resize(self, _event: events.Resize) -> None:
        """Draw for the first time, or give the title the width the terminal now allows."""
        if self._pending or self._fit_title() != self._title_width:
            self._redraw()

    # --- messages up -------------------------------------------------------------

    def on_mount(self) -> None:
        """Follow the list's cursor as it moves, not when a message would arrive a frame later.

        The list moves its cursor quietly when told to (`show_rows`, `move_cursor`),
        so only the user's moves get here.
        """
        self.watch(self._table, "cursor", self._cursor_moved, init=False)

    def _cursor_moved(self, index: int) -> None:
        """The user moved the cursor: select the project under it."""
        if 0 <= index < len(self._visible):
            self._choose(self._visible[index].project_id)

    def _choose(self, project_id: str | None) -> None:
        """Select `project_id` on the user's behalf and tell the owner."""
        if project_id is None or project_id == self.selected:
            return
        self.selected = project_id
        self.post_message(self.Selected(self, project_id))

    @on(RankList.HeaderClicked, "#ranking-table")
    def _header_clicked(self, event: RankList.HeaderClicked) -> None:
        event.stop()
        column = event.column
        if column == self._sort_column:
            self.sort_by(column, not self._descending)
        else:
            self.sort_by(column)

    # --- sorting -----------------------------------------------------------------

    def sort_by(self, column: str, descending: bool | None = None) -> None:
        """Sort by `column`; without a direction, its natural one (numbers highest first)."""
        self._sort_column = column
        self._descending = column in DESCENDING_FIRST if descending is None else descending
        self._resort()

    def action_cycle_sort(self) -> None:
        """Sort by the next column."""
        self.sort_by(next_column(self._sort_column))

    def action_reverse_sort(self) -> None:
        """Reverse the sort direction."""
        self.sort_by(self._sort_column, not self._descending)

    def action_cursor(self, where: str) -> None:
        """Move the cursor down, up, to the top or to the bottom."""
        table = self._table
        if where in ("down", "up"):
            table.action_move(1 if where == "down" else -1)
        else:
            table.action_jump(0 if where == "top" else -1)

    # --- search and filter -------------------------------------------------------

    def action_open_search(self) -> None:
        """Open an empty box to search titles and ids, live as you type; a new search
        replaces the previous one rather than adding to its words."""
        self._open("search", "")

    def action_open_filter(self) -> None:
        """Open the box with the whole filter as an expression to edit."""
        self._open("filter", format_filter(self._filter))

    def action_clear_filter(self) -> None:
        """Drop every filter and search word."""
        self._apply(RowFilter())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "clear filter" only when a filter is in force, and no keys while typing."""
        if self.is_mounted and self.screen.focused is self._input:  # `has_focus` lags a message
            return False
        if action == "clear_filter":
            return not self._filter.is_empty
        return True

    def _open(self, mode: FilterMode, value: str) -> None:
        self._mode = mode
        box = self._input
        box.placeholder = (
            "search titles and ids · Enter keeps · Esc or ctrl+u clears"
            if mode == "search"
            else 'e.g. stage:training,data owner:ana quadrant:"quick wins" tag:nlp fraud'
        )
        box.value = value
        box.add_class("-open")
        # At once, not after the next refresh as `focus()` would: keys typed
        # right after "/" are already on their way.
        self.screen.set_focus(box)
        box.cursor_position = len(value)

    def _close(self) -> None:
        self._input.remove_class("-open")
        self._table.focus()

    def _apply(self, flt: RowFilter) -> None:
        """Put `flt` in force and clear any error; an unchanged filter redraws nothing."""
        if flt == self._filter and not self._error:
            return
        self._filter = flt
        self._error = ""
        self._refilter(user=True)

    @on(Input.Changed, "#ranking-filter")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._mode == "search" and self._input.has_class("-open"):
            self._apply(self._filter.with_text(event.value))

    @on(Input.Submitted, "#ranking-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if self._mode == "search" or not value:
            self._apply(self._filter.with_text(value) if self._mode == "search" else RowFilter())
            self._close()
            return
        try:
            flt = parse_filter(
                value,
                quadrant_labels=self._labels,
                owners=(row.owner for row in self._rows),
                tags=(tag for row in self._rows for tag in row.tags),
            )
        except FilterError as error:
            self._error = str(error)
            self._update_status()
            return
        self._apply(flt)
        self._close()

    @on(FilterInput.Cleared)
    def _cleared(self, event: FilterInput.Cleared) -> None:
        event.stop()
        self._apply(self._filter.with_text("") if self._mode == "search" else RowFilter())
        self._close()
