"""A dashboard whose file cannot be read any more says so, keeps its edits, and still quits."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from factories import EXAMPLE
from textual.pilot import Pilot
from textual.widgets import Static

from core.edits.changes import SetField
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app

GOOD = "updated_at = 2026-06-30 15:20:00+00:00"
BAD = "updated_at = 9999-12-31T23:59:59-23:59"
"""Valid TOML, but out of the range Python's datetimes can hold once made UTC."""


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    for _ in range(300):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never held")


def status(app: MlfolioApp) -> str:
    return str(app.query_one("#status", Static).render())


async def test_an_unreadable_file_is_said_edits_are_kept_and_q_quits(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    app = create_app(path, user="ann", poll_interval=0.05)
    async with app.run_test(size=(160, 30)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        text = path.read_text()
        assert GOOD in text
        path.write_text(text.replace(GOOD, BAD, 1))
        await wait_until(pilot, lambda: "cannot read the file" in status(app))
        assert "up to date" not in status(app)
        broken = path.read_bytes()
        assert app.apply_edit(SetField("fitness-pose", "owner", "ann"))
        await wait_until(pilot, lambda: "save failed" in status(app))
        assert app.session is not None
        assert len(app.session.steps) == 1, "the edit is kept"
        assert path.read_bytes() == broken
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
    assert not app.is_running
