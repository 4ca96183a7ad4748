"""One person's editing session: the current portfolio, undo and redo.

The session is the single owner of the portfolio value in the app. It knows
nothing of Textual: the app calls it, then draws what `core` computes from
the portfolio it holds. Edits are values, so undo applies an edit's inverse
on top of whatever the portfolio is now, other people's changes included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from core.edits import Edit, EditError
from core.models import Portfolio
from tui.clock import Clock, utc_now


@dataclass(frozen=True, slots=True)
class Done:
    """An applied edit and the edit that undoes it."""

    edit: Edit
    inverse: Edit


@dataclass
class Session:
    """The portfolio being edited, with undo and redo stacks for this session."""

    portfolio: Portfolio
    user: str
    clock: Clock = utc_now
    undo_stack: list[Done] = field(default_factory=list)
    redo_stack: list[Done] = field(default_factory=list)
    version: int = 0
    """Bumped on every change of `portfolio`, so views can tell stale projections."""

    def now(self) -> datetime:
        """The session's clock reading."""
        return self.clock()

    def _set(self, portfolio: Portfolio) -> Portfolio:
        self.portfolio = portfolio
        self.version += 1
        return portfolio

    def apply(self, edit: Edit) -> Portfolio:
        """Apply an edit; raises EditError and changes nothing when it does not apply."""
        before = self.portfolio
        after = edit.apply(before, self.now(), self.user)
        self.undo_stack.append(Done(edit, edit.inverse(before)))
        self.redo_stack.clear()
        return self._set(after)

    def undo(self) -> Done | None:
        """Undo the last edit of this session; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        done = self.undo_stack[-1]
        after = done.inverse.apply(self.portfolio, self.now(), self.user)
        self.undo_stack.pop()
        self.redo_stack.append(done)
        self._set(after)
        return done

    def redo(self) -> Done | None:
        """Redo the last undone edit; None when there is nothing to redo."""
        if not self.redo_stack:
            return None
        done = self.redo_stack[-1]
        before = self.portfolio
        after = done.edit.apply(before, self.now(), self.user)
        self.redo_stack.pop()
        self.undo_stack.append(Done(done.edit, done.edit.inverse(before)))
        self._set(after)
        return done

    def replace(self, portfolio: Portfolio) -> None:
        """Take a portfolio read from disk (someone else's save); undo history stays."""
        self._set(portfolio)


__all__ = ["Done", "EditError", "Session"]
