"""What is typed right after "/" lands in the search box, however fast it comes.

A terminal delivers "4/chu" typed quickly as keys one after another before
the app has handled the first; the keys are posted here the same way, all at
once, with no pause between them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Loaded
from factories import EXAMPLE, fixed_clock
from textual import events
from textual.widgets import Input

from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.widgets.ranking import FilterInput, RankingTable

NAMES = {"/": "slash", " ": "space"}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A copy of the example."""
    target = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, target)
    return target


def make(path: Path) -> MlfolioApp:
    """The dashboard, without disk polling."""
    return create_app(path, clock=fixed_clock, user="ann", poll_interval=0)


def type_at_once(app: MlfolioApp, text: str) -> None:
    """Post a key per character in one go, as a terminal read of fast typing would."""
    for char in text:
        app.post_message(events.Key(NAMES.get(char, char), char))


@pytest.mark.parametrize("before", ["", "4", "2"])
async def test_keys_typed_right_after_slash_land_in_the_box(
    path: Path, loaded: Loaded, before: str
) -> None:
    original = path.read_bytes()
    app = make(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        type_at_once(app, before + "/chu")
        await pilot.pause()
        box = app.query_one(FilterInput)
        assert app.view == "ranking"
        assert app.focused is box
        assert box.value == "chu"
        assert app.query_one(RankingTable).row_filter.text == "chu"
        await app.workers.wait_for_complete()
    assert path.read_bytes() == original, "a letter meant for the box ran an action"


async def test_a_slash_typed_in_the_box_is_text(path: Path, loaded: Loaded) -> None:
    app = make(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        type_at_once(app, "/a/b")
        await pilot.pause()
        assert app.query_one(FilterInput).value == "a/b"


async def test_a_slash_in_another_text_box_is_text(path: Path, loaded: Loaded) -> None:
    app = make(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("W")  # save elsewhere asks for a file name
        await pilot.pause()
        prompt = app.screen
        field = prompt.query_one(Input)
        assert app.focused is field
        field.value = ""
        type_at_once(app, "a/b")
        await pilot.pause()
        assert app.screen is prompt
        assert field.value == "a/b"
        assert app.view == "grid"
