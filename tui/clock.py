"""The one place outside the tests that reads the wall clock.

`core` never reads the clock; the command line and the app pass `now` in, and
tests pass a fixed instant instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current instant in UTC, to the second (history entries need no more)."""
    return datetime.now(UTC).replace(microsecond=0)
