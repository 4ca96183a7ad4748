"""What a project is measured by and against: metrics, baselines and candidate models."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import (
    BeforeValidator,
    Field,
    model_validator,
)

from core.models.base import (
    Flag,
    Frozen,
    Line,
    Measure,
    Name,
    Text,
    Weight,
    _nfc,
)


class Direction(StrEnum):
    """Which way a metric improves."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"


class Metric(Frozen):
    """A number models are judged by: optimised, held to a threshold, or weighted."""

    name: Name
    direction: Direction = Direction.MAXIMIZE
    optimise: Flag = False
    threshold: Measure | None = None
    threshold_baseline: Name | None = None
    threshold_margin: Measure = 0.0
    weight: Weight | None = None
    unit: Line = ""
    notes: Text = ""

    @model_validator(mode="after")
    def _one_threshold(self) -> Metric:
        if self.threshold is not None and self.threshold_baseline is not None:
            raise ValueError("give threshold or threshold_baseline, not both")
        if self.optimise and (self.threshold is not None or self.threshold_baseline is not None):
            raise ValueError("the optimising metric takes no threshold")
        return self

    @property
    def has_threshold(self) -> bool:
        """Whether this metric is satisficing (held to a threshold)."""
        return self.threshold is not None or self.threshold_baseline is not None


class BaselineKind(StrEnum):
    """Where a baseline comes from, external first, then internal from cheap to dear."""

    PUBLISHED = "published"
    STATE_OF_THE_ART = "state-of-the-art"
    SCRIPTED_RULES = "scripted-rules"
    SIMPLE_MODEL = "simple-model"
    DATASET_AVERAGE = "dataset-average"
    HUMAN_CROWD = "human-crowd"
    HUMAN_EXPERT = "human-expert"
    HUMAN_ENSEMBLE = "human-ensemble"


def _no_twin_keys(value: object) -> object:
    """Refuse a scores table whose keys repeat once written in Unicode normal form C."""
    if isinstance(value, dict):
        seen: set[object] = set()
        for key in value:
            folded = _nfc(key)
            if folded in seen:
                raise ValueError(f"the score {folded!r} is named twice (two spellings of one name)")
            seen.add(folded)
    return value


Scores = Annotated[dict[Name, Measure], BeforeValidator(_no_twin_keys)]
"""Scores by metric name: each key a name, each value a finite number within +-1e15."""


class Baseline(Frozen):
    """A lower bound on expected performance, with its scores per metric."""

    name: Name
    kind: BaselineKind
    source: Line = ""
    scores: Scores = Field(default_factory=dict)


class CandidateModel(Frozen):
    """A trained model's scores: validation scores, and training scores when known."""

    name: Name
    scores: Scores = Field(default_factory=dict)
    train_scores: Scores = Field(default_factory=dict)
    notes: Text = ""
