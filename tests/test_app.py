"""Pilot tests of the whole dashboard: views, every edit path, saving and reloading."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from core.models import Stage, TransitionKind
from portfolio import SaveError, dumps, load
from portfolio import store as store_module
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.dialogs import ConfirmDialog, StageReasonDialog
from tui.screens import HelpScreen, HistoryScreen, LoadErrorScreen

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio.toml"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The tests' clock: always the same instant."""
    return NOW


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example, safe to edit."""
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    return path


def make(path: Path, *, read_only: bool = False, poll: float = 0.0) -> MlfolioApp:
    """The real app over `path`, with a fixed clock and user."""
    return create_app(path, clock=fixed_clock, user="ann", read_only=read_only, poll_interval=poll)


async def settle(pilot: Pilot[None]) -> None:
    """Let messages and background saves finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status_text(app: MlfolioApp) -> str:
    """What the status line says."""
    return str(app.query_one("#status", Static).render())


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 60) -> None:
    """Pause until `condition` holds (file polling is asynchronous), failing after `tries`."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
        await pilot.app.workers.wait_for_complete()
    raise AssertionError("condition never held")


async def test_opening_view_names_the_top_ranked_projects(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.dashboard is not None
        top = app.dashboard.top_titles(1)[0]
        viewbar = str(app.query_one("#viewbar", Static).render())
        assert top[:20] in viewbar
        assert app.view == "grid"
        assert app.selected == app.dashboard.ranking[0]


async def test_number_keys_switch_views_and_wide_screens_show_three(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key, view in (("2", "board"), ("3", "panel"), ("4", "ranking"), ("1", "grid")):
            await pilot.press(key)
            assert app.view == view
        assert not app.query_one("#board").display
    app = make(example)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.query_one("#grid-pane").display
        assert app.query_one("#board").display
        assert app.query_one("#panel").display
        assert not app.query_one("#ranking").display


async def test_forward_out_of_planning_asks_for_an_override(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.selected = "churn-prediction"
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
    saved = load(example).project("churn-prediction")
    assert saved is not None
    assert saved.stage is Stage.DATA
    last = saved.history[-1]
    assert last.checklist_override
    assert last.by == "ann"
    assert last.at == NOW


async def test_cancelling_the_override_keeps_the_project_in_planning(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.selected = "churn-prediction"
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert app.session is not None
        project = app.session.portfolio.project("churn-prediction")
        assert project is not None
        assert project.stage is Stage.PLANNING


async def test_back_edge_needs_a_reason_and_offers_the_lectures(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        app.selected = "invoice-extraction"  # in training
        await pilot.press("b")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StageReasonDialog)
        # First choice is the nearest earlier stage: data. An empty reason is refused.
        dialog.query_one("#reason", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        message = str(dialog.query_one("#dialog-message", Static).render())
        assert "needs a reason" in message
        # Pick the target, then the first canonical reason code the lecture gives.
        dialog.query_one("#targets").focus()
        await pilot.press("enter")
        await pilot.press("enter")
        await pilot.pause()
        picked = str(dialog.query_one("#reason-code", Static).render())
        assert picked == "Picked: more data needed (more-data-needed)"
        assert dialog.query_one("#reason", Input).has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is not dialog
    saved = load(example).project("invoice-extraction")
    assert saved is not None
    assert saved.stage is Stage.DATA
    assert saved.history[-1].kind is TransitionKind.BACK
    assert saved.history[-1].reason_code == "more-data-needed"
    assert saved.history[-1].reason == "more data needed"


async def test_undo_and_redo_a_move(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"  # in data
        await pilot.press("f")
        await settle(pilot)
        assert app.session is not None
        moved = app.session.portfolio.project("fitness-pose")
        assert moved is not None
        assert moved.stage is Stage.TRAINING
        await pilot.press("u")
        await settle(pilot)
        assert load(example).project("fitness-pose").stage is Stage.DATA  # type: ignore[union-attr]
        await pilot.press("U")
        await settle(pilot)
        assert load(example).project("fitness-pose").stage is Stage.TRAINING  # type: ignore[union-attr]


async def test_a_failed_save_keeps_the_edit_and_can_be_retried(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = store_module.write

    def full_disk(*args: object, **kwargs: object) -> None:
        raise SaveError(f"cannot save {example.name}: No space left on device")

    monkeypatch.setattr(store_module, "write", full_disk)
    before = example.read_bytes()
    app = make(example)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"
        await pilot.press("f")
        await settle(pilot)
        assert "save failed" in status_text(app)
        assert "No space left" in status_text(app)
        assert example.read_bytes() == before
        assert app.session is not None
        assert app.session.portfolio.project("fitness-pose").stage is Stage.TRAINING  # type: ignore[union-attr]
        monkeypatch.setattr(store_module, "write", real_write)
        await pilot.press("R")
        await settle(pilot)
        assert "save failed" not in status_text(app)
    assert load(example).project("fitness-pose").stage is Stage.TRAINING  # type: ignore[union-attr]


async def test_a_save_error_naming_a_hostile_path_is_shown_as_plain_text(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise SaveError("cannot save /tmp/\x1b[2Jevil[/]/p.toml: Permission denied")

    monkeypatch.setattr(store_module, "write", refused)
    app = make(example)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"
        await pilot.press("f")
        await settle(pilot)
        text = "".join(segment.text for segment in app.query_one("#status").render_line(0))
    assert "save failed" in text
    assert "evil[/]" in text, "brackets stay literal"
    assert "\x1b" not in text, "no escape sequence reaches the terminal"


async def test_save_elsewhere_after_a_failure(example: Path, tmp_path: Path) -> None:
    example.chmod(0o444)
    folder = example.parent
    app = make(example)
    elsewhere = tmp_path / "rescued.toml"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("W")
        await pilot.pause()
        prompt = app.screen.query_one("#text", Input)
        prompt.value = str(elsewhere)
        await pilot.press("enter")
        await settle(pilot)
        assert app.path == elsewhere
    assert load(elsewhere).project("fitness-pose").stage is Stage.TRAINING  # type: ignore[union-attr]
    assert folder.exists()


async def test_an_outside_change_reloads_and_keeps_the_selection(example: Path) -> None:
    app = make(example, poll=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.selected = "payment-fraud"
        changed = load(example)
        project = changed.project("payment-fraud")
        assert project is not None
        renamed = project.model_copy(update={"title": "Fraud scoring v2"})
        index = changed.index_of("payment-fraud")
        projects = (*changed.projects[:index], renamed, *changed.projects[index + 1 :])
        example.write_text(dumps(changed.model_copy(update={"projects": projects})))

        def reloaded() -> bool:
            assert app.session is not None
            current = app.session.portfolio.project("payment-fraud")
            return current is not None and current.title == "Fraud scoring v2"

        await wait_until(pilot, reloaded)
        assert app.selected == "payment-fraud"
        assert "reloaded" in status_text(app)


async def test_history_and_help_are_one_key_away(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(120, 34)) as pilot:
        await settle(pilot)
        app.selected = "ide-completion"
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_delete_asks_and_undo_brings_it_back(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.selected = "sketch-to-slides"
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert load(example).project("sketch-to-slides") is None
        await pilot.press("u")
        await settle(pilot)
        assert load(example).project("sketch-to-slides") is not None


async def test_add_and_duplicate(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#text", Input).value = "Invoice OCR (EU)"
        await pilot.press("enter")
        await settle(pilot)
        assert app.selected == "invoice-ocr-eu"
        await pilot.press("c")
        await settle(pilot)
        assert app.selected == "invoice-ocr-eu-copy"
    saved = load(example)
    assert saved.project("invoice-ocr-eu") is not None
    assert saved.project("invoice-ocr-eu-copy") is not None


async def test_read_only_sessions_cannot_edit(example: Path) -> None:
    before = example.read_bytes()
    app = make(example, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"
        for key in ("f", "b", "x", "a", "u"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, type(app.screen))
        assert "READ-ONLY" in status_text(app)
    assert example.read_bytes() == before


async def test_a_file_that_fails_to_load_shows_its_errors_and_is_not_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('schema = 1\n[[projects]]\nid = "x"\ntitle = "ok"\nstage = "dreaming"\n')
    before = path.read_bytes()
    app = make(path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoadErrorScreen)
        lines = [str(w.render()) for w in app.screen.query(".load-error").results(Static)]
        assert any(line.startswith(f"{path}:5:") for line in lines)
        await pilot.press("q")
    assert path.read_bytes() == before


async def test_every_action_is_in_the_command_palette(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for label in ("Forward", "Back", "Undo", "History", "Edit", "Help", "Ranking"):
            assert any(title.startswith(label) for title in titles), label


async def test_resizing_relays_out_the_views(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.query_one("#board").display
        await pilot.resize_terminal(170, 50)
        await settle(pilot)
        assert app.screen.has_class("-wide")
        assert app.query_one("#board").display
        assert app.query_one("#panel").display
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert not app.screen.has_class("-wide")
        assert not app.query_one("#board").display


async def test_no_color_still_marks_the_selection(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        await pilot.press("2")
        await settle(pilot)
        board = app.query_one("#board")
        lines = [board.render_line(y).text for y in range(board.size.height)]
        assert any("▶" in line for line in lines)


async def test_an_edit_on_a_read_only_file_stays_and_retry_or_save_as_is_offered(
    example: Path,
) -> None:
    """The tests run as root, who could write anyway: the save refuses by the owner's bit."""
    example.chmod(0o444)
    before = example.read_bytes()
    app = make(example)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"
        await pilot.press("f")
        await settle(pilot)
        status = "".join(segment.text for segment in app.query_one("#status").render_line(0))
        told = " ".join(str(note.message) for note in app._notifications)
        assert app.session is not None
        kept = app.session.portfolio.project("fitness-pose")
        assert kept is not None
        assert kept.stage is Stage.TRAINING, "the edit stays on screen"
        assert "save failed" in status
        assert f"cannot save {example}: the file is read-only" in told
        assert "(edits kept; R retry, W save elsewhere)" in status, status
        assert app.check_action("retry_save", ()) is True
        assert app.check_action("save_elsewhere", ()) is True
    assert example.read_bytes() == before
