"""A key that moves the selection updates the screen in the same call, so it costs one frame.

The views still post `ProjectSelected`, but a message is handled after the
screen has drawn the key's first frame; the app watches each view's
`selected` instead, so the status line and the other views on screen follow
before anything is drawn. Views not on screen catch up when they are shown.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Loaded
from factories import EXAMPLE, fixed_clock
from textual.screen import Screen
from textual.widgets import Static

from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.widgets.board import KanbanBoard
from tui.widgets.grid import ImpactGrid
from tui.widgets.legend import GridLegend
from tui.widgets.rank_list import RankList
from tui.widgets.ranking import RankingTable


@pytest.fixture
def app(tmp_path: Path) -> MlfolioApp:
    """The dashboard over a copy of the example, without disk polling."""
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    return create_app(path, clock=fixed_clock, user="ann", poll_interval=0)


def status(app: MlfolioApp) -> str:
    """What the status line says."""
    return str(app.query_one("#status", Static).render())


def walkable(app: MlfolioApp, view: str) -> str:
    """A project from which the down arrow moves somewhere on `view`."""
    dashboard = app.dashboard
    assert dashboard is not None
    if view == "board":
        column = next(c for c in dashboard.columns if len(c.cards) > 1 and not c.is_outcome)
        return column.cards[0].project_id
    if view == "grid":
        return next(
            p.project_id
            for p in dashboard.points
            if dashboard.moves.neighbour(p.project_id, "down")
        )
    return dashboard.ranking[0]


def title(app: MlfolioApp, project_id: str | None) -> str:
    """A project's title."""
    project = app.project(project_id)
    assert project is not None
    return project.title


async def test_a_grid_move_reaches_every_view_before_the_call_returns(
    app: MlfolioApp, loaded: Loaded
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        grid = app.query_one(ImpactGrid)
        start = grid.selected
        for direction in ("down", "right", "up", "left"):
            grid.action_move(direction)
            if grid.selected != start:
                break
        moved = grid.selected
        assert moved != start
        # No await since the move: nothing has been handled from a message queue yet.
        assert app.selected == moved
        assert app.query_one(GridLegend).selected == moved
        assert title(app, moved)[:20] in status(app)
        board = app.query_one(KanbanBoard)
        assert board.selected != moved, "a hidden view does no work per key"
        await pilot.press("2")
        assert board.selected == moved, "and catches up when shown"


async def test_a_ranking_cursor_move_is_followed_in_the_same_call(
    app: MlfolioApp, loaded: Loaded
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("4")
        ranking = app.query_one(RankingTable)
        table = ranking.query_one(RankList)
        table.action_move(1)
        assert ranking.selected == app.selected
        assert app.dashboard is not None
        assert app.selected == app.dashboard.ranking[1]
        assert title(app, app.selected)[:20] in status(app)
        await pilot.press("1")
        assert app.query_one(ImpactGrid).selected == app.selected


async def test_a_board_move_is_followed_in_the_same_call(app: MlfolioApp, loaded: Loaded) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("2")
        app.selected = start = walkable(app, "board")
        await pilot.pause()
        board = app.query_one(KanbanBoard)
        board.action_move("down")
        assert board.selected != start
        assert app.selected == board.selected
        assert title(app, board.selected)[:20] in status(app)
        await pilot.press("1")
        assert app.query_one(ImpactGrid).selected == board.selected


async def test_a_late_message_does_not_take_the_selection_back(
    app: MlfolioApp, loaded: Loaded
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        grid = app.query_one(ImpactGrid)
        first = app.selected
        assert first is not None
        await pilot.press("down")
        second = app.selected
        assert second != first
        grid.post_message(ImpactGrid.Selected(grid, first))  # a message from an older key
        await pilot.pause()
        assert app.selected == second


@pytest.mark.parametrize(("view", "keys"), [("grid", ()), ("board", ("2",)), ("ranking", ("4",))])
async def test_a_key_is_drawn_in_one_frame(
    app: MlfolioApp, loaded: Loaded, view: str, keys: tuple[str, ...]
) -> None:
    frames: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
        app.selected = walkable(app, view)
        await pilot.pause()
        screen = app.screen
        refresh = screen._compositor_refresh

        def counted() -> None:
            frames.append(1)
            refresh()

        def patched(target: Screen[object]) -> None:
            target._compositor_refresh = counted  # type: ignore[method-assign]

        patched(screen)
        before = app.selected
        await pilot.press("down")
        await pilot.pause()
        assert app.selected != before, f"down moved nothing on the {view}"
        assert len(frames) == 1
