"""The checklist override asks for a reason; the history keeps it (issue 14, finding 6)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from core.models import Portfolio, Project, Stage
from portfolio import dumps, load
from tui.dashboard.launch import create_app
from tui.dialogs import OverrideDialog

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """One project in planning with its whole checklist open."""
    target = tmp_path / "portfolio.toml"
    target.write_text(dumps(Portfolio(projects=(Project(id="ocr", title="OCR"),))), "utf-8")
    return target


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_forward_override_records_the_reason(path: Path) -> None:
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OverrideDialog)
        await pilot.press("enter")  # no reason: refused, nothing moves
        await settle(pilot)
        assert app.screen is dialog
        assert load(path).projects[0].stage is Stage.PLANNING
        await pilot.press(*"sponsor accepts the data risk")
        assert dialog.query_one("#reason", Input).value == "sponsor accepts the data risk"
        await pilot.press("enter")
        await settle(pilot)
    saved = load(path).projects[0]
    assert saved.stage is Stage.DATA
    assert saved.history[-1].checklist_override
    assert saved.history[-1].reason == "sponsor accepts the data risk"


async def test_override_can_be_cancelled_with_ctrl_g(path: Path) -> None:
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not isinstance(app.screen, OverrideDialog)
    assert load(path).projects[0].stage is Stage.PLANNING
