"""Everything the dashboard shows, computed once per portfolio version.

The app asks for a `Dashboard` whenever the portfolio changes and hands its
parts to the widgets; no widget recomputes a score, and no keypress recomputes
anything here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from core.models import OUTCOMES, Portfolio, Project
from core.rules.consistency import Checked, Finding, recheck_portfolio
from core.rules.finding_counts import count_findings
from core.rules.priority import rank
from core.views.board import Column, board
from core.views.grid import GridIndex, GridPoint, grid_points
from core.views.ranking import RankRow, rank_rows


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The projections of one portfolio version, ready to draw."""

    ranking: tuple[str, ...]
    """Project ids, best first."""
    findings: dict[str, tuple[Finding, ...]]
    columns: tuple[Column, ...]
    points: tuple[GridPoint, ...]
    moves: GridIndex
    """Arrow-key moves over `points`, indexed once so that a key costs O(log n)."""
    rows: tuple[RankRow, ...]
    by_id: dict[str, Project]
    """Projects by id, so a selection change looks a project up in constant time."""
    checked: Checked
    """The consistency check behind `findings`, which the next version's check reuses."""
    include_closed: bool = False
    """Whether parked, killed and shipped projects are in the ranking, grid and rows."""
    scored: frozenset[str] = frozenset()
    """Ids of the projects whose impact and feasibility are both scored."""
    hidden: int = 0
    """How many closed projects the ranking and the grid leave out (0 when included)."""

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

    `previous`, the dashboard of an earlier version, lets the consistency check
    reuse what it found for the projects that did not change (most of the work
    after an edit); the result is the same either way. Parked, killed and
    shipped projects are left out of the ranking, the grid and the table
    unless `include_closed`; the board always shows every project. Unscored
    projects are ranked (after the scored ones) but not placed on the grid.
    """
    ranked = rank(portfolio, include_closed=include_closed)
    ranking = tuple(a.project_id for a in ranked)
    checked = recheck_portfolio(portfolio, now, None if previous is None else previous.checked)
    findings = checked.findings
    counts = {project_id: count_findings(found) for project_id, found in findings.items()}
    unscored = {a.project_id for a in ranked if not a.scored}
    points = tuple(p for p in grid_points(portfolio, ranked) if p.project_id not in unscored)
    return Dashboard(
        ranking=ranking,
        findings=findings,
        columns=board(portfolio, now, counts, ranking),
        points=points,
        moves=GridIndex.build(points),
        rows=rank_rows(portfolio, findings, ranked),
        by_id={project.id: project for project in portfolio.projects},
        checked=checked,
        include_closed=include_closed,
        hidden=len(portfolio.projects) - len(ranking),
        scored=frozenset(a.project_id for a in ranked if a.scored),
    )
