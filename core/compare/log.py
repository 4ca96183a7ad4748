"""A portfolio diff in a few words, for one line of `mlfolio log`.

`summarize(diff)` picks what a reader of a history scans for: projects added
and removed, stage moves (a loop back marked as such), quadrant flips, new
winners, models added, checklist items closed, settings changed. Each is a
short phrase naming the project by id; `project` keeps one project's.
"""

from __future__ import annotations

from core.compare.changes import PortfolioDiff, ProjectDiff
from core.models import Portfolio, TransitionKind
from core.rules.evaluation import evaluate
from core.rules.priority import assess, quadrant_name

__all__ = ["project_lines", "summarize", "touches"]

_ARROW = "→"


def _project_phrases(change: ProjectDiff) -> list[str]:
    phrases: list[str] = []
    pid = change.project_id
    if change.stage is not None:
        move = f"{change.stage.from_stage.value}{_ARROW}{change.stage.to_stage.value}"
        if change.stage.from_stage == change.stage.to_stage:
            move = f"round a loop to {change.stage.to_stage.value}"
        back = " (back)" if change.stage.kind is TransitionKind.BACK else ""
        phrases.append(f"{pid} {move}{back}")
    if change.grid is not None and change.grid.quadrant_changed:
        phrases.append(f"{pid} {change.grid.label_before}{_ARROW}{change.grid.label_after}")
    if change.winner is not None:
        after = change.winner.after or "no winner"
        phrases.append(f"{pid} winner {after}")
    added = [m.model for m in change.models if m.added]
    if added:
        phrases.append(f"{pid} +model {', '.join(added)}")
    closed = [c.item for c in change.checklist if c.closed]
    if closed:
        phrases.append(f"{pid} ticked {', '.join(closed)}")
    return phrases


def touches(diff: PortfolioDiff, project: str) -> bool:
    """Whether the diff shows any change to the project with this id."""
    return (
        any(a.project_id == project for a in diff.added)
        or any(r.project_id == project for r in diff.removed)
        or diff.project(project) is not None
    )


def summarize(diff: PortfolioDiff, project: str | None = None) -> list[str]:
    """Short phrases for the changes in `diff` (only `project`'s when given), most telling first."""
    phrases: list[str] = []
    for added in diff.added:
        if project in (None, added.project_id):
            phrases.append(f"+{added.project_id} ({added.stage.value}, {added.quadrant_label})")
    for removed in diff.removed:
        if project in (None, removed.project_id):
            phrases.append(f"-{removed.project_id}")
    for change in diff.changed:
        if project in (None, change.project_id):
            phrases.extend(_project_phrases(change))
    if project is None:
        phrases.extend(f"setting {s.name} {s.before}{_ARROW}{s.after}" for s in diff.settings)
    return phrases


def project_lines(portfolio: Portfolio) -> list[str]:
    """The portfolio as one line per fact a reviewer follows, for git's line diffs.

    Settings first, then per project its stage, place on the grid, winner and
    checklist; a line diff of two such texts reads as a semantic change list.
    """
    settings = portfolio.settings
    lines = [f"portfolio {settings.name}"]
    lines.extend(
        f"conflict {c.path}: ours {c.ours} / theirs {c.theirs}" for c in portfolio.conflicts
    )
    for project in portfolio.projects:
        placed = assess(project, settings)
        winner = evaluate(project).winner if project.models else None
        ticked = sum(1 for value in project.checklist.model_dump().values() if value)
        lines.append(
            f"{project.id}: {project.title} | {project.stage.value}"
            f" | {quadrant_name(placed.quadrant, settings.quadrant_names)}"
            f" (impact {placed.impact:.2f}, feasibility {placed.feasibility:.2f})"
            f" | winner {winner or '-'} | checklist {ticked}/{len(project.checklist.model_dump())}"
        )
    return lines
