"""The lifecycle kanban, drawn line by line.

One column per lifecycle stage, then the outcomes, which fold into one narrow
column of "Shipped (3)"-style counts. Cards are fixed-height blocks drawn with
the Line API rather than one widget each, so start-up, memory and a keypress
cost the same at ten projects as at a thousand: the layout is computed once
per `show()`, resize or fold, and a keypress is a dictionary lookup plus the
repaint of the title lines of the two cards it touches (`board_layout` places
the columns and cards, `cards` draws a card).
The columns come from `core.views.board`; this widget only draws them and reports
the selection, it never moves a project.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.views.board import Column
from tui.widgets.board_layout import (
    EMPTY_LAYOUT,
    FOLDED_TITLE,
    HEADER,
    Slot,
    count_label,
    heading,
    lay_out,
)
from tui.widgets.cards import CARD_HEIGHT, card_runs
from tui.widgets.lines import Run, fit, runs_strip
from tui.widgets.messages import ProjectSelected

_MOVE = Binding.Group("Move", compact=True)

_Key = tuple[str, int, int, int, bool]
"""A drawn stretch: kind ("head", "card", "fold", "blank"), column, row or line, part, selected."""


class KanbanBoard(ScrollView, can_focus=True):
    """The lifecycle kanban: a column per stage, a card per project, outcomes foldable.

    Give it `core.views.board.board()` columns with `show()`; set `selected` to move the
    highlight. Arrow keys (and h/j/k/l) walk the cards as `core.views.board.neighbour_card`
    does, pageup/pagedown/home/end move within a column, `z` folds the outcomes.
    A key that moves the selection posts `KanbanBoard.Selected`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"kanban-board--{role}"
        for role in ("header", "card", "title", "selected", "muted", "warning", "outcome")
    } | {"kanban-board--changed"}

    DEFAULT_CSS = """
    KanbanBoard {
        height: 1fr;
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        & > .kanban-board--header { background: $panel; color: $foreground; text-style: bold; }
        & > .kanban-board--card { color: $primary; }
        & > .kanban-board--title { color: $foreground; text-style: bold; }
        & > .kanban-board--selected { color: $foreground; text-style: bold reverse; }
        & > .kanban-board--muted { color: $text-muted; }
        & > .kanban-board--warning { color: $warning; text-style: bold; }
        & > .kanban-board--outcome { color: $secondary; }
        & > .kanban-board--changed { color: $text-accent; text-style: bold; }
        &:focus > .kanban-board--selected { color: $accent; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move('left')", "Move", id="board.left", group=_MOVE),
        Binding("right", "move('right')", "Move", id="board.right", group=_MOVE),
        Binding("up", "move('up')", "Move", id="board.up", group=_MOVE),
        Binding("down", "move('down')", "Move", id="board.down", group=_MOVE),
        Binding("h", "move('left')", "Left", id="board.left", show=False),
        Binding("l", "move('right')", "Right", id="board.right", show=False),
        Binding("k", "move('up')", "Up", id="board.up", show=False),
        Binding("j", "move('down')", "Down", id="board.down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="board.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="board.page_down", show=False),
        Binding("home", "edge(0)", "First card", id="board.first", show=False),
        Binding("end", "edge(-1)", "Last card", id="board.last", show=False),
        Binding("z", "toggle_outcomes", "Outcomes", id="board.outcomes"),
    ]

    selected: reactive[str | None] = reactive(None, init=False, repaint=False)
    """The selected project's id: highlighted and kept in view; the app sets it."""

    outcomes_folded: reactive[bool] = reactive(True, init=False, repaint=False)
    """Whether Parked, Killed and Shipped shrink to one narrow column of counts."""

    class Selected(ProjectSelected):
        """Posted when a key press or click moves the selection to another card."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: tuple[Column, ...] = ()
        self._layout = EMPTY_LAYOUT
        self._strips: LRUCache[_Key, Strip] = LRUCache(4096)
        self._lines: LRUCache[tuple[int, int, tuple[int, int] | None, int, int], Strip]
        self._lines = LRUCache(1024)
        """Whole drawn lines by (screen line, board line, selection on it, scroll x, width):
        the folded column stays put while the cards scroll, so both lines count."""
        self._styles: dict[str, Style] = {}
        """Base (key "") and component styles, worked out once per style change."""

    # ------------------------------------------------------------ data in

    def show(self, columns: tuple[Column, ...], selected_id: str | None) -> None:
        """Draw `columns` and select `selected_id` (nothing is highlighted if it is not shown)."""
        self.columns = columns
        self.set_reactive(KanbanBoard.selected, selected_id)
        self._relayout()

    highlight: frozenset[str] = frozenset()
    """Projects whose cards are marked as changed ("◆"); set it with `show_highlight`."""

    def show_highlight(self, project_ids: frozenset[str]) -> None:
        """Mark these projects' cards as changed; an empty set clears the marks."""
        self.highlight = project_ids
        self._forget_drawn()
        self.refresh()

    def _relayout(self) -> None:
        """Lay out again, repaint everything and keep the selection in view."""
        self._build_layout()
        self.refresh()
        self._reveal()

    def _build_layout(self) -> None:
        """Place every column and index every card; only data, size and fold changes come here."""
        scrollbar = self.styles.scrollbar_size_vertical
        can_scroll = self.styles.overflow_y != "hidden"
        self._layout, self.virtual_size = lay_out(
            self.columns, self.outcomes_folded, self.size, scrollbar, can_scroll=can_scroll
        )
        self._forget_drawn()

    def on_resize(self, event: events.Resize) -> None:
        """A new size shares the width out again."""
        self._relayout()

    def notify_style_update(self) -> None:
        """Theme or focus changed: drawn lines carry old colours, so drop them."""
        super().notify_style_update()
        self._forget_drawn()
        self._styles.clear()

    def _forget_drawn(self) -> None:
        """Drop every drawn cell and line: the data, the layout or the styles changed."""
        self._strips.clear()
        self._lines.clear()

    def _base_style(self) -> Style:
        """`rich_style`, which walks every ancestor, worked out once per style change."""
        base = self._styles.get("")
        if base is None:
            base = self._styles[""] = self.rich_style
        return base

    # ------------------------------------------------------------ selection

    def watch_selected(self, old: str | None, new: str | None) -> None:
        """Repaint the title lines of the two cards involved and scroll the new one into view."""
        for project_id in (old, new):
            self._refresh_card(project_id)
        self._reveal()

    def on_show(self) -> None:
        """Shown again: bring the selected card into view."""
        self._reveal()

    def watch_outcomes_folded(self) -> None:
        """Folding changes every column's width."""
        self._relayout()

    def _refresh_card(self, project_id: str | None) -> None:
        """Mark just one card (or the folded column holding it) for repainting."""
        where = self._layout.index.get(project_id or "")
        if where is None:
            return
        col, row = where
        slot = self._layout.slot_of.get(col)
        if slot is not None:
            x, y = self.scroll_offset
            top = HEADER + row * CARD_HEIGHT - y
            self.refresh(Region(slot.x - x, top, slot.width, 1))  # the title line: see card_runs
        else:
            self.refresh(Region(0, 0, self.size.width, HEADER + len(self._layout.folded)))

    def _reveal(self) -> None:
        """Bring the selected card into view below the fixed header, centred when it must scroll.

        A card in full view stays put, so most keys repaint only the title lines
        of the two cards they touch. Scrolling repaints the whole board, so a card out of view is
        brought to the middle, leaving room to walk either way before the next.
        """
        if not self.display:
            return  # hidden: scrolling now would re-lay out the screen for nothing
        where = self._layout.index.get(self.selected or "")
        slot = None if where is None else self._layout.slot_of.get(where[0])
        if where is None or slot is None:
            return
        view = self.scrollable_content_region
        x, y = self.scroll_offset
        top = where[1] * CARD_HEIGHT  # the card's first line, counted below the header
        if top < y or top + CARD_HEIGHT > y + view.height - HEADER:
            rows = max((view.height - HEADER) // CARD_HEIGHT, 1)
            y = max(where[1] - (rows - 1) // 2, 0) * CARD_HEIGHT
        if slot.x < x or slot.x + slot.width > x + view.width:
            x = slot.x if slot.x < x else slot.x + slot.width - view.width
        if (x, y) != tuple(self.scroll_offset):
            self.scroll_to(x, y, animate=False, force=True)

    def _choose(self, project_id: str | None) -> None:
        """Select `project_id` on the user's behalf and tell the owner."""
        if project_id is None or project_id == self.selected:
            return
        self.selected = project_id
        self.post_message(self.Selected(self, project_id))

    def _first_card(self) -> str | None:
        """The top card of the leftmost unfolded column that has one."""
        for slot in self._layout.slots:
            if slot.column >= 0 and self.columns[slot.column].cards:
                return self.columns[slot.column].cards[0].project_id
        return None

    def neighbour(self, direction: str) -> str | None:
        """The card an arrow key leads to: `core.views.board.neighbour_card`, O(1), fold-aware.

        Left and right go to the nearest non-empty unfolded column that way, keeping
        the row where they can; up and down stay in the column. With nothing (or a
        card no longer shown) selected, the first card is offered.
        """
        where = self._layout.index.get(self.selected or "")
        if where is None:
            return self._first_card()
        col, row = where
        if direction in ("up", "down"):
            row += 1 if direction == "down" else -1
            cards = self.columns[col].cards
            shown = col in self._layout.slot_of and 0 <= row < len(cards)
            return cards[row].project_id if shown else None
        step = -1 if direction == "left" else 1
        col += step
        while 0 <= col < len(self.columns):
            cards = self.columns[col].cards
            if cards and col in self._layout.slot_of:
                return cards[min(row, len(cards) - 1)].project_id
            col += step
        return None

    def _jump(self, target: Callable[[int, int], int]) -> None:
        """Select row `target(row, length)` (clamped) of the selected card's unfolded column."""
        where = self._layout.index.get(self.selected or "")
        if where is None or where[0] not in self._layout.slot_of:
            self._choose(self._first_card() if where is None else None)
            return
        cards = self.columns[where[0]].cards
        row = min(max(target(where[1], len(cards)), 0), len(cards) - 1)
        self._choose(cards[row].project_id)

    def action_move(self, direction: str) -> None:
        """Move the selection to the neighbouring card in `direction`."""
        self._choose(self.neighbour(direction))

    def action_page(self, pages: int) -> None:
        """Move the selection a screenful of cards up or down its column."""
        per_page = max((self.scrollable_content_region.height - HEADER) // CARD_HEIGHT, 1)
        self._jump(lambda row, _: row + pages * per_page)

    def action_edge(self, end: int) -> None:
        """Select the first (0) or last (-1) card of the selected card's column."""
        self._jump(lambda _, length: end % length)

    def action_toggle_outcomes(self) -> None:
        """Fold or unfold the outcome columns."""
        self.outcomes_folded = not self.outcomes_folded

    def on_click(self, event: events.Click) -> None:
        """Select the clicked card; a click on the folded outcomes unfolds them."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        x = offset.x + scroll_x
        slot = next((s for s in self._layout.slots if s.x <= x < s.x + s.width), None)
        if slot is None:
            return
        if slot.column < 0:
            self.outcomes_folded = False
        elif offset.y >= HEADER:
            row = (offset.y + scroll_y - HEADER) // CARD_HEIGHT
            cards = self.columns[slot.column].cards
            if row < len(cards):
                self._choose(cards[row].project_id)

    # ------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        """Screen line `y`: the header stays put, card lines follow the scroll.

        Whole lines are cached as well as their cells, so a scroll back or a full
        repaint joins and cuts no line twice.
        """
        scroll_x, scroll_y = self.scroll_offset
        line_y = y if y < HEADER else y + scroll_y
        where = self._layout.index.get(self.selected or "", (-1, -1))
        selected = None if y < HEADER else self._selected_on(where, line_y)
        key = (y, line_y, selected, scroll_x, self.size.width)
        line = self._lines.get(key)
        if line is None:
            cells = [self._cell(slot, y, line_y, where) for slot in self._layout.slots]
            joined = Strip.join(cells)
            cut = joined.crop_extend(scroll_x, scroll_x + self.size.width, self._base_style())
            line = self._lines[key] = cut.simplify()
        return line

    def _selected_on(self, where: tuple[int, int], line_y: int) -> tuple[int, int] | None:
        """`where` the selected card is, if it changes how line `line_y` (below the header) looks.

        Only the selected card's title line and the folded column's (which marks the
        outcome holding the selection) depend on the selection.
        """
        col, row = where
        if col < 0:
            return None
        if col in self._layout.folded or line_y == HEADER + row * CARD_HEIGHT:
            return where
        return None

    def _cell(self, slot: Slot, y: int, line_y: int, where: tuple[int, int]) -> Strip:
        """One column's stretch of a line, drawn once and cached until the next layout.

        `where` is the selected card's (column, row), or (-1, -1).
        """
        key: _Key
        if y < HEADER:
            key = ("head", slot.column, 0, 0, False)
        elif slot.column < 0:
            key = ("fold", where[0] if where[0] in self._layout.folded else -1, y, 0, False)
        else:
            row, part = divmod(line_y - HEADER, CARD_HEIGHT)
            if row >= len(self.columns[slot.column].cards):
                key = ("blank", slot.column, 0, 0, False)
            else:
                selected = part == 0 and where == (slot.column, row)
                key = ("card", slot.column, row, part, selected)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._to_strip(self._draw(slot, key), slot.width)
        return strip

    def _draw(self, slot: Slot, key: _Key) -> list[Run]:
        """The runs `key` names; a column's last cell is the gap before the next."""
        kind, col, row, part, selected = key
        if kind == "head":
            title = FOLDED_TITLE if col < 0 else heading(self.columns[col], slot.width - 1)
            return [(fit(title, slot.width - 1), "header"), (" " * slot.width, "header")]
        if kind == "card":
            column = self.columns[col]
            card = column.cards[row]
            return card_runs(
                card,
                part,
                slot.width - 1,
                selected=selected,
                outcome=column.is_outcome,
                changed=card.project_id in self.highlight,
            )
        if kind == "fold" and row - HEADER < len(self._layout.folded):
            outcome = self._layout.folded[row - HEADER]
            label = fit(count_label(self.columns[outcome]), slot.width - 2)
            return [("▶" + label, "selected")] if outcome == col else [(" " + label, "outcome")]
        return []

    def _to_strip(self, runs: list[Run], width: int) -> Strip:
        """Styled segments for `runs`, padded or cut to exactly `width` cells."""
        return runs_strip(self, "kanban-board", runs, width, self._styles)
