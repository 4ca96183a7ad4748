"""Baselines: the ladder of lower bounds per metric, and the diagnosis on the diagnosed metric.

The lecture: a baseline is a lower bound on expected performance, and the
tighter it is the more useful. This module orders each metric's baselines and
finds the tightest usable one (a baseline failing a threshold on another
metric is degenerate and skipped). Only the diagnosed metric (the optimised
one) gets a verdict: the winner's gap, avoidable bias and variance against its
tightest baseline (`core.rules.diagnosis`). Satisficing metrics are judged by their
thresholds; their ladders are context and never say a model is "behind".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.models import Baseline, BaselineKind, CandidateModel, Direction, Metric, Project
from core.rules.diagnosis import Diagnosis, degenerate_reason, diagnose, diagnosed_metric
from core.rules.evaluation import (
    Evaluation,
    ResolvedThreshold,
    evaluate,
    is_better,
    oriented,
    read_score,
    resolve_thresholds,
)

__all__ = [
    "EXTERNAL_KINDS",
    "KIND_ORDER",
    "BaselineKind",
    "ChartRow",
    "LadderRung",
    "MetricBaselines",
    "MetricRole",
    "baselines_for",
    "best_model",
    "chart_rows",
    "diagnosis_of",
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
    """One baseline's score on a metric; `is_tightest` marks the best usable rung.

    `ignored` says why a degenerate baseline is no bar (empty for a usable one).
    """

    baseline: str
    kind: BaselineKind
    value: float
    is_tightest: bool
    ignored: str = ""


MetricRole = Literal["diagnosed", "satisficing", "other"]
"""A metric's part in the contract: the diagnosed (optimised) one, a thresholded one, or neither."""


@dataclass(frozen=True)
class MetricBaselines:
    """A metric's baselines worst to best, and on the diagnosed metric the diagnosis.

    `best_model`, `best_model_value`, `gap` and `hint` restate the diagnosis
    (the winner, or the best candidate when none passes) and are None on every
    other metric: a satisficing metric is judged by its threshold alone.
    """

    metric: str
    direction: Direction
    ladder: tuple[LadderRung, ...]
    tightest: str | None
    role: MetricRole = "other"
    diagnosis: Diagnosis | None = None

    @property
    def best_model(self) -> str | None:
        """The diagnosed model, on the diagnosed metric only."""
        return self.diagnosis.model if self.diagnosis is not None else None

    @property
    def best_model_value(self) -> float | None:
        """The diagnosed model's validation score, on the diagnosed metric only."""
        return self.diagnosis.value if self.diagnosis is not None else None

    @property
    def gap(self) -> float | None:
        """The diagnosed model's validation score minus the tightest baseline's (> 0 beats it)."""
        return self.diagnosis.gap if self.diagnosis is not None else None

    @property
    def hint(self) -> str | None:
        """The diagnosis hint ("overfitting: ..."), on the diagnosed metric only."""
        return self.diagnosis.hint if self.diagnosis is not None else None


def ladder(
    project: Project, metric: Metric, thresholds: tuple[ResolvedThreshold, ...] | None = None
) -> tuple[LadderRung, ...]:
    """The baselines that score `metric`, worst to best in its direction.

    Equal values are ordered by kind (KIND_ORDER), then file order, so on a tie
    the dearer kind ranks as tighter: the lecture finds the harder-won baseline
    the more useful one. The best rung that is not degenerate (failing a
    threshold on another metric, see `core.rules.diagnosis.degenerate_reason`) is the
    tightest.
    """
    if thresholds is None:
        thresholds = resolve_thresholds(project)
    scored: list[tuple[Baseline, float, int]] = []
    for index, baseline in enumerate(project.baselines):
        value, _ = read_score(baseline.scores, metric.name)
        if value is not None:
            scored.append((baseline, value, index))
    scored.sort(
        key=lambda item: (oriented(item[1], metric.direction), kind_rank(item[0].kind), item[2])
    )
    reasons = [degenerate_reason(b, metric.name, thresholds) for b, _, _ in scored]
    usable = [i for i, reason in enumerate(reasons) if not reason]
    tightest = usable[-1] if usable else -1
    return tuple(
        LadderRung(baseline.name, baseline.kind, value, i == tightest, reasons[i])
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


def metric_baselines(
    project: Project,
    metric: Metric,
    underfit_margin: float,
    evaluation: Evaluation | None = None,
) -> MetricBaselines:
    """One metric's ladder and tightest baseline; the diagnosis when it is the diagnosed metric."""
    thresholds = resolve_thresholds(project) if evaluation is None else evaluation.thresholds
    rungs = ladder(project, metric, thresholds)
    tightest = next((r for r in rungs if r.is_tightest), None)
    target = diagnosed_metric(project)
    role: MetricRole = "other"
    diagnosis = None
    if target is not None and target.name == metric.name:
        role = "diagnosed"
        evaluation = evaluate(project) if evaluation is None else evaluation
        ignored = tuple((r.baseline, r.ignored) for r in rungs if r.ignored)
        bar = (tightest.baseline, tightest.value) if tightest is not None else None
        diagnosis = diagnose(
            project, metric, evaluation, bar, margin=underfit_margin, ignored=ignored
        )
    elif metric.has_threshold:
        role = "satisficing"
    return MetricBaselines(
        metric=metric.name,
        direction=metric.direction,
        ladder=rungs,
        tightest=tightest.baseline if tightest is not None else None,
        role=role,
        diagnosis=diagnosis,
    )


def baselines_for(
    project: Project, underfit_margin: float, evaluation: Evaluation | None = None
) -> tuple[MetricBaselines, ...]:
    """Every metric's baselines, in the order the metrics are listed; the diagnosed one diagnosed.

    `underfit_margin` is the portfolio's `settings.underfit_margin`, the
    diagnosis tolerance relative to the baseline. `evaluation` is
    `evaluate(project)` when the caller already has it.
    """
    evaluation = evaluate(project) if evaluation is None else evaluation
    return tuple(metric_baselines(project, m, underfit_margin, evaluation) for m in project.metrics)


def diagnosis_of(entries: tuple[MetricBaselines, ...]) -> Diagnosis | None:
    """The diagnosis among a project's metric entries, if any metric is diagnosed."""
    return next((e.diagnosis for e in entries if e.diagnosis is not None), None)


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
