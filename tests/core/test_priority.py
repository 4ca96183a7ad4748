"""Priority: axis scores, the accuracy-target mapping, quadrants, ranking, flips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.models import Feasibility, Impact, Portfolio, Project, ScoreRange, Settings, Stage
from core.rules.priority import (
    Quadrant,
    accuracy_score,
    assess,
    axis_values,
    quadrant_name,
    quadrant_of,
    rank,
)

SETTINGS = Settings()


def make(
    pid: str = "p",
    impact: int = 3,
    data: int = 3,
    accuracy: int | None = 3,
    difficulty: int = 3,
    **feasibility: object,
) -> Project:
    """A project whose impact lenses all equal `impact`."""
    return Project(
        id=pid,
        title=pid,
        impact=Impact(
            cheap_prediction=impact,
            product_friction=impact,
            automation=impact,
            industry_precedent=impact,
        ),
        feasibility=Feasibility.model_validate(
            {
                "data_availability": data,
                "accuracy_requirement": accuracy,
                "problem_difficulty": difficulty,
                **feasibility,
            }
        ),
    )


@pytest.mark.parametrize(
    ("target", "expected"),
    [(0.9, 5.0), (0.99, 4.0), (0.999, 3.0), (0.9999, 2.0), (0.99999, 1.0), (0.999999, 1.0)],
)
def test_accuracy_target_costs_one_point_per_nine(target: float, expected: float) -> None:
    assert accuracy_score(target, 10.0) == pytest.approx(expected)


def test_accuracy_target_below_one_nine_is_cheapest() -> None:
    assert accuracy_score(0.5, 10.0) == 5.0


def test_cost_per_nine_setting_scales_the_mapping() -> None:
    # With 100x per nine, each extra nine costs two points on the scale.
    assert accuracy_score(0.99, 100.0) == pytest.approx(3.0)
    assert accuracy_score(0.999, 100.0) == pytest.approx(1.0)


def test_feasibility_weights_follow_the_order_of_importance() -> None:
    data_poor = make(data=1, accuracy=5, difficulty=5)
    easy_data = make(data=5, accuracy=1, difficulty=5)
    assert assess(data_poor, SETTINGS).feasibility == pytest.approx((3 + 10 + 5) / 6)
    assert assess(easy_data, SETTINGS).feasibility > assess(data_poor, SETTINGS).feasibility


def test_accuracy_target_feeds_feasibility() -> None:
    strict = make(accuracy=None, accuracy_target=0.9999)
    lenient = make(accuracy=None, accuracy_target=0.9)
    assert assess(strict, SETTINGS).feasibility < assess(lenient, SETTINGS).feasibility


@pytest.mark.parametrize(
    ("impact", "feasibility", "quadrant"),
    [
        (4.0, 4.0, Quadrant.QUICK_WINS),
        (4.0, 2.0, Quadrant.BIG_BETS),
        (2.0, 4.0, Quadrant.FILL_INS),
        (2.0, 2.0, Quadrant.AVOID),
        (3.0, 3.0, Quadrant.QUICK_WINS),
    ],
)
def test_quadrants(impact: float, feasibility: float, quadrant: Quadrant) -> None:
    assert quadrant_of(impact, feasibility, SETTINGS) is quadrant


def test_quadrant_names_are_a_setting() -> None:
    settings = Settings.model_validate({"quadrant_names": {"avoid": "not now"}})
    assert quadrant_name(Quadrant.AVOID, settings.quadrant_names) == "not now"
    assert quadrant_name(Quadrant.QUICK_WINS, settings.quadrant_names) == "quick wins"


def test_thresholds_are_a_setting() -> None:
    settings = Settings(impact_threshold=4.5)
    assert assess(make(impact=4, data=5, accuracy=5, difficulty=5), settings).quadrant is (
        Quadrant.FILL_INS
    )


def test_distance_and_near_boundary() -> None:
    assessment = assess(make(impact=3, data=4, accuracy=4, difficulty=4), SETTINGS)
    assert assessment.distance == pytest.approx(0.0)
    assert assessment.near_boundary
    far = assess(make(impact=5, data=5, accuracy=5, difficulty=5), SETTINGS)
    assert far.distance == pytest.approx(2.0)
    assert not far.near_boundary


def test_range_that_crosses_a_threshold_can_flip() -> None:
    sure = make(impact=4, data=4, accuracy=4, difficulty=4)
    unsure = sure.model_copy(
        update={
            "impact": sure.impact.model_copy(  # type: ignore[union-attr]  # scored in this test
                update={
                    "ranges": {
                        lens: ScoreRange(low=1, high=4)
                        for lens in ("cheap_prediction", "product_friction", "automation")
                    }
                }
            )
        }
    )
    assert not assess(sure, SETTINGS).can_flip
    result = assess(unsure, SETTINGS)
    assert result.can_flip
    assert result.impact_range == pytest.approx((1.75, 4.0))
    assert result.pessimistic_score < result.score


def test_rank_orders_by_score_and_can_use_the_pessimistic_end() -> None:
    firm = make("firm", impact=4, data=4, accuracy=4, difficulty=4)
    risky = make("risky", impact=5, data=4, accuracy=4, difficulty=4)
    risky = risky.model_copy(
        update={
            "impact": risky.impact.model_copy(  # type: ignore[union-attr]  # scored in this test
                update={"ranges": {"cheap_prediction": ScoreRange(low=1, high=5)}}
            )
        }
    )
    # At the low ends both score 56.25: the tie goes by id.
    portfolio = Portfolio(projects=(firm, risky))
    assert [a.project_id for a in rank(portfolio)] == ["risky", "firm"]
    assert [a.project_id for a in rank(portfolio, pessimistic=True)] == ["firm", "risky"]
    pessimistic = portfolio.model_copy(update={"settings": Settings(rank_by="pessimistic")})
    assert [a.project_id for a in rank(pessimistic)] == ["firm", "risky"]


def test_ties_break_on_id_whatever_the_file_order() -> None:
    portfolio = Portfolio(projects=tuple(make(f"p{i}") for i in reversed(range(5))))
    assert [a.project_id for a in rank(portfolio)] == [f"p{i}" for i in range(5)]


def test_ranking_sorts_on_the_unrounded_score() -> None:
    """39.13 ranks above 39.06 although both show as 39.1 (issue 11, finding 5)."""
    even = make("even", impact=3, data=3, accuracy=4, difficulty=4)
    even = even.model_copy(update={"impact": Impact(cheap_prediction=4, product_friction=4)})
    higher = make(
        "z-higher", impact=3, data=4, accuracy=None, difficulty=3, accuracy_target=0.99897
    )
    higher = higher.model_copy(update={"impact": even.impact})
    portfolio = Portfolio(projects=(even, higher))
    by_id = {a.project_id: a for a in rank(portfolio)}
    assert by_id["even"].raw_score == pytest.approx(39.0625)
    assert by_id["z-higher"].raw_score == pytest.approx(39.13, abs=0.005)
    assert by_id["even"].score == by_id["z-higher"].score == 39.1
    assert [a.project_id for a in rank(portfolio)] == ["z-higher", "even"]
    # The file order does not matter: the exact score decides.
    swapped = Portfolio(projects=(higher, even))
    assert [a.project_id for a in rank(swapped)] == ["z-higher", "even"]


scores = st.integers(min_value=1, max_value=5)


@given(scores, scores, scores, scores)
def test_scores_stay_on_the_scale(impact: int, data: int, accuracy: int, difficulty: int) -> None:
    project = make(impact=impact, data=data, accuracy=accuracy, difficulty=difficulty)
    result = assess(project, SETTINGS)
    assert 1.0 <= result.impact <= 5.0
    assert 1.0 <= result.feasibility <= 5.0
    assert 0.0 <= result.score <= 100.0
    # Every lens equals `impact`, so the impact axis is `impact` whatever the weights.
    assert result.impact == pytest.approx(impact)
    weights = SETTINGS.feasibility_weights
    drivers = (
        (data, weights.data_availability),
        (accuracy, weights.accuracy_requirement),
        (difficulty, weights.problem_difficulty),
    )
    expected = sum(v * w for v, w in drivers) / sum(w for _, w in drivers)
    assert result.feasibility == pytest.approx(expected)


@given(scores, scores, scores)
def test_better_data_never_lowers_feasibility(data: int, accuracy: int, difficulty: int) -> None:
    worse = make(data=data, accuracy=accuracy, difficulty=difficulty)
    better = make(data=min(5, data + 1), accuracy=accuracy, difficulty=difficulty)
    assert assess(better, SETTINGS).score >= assess(worse, SETTINGS).score


def test_unscored_projects_rank_after_scored_ones_and_closed_ones_last() -> None:
    """Issue 11, finding 6: untouched scores are no quick win; closed projects no candidates."""
    fresh = Project(id="a-fresh", title="New idea")
    weak = make("weak", impact=2, data=2, accuracy=2, difficulty=2)
    strong_shipped = make("strong", impact=5, data=5, accuracy=5, difficulty=5).model_copy(
        update={"stage": Stage.SHIPPED}
    )
    portfolio = Portfolio(projects=(fresh, strong_shipped, weak))
    by_id = {a.project_id: a for a in rank(portfolio)}
    assert by_id["a-fresh"].unscored == ("impact", "feasibility")
    assert not by_id["a-fresh"].scored
    assert by_id["strong"].closed
    assert [a.project_id for a in rank(portfolio)] == ["weak", "a-fresh", "strong"]
    assert [a.project_id for a in rank(portfolio, include_closed=False)] == ["weak", "a-fresh"]
    half = Project(id="half", title="Half", impact=Impact(automation=5))
    assert assess(half, SETTINGS).unscored == ("feasibility",)


def test_axis_values_are_what_assess_and_diff_read() -> None:
    """One reading of the scores: points (a target converted), range ends and weights."""
    ranged = Impact(cheap_prediction=4, ranges={"cheap_prediction": ScoreRange(low=2, high=5)})
    project = make(accuracy=None, accuracy_target=0.99).model_copy(update={"impact": ranged})
    impact = axis_values(project, SETTINGS, "impact")
    assert impact.by_name() == {
        "cheap_prediction": 4.0,
        "product_friction": 3.0,
        "automation": 3.0,
        "industry_precedent": 3.0,
    }
    assert impact.lows[0] == 2.0
    assert impact.highs[0] == 5.0
    feasibility = axis_values(project, SETTINGS, "feasibility")
    assert feasibility.by_name()["accuracy_requirement"] == pytest.approx(
        accuracy_score(0.99, 10.0)
    )
    result = assess(project, SETTINGS)
    assert (result.impact, *result.impact_range) == impact.means()
    assert (result.feasibility, *result.feasibility_range) == feasibility.means()
