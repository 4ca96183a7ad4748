"""The impact / feasibility grid as data: one point per project, and arrow-key walking.

The grid widget only draws these points; where a project sits, which quadrant
it is in and which project an arrow key leads to are decided here, so they can
be tested without a terminal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.models import Portfolio
from core.rules.priority import Assessment, Quadrant, rank

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
        grid_point(position, assessment, titles[assessment.project_id])
        for position, assessment in enumerate(
            rank(portfolio) if ranking is None else ranking, start=1
        )
    )


def grid_point(position: int, assessment: Assessment, title: str) -> GridPoint:
    """One project's point, marked with its place in the ranking (1 is the best)."""
    return GridPoint(
        project_id=assessment.project_id,
        marker=str(position),
        title=title,
        impact=assessment.impact,
        feasibility=assessment.feasibility,
        quadrant=assessment.quadrant,
        near_boundary=assessment.near_boundary,
        can_flip=assessment.can_flip,
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

    The moves are `GridIndex.neighbour`'s; this builds the index for one move
    (O(n log n)), so keep a `GridIndex` when moving more than once.
    """
    return GridIndex.build(points).neighbour(current_id, direction)


def _level(value: float) -> float:
    """A score rounded so that float noise does not split one level in two."""
    return round(value, _PLACES)


@dataclass(frozen=True, slots=True)
class _Levels:
    """The points by level along one axis, each level's points sorted by the other axis.

    `keys` are the distinct levels, lowest first; `across[k]` holds the other-axis
    scores of level `k`'s points in ascending order (ties by rank) and `members[k]`
    their indices in the same order; `level_of[i]` is point `i`'s level.
    """

    keys: tuple[float, ...]
    across: tuple[tuple[float, ...], ...]
    members: tuple[tuple[int, ...], ...]
    level_of: tuple[int, ...]

    @classmethod
    def build(cls, values: Sequence[float], others: Sequence[float]) -> _Levels:
        """Levels of `values`, each point's place across given by `others`."""
        levels = [_level(value) for value in values]
        keys = sorted(set(levels))
        number = {key: k for k, key in enumerate(keys)}
        grouped: list[list[tuple[float, int]]] = [[] for _ in keys]
        for index, key in enumerate(levels):
            grouped[number[key]].append((others[index], index))
        for group in grouped:
            group.sort()
        return cls(
            keys=tuple(keys),
            across=tuple(tuple(other for other, _ in group) for group in grouped),
            members=tuple(tuple(index for _, index in group) for group in grouped),
            level_of=tuple(number[key] for key in levels),
        )

    def step(self, index: int, sign: int, across: float) -> int | None:
        """The point on the next level beyond point `index`'s (`sign` +1 up, -1 down) nearest to
        `across` on the other axis, ties to the better rank; None past the last level."""
        k = self.level_of[index] + sign
        if not 0 <= k < len(self.keys):
            return None
        values, members = self.across[k], self.members[k]
        split = bisect_left(values, across)
        below = _nearest_run(values, members, split - 1, -1, across)
        above = _nearest_run(values, members, split, +1, across)
        candidates = [c for c in (below, above) if c is not None]
        return min(candidates)[1] if candidates else None


def _nearest_run(
    values: tuple[float, ...], members: tuple[int, ...], start: int, way: int, target: float
) -> tuple[float, int] | None:
    """(distance, index) of the best-ranked point at the smallest distance from `target`,
    looking from position `start` one way (`way` -1 down, +1 up) through sorted `values`.

    Distances grow (never shrink) away from `target`; several scores can still lie at
    one float distance, so every score at the smallest one is looked at.
    """
    if not 0 <= start < len(values):
        return None
    best: tuple[float, int] | None = None
    position = start
    while 0 <= position < len(values):
        value = values[position]
        distance = abs(value - target)
        if best is not None and distance != best[0]:
            break
        # The best-ranked point at this score comes first among its equals.
        first = bisect_left(values, value)
        candidate = (distance, members[first])
        if best is None or candidate < best:
            best = candidate
        position = bisect_right(values, value) if way > 0 else first - 1
    return best


@dataclass(frozen=True, slots=True)
class GridIndex:
    """Arrow-key moves over one set of grid points, each in O(log n).

    Build it once per set of points (O(n log n)); `neighbour` then answers a key
    without looking at every point, so a move costs the same at ten projects as
    at ten thousand.
    """

    points: tuple[GridPoint, ...]
    position: dict[str, int]
    """Each project id's index in `points` (its first, should an id repeat)."""
    impact: _Levels
    """Impact levels, each sorted by feasibility: up and down."""
    feasibility: _Levels
    """Feasibility levels, each sorted by impact: left and right past a row's end."""
    rows: tuple[tuple[int, ...], ...]
    """Each impact level's points in (feasibility level, rank) order: left and right."""
    row_place: tuple[int, ...]
    """Each point's position in its row."""

    @classmethod
    def build(cls, points: Sequence[GridPoint]) -> GridIndex:
        """The index of `points`, which must be in rank order."""
        ordered = tuple(points)
        position: dict[str, int] = {}
        for index, point in enumerate(ordered):
            position.setdefault(point.project_id, index)
        impacts = [point.impact for point in ordered]
        feasibilities = [point.feasibility for point in ordered]
        impact = _Levels.build(impacts, feasibilities)
        rows = tuple(
            tuple(sorted(members, key=lambda i: (_level(feasibilities[i]), i)))
            for members in impact.members
        )
        row_place = [0] * len(ordered)
        for row in rows:
            for place, index in enumerate(row):
                row_place[index] = place
        return cls(
            points=ordered,
            position=position,
            impact=impact,
            feasibility=_Levels.build(feasibilities, impacts),
            rows=rows,
            row_place=tuple(row_place),
        )

    def neighbour(self, current_id: str | None, direction: Direction) -> str | None:
        """The project an arrow key moves to from `current_id`, or None when nothing lies that way.

        Up and down step to the nearest impact level above or below (ties: the
        horizontally nearest point, then the better rank). Left and right first walk
        along the current impact row in feasibility order, points at the very same
        place in rank order; past the row's end they step to the nearest feasibility
        level that way (ties: the vertically nearest, then the better rank). Walking
        rows this way guarantees that every point can be reached from every other.
        With no (or an unknown) current project the top-ranked point is chosen.
        """
        if not self.points:
            return None
        index = None if current_id is None else self.position.get(current_id)
        if index is None:
            return self.points[0].project_id
        current = self.points[index]
        if direction in ("up", "down"):
            found = self.impact.step(index, +1 if direction == "up" else -1, current.feasibility)
        else:
            sign = +1 if direction == "right" else -1
            row = self.rows[self.impact.level_of[index]]
            place = self.row_place[index] + sign
            found = row[place] if 0 <= place < len(row) else None
            if found is None:
                found = self.feasibility.step(index, sign, current.impact)
        return None if found is None else self.points[found].project_id


class LazyGridIndex:
    """A `GridIndex` built on the first arrow key rather than with the points.

    Building the index costs O(n log n) in Python (~0.1 s at 10,000 projects);
    after an edit that moved points, the dashboard would otherwise pay it before
    the views update, although most edits are followed by no arrow key on the
    grid at all. `position` (which the grid needs to draw) is built at once.
    """

    __slots__ = ("_index", "points", "position")

    def __init__(self, points: Sequence[GridPoint]) -> None:
        self.points = tuple(points)
        self.position: dict[str, int] = {}
        for index, point in enumerate(self.points):
            self.position.setdefault(point.project_id, index)
        self._index: GridIndex | None = None

    @property
    def built(self) -> bool:
        """Whether the index has been built (a key asked for a move)."""
        return self._index is not None

    def neighbour(self, current_id: str | None, direction: Direction) -> str | None:
        """`GridIndex.neighbour`, building the index the first time."""
        if self._index is None:
            self._index = GridIndex.build(self.points)
        return self._index.neighbour(current_id, direction)


GridMoves = GridIndex | LazyGridIndex
"""Arrow-key moves over a set of grid points, built at once or on first use."""
