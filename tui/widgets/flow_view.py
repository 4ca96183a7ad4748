"""The Flow view's scrolling body: the lines of `tui.widgets.flow_lines`, styled by the theme.

The lines are rebuilt when the figures, the project or the width change;
their spans name component classes, resolved here, so colours follow the
theme (and NO_COLOR leaves the letters to do the work).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.style import Style

from core.flow.figures import FlowFigures
from core.flow.spans import Span
from core.flow.trend import Trend
from core.models import Project
from tui.widgets.content_lines import ContentLines, scroll_bindings
from tui.widgets.flow_lines import STYLES, flow_lines

__all__ = ["FlowView"]


class FlowView(ContentLines):
    """Timeline, time in stage, back-edges by reason, WIP and outcomes, scrollable."""

    BINDINGS: ClassVar[list[BindingType]] = [*scroll_bindings("flow", page_down="pagedown,space")]

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

    def show(
        self, flow: FlowFigures, project: Project | None, spans: Sequence[Span], start: datetime
    ) -> None:
        """Draw `flow`, with the timeline of `project` (its `spans` from `start`)."""
        self._flow, self._project, self._spans, self._start = flow, project, spans, start
        self.relayout()

    def show_trend(self, trend: Trend) -> None:
        """Add the trend across snapshots, once they are read."""
        self._trend = trend
        self.relayout()

    def build_lines(self, width: int) -> list[Content]:
        """The Flow view's lines for `width` columns (none before the figures are shown)."""
        if self._flow is None or self._start is None:
            return []
        return flow_lines(
            self._flow, self._project, self._spans, self._start, width, trend=self._trend
        )

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
