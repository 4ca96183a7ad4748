"""A portfolio diff for people (text, Markdown) and for programs (JSON).

Only differences are shown: an empty diff renders as one line saying so (or
`"empty": true` in JSON). Text for a terminal has its control characters
stripped; Markdown escapes every piece of user text.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Literal, get_args

from core.compare.changes import FieldChange, GridChange, PortfolioDiff, ProjectDiff, StageChange
from core.models import TransitionKind
from core.rules.evaluation import format_number
from core.rules.lifecycle import reason_words
from portfolio.exports.text import axis, clean, md, plural, score

__all__ = [
    "DIFF_FORMATS",
    "DiffFormat",
    "change_lines",
    "diff_json",
    "diff_markdown",
    "diff_text",
    "render_diff",
    "summary_line",
]

DiffFormat = Literal["text", "md", "json"]
"""The formats a diff renders to."""

DIFF_FORMATS: tuple[DiffFormat, ...] = get_args(DiffFormat)

DIFF_JSON_VERSION = 1
"""The version of the JSON diff's shape (see docs/exports.md)."""

_KIND_WORDS = {
    TransitionKind.FORWARD: "forward",
    TransitionKind.BACK: "back-edge",
    TransitionKind.OUTCOME: "outcome",
    TransitionKind.RESUME: "resumed",
}


def summary_line(diff: PortfolioDiff) -> str:
    """'2 added, 1 removed, 3 changed', or 'no differences'."""
    if diff.is_empty:
        return "no differences"
    parts = []
    if diff.added:
        parts.append(f"{len(diff.added)} added")
    if diff.removed:
        parts.append(f"{len(diff.removed)} removed")
    if diff.changed:
        parts.append(f"{len(diff.changed)} changed")
    if diff.settings:
        parts.append(plural(len(diff.settings), "setting") + " changed")
    if diff.order is not None:
        parts.append("projects reordered")
    return ", ".join(parts)


def _stage_line(change: StageChange) -> str:
    stages = [change.from_stage.value, *(step.to_stage.value for step in change.steps)]
    if not change.steps or stages[-1] != change.to_stage.value:
        stages = [change.from_stage.value, change.to_stage.value]
    kind = _KIND_WORDS[change.kind]
    reason = clean(reason_words(change.reason_code, change.reason))
    return f"stage: {' → '.join(stages)} ({kind}{': ' + reason if reason else ''})"


def _grid_line(change: GridChange) -> str:
    if change.quadrant_changed:
        head = f"quadrant: {change.label_before} → {change.label_after}"
    else:
        head = f"moved within {change.label_after}"
    parts = [f"score {score(change.score_before)} → {score(change.score_after)}"]
    if abs(change.impact_before - change.impact_after) > 1e-9:
        parts.append(f"impact {axis(change.impact_before)} → {axis(change.impact_after)}")
    if abs(change.feasibility_before - change.feasibility_after) > 1e-9:
        parts.append(
            f"feasibility {axis(change.feasibility_before)} → {axis(change.feasibility_after)}"
        )
    text = f"{head}: {', '.join(parts)}"
    if change.causes:
        causes = ", ".join(
            f"{c.name} {format_number(c.before, 3)} → {format_number(c.after, 3)}"
            for c in change.causes
        )
        text += f"; because {causes}"
    return text


_VALUE_WIDTH = 60
"""Longer values are cut (with an ellipsis) in text and Markdown; JSON has them whole."""


def _value(value: object) -> str:
    shown = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return shown if len(shown) <= _VALUE_WIDTH else shown[: _VALUE_WIDTH - 1] + "…"


def field_line(change: FieldChange, prefix: str = "") -> str:
    """One changed field: 'owner: "ann" → "bob"', or 'metrics[recall]: added {...}'."""
    path = change.path.removeprefix(prefix).removeprefix(".")
    if change.kind == "added":
        return f"{path}: added {_value(change.after)}"
    if change.kind == "removed":
        return f"{path}: removed (was {_value(change.before)})"
    return f"{path}: {_value(change.before)} → {_value(change.after)}"


def change_lines(change: ProjectDiff) -> list[str]:
    """One project's changes, one plain line each, in a fixed order."""
    lines: list[str] = []
    if change.stage is not None:
        lines.append(_stage_line(change.stage))
    if change.grid is not None:
        lines.append(_grid_line(change.grid))
    for t in change.thresholds:
        fresh = " (new threshold)" if t.new_threshold else ""
        lines.append(f"threshold: {t.model} now {t.phrase}{fresh}")
    for m in change.models:
        if m.added:
            lines.append(f"model added: {m.model}: {m.phrase}")
        else:
            lines.append(f"model removed: {m.model}")
    if change.winner is not None:
        before = change.winner.before or "none"
        after = change.winner.after or "none"
        lines.append(f"winner: {before} → {after} ({change.winner.phrase})")
    for b in change.baselines:
        lines.append(
            f"tightest baseline on {b.metric}: {b.before or 'none'} → {b.after or 'none'}"
            f" ({b.phrase})"
        )
    for hint in change.hints:
        now = hint.phrase or "no hint"
        lines.append(f"hint on {hint.metric}: {hint.before or 'none'} → {now}")
    for item in change.checklist:
        verb = "closed" if item.closed else "reopened"
        lines.append(f"checklist: {verb} “{item.wording}”")
    lines.extend(f"rating: {rating.phrase}" for rating in change.ratings)
    prefix = f"projects[{change.project_id}]"
    lines.extend(field_line(f, prefix) for f in change.fields)
    return [clean(line) for line in lines]


def _added_line(diff: PortfolioDiff) -> list[str]:
    return [
        f"{a.project_id}: {a.title} ({a.stage.value}, {a.quadrant_label}, score {score(a.score)})"
        for a in diff.added
    ]


def _removed_line(diff: PortfolioDiff) -> list[str]:
    return [
        f"{r.project_id}: {r.title} (was {r.stage.value}, {r.quadrant_label})" for r in diff.removed
    ]


def _setting_lines(diff: PortfolioDiff) -> list[str]:
    lines = [f"{s.name}: {s.before} → {s.after}" for s in diff.settings]
    if diff.order is not None:
        lines.append(f"project order: {', '.join(diff.order.after)}")
    return lines


def diff_text(diff: PortfolioDiff, old_label: str = "old", new_label: str = "new") -> str:
    """The diff as plain text for a terminal, ending in a newline."""
    head = f"{clean(old_label)} → {clean(new_label)}: {summary_line(diff)}"
    out = [head]
    sections = (
        ("added", "+", _added_line(diff)),
        ("removed", "-", _removed_line(diff)),
        ("settings", "*", _setting_lines(diff)),
    )
    for title, mark, lines in sections:
        if lines:
            out.extend(["", f"{title}:"])
            out.extend(f"  {mark} {clean(line)}" for line in lines)
    if diff.changed:
        out.extend(["", "changed:"])
        for change in diff.changed:
            out.append(f"  ~ {change.project_id}: {clean(change.title)}")
            out.extend(f"      {line}" for line in change_lines(change))
    return "\n".join(out) + "\n"


def diff_markdown(
    diff: PortfolioDiff,
    old_label: str = "old",
    new_label: str = "new",
    *,
    heading_level: int = 2,
) -> str:
    """The diff as Markdown, its top heading at `heading_level` (2: `##`), ending in a newline.

    Meant to be embedded too (triage minutes, a snapshot's report), hence the
    adjustable heading level.
    """
    top = "#" * max(1, min(heading_level, 5))
    sub = top + "#"
    out = [f"{top} Changes from {md(old_label)} to {md(new_label)}", "", md(summary_line(diff))]
    sections = (
        ("Added", _added_line(diff)),
        ("Removed", _removed_line(diff)),
        ("Settings changed", _setting_lines(diff)),
    )
    for title, lines in sections:
        if lines:
            out.extend(["", f"{sub} {title}", ""])
            out.extend(f"- {md(line)}" for line in lines)
    if diff.changed:
        out.extend(["", f"{sub} Changed", ""])
        for change in diff.changed:
            out.append(f"- **{md(change.title)}** ({change.project_id})")
            out.extend(f"  - {md(line)}" for line in change_lines(change))
    return "\n".join(out) + "\n"


def _plain(value: Any) -> Any:
    """Dataclass-dumped values made JSON-ready: enums by value, instants in RFC 3339."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _record(record: Any) -> dict[str, Any]:
    """A change record as JSON-ready data, its `project_id` called `id` and put first."""
    data: dict[str, Any] = _plain(dataclasses.asdict(record))
    return {"id": data.pop("project_id"), **data}


def _project_json(change: ProjectDiff) -> dict[str, Any]:
    data = _record(change)
    if change.grid is not None:
        data["grid"]["quadrant_changed"] = change.grid.quadrant_changed
    data["moved"] = change.moved
    data["lines"] = change_lines(change)
    return data


def diff_json(diff: PortfolioDiff, old_label: str = "old", new_label: str = "new") -> str:
    """The diff as JSON (shape documented in docs/exports.md), ending in a newline."""
    data = {
        "format": "mlfolio-diff",
        "version": DIFF_JSON_VERSION,
        "old": old_label,
        "new": new_label,
        "empty": diff.is_empty,
        "summary": summary_line(diff),
        "changed_ids": sorted(diff.changed_ids),
        "added": [_record(a) for a in diff.added],
        "removed": [_record(r) for r in diff.removed],
        "settings": [_plain(dataclasses.asdict(s)) for s in diff.settings],
        "order": None if diff.order is None else _plain(dataclasses.asdict(diff.order)),
        "changed": [_project_json(c) for c in diff.changed],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_diff(
    diff: PortfolioDiff, fmt: str, *, old_label: str = "old", new_label: str = "new"
) -> str:
    """The diff in `fmt` ("text", "md" or "json")."""
    if fmt == "text":
        return diff_text(diff, old_label, new_label)
    if fmt == "md":
        return diff_markdown(diff, old_label, new_label)
    if fmt == "json":
        return diff_json(diff, old_label, new_label)
    raise ValueError(f"unknown diff format {fmt!r}; formats: {', '.join(DIFF_FORMATS)}")
