"""A project's two axes as judged: impact lenses and cost drivers, 1-5, with ranges."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    model_validator,
)

from core.models.base import (
    Frozen,
    Score,
    Text,
    _exact,
)
from core.vocabulary import IMPACT_LENSES


class ScoreRange(Frozen):
    """An uncertain score: the lowest and highest value the team finds plausible."""

    low: Score
    high: Score

    @model_validator(mode="after")
    def _ordered(self) -> ScoreRange:
        if self.low > self.high:
            raise ValueError(f"range low {self.low} is above high {self.high}")
        return self


def _ranges_cover(scores: dict[str, int], ranges: dict[str, ScoreRange]) -> None:
    """Check every range names a known score and contains its point value."""
    for name, rng in ranges.items():
        if name not in scores:
            raise ValueError(f"range given for unknown score {name!r}")
        if not rng.low <= scores[name] <= rng.high:
            raise ValueError(
                f"{name} = {scores[name]} lies outside its range [{rng.low}, {rng.high}]"
            )


class Impact(Frozen):
    """Where is prediction cheap and valuable: the lecture's four lenses, each 1-5."""

    cheap_prediction: Score = 3
    product_friction: Score = 3
    automation: Score = 3
    industry_precedent: Score = 3
    ranges: dict[str, ScoreRange] = Field(default_factory=dict)
    notes: Text = ""

    @model_validator(mode="after")
    def _ranges(self) -> Impact:
        _ranges_cover({k: getattr(self, k) for k in IMPACT_LENSES}, self.ranges)
        return self


class FeasibilityNotes(Frozen):
    """Answers to the cost drivers' sub-questions, all optional free text."""

    data_acquisition: Text = ""
    labelling_cost: Text = ""
    data_volume: Text = ""
    data_stability: Text = ""
    data_security: Text = ""
    cost_of_errors: Text = ""
    required_frequency: Text = ""
    ethical_implications: Text = ""
    well_defined: Text = ""
    published_work: Text = ""
    compute: Text = ""
    human_can_do: Text = ""


class Feasibility(Frozen):
    """The three cost drivers, each 1-5 where 5 is cheapest (most feasible).

    The accuracy requirement may instead be stated as a target (e.g. 0.999); its
    score then follows from the portfolio's cost-per-nine setting.
    """

    data_availability: Score = 3
    accuracy_requirement: Score | None = None
    accuracy_target: Annotated[float, Field(gt=0.0, lt=1.0), _exact("float_type")] | None = None
    problem_difficulty: Score = 3
    ranges: dict[str, ScoreRange] = Field(default_factory=dict)
    notes: FeasibilityNotes = Field(default_factory=FeasibilityNotes)

    @model_validator(mode="after")
    def _one_accuracy(self) -> Feasibility:
        if self.accuracy_requirement is not None and self.accuracy_target is not None:
            raise ValueError("give accuracy_requirement or accuracy_target, not both")
        scores = {"data_availability": self.data_availability}
        scores["problem_difficulty"] = self.problem_difficulty
        if self.accuracy_requirement is not None:
            scores["accuracy_requirement"] = self.accuracy_requirement
        _ranges_cover(scores, self.ranges)
        return self
