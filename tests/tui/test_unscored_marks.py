"""The panel header and the grid legend mark unscored projects (issue 11, item 4)."""

from __future__ import annotations

from factories import EARLIER, portfolio, project
from textual.app import App, ComposeResult

from core.models import Feasibility, Impact, Settings
from core.views.dashboard import build_dashboard
from tui.widgets.legend import GridLegend
from tui.widgets.panel_sections import panel_lines


def test_the_panel_header_says_unscored() -> None:
    fresh = project("fresh", title="Fresh")
    scored = project("scored", title="Scored", impact=Impact(), feasibility=Feasibility())
    assert "unscored" in panel_lines(fresh, Settings(), 80)[0].plain
    assert "unscored" not in panel_lines(scored, Settings(), 80)[0].plain


def test_the_dashboard_counts_the_unscored_projects_the_grid_leaves_out() -> None:
    scored = project("scored", impact=Impact(), feasibility=Feasibility())
    dash = build_dashboard(portfolio(scored, project("a"), project("b")), EARLIER)
    assert dash.unplaced == 2
    assert len(dash.points) == 1


class _LegendApp(App[None]):
    def __init__(self, unplaced: int) -> None:
        super().__init__()
        self.unplaced = unplaced

    def compose(self) -> ComposeResult:
        yield GridLegend()

    def on_mount(self) -> None:
        dash = build_dashboard(
            portfolio(project("s", impact=Impact(), feasibility=Feasibility())), EARLIER
        )
        self.query_one(GridLegend).show(dash.points, Settings(), None, unplaced=self.unplaced)


async def test_the_legend_ends_with_how_many_are_unscored_and_not_placed() -> None:
    app = _LegendApp(unplaced=2)
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        legend = app.query_one(GridLegend)
        texts = [legend.render_line(y).text for y in range(legend.size.height)]
        assert texts[1].startswith("2 unscored, not placed")
    app = _LegendApp(unplaced=0)
    async with app.run_test(size=(40, 6)) as pilot:
        await pilot.pause()
        legend = app.query_one(GridLegend)
        assert "unscored" not in "".join(legend.render_line(y).text for y in range(6))
