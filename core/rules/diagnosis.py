"""Model diagnosis: the winner against the tightest baseline, as avoidable bias and variance.

The lecture reads a model against its baseline: far short of it, the model
underfits; beating it on training data but not on new data, it overfits. The
usual way to make that exact (and the one this module follows) splits the
shortfall into two numbers, each in the metric's own units and signed so that
a positive number is a problem whatever the metric's direction:

* avoidable bias = how far the training score falls short of the tightest
  baseline (baseline - train when higher is better, train - baseline when
  lower is better); negative when training beats the baseline;
* variance = how far the validation score falls short of the training score
  (train - validation, or validation - train for a minimised metric).

Each is compared with one tolerance: `underfit_margin` (a portfolio setting,
0.05 by default) times the magnitude of the baseline (the training score when
there is no baseline, and the margin itself when that magnitude is 0). The
hint follows from the two comparisons alone (`fit_of`): only bias above the
tolerance is underfitting, only variance above it overfitting, both above it
both, neither on par. Without a training score the two cannot be told apart:
a validation score further behind the baseline than the tolerance is only
"behind the baseline".

The diagnosed model is the winner the metric contract picks; when there is no
winner, the best candidate on the diagnosed metric, marked as not passing. The
diagnosed metric is the optimised one (under the weighted strategy without an
optimised metric, the heaviest one). A dataset-average baseline (a constant
answer) that fails a threshold on another metric is degenerate: it buys its
score on one metric by giving up another ("always flag" catches every fraud at
a hopeless false-positive rate; "always pass" has 0 false rejects), so it is
never the bar. Other kinds stay bars even when they miss a threshold: a
published model too slow to ship still says what accuracy is reachable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from core.models import Baseline, BaselineKind, CandidateModel, Direction, Metric, Project
from core.rules.evaluation import (
    Evaluation,
    ResolvedThreshold,
    format_number,
    format_pair,
    is_better,
    meets,
    metric_weight,
    oriented,
    read_score,
)

__all__ = [
    "Diagnosis",
    "Fit",
    "degenerate_reason",
    "diagnose",
    "diagnosed_metric",
    "fit_of",
    "tolerance_for",
]


class Fit(StrEnum):
    """What the bias and variance of the diagnosed model say."""

    UNDERFITTING = "underfitting"
    OVERFITTING = "overfitting"
    BOTH = "underfitting and overfitting"
    ON_PAR = "on par"
    BEHIND = "behind the baseline"
    """No training score: the validation score is short of the baseline, cause unknown."""


def fit_of(
    bias: float | None, variance: float | None, gap: float | None, tolerance: float
) -> Fit | None:
    """The hint from avoidable bias, variance and the gap, each against `tolerance`.

    With a training score: bias and variance decide (strictly above the
    tolerance counts). Without one (`variance` None): BEHIND when the gap is
    more than the tolerance short, else no hint. Without a baseline (`bias`
    None) only variance can be judged.
    """
    if variance is None:
        return Fit.BEHIND if gap is not None and gap < -tolerance else None
    high_variance = variance > tolerance
    if bias is None:
        return Fit.OVERFITTING if high_variance else None
    high_bias = bias > tolerance
    if high_bias and high_variance:
        return Fit.BOTH
    if high_bias:
        return Fit.UNDERFITTING
    if high_variance:
        return Fit.OVERFITTING
    return Fit.ON_PAR


def tolerance_for(margin: float, reference: float | None) -> float:
    """`margin` relative to the reference's magnitude; absolute when it is 0, absent or infinite."""
    if reference is None or reference == 0 or not math.isfinite(reference):
        return margin
    return margin * abs(reference)


def diagnosed_metric(project: Project) -> Metric | None:
    """The optimised metric; if weighted without one, the heaviest (first on a tie)."""
    if project.optimising_metric is not None:
        return project.optimising_metric
    weighted = [m for m in project.metrics if metric_weight(m) > 0]
    if project.metric_strategy != "weighted" or not weighted:
        return None
    return max(weighted, key=metric_weight)


def degenerate_reason(
    baseline: Baseline, metric: str, thresholds: tuple[ResolvedThreshold, ...]
) -> str:
    """Why `baseline` is no bar on `metric`: a constant answer failing another metric's threshold.

    Empty for a usable bar. Only dataset-average baselines can be degenerate
    (see the module docstring); none is held to a threshold anchored on
    itself, nor to one it has no score for.
    """
    if baseline.kind is not BaselineKind.DATASET_AVERAGE:
        return ""
    for threshold in thresholds:
        if threshold.metric == metric or threshold.bar is None:
            continue
        if threshold.baseline == baseline.name:
            continue
        value, _ = read_score(baseline.scores, threshold.metric)
        if value is None or meets(value, threshold.bar, threshold.direction):
            continue
        shown, bar = format_pair(value, threshold.bar)
        operator = ">" if threshold.direction == Direction.MINIMIZE else "<"
        return f"degenerate: fails {threshold.metric} ({shown} {operator} {bar})"
    return ""


@dataclass(frozen=True)
class Diagnosis:
    """The diagnosed model on the diagnosed metric, against the tightest usable baseline.

    `passes` is True only for the winner; `gap` is validation minus baseline
    and positive when the model is ahead; `bias` and `variance` are positive
    when they are a problem (see the module docstring); `ignored` lists the
    degenerate baselines passed over, with why.
    """

    metric: str
    direction: Direction
    model: str | None
    passes: bool
    value: float | None
    train: float | None
    baseline: str | None
    baseline_value: float | None
    gap: float | None
    bias: float | None
    variance: float | None
    tolerance: float
    fit: Fit | None
    note: str
    ignored: tuple[tuple[str, str], ...] = ()

    @property
    def hint(self) -> str | None:
        """The fit as one line, "overfitting: variance 0.11 > tolerance 0.048 (…)", or None."""
        if self.fit is None:
            return None
        tol = format_number(self.tolerance)
        if self.fit is Fit.BEHIND and self.gap is not None and self.value is not None:
            shown, bar = format_pair(self.value, self.baseline_value or 0.0)
            return (
                f"{self.fit.value}: {format_number(-self.gap)} short of '{self.baseline}'"
                f" ({shown} vs {bar}), more than the tolerance {tol};"
                " no training score to tell bias from variance"
            )
        parts = []
        if self.bias is not None:
            parts.append(f"avoidable bias {_signed(self.bias)}")
        if self.variance is not None:
            parts.append(f"variance {_signed(self.variance)}")
        return f"{self.fit.value}: {', '.join(parts)} (tolerance {tol})"


def _signed(value: float) -> str:
    """A number with its sign: +0.03, -0.12, 0."""
    return ("+" if value > 0 else "") + format_number(value)


def _difference(better: float, worse: float, direction: Direction) -> float | None:
    """How far `worse` falls short of `better` in the metric's direction; None when undefined."""
    value = oriented(better, direction) - oriented(worse, direction)
    return None if math.isnan(value) else value + 0.0


def _candidate(
    project: Project, metric: Metric, evaluation: Evaluation
) -> tuple[CandidateModel | None, bool]:
    """The winner, or else the best model on the metric (first in file order), and if it wins."""
    if evaluation.winner is not None:
        winner = next(m for m in project.models if m.name == evaluation.winner)
        return winner, True
    best: tuple[CandidateModel, float] | None = None
    for model in project.models:
        value, _ = read_score(model.scores, metric.name)
        if value is not None and (best is None or is_better(value, best[1], metric.direction)):
            best = (model, value)
    return (best[0] if best is not None else None), False


def diagnose(
    project: Project,
    metric: Metric,
    evaluation: Evaluation,
    tightest: tuple[str, float] | None,
    *,
    margin: float,
    ignored: tuple[tuple[str, str], ...] = (),
) -> Diagnosis:
    """Diagnose the winner (or the best candidate) on `metric` against `tightest` (name, value).

    `tightest` is the best usable baseline on the metric, already chosen by
    the caller with degenerate baselines left out (`ignored`).
    """
    model, passes = _candidate(project, metric, evaluation)
    value = train = None
    note = ""
    if model is None:
        note = f"no model has a validation score for {metric.name}"
    else:
        value, _ = read_score(model.scores, metric.name)
        train, _ = read_score(model.train_scores, metric.name, "training")
        if not passes:
            cause = evaluation.note.split(";")[0] if evaluation.note else "there is no winner"
            note = f"{cause}: diagnosing the best candidate on {metric.name}, {model.name}"
    base_name, base_value = tightest if tightest is not None else (None, None)
    gap = bias = variance = None
    if value is not None and base_value is not None:
        gap = _difference(value, base_value, metric.direction)
    if train is not None and base_value is not None:
        bias = _difference(base_value, train, metric.direction)
    if train is not None and value is not None:
        variance = _difference(train, value, metric.direction)
    tolerance = tolerance_for(margin, base_value if base_value is not None else train)
    return Diagnosis(
        metric=metric.name,
        direction=metric.direction,
        model=model.name if model is not None else None,
        passes=passes,
        value=value,
        train=train,
        baseline=base_name,
        baseline_value=base_value,
        gap=gap,
        bias=bias,
        variance=variance,
        tolerance=tolerance,
        fit=fit_of(bias, variance if train is not None else None, gap, tolerance)
        if value is not None
        else None,
        note=note,
        ignored=ignored,
    )
