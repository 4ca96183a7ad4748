"""Saving in the background and taking other people's saves in, for the app.

Saves and disk polls run in thread workers (a stat on a network file system
can hang); they only post messages, and the app's handlers call back in here
on the event loop, the one place the state below changes.

A save commits the session's pending edits through `portfolio.sync.commit`,
which locks the file, re-applies them over anyone else's save and writes
atomically. A poll about twice a second takes others' saves in at once, with
the unsaved edits replayed on top and a short notice of who changed what.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual.content import Content
from textual.message import Message

from core.compare.notice import describe_changes, summarise_changes
from core.edits.replay import Rejected, dropped_sentence
from portfolio import LoadError, SaveError, store, sync
from portfolio.gate import Target
from portfolio.store import Stamp
from portfolio.sync import CommitResult, Version
from tui.host import Host
from tui.text import plain


class SaveFinished(Message):
    """A background save ended: what is on disk now, or the reason it failed.

    `count` is how many of the session's pending edits the save carried;
    `notice` says who else had changed the file, when someone had.
    """

    def __init__(
        self,
        path: Path,
        count: int,
        result: CommitResult | None,
        error: str | None,
        notice: str = "",
    ) -> None:
        super().__init__()
        self.path = path
        self.count = count
        self.result = result
        self.error = error
        self.notice = notice


class DiskChanged(Message):
    """What a poll found: nothing new, a new version (with who changed what), or a problem.

    `same` marks a file rewritten with the same content (only its stamp is new).

    `generation` is the session's base when the poll began; a poll that
    overlapped a save or another take is stale and ignored.
    """

    def __init__(
        self,
        generation: int,
        *,
        stamp: Stamp | None = None,
        version: Version | None = None,
        same: bool = False,
        notice: str = "",
        errors: tuple[str, ...] = (),
        removed: bool = False,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.removed = removed
        """The file is gone (the next save writes it again): not a problem to show."""
        self.same = same
        self.stamp = stamp
        self.version = version
        self.notice = notice
        self.errors = errors


@dataclass
class _State:
    saving: bool = False
    dirty: bool = False
    """Edits exist that are not on disk yet."""
    error: str = ""
    polling: bool = False
    saved_once: bool = False
    generation: int = 0
    """Bumped whenever the base changes, so that stale polls are ignored."""
    save_as: tuple[Target, bool] | None = None
    """A file to save to next (and whether replacing it was confirmed), asked for while
    a save was under way."""
    reported: tuple[Stamp | None] | None = None
    """The bad version on disk already told of (its stamp; None inside for a removed file)."""
    problem: str = ""
    """Why the file on disk cannot be taken in now (unreadable, not valid); "" when it can."""


class Persistence:
    """Keeps the file and the session in step: edits out under the lock, others' saves in."""

    def __init__(self, host: Host, path: Path, stamp: Stamp | None, poll_interval: float) -> None:
        self.host = host
        self.path = path
        self.stamp = stamp
        self.digest: bytes | None = None
        self.poll_interval = poll_interval
        self.state = _State()

    def _base(self) -> Version:
        """The version of the file the session's pending edits were made on."""
        session = self.host.session
        assert session is not None
        return Version(session.base, self.stamp, self.digest)

    def _adopt(self, version: Version) -> None:
        self.stamp, self.digest = version.stamp, version.digest
        self.state.generation += 1
        self.state.reported = None
        self.state.problem = ""

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
                # What to do first: a long path in the error must not push it off the line.
                Content.styled("save failed", "bold"),
                Content(" (edits kept; R retry, W save elsewhere): "),
                Content(plain(state.error)),
            )
        if state.problem:
            return Content.assemble(
                Content.styled("cannot read the file: ", "bold"),
                Content(plain(state.problem)),
                Content(" (edits kept)" if state.dirty else ""),
            )
        if state.saving or state.dirty:
            return Content.styled("saving…", "italic")
        return Content("saved" if state.saved_once else "up to date")

    def schedule_save(self) -> None:
        """Save the pending edits soon; edits made during a save go in the next one."""
        self.state.dirty = True
        if not self.state.saving:
            self._start_save()

    def save_as(self, target: Target, *, overwrite: bool = False) -> None:
        """Save the whole portfolio to another file, which becomes the session's file once saved.

        The file is written through `portfolio.gate` (inside the portfolio's
        folder, no links followed); `overwrite` says the user confirmed
        replacing the portfolio already there.
        """
        if os.path.realpath(target.path) == os.path.realpath(self.path):
            self.schedule_save()
            return
        self.state.save_as = (target, overwrite)
        self.state.dirty = True
        if not self.state.saving:
            self._start_save()

    def _start_save(self) -> None:
        session = self.host.session
        assert session is not None
        elsewhere, self.state.save_as = self.state.save_as, None
        path = elsewhere[0].path if elsewhere is not None else self.path
        count = len(session.steps)
        if elsewhere is None and count == 0:
            self.state.dirty = False
            self.state.error = ""
            self.host.draw_status()
            return
        self.state.saving = True
        self.host.draw_status()
        if elsewhere is not None:
            portfolio = session.portfolio
            target, overwrite = elsewhere

            def save_elsewhere() -> None:
                try:
                    version = sync.save_as(target, portfolio, overwrite=overwrite)
                except SaveError as error:
                    self.host.post_message(SaveFinished(path, count, None, str(error)))
                    return
                except Exception as error:  # anything else: the save failed, the edits stay
                    self.host.post_message(SaveFinished(path, count, None, _unexpected(error)))
                    return
                result = CommitResult(version, (), (), written=True)
                self.host.post_message(SaveFinished(path, count, result, None))

            self.host.run_worker(save_elsewhere, thread=True, group="save", exit_on_error=False)
            return
        pending, base = session.pending, self._base()

        def save() -> None:
            try:
                result = sync.commit(path, pending, base=base)
                notice = ""
                if result.found is not None:
                    notice = describe_changes(summarise_changes(base.portfolio, result.found))
            except SaveError as error:
                self.host.post_message(SaveFinished(path, count, None, str(error)))
                return
            except Exception as error:  # anything else: the save failed, the edits stay
                self.host.post_message(SaveFinished(path, count, None, _unexpected(error)))
                return
            self.host.post_message(SaveFinished(path, count, result, None, notice))

        self.host.run_worker(save, thread=True, group="save", exit_on_error=False)

    def save_finished(self, message: SaveFinished) -> bool:
        """Handle a finished save; True when the session's portfolio changed (redraw it).

        A failed save keeps every edit (R retries, W saves elsewhere). A save
        that re-applied the edits over someone else's says who; an edit that
        no longer applied is dropped and the user told.
        """
        session = self.host.session
        assert session is not None
        self.state.saving = False
        result = message.result
        if result is None:
            self.state.dirty = True
            first = not self.state.error
            self.state.error = message.error or "the save failed"
            if first:
                self.host.tell(self.state.error, error=True)
            self._continue()
            return False
        before = session.version
        dropped = session.committed(message.count, result)
        self._adopt(result.version)
        self.state.error = ""
        self.state.saved_once = True
        if message.path != self.path:
            self.path = message.path
            self.host.path = message.path
            self.host.tell(f"saved to {message.path}; editing that file now")
        elif dropped:
            self.tell_dropped(dropped)
        elif message.notice:
            self.host.tell(f"{message.notice} · your edits re-applied on top")
        elif result.recreated:
            self.host.tell(f"{self.path.name} had been removed: saved it again")
        self.state.dirty = bool(session.steps)
        self._continue()
        return session.version != before

    def _continue(self) -> None:
        """Start the next save when edits (or a save elsewhere) wait and the last save worked."""
        if self.state.save_as is not None or (self.state.dirty and not self.state.error):
            self._start_save()

    def tell_dropped(self, dropped: tuple[Rejected, ...]) -> None:
        """Say plainly which edits no longer applied to the file and were dropped."""
        self.host.tell(dropped_sentence(dropped), error=True)

    # ----------------------------------------------------------------- polling

    def start(self) -> None:
        """Poll the file's stamp about twice a second (works on network file systems)."""
        if self.poll_interval > 0:
            self.host.set_interval(self.poll_interval, self.poll)

    def poll(self) -> None:
        """Check the disk in a worker, unless a save or another poll is under way."""
        if self.state.polling or self.state.saving or self.host.session is None:
            return
        self.state.polling = True
        path, base, generation = self.path, self._base(), self.state.generation

        def work() -> None:
            try:
                check()
            except Exception as error:  # whatever breaks reading: say so, keep polling
                problem = (f"cannot read {path.name}: {_unexpected(error)}",)
                self.host.post_message(DiskChanged(generation, stamp=None, errors=problem))

        def check() -> None:
            current = store.stamp(path)
            if current == base.stamp:
                self.host.post_message(DiskChanged(generation, stamp=current))
                return
            if current is None:
                removed = (f"{path.name} was removed; your next edit saves it again",)
                self.host.post_message(DiskChanged(generation, errors=removed, removed=True))
                return
            try:
                version = sync.read_version(path)
            except LoadError as error:
                self.host.post_message(DiskChanged(generation, stamp=current, errors=error.errors))
                return
            same = (
                version.digest == base.digest
                if base.digest is not None
                else version.portfolio == base.portfolio
            )
            notice = ""
            if not same:
                notice = describe_changes(summarise_changes(base.portfolio, version.portfolio))
            self.host.post_message(
                DiskChanged(
                    generation, stamp=version.stamp, version=version, same=same, notice=notice
                )
            )

        self.host.run_worker(work, thread=True, group="poll", exit_on_error=False)

    def disk_changed(self, message: DiskChanged) -> bool:
        """Take someone else's save in, replaying unsaved edits on top; True when it changed.

        A file that is not valid on disk, or is gone, is reported once and left
        alone: the session keeps showing the last good version.
        """
        self.state.polling = False
        session = self.host.session
        if message.generation != self.state.generation or self.state.saving or session is None:
            return False
        if message.errors:
            removed = message.removed
            self.state.problem = "" if removed else message.errors[0]
            if self.state.reported != (message.stamp,):
                self.state.reported = (message.stamp,)
                self._tell_problem(message.errors[0], removed=removed)
            return False
        version = message.version
        if version is None:
            return False
        if message.same:
            self._adopt(version)
            return False
        before = session.version
        try:
            dropped = self.host.take_from_disk(version.portfolio)
        except Exception as error:  # a version that cannot be shown: keep ours and say why
            self.state.problem = f"cannot show {self.path.name}: {_unexpected(error)}"
            self.host.tell(self.state.problem, error=True)
            return False
        self._adopt(version)
        if dropped:
            self.tell_dropped(dropped)
        else:
            self.host.tell(f"reloaded: {message.notice or 'the file changed on disk'}")
        if session.steps:
            self.state.error = ""
            self.schedule_save()
        return session.version != before

    def _tell_problem(self, problem: str, *, removed: bool) -> None:
        if removed:
            self.host.tell(problem, error=True)
            return
        self.host.tell(
            f"the file on disk is not valid now ({problem}); showing the last good version,"
            " and your edits wait until it is fixed (W saves them elsewhere)",
            error=True,
        )


def _unexpected(error: BaseException) -> str:
    """An error nobody foresaw, in one plain line (its type and message, never a traceback)."""
    message = plain(str(error))[:200]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
