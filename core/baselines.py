"""Baselines: the ladder of lower bounds per metric, and what the gap to it says.

The lecture: a baseline is a lower bound on expected performance, and the
tighter it is the more useful. A model far below its baseline is underfitting;
one that beats its baseline on training data but not on validation data is
overfitting. This module orders each metric's baselines, finds the tightest,
measures the best model against it and turns the gap into a hint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from core.evaluation import format_number, format_pair, is_better, oriented, read_score
from core.models import Baseline, BaselineKind, CandidateModel, Direction, Metric, Project

__all__ = [
    "EXTERNAL_KINDS",
    "KIND_ORDER",
    "BaselineKind",
    "ChartRow",
    "LadderRung",
    "MetricBaselines",
    "baselines_for",
    "best_model",
    "chart_rows",
    "is_external",
    "kind_rank",
    "ladder",
]

KIND_ORDER: tuple[BaselineKind, ...] = (
    BaselineKind.PUBLISHED,
    BaselineKind.STATE_OF_THE_ART,
    BaselineKind.SCRIPTED_RULES,
    BaselineKind.SIMPLE_MODEL,
    BaselineKind.DATASET_AVERAGE,
    BaselineKind.HUMAN_CROWD,
    BaselineKind.HUMAN_EXPERT,
    BaselineKind.HUMAN_ENSEMBLE,
)
"""The lecture's order: external baselines, then internal ones from cheap to dear."""

EXTERNAL_KINDS = frozenset({BaselineKind.PUBLISHED, BaselineKind.STATE_OF_THE_ART})
"""Baselines defined by others; every other kind is internal."""


def kind_rank(kind: BaselineKind) -> int:
    """A baseline kind's position in KIND_ORDER, for sorting."""
    return KIND_ORDER.index(kind)


def is_external(kind: BaselineKind) -> bool:
    """Whether a baseline kind comes from outside the team (published or state of the art)."""
    return kind in EXTERNAL_KINDS


@dataclass(frozen=True)
class LadderRung:
    """One baseline's score on a metric; `is_tightest` marks the best of the ladder."""

    baseline: str
    kind: BaselineKind
    value: float
    is_tightest: bool


@dataclass(frozen=True)
class MetricBaselines:
    """A metric's baselines worst to best, the best model's score and the gap between them.

    `gap` is the best model's validation score minus the tightest baseline's,
    signed so that positive means the model beats the baseline in the metric's
    direction. `hint` says "overfitting: ..." or "underfitting: ..." when the
    numbers suggest it.
    """

    metric: str
    direction: Direction
    ladder: tuple[LadderRung, ...]
    tightest: str | None
    best_model: str | None
    best_model_value: float | None
    gap: float | None
    hint: str | None


def ladder(project: Project, metric: Metric) -> tuple[LadderRung, ...]:
    """The baselines that score `metric`, worst to best in its direction.

    Equal values are ordered by kind (KIND_ORDER), then file order, so on a tie
    the dearer kind ranks as tighter: the lecture finds the harder-won baseline
    the more useful one. The last rung is the tightest.
    """
    scored: list[tuple[Baseline, float, int]] = []
    for index, baseline in enumerate(project.baselines):
        value, _ = read_score(baseline.scores, metric.name)
        if value is not None:
            scored.append((baseline, value, index))
    scored.sort(
        key=lambda item: (oriented(item[1], metric.direction), kind_rank(item[0].kind), item[2])
    )
    last = len(scored) - 1
    return tuple(
        LadderRung(baseline.name, baseline.kind, value, is_tightest=i == last)
        for i, (baseline, value, _) in enumerate(scored)
    )


def best_model(project: Project, metric: Metric) -> tuple[CandidateModel, float] | None:
    """The model with the best validation score on `metric` (first in file order on a tie)."""
    best: tuple[CandidateModel, float] | None = None
    for model in project.models:
        value, _ = read_score(model.scores, metric.name)
        if value is not None and (best is None or is_better(value, best[1], metric.direction)):
            best = (model, value)
    return best


def _hint(
    metric: Metric,
    tightest: LadderRung,
    model: CandidateModel,
    value: float,
    underfit_margin: float,
) -> str | None:
    """Overfitting, underfitting or nothing, from the best model against the tightest baseline.

    The underfitting margin is relative to the baseline's magnitude; a zero
    baseline has no magnitude, so the margin is then read as an absolute one.
    """
    direction, bar, name = metric.direction, tightest.value, tightest.baseline
    train, _ = read_score(model.train_scores, metric.name, "training")
    if (
        train is not None
        and is_better(train, bar, direction)
        and not is_better(value, bar, direction)
    ):
        shown_train, shown_value = format_pair(train, value)
        return (
            f"overfitting: beats {name} on training ({shown_train}) "
            f"but not on validation ({shown_value})"
        )
    # Here the training score, when known, does not beat the baseline either.
    shortfall = oriented(bar, direction) - oriented(value, direction)
    scale = abs(bar) if bar != 0 else 1.0
    if shortfall > underfit_margin * scale:
        side = "below" if direction == Direction.MAXIMIZE else "above"
        shown_value, shown_bar = format_pair(value, bar)
        return (
            f"underfitting: {format_number(shortfall)} {side} {name} ({shown_value} vs {shown_bar})"
        )
    return None


def metric_baselines(project: Project, metric: Metric, underfit_margin: float) -> MetricBaselines:
    """One metric's ladder, tightest baseline, best model, gap and hint."""
    rungs = ladder(project, metric)
    tightest = rungs[-1] if rungs else None
    best = best_model(project, metric)
    gap: float | None = None
    hint: str | None = None
    if tightest is not None and best is not None:
        model, value = best
        gap = oriented(value, metric.direction) - oriented(tightest.value, metric.direction)
        if math.isnan(gap):  # two infinities of one sign: no meaningful gap
            gap = None
        else:
            hint = _hint(metric, tightest, model, value, underfit_margin)
    return MetricBaselines(
        metric=metric.name,
        direction=metric.direction,
        ladder=rungs,
        tightest=tightest.baseline if tightest is not None else None,
        best_model=best[0].name if best is not None else None,
        best_model_value=best[1] if best is not None else None,
        gap=gap,
        hint=hint,
    )


def baselines_for(project: Project, underfit_margin: float) -> tuple[MetricBaselines, ...]:
    """Every metric's baselines and hint, in the order the metrics are listed.

    `underfit_margin` is the portfolio's `settings.underfit_margin`: how far
    (relative to the baseline) the best model may fall short before it counts
    as underfitting.
    """
    return tuple(metric_baselines(project, m, underfit_margin) for m in project.metrics)


ChartRow = tuple[str, Literal["model", "baseline"], float]
"""One bar of the chart: label, whether it is a model or a baseline, and the value."""


def chart_rows(project: Project, metric: str) -> tuple[ChartRow, ...]:
    """Models' validation scores and baselines' scores on one metric, best first.

    Equal values keep models before baselines, each in file order; an unknown
    metric gives no rows.
    """
    found = project.metric(metric)
    if found is None:
        return ()
    rows: list[ChartRow] = []
    for model in project.models:
        value, _ = read_score(model.scores, metric)
        if value is not None:
            rows.append((model.name, "model", value))
    for baseline in project.baselines:
        value, _ = read_score(baseline.scores, metric)
        if value is not None:
            rows.append((baseline.name, "baseline", value))
    rows.sort(key=lambda row: -oriented(row[2], found.direction))
    return tuple(rows)
