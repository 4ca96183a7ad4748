"""The editor shows derived figures live, and offers to widen a range (issue 14, finding 7)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from core.models import Portfolio, Project
from portfolio import dumps, load
from tui.dashboard.launch import create_app
from tui.dialogs import ConfirmDialog
from tui.editor.items import FieldPrompt
from tui.editor.screen import ProjectEditor

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """One scored project with a range on cheap prediction and no accuracy score."""
    ocr = Project(
        id="ocr",
        title="OCR",
        impact={"cheap_prediction": 4, "ranges": {"cheap_prediction": {"low": 3, "high": 4}}},
        feasibility={"data_availability": 4, "problem_difficulty": 4},
    )
    target = tmp_path / "portfolio.toml"
    target.write_text(dumps(Portfolio(projects=(ocr,))), encoding="utf-8")
    return target


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_field(pilot: Pilot[None], field: str) -> FieldPrompt:
    """Open the editor, walk to `field` and press enter."""
    await settle(pilot)
    if not isinstance(pilot.app.screen, ProjectEditor):
        await pilot.press("e")
        await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, ProjectEditor)
    for _ in range(80):
        row = editor.current_row()
        if row is not None and row.spec is not None and row.spec.path == field:
            break
        await pilot.press("j")
    await pilot.press("enter")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, FieldPrompt)
    return prompt


def text_of(static: Static) -> str:
    return str(static.render())


async def test_accuracy_target_figures_show_while_typing(path: Path) -> None:
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)
    async with app.run_test(size=(80, 24)) as pilot:
        prompt = await open_field(pilot, "feasibility.accuracy_target")
        await pilot.press(*"0.995")
        await pilot.pause()
        shown = text_of(prompt.query_one("#prompt-preview", Static))
        assert "2.30 nines" in shown
        assert "cost ×20 of one nine" in shown
        assert "accuracy score 3.70" in shown
        assert "Quadrant " in shown
        assert "Score " in shown
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, ProjectEditor)
        readout = text_of(editor.query_one("#editor-readout", Static))
        assert "Impact 3.25" in readout
        assert "2.30 nines" in readout


async def test_a_score_outside_its_range_offers_to_widen_it(path: Path) -> None:
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_field(pilot, "impact.cheap_prediction")
        await pilot.press("backspace", "5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        saved = load(path).projects[0].impact
        assert saved is not None
        assert saved.cheap_prediction == 5
        assert (saved.ranges["cheap_prediction"].low, saved.ranges["cheap_prediction"].high) == (
            3,
            5,
        )
        await pilot.press("u")
        await settle(pilot)
        undone = load(path).projects[0].impact
        assert undone is not None
        assert undone.cheap_prediction == 4
