"""The Flow screen: a full-screen view of the portfolio's flow over a chosen period.

It shows what `core.flow` computes from the histories (nothing is decided
here): the selected project's stage timeline, days in each stage, back-edges
by the lecture's reason, work in progress over time and the outcomes. `p`
cycles the period, `n` / `N` the project whose timeline is drawn. It only
reads: the portfolio and `now` are handed over when it opens.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from core.flow.figures import flow_figures
from core.flow.spans import PERIODS, period_for, project_start, stage_spans
from core.models import Portfolio, Project
from tui.widgets.flow_view import FlowView

__all__ = ["WIP_COLUMNS", "FlowScreen"]

WIP_COLUMNS = 48
"""How many instants the WIP sparklines sample (one column each)."""


class FlowScreen(ModalScreen[None]):
    """Flow pictures of one portfolio as of one instant; closes with Esc or q.

    Modal, though it fills the terminal, so the dashboard's keys (f moves a
    project forward) do nothing here: the view only reads.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,5", "close", "Close", id="flow.close"),
        Binding("p", "period", "Period", id="flow.period"),
        Binding("n", "project(1)", "Next project", id="flow.next"),
        Binding("N", "project(-1)", "Previous", id="flow.previous"),
    ]

    DEFAULT_CSS = """
    FlowScreen { layout: vertical; background: $background; }
    FlowScreen #flow-title { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    FlowScreen FlowView { height: 1fr; }
    """

    def __init__(
        self,
        portfolio: Portfolio,
        now: datetime,
        selected: str | None,
        path: Path | None = None,
    ) -> None:
        super().__init__()
        self._path = path
        self._portfolio = portfolio
        self._now = now
        self._period = 0
        projects = portfolio.projects
        found = next((i for i, p in enumerate(projects) if p.id == selected), 0)
        self._index = found if projects else -1

    def compose(self) -> ComposeResult:
        yield Static(id="flow-title", markup=False)
        yield FlowView(id="flow-view")
        yield Footer()

    def on_mount(self) -> None:
        self._redraw()
        self.query_one(FlowView).focus()
        if self._path is not None:
            self.run_worker(self._read_trend, thread=True, exclusive=True, group="flow-trend")

    def _read_trend(self) -> None:
        """Read the latest snapshots (in a thread) and compare them with the portfolio now."""
        from core.flow.trend import snapshot_trend
        from portfolio.trend import snapshot_versions

        assert self._path is not None
        versions, _warnings = snapshot_versions(self._path)
        trend = snapshot_trend([*versions, (self._now, "now", self._portfolio)])
        self.app.call_from_thread(self.query_one(FlowView).show_trend, trend)

    @property
    def project(self) -> Project | None:
        """The project whose timeline is drawn."""
        projects = self._portfolio.projects
        return projects[self._index] if 0 <= self._index < len(projects) else None

    def _redraw(self) -> None:
        label, days = PERIODS[self._period]
        period = period_for(self._now, days, label)
        flow = flow_figures(self._portfolio.projects, self._now, period, points=WIP_COLUMNS)
        project = self.project
        spans = stage_spans(project, self._now) if project is not None else ()
        start = (project_start(project) if project is not None else None) or self._now
        title = f"Flow · {label} (p) · {flow.active} projects active · {flow.back_edges} back-edges"
        self.query_one("#flow-title", Static).update(Content(title))
        self.query_one(FlowView).show(flow, project, spans, start)

    def action_period(self) -> None:
        """Look at the next period: all time, the last 365, 90 or 30 days."""
        self._period = (self._period + 1) % len(PERIODS)
        self._redraw()

    def action_project(self, step: int) -> None:
        """Draw the timeline of the next (or previous) project."""
        count = len(self._portfolio.projects)
        if count:
            self._index = (self._index + step) % count
            self._redraw()

    def action_close(self) -> None:
        """Back to the dashboard."""
        self.dismiss(None)
