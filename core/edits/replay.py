"""Re-applying edits to another version of a portfolio: how no edit is lost.

A session's edits that are not on disk yet are kept as `Pending` values (the
edit with the time and author it was made with). When the file changed on
disk meanwhile, saving replays them on top of what is there instead of
overwriting it; an edit that no longer applies (its project was deleted, say)
is set aside with the reason, and the rest still land.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from core.edits.base import Edit, EditError
from core.models import Portfolio


@dataclass(frozen=True, slots=True, eq=False)
class Pending:
    """An edit made at `now` by `user` and not saved yet; replayed with that same time and author.

    Compared by identity: two identical edits made one after the other are two
    pending edits.
    """

    edit: Edit
    now: datetime
    user: str


@dataclass(frozen=True, slots=True)
class Applied:
    """A pending edit that applied, with its undo worked out from what it was applied to."""

    pending: Pending
    inverse: Edit


@dataclass(frozen=True, slots=True)
class Rejected:
    """A pending edit that no longer applies, and why, in one plain line."""

    pending: Pending
    reason: str

    def sentence(self) -> str:
        """E.g. "dropped “set churn title to 'x'”: there is no project 'churn'"."""
        return f"dropped “{self.pending.edit.describe()}”: {self.reason}"


@dataclass(frozen=True, slots=True)
class Replay:
    """The portfolio after replaying, and which edits applied and which were refused."""

    portfolio: Portfolio
    applied: tuple[Applied, ...]
    rejected: tuple[Rejected, ...]


def replay(portfolio: Portfolio, pending: Iterable[Pending]) -> Replay:
    """Apply each pending edit in order on top of `portfolio`, skipping (and noting) refusals."""
    current = portfolio
    applied: list[Applied] = []
    rejected: list[Rejected] = []
    for item in pending:
        try:
            after = item.edit.apply(current, item.now, item.user)
            inverse = item.edit.inverse(current)
        except EditError as error:
            rejected.append(Rejected(item, str(error)))
            continue
        applied.append(Applied(item, inverse))
        current = after
    return Replay(current, tuple(applied), tuple(rejected))


def dropped_sentence(rejected: tuple[Rejected, ...]) -> str:
    """One line telling the user which of their edits could not be re-applied."""
    if not rejected:
        return ""
    first = rejected[0].sentence()
    more = len(rejected) - 1
    return first if not more else f"{first} (and {more} more edit{'s' if more > 1 else ''})"
