"""Who changed what between two versions of a portfolio, in one short line.

When someone else saves the file a session has open, the session takes their
version in and says so briefly: "bob moved Churn prediction to data · carol
changed 2 projects". Authors come from what each project records: the last
history entry for a move, `updated_by` otherwise. (`core.compare.diff` is the full,
snapshot-to-snapshot comparison; this is the one-line notice.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from core.models import Portfolio, Project, Stage

ChangeKind: TypeAlias = Literal["added", "removed", "moved", "changed", "rated", "settings"]

UNKNOWN_AUTHOR = "someone"
"""Who a change is put down to when nothing records it (a removal, a hand edit)."""

TITLE_LIMIT = 40
"""Titles longer than this are shortened in a notice."""


@dataclass(frozen=True, slots=True)
class Change:
    """One project (or the settings) that differs between two versions, and who changed it."""

    kind: ChangeKind
    project_id: str
    title: str
    by: str
    stage: Stage | None = None
    """Where a moved project went."""


def summarise_changes(old: Portfolio, new: Portfolio) -> tuple[Change, ...]:
    """The changes from `old` to `new`: projects added, moved, changed, removed, then settings.

    Moving projects around in the file without changing them is not a change.
    """
    before = {project.id: project for project in old.projects}
    changes: list[Change] = []
    for project in new.projects:
        previous = before.pop(project.id, None)
        if previous is None:
            changes.append(Change("added", project.id, project.title, _author(project)))
        elif previous is not project and previous != project:
            changes.append(_changed(previous, project))
    for project in before.values():
        changes.append(Change("removed", project.id, project.title, UNKNOWN_AUTHOR))
    if old.settings != new.settings:
        changes.append(Change("settings", "", "settings", UNKNOWN_AUTHOR))
    return tuple(changes)


def _author(project: Project) -> str:
    return project.updated_by or UNKNOWN_AUTHOR


def _changed(previous: Project, project: Project) -> Change:
    """A moved project (its stage differs) or a changed one, put down to whoever did it."""
    if previous.stage == project.stage:
        kind: ChangeKind = "rated" if _only_ratings(previous, project) else "changed"
        return Change(kind, project.id, project.title, _author(project))
    grew = len(project.history) > len(previous.history)
    by = project.history[-1].by if grew and project.history[-1].by else _author(project)
    return Change("moved", project.id, project.title, by, project.stage)


def _only_ratings(previous: Project, project: Project) -> bool:
    """Whether the ratings are all that changed (besides who last touched it, and when)."""
    if previous.ratings == project.ratings:
        return False
    same = {"ratings": (), "updated_at": None, "updated_by": ""}
    return previous.model_copy(update=same) == project.model_copy(update=same)


def describe_changes(changes: tuple[Change, ...], limit: int = 3) -> str:
    """One line, grouped by author: "bob moved Churn to data · carol changed 2 projects".

    An author with one change gets a sentence about it; with several, a count.
    At most `limit` authors are named; the rest are counted.
    """
    by_author: dict[str, list[Change]] = {}
    for change in changes:
        by_author.setdefault(change.by, []).append(change)
    parts = [_sentence(author, own) for author, own in by_author.items()]
    if len(parts) > limit:
        rest = len(parts) - limit + 1
        parts = [*parts[: limit - 1], f"{rest} others made changes"]
    return " · ".join(parts)


def _sentence(author: str, changes: list[Change]) -> str:
    if len(changes) > 1:
        kinds = {change.kind for change in changes}
        verb = "moved" if kinds == {"moved"} else "changed"
        projects = [change for change in changes if change.kind != "settings"]
        count = len(projects)
        what = f"{count} project{'s' if count != 1 else ''}" if projects else "the settings"
        if projects and len(projects) < len(changes):
            what += " and the settings"
        return f"{author} {verb} {what}"
    change = changes[0]
    title = _short(change.title)
    if change.kind == "moved" and change.stage is not None:
        return f"{author} moved {title} to {change.stage.value}"
    if change.kind == "settings":
        return f"{author} changed the settings"
    return f"{author} {change.kind} {title}"


def _short(title: str) -> str:
    text = " ".join(title.split())
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1] + "…"
