"""Resuming a project parked from planning past it meets the checklist gate, with an override."""

from __future__ import annotations

from pathlib import Path

from test_app import make, settle
from textual.widgets import Input, OptionList

from core.edits.changes import MoveProject
from core.models import Stage
from portfolio import load
from tui.dialogs import OverrideDialog, StageReasonDialog


async def test_resume_past_planning_offers_an_override_and_keeps_the_reason(
    example: Path,
) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.apply_edit(MoveProject("churn-prediction", Stage.PARKED, "budget"))
        app.selected = "churn-prediction"
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StageReasonDialog)
        targets = dialog.query_one("#targets", OptionList)
        targets.highlighted = dialog._targets.index(Stage.DATA)
        dialog.query_one("#reason", Input).value = "budget back, data team ready"
        dialog.query_one("#reason", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverrideDialog)  # not a dead end: an override is offered
        await pilot.press("enter")  # the resume's reason is the override's
        await settle(pilot)
    saved = load(example).project("churn-prediction")
    assert saved is not None
    assert saved.stage is Stage.DATA
    last = saved.history[-1]
    assert last.checklist_override
    assert last.reason == "budget back, data team ready"
