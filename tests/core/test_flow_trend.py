"""Across snapshots: quadrant counts and top-ranked moves, over hand-made portfolios."""

from __future__ import annotations

from datetime import UTC, datetime

from core.flow.trend import snapshot_trend
from core.models import Feasibility, Impact, Portfolio, Project
from core.rules.priority import Quadrant

JAN = datetime(2026, 1, 1, tzinfo=UTC)
FEB = datetime(2026, 2, 1, tzinfo=UTC)


def scored(pid: str, impact: int, feasibility: int) -> Project:
    return Project(
        id=pid,
        title=f"Title {pid}",
        impact=Impact(
            cheap_prediction=impact,
            product_friction=impact,
            automation=impact,
            industry_precedent=impact,
        ),
        feasibility=Feasibility(
            data_availability=feasibility,
            accuracy_requirement=feasibility,
            problem_difficulty=feasibility,
        ),
    )


def test_quadrant_counts_and_top_moves_in_time_order() -> None:
    before = Portfolio(projects=(scored("a", 5, 5), scored("b", 5, 2), scored("c", 2, 2)))
    after = Portfolio(projects=(scored("a", 4, 4), scored("b", 5, 5), scored("d", 4, 5)))
    trend = snapshot_trend([(FEB, "feb", after), (JAN, "jan", before)], top=2)
    assert [p.label for p in trend.points] == ["jan", "feb"]
    jan, feb = (dict(p.quadrants) for p in trend.points)
    assert jan == {
        Quadrant.QUICK_WINS: 1,
        Quadrant.BIG_BETS: 1,
        Quadrant.FILL_INS: 0,
        Quadrant.AVOID: 1,
    }
    assert feb == {
        Quadrant.QUICK_WINS: 3,
        Quadrant.BIG_BETS: 0,
        Quadrant.FILL_INS: 0,
        Quadrant.AVOID: 0,
    }
    assert [p.top for p in trend.points] == [("a", "b"), ("b", "d")]
    # b rose from 2nd to 1st, d arrived 2nd, a fell from 1st to 3rd.
    assert [(m.project_id, m.ranks) for m in trend.moves] == [
        ("b", (2, 1)),
        ("d", (None, 2)),
        ("a", (1, 3)),
    ]
    assert trend.moves[0].title == "Title b"


def test_no_snapshots_no_points() -> None:
    trend = snapshot_trend([])
    assert trend.points == ()
    assert trend.moves == ()
