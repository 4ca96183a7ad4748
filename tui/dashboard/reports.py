"""Exports, snapshots and "changes since a snapshot", from the app.

Rendering and writing run in worker threads through `portfolio.exports`,
`portfolio.output` (atomic, confined to the exports folder, never over a file
unasked) and `portfolio.snapshots`; the handlers back on the event loop are
the only place the app's state changes. After an export the app says where
the file went and offers to copy the Markdown summary to the clipboard with
OSC 52, which reaches the user's own machine over SSH.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Final

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.compare.diff import diff_portfolios
from core.models import Portfolio
from portfolio import LoadError, load
from portfolio.output import (
    ExportDone,
    ExportExistsError,
    ExportRequest,
    OutputError,
    confined,
    default_export_name,
    write_export,
)
from portfolio.snapshots import SnapshotError, SnapshotInfo, scan_snapshots, write_snapshot
from tui.dashboard import downloads
from tui.dialogs import ConfirmDialog, Dialog, TextPrompt
from tui.host import Host
from tui.text import plain

EXPORT_FORMATS: Final = (
    ("md", "Markdown report (quadrants, ranking, every project)"),
    ("html", "HTML report, one self-contained page"),
    ("json", "JSON, every figure, for programs"),
    ("csv", "CSV, one row per project, for spreadsheets"),
    ("svg", "SVG picture of the screen as it is now"),
)
"""The formats the export dialog offers, with a line on each."""

EXPORT_FOLDER: Final = "exports"
"""Exports go to this folder beside the portfolio."""

PROGRESS_AFTER: Final = 0.3
"""Seconds an export may take before the app shows that it is working."""


class ExportDialog(Dialog[ExportRequest]):
    """Choose a format and a file name; the name follows the format until it is typed over."""

    def __init__(
        self, folder: Path, names: dict[str, str], fmt: str = "md", *, where: str | None = None
    ) -> None:
        """`where` replaces the prompt naming the folder (a web session downloads instead)."""
        super().__init__("Export the portfolio")
        self._folder = folder
        self._names = names
        self._fmt = fmt
        self._where = where or f"File name, in {plain(str(folder))}:"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Label("Format:")
            yield OptionList(
                *(Option(Content(f"{fmt:<5} {what}"), id=fmt) for fmt, what in EXPORT_FORMATS),
                id="formats",
            )
            yield Label(Content(self._where))
            yield Input(value=self._names[self._fmt], id="name")
            yield Static("", id="dialog-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        formats = self.query_one("#formats", OptionList)
        formats.highlighted = [fmt for fmt, _ in EXPORT_FORMATS].index(self._fmt)
        formats.focus()

    @on(OptionList.OptionHighlighted, "#formats")
    def _format_changed(self, event: OptionList.OptionHighlighted) -> None:
        name = self.query_one("#name", Input)
        fmt = str(event.option.id)
        if name.value == self._names[self._fmt]:
            name.value = self._names[fmt]
        self._fmt = fmt

    @on(OptionList.OptionSelected, "#formats")
    def _format_chosen(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        try:
            confined(self._folder, name)
        except OutputError as error:
            self.refuse(str(error))
            return
        self.dismiss(ExportRequest(self._fmt, name))


class NoWrapOptionList(OptionList):
    """An option list whose cursor stops at either end instead of wrapping round."""

    def action_cursor_up(self) -> None:
        """Up one, but never from the first option to the last."""
        if self.highlighted != 0:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        """Down one, but never from the last option to the first."""
        if self.highlighted != self.option_count - 1:
            super().action_cursor_down()


class SnapshotPicker(Dialog[SnapshotInfo]):
    """Pick the snapshot to compare with, newest first (highlighted); Cancel picks nothing.

    There is no "none" entry to wrap into: marks are cleared by pressing C again.
    """

    def __init__(self, snapshots: list[SnapshotInfo]) -> None:
        super().__init__("Changes since which snapshot?")
        self._snapshots = list(reversed(snapshots))

    def compose(self) -> ComposeResult:
        options = [
            Option(Content(f"{info.taken_at:%Y-%m-%d %H:%M}  {plain(info.label or info.name)}"))
            for info in self._snapshots
        ]
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield NoWrapOptionList(*options, id="snapshots")
            yield Static("", id="dialog-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        snapshots = self.query_one("#snapshots", OptionList)
        snapshots.highlighted = 0
        snapshots.focus()

    @on(OptionList.OptionSelected, "#snapshots")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._snapshots[event.option_index])


class ReportActions:
    """Export, snapshot and compare for the app; the app delegates its report keys here."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.last_export: ExportDone | None = None
        self._progress: Timer | None = None

    # ------------------------------------------------------------ export

    @property
    def export_folder(self) -> Path:
        """Where exports go: `exports/` beside the portfolio file."""
        return self.host.path.parent / EXPORT_FOLDER

    def export(self) -> None:
        """Ask for a format and a file name, then export in the background."""
        session = self.host.session
        if session is None:
            return
        now = session.now()
        names = {fmt: default_export_name(session.portfolio, fmt, now) for fmt, _ in EXPORT_FORMATS}

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self.start_export(request)

        where = downloads.WHERE if self.host.is_web else None
        self.host.push_screen(ExportDialog(self.export_folder, names, where=where), chosen)

    def start_export(self, request: ExportRequest, *, force: bool = False) -> None:
        """Export as requested in a worker; an SVG is taken of the screen first."""
        session = self.host.session
        if session is None:
            return
        svg = self.host.export_screenshot() if request.fmt == "svg" else None
        if self.host.is_web:  # served to a browser: a download, never a file on the server
            self.host.run_worker(
                downloads.deliver_export(self.host, request, session.portfolio, session.now(), svg),
                group="export",
            )
            return
        self._show_progress(f"exporting {request.name}…")
        self.host.run_worker(
            self._export(request, session.portfolio, session.now(), svg, force),
            group="export",
        )

    async def _export(
        self,
        request: ExportRequest,
        portfolio: Portfolio,
        now: datetime,
        svg: str | None,
        force: bool,
    ) -> None:
        try:
            done = await asyncio.to_thread(
                write_export, self.export_folder, request, portfolio, now, svg=svg, force=force
            )
        except ExportExistsError as exists:
            self._end_progress()
            self._ask_overwrite(request, exists.path)
            return
        except OutputError as error:
            self._end_progress()
            self.host.tell(f"export failed: {error}", error=True)
            return
        self._end_progress()
        self.last_export = done
        self.host.tell(f"exported to {done.path}")
        self._offer_copy(done)

    def _ask_overwrite(self, request: ExportRequest, path: Path) -> None:
        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.start_export(request, force=True)
            else:
                self.host.tell(f"not exported: {path} already exists")

        body = f"{path} already exists. Replace it with this export?"
        self.host.push_screen(ConfirmDialog("File exists", body, "Overwrite (y)"), answered)

    def _offer_copy(self, done: ExportDone) -> None:
        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.host.copy_to_clipboard(done.summary)
                self.host.tell("copied the Markdown summary to your clipboard (OSC 52)")

        body = (
            f"Exported to {done.path}.\n\nCopy the Markdown summary (quadrants and ranking) to"
            " your clipboard? It uses OSC 52, so it reaches your own machine over SSH when"
            " the terminal allows it."
        )
        self.host.push_screen(ConfirmDialog("Exported", body, "Copy (y)"), answered)

    def _show_progress(self, message: str) -> None:
        """Say the export is under way, but only once it takes more than a moment."""
        self._end_progress()

        def show() -> None:
            self.host.tell(message)
            self._loading(True)

        self._progress = self.host.set_timer(PROGRESS_AFTER, show)

    def _end_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        self._loading(False)

    def _loading(self, on: bool) -> None:
        """A loading indicator over the dashboard's panes while an export runs."""
        self.host.show_busy(on)

    # ------------------------------------------------------------ snapshots

    def snapshot(self) -> None:
        """Ask for a label, then write a snapshot of the portfolio as it is now."""
        session = self.host.session
        if session is None:
            return
        default = f"snapshot-{session.now():%Y-%m-%d}"

        def labelled(label: str | None) -> None:
            if label:
                self.host.run_worker(self._snapshot(label), group="snapshot")

        self.host.push_screen(TextPrompt("Snapshot", "Label:", default), labelled)

    async def _snapshot(self, label: str) -> None:
        session = self.host.session
        if session is None:
            return
        portfolio, now = session.portfolio, session.now()
        if self.host.is_web:  # served to a browser: a download, never a file on the server
            await downloads.deliver_snapshot(self.host, portfolio, now, label)
            return
        try:
            info = await asyncio.to_thread(
                write_snapshot, self.host.path, portfolio, now=now, label=label
            )
        except SnapshotError as error:
            self.host.tell(f"snapshot failed: {error}", error=True)
            return
        self.host.tell(f"snapshot written to {info.toml_path}")

    # ------------------------------------------------------------ changes since a snapshot

    def changes(self) -> None:
        """Mark what moved since a chosen snapshot; when marks are shown, clear them instead."""
        if self.host.changes_label is not None:
            self.host.show_changes(None, frozenset())
            self.host.tell("cleared the changes marks")
            return
        self.host.run_worker(self._pick(), group="snapshot")

    async def _pick(self) -> None:
        snapshots, skipped = await asyncio.to_thread(scan_snapshots, self.host.path)
        for warning in skipped:
            self.host.tell(warning, error=True)
        if not snapshots:
            self.host.tell("no snapshots yet: N writes one, and a triage writes one when it ends")
            return

        def chosen(choice: SnapshotInfo | None) -> None:
            if choice is not None:
                self.host.run_worker(self._compare(choice), group="snapshot")

        self.host.push_screen(SnapshotPicker(snapshots), chosen)

    async def _compare(self, info: SnapshotInfo) -> None:
        session = self.host.session
        if session is None:
            return
        try:
            old = await asyncio.to_thread(load, info.toml_path)
        except (LoadError, OSError) as error:
            self.host.tell(f"cannot read the snapshot: {error}", error=True)
            return
        diff = diff_portfolios(old, session.portfolio)
        label = info.label or info.name
        self.host.show_changes(label, diff.changed_ids)
        count = len(diff.changed_ids)
        what = "project moved" if count == 1 else "projects moved"
        self.host.tell(f"◆ {count} {what} since {label} (C again clears the marks)")
