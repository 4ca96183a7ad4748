"""The selected project's findings, one key away (`w`): each warning and info with its text.

The board and the ranking show how many findings a project has
(`core.rules.finding_counts`); this screen says what they are, warnings (the
contradictions to fix) first, each with its stable code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from core.models import Project
from core.rules.consistency import Finding
from core.rules.finding_counts import count_findings
from tui.text import plain
from tui.widgets.text_table import TextColumn, TextTable

CLOSE_KEYS = "escape,q,ctrl+g,w"


class FindingsScreen(ModalScreen[None]):
    """A project's consistency findings: severity, code and the message, literally."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(CLOSE_KEYS, "dismiss", "Close", id="findings.close")
    ]

    def __init__(self, project: Project, findings: Sequence[Finding]) -> None:
        super().__init__()
        self._project = project
        self._findings = tuple(findings)

    def compose(self) -> ComposeResult:
        counts = count_findings(self._findings)
        with Vertical(classes="dialog wide-dialog"):
            yield Label(
                Content(f"Findings of {plain(self._project.title)}"), classes="dialog-title"
            )
            yield Label(Content(counts.words), classes="muted", id="findings-counts")
            if self._findings:
                rows = [
                    (f.severity, f.code, plain(f.message))
                    for f in sorted(self._findings, key=lambda f: f.severity != "warning")
                ]
                columns = (TextColumn("Severity"), TextColumn("Code"))
                yield TextTable(
                    (*columns, TextColumn("What", wrap=True)), rows, id="findings-table"
                )
            else:
                yield Static("Nothing contradicts the method here.", classes="muted")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the findings."""
        self.dismiss(None)
