"""Pilot tests of the project editor inside the real app: every change reaches the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apps.editor_app import make_app as make_host_app
from factories import earlier_clock
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Metric,
    Portfolio,
    Project,
    Stage,
)
from portfolio import dumps, load
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.dialogs import ConfirmDialog
from tui.editor.items import FieldPrompt, ItemForm
from tui.editor.screen import ProjectEditor
from tui.host import EditorHost
from tui.widgets.toggle import Toggle

HOSTILE = "[@click=app.quit]x[/]"
SnapCompare = Callable[..., bool]


def small_portfolio() -> Portfolio:
    """Two projects; 'churn' ranks first (more impact, same feasibility)."""
    churn = Project(
        id="churn",
        title="Churn prediction",
        owner="ann",
        stage=Stage.TRAINING,
        impact={"cheap_prediction": 5, "product_friction": 4},
        metrics=(Metric(name="auc", optimise=True),),
        baselines=(Baseline(name="rules", kind=BaselineKind.SCRIPTED_RULES, scores={"auc": 0.7}),),
        models=(CandidateModel(name="gbm", scores={"auc": 0.8}),),
    )
    search = Project(id="search", title="Document search")
    return Portfolio(projects=(churn, search))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """The small portfolio, written where the app may edit it."""
    target = tmp_path / "portfolio.toml"
    target.write_text(dumps(small_portfolio()), encoding="utf-8")
    return target


def make(path: Path, *, read_only: bool = False) -> MlfolioApp:
    """The real app over `path`, with a fixed clock and user, and no disk polling."""
    return create_app(path, clock=earlier_clock, user="ann", read_only=read_only, poll_interval=0)


async def settle(pilot: Pilot[None]) -> None:
    """Let messages and background saves finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def file_bytes(path: Path) -> bytes:
    """The file exactly as it is on disk."""
    return path.read_bytes()


def showing(app: App[None]) -> Screen[object]:
    """The screen on top (a function, so each check reads it afresh)."""
    return app.screen


def on_disk(path: Path) -> Project:
    """The churn project as saved."""
    project = load(path).project("churn")
    assert project is not None
    return project


async def open_editor(pilot: Pilot[None]) -> ProjectEditor:
    """Press e on the dashboard and return the editor it opens."""
    await settle(pilot)
    await pilot.press("e")
    await pilot.pause()
    editor = pilot.app.screen
    assert isinstance(editor, ProjectEditor)
    return editor


async def go_to_field(pilot: Pilot[None], editor: ProjectEditor, path: str) -> None:
    """Press j until the highlighted row is the field at `path`."""
    for _ in range(80):
        row = editor.current_row()
        if row is not None and row.spec is not None and row.spec.path == path:
            return
        await pilot.press("j")
    raise AssertionError(f"never reached {path}")


async def go_to_item(pilot: Pilot[None], editor: ProjectEditor, name: str | None) -> None:
    """On the items tab, press j until the highlighted row is the item `name` (None: add row)."""
    if editor.tab != "items":
        await pilot.press("2")
    for _ in range(30):
        row = editor.current_row()
        if row is not None and row.collection == "metrics" and row.name == name:
            return
        await pilot.press("j")
    raise AssertionError(f"never reached {name}")


def row_texts(editor: ProjectEditor, tab: str = "fields") -> list[str]:
    """The lines of a tab's list, as plain text."""
    option_list = editor.query_one(f"#{tab}", OptionList)
    return [str(option.prompt) for option in option_list.options]


async def test_both_hosts_offer_what_the_editor_needs(path: Path) -> None:
    app = make(path)
    async with app.run_test():
        await app.loaded.wait()
        hosts: list[EditorHost] = [app, make_host_app()]
        assert all(host.session is not None for host in hosts)


async def test_e_opens_the_editor_on_the_selected_project(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        assert editor.project_id == app.selected == "churn"
        header = str(editor.query_one("#editor-header", Static).render())
        assert "Churn prediction" in header
        assert any("Title" in line and "Churn prediction" in line for line in row_texts(editor))


@pytest.mark.parametrize("key", ["q", "escape", "ctrl+g"])
async def test_each_close_key_closes_the_editor(path: Path, key: str) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_editor(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, ProjectEditor)
        assert app.is_running


async def test_plus_steps_a_score_and_it_is_saved(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_field(pilot, editor, "impact.product_friction")
        await pilot.press("plus")
        await settle(pilot)
        assert on_disk(path).impact.product_friction == 5  # type: ignore[union-attr]  # scored in this test
        assert any("Product friction" in line and "5" in line for line in row_texts(editor))
        await pilot.press("minus", "minus")
        await settle(pilot)
        assert on_disk(path).impact.product_friction == 3  # type: ignore[union-attr]  # scored in this test


async def test_space_toggles_a_checklist_item(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_field(pilot, editor, "checklist.ethics")
        await pilot.press("space")
        await settle(pilot)
        assert on_disk(path).checklist.ethics is True
        await pilot.press("space")
        await settle(pilot)
        assert on_disk(path).checklist.ethics is False


async def test_space_cycles_an_answer(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_field(pilot, editor, "flywheel.data_loop")
        await pilot.press("space")
        await settle(pilot)
        assert on_disk(path).flywheel.data_loop == "yes"


async def test_enter_types_a_new_title(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_field(pilot, editor, "title")
        await pilot.press("enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, FieldPrompt)
        field = prompt.query_one(Input)
        assert field.value == "Churn prediction"
        field.value = "Churn, renamed"
        await pilot.press("enter")
        await settle(pilot)
        assert showing(app) is editor
        assert on_disk(path).title == "Churn, renamed"


async def test_a_hostile_title_is_shown_literally(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = HOSTILE
        await pilot.press("enter")
        await settle(pilot)
        assert on_disk(path).title == HOSTILE
        header = str(editor.query_one("#editor-header", Static).render())
        assert HOSTILE in header
        assert any(HOSTILE in line for line in row_texts(editor))
        assert app.is_running


async def test_an_invalid_value_shows_an_error_and_changes_nothing(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        before = file_bytes(path)
        await go_to_field(pilot, editor, "impact.automation")
        await pilot.press("enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, FieldPrompt)
        prompt.query_one(Input).value = "9"
        await pilot.press("enter")
        await pilot.pause()
        assert showing(app) is prompt
        message = str(prompt.query_one("#dialog-message", Static).render())
        assert "less than or equal to 5" in message
        prompt.query_one(Input).value = "lots"
        await pilot.press("enter")
        await pilot.pause()
        assert "whole number" in str(prompt.query_one("#dialog-message", Static).render())
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert showing(app) is editor
        assert file_bytes(path) == before
        assert app.session is not None
        assert not app.session.undo_stack


async def test_a_range_is_typed_and_cleared(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_field(pilot, editor, "impact.ranges.automation")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).value = "2-4"
        await pilot.press("enter")
        await settle(pilot)
        ranges = on_disk(path).impact.ranges  # type: ignore[union-attr]  # scored in this test
        assert (ranges["automation"].low, ranges["automation"].high) == (2, 4)
        await pilot.press("x")
        await settle(pilot)
        assert "automation" not in on_disk(path).impact.ranges  # type: ignore[union-attr]  # scored in this test


async def test_a_metric_is_added_through_the_form_and_removed(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_item(pilot, editor, "auc")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#field-name", Input).value = "latency_ms"
        form.query_one("#field-threshold", Input).value = "200"
        await pilot.press("enter")
        await settle(pilot)
        assert showing(app) is editor
        metric = on_disk(path).metric("latency_ms")
        assert metric is not None
        assert metric.threshold == 200.0
        assert not metric.optimise
        assert any("latency_ms" in line for line in row_texts(editor, "items"))

        row = editor.current_row()
        assert row is not None
        assert row.name == "latency_ms"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert on_disk(path).metric("latency_ms") is None
        assert not any("latency_ms" in line for line in row_texts(editor, "items"))


async def test_the_form_keeps_an_invalid_item_open(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        before = file_bytes(path)
        await go_to_item(pilot, editor, None)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#field-name", Input).value = "auc"
        await pilot.press("enter")
        await pilot.pause()
        assert showing(app) is form
        message = str(form.query_one("#dialog-message", Static).render())
        assert "already a metric named 'auc'" in message
        form.query_one("#field-name", Input).value = "f1"
        form.query_one("#field-weight", Input).value = "heavy"
        await pilot.press("enter")
        await pilot.pause()
        assert "Weight" in str(form.query_one("#dialog-message", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert showing(app) is editor
        assert file_bytes(path) == before


async def test_editing_a_metric_renames_it_in_place(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_item(pilot, editor, "auc")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemForm)
        assert form.query_one("#field-name", Input).value == "auc"
        assert form.query_one("#field-optimise", Toggle).value is True
        form.query_one("#field-name", Input).value = "roc_auc"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [m.name for m in on_disk(path).metrics] == ["roc_auc"]


async def test_changes_made_elsewhere_show_up(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        await go_to_field(pilot, editor, "impact.product_friction")
        await pilot.press("plus")
        await settle(pilot)
        assert any("●●●●● 5" in line for line in row_texts(editor))
        await pilot.press("u")
        await settle(pilot)
        for _ in range(40):
            if not any("●●●●● 5" in line for line in row_texts(editor)):
                break
            await pilot.pause(0.05)
        assert any("●●●●○ 4" in line for line in row_texts(editor))
        assert on_disk(path).impact.product_friction == 4  # type: ignore[union-attr]  # scored in this test


async def test_read_only_disables_every_editing_key(path: Path) -> None:
    app = make(path, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        editor = ProjectEditor("churn")
        await app.push_screen(editor)
        await pilot.pause()
        before = file_bytes(path)
        header = str(editor.query_one("#editor-header", Static).render())
        assert "READ-ONLY" in header
        await go_to_field(pilot, editor, "impact.product_friction")
        await pilot.press("plus", "space", "enter", "x", "a")
        await settle(pilot)
        assert showing(app) is editor
        for action in ("step", "toggle_value", "type_value", "add_item", "remove"):
            assert editor.check_action(action, ()) is False
        assert file_bytes(path) == before


async def test_a_removed_project_leaves_an_empty_editor(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(pilot)
        assert app.session is not None
        app.session.replace(Portfolio(projects=(Project(id="search", title="Search"),)))
        editor.refresh_project()
        await pilot.pause()
        assert "no longer in the portfolio" in str(
            editor.query_one("#editor-header", Static).render()
        )
        assert row_texts(editor) == []
        await pilot.press("plus", "enter", "a", "x")
        await pilot.pause()
        assert showing(app) is editor


def test_snapshot_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_host_app(), terminal_size=(80, 24))
