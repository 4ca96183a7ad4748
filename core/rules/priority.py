"""Priority: impact and feasibility scores, quadrants, ranking and uncertainty.

The lecture puts projects on two axes, impact up and feasibility across; the
quadrant decides what to do with them. Scores are weighted means on the 1-5
scale, so the thresholds read in the same units as the judgements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from core.models import (
    OUTCOMES,
    Feasibility,
    Impact,
    Portfolio,
    Project,
    QuadrantNames,
    ScoreRange,
    Settings,
)
from core.vocabulary import FEASIBILITY_DRIVERS, IMPACT_LENSES


class Quadrant(StrEnum):
    """The four priority quadrants; their display names are a portfolio setting."""

    QUICK_WINS = "quick_wins"
    BIG_BETS = "big_bets"
    FILL_INS = "fill_ins"
    AVOID = "avoid"


def quadrant_name(quadrant: Quadrant, names: QuadrantNames) -> str:
    """The portfolio's display name for a quadrant."""
    return str(getattr(names, quadrant.value))


def accuracy_score(target: float, cost_per_nine: float) -> float:
    """Map an accuracy target onto the 1-5 feasibility scale.

    The lecture: cost grows roughly `cost_per_nine` times for every extra nine.
    One point on the scale is a tenfold cost, and 90% (one nine) scores 5.
    """
    nines = -math.log10(1.0 - target)
    cost = cost_per_nine ** max(nines - 1.0, 0.0)
    return min(5.0, max(1.0, 5.0 - math.log10(cost)))


def _weighted(values: dict[str, float], weights: dict[str, float]) -> float:
    total = sum(weights.values())
    return sum(values[k] * weights[k] for k in values) / total


def _score_at(score: int, rng: ScoreRange | None, end: str) -> float:
    if rng is None or end == "point":
        return float(score)
    return float(rng.low if end == "low" else rng.high)


NEUTRAL_IMPACT = Impact()
"""Stands in for an impact never scored (every lens 3), so figures stay defined; such a
project is "unscored" (`Assessment.unscored`) and no quadrant or rank rests on it."""

NEUTRAL_FEASIBILITY = Feasibility()
"""Stands in for a feasibility never scored; see NEUTRAL_IMPACT."""


def impact_values(impact: Impact | None, end: str = "point") -> dict[str, float]:
    """Each lens's value at the point estimate, or at the `low` / `high` end of its range."""
    impact = NEUTRAL_IMPACT if impact is None else impact
    return {
        lens: _score_at(getattr(impact, lens), impact.ranges.get(lens), end)
        for lens in IMPACT_LENSES
    }


def feasibility_values(
    feasibility: Feasibility | None, settings: Settings, end: str = "point"
) -> dict[str, float]:
    """Each cost driver's value; a stated accuracy target is converted to the scale."""
    feasibility = NEUTRAL_FEASIBILITY if feasibility is None else feasibility
    values: dict[str, float] = {}
    for driver in FEASIBILITY_DRIVERS:
        raw = getattr(feasibility, driver)
        if driver == "accuracy_requirement" and raw is None:
            if feasibility.accuracy_target is not None:
                values[driver] = accuracy_score(
                    feasibility.accuracy_target, settings.accuracy_cost_per_nine
                )
            else:
                values[driver] = 3.0
            continue
        values[driver] = _score_at(raw, feasibility.ranges.get(driver), end)
    return values


def impact_score(project: Project, settings: Settings, end: str = "point") -> float:
    """The weighted mean of the four impact lenses (1-5)."""
    return _weighted(impact_values(project.impact, end), dict(settings.impact_weights))


def feasibility_score(project: Project, settings: Settings, end: str = "point") -> float:
    """The weighted mean of the three cost drivers (1-5, 5 = cheapest)."""
    values = feasibility_values(project.feasibility, settings, end)
    return _weighted(values, dict(settings.feasibility_weights))


def quadrant_of(impact: float, feasibility: float, settings: Settings) -> Quadrant:
    """Which quadrant a point falls in; a score on a threshold counts as high."""
    high_impact = impact >= settings.impact_threshold
    feasible = feasibility >= settings.feasibility_threshold
    if high_impact:
        return Quadrant.QUICK_WINS if feasible else Quadrant.BIG_BETS
    return Quadrant.FILL_INS if feasible else Quadrant.AVOID


@dataclass(frozen=True, slots=True)
class Assessment:
    """A project's place on the grid and in the ranking, with its uncertainty."""

    project_id: str
    impact: float
    feasibility: float
    quadrant: Quadrant
    score: float
    """Priority score 0-100: the product of the two axes, rescaled, rounded to 0.1 for display."""
    distance: float
    """Distance to the nearest quadrant boundary, in score points."""
    near_boundary: bool
    impact_range: tuple[float, float]
    feasibility_range: tuple[float, float]
    can_flip: bool
    """Whether the quadrant changes somewhere within the scores' ranges."""
    pessimistic_score: float
    raw_score: float
    """`score` before rounding: what the ranking sorts on."""
    raw_pessimistic: float
    """`pessimistic_score` before rounding."""
    unscored: tuple[str, ...] = ()
    """The axes never scored ("impact", "feasibility"): figures use the neutral 3s, and
    the project is placed in no quadrant and ranked after every scored one."""
    closed: bool = False
    """Parked, killed or shipped: out of the candidate ranking unless asked for."""

    @property
    def scored(self) -> bool:
        """Whether both axes have been scored."""
        return not self.unscored

    @property
    def candidate(self) -> bool:
        """Whether the project takes part in the default ranking, quadrants and Top line."""
        return not self.closed

    def ranked_score(self, pessimistic: bool) -> float:
        """The unrounded score the ranking uses: at the low ends when `pessimistic`."""
        return self.raw_pessimistic if pessimistic else self.raw_score


def _priority(impact: float, feasibility: float) -> float:
    """The priority score 0-100, unrounded: only displays round it."""
    return (impact - 1.0) * (feasibility - 1.0) / 16.0 * 100.0


def _axis(
    points: tuple[float, ...],
    ranges: dict[str, ScoreRange],
    names: tuple[str, ...],
    weights: tuple[float, ...],
) -> tuple[float, float, float]:
    """Weighted mean at the point estimate and at the low and high ends of the ranges."""
    total = sum(weights)
    mid = low = high = 0.0
    for name, point, weight in zip(names, points, weights, strict=True):
        rng = ranges.get(name)
        mid += point * weight
        low += (rng.low if rng else point) * weight
        high += (rng.high if rng else point) * weight
    return mid / total, low / total, high / total


def assess(project: Project, settings: Settings) -> Assessment:
    """Score one project: axes, quadrant, boundary distance and whether it can flip."""
    impact_in = NEUTRAL_IMPACT if project.impact is None else project.impact
    weights_i = settings.impact_weights
    impact, impact_low, impact_high = _axis(
        (
            impact_in.cheap_prediction,
            impact_in.product_friction,
            impact_in.automation,
            impact_in.industry_precedent,
        ),
        impact_in.ranges,
        IMPACT_LENSES,
        (
            weights_i.cheap_prediction,
            weights_i.product_friction,
            weights_i.automation,
            weights_i.industry_precedent,
        ),
    )
    feas_in = NEUTRAL_FEASIBILITY if project.feasibility is None else project.feasibility
    weights_f = settings.feasibility_weights
    accuracy: float
    if feas_in.accuracy_requirement is not None:
        accuracy = feas_in.accuracy_requirement
    elif feas_in.accuracy_target is not None:
        accuracy = accuracy_score(feas_in.accuracy_target, settings.accuracy_cost_per_nine)
    else:
        accuracy = 3.0
    feasibility, feas_low, feas_high = _axis(
        (feas_in.data_availability, accuracy, feas_in.problem_difficulty),
        feas_in.ranges,
        FEASIBILITY_DRIVERS,
        (
            weights_f.data_availability,
            weights_f.accuracy_requirement,
            weights_f.problem_difficulty,
        ),
    )
    quadrant = quadrant_of(impact, feasibility, settings)
    can_flip = False
    if impact_low != impact_high or feas_low != feas_high:
        corners = {
            quadrant_of(i, f, settings)
            for i in (impact_low, impact_high)
            for f in (feas_low, feas_high)
        }
        can_flip = corners != {quadrant}
    distance = min(
        abs(impact - settings.impact_threshold),
        abs(feasibility - settings.feasibility_threshold),
    )
    return Assessment(
        project_id=project.id,
        impact=impact,
        feasibility=feasibility,
        quadrant=quadrant,
        score=round(_priority(impact, feasibility), 1),
        distance=distance,
        near_boundary=distance <= settings.near_boundary,
        impact_range=(impact_low, impact_high),
        feasibility_range=(feas_low, feas_high),
        can_flip=can_flip,
        pessimistic_score=round(_priority(impact_low, feas_low), 1),
        raw_score=_priority(impact, feasibility),
        raw_pessimistic=_priority(impact_low, feas_low),
        unscored=project.unscored_axes,
        closed=project.stage in OUTCOMES,
    )


def assess_all(portfolio: Portfolio) -> dict[str, Assessment]:
    """Assess every project, keyed by id, in file order."""
    return {p.id: assess(p, portfolio.settings) for p in portfolio.projects}


def rank(
    portfolio: Portfolio, pessimistic: bool | None = None, *, include_closed: bool = True
) -> list[Assessment]:
    """Projects best first: open ones, then closed ones; within each, scored before unscored.

    Scored projects go by their unrounded priority score: sorting on the exact
    score keeps 39.13 above 39.06 although both show as 39.1. Equal scores,
    and unscored projects (whose figures are only placeholders), go by id, so
    the order never depends on the file's order. Parked, killed and shipped
    projects come after every open one, or are left out when `include_closed`
    is False (the candidate ranking). `pessimistic` overrides the portfolio's
    `rank_by` setting: the pessimistic ranking scores every project at the low
    end of its ranges.
    """
    use_low = portfolio.settings.rank_by == "pessimistic" if pessimistic is None else pessimistic
    assessments = [a for a in assess_all(portfolio).values() if include_closed or not a.closed]
    return sorted(assessments, key=lambda a: rank_key(a, use_low))


def rank_key(assessment: Assessment, pessimistic: bool) -> tuple[bool, bool, float, str]:
    """Where `rank` puts a project: sorting on this key gives the ranking (ids break ties)."""
    a = assessment
    return (a.closed, not a.scored, -a.ranked_score(pessimistic) if a.scored else 0.0, a.project_id)


def candidates(ranking: list[Assessment]) -> list[Assessment]:
    """The ranking without closed projects (parked, killed, shipped)."""
    return [a for a in ranking if a.candidate]
