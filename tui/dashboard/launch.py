"""Building and running the app: the one factory the command line and the tests share."""

from __future__ import annotations

import getpass
import os
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tui.clock import Clock, utc_now
from tui.dashboard.opening import Opened, open_portfolio

if TYPE_CHECKING:
    from tui.dashboard.app import MlfolioApp


def current_user() -> str:
    """Who is editing: $USER, else the login name, else 'unknown'."""
    user = os.environ.get("USER") or os.environ.get("LOGNAME")
    if user:
        return user
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def create_app(
    path: Path,
    *,
    clock: Clock = utc_now,
    user: str | None = None,
    read_only: bool = False,
    poll_interval: float = 0.5,
) -> MlfolioApp:
    """Build the app over `path`; it draws at once and reads the file in the background.

    A file that fails to load gets the error screen. `app.loaded` is set once
    the portfolio (or the error screen) is shown.
    """
    from tui.dashboard.app import MlfolioApp

    try:
        size: int | None = path.stat().st_size
    except OSError:
        size = None  # the loader says what is wrong with it
    return MlfolioApp(
        path,
        opener=partial(open_portfolio, path, user or current_user(), clock),
        file_size=size,
        read_only=read_only,
        poll_interval=poll_interval,
    )


def use_preferences(app: MlfolioApp, *, read_only: bool) -> None:
    """Apply the user's preferences file (theme, keymap); a bad file is named in the status."""
    from tui import preferences
    from tui.keymap import ACTIONS

    ids = [spec.id for spec in ACTIONS]
    problem = preferences.attach(app, os.environ, read_only=read_only, ids=ids)
    if problem:
        app.tell(problem, error=True)


def open_dashboard(path: Path, *, user: str | None = None, read_only: bool = False) -> int:
    """Run the dashboard on `path` until the user quits; 1 when the file failed to load.

    A hang-up (the SSH connection or terminal went away) or a SIGTERM quits the
    way `q` does, rather than killing the process in the middle of a save; if
    that has not ended the process five seconds later (Textual can block writing
    to a terminal that is gone), it exits regardless, so no dashboard lingers.
    """
    import asyncio
    import signal
    import threading
    from functools import partial

    app = create_app(path, user=user, read_only=read_only)
    app.on_start.append(partial(use_preferences, app, read_only=read_only))

    def quit_soon(signum: int, frame: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not running yet, or finished: nothing to tidy
            raise SystemExit(128 + signum) from None
        loop.call_soon_threadsafe(partial(app.quit_after_saving, forced=True))
        watchdog = threading.Timer(5.0, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()

    for signum in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(signum, quit_soon)
    app.run()
    if app.return_code:  # an unexpected error (one line shown, the report written)
        return app.return_code
    return 1 if app.load_errors else 0


__all__ = ["Opened", "create_app", "current_user", "open_dashboard", "open_portfolio"]
