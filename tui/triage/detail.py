"""The triage screen's detail pane for one agenda item, built as `Content` from plain data.

Why the project is on the agenda, its key figures (`core.triage.key_figures`)
and the decision taken or the keys that take one: lines only, no widget, so
the screen stays small and the wording sits in one place.
"""

from __future__ import annotations

from textual.content import Content

from core.models import Project
from core.triage import REASON_TITLES, AgendaItem, Decision, allowed_decisions
from tui.text import plain
from tui.triage.dialogs import DECISION_KEYS

EMPTY_AGENDA = Content(
    "Nothing on the agenda: every active project was triaged recently and shows"
    " no reason for a look. e ends the session and writes the snapshot."
)
"""What the pane says when the agenda is empty."""


def item_detail(
    item: AgendaItem,
    position: tuple[int, int],
    project: Project | None,
    figures: tuple[tuple[str, str], ...] | None,
    decision: Decision | None,
) -> Content:
    """The pane for `item`, number `position[0]` of `position[1]`; `project` is None once it
    left the portfolio, `figures` None when there are none to show."""
    parts = [
        Content.styled(plain(item.title), "bold"),
        Content(f"\n{position[0]}/{position[1]} · {item.project_id} · rank {item.rank}\n\n"),
        Content.styled("Why it is on the agenda\n", "bold underline"),
    ]
    for reason in item.reasons:
        parts.append(Content(f" • {REASON_TITLES[reason.kind]}: {plain(reason.text)}\n"))
    if project is None:
        parts.append(Content("\nThis project is no longer in the portfolio.\n"))
    elif figures is not None:
        parts.append(Content.styled("\nKey figures\n", "bold underline"))
        width = max(len(label) for label, _ in figures) + 2
        for label, value in figures:
            parts.append(Content(f" {label.ljust(width)}{plain(value)}\n"))
    parts.append(Content.styled("\nDecision\n", "bold underline"))
    if decision is None and project is not None:
        allowed = allowed_decisions(project)
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


__all__ = ["EMPTY_AGENDA", "item_detail"]
