"""Priority: impact and feasibility scores, quadrants, ranking and uncertainty.

The lecture puts projects on two axes, impact up and feasibility across; the
quadrant decides what to do with them. Scores are weighted means on the 1-5
scale, so the thresholds read in the same units as the judgements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from core.models import (
    OUTCOMES,
    Feasibility,
    FeasibilityWeights,
    Impact,
    ImpactWeights,
    Portfolio,
    Project,
    QuadrantNames,
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


NEUTRAL_IMPACT = Impact()
"""Stands in for an impact never scored (every lens 3), so figures stay defined; such a
project is "unscored" (`Assessment.unscored`) and no quadrant or rank rests on it."""

NEUTRAL_FEASIBILITY = Feasibility()
"""Stands in for a feasibility never scored; see NEUTRAL_IMPACT."""

Axis = Literal["impact", "feasibility"]
"""The grid's two axes: impact up, feasibility across."""

AXES: tuple[Axis, ...] = ("impact", "feasibility")


@dataclass(frozen=True, slots=True)
class AxisValues:
    """One axis's inputs in the lecture's order: each lens (or cost driver) at its point
    estimate and at the low and high ends of its range, with its weight."""

    names: tuple[str, ...]
    points: tuple[float, ...]
    lows: tuple[float, ...]
    highs: tuple[float, ...]
    weights: tuple[float, ...]

    def by_name(self) -> dict[str, float]:
        """Each input's point value by name: what a diff compares."""
        return dict(zip(self.names, self.points, strict=True))

    def means(self) -> tuple[float, float, float]:
        """The weighted mean (1-5) at the point estimates, and at the low and high ends."""
        total = sum(self.weights)
        mid = low = high = 0.0
        for point, lo, hi, weight in zip(
            self.points, self.lows, self.highs, self.weights, strict=True
        ):
            mid += point * weight
            low += lo * weight
            high += hi * weight
        return mid / total, low / total, high / total


def axis_values(project: Project, settings: Settings, axis: Axis) -> AxisValues:
    """The inputs of one axis of `project`: the one place its scores are read.

    An axis never scored reads as its neutral 3s. On feasibility, an accuracy stated as a
    target is converted to the scale (`accuracy_score`), and none at all counts as 3.
    """
    scores: Impact | Feasibility
    names: tuple[str, ...]
    weights: ImpactWeights | FeasibilityWeights
    if axis == "impact":
        scores = NEUTRAL_IMPACT if project.impact is None else project.impact
        names, weights = IMPACT_LENSES, settings.impact_weights
        points = {lens: float(getattr(scores, lens)) for lens in names}
    else:
        feasibility = NEUTRAL_FEASIBILITY if project.feasibility is None else project.feasibility
        scores, names, weights = feasibility, FEASIBILITY_DRIVERS, settings.feasibility_weights
        points = {}
        for driver in names:
            raw = getattr(feasibility, driver)
            if raw is not None:
                points[driver] = float(raw)
            elif feasibility.accuracy_target is not None:
                target = feasibility.accuracy_target
                points[driver] = accuracy_score(target, settings.accuracy_cost_per_nine)
            else:
                points[driver] = 3.0
    ranges = scores.ranges
    return AxisValues(
        names=names,
        points=tuple(points[name] for name in names),
        lows=tuple(float(ranges[n].low) if n in ranges else points[n] for n in names),
        highs=tuple(float(ranges[n].high) if n in ranges else points[n] for n in names),
        weights=tuple(float(getattr(weights, name)) for name in names),
    )


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


UNSCORED = "unscored"
"""What every surface shows instead of a quadrant for a project never scored."""


def _priority(impact: float, feasibility: float) -> float:
    """The priority score 0-100, unrounded: only displays round it."""
    return (impact - 1.0) * (feasibility - 1.0) / 16.0 * 100.0


def assess(project: Project, settings: Settings) -> Assessment:
    """Score one project: axes, quadrant, boundary distance and whether it can flip."""
    impact, impact_low, impact_high = axis_values(project, settings, "impact").means()
    feasibility, feas_low, feas_high = axis_values(project, settings, "feasibility").means()
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
