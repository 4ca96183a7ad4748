"""Help (`?`) and History (`H`) read whole at 80x24 and up: columns fit, long text wraps."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from apps.dashboard_app import make_app
from conftest import Loaded
from factories import EXAMPLE, NOW
from screen_text import screen_lines, screen_text
from textual.pilot import Pilot

from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.keymap import ACTIONS
from tui.screens import HelpScreen, HistoryScreen
from tui.widgets.text_table import TextTable

SnapCompare = Callable[..., bool]


def make(tmp_path: Path) -> MlfolioApp:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    return create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)


async def opened(pilot: Pilot[None], *keys: str) -> None:
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await app.loaded.wait()
    await pilot.pause()
    await pilot.press(*keys)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_help_shows_whole_groups_keys_and_descriptions(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make(tmp_path)
    async with app.run_test(size=size) as pilot:
        await opened(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app, app.screen.query_one(".dialog").region)
        for spec in ACTIONS[:8]:  # the first screenful
            assert spec.help in text, spec.id
        lines = screen_lines(app, app.screen.query_one(".dialog").region)
        assert any("Lifecycle" in line and "f" in line for line in lines)
        assert not any("Lifec " in line for line in lines)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_history_shows_who_moved_a_project_and_the_whole_reason(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make(tmp_path)
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        project = app.project("ide-completion")
        assert project is not None
        assert project.history
        app.selected = project.id
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app, app.screen.query_one(".dialog").region)
        for entry in project.history[-3:]:  # the newest come first
            assert f"{entry.by} {entry.from_stage.value} {entry.to_stage.value}" in text
            assert " ".join(entry.reason.split()) in text


async def test_the_help_scrolls_to_its_last_row(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, "question_mark")
        last = app.screen.query_one(TextTable).rows[-1][2]
        assert last not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        assert last in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_help_snapshot(snap_compare: SnapCompare, loaded: Loaded, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_history_snapshot(snap_compare: SnapCompare, loaded: Loaded, size: tuple[int, int]) -> None:
    async def select_then_open(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        app = pilot.app
        assert isinstance(app, MlfolioApp)
        app.selected = "ide-completion"
        await pilot.pause()

    assert snap_compare(make_app(), press=["H"], terminal_size=size, run_before=select_then_open)
