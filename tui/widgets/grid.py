"""The impact / feasibility grid, drawn line by line (its legend is `legend.GridLegend`).

The grid uses the Line API: it lays its cells out once per data or size change
and each line is then a cheap lookup, so a portfolio of thousands of projects
costs nothing per keypress. Positions, quadrants and arrow-key moves come from
`core.views.grid`; this widget only draws them and reports the selection with a
message. User text is drawn as plain segments, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from core.models import Settings
from core.rules.priority import Quadrant, quadrant_name
from core.views.grid import Direction, GridAxis, GridIndex, GridMoves, GridPoint, grid_cells
from tui.text import plain
from tui.widgets.lines import Run, fit, runs_strip
from tui.widgets.messages import ProjectSelected

_MOVE = Binding.Group("Move", compact=True)
_DIRECTIONS: dict[str, Direction] = {"up": "up", "down": "down", "left": "left", "right": "right"}
_VI_KEYS = {"h": "left", "l": "right", "k": "up", "j": "down"}
"""h/j/k/l as in vi; they share the arrows' binding ids, so a keymap entry rebinds both."""

_TICK_ORDER = (5, 1, 4, 2, 3)


class _Canvas:
    """A block of character cells, each with a role; compressed into runs per line."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.chars = [[" "] * width for _ in range(height)]
        self.roles = [[""] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str, role: str) -> None:
        """Write `text` from column `x`, clipped at the right edge; wide characters take two."""
        chars, roles = self.chars[y], self.roles[y]
        for char in text:
            size = cell_len(char)
            if x < 0 or x + size > self.width:
                return
            chars[x], roles[x] = char, role
            for extra in range(x + 1, x + size):
                chars[extra], roles[extra] = "", role
            x += size

    def free(self, x: int, y: int, width: int) -> bool:
        """Whether `width` cells from `x` on line `y` are blank and inside the canvas."""
        row = self.chars[y]
        return x >= 0 and x + width <= self.width and all(c == " " for c in row[x : x + width])

    def runs(self, y: int, overlay: tuple[int, str, str] | None = None) -> list[Run]:
        """Line `y` as runs, with `overlay` (x, text, role) written over a copy of it."""
        chars, roles = list(self.chars[y]), list(self.roles[y])
        if overlay is not None:
            x, text, role = overlay
            for offset, char in enumerate(text):
                if 0 <= x + offset < self.width:
                    chars[x + offset], roles[x + offset] = char, role
        out: list[Run] = []
        for char, role in zip(chars, roles, strict=True):
            if out and out[-1][1] == role:
                out[-1] = (out[-1][0] + char, role)
            else:
                out.append((char, role))
        return out


_NO_AXIS = GridAxis(3.0, 1, 1)
"""Stands in for an axis when the widget is too small to draw one."""


@dataclass
class _GridLayout:
    """Where everything goes at one widget size: computed on data or size change only."""

    canvas: _Canvas
    lines: list[list[Run]]
    impact: GridAxis = _NO_AXIS
    feasibility: GridAxis = _NO_AXIS
    slot: int = 0
    margin: int = 0
    row_y: dict[int, int] = field(default_factory=dict)
    """Screen line of each impact cell."""
    y_cell: dict[int, int] = field(default_factory=dict)
    """Impact cell of each screen line that holds cells."""
    cells: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    place: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """The impact cell, feasibility cell and rank index of each project id."""

    def cell_x(self, column: int) -> int:
        """The first screen column of a feasibility cell (right of the line: one further)."""
        return self.margin + column * self.slot + (column >= self.feasibility.below)


def _cell_text(point: GridPoint, crowded: bool, changed: bool = False) -> str:
    """A cell's label: "◆" when changed (else "~" when shaky), the marker, "+" when crowded."""
    flag = "◆" if changed else "~" if point.uncertain else " "
    return flag + plain(point.marker) + ("+" if crowded else " ")


def layout_grid(
    points: tuple[GridPoint, ...], settings: Settings, width: int, height: int
) -> _GridLayout:
    """Lay the grid out in `width` x `height` cells; too small a size gets a short notice.

    Rows from the top: quadrant names, the high-impact cells, the impact line,
    the low-impact cells, quadrant names, feasibility ticks, the axis label;
    names, ticks and label are dropped, in that order, as the height shrinks.
    """
    canvas = _Canvas(width, height)
    margin = 2 if width >= 12 else 0
    slot = max((len(plain(p.marker)) for p in points), default=1) + 3
    columns = (width - margin - 1) // slot
    if columns < 2 or height < 3:
        if height:
            canvas.put(0, 0, fit("grid: too small", width), "axis")
        return _GridLayout(canvas, [canvas.runs(y) for y in range(height)])
    ticks, names, label = height >= 4, height >= 6, height >= 10
    impact = GridAxis.split(settings.impact_threshold, height - 1 - ticks - 2 * names - label)
    feasibility = GridAxis.split(settings.feasibility_threshold, columns)
    layout = _GridLayout(canvas, [], impact, feasibility, slot, margin)
    divider_x, top = margin + feasibility.below * slot, int(names)
    divider_y = top + impact.above
    bottom = divider_y + impact.below + 1
    for cell in range(impact.cells):
        upper = cell >= impact.below
        y = top + impact.cells - 1 - cell if upper else bottom - 1 - cell
        layout.row_y[cell], layout.y_cell[y] = y, cell
    canvas.put(margin, divider_y, "─" * (width - margin), "line")
    for y in range(bottom + names):
        canvas.put(divider_x, y, "┼" if y == divider_y else "│", "line")
    if names:
        qn = settings.quadrant_names
        for y, left, right in (
            (0, Quadrant.BIG_BETS, Quadrant.QUICK_WINS),
            (bottom, Quadrant.AVOID, Quadrant.FILL_INS),
        ):
            left_text = fit(plain(quadrant_name(left, qn)), divider_x - margin - 1)
            right_text = fit(plain(quadrant_name(right, qn)), width - divider_x - 3)
            canvas.put(margin + 1, y, left_text, "quadrant")
            canvas.put(width - 1 - cell_len(right_text), y, right_text, "quadrant")
    # Ticks, the scale's ends first: where one cell spans several values it shows the outer one.
    for value in _TICK_ORDER if margin else ():
        if canvas.free(0, y := layout.row_y[impact.cell(value)], 1):
            canvas.put(0, y, str(value), "axis")
    for value in _TICK_ORDER if ticks else ():
        x = layout.cell_x(feasibility.cell(value)) + 1
        if canvas.free(x - 1, bottom + names, 2):
            canvas.put(x, bottom + names, str(value), "axis")
    if label:
        canvas.put(0, height - 1, fit("impact ↑   feasibility →", width), "axis")
    layout.cells = grid_cells(points, impact, feasibility)
    for (i_cell, f_cell), members in layout.cells.items():
        best, crowded = points[members[0]], len(members) > 1
        role = "near" if best.uncertain else "marker"
        canvas.put(layout.cell_x(f_cell), layout.row_y[i_cell], _cell_text(best, crowded), role)
        for index in members:
            layout.place[points[index].project_id] = (i_cell, f_cell, index)
    layout.lines = [canvas.runs(y) for y in range(height)]
    return layout


class ImpactGrid(Widget, can_focus=True):
    """Projects on the impact (up) / feasibility (across) plane, split into the four quadrants.

    Each project is drawn as its rank marker; a crowded cell shows its best-ranked
    marker and "+", a shaky quadrant gets "~". Arrow keys (and h/j/k/l) move the
    selection with `core.views.grid.GridIndex`; the grid never edits anything.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        f"impact-grid--{role}"
        for role in ("axis", "line", "quadrant", "marker", "near", "selected", "changed")
    }

    DEFAULT_CSS = """
    ImpactGrid {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .impact-grid--axis { color: $text-muted; }
        & > .impact-grid--line { color: $primary; }
        & > .impact-grid--quadrant { color: $text-secondary; text-style: italic; }
        & > .impact-grid--marker { color: $foreground; text-style: bold; }
        & > .impact-grid--near { color: $text-warning; text-style: bold; }
        & > .impact-grid--selected { color: $foreground; text-style: bold reverse; }
        & > .impact-grid--changed { color: $text-accent; text-style: bold underline; }
        &:focus > .impact-grid--selected { color: $accent; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(way, f"move('{way}')", "Move", id=f"grid.{way}", group=_MOVE)
            for way in _VI_KEYS.values()
        ),
        *(
            Binding(key, f"move('{way}')", way, id=f"grid.{way}", show=False)
            for key, way in _VI_KEYS.items()
        ),
    ]

    selected: reactive[str | None] = reactive(None, repaint=False)
    """The selected project's id; set it to move the highlight, read it to know the choice."""

    class Selected(ProjectSelected):
        """Posted when the selection moves to a project."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.points: tuple[GridPoint, ...] = ()
        self.settings = Settings()
        self._layout = layout_grid((), self.settings, 0, 0)
        self._moves: GridMoves = GridIndex.build(())
        self._styles: dict[str, Style] = {}
        """Base and component styles, worked out once per style change (see `_strip`)."""

    def show(
        self,
        points: tuple[GridPoint, ...],
        settings: Settings,
        selected_id: str | None,
        moves: GridMoves | None = None,
    ) -> None:
        """Draw `points` under `settings` and select `selected_id` (None when it is not drawn).

        `moves` is `GridIndex.build(points)` when the caller has it already.
        """
        self.points = points
        self.settings = settings
        self._moves = GridIndex.build(points) if moves is None else moves
        self._rebuild()
        known = selected_id is not None and selected_id in self._moves.position
        self.selected = selected_id if known else None
        self.refresh()

    def _rebuild(self) -> None:
        """Lay the cells out again; only data and size changes come here, never keypresses."""
        width, height = self.size
        self._layout = layout_grid(self.points, self.settings, width, height)
        if self.highlight:
            self._mark_highlight()

    highlight: frozenset[str] = frozenset()
    """Projects marked as changed ("◆"); set it with `show_highlight`."""

    def show_highlight(self, project_ids: frozenset[str]) -> None:
        """Mark these projects (their cells) as changed; an empty set clears the marks."""
        self.highlight = project_ids
        self._rebuild()
        self.refresh()

    def _cell_changed(self, cell: tuple[int, int]) -> bool:
        """Whether any project drawn in this cell is highlighted."""
        members = self._layout.cells.get(cell, ())
        return any(self.points[index].project_id in self.highlight for index in members)

    def _mark_highlight(self) -> None:
        """Redraw the cells holding a highlighted project with the changed marker."""
        layout = self._layout
        touched = set()
        for (i_cell, f_cell), members in layout.cells.items():
            if self._cell_changed((i_cell, f_cell)):
                y = layout.row_y[i_cell]
                text = _cell_text(self.points[members[0]], len(members) > 1, changed=True)
                layout.canvas.put(layout.cell_x(f_cell), y, text, "changed")
                touched.add(y)
        for y in touched:
            layout.lines[y] = layout.canvas.runs(y)

    def on_resize(self, event: events.Resize) -> None:
        """A new size needs a new layout."""
        self._rebuild()
        self.refresh()

    def watch_selected(self, old: str | None, selected: str | None) -> None:
        """Redraw the lines of the old and the new highlight, and tell the owner."""
        layout = self._layout
        for project_id in (old, selected):
            place = layout.place.get(project_id or "")
            if place is not None:
                self.refresh(Region(0, layout.row_y[place[0]], self.size.width, 1))
        if selected is not None:
            self.post_message(self.Selected(self, selected))

    def action_move(self, direction: str) -> None:
        """Move the selection to the neighbouring project in `direction`."""
        target = self._moves.neighbour(self.selected, _DIRECTIONS[direction])
        if target is not None:
            self.selected = target

    def on_click(self, event: events.Click) -> None:
        """Select the clicked cell's best project, or the next one in it on a second click."""
        offset, layout = event.get_content_offset(self), self._layout
        if offset is None or offset.y not in layout.y_cell:
            return
        x = offset.x - layout.margin
        column = (x if x < layout.feasibility.below * layout.slot else x - 1) // layout.slot
        members = layout.cells.get((layout.y_cell[offset.y], column), ())
        ids = [self.points[index].project_id for index in members]
        if ids:
            self.selected = ids[
                (ids.index(self.selected) + 1) % len(ids) if self.selected in ids else 0
            ]

    def render_line(self, y: int) -> Strip:
        """One screen line: the laid-out runs, with the selected marker drawn over them."""
        width = self.size.width
        layout = self._layout
        if y >= len(layout.lines):
            return Strip.blank(width, self.rich_style)
        runs = layout.lines[y]
        place = layout.place.get(self.selected or "")
        if place is not None and layout.row_y[place[0]] == y:
            i_cell, f_cell, index = place
            crowded = len(layout.cells[i_cell, f_cell]) > 1
            changed = bool(self.highlight) and self._cell_changed((i_cell, f_cell))
            text = _cell_text(self.points[index], crowded, changed)
            runs = layout.canvas.runs(y, (layout.cell_x(f_cell), text, "selected"))
        return runs_strip(self, "impact-grid", runs, width, self._styles)

    def notify_style_update(self) -> None:
        """Theme or focus changed: forget the styles worked out for the old ones."""
        super().notify_style_update()
        self._styles.clear()
