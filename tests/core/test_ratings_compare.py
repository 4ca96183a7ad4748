"""Ratings in the diff (field-level and one sentence per person) and in the change notice."""

from __future__ import annotations

from datetime import UTC, datetime

from core.compare.diff import diff_portfolios
from core.compare.notice import describe_changes, summarise_changes
from core.edits.changes import Rate
from core.models import Portfolio, Project
from portfolio.exports.diff_render import change_lines

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
BASE = Portfolio(projects=(Project(id="churn", title="Churn", impact={}, feasibility={}),))


def rate(portfolio: Portfolio, person: str, **scores: int) -> Portfolio:
    return Rate("churn", person, tuple(scores.items())).apply(portfolio, NOW, person)


def test_the_diff_says_who_rated_what_and_lists_the_fields() -> None:
    old = rate(BASE, "bob", automation=2)
    new = rate(rate(old, "bob", automation=4, data_availability=3), "ann", automation=1)
    (change,) = diff_portfolios(old, new).changed
    phrases = [r.phrase for r in change.ratings]
    assert phrases == [
        "bob rated Churn automation 4 (was 2), data availability 3",
        "ann rated Churn automation 1",
    ]
    lines = change_lines(change)
    assert "rating: bob rated Churn automation 4 (was 2), data availability 3" in lines
    assert "ratings[0].superseded: false → true" in lines
    assert any(line.startswith("ratings[2]: added ") for line in lines)


def test_an_unchanged_rating_is_no_change() -> None:
    old = rate(BASE, "bob", automation=2)
    assert diff_portfolios(old, old).is_empty


def test_the_notice_says_rated_when_only_ratings_changed() -> None:
    old = rate(BASE, "bob", automation=2)
    new = rate(old, "carol", cheap_prediction=5)
    assert describe_changes(summarise_changes(old, new)) == "carol rated Churn"


def test_a_git_merge_keeps_both_sides_ratings_and_each_persons_latest() -> None:
    from datetime import timedelta

    from core.compare.merge import merge
    from core.rules.ratings import spread_of

    base = rate(BASE, "bob", automation=2)
    ours = Rate("churn", "bob", (("automation", 4),)).apply(base, NOW + timedelta(hours=1), "bob")
    theirs = rate(base, "carol", automation=1)
    result = merge(base, ours, theirs)
    assert result.clean
    (merged,) = result.portfolio.projects
    assert [(r.by, r.superseded) for r in merged.ratings] == [
        ("bob", True),
        ("carol", False),
        ("bob", False),
    ]
    spread = spread_of(merged, "automation")
    assert spread is not None
    assert spread.raters == (("carol", 1), ("bob", 4))
