"""The metric and baseline panel: one project's metrics, models, baselines, diagnosis and chart.

The lines come from `tui.widgets.panel_sections`, built once per `show()` and
per width change. Their spans name component classes (".metric-panel--pass")
rather than colours, so a theme change restyles them without a rebuild.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.content import Content

from core.models import Project, Settings
from tui.widgets.content_lines import ContentLines, scroll_bindings
from tui.widgets.panel_sections import NO_BASELINES, NO_METRICS, NO_PROJECT, STYLES, panel_lines

__all__ = ["NO_BASELINES", "NO_METRICS", "NO_PROJECT", "MetricPanel", "panel_lines"]


class MetricPanel(ContentLines):
    """One project's metric strategy, model verdicts, baseline ladders and chart, scrollable."""

    BINDINGS: ClassVar[list[BindingType]] = [*scroll_bindings("panel")]

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

    @property
    def lines(self) -> tuple[Content, ...]:
        """The panel's current lines (span styles are component class names)."""
        return tuple(self._lines)

    def show(self, project: Project | None, settings: Settings) -> None:
        """Show `project` (or nothing) judged with the portfolio's `settings`."""
        same = project is not None and self._project is not None and project.id == self._project.id
        self._project, self._settings = project, settings
        self.relayout()
        if not same:
            self.scroll_to(0, 0, animate=False)

    def build_lines(self, width: int) -> list[Content]:
        """The panel's lines for `width` columns."""
        return panel_lines(self._project, self._settings, width)
