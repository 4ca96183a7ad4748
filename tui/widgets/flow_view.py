"""The Flow view's scrolling body: the lines of `tui.widgets.flow_lines`, styled by the theme.

The lines are rebuilt when the figures, the project or the width change;
their spans name component classes, resolved here, so colours follow the
theme (and NO_COLOR leaves the letters to do the work).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from core.flow.figures import FlowFigures
from core.flow.spans import Span
from core.flow.trend import Trend
from core.models import Project
from tui.widgets.flow_lines import STYLES, flow_lines

__all__ = ["FlowView"]


class FlowView(ScrollView, can_focus=True):
    """Timeline, time in stage, back-edges by reason, WIP and outcomes, scrollable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="flow.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="flow.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="flow.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="flow.page_up"),
        Binding("home", "scroll_home", "Top", show=False, id="flow.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id="flow.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {style.lstrip(".") for style in STYLES}

    DEFAULT_CSS = """
    FlowView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        padding: 0 1;
        & > .flow-view--heading { color: $text-primary; text-style: bold underline; }
        & > .flow-view--muted { color: $text-muted; }
        & > .flow-view--back { background: $error; color: $text; text-style: bold; }
        & > .flow-view--s-planning { background: $primary; color: auto 90%; }
        & > .flow-view--s-data { background: $secondary; color: auto 90%; }
        & > .flow-view--s-training { background: $warning; color: auto 90%; }
        & > .flow-view--s-deployment { background: $success; color: auto 90%; }
        & > .flow-view--s-parked { background: $panel-lighten-2; color: auto 90%; }
        & > .flow-view--s-killed { background: $error; color: auto 90%; }
        & > .flow-view--s-shipped { background: $success-darken-2; color: auto 90%; }
        & > .flow-view--b-planning { color: $primary; }
        & > .flow-view--b-data { color: $secondary; }
        & > .flow-view--b-training { color: $warning; }
        & > .flow-view--b-deployment { color: $success; }
        & > .flow-view--b-parked { color: $panel-lighten-2; }
        & > .flow-view--b-killed { color: $error; }
        & > .flow-view--b-shipped { color: $success-darken-2; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._flow: FlowFigures | None = None
        self._project: Project | None = None
        self._spans: Sequence[Span] = ()
        self._start: datetime | None = None
        self._trend: Trend | None = None
        self._lines: list[Content] = []
        self._width = 0
        self._strips: dict[int, Strip] = {}
        self._strips_base: Style | None = None

    @property
    def text(self) -> str:
        """The view's lines as plain text, one per line."""
        return "\n".join(line.plain for line in self._lines)

    def show(
        self, flow: FlowFigures, project: Project | None, spans: Sequence[Span], start: datetime
    ) -> None:
        """Draw `flow`, with the timeline of `project` (its `spans` from `start`)."""
        self._flow, self._project, self._spans, self._start = flow, project, spans, start
        self._layout(self.scrollable_content_region.width)

    def show_trend(self, trend: Trend) -> None:
        """Add the trend across snapshots, once they are read."""
        self._trend = trend
        self._layout(self.scrollable_content_region.width)

    def _layout(self, width: int) -> None:
        self._width = width
        if self._flow is None or self._start is None or width <= 0:
            self._lines = []
        else:
            self._lines = flow_lines(
                self._flow, self._project, self._spans, self._start, width, trend=self._trend
            )
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        """Lay the lines out again when the width changes."""
        width = self.scrollable_content_region.width
        if width != self._width:
            self._layout(width)

    def notify_style_update(self) -> None:
        """Drop the rendered strips so a new theme restyles every line."""
        super().notify_style_update()
        self._strips.clear()

    def _component_style(self, style: str | Style) -> Style:
        """A span's ".component-class" as a style, its background included.

        Textual's partial style drops an opaque background, so a timeline
        cell's background (and the text colour that contrasts with it) is
        taken from the component's rules here.
        """
        if isinstance(style, Style):
            return style
        name = style.lstrip(".")
        visual = self.get_visual_style(name, partial=True)
        rules = self.get_component_styles(name)
        if not rules.has_rule("background"):
            return visual
        background = rules.background
        return Style(
            background=background,
            foreground=background.get_contrast_text(0.9),
            bold=visual.bold,
        )

    def render_line(self, y: int) -> Strip:
        """Line `y` of the visible area, cached, cropped to the width."""
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
