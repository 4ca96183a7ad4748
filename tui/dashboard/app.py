"""The mlfolio dashboard: routes keys to edits and hands `core`'s projections to widgets.

The app owns the session (the portfolio and its undo history) and nothing
else: scores, columns and verdicts come from `core.views.dashboard`, the file from
`portfolio`, and each widget only draws what it is given and posts messages.

Its first frame (the status line saying what is being loaded, the view bar and
the footer) needs Textual alone: `core`, pydantic, `portfolio` and the views'
modules are imported in the thread that reads the file, or on first use, and
the views are mounted once the portfolio is read.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui import keymap
from tui.text import pasted, plain
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from core.edits.changes import Edit
    from core.edits.replay import Rejected
    from core.models import Portfolio, Project
    from core.views.dashboard import Dashboard
    from portfolio.session import Session
    from tui.actions.lifecycle import LifecycleActions
    from tui.actions.projects import ProjectActions
    from tui.dashboard.opening import Opened
    from tui.dashboard.reports import ReportActions
    from tui.dashboard.saving import DiskChanged, Persistence, SaveFinished
    from tui.dialogs import MoveRequest
    from tui.triage.start import TriageActions
    from tui.widgets.board import KanbanBoard
    from tui.widgets.grid import ImpactGrid
    from tui.widgets.legend import GridLegend
    from tui.widgets.ranking import RankingTable

VIEWS = ("grid", "board", "panel", "ranking")
VIEW_TITLES = {"grid": "Grid", "board": "Board", "panel": "Metrics", "ranking": "Ranking"}
EDITOR_ACTIONS = frozenset(
    {"undo", "redo", "retry_save", "save_elsewhere", "help", "quit", "command_palette"}
)
"""Dashboard actions that still apply while the project editor is open."""
TEXTUAL_COMMANDS_THAT_WRITE = frozenset({"Screenshot"})
"""Textual's palette commands that write a file (an SVG into ~/Downloads): left out."""
WIDE = (160, 48)
"""At this size and up the grid, the board and the panel stand side by side."""
LOADED_MODULES = (
    "tui.widgets.grid",
    "tui.widgets.legend",
    "tui.widgets.board",
    "tui.widgets.panel",
    "tui.widgets.ranking",
    "tui.dashboard.saving",
    "tui.screens",
    "tui.actions.lifecycle",
    "tui.actions.projects",
)
"""What the app needs once the portfolio is shown, imported in the thread that reads it."""


def _size_label(size: int) -> str:
    """A file size as people write it: 812 bytes, 38 KB, 2.2 MB."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


def conflict_notice(count: int, first_path: str) -> str:
    """What the app says on opening a file a git merge left conflicts in."""
    many = (
        f"{count} unresolved merge conflicts, the first"
        if count != 1
        else "an unresolved merge conflict"
    )
    return (
        f"this file holds {many} at {first_path}: settle each and delete its [[conflicts]]"
        " table (docs/git.md)"
    )


class MlfolioApp(App[None]):
    """The dashboard over one portfolio file."""

    CSS_PATH = "mlfolio.tcss"
    TITLE = "mlfolio"
    BINDINGS: ClassVar[list[BindingType]] = [
        replace(binding, priority=True)
        if isinstance(binding, Binding) and binding.id == "search"
        else binding
        for binding in keymap.bindings()
    ]
    """Every action's binding; "/" comes first of all (a priority binding), so that what is
    typed right after it lands in the search box rather than in the view it leaves."""
    ENABLE_COMMAND_PALETTE = True

    view: reactive[str] = reactive("grid", init=False, repaint=False)
    selected: reactive[str | None] = reactive(None, init=False, repaint=False)

    def __init__(
        self,
        path: Path,
        *,
        opener: Callable[[], Opened],
        file_size: int | None = None,
        read_only: bool = False,
        poll_interval: float = 0.5,
    ) -> None:
        """`opener` reads the file and builds what the app starts from; it runs in a thread
        once the first frame is up, and raises `LoadError` for a file that cannot be loaded."""
        super().__init__()
        self.path = path
        self.session: Session | None = None
        self.load_errors: tuple[str, ...] = ()
        self.read_only = read_only
        self.dashboard: Dashboard | None = None
        self.include_closed = False
        self.pessimistic: bool | None = None
        self.on_start: list[Callable[[], None]] = []
        """Called once the app runs (e.g. reading the preferences file in `mlfolio FILE`)."""
        """The ranking's basis chosen with P (None: the file's `rank_by`); never saved."""
        """Whether parked, killed and shipped projects are ranked and plotted (key A)."""
        self.poll_interval = poll_interval
        self.loaded = asyncio.Event()
        """Set once the portfolio is on screen, or its load errors are; tests await it."""
        self._opener = opener
        self._drawn = asyncio.Event()
        self._file_size = file_size
        self._notice = ""
        self._terminal_size: tuple[int, int] | None = None
        self._ranking_stale = True
        self._panel_stale = True
        self._shown: set[str] = set()
        """The views on screen, as the last layout left them."""
        self.changes_label: str | None = None
        """The snapshot the grid and board marks compare with; None when nothing is marked."""
        self.changed_ids: frozenset[str] = frozenset()
        """The projects marked as changed since that snapshot."""

    # ------------------------------------------------------- unexpected errors

    _crash: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        """Any unexpected error: exit non-zero with one line; the report goes to a file."""
        self._crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Instead of Textual's traceback with local variables: one line, and a report file."""
        from rich.text import Text

        from tui import crash

        error = self._crash
        if error is None:
            super()._fatal_error()
            return
        self._return_code = crash.EXIT_CRASH
        line = crash.one_line(error, crash.write_report(error))
        self._exit_renderables.append(Text(line))
        self._close_messages_no_wait()

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield StatusLine(self._loading_text(), id="status")
        yield Static(id="viewbar")
        with Horizontal(id="panes") as panes:
            panes.display = False  # the views are mounted here once the portfolio is loaded
        yield Footer()

    async def _mount_views(self) -> None:
        """Put the views in their panes; their modules were imported with the portfolio."""
        from tui.widgets.board import KanbanBoard
        from tui.widgets.grid import ImpactGrid
        from tui.widgets.legend import GridLegend
        from tui.widgets.panel import MetricPanel
        from tui.widgets.ranking import RankingTable

        await self.query_one("#panes").mount_all(
            [
                Container(
                    ImpactGrid(id="grid"), GridLegend(id="legend"), id="grid-pane", classes="pane"
                ),
                KanbanBoard(id="board", classes="pane"),
                MetricPanel(id="panel", classes="pane"),
                RankingTable(id="ranking", classes="pane"),
            ]
        )
        for view in self._views():
            self.watch(view, "selected", self._follow_view, init=False)

    def on_mount(self) -> None:
        self._draw_viewbar()
        for hook in self.on_start:
            hook()
        self.run_worker(self._open(), name="open", group="open")

    @cached_property
    def persistence(self) -> Persistence:
        """Saves and disk polls; built when the portfolio is shown."""
        from tui.dashboard.saving import Persistence

        return Persistence(self, self.path, None, self.poll_interval)

    @cached_property
    def lifecycle(self) -> LifecycleActions:
        """Stage moves of the selected project."""
        from tui.actions.lifecycle import LifecycleActions

        return LifecycleActions(self)

    @cached_property
    def projects(self) -> ProjectActions:
        """Adding, duplicating, editing and deleting projects."""
        from tui.actions.projects import ProjectActions

        return ProjectActions(self)

    def on_ready(self) -> None:
        """The first frame is on screen: the file can be read now."""
        self._drawn.set()

    def _loading_text(self) -> Content:
        """The status line while the file loads: its name and size."""
        size = "" if self._file_size is None else f" ({_size_label(self._file_size)})"
        return Content(f" loading {plain(self.path.name)}{size}…")

    async def _open(self) -> None:
        """Read, check and project the file in a thread, then show it (or its errors).

        The thread starts once the first frame is drawn: running, it would hold that up.
        Nothing here imports `portfolio` on the event loop before that frame.
        """
        await self._drawn.wait()
        try:
            opened, errors = await asyncio.to_thread(self._read)
            if opened is None:
                self._load_failed(errors)
            else:
                await self._mount_views()
                self.take_opened(opened)
        finally:
            self.loaded.set()

    def _read(self) -> tuple[Opened | None, tuple[str, ...]]:
        """In the loading thread: the file (or why it cannot be loaded), then the modules
        that will show it."""
        from portfolio.errors import LoadError

        try:
            opened = self._opener()
        except LoadError as error:
            return None, error.errors
        for name in LOADED_MODULES:
            importlib.import_module(name)
        return opened, ()

    def take_opened(self, opened: Opened) -> None:
        """Show a freshly read portfolio: fill the views, then start saving and polling."""
        self.session = opened.session
        self.persistence.stamp = opened.stamp
        self.query_one("#panes").display = True
        self._relayout()
        self.refresh_views(opened.dashboard)
        self.persistence.start()
        conflicts = self.session.portfolio.conflicts
        if conflicts:
            self.tell(conflict_notice(len(conflicts), conflicts[0].path), error=True)
        # The portfolio and its projections live as long as the app; a full collection
        # walking all of them would stall a key (~90 ms at 1,000 projects): exempt them.
        gc.freeze()

    async def on_event(self, event: events.Event) -> None:
        """A paste reaches the focused widget as text only, with control sequences removed.

        Textual hands a Paste to the focused widget (an Input inserts it); it is
        never turned into key presses, and what it holds can never be a control
        sequence on screen or in the file.
        """
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = pasted(event.text)
        await super().on_event(event)

    def on_unmount(self) -> None:
        """Give the objects exempted from collection back to the collector."""
        gc.unfreeze()

    def _load_failed(self, errors: tuple[str, ...]) -> None:
        """The file cannot be shown: say why, on a screen that edits nothing."""
        from tui.screens import LoadErrorScreen

        self.load_errors = errors
        self.read_only = True
        self.query_one(StatusLine).show(Content(f" {plain(self.path.name)}: not loaded"))
        self.push_screen(LoadErrorScreen(str(self.path), errors))
        self.refresh_bindings()

    def _views(self) -> tuple[ImpactGrid | GridLegend | KanbanBoard | RankingTable, ...]:
        """The widgets that select a project."""
        from tui.widgets.board import KanbanBoard
        from tui.widgets.grid import ImpactGrid
        from tui.widgets.legend import GridLegend
        from tui.widgets.ranking import RankingTable

        return (
            self.query_one(ImpactGrid),
            self.query_one(GridLegend),
            self.query_one(KanbanBoard),
            self.query_one(RankingTable),
        )

    def on_resize(self, event: events.Resize) -> None:
        self._terminal_size = (event.size.width, event.size.height)
        self._relayout()

    @property
    def is_wide(self) -> bool:
        """Whether the terminal is big enough for the side-by-side dashboard."""
        width, height = self._terminal_size or (self.size.width, self.size.height)
        return width >= WIDE[0] and height >= WIDE[1]

    def _relayout(self) -> None:
        if self.session is None:
            return
        wide = self.is_wide
        self.screen.set_class(wide, "-wide")
        visible = {"grid", "board", "panel"} if wide and self.view != "ranking" else {self.view}
        for name in VIEWS:
            pane = self.query_one(f"#{name}-pane" if name == "grid" else f"#{name}")
            pane.display = name in visible
        self._shown = visible
        self._sync_selection()
        self._show_ranking_if_visible()
        if self._panel_stale:
            self._show_selected_project()
        self._draw_viewbar()
        self._focus_view()

    def _focus_view(self) -> None:
        """Put the focus in the current view's pane, once the layout has settled."""
        self.call_after_refresh(self._focus_view_now)

    def _focus_view_now(self) -> None:
        pane = self.query_one("#grid-pane" if self.view == "grid" else f"#{self.view}")
        focused = self.focused
        if focused is not None and (
            focused.screen is not self.screen or pane in focused.ancestors_with_self
        ):
            return
        focusable = [pane] if pane.can_focus else []
        focusable += [w for w in pane.query("*") if w.can_focus and w.display]
        if focusable:
            focusable[0].focus()

    def watch_view(self) -> None:
        self._relayout()

    def _draw_viewbar(self) -> None:
        parts: list[Content] = []
        for number, name in enumerate(VIEWS, start=1):
            label = f" {number} {VIEW_TITLES[name]} "
            style = "reverse" if name == self.view else ""
            parts.append(Content.styled(label, style))
        legend = self.changes_legend()
        if legend is not None:
            parts.append(legend)
        if self.dashboard is not None:
            top = " · ".join(plain(t) for t in self.dashboard.top_titles(3))
            if top:
                parts.append(Content.styled("  Top: ", "bold"))
                parts.append(Content(top))
            if self.dashboard.hidden:
                parts.append(Content.styled(f"  +{self.dashboard.hidden} closed (A)", "dim"))
        self.query_one("#viewbar", Static).update(Content.assemble(*parts), layout=False)

    # ------------------------------------------------------------ projections

    def action_toggle_closed(self) -> None:
        """Show or hide parked, killed and shipped projects in the ranking and on the grid."""
        if self.session is None:
            return
        self.include_closed = not self.include_closed
        self.refresh_views()
        shown = "shown" if self.include_closed else "hidden (A shows them)"
        self.tell(f"parked, killed and shipped projects {shown}")

    def action_toggle_pessimistic(self) -> None:
        """Rank by the low ends of the score ranges, or back to the expected scores (not saved)."""
        if self.session is None:
            return
        current = self.pessimistic
        if current is None:
            current = self.session.portfolio.settings.rank_by == "pessimistic"
        self.pessimistic = not current
        self.refresh_views()
        basis = "pessimistic (low ends of the ranges)" if self.pessimistic else "expected scores"
        self.tell(f"ranking by {basis}; P switches, the file's rank_by is unchanged")

    def refresh_views(self, dashboard: Dashboard | None = None) -> None:
        """Recompute `core`'s projections for the current portfolio and redraw every view.

        `dashboard` is the current portfolio's projections when the caller has them.
        """
        from core.views.dashboard import build_dashboard
        from tui.screens import EditorScreen
        from tui.settings_screen import SettingsScreen
        from tui.widgets.board import KanbanBoard
        from tui.widgets.grid import ImpactGrid
        from tui.widgets.legend import GridLegend

        assert self.session is not None
        portfolio = self.session.portfolio
        include = self.include_closed
        if self.pessimistic is not None:
            from core.views.ranking import ranked_pessimistically

            portfolio = ranked_pessimistically(portfolio, self.pessimistic)
            dashboard = None  # computed elsewhere on the file's own rank_by
        if dashboard is None or dashboard.include_closed != include:
            dashboard = build_dashboard(
                portfolio, self.session.now(), self.dashboard, include_closed=include
            )
        self.dashboard = dashboard
        if self.selected is None or self.selected not in self.dashboard.by_id:
            self.selected = self.dashboard.ranking[0] if self.dashboard.ranking else None
        selected = self.selected
        self.query_one(ImpactGrid).show(
            self.dashboard.points, portfolio.settings, selected, self.dashboard.moves
        )
        self.query_one(GridLegend).show(
            self.dashboard.points, portfolio.settings, selected, unplaced=self.dashboard.unplaced
        )
        self.query_one(KanbanBoard).show(self.dashboard.columns, selected)
        self._ranking_stale = True
        self._show_ranking_if_visible()
        self._show_selected_project()
        self._draw_viewbar()
        self.draw_status()
        self.refresh_bindings()
        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                screen.refresh_project()
            elif isinstance(screen, SettingsScreen):
                screen.refresh_settings()

    def project(self, project_id: str | None) -> Project | None:
        """The current portfolio's project with this id, in constant time."""
        if project_id is None or self.dashboard is None:
            return None
        return self.dashboard.by_id.get(project_id)

    def _show_selected_project(self) -> None:
        """Give the panel the selected project, or note that it needs it once shown."""
        from tui.widgets.panel import MetricPanel

        assert self.session is not None
        panel = self.query_one(MetricPanel)
        if not panel.display:
            self._panel_stale = True  # a hidden panel re-laid out on every key is wasted work
            return
        self._panel_stale = False
        panel.show(self.project(self.selected), self.session.portfolio.settings)

    def watch_selected(self, selected: str | None) -> None:
        if self.session is None or self.dashboard is None:
            return
        self._sync_selection()
        self._show_selected_project()
        self.draw_status()

    def _sync_selection(self) -> None:
        """Move the highlight in the views on screen; a hidden one catches up when shown.

        A hidden view that followed every key would repaint, scroll and post
        messages for nothing: work per key that nobody sees.
        """
        from tui.widgets.board import KanbanBoard
        from tui.widgets.grid import ImpactGrid
        from tui.widgets.legend import GridLegend
        from tui.widgets.ranking import RankingTable

        selected = self.selected
        shown = self._shown
        views: list[ImpactGrid | GridLegend | KanbanBoard] = []
        if "grid" in shown:
            views += [self.query_one(ImpactGrid), self.query_one(GridLegend)]
        if "board" in shown:
            views.append(self.query_one(KanbanBoard))
        for view in views:
            if view.selected != selected:
                view.selected = selected
        ranking = self.query_one(RankingTable)
        filled = "ranking" in shown and not self._ranking_stale
        if filled and selected is not None and ranking.selected != selected:
            ranking.select(selected)

    def _follow_view(self, project_id: str | None) -> None:
        """A view's selection moved: every other view follows in the same frame.

        The views also post `ProjectSelected`, but a message arrives after the
        screen has drawn the key's first frame, so following it would cost a
        second frame per key; watching their `selected` is synchronous.
        """
        if project_id is not None:
            self.selected = project_id

    def _show_ranking_if_visible(self) -> None:
        """Fill the ranking table only when it is on screen: a hidden table costs start-up."""
        from tui.widgets.ranking import RankingTable

        ranking = self.query_one(RankingTable)
        if self._ranking_stale and ranking.display and self.dashboard is not None:
            ranking.show(self.dashboard.rows, self.selected)
            self._ranking_stale = False

    # ------------------------------------------------------------ status line

    def draw_status(self) -> None:
        """The top line: portfolio, selection, save state and the latest notice."""
        if self.session is None:
            return
        portfolio = self.session.portfolio
        project = self.project(self.selected)
        parts = [Content(" "), self.persistence.status_content()]
        if self.read_only:
            parts.append(Content.styled(" · READ-ONLY: editing disabled", "bold"))
        parts.append(Content.styled(f" · {plain(portfolio.settings.name)}", "bold"))
        parts.append(Content(f" · {plain(self.path.name)}"))
        if project is not None:
            parts.append(Content.styled(f" · ▸ {plain(project.title)}", "italic"))
        if portfolio.conflicts:
            count = len(portfolio.conflicts)
            label = f" · {count} UNRESOLVED MERGE CONFLICT{'S' if count != 1 else ''}"
            parts.append(Content.styled(label, "bold reverse"))
        if self._notice:
            parts.append(Content(f" · {plain(self._notice)}"))
        self.query_one(StatusLine).show(Content.assemble(*parts))

    def tell(self, message: str, *, error: bool = False) -> None:
        """Say something briefly, in the status line and as a toast; always plain text."""
        self._notice = message
        self.notify(plain(message), severity="error" if error else "information", markup=False)
        self.draw_status()

    # ------------------------------------------------------------------ edits

    def apply_edit(self, edit: Edit) -> bool:
        """Apply an edit to the session, redraw and save; False (and a message) if refused."""
        from core.edits.changes import EditError

        if self.session is None or self.read_only:
            return False
        try:
            self.session.apply(edit)
        except EditError as error:
            self.tell(str(error), error=True)
            return False
        self._notice = edit.describe()
        self.after_change()
        return True

    def after_change(self) -> None:
        """The session's portfolio changed here: redraw and save."""
        self.refresh_views()
        self.persistence.schedule_save()

    def action_undo(self) -> None:
        """Undo this session's last edit."""
        from core.edits.changes import EditError

        if self.session is None:
            return
        try:
            done = self.session.undo()
        except EditError as error:
            self.tell(f"cannot undo: {error}", error=True)
            return
        if done is None:
            self.tell("nothing to undo")
            return
        self._notice = f"undid: {done.edit.describe()}"
        self.after_change()

    def action_redo(self) -> None:
        """Redo the last undone edit."""
        from core.edits.changes import EditError

        if self.session is None:
            return
        try:
            done = self.session.redo()
        except EditError as error:
            self.tell(f"cannot redo: {error}", error=True)
            return
        if done is None:
            self.tell("nothing to redo")
            return
        self._notice = f"redid: {done.edit.describe()}"
        self.after_change()

    # ------------------------------------------------------- disk and saving

    def on_save_finished(self, message: SaveFinished) -> None:
        if self.persistence.save_finished(message):
            self.refresh_views()  # re-applied over someone else's save, or an edit was dropped
        self.draw_status()
        self.refresh_bindings()
        if self._quit in ("wait", "wait-forced"):
            self.quit_after_saving(forced=self._quit == "wait-forced")

    _quit = ""
    """Where a quit stands: "" none asked, "wait" / "wait-forced" for a save to land,
    "ask" told that the last edits could not be saved (the next `q` quits anyway)."""

    async def action_quit(self) -> None:
        """Quit once every edit is on disk: a save under way is waited for, never cut off."""
        self.quit_after_saving()

    def quit_after_saving(self, *, forced: bool = False) -> None:
        """Exit now if nothing waits to be saved; else exit when the save in hand lands.

        A failed save asks first (a second `q` quits without the edits, `W` saves
        them elsewhere); a hang-up or SIGTERM (`forced`) does not wait for an answer.
        """
        if self.session is None or self.read_only:
            self.exit()
            return
        state = self.persistence.state
        if not (state.saving or state.dirty):
            self.exit()
            return
        forced = forced or self._quit == "wait-forced"
        if state.error and not state.saving:
            if forced or self._quit == "ask":
                self.exit()
                return
            self._quit = "ask"
            self.tell(
                "your last edits are not saved (the save failed): q again quits without them,"
                " W saves them elsewhere",
                error=True,
            )
            return
        self._quit = "wait-forced" if forced else "wait"
        self.tell("saving before quitting…")

    def on_disk_changed(self, message: DiskChanged) -> None:
        self.persistence.disk_changed(message)

    def take_from_disk(self, portfolio: Portfolio) -> tuple[Rejected, ...]:
        """Show a version of the file someone else saved, keeping the selection.

        Unsaved edits of this session are replayed on top; those that no longer
        apply are returned (and dropped) for the caller to tell.
        """
        assert self.session is not None
        dropped = self.session.replace(portfolio)
        self.refresh_views()
        return dropped

    def action_retry_save(self) -> None:
        """Try the failed save again."""
        self.persistence.schedule_save()

    def action_save_elsewhere(self) -> None:
        """Ask for another file name in the portfolio's folder and save the portfolio there."""
        from tui import save_as

        save_as.ask(self, self.persistence.save_as)

    # ---------------------------------------------------------------- actions

    def action_show_view(self, name: str) -> None:
        """Switch to a view (on a wide terminal, the first three share the screen)."""
        if name in VIEWS:
            self.view = name

    def action_cycle_view(self, step: int) -> None:
        """Go to the next or previous view."""
        self.view = VIEWS[(VIEWS.index(self.view) + step) % len(VIEWS)]

    def action_move_forward(self) -> None:
        """Move the selected project forward one stage."""
        self.lifecycle.forward()

    def action_move_back(self) -> None:
        """Send the selected project back to an earlier stage, with a reason."""
        self.lifecycle.back()

    def action_move_outcome(self) -> None:
        """Park, kill or ship the selected project."""
        self.lifecycle.outcome()

    def action_move_resume(self) -> None:
        """Resume a parked project."""
        self.lifecycle.resume()

    def action_show_history(self) -> None:
        """Show the selected project's history."""
        from tui.screens import HistoryScreen

        project = self.selected_project()
        if project is not None:
            self.push_screen(HistoryScreen(project))

    def action_show_findings(self) -> None:
        """Show the selected project's findings with their texts."""
        from tui.findings_screen import FindingsScreen

        project = self.selected_project()
        if project is not None and self.dashboard is not None:
            self.push_screen(FindingsScreen(project, self.dashboard.findings.get(project.id, ())))

    def action_show_settings(self) -> None:
        """Show the portfolio settings, editable unless the session is read-only."""
        from tui.settings_screen import SettingsScreen

        if self.session is not None:
            self.push_screen(SettingsScreen(self))

    def action_flow(self) -> None:
        """Show the Flow view of the portfolio, the selected project's timeline first."""
        from tui.flow.screen import FlowScreen

        if self.session is not None:
            now, path = self.session.now(), self.path
            self.push_screen(FlowScreen(self.session.portfolio, now, self.selected, path))

    def action_rate_project(self) -> None:
        """Rate the selected project (tui/ratings/screen.py)."""
        from tui.ratings.screen import RatingScreen

        project = self.selected_project()
        if project is not None:
            self.push_screen(RatingScreen(project.id))

    def action_edit_project(self) -> None:
        """Open the project editor."""
        self.projects.edit()

    def action_add_project(self) -> None:
        """Add a new project."""
        self.projects.add()

    def action_duplicate_project(self) -> None:
        """Duplicate the selected project."""
        self.projects.duplicate()

    def action_delete_project(self) -> None:
        """Delete the selected project, after asking."""
        self.projects.delete()

    def action_search(self) -> None:
        """Search titles and ids in the ranking."""
        from tui.widgets.ranking import RankingTable

        self.view = "ranking"
        self.query_one(RankingTable).action_open_search()

    def action_help(self) -> None:
        """Show every key."""
        from tui.screens import HelpScreen
        from tui.widgets.board import KanbanBoard
        from tui.widgets.grid import ImpactGrid
        from tui.widgets.legend import GridLegend
        from tui.widgets.panel import MetricPanel
        from tui.widgets.ranking import RankingTable

        widget_keys: list[tuple[str, str, str]] = []
        for name, cls in (
            ("Grid", ImpactGrid),
            ("Legend", GridLegend),
            ("Board", KanbanBoard),
            ("Metrics", MetricPanel),
            ("Ranking", RankingTable),
        ):
            for binding in cls.BINDINGS:
                if isinstance(binding, Binding) and binding.description:
                    widget_keys.append((name, binding.key, binding.description))
        self.push_screen(HelpScreen(widget_keys))

    def selected_project(self) -> Project | None:
        """The selected project, or None (with a message) when nothing is selected."""
        if self.session is None or self.selected is None:
            self.tell("select a project first")
            return None
        return self.project(self.selected)

    def move(self, request: MoveRequest, *, override: bool = False) -> bool:
        """Apply a stage move for the selected project."""
        return self.lifecycle.apply(request, override=override)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session is None:
            return action in ("quit", "help", "command_palette")
        from tui.screens import EditorScreen

        if isinstance(self.screen, EditorScreen) and action not in EDITOR_ACTIONS:
            return False
        if action in keymap.EDITING_ACTIONS and self.read_only:
            # in a browser, exports and snapshots are downloads: nothing is written here
            return self.is_web and action in keymap.DOWNLOAD_ACTIONS
        if action == "retry_save":
            return self.persistence.failed
        if action == "search":  # a priority binding: "/" typed in a text box is text
            return self.screen is self.screen_stack[0] and not isinstance(self.focused, Input)
        return True

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands, less those that write files, then every action of ours."""
        for command in super().get_system_commands(screen):
            if command.title not in TEXTUAL_COMMANDS_THAT_WRITE:
                yield command
        if self.session is None:
            return
        for spec in keymap.ACTIONS:
            name = spec.action.split("(")[0]
            if self.check_action(name, ()) is False or spec.id == "quit":
                continue
            yield SystemCommand(
                f"{spec.description} ({keymap.key_label(spec)})",
                spec.help,
                partial(self.call_later, self.run_action, spec.action),
            )

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Textual's screenshot writes where it likes: ours is the SVG export, through the gate."""
        self.deliver_screenshot(filename, path)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Never save a screenshot outside the gate: point to the export (`X`, SVG) instead."""
        self.tell("screenshots are not saved here: X exports an SVG of the screen", error=True)
        return None

    # ------------------------------------------------------ reports and triage

    @cached_property
    def reports(self) -> ReportActions:
        """Exports, snapshots and the changes marks; imported on first use to keep start-up lean."""
        from tui.dashboard.reports import ReportActions

        return ReportActions(self)

    @cached_property
    def triage(self) -> TriageActions:
        """Triage sessions; imported on first use."""
        from tui.triage.start import TriageActions

        return TriageActions(self)

    def changes_legend(self) -> Content | None:
        """The view bar's legend for the changes marks, e.g. '◆ changed since triage-… (3)'."""
        if self.changes_label is None:
            return None
        return Content.styled(
            f"  ◆ changed since {plain(self.changes_label)} ({len(self.changed_ids)})", "bold"
        )

    def show_changes(self, label: str | None, changed: frozenset[str]) -> None:
        """Mark the projects changed since the snapshot `label` on the grid, its legend and
        the board, and name it in the view bar (None: clear the marks)."""
        from tui.widgets.board import KanbanBoard
        from tui.widgets.grid import ImpactGrid
        from tui.widgets.legend import GridLegend

        self.changes_label = label
        self.changed_ids = changed
        try:  # the views are on the dashboard's screen: not there under another one
            self.query_one(ImpactGrid).show_highlight(changed)
            self.query_one(GridLegend).show_highlight(changed)
            self.query_one(KanbanBoard).show_highlight(changed)
        except NoMatches:
            pass
        self.draw_viewbar()

    def show_busy(self, busy: bool) -> None:
        """A loading indicator over the dashboard's panes (while an export runs)."""
        try:
            self.query_one("#panes").loading = busy
        except NoMatches:  # another screen is on top
            return

    def draw_viewbar(self) -> None:
        """Redraw the view bar, whose legend follows the changes marks."""
        if self.session is not None:
            self._draw_viewbar()

    def action_export(self) -> None:
        """Export the portfolio (Markdown, HTML, JSON, CSV or an SVG of the screen)."""
        self.reports.export()

    def action_snapshot(self) -> None:
        """Write a labelled snapshot of the portfolio now."""
        self.reports.snapshot()

    def action_changes_since(self) -> None:
        """Mark the projects that moved since a snapshot; again, clear the marks."""
        self.reports.changes()

    def action_triage(self) -> None:
        """Start a triage session."""
        self.triage.start()
