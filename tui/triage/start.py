"""Starting a triage session: the attendees, the last snapshot, the agenda, then the screen.

File work (listing the snapshots) runs in a worker thread; the agenda comes
from `core.triage.build_agenda`.
"""

from __future__ import annotations

import asyncio

from core.triage import build_agenda, session_label
from portfolio.snapshots import scan_snapshots
from tui.host import Host
from tui.triage.dialogs import AttendeesPrompt, parse_attendees
from tui.triage.screen import TriageScreen
from tui.triage.state import TriageState


class TriageActions:
    """Starts a triage session for the app: attendees, the last snapshot, the agenda."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def start(self) -> None:
        """Ask for the attendees, then open the session."""
        session = self.host.session
        if session is None or self.host.read_only:
            return

        def named(text: str | None) -> None:
            if text:
                self.host.run_worker(self._open(parse_attendees(text)), group="triage")

        self.host.push_screen(AttendeesPrompt(session.user), named)

    async def _open(self, attendees: tuple[str, ...]) -> None:
        host = self.host
        session = host.session
        if session is None:
            return
        try:
            snapshots, skipped = await asyncio.to_thread(scan_snapshots, host.path)
        except OSError as error:
            host.tell(f"cannot list the snapshots: {error}", error=True)
            return
        for warning in skipped:
            host.tell(warning, error=True)
        previous = snapshots[-1] if snapshots else None
        now = session.now()
        agenda = build_agenda(
            session.portfolio, now, last_snapshot_at=previous.taken_at if previous else None
        )
        state = TriageState(
            label=session_label(now),
            lead=session.user,
            attendees=attendees,
            started_at=now,
            agenda=agenda,
            previous=previous,
        )
        if agenda:
            host.selected = agenda[0].project_id
        host.push_screen(TriageScreen(host, state))


__all__ = ["TriageActions"]
