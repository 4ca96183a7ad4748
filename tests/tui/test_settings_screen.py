"""`,` shows every portfolio setting; Enter changes one through `core`, as an edit `u` undoes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from apps.dashboard_app import make_app
from conftest import Loaded
from factories import EXAMPLE, NOW
from screen_text import screen_text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.dialogs import TextPrompt
from tui.settings_screen import READ_ONLY, SettingsScreen, parse_value, setting_rows

SnapCompare = Callable[..., bool]


def make(tmp_path: Path, *, read_only: bool = False) -> MlfolioApp:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    return create_app(path, clock=lambda: NOW, user="ann", read_only=read_only, poll_interval=0)


async def open_settings(pilot: Pilot[None]) -> SettingsScreen:
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await app.loaded.wait()
    await pilot.pause()
    await pilot.press("comma")
    await pilot.pause()
    assert isinstance(app.screen, SettingsScreen)
    return app.screen


async def type_value(pilot: Pilot[None], path: str, text: str) -> None:
    """Highlight the setting at `path`, press Enter, replace the value with `text`, Enter."""
    screen = pilot.app.screen
    options = screen.query_one("#settings-list", OptionList)
    options.highlighted = options.get_option_index(path)
    await pilot.press("enter")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, TextPrompt)
    prompt.query_one("#text", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def message(screen: SettingsScreen) -> str:
    return str(screen.query_one("#settings-message", Static).render())


def test_every_setting_is_listed_with_its_path() -> None:
    from core.models.settings import Settings

    paths = [path for path, _ in setting_rows(Settings())]
    assert paths[:8] == [
        "name",
        "impact_threshold",
        "feasibility_threshold",
        "near_boundary",
        "accuracy_cost_per_nine",
        "rank_by",
        "underfit_margin",
        "stale_days",
    ]
    assert "quadrant_names.avoid" in paths
    assert "impact_weights.automation" in paths
    assert "feasibility_weights.data_availability" in paths


def test_typed_text_takes_the_current_values_type() -> None:
    assert parse_value("stale_days", 30, "45") == 45
    assert parse_value("impact_threshold", 3.0, "3.5") == 3.5
    assert parse_value("name", "x", "3") == "3"
    with pytest.raises(ValueError, match="stale_days: 'soon' is not a whole number"):
        parse_value("stale_days", 30, "soon")


async def test_a_changed_threshold_is_an_edit_that_u_undoes(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        assert app.session is not None
        assert app.session.portfolio.settings.impact_threshold == 3.0
        await type_value(pilot, "impact_threshold", "3.5")
        assert app.session.portfolio.settings.impact_threshold == 3.5
        assert app.screen is screen
        assert "set settings impact_threshold to 3.5" in message(screen)
        assert "3.5" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert app.session.portfolio.settings.impact_threshold == 3.0
        options = screen.query_one("#settings-list", OptionList)
        shown = str(options.get_option("impact_threshold").prompt)
        assert shown.split() == ["impact_threshold", "3.0"]


async def test_a_refused_value_names_the_field_and_changes_nothing(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        assert app.session is not None
        before = app.session.portfolio
        await type_value(pilot, "impact_threshold", "7")
        assert app.session.portfolio is before
        assert not app.session.undo_stack
        assert message(screen) == "settings: impact_threshold: Input should be less than 5"
        await type_value(pilot, "stale_days", "soon")
        assert app.session.portfolio is before
        assert message(screen) == "stale_days: 'soon' is not a whole number"


async def test_a_read_only_session_shows_the_settings_and_refuses_edits(tmp_path: Path) -> None:
    app = make(tmp_path, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_settings(pilot)
        assert "impact_threshold" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen  # no prompt
        assert message(screen) == READ_ONLY
        assert app.session is not None
        assert not app.session.undo_stack


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_settings_screen_snapshot(
    snap_compare: SnapCompare, loaded: Loaded, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), press=["comma"], terminal_size=size, run_before=loaded)


async def test_comma_opens_the_settings_from_the_ranking_too(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.loaded.wait()
        await pilot.press("4")  # the ranking binds s and S (sort); `,` is free everywhere
        await pilot.pause()
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("comma")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
