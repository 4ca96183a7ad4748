"""Pilot tests of exports, snapshots and "changes since a snapshot" from the app."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from factories import NOW, fixed_clock
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from core.edits.changes import MoveProject, SetField
from core.models import Stage
from portfolio import load
from portfolio.output import ExportDone, write_export
from portfolio.snapshots import HEADER_PREFIX, list_snapshots, snapshot_folder, write_snapshot
from tui.dashboard import reports as report_actions
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.dashboard.reports import EXPORT_FORMATS, ExportDialog, SnapshotPicker
from tui.dialogs import ConfirmDialog, TextPrompt
from tui.widgets.board import KanbanBoard
from tui.widgets.grid import ImpactGrid
from tui.widgets.legend import GridLegend

FORMATS = [fmt for fmt, _ in EXPORT_FORMATS]


def make(path: Path, *, read_only: bool = False) -> MlfolioApp:
    """The real app over `path`, with a fixed clock and user, and no disk polling."""
    return create_app(path, clock=fixed_clock, user="ann", read_only=read_only, poll_interval=0)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the portfolio to load, then let messages, workers and saves finish."""
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await app.loaded.wait()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


class Clipboard:
    """Records what the app copies (App.copy_to_clipboard writes OSC 52)."""

    def __init__(self) -> None:
        self.copied: list[str] = []

    def __call__(self, text: str) -> None:
        self.copied.append(text)


async def export(pilot: Pilot[None], fmt: str, name: str | None = None) -> None:
    """Open the export dialog, pick `fmt` (and a name), and confirm."""
    await settle(pilot)
    await pilot.press("X")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    await pilot.press(*(["down"] * FORMATS.index(fmt)), "enter")
    if name is not None:
        dialog.query_one("#name", Input).value = name
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_each_format_exports_beside_the_portfolio_and_offers_the_copy(
    example: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make(example)
    clipboard = Clipboard()
    monkeypatch.setattr(app, "copy_to_clipboard", clipboard)
    async with app.run_test(size=(100, 30)) as pilot:
        await export(pilot, fmt)
        target = example.parent / "exports" / f"northwind-ml-portfolio-20261121.{fmt}"
        assert target.is_file()
        assert f"exported to {target}" in str(app.query_one("#status", Static).render())
        offer = app.screen
        assert isinstance(offer, ConfirmDialog)
        assert str(target) in str(offer.query_one(".dialog-body", Static).render())
        await pilot.press("y")
        await settle(pilot)
        assert "copied the Markdown summary" in str(app.query_one("#status", Static).render())
    text = target.read_text(encoding="utf-8")
    if fmt == "md":
        assert text.startswith("# ")
        assert "## Ranking" in text
    elif fmt == "html":
        assert "<html" in text.lower()
    elif fmt == "json":
        assert isinstance(json.loads(text), dict)
    elif fmt == "csv":
        assert "payment-fraud" in text
    else:
        assert text.lstrip().startswith("<svg")
        assert "Format" not in text  # the screen behind the dialog, not the dialog
    (summary,) = clipboard.copied
    assert "## Ranking" in summary
    assert "## Projects" not in summary


async def test_a_slow_export_shows_that_it_is_working(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    write = write_export

    def slow_write(*args: Any, **kwargs: Any) -> ExportDone:
        release.wait(timeout=30)
        return write(*args, **kwargs)

    monkeypatch.setattr(report_actions, "PROGRESS_AFTER", 0.01)
    monkeypatch.setattr(report_actions, "write_export", slow_write)
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("X")
        await pilot.pause()
        await pilot.press("enter", "enter")
        panes = app.query_one("#panes")
        try:
            for _ in range(200):
                if panes.loading:
                    break
                await pilot.pause(0.01)
            assert panes.loading
            assert "exporting northwind-ml-portfolio-20261121.md…" in str(
                app.query_one("#status", Static).render()
            )
        finally:
            release.set()
        await settle(pilot)
        assert not panes.loading
        assert isinstance(app.screen, ConfirmDialog)


async def test_an_existing_file_is_replaced_only_after_a_yes(example: Path) -> None:
    target = example.parent / "exports" / "report.md"
    target.parent.mkdir()
    target.write_text("keep me", encoding="utf-8")
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await export(pilot, "md", "report.md")
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert "already exists" in str(question.query_one(".dialog-body", Static).render())
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text(encoding="utf-8") == "keep me"
        await export(pilot, "md", "report.md")
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # the offer to copy
        await pilot.press("n")
    assert target.read_text(encoding="utf-8").startswith("# ")


async def test_a_name_that_leaves_the_exports_folder_is_refused(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await export(pilot, "md", "../outside.md")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        message = str(dialog.query_one("#dialog-message", Static).render())
        assert "not a plain file name" in message
        await pilot.press("ctrl+g")
    assert not (example.parent / "outside.md").exists()
    assert not (example.parent / "exports").exists()


async def test_the_default_name_follows_the_format(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("X")
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        assert name.value == "northwind-ml-portfolio-20261121.md"
        await pilot.press("down")
        assert name.value == "northwind-ml-portfolio-20261121.html"
        name.value = "mine.txt"
        await pilot.press("down")
        assert name.value == "mine.txt"
        await pilot.press("ctrl+g")


async def test_a_read_only_session_writes_no_file(example: Path) -> None:
    """Viewers (read-only keys of `mlfolio serve`) must not write files on the server."""
    before = sorted(example.parent.iterdir())
    app = make(example, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("X", "N", "W"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is app.screen_stack[0], key
    assert sorted(example.parent.iterdir()) == before


async def test_snapshot_now_writes_a_labelled_snapshot(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.query_one("#text", Input).value == "snapshot-2026-11-21"
        prompt.query_one("#text", Input).value = "before the offsite"
        await pilot.press("enter")
        await settle(pilot)
    (snapshot,) = list_snapshots(example)
    assert snapshot.label == "before the offsite"
    assert snapshot.taken_at == NOW
    assert load(snapshot.toml_path) == load(example)


def marked(app: MlfolioApp) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """What the grid, its legend and the board mark as changed."""
    return (
        app.query_one(ImpactGrid).highlight,
        app.query_one(GridLegend).highlight,
        app.query_one(KanbanBoard).highlight,
    )


async def test_changes_since_a_snapshot_are_marked_on_grid_and_board(example: Path) -> None:
    write_snapshot(example, load(example), now=NOW, label="last week")
    app = make(example)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.apply_edit(MoveProject("search-ranking", Stage.DEPLOYMENT))
        app.apply_edit(SetField("churn-prediction", "impact.cheap_prediction", 5))
        app.apply_edit(SetField("product-recs", "summary", "reworded, not moved"))
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, SnapshotPicker)
        assert picker.query_one(OptionList).highlighted == 0  # the newest snapshot
        await pilot.press("enter")
        await settle(pilot)
        moved = frozenset({"search-ranking", "churn-prediction"})
        assert marked(app) == (moved, moved, moved)
        viewbar = str(app.query_one("#viewbar", Static).render())
        assert "◆ changed since last week (2)" in viewbar
        board_text = "\n".join(
            str(app.query_one(KanbanBoard).render_line(y).text) for y in range(30)
        )
        assert "◆" in board_text
        legend = app.query_one(GridLegend)
        legend_text = "\n".join(str(legend.render_line(y).text) for y in range(legend.size.height))
        assert legend_text.count("◆") == 2
        grid = app.query_one(ImpactGrid)
        grid_text = "\n".join(str(grid.render_line(y).text) for y in range(grid.size.height))
        assert "◆" in grid_text

        await pilot.press("C")  # again: clears
        await settle(pilot)
        assert marked(app) == (frozenset(), frozenset(), frozenset())
        assert "changed since" not in str(app.query_one("#viewbar", Static).render())


async def test_the_picker_does_not_wrap_and_no_snapshot_says_so(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert not isinstance(app.screen, SnapshotPicker)
        assert "no snapshots yet" in str(app.query_one("#status", Static).render())
        write_snapshot(example, load(example), now=NOW, label="older")
        write_snapshot(example, load(example), now=NOW + timedelta(hours=1), label="newer")
        await pilot.press("C")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, SnapshotPicker)
        options = picker.query_one(OptionList)
        assert options.option_count == 2  # no destructive "none" among them
        await pilot.press("up")  # from the newest: stays
        assert options.highlighted == 0
        await pilot.press("down", "down", "down")  # past the oldest: stays
        assert options.highlighted == 1
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert marked(app) == (frozenset(), frozenset(), frozenset())


async def test_the_report_keys_are_in_the_palette_and_the_help(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Export (X)", "Snapshot (N)", "Changes (C)", "Triage (t)"):
            assert title in titles
    read_only = make(example, read_only=True)
    async with read_only.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        titles = [command.title for command in read_only.get_system_commands(read_only.screen)]
        for title in ("Export (X)", "Snapshot (N)", "Triage (t)", "Save as (W)"):
            assert title not in titles
        assert "Changes (C)" in titles


async def test_the_picker_skips_a_hostile_snapshot_with_a_warning(example: Path) -> None:
    write_snapshot(example, load(example), now=NOW, label="last week")
    folder = snapshot_folder(example, None)
    deep = "[" * 2000 + "]" * 2000
    hostile = folder / "20261120T100000Z-deep.toml"
    hostile.write_text(
        HEADER_PREFIX + '{"taken_at": "2026-11-20T10:00:00Z", "x": ' + deep + "}\nschema = 1\n",
        encoding="utf-8",
    )
    (folder / "20261120T110000Z.toml").write_bytes(b"\xff\xfe not text\n")
    app = make(example)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, SnapshotPicker)
        assert picker.query_one(OptionList).option_count == 1
        told = [str(note.message) for note in app._notifications]
        assert any("20261120T100000Z-deep.toml" in m and "skipped" in m for m in told), told
        assert any("20261120T110000Z.toml" in m and "skipped" in m for m in told), told
