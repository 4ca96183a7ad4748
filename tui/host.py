"""`Host`: everything screens and action objects may ask of the app.

Collaborators (the lifecycle and project actions, saving, reports, triage,
the editor) hold a `Host`, never the App class: the App satisfies it
structurally, so no module of `tui` imports the App except the factory in
`tui.dashboard.launch`, and a test can hand a collaborator anything that
answers these few members.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, Protocol, TextIO, TypeVar

if TYPE_CHECKING:
    from textual.message import Message
    from textual.screen import Screen, ScreenResultCallbackType
    from textual.timer import Timer, TimerCallback
    from textual.worker import Worker, WorkType

    from core.edits.changes import Edit
    from core.edits.replay import Rejected
    from core.models import Portfolio, Project
    from portfolio.session import Session

__all__ = ["EditorHost", "Host"]

R = TypeVar("R")


class EditorHost(Protocol):
    """What the project editor needs from the app: the session, the read-only flag, edits,
    messages. `Host` is this and more; the editor asks no more, so a small test app can
    host it."""

    session: Session | None
    """The editing session, None until the portfolio is loaded."""
    read_only: bool
    """Whether editing is off (a read-only session, or a file that failed to load)."""

    def apply_edit(self, edit: Edit) -> bool:
        """Apply an edit, redraw and save; False (after saying why) when it is refused."""
        ...

    def tell(self, message: str, *, error: bool = False) -> None:
        """Show a short message (plain text)."""
        ...


class Host(EditorHost, Protocol):
    """The app as its collaborators see it: the session, the selection, edits, messages,
    and the few Textual services they use (screens, workers, timers, messages)."""

    path: Path
    """The portfolio file."""
    selected: str | None
    """The selected project's id."""
    changes_label: str | None
    """The snapshot the views' changes marks compare with; None when nothing is marked."""

    # ------------------------------------------------------------ the portfolio

    def project(self, project_id: str | None) -> Project | None:
        """The project with this id in the session's portfolio, or None."""
        ...

    def selected_project(self) -> Project | None:
        """The selected project, or None (after saying so) when nothing is selected."""
        ...

    def take_from_disk(self, portfolio: Portfolio) -> tuple[Rejected, ...]:
        """Show a version someone else saved, replaying unsaved edits; returns those dropped."""
        ...

    # ------------------------------------------------------------ what is shown

    def draw_status(self) -> None:
        """Redraw the status line (save state, selection, latest notice)."""
        ...

    def show_changes(self, label: str | None, changed: frozenset[str]) -> None:
        """Mark the projects changed since the snapshot `label` in the views (None: clear)."""
        ...

    def show_busy(self, busy: bool) -> None:
        """Show (or hide) a loading indicator over the dashboard's views."""
        ...

    # ------------------------------------------------------------ Textual services

    def push_screen(
        self, screen: Screen[R], callback: ScreenResultCallbackType[R] | None = None
    ) -> object:
        """Show a screen (a dialog); `callback` gets its result when it is dismissed."""
        ...

    async def push_screen_wait(self, screen: Screen[R]) -> R:
        """Show a screen and wait for its result (only inside a worker)."""
        ...

    def run_worker(
        self,
        work: WorkType[R],
        name: str | None = "",
        group: str = "default",
        *,
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[R]:
        """Run work in a worker (a coroutine on the loop, or a function in a thread)."""
        ...

    def post_message(self, message: Message) -> bool:
        """Queue a message for the app (safe from a worker thread)."""
        ...

    def set_timer(
        self, delay: float, callback: TimerCallback | None = None, *, name: str | None = None
    ) -> Timer:
        """Call `callback` once after `delay` seconds."""
        ...

    def set_interval(
        self, interval: float, callback: TimerCallback | None = None, *, name: str | None = None
    ) -> Timer:
        """Call `callback` every `interval` seconds."""
        ...

    def copy_to_clipboard(self, text: str) -> None:
        """Put text on the user's clipboard (OSC 52)."""
        ...

    def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
        """The screen as it is now, as SVG text."""
        ...

    @property
    def is_web(self) -> bool:
        """Served to a browser (`mlfolio web`): files go to the browser, never onto the server."""
        ...

    def deliver_text(
        self,
        path_or_file: str | Path | TextIO,
        *,
        save_directory: str | Path | None = None,
        save_filename: str | None = None,
        open_method: Literal["browser", "download"] = "download",
        encoding: str | None = None,
        mime_type: str | None = None,
        name: str | None = None,
    ) -> str | None:
        """Hand a text file to the user (in a browser: a download)."""
        ...

    def deliver_binary(
        self,
        path_or_file: str | Path | BinaryIO,
        *,
        save_directory: str | Path | None = None,
        save_filename: str | None = None,
        open_method: Literal["browser", "download"] = "download",
        mime_type: str | None = None,
        name: str | None = None,
    ) -> str | None:
        """Hand a binary file to the user (in a browser: a download)."""
        ...
