"""The metric and baseline panel: one project's metrics, models, baselines, diagnosis and chart.

The lines come from `tui.widgets.panel_sections`, built once per `show()` and
per width change. Their spans name component classes (".metric-panel--pass")
rather than colours, so a theme change restyles them without a rebuild.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from core.models import Project, Settings
from tui.widgets.panel_sections import NO_BASELINES, NO_METRICS, NO_PROJECT, STYLES, panel_lines

__all__ = ["NO_BASELINES", "NO_METRICS", "NO_PROJECT", "MetricPanel", "panel_lines"]


class MetricPanel(ScrollView, can_focus=True):
    """One project's metric strategy, model verdicts, baseline ladders and chart, scrollable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="panel.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="panel.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="panel.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="panel.page_up"),
        Binding("home", "scroll_home", "Top", show=False, id="panel.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id="panel.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {style.lstrip(".") for style in STYLES}

    DEFAULT_CSS = """
    MetricPanel {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        & > .metric-panel--title { text-style: bold; }
        & > .metric-panel--heading { color: $text-primary; text-style: bold underline; }
        & > .metric-panel--pass { color: $text-success; }
        & > .metric-panel--fail { color: $text-error; }
        & > .metric-panel--winner { color: $text-accent; text-style: bold; }
        & > .metric-panel--hint { color: $text-warning; text-style: italic; }
        & > .metric-panel--muted { color: $text-muted; }
        & > .metric-panel--tightest { text-style: bold; }
        & > .metric-panel--bar-model { color: $text-accent; }
        & > .metric-panel--bar-baseline { color: $text-muted; }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._project: Project | None = None
        self._settings = Settings()
        self._lines: list[Content] = []
        self._width = 0
        self._strips: dict[int, Strip] = {}
        self._strips_base: Style | None = None

    @property
    def lines(self) -> tuple[Content, ...]:
        """The panel's current lines (span styles are component class names)."""
        return tuple(self._lines)

    @property
    def text(self) -> str:
        """The panel's current lines as plain text, one per line."""
        return "\n".join(line.plain for line in self._lines)

    def show(self, project: Project | None, settings: Settings) -> None:
        """Show `project` (or nothing) judged with the portfolio's `settings`."""
        same = project is not None and self._project is not None and project.id == self._project.id
        self._project, self._settings = project, settings
        self._layout(self.scrollable_content_region.width)
        if not same:
            self.scroll_to(0, 0, animate=False)

    def _layout(self, width: int) -> None:
        """Rebuild the lines for `width` columns and size the scrollable area to them."""
        self._width = width
        self._lines = panel_lines(self._project, self._settings, width) if width > 0 else []
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

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
