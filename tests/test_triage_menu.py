"""The triage "Decide:" menu: decisions by their letters, nothing decided by a bare Enter."""

from __future__ import annotations

from pathlib import Path

from test_triage_app import example, go_to, make, settle, start_triage

from core.models import Stage
from tui.dialogs import StageReasonDialog
from tui.triage import DecisionMenu

__all__ = ["example"]


async def test_the_menu_takes_a_decision_by_its_letter(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_triage(pilot)
        await go_to(pilot, screen, "invoice-extraction")  # in training
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionMenu)
        await pilot.press("b")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StageReasonDialog)
        assert dialog._title.startswith("Send back")


async def test_enter_alone_in_the_menu_moves_nothing(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_triage(pilot)
        await go_to(pilot, screen, "invoice-extraction")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # no choice made yet
        await settle(pilot)
        assert isinstance(app.screen, DecisionMenu)
        await pilot.press("ctrl+g")
        await settle(pilot)
        project = app.project("invoice-extraction")
        assert project is not None
        assert project.stage is Stage.TRAINING
        assert screen.state.decisions == []
