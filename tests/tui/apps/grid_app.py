"""A tiny app around the impact grid and its legend, with a hand-made portfolio.

Built by `make_app()` for Pilot and snapshot tests; run this file directly to
look at it (arrows or h/j/k/l on the grid, tab to the legend, q quits). The app
owns the selection, as the dashboard does: each widget's Selected message is
handed down to the other.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer

from core.models import Feasibility, Impact, Portfolio, Project, ScoreRange
from core.views.grid import grid_points
from tui.widgets.grid import ImpactGrid
from tui.widgets.legend import GridLegend

HOSTILE_CLICK = "[@click=app.quit]x[/]"
HOSTILE_CLOSE = "A/B test [/]"
WIP_TITLE = "[WIP] ER triage"


def make_project(
    pid: str,
    title: str,
    impact: int,
    feasibility: int,
    impact_range: tuple[int, int] | None = None,
) -> Project:
    """A project whose impact lenses all equal `impact` and whose drivers all equal `feasibility`.

    `impact_range` widens one lens (automation) so the quadrant may flip.
    """
    ranges = (
        {}
        if impact_range is None
        else {"automation": ScoreRange(low=impact_range[0], high=impact_range[1])}
    )
    return Project(
        id=pid,
        title=title,
        impact=Impact(
            cheap_prediction=impact,
            product_friction=impact,
            automation=impact,
            industry_precedent=impact,
            ranges=ranges,
        ),
        feasibility=Feasibility(
            data_availability=feasibility,
            accuracy_requirement=feasibility,
            problem_difficulty=feasibility,
        ),
    )


def make_portfolio() -> Portfolio:
    """Eight projects: every quadrant, a crowded cell, a shaky one and hostile titles."""
    return Portfolio(
        projects=(
            make_project("churn", "Churn prediction", 5, 5),
            make_project("triage", WIP_TITLE, 4, 2),
            make_project("ab", HOSTILE_CLOSE, 2, 4),
            make_project("click", HOSTILE_CLICK, 1, 1),
            make_project("search", "Search ranking", 4, 4),
            make_project("search2", "Search ranking v2", 4, 4),
            make_project("eta", "Delivery ETA", 3, 3, impact_range=(1, 5)),
            make_project("fraud", "Fraud screening for card payments", 5, 1),
        )
    )


class GridApp(App[None]):
    """The grid beside its legend, and a footer; the app keeps the two selections in step."""

    CSS = """
    Horizontal { height: 1fr; }
    ImpactGrid { width: 1fr; }
    GridLegend { width: 34; border-left: vkey $primary; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def __init__(self, portfolio: Portfolio, selected: str | None) -> None:
        super().__init__()
        self.portfolio = portfolio
        self.initial = selected
        self.grid_messages: list[str] = []
        self.legend_messages: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ImpactGrid()
            yield GridLegend()
        yield Footer()

    def on_mount(self) -> None:
        points = grid_points(self.portfolio)
        settings = self.portfolio.settings
        self.query_one(ImpactGrid).show(points, settings, self.initial)
        self.query_one(GridLegend).show(points, settings, self.initial)
        self.query_one(ImpactGrid).focus()

    def on_impact_grid_selected(self, message: ImpactGrid.Selected) -> None:
        """The grid moved: record it and move the legend along."""
        self.grid_messages.append(message.project_id)
        self.query_one(GridLegend).selected = message.project_id

    def on_grid_legend_selected(self, message: GridLegend.Selected) -> None:
        """The legend moved: record it and move the grid along."""
        self.legend_messages.append(message.project_id)
        self.query_one(ImpactGrid).selected = message.project_id


def make_app(selected: str | None = "churn", portfolio: Portfolio | None = None) -> GridApp:
    """The grid app over `portfolio` (the hand-made one by default) with `selected` chosen."""
    return GridApp(portfolio or make_portfolio(), selected)


if __name__ == "__main__":
    make_app().run()
