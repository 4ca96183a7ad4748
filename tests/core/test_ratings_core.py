"""Ratings: the model, the spread (hand-computed medians), disagreement, the lead's rule, undo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from core.edits.changes import ApplyRatings, EditError, Rate
from core.edits.replay import Pending, replay
from core.models import Portfolio, Project, Rating
from core.rules.consistency import check_project
from core.rules.priority import assess
from core.rules.ratings import current_rating, spread_of, spreads, team_value

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def project(**fields: Any) -> Project:
    data: dict[str, Any] = {"id": "churn", "title": "Churn", "impact": {}, "feasibility": {}}
    return Project.model_validate(data | fields)


def rated(*ratings: tuple[str, dict[str, int]], **fields: Any) -> Portfolio:
    """A portfolio of one project rated by each (person, scores), a minute apart."""
    portfolio = Portfolio(projects=(project(**fields),))
    for minute, (person, scores) in enumerate(ratings):
        edit = Rate("churn", person, tuple(scores.items()))
        portfolio = edit.apply(portfolio, NOW + timedelta(minutes=minute), person)
    return portfolio


def comparable(portfolio: Portfolio) -> Any:
    return [p.model_dump(exclude={"updated_at", "updated_by"}) for p in portfolio.projects]


def test_spread_with_an_odd_count_has_the_middle_score_as_median() -> None:
    p = rated(("ann", {"automation": 2}), ("bob", {"automation": 5}), ("cy", {"automation": 4}))
    spread = spread_of(p.projects[0], "automation")
    assert spread is not None
    # sorted 2, 4, 5: the middle one is 4
    assert (spread.count, spread.low, spread.median, spread.high) == (3, 2, 4.0, 5)
    assert spread.disagrees  # 5 - 2 = 3 >= 2
    assert team_value(spread) == 4


def test_spread_with_an_even_count_has_the_mean_of_the_middle_two() -> None:
    p = rated(
        ("ann", {"automation": 1}),
        ("bob", {"automation": 4}),
        ("cy", {"automation": 3}),
        ("di", {"automation": 5}),
    )
    spread = spread_of(p.projects[0], "automation")
    assert spread is not None
    # sorted 1, 3, 4, 5: (3 + 4) / 2 = 3.5; the rule takes the cautious 3
    assert (spread.count, spread.low, spread.median, spread.high) == (4, 1, 3.5, 5)
    assert team_value(spread) == 3
    assert spread.text() == "4 raters, 1–5, median 3.5"


def test_a_spread_of_one_point_is_no_disagreement() -> None:
    p = rated(("ann", {"data_availability": 3}), ("bob", {"data_availability": 4}))
    (spread,) = spreads(p.projects[0])
    assert spread.width == 1
    assert not spread.disagrees
    assert not [f for f in check_project(p.projects[0], p.settings, NOW) if "rating" in f.code]


def test_rating_again_supersedes_and_keeps_the_earlier_rating() -> None:
    p = rated(("bob", {"automation": 2, "cheap_prediction": 5}), ("bob", {"automation": 4}))
    ratings = p.projects[0].ratings
    assert [r.superseded for r in ratings] == [True, False]
    assert ratings[0].scores == {"automation": 2, "cheap_prediction": 5}
    current = current_rating(p.projects[0], "bob")
    assert current is not None
    assert current.scores == {"automation": 4, "cheap_prediction": 5}
    assert current.at == NOW + timedelta(minutes=1)


def test_two_current_ratings_by_one_person_are_refused() -> None:
    rating = Rating(by="bob", at=NOW, scores={"automation": 3})
    with pytest.raises(ValidationError, match="two current ratings"):
        project(ratings=(rating, rating))


@pytest.mark.parametrize(
    ("scores", "fragment"),
    [({"automation": 6}, "less than or equal to 5"), ({"automaton": 3}, "not a lens")],
)
def test_rate_refuses_bad_scores_and_keys(scores: dict[str, int], fragment: str) -> None:
    with pytest.raises(EditError, match=fragment):
        rated(("bob", scores))


def test_disagreement_is_a_warning_until_the_range_holds_the_spread() -> None:
    p = rated(("ann", {"automation": 2}), ("bob", {"automation": 5}))
    (finding,) = [f for f in check_project(p.projects[0], p.settings, NOW) if "rating" in f.code]
    assert finding.code == "ratings-disagree"
    assert finding.severity == "warning"
    assert finding.message == "raters disagree on automation: 2 raters, 2–5, median 3.5"
    settled = ApplyRatings("churn", with_range=True).apply(p, NOW, "lead")
    (after,) = [
        f for f in check_project(settled.projects[0], p.settings, NOW) if "rating" in f.code
    ]
    assert after.severity == "info"


def test_median_rule_sets_every_rated_score_and_keeps_a_range_holding_it() -> None:
    p = rated(
        ("ann", {"automation": 2, "data_availability": 4}),
        ("bob", {"automation": 5, "data_availability": 4}),
        ("cy", {"automation": 3}),
        impact={"automation": 3, "ranges": {"automation": {"low": 2, "high": 4}}},
        feasibility={
            "data_availability": 1,
            "ranges": {"data_availability": {"low": 1, "high": 2}},
        },
    )
    after = ApplyRatings("churn").apply(p, NOW, "lead").projects[0]
    assert after.impact is not None
    assert after.feasibility is not None
    assert after.impact.automation == 3  # median of 2, 3, 5
    assert after.feasibility.data_availability == 4  # median of 4, 4
    assert after.impact.ranges["automation"].model_dump() == {"low": 2, "high": 4}  # holds 3
    assert "data_availability" not in after.feasibility.ranges  # [1, 2] cannot hold 4


def test_range_rule_takes_the_spread_and_a_chosen_value_widens_it() -> None:
    p = rated(("ann", {"automation": 2}), ("bob", {"automation": 4}))
    ranged = ApplyRatings("churn", with_range=True).apply(p, NOW, "lead").projects[0]
    assert ranged.impact is not None
    assert ranged.impact.automation == 3  # (2 + 4) / 2, a whole median
    assert ranged.impact.ranges["automation"].model_dump() == {"low": 2, "high": 4}
    chosen = ApplyRatings("churn", chosen=(("automation", 5),), with_range=True)
    after = chosen.apply(p, NOW, "lead").projects[0]
    assert after.impact is not None
    assert after.impact.automation == 5
    assert after.impact.ranges["automation"].model_dump() == {"low": 2, "high": 5}


def test_the_team_range_moves_the_pessimistic_score() -> None:
    p = rated(("ann", {"automation": 1}), ("bob", {"automation": 3}), ("cy", {"automation": 5}))
    plain = assess(ApplyRatings("churn").apply(p, NOW, "lead").projects[0], p.settings)
    ranged = assess(
        ApplyRatings("churn", with_range=True).apply(p, NOW, "lead").projects[0], p.settings
    )
    assert plain.impact == ranged.impact  # same point value, 3
    assert ranged.impact_range[0] < plain.impact_range[0]  # reaches the lowest rater's 1
    assert ranged.raw_pessimistic < plain.raw_pessimistic


def test_a_driver_score_replaces_an_accuracy_target() -> None:
    p = rated(("ann", {"accuracy_requirement": 2}), feasibility={"accuracy_target": 0.999})
    after = ApplyRatings("churn").apply(p, NOW, "lead").projects[0]
    assert after.feasibility is not None
    assert (after.feasibility.accuracy_requirement, after.feasibility.accuracy_target) == (2, None)


def test_applying_an_unrated_key_is_refused_in_one_line() -> None:
    p = rated(("ann", {"automation": 2}))
    with pytest.raises(EditError, match="nobody has rated data availability of churn"):
        ApplyRatings("churn", keys=("data_availability",)).apply(p, NOW, "lead")
    with pytest.raises(EditError, match="nobody has rated churn yet"):
        ApplyRatings("churn").apply(rated(), NOW, "lead")


@pytest.mark.parametrize(
    "edit",
    [
        Rate("churn", "bob", (("automation", 1),)),
        Rate("churn", "dee", (("problem_difficulty", 5),)),
        ApplyRatings("churn"),
        ApplyRatings("churn", with_range=True),
        ApplyRatings("churn", keys=("automation",), chosen=(("automation", 5),)),
    ],
)
def test_undo_restores_ratings_and_scores_exactly(edit: Rate | ApplyRatings) -> None:
    before = rated(
        ("ann", {"automation": 2}),
        ("bob", {"automation": 4, "cheap_prediction": 1}),
        impact={"ranges": {"automation": {"low": 3, "high": 4}}},
        feasibility={"accuracy_target": 0.99},
    )
    after = edit.apply(before, NOW, "lead")
    assert comparable(after) != comparable(before)
    undone = edit.inverse(before).apply(after, NOW, "lead")
    assert comparable(undone) == comparable(before)


def test_a_rating_replays_on_a_file_someone_else_rated_meanwhile() -> None:
    base = rated(("ann", {"automation": 2}))
    theirs = Rate("churn", "bob", (("automation", 5),)).apply(base, NOW, "bob")
    mine = Pending(Rate("churn", "cy", (("automation", 3),)), NOW, "cy")
    result = replay(theirs, [mine])
    assert not result.rejected
    spread = spread_of(result.portfolio.projects[0], "automation")
    assert spread is not None
    assert spread.raters == (("ann", 2), ("bob", 5), ("cy", 3))


def test_spread_text_for_one_rater_and_for_agreement() -> None:
    one = rated(("ann", {"automation": 4}))
    agreed = rated(("ann", {"automation": 4}), ("bob", {"automation": 4}))
    assert spreads(one.projects[0])[0].text() == "1 rater, 4"
    assert spreads(agreed.projects[0])[0].text() == "2 raters, all 4"


def test_an_open_disagreement_puts_the_project_on_the_triage_agenda() -> None:
    from core.triage import reasons_for

    p = rated(("ann", {"automation": 1}), ("bob", {"automation": 4}))
    reasons = reasons_for(p.projects[0], p.settings, NOW, last_snapshot_at=None, stale_days=30)
    assert "raters disagree on automation: 2 raters, 1–4, median 2.5" in [r.text for r in reasons]
    settled = ApplyRatings("churn", with_range=True).apply(p, NOW, "lead")
    later = reasons_for(settled.projects[0], p.settings, NOW, last_snapshot_at=None, stale_days=30)
    assert not [r for r in later if "disagree" in r.text]


def test_rating_the_same_scores_again_changes_nothing() -> None:
    once = rated(("bob", {"automation": 4, "cheap_prediction": 2}))
    again = Rate("churn", "bob", (("automation", 4),)).apply(once, NOW, "bob")
    assert again is once
