"""The grid's legend: every project's marker, title and quadrant, drawn line by line.

A Line API list beside the grid, so a portfolio of thousands of projects costs
nothing per keypress: rows are drawn once and cached, and the legend highlights
the selection where it stands rather than scrolling after every grid move.
User text is drawn as plain segments, never markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.models import Settings
from core.rules.priority import Quadrant, quadrant_name
from core.views.grid import GridPoint
from tui.text import plain
from tui.widgets.lines import Run, fit, runs_strip
from tui.widgets.messages import ProjectSelected


class GridLegend(ScrollView, can_focus=True):
    """The grid's key: one "marker  title  quadrant" row per project, in rank order.

    Only the visible rows are drawn, so its cost does not grow with the
    portfolio. Up/down (and j/k) move the selection, which stays in view.

    A selection moved elsewhere (the grid's arrows) is highlighted where the
    legend stands, not chased: grid neighbours lie far apart in rank, so
    following them would scroll and redraw the whole list on nearly every key,
    while the status line already names the selected project. The legend
    brings the selection into view when it gets the focus.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"grid-legend--{role}"
        for role in ("marker", "near", "title", "quadrant", "selected", "changed")
    }

    DEFAULT_CSS = """
    GridLegend {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        & > .grid-legend--marker { color: $foreground; text-style: bold; }
        & > .grid-legend--near { color: $text-warning; text-style: bold; }
        & > .grid-legend--title { color: $foreground; }
        & > .grid-legend--quadrant { color: $text-muted; text-style: italic; }
        & > .grid-legend--selected { color: $foreground; text-style: bold reverse; }
        & > .grid-legend--changed { color: $text-accent; text-style: bold underline; }
        &:focus > .grid-legend--selected { color: $accent; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "step(-1)", "Previous", id="legend.up", show=False),
        Binding("down", "step(1)", "Next", id="legend.down", show=False),
        Binding("k", "step(-1)", "Previous", id="legend.up", show=False),
        Binding("j", "step(1)", "Next", id="legend.down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="legend.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="legend.page_down", show=False),
        Binding("home", "jump(0)", "First", id="legend.first", show=False),
        Binding("end", "jump(-1)", "Last", id="legend.last", show=False),
    ]

    selected: reactive[str | None] = reactive(None, repaint=False)
    """The selected project's id, highlighted and kept in view."""

    class Selected(ProjectSelected):
        """Posted when the selection moves to a project."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.points: tuple[GridPoint, ...] = ()
        self.unplaced = 0
        """How many ranked projects are unscored and so not on the grid."""
        self.settings = Settings()
        self._index: dict[str, int] = {}
        self._names: dict[Quadrant, str] = {}
        self._marker_w = 2
        self._quadrant_w = 0
        self._rows: LRUCache[tuple[int, bool, bool], Strip] = LRUCache(1024)
        """Drawn rows by (index, selected, changed): scrolling redraws every visible row."""
        self._styles: dict[str, Style] = {}
        """Base and component styles, worked out once per style change (see `_strip`)."""

    def show(
        self,
        points: tuple[GridPoint, ...],
        settings: Settings,
        selected_id: str | None,
        *,
        unplaced: int = 0,
    ) -> None:
        """List `points` under `settings` and select `selected_id` (None when it is not listed).

        `unplaced` unscored projects are not on the grid: a last row says how many.
        """
        self.points = points
        self.unplaced = unplaced
        self.settings = settings
        self._index = {point.project_id: i for i, point in enumerate(points)}
        self._names = {q: plain(quadrant_name(q, settings.quadrant_names)) for q in Quadrant}
        self._rows.clear()
        self._measure()
        self.selected = selected_id if selected_id in self._index else None
        self._reveal()
        self.refresh()

    highlight: frozenset[str] = frozenset()
    """Projects marked as changed ("◆" before the marker); set it with `show_highlight`."""

    def show_highlight(self, project_ids: frozenset[str]) -> None:
        """Mark these projects' rows as changed; an empty set clears the marks."""
        self.highlight = project_ids
        self.refresh()

    def _measure(self) -> None:
        """Column widths that depend on the data only, and the virtual size."""
        self._marker_w = max((len(plain(p.marker)) for p in self.points), default=1) + 1
        names = (cell_len(name) for name in self._names.values())
        self._quadrant_w = min(max(names, default=0), 16)
        rows = len(self.points) + (1 if self.unplaced else 0)
        self.virtual_size = Size(self._marker_w + 2 + 40 + 2 + self._quadrant_w, rows)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the selection in view at the new size."""
        self._rows.clear()
        self._reveal()
        self.refresh()

    def notify_style_update(self) -> None:
        """Theme or focus changed: drawn rows carry old colours, so drop them."""
        super().notify_style_update()
        self._rows.clear()
        self._styles.clear()

    def on_focus(self, _event: events.Focus) -> None:
        """Show the selection, which moves elsewhere may have left out of view."""
        top = self.scroll_offset.y
        self._reveal()
        if self.scroll_offset.y != top:
            self.refresh()

    def watch_selected(self, old: str | None, selected: str | None) -> None:
        """Redraw the two rows that changed (or all, if it scrolled) and tell the owner.

        Only a focused legend scrolls to follow: see the class's docstring.
        """
        top = self.scroll_offset.y
        if self.has_focus:
            self._reveal()
        if self.scroll_offset.y != top:
            self.refresh()
        else:
            for project_id in (old, selected):
                index = self._index.get(project_id or "")
                if index is not None:
                    self.refresh_line(index)
        if selected is not None:
            self.post_message(self.Selected(self, selected))

    def _reveal(self) -> None:
        """Bring a selected row out of view to the middle; a visible one stays put.

        As in the ranking list: a scroll redraws every row, so it happens once
        in half a page of walking, with the next rows already in sight.
        """
        index = self._index.get(self.selected or "")
        height = self.scrollable_content_region.height
        if index is None or height <= 0:
            return
        top = round(self.scroll_offset.y)
        if not top <= index < top + height:
            # forced: just after `show` the scrollbar that permits scrolling may not exist yet
            self.scroll_to(y=max(index - height // 2, 0), animate=False, force=True)

    def _select_index(self, index: int) -> None:
        """Select the project at `index`, clamped to the list."""
        if self.points:
            self.selected = self.points[min(max(index, 0), len(self.points) - 1)].project_id

    def action_step(self, delta: int) -> None:
        """Move the selection `delta` rows; from no selection, start at the top."""
        index = self._index.get(self.selected or "")
        self._select_index(0 if index is None else index + delta)

    def action_page(self, pages: int) -> None:
        """Move the selection by a screenful."""
        index = self._index.get(self.selected or "", 0)
        self._select_index(index + pages * max(self.scrollable_content_region.height - 1, 1))

    def action_jump(self, index: int) -> None:
        """Select the first (0) or last (-1) project."""
        self._select_index(index if index >= 0 else len(self.points) - 1)

    def on_click(self, event: events.Click) -> None:
        """Select the clicked row."""
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y + round(self.scroll_offset.y) < len(self.points):
            self._select_index(offset.y + round(self.scroll_offset.y))

    def render_line(self, y: int) -> Strip:
        """One visible row: the project at this scroll position, or blank past the end."""
        width = self.size.width
        index = y + round(self.scroll_offset.y)
        runs: list[Run]
        if index == len(self.points) and self.unplaced:
            runs = [(fit(f"{self.unplaced} unscored, not placed", width), "quadrant")]
        elif not self.points and y == 0:
            runs = [(fit("no projects", width), "quadrant")]
        elif 0 <= index < len(self.points):
            point = self.points[index]
            key = (index, point.project_id == self.selected, point.project_id in self.highlight)
            strip = self._rows.get(key)
            if strip is None:
                strip = self._rows[key] = runs_strip(
                    self, "grid-legend", self._row(point), width, self._styles
                )
            return strip
        else:
            return Strip.blank(width, self.rich_style)
        return runs_strip(self, "grid-legend", runs, width, self._styles)

    def _row(self, point: GridPoint) -> list[Run]:
        """A project's row: marker ("~" before it when shaky), title, quadrant name.

        Columns fit the width left beside the scrollbar; the quadrant goes first
        when there is no room for a readable title.
        """
        marker_w, quadrant_w = self._marker_w, self._quadrant_w
        title_w = self.scrollable_content_region.width - (marker_w + 2) - (quadrant_w + 2)
        if title_w < 8:
            quadrant_w, title_w = 0, title_w + quadrant_w + 2
        changed = point.project_id in self.highlight
        flag = "◆" if changed else "~" if point.uncertain else " "
        marker = (flag + plain(point.marker)).rjust(marker_w) + "  "
        title = set_cell_size(fit(plain(point.title), title_w), max(title_w, 0))
        role = "changed" if changed else "near" if point.uncertain else "marker"
        runs: list[Run] = [(marker, role), (title, "title")]
        if quadrant_w:
            runs.append(("  " + fit(self._names.get(point.quadrant, ""), quadrant_w), "quadrant"))
        if point.project_id == self.selected:
            return [("".join(text for text, _ in runs), "selected")]
        return runs
