"""Preferences: theme and keymap from $XDG_CONFIG_HOME/mlfolio/config.toml (issue 14, finding 9)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app, use_preferences
from tui.preferences import config_path, with_theme
from tui.screens import HelpScreen
from tui.serve.session import child_env

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio.toml"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder; HOME points elsewhere, so the real one is never read."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MLFOLIO_SERVED", raising=False)
    monkeypatch.delenv("MLFOLIO_WEB", raising=False)
    return tmp_path / "xdg" / "mlfolio" / "config.toml"


def app_over(tmp_path: Path, *, read_only: bool = False) -> MlfolioApp:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    app = create_app(path, clock=lambda: NOW, user="ann", read_only=read_only, poll_interval=0)
    app.on_start.append(lambda: use_preferences(app, read_only=read_only))
    return app


def test_config_path_follows_xdg() -> None:
    assert config_path({"XDG_CONFIG_HOME": "/x"}) == Path("/x/mlfolio/config.toml")
    assert config_path({"HOME": "/h"}) == Path("/h/.config/mlfolio/config.toml")
    assert config_path({"HOME": "/h", "XDG_CONFIG_HOME": "rel"}) == Path(
        "/h/.config/mlfolio/config.toml"
    )


def test_theme_line_is_replaced_and_the_rest_kept() -> None:
    text = '# mine\ntheme = "nord"\n\n[keymap]\n"quit" = "Q"\n'
    assert with_theme(text, "gruvbox") == '# mine\ntheme = "gruvbox"\n\n[keymap]\n"quit" = "Q"\n'
    assert (
        with_theme('[keymap]\n"quit" = "Q"\n', "nord") == 'theme = "nord"\n[keymap]\n"quit" = "Q"\n'
    )


async def test_theme_and_keymap_are_read_and_a_new_theme_is_saved(
    tmp_path: Path, config: Path
) -> None:
    config.parent.mkdir(parents=True)
    config.write_text('theme = "nord"\n\n[keymap]\n"help" = "f2"\n', encoding="utf-8")
    app = app_over(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.theme == "nord"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        app.theme = "gruvbox"
        await pilot.pause()
    assert config.read_text(encoding="utf-8") == ('theme = "gruvbox"\n\n[keymap]\n"help" = "f2"\n')


async def test_a_bad_file_is_named_in_one_line_and_the_app_starts(
    tmp_path: Path, config: Path
) -> None:
    config.parent.mkdir(parents=True)
    config.write_text('theme = "nord"\n[keymap]\n"move.forwards" = "F"\n', encoding="utf-8")
    before = config.read_bytes()
    app = app_over(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is not None
        notice = app._notice
        assert f"{config}:3: keymap.move.forwards: no binding has this id" in notice
        assert "\n" not in notice
        app.theme = "gruvbox"
        await pilot.pause()
    assert config.read_bytes() == before


async def test_read_only_and_served_sessions_never_write(
    tmp_path: Path, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_over(tmp_path, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.theme = "gruvbox"
        await pilot.pause()
    assert not config.exists()
    assert child_env({}, "xterm", {})["MLFOLIO_SERVED"] == "1"
    monkeypatch.setenv("MLFOLIO_SERVED", "1")
    app = app_over(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.theme = "gruvbox"
        await pilot.pause()
    assert not config.exists()
