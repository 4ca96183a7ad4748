"""After an edit, only the touched project is projected again: counted, not timed.

At 10,000 projects, one edit must assess, check and card exactly one project;
every other project's projections are the very objects of the previous
version. The counts come from wrapping the functions that do the work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bench.generate import generate_portfolio
from core.edits.changes import MoveProject, SetField
from core.models import Portfolio, Stage
from core.rules import consistency, priority
from core.rules.finding_counts import count_findings
from core.views import board, projections
from core.views.dashboard import Dashboard, build_dashboard
from core.views.grid import grid_points
from core.views.ranking import rank_rows

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
N = 10_000


@pytest.fixture(scope="module")
def big() -> tuple[Portfolio, Dashboard]:
    """A generated portfolio of 10,000 projects and its dashboard."""
    portfolio = generate_portfolio(N, 19)
    return portfolio, build_dashboard(portfolio, NOW)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each per-project computation ran, by name."""
    counted: Counter[str] = Counter()

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(projections, "assess", counting("assess", priority.assess))
    monkeypatch.setattr(projections, "card", counting("card", board.card))
    monkeypatch.setattr(projections, "check_project", counting("check", consistency.check_project))
    monkeypatch.setattr(
        consistency,
        "timeless_findings",
        counting("timeless", consistency.timeless_findings),
    )
    return counted


@pytest.mark.slow
def test_one_edit_at_10000_projects_projects_one_project_again(
    big: tuple[Portfolio, Dashboard], calls: Counter[str]
) -> None:
    portfolio, previous = big
    moved = next(p for p in portfolio.projects if p.stage is Stage.DATA)
    # Thirty seconds on: the few projects whose day count turns meanwhile are re-clocked (their
    # findings and card), and those alone; the moved one is projected from scratch.
    later = NOW + timedelta(seconds=30)
    after = MoveProject(moved.id, Stage.TRAINING).apply(portfolio, later, "ana")
    dashboard = build_dashboard(after, later, previous)
    turned = dashboard.projections.reclocked
    assert turned < 20
    assert calls == {"assess": 1, "timeless": 1, "check": 1 + turned, "card": 1 + turned}
    assert dashboard.projections.assessed == 1
    assert dashboard.findings == build_dashboard(after, later).findings
    kept = [i for i, e in dashboard.projections.by_id.items() if i != moved.id and e.at == NOW]
    assert len(kept) == N - 1 - turned
    assert all(dashboard.projections.by_id[i] is previous.projections.by_id[i] for i in kept)
    assert dashboard.by_id[moved.id].stage is Stage.TRAINING


@pytest.mark.slow
def test_a_score_edit_at_10000_projects_projects_one_project_and_defers_the_grid_index(
    big: tuple[Portfolio, Dashboard], calls: Counter[str]
) -> None:
    portfolio, previous = big
    target = portfolio.projects[N // 2]
    assert target.impact is not None
    score = target.impact.cheap_prediction % 5 + 1
    after = SetField(target.id, "impact.cheap_prediction", score).apply(portfolio, NOW, "ana")
    dashboard = build_dashboard(after, NOW, previous)
    assert calls == {"assess": 1, "timeless": 1, "check": 1, "card": 1}
    assert dashboard.projections.assessed == 1


def test_a_new_day_reclocks_only_the_projects_whose_days_changed() -> None:
    portfolio = generate_portfolio(200, 19)
    first = build_dashboard(portfolio, NOW)
    same_day = build_dashboard(portfolio, NOW + timedelta(minutes=1), first)
    assert (same_day.projections.assessed, same_day.projections.reclocked) == (0, 0)
    next_week = build_dashboard(portfolio, NOW + timedelta(days=7), same_day)
    assert next_week.projections.assessed == 0
    assert 0 < next_week.projections.reclocked <= len(portfolio.projects)
    assert next_week.findings == build_dashboard(portfolio, NOW + timedelta(days=7)).findings
    assert next_week.columns == build_dashboard(portfolio, NOW + timedelta(days=7)).columns


@pytest.mark.parametrize("include_closed", [False, True])
def test_the_kept_projections_are_what_the_views_functions_give(include_closed: bool) -> None:
    """The dashboard built from per-project projections equals the whole-portfolio functions."""
    portfolio = generate_portfolio(300, 5)
    dashboard = build_dashboard(portfolio, NOW, include_closed=include_closed)
    ranked = priority.rank(portfolio, include_closed=include_closed)
    findings = consistency.check_portfolio(portfolio, NOW)
    counts = {project_id: count_findings(found) for project_id, found in findings.items()}
    assert dashboard.ranking == tuple(a.project_id for a in ranked)
    assert dashboard.findings == findings
    assert dashboard.columns == board.board(portfolio, NOW, counts, dashboard.ranking)
    assert dashboard.rows == rank_rows(portfolio, findings, ranked)
    scored = [p for p in grid_points(portfolio, ranked) if p.project_id in dashboard.scored]
    assert dashboard.points == tuple(scored)
