"""The triage session: an agenda built by `core.triage`, stepped through by keyboard.

The lead walks the agenda; each decision goes through the ordinary paths of
`tui.actions` over the screen's `Host` (`LifecycleActions` for advance, back,
park and kill, the project editor for a rescore) and is followed by a short
note. Ending the session writes a snapshot whose report carries the minutes
(`portfolio.snapshots.write_triage_snapshot`, in a worker thread); the screen
only changes state on the event loop. `start.py` opens it, `dialogs.py` holds
its dialogs, `state.py` the session as data.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from core.models import Project, Stage
from core.rules.priority import assess
from core.triage import (
    AgendaItem,
    Decision,
    DecisionKind,
    MarkTriaged,
    allowed_decisions,
    describe_move,
    describe_rescore,
    key_figures,
)
from portfolio import LoadError, SaveError
from portfolio.exports.text import plural
from portfolio.snapshots import (
    SnapshotError,
    TriageSnapshot,
    write_triage_snapshot,
)
from tui.actions.lifecycle import LifecycleActions
from tui.actions.projects import ProjectActions
from tui.dialogs import ConfirmDialog, MoveRequest, StageReasonDialog, TextPrompt
from tui.host import Host
from tui.screens import EditorScreen, HistoryScreen
from tui.text import plain
from tui.triage.detail import EMPTY_AGENDA, item_detail
from tui.triage.dialogs import DecisionMenu
from tui.triage.state import TriageState


@dataclass(frozen=True, slots=True)
class _Pending:
    """A decision whose dialogs (opened by the app's own helpers) are still open."""

    kind: DecisionKind
    before: Project


class TriageScreen(EditorScreen):
    """The agenda on the left, the current item (why, key figures, decision) on the right."""

    DEFAULT_CSS = """
    TriageScreen { layout: vertical; }
    TriageScreen #triage-header { height: 1; background: $panel; color: $foreground; }
    TriageScreen #triage-body { height: 1fr; }
    TriageScreen #triage-agenda {
        width: 40; height: 1fr; border: none; text-wrap: nowrap; text-overflow: ellipsis;
    }
    TriageScreen #triage-detail {
        width: 1fr; height: 1fr; padding: 0 1; border-left: solid $primary-muted;
    }
    TriageScreen.-narrow #triage-agenda { width: 24; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "step(1)", "Next", key_display="j/k", id="triage.next"),
        Binding("k,up", "step(-1)", "Previous", show=False, id="triage.previous"),
        Binding("f", "decide('ADVANCE')", "Advance", id="triage.advance"),
        Binding("b", "decide('BACK')", "Back", id="triage.back"),
        Binding("p", "decide('PARK')", "Park", id="triage.park"),
        Binding("x", "decide('KILL')", "Kill", id="triage.kill"),
        Binding("space", "decide('KEEP')", "Keep", key_display="spc", id="triage.keep"),
        Binding("r", "decide('RESCORE')", "Rescore", id="triage.rescore"),
        Binding("enter", "menu", "Decide…", show=False, priority=True, id="triage.menu"),
        Binding("H", "history", "History", show=False, id="triage.history"),
        Binding("e,ctrl+e", "end", "End", key_display="e", id="triage.end"),
        Binding("q,escape,ctrl+g", "leave", "Leave", show=False, id="triage.leave"),
    ]

    def __init__(self, host: Host, state: TriageState) -> None:
        super().__init__()
        self.host = host
        self.state = state
        self._pending: _Pending | None = None
        self.writing = False
        """Whether the minutes are being written (keys that decide or leave wait)."""
        self.written: TriageSnapshot | None = None
        """What ending the session wrote, once it has."""

    # ------------------------------------------------------------ drawing

    def compose(self) -> ComposeResult:
        yield Static(id="triage-header")
        with Horizontal(id="triage-body"):
            yield OptionList(*self._agenda_options(), id="triage-agenda")
            with VerticalScroll(id="triage-detail"):
                yield Static(id="triage-item")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        agenda = self.query_one("#triage-agenda", OptionList)
        agenda.can_focus = False
        if self.state.agenda:
            agenda.highlighted = self.state.index
        self._draw()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def _agenda_options(self) -> list[Option]:
        return [Option(self._agenda_line(item)) for item in self.state.agenda]

    def _agenda_line(self, item: AgendaItem) -> Content:
        """'✓' once decided, the number of kinds of reason, then the title."""
        mark = "✓" if self.state.decision_on(item.project_id) is not None else " "
        return Content.assemble(
            Content.styled(f"{mark}{len(item.kinds)} ", "bold"), Content(plain(item.title))
        )

    def current(self) -> AgendaItem | None:
        """The agenda item the lead is on."""
        agenda = self.state.agenda
        return agenda[self.state.index] if agenda else None

    def refresh_project(self) -> None:
        """The portfolio changed (an edit here, an undo, a save elsewhere): the decisions
        follow the triage marks (an undone decision leaves the minutes), then redraw."""
        if not self.is_mounted:
            return

        def triaged_at(project_id: str) -> datetime | bool | None:
            project = self.host.project(project_id)
            return False if project is None else project.triaged_at

        if self._pending is None and self.state.follow_undo(triaged_at):
            for item in self.state.agenda:
                self._redraw_line(item.project_id)
        self._draw()

    def _draw(self) -> None:
        state = self.state
        done = len({d.project_id for d in state.decisions})
        header = (
            f" Triage {state.label} · {len(state.agenda)} on the agenda · {done} decided"
            f" · attendees: {', '.join(state.attendees) or 'none named'}"
        )
        self.query_one("#triage-header", Static).update(Content(plain(header)))
        self.query_one("#triage-item", Static).update(self._item_content())
        self.refresh_bindings()

    def _item_content(self) -> Content:
        item = self.current()
        if item is None:
            return EMPTY_AGENDA
        session = self.host.session
        figures = None
        project = self.host.project(item.project_id)
        if project is not None and session is not None:
            figures = key_figures(project, session.portfolio.settings, session.now())
        position = (self.state.index + 1, len(self.state.agenda))
        decision = self.state.decision_on(item.project_id)
        return item_detail(item, position, project, figures, decision)

    def _redraw_line(self, project_id: str) -> None:
        agenda = self.query_one("#triage-agenda", OptionList)
        for index, item in enumerate(self.state.agenda):
            if item.project_id == project_id:
                agenda.replace_option_prompt_at_index(index, self._agenda_line(item))

    # ------------------------------------------------------------ moving

    def action_step(self, delta: int) -> None:
        """Go to the next (1) or previous (-1) agenda item."""
        if not self.state.agenda:
            return
        index = min(max(self.state.index + delta, 0), len(self.state.agenda) - 1)
        self._go(index)

    def _advance_from(self, project_id: str) -> None:
        """After a decision, go on to the next agenda item not decided yet (or stay)."""
        agenda = self.state.agenda
        current = self.current()
        if current is None or current.project_id != project_id:
            self._draw()
            return
        decided = {d.project_id for d in self.state.decisions}
        later = range(self.state.index + 1, len(agenda))
        following = next((i for i in later if agenda[i].project_id not in decided), None)
        if following is None:
            self._draw()
            return
        self._go(following)

    def _go(self, index: int) -> None:
        self.state.index = index
        self.query_one("#triage-agenda", OptionList).highlighted = index
        item = self.current()
        if item is not None and self.host.project(item.project_id) is not None:
            self.host.selected = item.project_id
        self._draw()

    @on(OptionList.OptionHighlighted, "#triage-agenda")
    def _clicked(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.state.index:
            self._go(event.option_index)

    def action_history(self) -> None:
        """Show the current project's history."""
        item = self.current()
        project = self.host.project(item.project_id) if item else None
        if project is not None:
            self.app.push_screen(HistoryScreen(project))

    # ------------------------------------------------------------ deciding

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decisions that do not apply to the current project show as disabled."""
        if action != "decide" or not parameters:
            return True
        item = self.current()
        project = self.host.project(item.project_id) if item else None
        if project is None or self.host.read_only:
            return None
        return True if DecisionKind[str(parameters[0])] in allowed_decisions(project) else None

    def _target(self) -> Project | None:
        """The current item's project, selected in the app; None (with a message) if gone."""
        item = self.current()
        if item is None:
            return None
        project = self.host.project(item.project_id)
        if project is None:
            self.host.tell(f"{item.project_id} is no longer in the portfolio")
            return None
        self.host.selected = project.id
        return project

    def action_menu(self) -> None:
        """List the decisions that apply to the current project."""
        project = self._target()
        if project is None or self._pending is not None:
            return

        def chosen(kind: DecisionKind | None) -> None:
            if kind is not None:
                self.decide(kind)

        self.app.push_screen(
            DecisionMenu(f"Decide: {project.title}", allowed_decisions(project)), chosen
        )

    def action_decide(self, name: str) -> None:
        """Take the decision named `name` (a `DecisionKind` member) on the current item."""
        self.decide(DecisionKind[name])

    def decide(self, kind: DecisionKind) -> None:
        """Take a decision through the app's ordinary edit paths, then ask for a note."""
        project = self._target()
        if project is None or self._pending is not None or self.writing:
            return
        if self.host.read_only:
            self.host.tell("read-only session: triage decisions are edits, and editing is off")
            return
        if kind not in allowed_decisions(project):
            self.host.tell(f"cannot {kind.value} a project in {project.stage.value}")
            return
        if kind is DecisionKind.KEEP:
            self._record(project, kind, "")
        elif kind in (DecisionKind.PARK, DecisionKind.KILL):
            self._outcome(project, Stage.PARKED if kind is DecisionKind.PARK else Stage.KILLED)
        else:
            self._pending = _Pending(kind, project)
            if kind is DecisionKind.ADVANCE and project.stage is Stage.PARKED:
                LifecycleActions(self.host).resume()
            elif kind is DecisionKind.ADVANCE:
                LifecycleActions(self.host).forward()
            elif kind is DecisionKind.BACK:
                LifecycleActions(self.host).back()
            else:
                ProjectActions(self.host).edit()
            self._settle_if_back()

    def _outcome(self, project: Project, stage: Stage) -> None:
        """Park or kill through the outcome dialog and the app's move path."""
        kind = DecisionKind.PARK if stage is Stage.PARKED else DecisionKind.KILL

        def chosen(request: MoveRequest | None) -> None:
            if request is None:
                return
            if LifecycleActions(self.host).apply(request):
                self._record(project, kind, describe_move(project, self.host.project(project.id)))

        verb = "Park" if stage is Stage.PARKED else "Kill"
        dialog = StageReasonDialog(
            f"{verb}: {project.title}", (stage,), {}, reason_required=False, confirm_label=verb
        )
        self.app.push_screen(dialog, chosen)

    def on_screen_resume(self) -> None:
        """Back on top: a dialog of a pending decision closed (or another one opened)."""
        if self._pending is not None:
            self.call_after_refresh(self._settle_if_back)
        else:
            self._draw()

    def _settle_if_back(self) -> None:
        """Once no dialog of the pending decision is open, see whether it changed anything."""
        pending = self._pending
        if pending is None or self.app.screen is not self:
            return
        self._pending = None
        before = pending.before
        after = self.host.project(before.id)
        if after is None:
            self._draw()
            return
        if pending.kind is DecisionKind.RESCORE:
            if after == before:
                self.host.tell("nothing changed in the editor: no decision recorded")
                return
            session = self.host.session
            if session is not None:
                settings = session.portfolio.settings
                rescore = describe_rescore(
                    assess(before, settings), assess(after, settings), settings
                )
                self._record(before, pending.kind, rescore)
            return
        if len(after.history) <= len(before.history):
            self._draw()
            return  # cancelled or refused: the app has said why
        self._record(before, pending.kind, describe_move(before, after))

    def _record(self, project: Project, kind: DecisionKind, detail: str) -> None:
        """Mark the project triaged, then ask for the decision note."""
        app = self.host
        session = app.session
        if session is None:
            return
        now = session.now()
        app.apply_edit(MarkTriaged(project.id, now))
        decision = Decision(project.id, project.title, kind, detail, "", now, session.user)
        self.state.decisions.append(decision)
        self._redraw_line(project.id)
        self._draw()
        after = app.project(project.id)
        moved = after is not None and len(after.history) > len(project.history)
        # Only a move this decision made lends its reason; never an older one (a rescore).
        suggestion = after.history[-1].reason if moved and after is not None else ""

        def noted(note: str | None) -> None:
            if note and decision in self.state.decisions:
                index = self.state.decisions.index(decision)
                self.state.decisions[index] = replace(decision, note=note)
            self._redraw_line(project.id)
            self._advance_from(project.id)

        prompt = TextPrompt(
            f"Decision note: {project.title}",
            f"{kind.value}{': ' + detail if detail else ''}. A short note for the minutes:",
            suggestion,
            placeholder="why, who does what next",
        )
        self.app.push_screen(prompt, noted)

    # ------------------------------------------------------------ ending

    def action_end(self) -> None:
        """End the session: write the snapshot with the minutes (after a yes)."""
        if self.writing or self._pending is not None:
            return
        decided = len({d.project_id for d in self.state.decisions})
        body = (
            f"Write the minutes and a snapshot labelled {self.state.label}?\n"
            f"{plural(len(self.state.decisions), 'decision')} on {decided} of"
            f" {plural(len(self.state.agenda), 'agenda item')}."
        )

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.writing = True
                self.host.tell("writing the minutes and the snapshot…")
                self.run_worker(self._write(), group="triage", exclusive=True)

        self.app.push_screen(ConfirmDialog("End the triage", body, "End and write (y)"), answered)

    async def _write(self) -> None:
        app = self.host
        session = app.session
        if session is None:
            return
        portfolio, now = session.portfolio, session.now()
        try:
            minutes = self.state.minutes(portfolio.settings.name, now)
            written = await asyncio.to_thread(
                write_triage_snapshot,
                app.path,
                portfolio,
                minutes,
                self.state.previous,
                now,
                started_at=self.state.started_at,
            )
        except (LoadError, SaveError, SnapshotError, OSError) as error:
            self.writing = False
            app.tell(f"the minutes were not written: {error}", error=True)
            return
        self.writing = False
        self.written = written
        where = written.info.markdown_path or written.info.toml_path
        app.tell(f"triage minutes and snapshot written to {where}")
        self.dismiss()

    def action_leave(self) -> None:
        """Leave without writing minutes (after a yes); the decisions stay in the portfolio."""
        if self.writing:
            return
        if not self.state.decisions:
            self.dismiss()
            return

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.dismiss()

        body = (
            f"Leave without writing the minutes? The {len(self.state.decisions)} decisions"
            " stay in the portfolio; only the minutes and the snapshot are not written."
        )
        self.app.push_screen(ConfirmDialog("Leave the triage", body, "Leave (y)"), answered)


__all__ = ["TriageScreen"]
