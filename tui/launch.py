"""Building and running the app: the one factory the command line and the tests share."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import TYPE_CHECKING

from portfolio import LoadError, store
from tui.clock import Clock, utc_now
from tui.session import Session

if TYPE_CHECKING:
    from tui.app import MlfolioApp


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
    """Load the portfolio and build the app; a file that fails to load gets the error screen."""
    from tui.app import MlfolioApp

    try:
        portfolio, stamp = store.read(path)
    except LoadError as error:
        return MlfolioApp(path, session=None, load_errors=error.errors, read_only=True)
    session = Session(portfolio, user or current_user(), clock)
    return MlfolioApp(
        path, session=session, stamp=stamp, read_only=read_only, poll_interval=poll_interval
    )


def open_dashboard(path: Path) -> int:
    """Run the dashboard on `path` until the user quits; 1 when the file failed to load."""
    app = create_app(path)
    app.run()
    return 1 if app.session is None else 0
