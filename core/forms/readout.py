"""What the editor shows while a value is typed: the project's derived figures.

The editor draws these lines; every number comes from `core.rules.priority`.
`readout` gives impact, feasibility, quadrant and priority score, and for an
accuracy target its nines, the cost multiple over one nine and the
feasibility score it maps to. `preview` tries a typed value on a copy of the
project, so a person sees where the project would land before saving it.
`widening` turns a score typed outside its range into the one edit that sets
the score and widens the range to hold it (offered instead of a refusal).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.edits.base import Edit, EditError
from core.edits.changes import SetField
from core.models import Portfolio, Project, Settings
from core.rules.priority import accuracy_score, assess, quadrant_name


@dataclass(frozen=True, slots=True)
class AccuracyFigures:
    """An accuracy target as the lecture reads it: nines, relative cost, feasibility score."""

    target: float
    nines: float
    cost_multiple: float
    """How many times the cost of one nine (90%): `cost_per_nine` per extra nine."""
    score: float


def accuracy_figures(target: float, cost_per_nine: float) -> AccuracyFigures:
    """The figures behind `accuracy_score` for one target (0 < target < 1)."""
    nines = -math.log10(1.0 - target)
    cost = cost_per_nine ** max(nines - 1.0, 0.0)
    return AccuracyFigures(target, nines, cost, accuracy_score(target, cost_per_nine))


def readout(project: Project, settings: Settings) -> tuple[str, ...]:
    """The derived figures of a project as short lines of plain text."""
    assessment = assess(project, settings)
    if assessment.scored:
        quadrant = quadrant_name(assessment.quadrant, settings.quadrant_names)
    else:
        quadrant = f"none yet ({' and '.join(assessment.unscored)} not scored)"
    lines = [
        f"Impact {assessment.impact:.2f} · Feasibility {assessment.feasibility:.2f}",
        f"Quadrant {quadrant} · Score {assessment.score:.1f}",
    ]
    target = project.feasibility.accuracy_target if project.feasibility else None
    if target is not None:
        figures = accuracy_figures(target, settings.accuracy_cost_per_nine)
        lines.append(
            f"Accuracy {target * 100:g}%: {figures.nines:.2f} nines, "
            f"cost ×{figures.cost_multiple:,.0f} of one nine, accuracy score {figures.score:.2f}"
        )
    return tuple(lines)


def preview(
    portfolio: Portfolio, project_id: str, path: str, value: Any, now: datetime
) -> tuple[str, ...] | str:
    """The readout with `value` set at `path`, or why that value would be refused."""
    try:
        changed = SetField(project_id, path, value).apply(portfolio, now, "")
    except EditError as error:
        return str(error)
    project = changed.project(project_id)
    if project is None:
        return f"there is no project {project_id!r}"
    return readout(project, changed.settings)


def widening(project: Project, path: str, value: Any) -> tuple[Edit, str] | None:
    """For a score typed outside its range: the edit setting both, and the widened range.

    None when `path` is not a ranged score or `value` lies inside its range.
    """
    section, _, name = path.partition(".")
    if section not in ("impact", "feasibility") or not name or "." in name:
        return None
    current = getattr(project, section)
    if current is None or not isinstance(value, int):
        return None
    rng = current.ranges.get(name)
    if rng is None or rng.low <= value <= rng.high:
        return None
    low, high = min(rng.low, value), max(rng.high, value)
    data = current.model_dump()
    data[name] = value
    data["ranges"] = {**data["ranges"], name: {"low": low, "high": high}}
    return SetField(project.id, section, data), f"{low}-{high}"
