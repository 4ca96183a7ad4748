"""The impact / feasibility grid as data: one point per project, and arrow-key walking.

The grid widget only draws these points; where a project sits, which quadrant
it is in and which project an arrow key leads to are decided here, so they can
be tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.models import Portfolio
from core.priority import Assessment, Quadrant, rank

Direction = Literal["up", "down", "left", "right"]
"""An arrow key's direction on the grid: impact is up, feasibility is right."""

_PLACES = 9
"""Scores are compared after rounding to this many decimals, so that two weighted
means equal in theory but not in the last bit count as the same level."""


@dataclass(frozen=True, slots=True)
class GridPoint:
    """One project as the grid shows it: where it sits and how to label it."""

    project_id: str
    marker: str
    """The project's rank as text ("1" is the best), drawn at its place on the grid."""
    title: str
    impact: float
    feasibility: float
    quadrant: Quadrant
    near_boundary: bool
    """Whether the point lies within the portfolio's near-boundary distance of a threshold."""
    can_flip: bool
    """Whether the quadrant changes somewhere within the scores' ranges."""

    @property
    def uncertain(self) -> bool:
        """Whether the grid should flag this point's quadrant as shaky."""
        return self.near_boundary or self.can_flip


def grid_points(
    portfolio: Portfolio, ranking: Sequence[Assessment] | None = None
) -> tuple[GridPoint, ...]:
    """Every project of `portfolio` as a grid point, best-ranked first.

    `ranking` is `rank(portfolio)` when the caller already has it.
    """
    titles = {project.id: project.title for project in portfolio.projects}
    return tuple(
        GridPoint(
            project_id=assessment.project_id,
            marker=str(position),
            title=titles[assessment.project_id],
            impact=assessment.impact,
            feasibility=assessment.feasibility,
            quadrant=assessment.quadrant,
            near_boundary=assessment.near_boundary,
            can_flip=assessment.can_flip,
        )
        for position, assessment in enumerate(
            rank(portfolio) if ranking is None else ranking, start=1
        )
    )


@dataclass(frozen=True, slots=True)
class GridAxis:
    """One axis of the drawn grid: `below` cells under the threshold, `above` from it up.

    Splitting at the threshold keeps the quadrant line between cells, so a point
    is always drawn on the side of the line its quadrant says.
    """

    threshold: float
    below: int
    above: int

    @classmethod
    def split(cls, threshold: float, cells: int) -> GridAxis:
        """Divide `cells` (at least 2) in proportion to the 1-5 scale either side of `threshold`."""
        if cells < 2:
            raise ValueError(f"an axis needs at least 2 cells, not {cells}")
        below = round((threshold - 1.0) / 4.0 * cells)
        below = min(max(below, 1), cells - 1)
        return cls(threshold, below, cells - below)

    @property
    def cells(self) -> int:
        """How many cells the axis has."""
        return self.below + self.above

    def cell(self, value: float) -> int:
        """The cell a score falls in, 0 holding the lowest scores; the threshold counts as above."""
        if value < self.threshold:
            share = (value - 1.0) / (self.threshold - 1.0)
            return min(max(int(share * self.below), 0), self.below - 1)
        share = (value - self.threshold) / (5.0 - self.threshold)
        return self.below + min(max(int(share * self.above), 0), self.above - 1)


def grid_cells(
    points: tuple[GridPoint, ...] | list[GridPoint], impact: GridAxis, feasibility: GridAxis
) -> dict[tuple[int, int], tuple[int, ...]]:
    """The indices of the points drawn in each cell, keyed (impact cell, feasibility cell).

    Each cell lists its points best-ranked first (`points` is in rank order),
    so the first is the one a crowded cell shows.
    """
    cells: dict[tuple[int, int], list[int]] = {}
    for index, point in enumerate(points):
        key = (impact.cell(point.impact), feasibility.cell(point.feasibility))
        cells.setdefault(key, []).append(index)
    return {key: tuple(indices) for key, indices in cells.items()}


def grid_neighbour(
    points: tuple[GridPoint, ...] | list[GridPoint],
    current_id: str | None,
    direction: Direction,
) -> str | None:
    """The project an arrow key moves to from `current_id`, or None when nothing lies that way.

    Up and down step to the nearest impact level above or below (ties: the
    horizontally nearest point, then the better rank). Left and right first walk
    along the current impact row in feasibility order, points at the very same
    place in rank order; past the row's end they step to the nearest feasibility
    level that way (ties: the vertically nearest, then the better rank). Walking
    rows this way guarantees that every point can be reached from every other.
    With no (or an unknown) current project the top-ranked point is chosen.
    `points` must be in rank order; one call is O(n).
    """
    if not points:
        return None
    current_index = _index_of(points, current_id)
    if current_index is None:
        return points[0].project_id
    current = points[current_index]
    if direction in ("up", "down"):
        found = _step_level(points, current, "impact", +1 if direction == "up" else -1)
    else:
        sign = +1 if direction == "right" else -1
        found = _step_row(points, current_index, sign)
        if found is None:
            found = _step_level(points, current, "feasibility", sign)
    return None if found is None else points[found].project_id


def _index_of(
    points: tuple[GridPoint, ...] | list[GridPoint], project_id: str | None
) -> int | None:
    """The position of `project_id` in `points`, or None."""
    if project_id is None:
        return None
    for index, point in enumerate(points):
        if point.project_id == project_id:
            return index
    return None


def _level(value: float) -> float:
    """A score rounded so that float noise does not split one level in two."""
    return round(value, _PLACES)


def _step_row(
    points: tuple[GridPoint, ...] | list[GridPoint], current_index: int, sign: int
) -> int | None:
    """The next point along the current impact row in (feasibility, rank) order, or None.

    `sign` is +1 for rightwards (greater feasibility, then worse rank) and -1
    for leftwards.
    """
    current = points[current_index]
    row = _level(current.impact)
    here = (_level(current.feasibility), current_index)
    best: tuple[float, int] | None = None
    best_index: int | None = None
    for index, point in enumerate(points):
        if index == current_index or _level(point.impact) != row:
            continue
        key = (_level(point.feasibility), index)
        if (key > here) != (sign > 0):
            continue
        # Nearest along the row: the smallest key rightwards, the largest leftwards.
        candidate = (sign * key[0], sign * key[1])
        if best is None or candidate < best:
            best, best_index = candidate, index
    return best_index


def _step_level(
    points: tuple[GridPoint, ...] | list[GridPoint],
    current: GridPoint,
    axis: Literal["impact", "feasibility"],
    sign: int,
) -> int | None:
    """The nearest point strictly beyond `current` along `axis` in direction `sign`, or None.

    Nearest means the smallest step along the axis, then the smallest distance
    across it, then the better rank.
    """
    other: Literal["impact", "feasibility"] = "feasibility" if axis == "impact" else "impact"
    origin = _level(getattr(current, axis))
    across = getattr(current, other)
    best: tuple[float, float, int] | None = None
    best_index: int | None = None
    for index, point in enumerate(points):
        step = sign * (_level(getattr(point, axis)) - origin)
        if step <= 0:
            continue
        key = (step, abs(getattr(point, other) - across), index)
        if best is None or key < best:
            best, best_index = key, index
    return best_index
