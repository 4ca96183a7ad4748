"""Everything the dashboard shows, computed once per portfolio version.

The app asks for a `Dashboard` whenever the portfolio changes and hands its
parts to the widgets; no widget recomputes a score, and no keypress recomputes
anything here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.board import Column, board
from core.consistency import Checked, Finding, recheck_portfolio
from core.grid import GridIndex, GridPoint, grid_points
from core.models import Portfolio, Project
from core.priority import rank
from core.table import RankRow, rank_rows


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

    def top_titles(self, count: int = 3) -> tuple[str, ...]:
        """Titles of the best-ranked projects, for the opening view's summary line."""
        return tuple(self.by_id[project_id].title for project_id in self.ranking[:count])


def build_dashboard(
    portfolio: Portfolio, now: datetime, previous: Dashboard | None = None
) -> Dashboard:
    """Compute every projection the views draw, for one version of the portfolio.

    `previous`, the dashboard of an earlier version, lets the consistency check
    reuse what it found for the projects that did not change (most of the work
    after an edit); the result is the same either way.
    """
    ranked = rank(portfolio)
    ranking = tuple(a.project_id for a in ranked)
    checked = recheck_portfolio(portfolio, now, None if previous is None else previous.checked)
    findings = checked.findings
    counts = {project_id: len(found) for project_id, found in findings.items()}
    points = grid_points(portfolio, ranked)
    return Dashboard(
        ranking=ranking,
        findings=findings,
        columns=board(portfolio, now, counts, ranking),
        points=points,
        moves=GridIndex.build(points),
        rows=rank_rows(portfolio, findings, ranked),
        by_id={project.id: project for project in portfolio.projects},
        checked=checked,
    )
