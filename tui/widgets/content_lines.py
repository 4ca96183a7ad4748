"""`ContentLines`: a scrollable column of prepared `Content` lines, drawn one strip at a time.

The metric panel and the Flow view both build their lines once per change of
data or width (in a line-building module) and let Textual ask for the visible
ones. Their spans name component classes rather than colours, resolved here
at draw time, so a theme change restyles the cached strips without a rebuild.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

__all__ = ["ContentLines", "scroll_bindings"]


def scroll_bindings(prefix: str, *, page_down: str = "pagedown") -> list[Binding]:
    """The keys that scroll such a view, each binding id under `prefix` (e.g. "panel.down")."""
    return [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id=f"{prefix}.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id=f"{prefix}.up"),
        Binding(page_down, "page_down", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("home", "scroll_home", "Top", show=False, id=f"{prefix}.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id=f"{prefix}.bottom"),
    ]


class ContentLines(ScrollView, can_focus=True):
    """Lines from `build_lines(width)`, re-laid out when the width changes, strips cached."""

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines: list[Content] = []
        self._width = 0
        self._strips: dict[int, Strip] = {}
        self._strips_base: Style | None = None

    @property
    def text(self) -> str:
        """The current lines as plain text, one per line."""
        return "\n".join(line.plain for line in self._lines)

    def build_lines(self, width: int) -> list[Content]:
        """The lines for `width` (> 0) columns; subclasses draw their data here."""
        raise NotImplementedError

    def _layout(self, width: int) -> None:
        """Rebuild the lines for `width` columns and size the scrollable area to them."""
        self._width = width
        self._lines = self.build_lines(width) if width > 0 else []
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def relayout(self) -> None:
        """Rebuild the lines at the current width, after the data changed."""
        self._layout(self.scrollable_content_region.width)

    def on_resize(self, event: Resize) -> None:
        """Lay the lines out again when the width changes."""
        width = self.scrollable_content_region.width
        if width != self._width:
            self._layout(width)

    def notify_style_update(self) -> None:
        """Drop the rendered strips so a new theme or focus state restyles every line."""
        super().notify_style_update()
        self._strips.clear()

    def _component_style(self, style: str | Style) -> Style:
        """Resolve a span's ".component-class" name to this widget's style for it."""
        if isinstance(style, Style):
            return style
        return self.get_visual_style(style.lstrip("."), partial=True)

    def render_line(self, y: int) -> Strip:
        """Line `y` of the visible area: the cached strip for it, cropped to the width."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.visual_style
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, base.rich_style)
        if base != self._strips_base:
            self._strips.clear()
            self._strips_base = base
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            segments = [
                Segment(text, style.rich_style)
                for text, style in line.render(base, end="", parse_style=self._component_style)
            ]
            strip = self._strips[index] = Strip(segments, line.cell_length)
        return strip.crop_extend(scroll_x, scroll_x + width, base.rich_style)
