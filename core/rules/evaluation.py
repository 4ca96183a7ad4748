"""Metric verdicts: which candidate models meet the thresholds, and which one wins.

The lecture's advice is to optimise one number and hold the others to
thresholds (n-1 satisficing), or, less often, to rank models by a weighted
average. This module applies either strategy to a project's candidate models
and says, in one plain line per model, why it is or is not the winner.

Weighted strategy: each metric is first normalised in its direction, so that
units cannot matter (milliseconds would otherwise swamp a 0-1 accuracy)::

    n_m(model) = (s_m * v_m - low_m) / (high_m - low_m)
    weighted(model) = sum(w_m * n_m(model)) / sum(w_m)

where v_m is the model's validation score, s_m is +1 for a maximised metric
and -1 for a minimised one (so higher is always better), and w_m the metric's
`weight` (1.0 when unset). low_m and high_m are the lowest and highest of s_m * x
over everything known on the metric: the candidate models with a complete
weighted score, the baselines' scores and the threshold's bar. The span of the
ladder and the bar makes the normalisation meaningful even with two models (a
min-max over two models alone would make every metric a 0-or-1 vote). When
every value is equal (one model and nothing else, or a zero range) n_m is 1 for
everyone: the metric cannot separate the models. The result lies in 0..1 for
the models; a change of unit (ms to s, any positive factor) or a shift of a
metric's values, baselines and bar together leaves every n_m, and so the winner,
unchanged. Metrics with weight 0 are left out; a model missing the score of any
other metric, or with an infinite one, has no weighted score. Thresholds still
apply as constraints, and no metric needs `optimise` under this strategy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from core.models import CandidateModel, Direction, Metric, MetricStrategy, Project

ABSOLUTE = "absolute"
"""`ResolvedThreshold.source` for a threshold given as a number."""

DEFAULT_WEIGHT = 1.0
"""A metric's weight in the weighted strategy when it sets none."""

WEIGHTED_LABEL = "weighted score"
"""What the objective is called under the weighted strategy."""


# -- small numeric helpers, shared with core.rules.baselines ---------------------------------


def format_number(value: float, digits: int = 6) -> str:
    """Render a score briefly (0.93, 240, 1.5e-05) for plain-text messages."""
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def format_pair(first: float, second: float) -> tuple[str, str]:
    """Render two scores with just enough digits that unequal values never look equal."""
    left, right = format_number(first), format_number(second)
    for digits in (9, 12, 17):
        if left != right or first == second:
            break
        left, right = format_number(first, digits), format_number(second, digits)
    return left, right


def oriented(value: float, direction: Direction) -> float:
    """The value turned so that higher is better whatever the metric's direction."""
    return value if direction == Direction.MAXIMIZE else -value


def is_better(first: float, second: float, direction: Direction) -> bool:
    """Whether `first` is strictly better than `second` in the metric's direction."""
    return oriented(first, direction) > oriented(second, direction)


def meets(value: float, bar: float, direction: Direction) -> bool:
    """Whether a value clears a bar: at least the bar when maximising, at most when minimising."""
    return value >= bar if direction == Direction.MAXIMIZE else value <= bar


def read_score(
    scores: Mapping[str, float], metric: str, what: str = "validation"
) -> tuple[float | None, str]:
    """A usable score for `metric`, or None and a plain reason why there is none.

    NaN (which TOML can spell) is refused here so no comparison ever sees it.
    """
    if metric not in scores:
        return None, f"no {what} score for {metric}"
    value = scores[metric]
    if math.isnan(value):
        return None, f"{what} score for {metric} is not a number"
    return value, ""


def metric_weight(metric: Metric) -> float:
    """The metric's weight in the weighted strategy; unset means DEFAULT_WEIGHT."""
    return DEFAULT_WEIGHT if metric.weight is None else metric.weight


# -- thresholds --------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedThreshold:
    """A satisficing metric's bar as a number, or the problem that prevents one.

    `source` is for display: ABSOLUTE for a numeric threshold, else the
    baseline's name. `baseline` is for logic: the baseline's name, or None for a
    numeric threshold (a baseline may itself be called "absolute"). A baseline's
    bar is its score moved by `margin` in the metric's better direction.
    """

    metric: str
    direction: Direction
    bar: float | None
    source: str
    baseline: str | None = None
    margin: float = 0.0
    problem: str | None = None


def resolve_threshold(project: Project, metric: Metric) -> ResolvedThreshold | None:
    """The bar a metric holds models to, or None when the metric is not thresholded."""
    if metric.threshold is not None:
        problem = None
        if math.isnan(metric.threshold):
            problem = f"threshold for {metric.name} is not a number"
        return ResolvedThreshold(
            metric=metric.name,
            direction=metric.direction,
            bar=None if problem else metric.threshold,
            source=ABSOLUTE,
            problem=problem,
        )
    if metric.threshold_baseline is None:
        return None
    name = metric.threshold_baseline
    baseline = project.baseline(name)
    bar: float | None = None
    if baseline is None:
        problem = f"baseline '{name}' does not exist"
    else:
        value = baseline.scores.get(metric.name)
        if value is None:
            problem = f"baseline '{name}' has no score for {metric.name}"
        elif math.isnan(value):
            problem = f"baseline '{name}' has a score for {metric.name} that is not a number"
        else:
            shift = metric.threshold_margin
            bar = value + shift if metric.direction == Direction.MAXIMIZE else value - shift
            problem = None
            if math.isnan(bar):
                bar, problem = None, f"threshold_margin for {metric.name} is not a number"
    return ResolvedThreshold(
        metric=metric.name,
        direction=metric.direction,
        bar=bar,
        source=name,
        baseline=name,
        margin=metric.threshold_margin,
        problem=problem,
    )


def resolve_thresholds(project: Project) -> tuple[ResolvedThreshold, ...]:
    """Every thresholded metric's bar, in the order the metrics are listed."""
    resolved = (resolve_threshold(project, metric) for metric in project.metrics)
    return tuple(r for r in resolved if r is not None)


@dataclass(frozen=True)
class ThresholdCheck:
    """One model against one threshold: its value, the bar, and a plain reason."""

    metric: str
    value: float | None
    bar: float | None
    passed: bool
    reason: str


def check_threshold(threshold: ResolvedThreshold, model: CandidateModel) -> ThresholdCheck:
    """Hold a model's validation score to a bar; a missing score or bar fails the check."""
    name = threshold.metric
    if threshold.bar is None:
        reason = f"cannot check {name}: {threshold.problem}"
        return ThresholdCheck(name, None, None, passed=False, reason=reason)
    value, missing = read_score(model.scores, name)
    if value is None:
        return ThresholdCheck(name, None, threshold.bar, passed=False, reason=missing)
    passed = meets(value, threshold.bar, threshold.direction)
    shown, bar = format_pair(value, threshold.bar)
    if threshold.direction == Direction.MAXIMIZE:
        operator = ">=" if passed else "<"
    else:
        operator = "<=" if passed else ">"
    reason = f"{name}: {shown} {operator} {bar}"
    return ThresholdCheck(
        name, value, threshold.bar, passed, reason if passed else "fails " + reason
    )


# -- objective ---------------------------------------------------------------------------


WeightedRanges = dict[str, tuple[float, float]]
"""Per weighted metric: the lowest and highest oriented value known (see the module docstring)."""


def _weighted_inputs(model: CandidateModel, metrics: tuple[Metric, ...]) -> tuple[bool, str]:
    """Whether the model has a finite score for every weighted metric, and if not why."""
    for metric in metrics:
        if metric_weight(metric) == 0:
            continue
        value, missing = read_score(model.scores, metric.name)
        if value is None:
            return False, f"{missing}, needed for the weighted score"
        if math.isinf(value):
            return False, f"validation score for {metric.name} is infinite, so it cannot be weighed"
    return True, ""


def weighted_ranges(project: Project) -> WeightedRanges:
    """Each weighted metric's oriented span over complete models, baselines and the bar."""
    complete = [m for m in project.models if _weighted_inputs(m, project.metrics)[0]]
    ranges: WeightedRanges = {}
    for metric in project.metrics:
        if metric_weight(metric) == 0:
            continue
        values = [m.scores[metric.name] for m in complete]
        values += [b.scores[metric.name] for b in project.baselines if metric.name in b.scores]
        threshold = resolve_threshold(project, metric)
        if threshold is not None and threshold.bar is not None:
            values.append(threshold.bar)
        known = [oriented(v, metric.direction) for v in values if math.isfinite(v)]
        if known:
            ranges[metric.name] = (min(known), max(known))
    return ranges


def weighted_score(
    model: CandidateModel, metrics: tuple[Metric, ...], ranges: WeightedRanges
) -> tuple[float | None, str]:
    """The model's normalised weighted score (see the module docstring), or None and why not."""
    total = sum(metric_weight(m) for m in metrics)
    if total <= 0:
        return None, "every metric weight is zero, so there is no weighted score"
    usable, problem = _weighted_inputs(model, metrics)
    if not usable:
        return None, problem
    combined = 0.0
    for metric in metrics:
        weight = metric_weight(metric)
        if weight == 0:
            continue
        low, high = ranges[metric.name]
        value = oriented(model.scores[metric.name], metric.direction)
        combined += weight * (1.0 if high == low else (value - low) / (high - low))
    return combined / total, ""


def _objective(
    project: Project, model: CandidateModel, ranges: WeightedRanges
) -> tuple[float | None, str]:
    """The number the winner is picked by, or None and why there is none."""
    if not project.metrics:
        return None, "no metrics defined yet"
    if project.metric_strategy == "weighted":
        return weighted_score(model, project.metrics, ranges)
    optimising = project.optimising_metric
    if optimising is None:  # unreachable: a project with metrics has exactly one
        return None, "no optimising metric"
    return read_score(model.scores, optimising.name)


# -- verdicts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelVerdict:
    """One candidate model's result: its checks, its objective and why it did not win.

    `objective` is the optimised metric's validation score (thresholds strategy)
    or the weighted score (weighted strategy); `why_not` is empty for the winner.
    """

    model: str
    checks: tuple[ThresholdCheck, ...]
    passes: bool
    objective: float | None
    is_winner: bool
    why_not: str


@dataclass(frozen=True)
class Evaluation:
    """A project's metric verdicts: thresholds, one verdict per model in file order, the winner.

    `objective_label` names what `ModelVerdict.objective` measures ("accuracy",
    or "weighted score"); `note` explains a missing winner or an unusable
    threshold, and is empty when there is nothing to add.
    """

    project_id: str
    optimising: str | None
    strategy: MetricStrategy
    objective_label: str
    thresholds: tuple[ResolvedThreshold, ...]
    verdicts: tuple[ModelVerdict, ...]
    winner: str | None
    note: str

    def verdict(self, model: str) -> ModelVerdict | None:
        """The verdict for the model called `model`, if any."""
        return next((v for v in self.verdicts if v.model == model), None)


def _first_failure(checks: tuple[ThresholdCheck, ...]) -> str:
    """The first failed check's reason, with a count of the others to keep it one line."""
    failures = [c.reason for c in checks if not c.passed]
    more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
    return failures[0] + more


def _loses_to(objective: float, best: float, winner: str, label: str, direction: Direction) -> str:
    """Why a passing model with a score lost to the winner: a tie or a worse value."""
    mine, theirs = format_pair(objective, best)
    if objective == best:
        return f"ties winner {winner} on {label} ({theirs}); the first in file order wins"
    if direction == Direction.MAXIMIZE:
        return f"lower {label} than winner {winner} ({mine} < {theirs})"
    return f"higher {label} than winner {winner} ({mine} > {theirs})"


def evaluate(project: Project) -> Evaluation:
    """Check every candidate model against the thresholds and pick the winner.

    The winner passes every threshold and has the best objective among the
    models that do; on a tie the first in file order wins.
    """
    optimising = project.optimising_metric
    weighted = project.metric_strategy == "weighted"
    if weighted:
        label, direction = WEIGHTED_LABEL, Direction.MAXIMIZE
    elif optimising is not None:
        label, direction = optimising.name, optimising.direction
    else:
        label, direction = "", Direction.MAXIMIZE
    thresholds = resolve_thresholds(project)

    ranges = weighted_ranges(project) if weighted else {}
    rows: list[tuple[CandidateModel, tuple[ThresholdCheck, ...], float | None, str]] = []
    for model in project.models:
        checks = tuple(check_threshold(t, model) for t in thresholds)
        objective, problem = _objective(project, model, ranges)
        rows.append((model, checks, objective, problem))

    winner: tuple[str, float] | None = None
    for model, checks, objective, _ in rows:
        if objective is None or not all(c.passed for c in checks):
            continue
        if winner is None or is_better(objective, winner[1], direction):
            winner = (model.name, objective)

    verdicts: list[ModelVerdict] = []
    for model, checks, objective, problem in rows:
        passes = all(c.passed for c in checks)
        is_winner = winner is not None and model.name == winner[0]
        if is_winner:
            why_not = ""
        elif not passes:
            why_not = _first_failure(checks)
        elif objective is None or winner is None:
            why_not = problem
        else:
            why_not = _loses_to(objective, winner[1], winner[0], label, direction)
        verdicts.append(ModelVerdict(model.name, checks, passes, objective, is_winner, why_not))

    return Evaluation(
        project_id=project.id,
        optimising=optimising.name if optimising is not None else None,
        strategy=project.metric_strategy,
        objective_label=label,
        thresholds=thresholds,
        verdicts=tuple(verdicts),
        winner=winner[0] if winner is not None else None,
        note=_note(project, thresholds, verdicts, label),
    )


def _note(
    project: Project,
    thresholds: tuple[ResolvedThreshold, ...],
    verdicts: list[ModelVerdict],
    label: str,
) -> str:
    """One line on why there is no winner, and on thresholds that cannot be checked."""
    parts: list[str] = []
    if not project.metrics:
        parts.append("no metrics defined yet")
    elif not verdicts:
        parts.append("no candidate models yet")
    elif not any(v.passes for v in verdicts):
        parts.append("no model passes every threshold")
    elif not any(v.is_winner for v in verdicts):
        if project.metric_strategy == "weighted" and not any(
            metric_weight(m) > 0 for m in project.metrics
        ):
            parts.append("every metric weight is zero, so there is no weighted score")
        elif project.metric_strategy == "weighted":
            parts.append("no model that passes every threshold has a complete weighted score")
        else:
            parts.append(f"no model that passes every threshold has a score for {label}")
    parts.extend(
        f"the threshold on {t.metric} cannot be checked: {t.problem}"
        for t in thresholds
        if t.problem is not None
    )
    return "; ".join(parts)
