"""The triage "Decide:" menu: decisions by their letters, nothing decided by a bare Enter."""

from __future__ import annotations

from pathlib import Path

from test_triage_app import go_to, make, note, settle, start_triage
from textual.widgets import Input, Static

from core.models import Stage
from tui.dialogs import StageReasonDialog, TextPrompt
from tui.editor.screen import ProjectEditor
from tui.triage.dialogs import DecisionMenu


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


async def test_an_undone_decision_leaves_the_minutes_and_redo_brings_it_back(
    example: Path,
) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_triage(pilot)
        await go_to(pilot, screen, "invoice-extraction")  # training -> deployment
        await pilot.press("f")
        await note(pilot, "ship it")
        assert [d.project_id for d in screen.state.decisions] == ["invoice-extraction"]
        await pilot.press("u", "u")  # the triage mark, then the move
        await settle(pilot)
        project = app.project("invoice-extraction")
        assert project is not None
        assert project.stage is Stage.TRAINING
        assert screen.state.decisions == []
        assert "0 decided" in str(screen.query_one("#triage-header", Static).render())
        await pilot.press("U", "U")
        await settle(pilot)
        assert [d.note for d in screen.state.decisions] == ["ship it"]


async def test_a_rescore_note_starts_empty_not_with_an_old_move_reason(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_triage(pilot)
        parked = next(
            item.project_id
            for item in screen.state.agenda
            if (p := app.project(item.project_id)) is not None
            and p.history
            and p.history[-1].reason
        )
        await go_to(pilot, screen, parked)
        await pilot.press("r")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, ProjectEditor)
        for _ in range(80):
            row = editor.current_row()
            if row is not None and row.spec and row.spec.path == "feasibility.data_availability":
                break
            await pilot.press("j")
        await pilot.press("plus")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.query_one("#text", Input).value == ""
