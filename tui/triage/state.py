"""One triage session in progress, as data: who is there, the agenda, the decisions so far.

No UI: the screen changes it on the event loop, and `minutes` turns it into
the `core.triage.TriageMinutes` that ending the session writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from core.triage import AgendaItem, Decision, TriageMinutes
from portfolio.snapshots import SnapshotInfo, snapshot_title


@dataclass
class TriageState:
    """One session in progress: who is there, the agenda, where the lead is, what was decided."""

    label: str
    lead: str
    attendees: tuple[str, ...]
    started_at: datetime
    agenda: tuple[AgendaItem, ...]
    previous: SnapshotInfo | None
    """The latest snapshot when the session started: the minutes' diff is against it."""
    index: int = 0
    decisions: list[Decision] = field(default_factory=list)
    undone: list[Decision] = field(default_factory=list)
    """Decisions whose triage mark was undone: out of the minutes until a redo marks it again."""

    def follow_undo(self, triaged_at: Callable[[str], datetime | bool | None]) -> bool:
        """Withdraw the decisions whose project no longer carries their triage mark (an undo),
        and bring back those whose mark is there again (a redo); True if any changed.

        `triaged_at(id)` is the project's triage time, or False when it is gone (a deleted
        project keeps its decision).
        """
        changed = False
        for decision in list(self.decisions):
            mark = triaged_at(decision.project_id)
            if mark is not False and mark != decision.at:
                self.decisions.remove(decision)
                self.undone.append(decision)
                changed = True
        for decision in list(self.undone):
            if triaged_at(decision.project_id) == decision.at:
                self.undone.remove(decision)
                self.decisions.append(decision)
                changed = True
        if changed:
            self.decisions.sort(key=lambda d: d.at)
        return changed

    def decision_on(self, project_id: str) -> Decision | None:
        """The latest decision recorded on this project in the session."""
        return next((d for d in reversed(self.decisions) if d.project_id == project_id), None)

    def minutes(self, portfolio_name: str, ended_at: datetime) -> TriageMinutes:
        """The session as minutes."""
        return TriageMinutes(
            label=self.label,
            portfolio_name=portfolio_name,
            started_at=self.started_at,
            ended_at=ended_at,
            lead=self.lead,
            attendees=self.attendees,
            agenda=self.agenda,
            decisions=tuple(self.decisions),
            previous_snapshot=snapshot_title(self.previous) if self.previous is not None else None,
        )


__all__ = ["TriageState"]
