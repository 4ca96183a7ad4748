"""Everything the dashboard shows, computed once per portfolio version.

The app asks for a `Dashboard` whenever the portfolio changes and hands its
parts to the widgets; no widget recomputes a score, and no keypress recomputes
anything here. After an edit only the projects it touched are projected again
(`core.views.projections`); the rest is reused by identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from operator import attrgetter

from core.models import OUTCOMES, Portfolio, Project
from core.rules.consistency import Finding
from core.views.board import Column, columns_of
from core.views.grid import GridIndex, GridMoves, GridPoint, LazyGridIndex, grid_point
from core.views.projections import Projections, project_all
from core.views.ranking import RankRow, rank_row


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The projections of one portfolio version, ready to draw."""

    ranking: tuple[str, ...]
    """Project ids, best first."""
    findings: dict[str, tuple[Finding, ...]]
    columns: tuple[Column, ...]
    points: tuple[GridPoint, ...]
    moves: GridMoves
    """Arrow-key moves over `points`, indexed once (on the first key) so that a key costs
    O(log n); reused as it is when an edit left every point as it was."""
    rows: tuple[RankRow, ...]
    by_id: dict[str, Project]
    """Projects by id, so a selection change looks a project up in constant time."""
    projections: Projections
    """Each project's projections, which the next version's dashboard reuses."""
    include_closed: bool = False
    """Whether parked, killed and shipped projects are in the ranking, grid and rows."""
    scored: frozenset[str] = frozenset()
    """Ids of the projects whose impact and feasibility are both scored."""
    hidden: int = 0
    """How many closed projects the ranking and the grid leave out (0 when included)."""
    row_of: dict[str, RankRow] = field(default_factory=dict)
    """`rows` by project id, for the next version to reuse."""
    point_of: dict[str, GridPoint] = field(default_factory=dict)
    """`points` by project id, for the next version to reuse."""

    @property
    def unplaced(self) -> int:
        """How many ranked projects are unscored, so the grid places them nowhere."""
        return len(self.ranking) - len(self.scored)

    def top_titles(self, count: int = 3) -> tuple[str, ...]:
        """Titles of the best-ranked open, scored projects, for the opening view's summary line.

        A closed project never heads the Top line (even when they are shown),
        nor does an unscored one, whose place is only a placeholder.
        """
        open_scored = (
            pid
            for pid in self.ranking
            if pid in self.scored and self.by_id[pid].stage not in OUTCOMES
        )
        return tuple(self.by_id[pid].title for pid in islice(open_scored, count))


def build_dashboard(
    portfolio: Portfolio,
    now: datetime,
    previous: Dashboard | None = None,
    *,
    include_closed: bool = False,
) -> Dashboard:
    """Compute every projection the views draw, for one version of the portfolio.

    `previous`, the dashboard of an earlier version, lets every project the
    edit left alone keep its projections (`core.views.projections`): its
    assessment, findings and card, and its grid point and table row while its
    place in the ranking holds. The result is the same either way. Parked,
    killed and shipped projects are left out of the ranking, the grid and the
    table unless `include_closed`; the board always shows every project.
    Unscored projects are ranked (after the scored ones) but not placed on the grid.
    """
    projections = project_all(portfolio, now, None if previous is None else previous.projections)
    settings = portfolio.settings
    by_id = projections.by_id
    entries = [by_id[project.id] for project in portfolio.projects]
    ranked = sorted(
        (e for e in entries if include_closed or not e.assessment.closed),
        key=attrgetter("sort_key"),
    )
    ranking = tuple(e.project.id for e in ranked)
    reused = (
        previous if previous is not None and previous.projections.settings is settings else None
    )
    points: list[GridPoint] = []
    rows: list[RankRow] = []
    for position, entry in enumerate(ranked, start=1):
        project_id = entry.project.id
        same = reused is not None and reused.projections.by_id.get(project_id) is entry
        row = reused.row_of.get(project_id) if same and reused is not None else None
        if row is None or row.rank != position:
            row = rank_row(position, entry.project, entry.assessment, entry.counts, settings)
        rows.append(row)
        if not entry.assessment.scored:
            continue
        old = None if reused is None else reused.point_of.get(project_id)
        if same and old is not None and old.marker == str(position):
            points.append(old)
            continue
        point = grid_point(position, entry.assessment, entry.project.title)
        points.append(old if point == old and old is not None else point)
    kept = tuple(points)
    # A first build (in the loading thread) indexes at once, so no key waits for it; after
    # an edit that moved points the index waits for the first arrow key instead.
    moves: GridMoves
    if previous is None:
        moves = GridIndex.build(kept)
    elif _same_items(previous.points, kept):
        moves = previous.moves
    else:
        moves = LazyGridIndex(kept)
    placed = set(ranking)
    cards = [e.card for e in ranked]
    cards += [e.card for e in entries if e.project.id not in placed]
    return Dashboard(
        ranking=ranking,
        findings={e.project.id: e.findings for e in entries if e.findings},
        columns=columns_of(cards),
        points=kept,
        moves=moves,
        rows=tuple(rows),
        by_id={e.project.id: e.project for e in entries},
        projections=projections,
        include_closed=include_closed,
        hidden=len(entries) - len(ranking),
        scored=frozenset(e.project.id for e in ranked if e.assessment.scored),
        row_of={row.project_id: row for row in rows},
        point_of={point.project_id: point for point in kept},
    )


def _same_items(before: tuple[GridPoint, ...], after: tuple[GridPoint, ...]) -> bool:
    """Whether the two hold the very same point objects in the same order."""
    return len(before) == len(after) and all(a is b for a, b in zip(before, after, strict=True))
