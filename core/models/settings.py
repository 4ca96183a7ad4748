"""Portfolio-wide settings: thresholds, quadrant names and weights of every calculation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    Field,
    model_validator,
)

from core.models.base import (
    Frozen,
    Line,
    Weight,
    _exact,
)


class QuadrantNames(Frozen):
    """Names of the four priority quadrants (impact up, feasibility across)."""

    quick_wins: Line = "quick wins"
    big_bets: Line = "big bets"
    fill_ins: Line = "fill-ins"
    avoid: Line = "avoid"


class ImpactWeights(Frozen):
    """How much each impact lens counts towards the impact score."""

    cheap_prediction: Weight = 1.0
    product_friction: Weight = 1.0
    automation: Weight = 1.0
    industry_precedent: Weight = 1.0


class FeasibilityWeights(Frozen):
    """How much each cost driver counts; by default in the lecture's order of importance."""

    data_availability: Weight = 3.0
    accuracy_requirement: Weight = 2.0
    problem_difficulty: Weight = 1.0


class Settings(Frozen):
    """Portfolio-wide settings: thresholds, names and the knobs of every calculation."""

    name: Line = "ML portfolio"
    impact_threshold: Annotated[float, Field(gt=1.0, lt=5.0), _exact("float_type")] = 3.0
    feasibility_threshold: Annotated[float, Field(gt=1.0, lt=5.0), _exact("float_type")] = 3.0
    near_boundary: Annotated[float, Field(ge=0.0, le=2.0), _exact("float_type")] = 0.25
    accuracy_cost_per_nine: Annotated[float, Field(gt=1.0, le=1000.0), _exact("float_type")] = 10.0
    rank_by: Literal["expected", "pessimistic"] = "expected"
    underfit_margin: Annotated[float, Field(ge=0.0, le=1.0), _exact("float_type")] = 0.05
    stale_days: Annotated[int, Field(ge=1, le=3650), _exact("int_type")] = 30
    quadrant_names: QuadrantNames = Field(default_factory=QuadrantNames)
    impact_weights: ImpactWeights = Field(default_factory=ImpactWeights)
    feasibility_weights: FeasibilityWeights = Field(default_factory=FeasibilityWeights)

    @model_validator(mode="after")
    def _weights(self) -> Settings:
        if sum(self.impact_weights.model_dump().values()) <= 0:
            raise ValueError("impact_weights must not all be zero")
        if sum(self.feasibility_weights.model_dump().values()) <= 0:
            raise ValueError("feasibility_weights must not all be zero")
        return self
