"""Across snapshots: how the quadrant counts and the top-ranked projects moved.

The snapshots' portfolios are passed in (reading them is `portfolio`'s job);
each is ranked exactly as the dashboard ranks it, so a trend point agrees with
what the snapshot's own report said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.models import Portfolio
from core.rules.priority import Quadrant, rank

__all__ = ["TOP", "TopMove", "Trend", "TrendPoint", "snapshot_trend"]

TOP = 5
"""How many top-ranked projects a trend follows, by default."""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One version of the portfolio: when, its label, projects per quadrant, and its top ids."""

    at: datetime
    label: str
    quadrants: tuple[tuple[Quadrant, int], ...]
    """Every quadrant, quick wins first, with its count of projects (open and closed)."""
    top: tuple[str, ...]
    """The best-ranked project ids, best first."""


@dataclass(frozen=True, slots=True)
class TopMove:
    """A project once in a top list, and its rank at every point (None: absent)."""

    project_id: str
    title: str
    ranks: tuple[int | None, ...]


@dataclass(frozen=True, slots=True)
class Trend:
    """The points, oldest first, and the moves of every project that was ever in a top list."""

    points: tuple[TrendPoint, ...]
    moves: tuple[TopMove, ...]
    """Ordered by the last point's rank (absent last), then id."""


def snapshot_trend(versions: Sequence[tuple[datetime, str, Portfolio]], *, top: int = TOP) -> Trend:
    """The trend across `versions` (each: when, label, portfolio), put in time order."""
    ordered = sorted(versions, key=lambda version: version[0])
    points: list[TrendPoint] = []
    ranks: list[dict[str, int]] = []
    titles: dict[str, str] = {}
    for at, label, portfolio in ordered:
        ranking = rank(portfolio)
        counts = dict.fromkeys(Quadrant, 0)
        for assessment in ranking:
            counts[assessment.quadrant] += 1
        positions = {a.project_id: i for i, a in enumerate(ranking, start=1)}
        ranks.append(positions)
        titles.update((p.id, p.title) for p in portfolio.projects)
        points.append(
            TrendPoint(
                at=at,
                label=label,
                quadrants=tuple(counts.items()),
                top=tuple(a.project_id for a in ranking[:top]),
            )
        )
    followed = {project_id for point in points for project_id in point.top}
    last = ranks[-1] if ranks else {}
    moves = sorted(
        (TopMove(pid, titles[pid], tuple(r.get(pid) for r in ranks)) for pid in followed),
        key=lambda m: (last.get(m.project_id) is None, last.get(m.project_id, 0), m.project_id),
    )
    return Trend(tuple(points), tuple(moves))
