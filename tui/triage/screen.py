"""The triage session: an agenda built by `core.triage`, stepped through by keyboard.

The lead names the attendees, then walks the agenda; each decision goes
through the app's ordinary paths (`app.lifecycle` for advance and send back,
`app.move` for park and kill, the project editor for a rescore) and is
followed by a short note. Ending the session writes a snapshot whose report
carries the minutes. File work (listing, reading and writing snapshots) runs
in worker threads; the screen only changes state on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from core.compare.diff import diff_portfolios
from core.models import Portfolio, Project, Stage, TransitionKind
from core.rules.priority import assess
from core.rules.ratings import meeting_ratings
from core.triage import (
    REASON_TITLES,
    AgendaItem,
    Decision,
    DecisionKind,
    MarkTriaged,
    TriageMinutes,
    build_agenda,
    describe_rescore,
    key_figures,
    session_label,
)
from portfolio import LoadError, SaveError, load
from portfolio.exports import diff_markdown
from portfolio.exports.text import plural
from portfolio.minutes import render_minutes
from portfolio.snapshots import SnapshotError, SnapshotInfo, scan_snapshots, write_snapshot
from tui.actions.lifecycle import targets_of
from tui.dialogs import ConfirmDialog, Dialog, MoveRequest, StageReasonDialog, TextPrompt
from tui.screens import EditorScreen, HistoryScreen
from tui.text import plain

if TYPE_CHECKING:
    from tui.dashboard.app import MlfolioApp

DECISION_KEYS: tuple[tuple[DecisionKind, str, str], ...] = (
    (DecisionKind.ADVANCE, "f", "move it forward one stage (a parked project resumes)"),
    (DecisionKind.BACK, "b", "send it back to an earlier stage, with a reason"),
    (DecisionKind.PARK, "p", "park it"),
    (DecisionKind.KILL, "x", "kill it"),
    (DecisionKind.KEEP, "space", "keep it as it is"),
    (DecisionKind.RESCORE, "r", "rescore it in the project editor"),
)
"""The decisions, with their key in the triage screen and what each does."""


def parse_attendees(text: str) -> tuple[str, ...]:
    """Names from a comma-separated line: trimmed, control characters dropped, no repeats."""
    names: list[str] = []
    for part in text.split(","):
        name = " ".join(plain(part).split())
        if name and name not in names:
            names.append(name)
    return tuple(names)


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


@dataclass(frozen=True, slots=True)
class _Pending:
    """A decision whose dialogs (opened by the app's own helpers) are still open."""

    kind: DecisionKind
    before: Project


@dataclass(frozen=True, slots=True)
class _Written:
    """What ending a session wrote."""

    info: SnapshotInfo
    minutes: str


def snapshot_title(info: SnapshotInfo) -> str:
    """How a snapshot is named to people: its label, else its file name."""
    return info.label or info.name


def write_session(path: Path, portfolio: Portfolio, state: TriageState, now: datetime) -> _Written:
    """Render the minutes (with the diff against the previous snapshot) and write the snapshot.

    Runs in a worker thread: it reads the previous snapshot and writes two files.
    """
    diff_md: str | None = None
    if state.previous is not None:
        old = load(state.previous.toml_path)
        diff = diff_portfolios(old, portfolio)
        diff_md = diff_markdown(diff, snapshot_title(state.previous), state.label, heading_level=3)
    rated = meeting_ratings(portfolio.projects, state.started_at, now)
    minutes = render_minutes(state.minutes(portfolio.settings.name, now), diff_md, rated)
    info = write_snapshot(path, portfolio, now=now, label=state.label, extra_markdown=minutes)
    return _Written(info, minutes)


class AttendeesPrompt(TextPrompt):
    """Who is at the session: the lead's name prefilled, the cursor after it to add others."""

    def __init__(self, lead: str) -> None:
        super().__init__(
            "Triage session", "Attendees (comma-separated):", lead, "e.g. ann, bo, chen"
        )

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one("#text", Input).action_end)


class DecisionMenu(Dialog[DecisionKind]):
    """Pick a decision for the current agenda item: by its letter (the same as in the triage
    screen), or by moving to it and pressing Enter.

    Nothing is highlighted at first, so a bare Enter decides nothing: a decision
    that moves a project is always a deliberate choice.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"choose('{kind.name}')", kind.value, priority=True, id=f"decide.{key}")
            for kind, key, _ in DECISION_KEYS
        ),
    ]

    def __init__(self, title: str, allowed: tuple[DecisionKind, ...]) -> None:
        super().__init__(title)
        self._allowed = allowed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield OptionList(
                *(
                    Option(Content(f"{_key_name(key):>5}  {kind.value}: {what}"), id=kind.name)
                    for kind, key, what in DECISION_KEYS
                    if kind in self._allowed
                ),
                id="decisions",
            )
            yield Static(
                "Press a decision's letter, or move to it and press Enter; ctrl+g cancels.",
                classes="muted",
            )
            yield Static("", id="dialog-message", classes="dialog-message")

    def on_mount(self) -> None:
        options = self.query_one("#decisions", OptionList)
        options.focus()
        self.call_after_refresh(setattr, options, "highlighted", None)

    def action_choose(self, name: str) -> None:
        """Take the decision `name` (a `DecisionKind` member) if it applies here."""
        kind = DecisionKind[name]
        if kind in self._allowed:
            self.dismiss(kind)
        else:
            self.refuse(f"{kind.value} does not apply to this project")

    @on(OptionList.OptionSelected, "#decisions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(DecisionKind[str(event.option.id)])


def _key_name(key: str) -> str:
    """A key as the menu shows it."""
    return "spc" if key == "space" else key


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

    def __init__(self, app: MlfolioApp, state: TriageState) -> None:
        super().__init__()
        self.mlfolio = app
        self.state = state
        self._pending: _Pending | None = None
        self.writing = False
        """Whether the minutes are being written (keys that decide or leave wait)."""
        self.written: _Written | None = None
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
            project = self.mlfolio.project(project_id)
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
            return Content(
                "Nothing on the agenda: every active project was triaged recently and shows"
                " no reason for a look. e ends the session and writes the snapshot."
            )
        app = self.mlfolio
        project = app.project(item.project_id)
        position = f"{self.state.index + 1}/{len(self.state.agenda)}"
        parts = [
            Content.styled(plain(item.title), "bold"),
            Content(f"\n{position} · {item.project_id} · rank {item.rank}\n\n"),
            Content.styled("Why it is on the agenda\n", "bold underline"),
        ]
        for reason in item.reasons:
            parts.append(Content(f" • {REASON_TITLES[reason.kind]}: {plain(reason.text)}\n"))
        if project is None:
            parts.append(Content("\nThis project is no longer in the portfolio.\n"))
        elif app.session is not None:
            session = app.session
            figures = key_figures(project, session.portfolio.settings, session.now())
            parts.append(Content.styled("\nKey figures\n", "bold underline"))
            width = max(len(label) for label, _ in figures) + 2
            for label, value in figures:
                parts.append(Content(f" {label.ljust(width)}{plain(value)}\n"))
        decision = self.state.decision_on(item.project_id)
        parts.append(Content.styled("\nDecision\n", "bold underline"))
        if decision is None and project is not None:
            allowed = self.allowed(project)
            keys = " · ".join(
                f"{key} {kind.value}" for kind, key, _ in DECISION_KEYS if kind in allowed
            )
            parts.append(Content(f" none yet: {keys} (enter lists them)\n"))
        elif decision is None:
            parts.append(Content(" none\n"))
        else:
            detail = f", {plain(decision.detail)}" if decision.detail else ""
            parts.append(Content(f" {decision.kind.value}{detail}\n"))
            parts.append(Content(f" Note: {plain(decision.note) or '(none)'}\n"))
        return Content.assemble(*parts)

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
        if item is not None and self.mlfolio.project(item.project_id) is not None:
            self.mlfolio.selected = item.project_id
        self._draw()

    @on(OptionList.OptionHighlighted, "#triage-agenda")
    def _clicked(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.state.index:
            self._go(event.option_index)

    def action_history(self) -> None:
        """Show the current project's history."""
        item = self.current()
        project = self.mlfolio.project(item.project_id) if item else None
        if project is not None:
            self.app.push_screen(HistoryScreen(project))

    # ------------------------------------------------------------ deciding

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decisions that do not apply to the current project show as disabled."""
        if action != "decide" or not parameters:
            return True
        item = self.current()
        project = self.mlfolio.project(item.project_id) if item else None
        if project is None or self.mlfolio.read_only:
            return None
        return True if DecisionKind[str(parameters[0])] in self.allowed(project) else None

    def allowed(self, project: Project) -> tuple[DecisionKind, ...]:
        """The decisions that apply to a project where it is now."""
        kinds = [DecisionKind.KEEP, DecisionKind.RESCORE]
        if targets_of(project, TransitionKind.FORWARD) or targets_of(
            project, TransitionKind.RESUME
        ):
            kinds.insert(0, DecisionKind.ADVANCE)
        if targets_of(project, TransitionKind.BACK):
            kinds.insert(1 if kinds[0] is DecisionKind.ADVANCE else 0, DecisionKind.BACK)
        outcomes = targets_of(project, TransitionKind.OUTCOME)
        if Stage.PARKED in outcomes:
            kinds.insert(-2, DecisionKind.PARK)
        if Stage.KILLED in outcomes:
            kinds.insert(-2, DecisionKind.KILL)
        return tuple(kinds)

    def _target(self) -> Project | None:
        """The current item's project, selected in the app; None (with a message) if gone."""
        item = self.current()
        if item is None:
            return None
        project = self.mlfolio.project(item.project_id)
        if project is None:
            self.mlfolio.tell(f"{item.project_id} is no longer in the portfolio")
            return None
        self.mlfolio.selected = project.id
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
            DecisionMenu(f"Decide: {project.title}", self.allowed(project)), chosen
        )

    def action_decide(self, name: str) -> None:
        """Take the decision named `name` (a `DecisionKind` member) on the current item."""
        self.decide(DecisionKind[name])

    def decide(self, kind: DecisionKind) -> None:
        """Take a decision through the app's ordinary edit paths, then ask for a note."""
        project = self._target()
        if project is None or self._pending is not None or self.writing:
            return
        if self.mlfolio.read_only:
            self.mlfolio.tell("read-only session: triage decisions are edits, and editing is off")
            return
        if kind not in self.allowed(project):
            self.mlfolio.tell(f"cannot {kind.value} a project in {project.stage.value}")
            return
        if kind is DecisionKind.KEEP:
            self._record(project, kind, "")
        elif kind in (DecisionKind.PARK, DecisionKind.KILL):
            self._outcome(project, Stage.PARKED if kind is DecisionKind.PARK else Stage.KILLED)
        else:
            self._pending = _Pending(kind, project)
            if kind is DecisionKind.ADVANCE and project.stage is Stage.PARKED:
                self.mlfolio.lifecycle.resume()
            elif kind is DecisionKind.ADVANCE:
                self.mlfolio.lifecycle.forward()
            elif kind is DecisionKind.BACK:
                self.mlfolio.lifecycle.back()
            else:
                self.mlfolio.projects.edit()
            self._settle_if_back()

    def _outcome(self, project: Project, stage: Stage) -> None:
        """Park or kill through the outcome dialog and the app's move path."""
        kind = DecisionKind.PARK if stage is Stage.PARKED else DecisionKind.KILL

        def chosen(request: MoveRequest | None) -> None:
            if request is None:
                return
            if self.mlfolio.move(request):
                self._record(project, kind, _move_detail(project, self.mlfolio.project(project.id)))

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
        after = self.mlfolio.project(before.id)
        if after is None:
            self._draw()
            return
        if pending.kind is DecisionKind.RESCORE:
            if after == before:
                self.mlfolio.tell("nothing changed in the editor: no decision recorded")
                return
            session = self.mlfolio.session
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
        self._record(before, pending.kind, _move_detail(before, after))

    def _record(self, project: Project, kind: DecisionKind, detail: str) -> None:
        """Mark the project triaged, then ask for the decision note."""
        app = self.mlfolio
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
                self.mlfolio.tell("writing the minutes and the snapshot…")
                self.run_worker(self._write(), group="triage", exclusive=True)

        self.app.push_screen(ConfirmDialog("End the triage", body, "End and write (y)"), answered)

    async def _write(self) -> None:
        app = self.mlfolio
        session = app.session
        if session is None:
            return
        portfolio, now = session.portfolio, session.now()
        try:
            written = await asyncio.to_thread(write_session, app.path, portfolio, self.state, now)
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


def _move_detail(before: Project, after: Project | None) -> str:
    """The move a decision made, e.g. 'training → data: labels unreliable'."""
    if after is None or len(after.history) <= len(before.history):
        return ""
    move = after.history[-1]
    text = f"{move.from_stage.value} → {move.to_stage.value}"
    if move.checklist_override:
        text += " (checklist overridden)"
    reason = " ".join(move.reason.split())
    return f"{text}: {reason}" if reason else text


class TriageActions:
    """Starts a triage session for the app: attendees, the last snapshot, the agenda."""

    def __init__(self, app: MlfolioApp) -> None:
        self.app = app

    def start(self) -> None:
        """Ask for the attendees, then open the session."""
        session = self.app.session
        if session is None or self.app.read_only:
            return

        def named(text: str | None) -> None:
            if text:
                self.app.run_worker(self._open(parse_attendees(text)), group="triage")

        self.app.push_screen(AttendeesPrompt(session.user), named)

    async def _open(self, attendees: tuple[str, ...]) -> None:
        app = self.app
        session = app.session
        if session is None:
            return
        try:
            snapshots, skipped = await asyncio.to_thread(scan_snapshots, app.path)
        except OSError as error:
            app.tell(f"cannot list the snapshots: {error}", error=True)
            return
        for warning in skipped:
            app.tell(warning, error=True)
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
            app.selected = agenda[0].project_id
        app.push_screen(TriageScreen(app, state))


__all__ = [
    "DECISION_KEYS",
    "AttendeesPrompt",
    "DecisionMenu",
    "TriageActions",
    "TriageScreen",
    "TriageState",
    "parse_attendees",
    "write_session",
]
