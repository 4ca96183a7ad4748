"""Pilot tests of the impact grid and its legend: keys, messages, drawing, hostile text, scale."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from apps.grid_app import (
    HOSTILE_CLICK,
    HOSTILE_CLOSE,
    WIP_TITLE,
    make_app,
    make_portfolio,
    make_project,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.containers import Horizontal

from core.models import Portfolio, QuadrantNames, Settings
from core.views.grid import Direction, GridPoint, grid_neighbour, grid_points
from tui.widgets.grid import ImpactGrid, layout_grid
from tui.widgets.legend import GridLegend

SnapCompare = Callable[..., bool]

PORTFOLIO = make_portfolio()
POINTS = grid_points(PORTFOLIO)
IDS = [p.project_id for p in POINTS]


class GridTestApp(App[None]):
    """Grid and legend side by side; records every Selected message and syncs nothing."""

    CSS = "Horizontal { height: 1fr; } ImpactGrid { width: 1fr; } GridLegend { width: 30; }"

    def __init__(
        self,
        portfolio: Portfolio,
        selected: str | None = None,
        legend: bool = True,
        legend_width: int = 30,
    ) -> None:
        super().__init__()
        self.legend_width = legend_width
        self.portfolio = portfolio
        self.points = grid_points(portfolio)
        self.initial = selected
        self.with_legend = legend
        self.grid_messages: list[str] = []
        self.legend_messages: list[str] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield ImpactGrid()
            if self.with_legend:
                yield GridLegend()

    def on_mount(self) -> None:
        self.grid.show(self.points, self.portfolio.settings, self.initial)
        if self.with_legend:
            self.legend.styles.width = self.legend_width
            self.legend.show(self.points, self.portfolio.settings, self.initial)
        self.grid.focus()

    @property
    def grid(self) -> ImpactGrid:
        """The grid under test."""
        return self.query_one(ImpactGrid)

    @property
    def legend(self) -> GridLegend:
        """The legend under test."""
        return self.query_one(GridLegend)

    def on_impact_grid_selected(self, message: ImpactGrid.Selected) -> None:
        self.grid_messages.append(message.project_id)

    def on_grid_legend_selected(self, message: GridLegend.Selected) -> None:
        self.legend_messages.append(message.project_id)


def lines(widget: ImpactGrid | GridLegend) -> list[str]:
    """Every visible line of `widget`, as text."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def large_portfolio(count: int) -> Portfolio:
    """`count` projects spread over the whole grid, many sharing cells."""
    return Portfolio(
        projects=tuple(
            make_project(f"p{i}", f"Project {i}", 1 + i % 5, 1 + (i // 5) % 5) for i in range(count)
        )
    )


# Keys and messages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "direction"),
    [
        (("right", "l"), "right"),
        (("left", "h"), "left"),
        (("up", "k"), "up"),
        (("down", "j"), "down"),
    ],
)
async def test_arrow_and_vi_keys_move_like_grid_neighbour(
    keys: tuple[str, str], direction: Direction
) -> None:
    start = "eta"  # in the middle, so every direction leads somewhere
    expected = grid_neighbour(POINTS, start, direction)
    assert expected is not None
    for key in keys:
        app = GridTestApp(PORTFOLIO, start)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(key)
            await pilot.pause()
            assert app.grid.selected == expected
            assert app.grid_messages[-1] == expected


async def test_a_walk_posts_one_message_per_move() -> None:
    app = GridTestApp(PORTFOLIO, None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.grid.selected is None
        await pilot.press("down")  # nothing selected: starts at the top-ranked project
        await pilot.press("down", "left", "up")
        await pilot.pause()
        expected: list[str] = []
        moves: tuple[Direction, ...] = ("down", "down", "left", "up")
        for move in moves:
            here = grid_neighbour(POINTS, expected[-1] if expected else None, move)
            assert here is not None
            expected.append(here)
        assert app.grid_messages == expected
        assert app.grid.selected == expected[-1]
        assert app.legend_messages == []  # the widgets never talk to each other


async def test_a_move_into_nothing_keeps_the_selection_and_stays_quiet() -> None:
    app = GridTestApp(PORTFOLIO, "churn")
    async with app.run_test(size=(80, 24)) as pilot:
        before = list(app.grid_messages)
        await pilot.press("right", "up")  # churn sits at the top-right corner
        await pilot.pause()
        assert app.grid.selected == "churn"
        assert app.grid_messages == before


async def test_legend_keys_move_in_rank_order() -> None:
    app = GridTestApp(PORTFOLIO, IDS[0])
    async with app.run_test(size=(80, 24)) as pilot:
        app.legend.focus()
        await pilot.press("down", "j", "j", "up", "k")
        await pilot.pause()
        assert app.legend_messages[-5:] == [IDS[1], IDS[2], IDS[3], IDS[2], IDS[1]]
        await pilot.press("end")
        await pilot.pause()
        assert app.legend.selected == IDS[-1]
        await pilot.press("home", "up")
        await pilot.pause()
        assert app.legend.selected == IDS[0]
        assert app.grid_messages == [IDS[0]]  # only show()'s own selection


async def test_show_drops_an_unknown_selection() -> None:
    app = GridTestApp(PORTFOLIO, "no-such-project")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.grid.selected is None
        assert app.legend.selected is None


async def test_clicks_select() -> None:
    app = GridTestApp(PORTFOLIO, "churn")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click(GridLegend, offset=(3, 4))
        await pilot.pause()
        assert app.legend.selected == IDS[4]
        grid_lines = lines(app.grid)
        y = next(i for i, line in enumerate(grid_lines) if " 7 " in line)
        await pilot.click(ImpactGrid, offset=(grid_lines[y].index(" 7 ") + 1, y))
        await pilot.pause()
        assert app.grid.selected == IDS[6]


# Drawing ---------------------------------------------------------------------------------------


async def test_the_grid_shows_quadrants_markers_and_axes() -> None:
    names = QuadrantNames(quick_wins="do now", big_bets="bets", fill_ins="maybe", avoid="nope")
    portfolio = PORTFOLIO.model_copy(update={"settings": Settings(quadrant_names=names)})
    app = GridTestApp(portfolio, "eta", legend=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = "\n".join(lines(app.grid))
        for name in ("do now", "bets", "maybe", "nope"):
            assert name in text
        assert "┼" in text
        assert "impact ↑" in text
        assert "feasibility →" in text
        assert "~4" in text  # the shaky project is flagged
        assert " 2+" in text  # two projects share a cell: the better one shows, with "+"
        drawn = {p.marker for p in POINTS} - {"3"}  # 3 shares 2's cell
        assert all(f" {m} " in text or f"~{m}" in text or f" {m}+" in text for m in drawn)


@settings(max_examples=80, deadline=None)
@given(
    st.floats(min_value=1.1, max_value=4.9),
    st.floats(min_value=1.1, max_value=4.9),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=40),
)
def test_every_point_is_drawn_on_its_quadrants_side_of_the_lines(
    impact_threshold: float, feasibility_threshold: float, width: int, height: int
) -> None:
    chosen = Settings(
        impact_threshold=impact_threshold, feasibility_threshold=feasibility_threshold
    )
    points = grid_points(PORTFOLIO.model_copy(update={"settings": chosen}))
    layout = layout_grid(points, chosen, width, height)
    if not layout.place:
        return  # too small to draw a grid at all
    line_y = next(y for y, row in enumerate(layout.canvas.chars) if "┼" in row)
    line_x = layout.canvas.chars[line_y].index("┼")
    for point in points:
        impact_cell, feasibility_cell, _ = layout.place[point.project_id]
        y, x = layout.row_y[impact_cell], layout.cell_x(feasibility_cell)
        assert (y < line_y) == (point.impact >= impact_threshold)
        assert (x > line_x) == (point.feasibility >= feasibility_threshold)
        shown = points[layout.cells[impact_cell, feasibility_cell][0]]
        assert shown.marker in "".join(layout.canvas.chars[y][x : x + layout.slot])


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "ansi-dark"])
async def test_the_selection_is_visible_without_colour(theme: str) -> None:
    app = GridTestApp(PORTFOLIO, "fraud")
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        for widget in (app.grid, app.legend):
            reversed_text = "".join(
                segment.text
                for y in range(widget.size.height)
                for segment in widget.render_line(y)
                if segment.style is not None and segment.style.reverse
            )
            assert "8" in reversed_text, widget


async def test_a_crowded_cell_shows_the_selected_project_when_it_is_hidden() -> None:
    app = GridTestApp(PORTFOLIO, "search2", legend=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = "\n".join(lines(app.grid))
        assert " 3+" in text
        assert " 2+" not in text


async def test_hostile_titles_and_names_are_shown_literally() -> None:
    names = QuadrantNames(quick_wins="[b]go[/b]", big_bets="[/]", fill_ins="[@click=app.quit]")
    portfolio = PORTFOLIO.model_copy(update={"settings": Settings(quadrant_names=names)})
    app = GridTestApp(portfolio, "click", legend_width=50)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        legend = "\n".join(lines(app.legend))
        for title in (HOSTILE_CLICK, HOSTILE_CLOSE, WIP_TITLE):
            assert title in legend
        grid = "\n".join(lines(app.grid))
        assert "[b]go[/b]" in grid
        assert "[/]" in grid
        await pilot.click(GridLegend, offset=(8, IDS.index("click")))
        await pilot.press("down", "up")
        await pilot.pause()
        assert app.is_running


def test_control_characters_never_reach_the_screen() -> None:
    point = GridPoint("x", "1\x1b[31m", "t", 4.0, 4.0, POINTS[0].quadrant, False, False)
    layout = layout_grid((point,), Settings(), 40, 12)
    assert all("\x1b" not in text for line in layout.lines for text, _ in line)


@pytest.mark.parametrize("width", [0, 1, 2, 5, 9, 12, 20, 33])
@pytest.mark.parametrize("height", [0, 1, 2, 3, 4, 5, 6, 9, 10, 14])
def test_every_size_lays_out_full_lines(width: int, height: int) -> None:
    layout = layout_grid(POINTS, PORTFOLIO.settings, width, height)
    assert len(layout.lines) == height
    assert all(sum(len(text) for text, _ in line) == width for line in layout.lines)


@pytest.mark.parametrize("size", [(20, 6), (12, 4), (1, 1), (5, 2)])
async def test_tiny_terminals_draw_something_sensible(size: tuple[int, int]) -> None:
    app = GridTestApp(PORTFOLIO, "churn", legend=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press("left", "down", "j", "h")
        await pilot.pause()
        assert app.is_running
        text = "\n".join(lines(app.grid))
        if size == (20, 6):
            assert "┼" in text
            assert "~4" in text


async def test_the_legend_stays_put_while_the_grid_walks_and_shows_the_selection_on_focus() -> None:
    portfolio = large_portfolio(300)
    app = GridTestApp(portfolio, "p12")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        legend = app.legend
        start = round(legend.scroll_offset.y)
        height = legend.scrollable_content_region.height
        for key in ("down", "down", "right", "up", "left", "down", "right", "right"):
            await pilot.press(key)
            legend.selected = app.grid.selected  # as the dashboard does, in the same frame
        await pilot.pause()
        selected = legend.selected
        assert selected is not None
        assert selected == app.grid.selected
        index = legend._index[selected]
        assert not start <= index < start + height, "the walk left the legend's page"
        assert round(legend.scroll_offset.y) == start  # chasing grid neighbours scrolls every key
        legend.focus()
        await pilot.pause()
        top = round(legend.scroll_offset.y)
        assert top <= index < top + height
        title = next(p.title for p in app.points if p.project_id == selected)
        assert any(title[:8] in line for line in lines(legend))
        await pilot.press("down")  # keys of its own keep the selection in view
        assert legend.selected == app.points[index + 1].project_id


# Scale -------------------------------------------------------------------------------------------


async def test_a_thousand_projects_render_and_keys_do_not_lay_out_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    portfolio = large_portfolio(1000)
    app = GridTestApp(portfolio, "p12")  # impact 3, feasibility 3: every way leads somewhere
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        grid = app.grid
        calls: list[None] = []
        rebuild = grid._rebuild

        def counting_rebuild() -> None:
            calls.append(None)
            rebuild()

        monkeypatch.setattr(grid, "_rebuild", counting_rebuild)
        await pilot.press("left", "down", "h", "j", "up", "right")
        await pilot.pause()
        assert len(app.grid_messages) == 1 + 6  # the initial selection, then every key
        assert calls == []
        text = "\n".join(lines(grid))
        assert "+" in text
        assert grid.selected is not None
        app.legend.focus()
        await pilot.press("end")
        await pilot.pause()
        legend = app.legend
        assert legend.selected == app.points[-1].project_id
        assert legend.scroll_offset.y > 0
        assert any(line.lstrip(" ~").startswith("1000 ") for line in lines(legend))
        assert calls == []
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert calls  # a new size does lay the grid out again


# Snapshot ----------------------------------------------------------------------------------------


def test_snapshot_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app("eta"), terminal_size=(80, 24))
