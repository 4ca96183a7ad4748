"""Item form check boxes read without colour: glyph and label change (issue 14, finding 4)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget

from core.models import Metric, Portfolio, Project, Stage
from portfolio import dumps, load
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.editor.items import ItemForm
from tui.editor.screen import ProjectEditor

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A project without metrics ('bare') and one with ('churn')."""
    churn = Project(
        id="churn",
        title="Churn prediction",
        stage=Stage.TRAINING,
        impact={"cheap_prediction": 5},
        metrics=(Metric(name="auc", optimise=True),),
    )
    bare = Project(id="bare", title="Bare project")
    target = tmp_path / "portfolio.toml"
    target.write_text(dumps(Portfolio(projects=(churn, bare))), encoding="utf-8")
    return target


def make(path: Path) -> MlfolioApp:
    return create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def add_metric_form(pilot: Pilot[None], project_id: str) -> ItemForm:
    """Select `project_id`, open the editor's items tab and the Add-a-metric form."""
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await settle(pilot)
    app.selected = project_id
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    editor = app.screen
    assert isinstance(editor, ProjectEditor)
    await pilot.press("2")
    for _ in range(30):
        row = editor.current_row()
        if row is not None and row.collection == "metrics" and row.name is None:
            break
        await pilot.press("j")
    await pilot.press("enter")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, ItemForm)
    return form


def shown(widget: Widget) -> str:
    """What a widget draws, as plain text."""
    return str(widget.render()).strip()


async def test_optimise_toggle_changes_glyph_and_label(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await add_metric_form(pilot, "churn")
        toggle = form.query_one("#field-optimise")
        assert shown(toggle) == "[ ] not optimised"
        toggle.focus()
        await pilot.press("space")
        await pilot.pause()
        assert shown(toggle) == "[x] optimise"
        assert form.texts()["optimise"] == "yes"


async def test_first_metric_is_optimised_by_default(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await add_metric_form(pilot, "bare")
        assert shown(form.query_one("#field-optimise")) == "[x] optimise"
        form.query_one("#field-name").value = "f1"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        bare = load(path).project("bare")
        assert bare is not None
        assert [(m.name, m.optimise) for m in bare.metrics] == [("f1", True)]
