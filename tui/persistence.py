"""Saving in the background and noticing outside changes, for the app.

Saves and disk polls run in thread workers (a stat on a network file system
can hang); they only post messages, and the app's handlers call back in here
on the event loop, the one place the state below changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content
from textual.message import Message

from core.models import Portfolio
from portfolio import LoadError, SaveError, store
from portfolio.store import Stamp

if TYPE_CHECKING:
    from tui.app import MlfolioApp


class SaveFinished(Message):
    """A background save ended, with the new stamp or the reason it failed."""

    def __init__(self, path: Path, stamp: Stamp | None, error: str | None) -> None:
        super().__init__()
        self.path = path
        self.stamp = stamp
        self.error = error


class DiskChanged(Message):
    """The file on disk is not the version this session last read or wrote."""

    def __init__(
        self,
        stamp: Stamp | None,
        portfolio: Portfolio | None,
        errors: tuple[str, ...],
    ) -> None:
        super().__init__()
        self.stamp = stamp
        self.portfolio = portfolio
        self.errors = errors


@dataclass
class _State:
    saving: bool = False
    dirty: bool = False
    """Edits exist that are not on disk yet."""
    error: str = ""
    polling: bool = False
    saved_once: bool = False


class Persistence:
    """Keeps the file and the session in step: atomic saves out, outside changes in."""

    def __init__(
        self, app: MlfolioApp, path: Path, stamp: Stamp | None, poll_interval: float
    ) -> None:
        self.app = app
        self.path = path
        self.stamp = stamp
        self.poll_interval = poll_interval
        self.state = _State()

    # ------------------------------------------------------------------ saving

    @property
    def failed(self) -> bool:
        """Whether the last save failed (the edits are still in memory)."""
        return bool(self.state.error)

    def status_content(self) -> Content:
        """saved / saving / error, for the status line."""
        state = self.state
        if state.error:
            return Content.assemble(
                Content.styled("save failed: ", "bold"),
                Content(state.error),
                Content(" (edits kept; R retry, W save elsewhere)"),
            )
        if state.saving or state.dirty:
            return Content.styled("saving…", "italic")
        return Content("saved" if state.saved_once else "up to date")

    def schedule_save(self) -> None:
        """Save the session's portfolio soon; coalesces edits made during a save."""
        self.state.dirty = True
        if not self.state.saving:
            self._start_save(self.path)

    def save_as(self, path: Path) -> None:
        """Save to another file, which becomes the session's file once saved."""
        self.state.dirty = True
        if not self.state.saving:
            self._start_save(path)

    def _start_save(self, path: Path) -> None:
        session = self.app.session
        assert session is not None
        self.state.saving = True
        self.state.dirty = False
        portfolio = session.portfolio
        self.app.draw_status()

        def work() -> None:
            try:
                new_stamp = store.write(portfolio, path)
            except SaveError as error:
                self.app.post_message(SaveFinished(path, None, str(error)))
            else:
                self.app.post_message(SaveFinished(path, new_stamp, None))

        self.app.run_worker(work, thread=True, group="save", exit_on_error=False)

    def save_finished(self, message: SaveFinished) -> None:
        """Handle a finished save: keep the edits and say why when it failed."""
        self.state.saving = False
        if message.error is not None:
            self.state.dirty = True
            first = not self.state.error
            self.state.error = message.error
            if first:
                self.app.tell(message.error, error=True)
            return
        if message.path != self.path:
            self.path = message.path
            self.app.path = message.path
            self.app.tell(f"saved to {message.path}; editing that file now")
        self.stamp = message.stamp
        self.state.error = ""
        self.state.saved_once = True
        if self.state.dirty:
            self._start_save(self.path)

    # ----------------------------------------------------------------- polling

    def start(self) -> None:
        """Poll the file's stamp about twice a second (works on network file systems)."""
        if self.poll_interval > 0:
            self.app.set_interval(self.poll_interval, self.poll)

    def poll(self) -> None:
        """Check the disk in a worker, unless a save or another poll is under way."""
        if self.state.polling or self.state.saving:
            return
        self.state.polling = True
        path, known = self.path, self.stamp

        def work() -> None:
            current = store.stamp(path)
            if current == known:
                self.app.post_message(DiskChanged(known, None, ()))
                return
            if current is None:
                self.app.post_message(DiskChanged(None, None, (f"{path}: file removed",)))
                return
            try:
                portfolio, read_stamp = store.read(path)
            except LoadError as error:
                self.app.post_message(DiskChanged(current, None, error.errors))
            else:
                self.app.post_message(DiskChanged(read_stamp, portfolio, ()))

        self.app.run_worker(work, thread=True, group="poll", exit_on_error=False)

    def disk_changed(self, message: DiskChanged) -> None:
        """Take an outside change in, unless it would lose edits not yet saved."""
        self.state.polling = False
        if message.stamp == self.stamp and message.portfolio is None and not message.errors:
            return
        if self.state.saving:
            return
        self.stamp = message.stamp
        if message.errors:
            self.app.tell(
                f"the file on disk is not valid now ({message.errors[0]}); showing the last good"
                " version, and your next edit saves it back",
                error=True,
            )
            return
        portfolio = message.portfolio
        session = self.app.session
        if portfolio is None or session is None or portfolio == session.portfolio:
            return
        if self.state.dirty:
            self.app.tell(
                "the file changed on disk while your edits are unsaved: W saves yours elsewhere,"
                " R overwrites it with yours",
                error=True,
            )
            return
        self.app.take_from_disk(portfolio)
        self.app.tell("reloaded: the file changed on disk")
