"""Opening a portfolio for the dashboard: read, validate and project it, off the event loop.

Kept apart from the App so that both the factory (`launch`, which hands the
App an opener) and the App (which runs it in a thread and shows the result)
depend on it, and neither on the other's internals: `launch → app` stays the
only direction between them. Nothing here imports `core` or `portfolio` at
module level, so the App's first frame needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.views.dashboard import Dashboard
    from portfolio.session import Session
    from portfolio.store import Stamp
    from tui.clock import Clock


@dataclass(frozen=True, slots=True)
class Opened:
    """A portfolio just read from its file: the session over it, its stamp and its projections."""

    session: Session
    stamp: Stamp | None
    """What `stat` said of the file just before it was read (None if it could not say)."""
    dashboard: Dashboard


def open_portfolio(path: Path, user: str, clock: Clock) -> Opened:
    """Read, validate and project the portfolio at `path`; raises `LoadError`.

    Pure work on a file of its own, so the app runs it in a thread while its
    first frame is already on screen.
    """
    from core.views.dashboard import build_dashboard
    from portfolio import store
    from portfolio.session import Session

    portfolio, stamp = store.read(path)
    session = Session(portfolio, user, clock)
    return Opened(session, stamp, build_dashboard(portfolio, session.now()))


__all__ = ["Opened", "open_portfolio"]
