"""Full-screen and modal views that are not dialogs: help, history, load errors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, Static

from core.models import Project
from core.rules.lifecycle import STAGE_TITLES
from tui.keymap import ACTIONS, key_label
from tui.text import plain
from tui.widgets.text_table import TextColumn, TextTable

CLOSE_KEYS = "escape,q,ctrl+g"


class EditorScreen(Screen[None]):
    """Base of the project editor, so the app can recognise it without importing it.

    While an editor is on top, the dashboard's own keys (other than undo, redo,
    help and saving) are off: they would act on the views behind it.
    """

    def refresh_project(self) -> None:
        """Show the project as the portfolio now has it."""


class HelpScreen(ModalScreen[None]):
    """Every key of the dashboard, grouped, generated from the action table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(CLOSE_KEYS + ",question_mark", "dismiss", "Close", id="help.close")
    ]

    def __init__(self, widget_keys: Sequence[tuple[str, str, str]] = ()) -> None:
        super().__init__()
        self._widget_keys = widget_keys

    def compose(self) -> ComposeResult:
        rows = [(spec.group, key_label(spec), spec.help) for spec in ACTIONS]
        rows += [(group, keys, text) for group, keys, text in self._widget_keys]
        table = TextTable(
            (TextColumn("Group"), TextColumn("Keys"), TextColumn("What it does", wrap=True)),
            rows,
            id="help-table",
        )
        with Vertical(classes="dialog wide-dialog"):
            yield Label("mlfolio keys", classes="dialog-title")
            yield table
            yield Label(
                "ctrl+p opens the command palette (every action, themes); q, Esc or ? closes.",
                classes="muted",
            )

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help."""
        self.dismiss(None)


class HistoryScreen(ModalScreen[None]):
    """A project's history: who moved it, when, from where, to where, and why."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(CLOSE_KEYS + ",H", "dismiss", "Close", id="history.close")
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self._project = project

    def compose(self) -> ComposeResult:
        rows: list[tuple[str, ...]] = []
        for entry in reversed(self._project.history):
            why = entry.reason
            if entry.checklist_override:
                why = f"[checklist overridden] {why}".strip()
            rows.append(
                (
                    entry.at.strftime("%Y-%m-%d %H:%M"),
                    plain(entry.by),
                    entry.from_stage.value,
                    entry.to_stage.value,
                    entry.kind.value,
                    plain(why),
                )
            )
        columns = [TextColumn(h) for h in ("When (UTC)", "Who", "From", "To", "Kind")]
        table = TextTable((*columns, TextColumn("Why", wrap=True)), rows, id="history-table")
        with Vertical(classes="dialog wide-dialog"):
            yield Label(Content(f"History of {plain(self._project.title)}"), classes="dialog-title")
            yield Label(
                Content(
                    f"Now: {STAGE_TITLES[self._project.stage]} · {len(self._project.history)} moves"
                ),
                classes="muted",
            )
            if self._project.history:
                yield table
            else:
                yield Static("No moves yet.", classes="muted")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the history."""
        self.dismiss(None)


class LoadErrorScreen(Screen[None]):
    """Shown instead of the dashboard when the portfolio cannot be loaded; writes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,ctrl+q", "app.quit", "Quit", id="error.quit")
    ]

    def __init__(self, path: str, errors: Sequence[str]) -> None:
        super().__init__()
        self._path = path
        self._errors = errors

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="load-errors"):
            yield Label(
                Content(f"mlfolio could not load {plain(self._path)}"), classes="dialog-title"
            )
            yield Label(
                "Nothing was written. Fix the file (or run `mlfolio validate FILE`) and reopen it.",
                classes="muted",
            )
            for line in self._errors:
                yield Static(Content(plain(line)), classes="load-error")
        yield Footer()
