"""One person's editing session: the portfolio on screen, the edits not saved yet, undo and redo.

The session is the single owner of the portfolio value in the app. It knows
nothing of Textual or of files: the app calls it, then draws what `core`
computes from the portfolio it holds.

It keeps the version of the file it last read or wrote (the base) and the
edits made since (pending, each with its time and author), so that the
portfolio on screen is always the base with the pending edits applied. When
someone else saves, their version becomes the base and the pending edits are
replayed on top of it; undo is an edit too (the inverse), so it lands on top
of other people's changes the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from core.edits.changes import Edit, EditError
from core.edits.replay import Applied, Pending, Rejected, replay
from core.models import Portfolio
from portfolio.sync import CommitResult


@dataclass(frozen=True, slots=True)
class Done:
    """An applied edit and the edit that undoes it."""

    edit: Edit
    inverse: Edit


@dataclass(frozen=True, slots=True)
class Step:
    """An edit of this session not on disk yet, and the undo entry it belongs to.

    `kind` says what made it: a new edit or a redo (whose entry is on the undo
    stack), or an undo (whose entry moved to the redo stack).
    """

    pending: Pending
    entry: Done
    kind: Literal["edit", "undo", "redo"]


@dataclass
class Session:
    """The portfolio being edited, with this session's unsaved edits and its undo and redo."""

    portfolio: Portfolio
    user: str
    clock: Callable[[], datetime]
    """The wall clock, passed in by the front end (tests pass a fixed instant)."""
    undo_stack: list[Done] = field(default_factory=list)
    redo_stack: list[Done] = field(default_factory=list)
    version: int = 0
    """Bumped on every change of `portfolio`, so views can tell stale projections."""
    base: Portfolio = field(init=False)
    """The file as this session last read or wrote it."""
    steps: list[Step] = field(default_factory=list, init=False)
    """Edits made here and not on disk yet, oldest first."""

    def __post_init__(self) -> None:
        self.base = self.portfolio

    def now(self) -> datetime:
        """The session's clock reading."""
        return self.clock()

    @property
    def pending(self) -> tuple[Pending, ...]:
        """The edits to save, in the order they were made."""
        return tuple(step.pending for step in self.steps)

    def _set(self, portfolio: Portfolio) -> Portfolio:
        self.portfolio = portfolio
        self.version += 1
        return portfolio

    def apply(self, edit: Edit) -> Portfolio:
        """Apply an edit; raises EditError and changes nothing when it does not apply."""
        before, now = self.portfolio, self.now()
        after = edit.apply(before, now, self.user)
        entry = Done(edit, edit.inverse(before))
        self.undo_stack.append(entry)
        self.redo_stack.clear()
        self.steps.append(Step(Pending(edit, now, self.user), entry, "edit"))
        return self._set(after)

    def undo(self) -> Done | None:
        """Undo the last edit of this session; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        done, now = self.undo_stack[-1], self.now()
        after = done.inverse.apply(self.portfolio, now, self.user)
        self.undo_stack.pop()
        self.redo_stack.append(done)
        self.steps.append(Step(Pending(done.inverse, now, self.user), done, "undo"))
        self._set(after)
        return done

    def redo(self) -> Done | None:
        """Redo the last undone edit; None when there is nothing to redo."""
        if not self.redo_stack:
            return None
        done, now = self.redo_stack[-1], self.now()
        before = self.portfolio
        after = done.edit.apply(before, now, self.user)
        self.redo_stack.pop()
        entry = Done(done.edit, done.edit.inverse(before))
        self.undo_stack.append(entry)
        self.steps.append(Step(Pending(done.edit, now, self.user), entry, "redo"))
        self._set(after)
        return done

    # ------------------------------------------------------- the file's side

    def committed(self, count: int, result: CommitResult) -> tuple[Rejected, ...]:
        """The first `count` pending edits were saved: `result` is the file now.

        When someone else had saved meanwhile, or an edit was refused, the
        portfolio becomes the saved one with the edits made since replayed on
        top. Returns the edits that were dropped, for the user to be told.
        """
        sent, self.steps = self.steps[:count], self.steps[count:]
        self.base = result.version.portfolio
        self._settle(sent, result.applied, result.rejected)
        if result.found is None and not result.rejected:
            return ()  # the portfolio already is the saved one plus the later edits
        return (*result.rejected, *self._rebase())

    def replace(self, portfolio: Portfolio) -> tuple[Rejected, ...]:
        """Take a version of the file someone else saved; unsaved edits are replayed on top.

        Returns the edits that no longer apply (they are dropped). Undo history stays.
        """
        self.base = portfolio
        if not self.steps:
            self._set(portfolio)
            return ()
        return self._rebase()

    def _rebase(self) -> tuple[Rejected, ...]:
        """Replay the unsaved edits on the base; drop those that no longer apply."""
        steps = self.steps
        outcome = replay(self.base, [step.pending for step in steps])
        self._settle(steps, outcome.applied, outcome.rejected)
        refused = {id(item.pending) for item in outcome.rejected}
        self.steps = [step for step in self.steps if id(step.pending) not in refused]
        self._set(outcome.portfolio)
        return outcome.rejected

    def _settle(
        self, steps: list[Step], applied: tuple[Applied, ...], rejected: tuple[Rejected, ...]
    ) -> None:
        """Bring undo history in line with how `steps` fared on the file.

        An applied edit's undo is recomputed from what it really landed on (so
        undo restores someone else's value, not a stale one); a refused edit,
        or a refused undo, leaves the history, since it did not happen.
        """
        by_pending = {id(step.pending): step for step in steps}
        for item in applied:
            step = by_pending.get(id(item.pending))
            if step is not None and step.kind != "undo":
                self._swap(step, Done(step.entry.edit, item.inverse))
        for refused in rejected:
            step = by_pending.get(id(refused.pending))
            if step is not None:
                self._forget(step.entry)

    def _swap(self, step: Step, entry: Done) -> None:
        """Put `entry` where `step`'s undo entry is, in the stacks and in later steps."""
        old = step.entry
        for stack in (self.undo_stack, self.redo_stack):
            for index, done in enumerate(stack):
                if done is old:
                    stack[index] = entry
        self.steps = [Step(s.pending, entry, s.kind) if s.entry is old else s for s in self.steps]

    def _forget(self, entry: Done) -> None:
        """Remove an undo entry from both stacks."""
        self.undo_stack[:] = [done for done in self.undo_stack if done is not entry]
        self.redo_stack[:] = [done for done in self.redo_stack if done is not entry]


__all__ = ["Done", "EditError", "Session", "Step"]
