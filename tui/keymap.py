"""Every app-level action in one table: its key, footer entry, palette entry and help line.

Bindings, the help screen and the command palette are all generated from this
table, so a new action cannot be reachable one way and missing from another.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One user action of the dashboard."""

    id: str
    keys: str
    """Comma-separated Textual key names; the first is the one shown."""
    action: str
    description: str
    """Short label for the footer."""
    help: str
    """One sentence for the help screen and the command palette."""
    footer: bool = True
    edits: bool = False
    """Whether the action writes: changes the portfolio or writes any file on the machine
    mlfolio runs on (disabled for read-only sessions, e.g. viewers through `mlfolio serve`)."""
    group: str = "General"
    downloads: bool = False
    """Whether, in a browser session (`mlfolio web`), the action delivers a file to the
    browser instead of writing one: it writes nothing there, so read-only sessions keep it."""


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "view.grid",
        "1",
        "show_view('grid')",
        "Grid",
        "Show the impact / feasibility grid",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "view.board",
        "2",
        "show_view('board')",
        "Board",
        "Show the lifecycle kanban",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "view.panel",
        "3",
        "show_view('panel')",
        "Metrics",
        "Show the metric and baseline panel",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "view.ranking",
        "4",
        "show_view('ranking')",
        "Ranking",
        "Show the ranking table",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "view.flow",
        "5",
        "flow",
        "Flow",
        "Show the Flow view: cycle times, loops, WIP",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "view.next",
        "tab",
        "cycle_view(1)",
        "Next view",
        "Go to the next view",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "move.forward",
        "f",
        "move_forward",
        "Forward",
        "Move the selected project forward one stage",
        edits=True,
        group="Lifecycle",
    ),
    ActionSpec(
        "move.back",
        "b",
        "move_back",
        "Back",
        "Send the selected project back to an earlier stage, with a reason",
        edits=True,
        group="Lifecycle",
    ),
    ActionSpec(
        "move.outcome",
        "o",
        "move_outcome",
        "Outcome",
        "Park, kill or ship the selected project",
        edits=True,
        group="Lifecycle",
    ),
    ActionSpec(
        "move.resume",
        "r",
        "move_resume",
        "Resume",
        "Resume a parked project",
        footer=False,
        edits=True,
        group="Lifecycle",
    ),
    ActionSpec(
        "project.history",
        "H",
        "show_history",
        "History",
        "Show the selected project's history (who, when, from, to, why)",
        group="Lifecycle",
    ),
    ActionSpec(
        "project.findings",
        "w",
        "show_findings",
        "Findings",
        "Show the selected project's findings: each warning and info, with its text",
        footer=False,
        group="Projects",
    ),
    ActionSpec(
        "project.rate",
        "v",
        "rate_project",
        "Rate",
        "Rate the selected project's lenses and cost drivers; reveal the team's spread",
        footer=False,
        group="Projects",
    ),
    ActionSpec(
        "project.edit",
        "e",
        "edit_project",
        "Edit",
        "Edit every field of the selected project",
        group="Projects",
    ),
    ActionSpec(
        "project.add",
        "a",
        "add_project",
        "Add",
        "Add a new project",
        footer=False,
        edits=True,
        group="Projects",
    ),
    ActionSpec(
        "project.duplicate",
        "c",
        "duplicate_project",
        "Duplicate",
        "Duplicate the selected project",
        footer=False,
        edits=True,
        group="Projects",
    ),
    ActionSpec(
        "project.delete",
        "x,delete",
        "delete_project",
        "Delete",
        "Delete the selected project (asks first)",
        footer=False,
        edits=True,
        group="Projects",
    ),
    ActionSpec(
        "edit.undo", "u,ctrl+z", "undo", "Undo", "Undo your last edit", edits=True, group="Editing"
    ),
    ActionSpec(
        "edit.redo",
        "U,ctrl+y",
        "redo",
        "Redo",
        "Redo the edit you undid",
        footer=False,
        edits=True,
        group="Editing",
    ),
    ActionSpec(
        "save.retry",
        "R",
        "retry_save",
        "Retry save",
        "Try the failed save again",
        edits=True,
        group="Editing",
    ),
    ActionSpec(
        "save.elsewhere",
        "W",
        "save_elsewhere",
        "Save as",
        "Save the portfolio to another file",
        edits=True,
        group="Editing",
    ),
    ActionSpec(
        "search",
        "slash",
        "search",
        "Search",
        "Search project titles and ids in the ranking",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "triage",
        "t",
        "triage",
        "Triage",
        "Start a triage session: an agenda of projects that need a look, decided one by one",
        edits=True,
        group="Reports",
    ),
    ActionSpec(
        "report.export",
        "X",
        "export",
        "Export",
        "Export the portfolio as Markdown, HTML, JSON, CSV or an SVG of the screen",
        edits=True,
        downloads=True,
        group="Reports",
    ),
    ActionSpec(
        "report.snapshot",
        "N",
        "snapshot",
        "Snapshot",
        "Write a labelled, timestamped snapshot of the portfolio now",
        footer=False,
        edits=True,
        downloads=True,
        group="Reports",
    ),
    ActionSpec(
        "report.changes",
        "C",
        "changes_since",
        "Changes",
        "Mark the projects that moved since a snapshot on the grid and board; again clears",
        footer=False,
        group="Reports",
    ),
    ActionSpec(
        "view.closed",
        "A",
        "toggle_closed",
        "All projects",
        "Show or hide parked, killed and shipped projects in the ranking and on the grid",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "ranking.pessimistic",
        "P",
        "toggle_pessimistic",
        "Pessimistic",
        "Rank by the low ends of the score ranges (pessimistic), or back to expected scores",
        footer=False,
        group="Views",
    ),
    ActionSpec(
        "portfolio.settings",
        "comma",
        "show_settings",
        "Settings",
        "Show and change the portfolio settings: thresholds, weights, quadrant names, ranking",
        footer=False,
        group="Editing",
    ),
    ActionSpec("help", "question_mark", "help", "Help", "List every key", group="General"),
    ActionSpec("quit", "q", "quit", "Quit", "Quit mlfolio", group="General"),
)
"""The dashboard's actions, in the order the help screen lists them."""


FOOTER_FIRST = "help"
"""The footer shows this action first: a narrow terminal cuts the footer's end, never `? Help`."""


def bindings() -> list[BindingType]:
    """Textual bindings for every action, each with its id for user keymaps (help first)."""
    ordered = sorted(ACTIONS, key=lambda spec: spec.id != FOOTER_FIRST)
    return [
        Binding(spec.keys, spec.action, spec.description, show=spec.footer, id=spec.id)
        for spec in ordered
    ]


def key_label(spec: ActionSpec) -> str:
    """The keys of an action as a person would type them."""
    names = {"slash": "/", "question_mark": "?", "delete": "Del", "comma": ","}
    return " / ".join(names.get(k, k) for k in spec.keys.split(","))


EDITING_ACTIONS = frozenset(spec.action.split("(")[0] for spec in ACTIONS if spec.edits)
"""Action names a read-only session disables."""

DOWNLOAD_ACTIONS = frozenset(spec.action.split("(")[0] for spec in ACTIONS if spec.downloads)
"""Editing actions a read-only browser session keeps: there they deliver a download."""
