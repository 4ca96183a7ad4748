"""The portfolio's flow over a period: cycle time per stage, back-edges, outcomes and WIP.

`flow_figures(projects, now, period)` computes everything the Flow view and the
exports show, from the histories alone:

- time in stage: per project, the days spent in each stage within the period
  (a project that loops through a stage twice adds both visits); per stage,
  the spread of that over the projects that spent time there;
- back-edges moved within the period, counted by edge and by the lecture's
  reason code (`core.flow.reasons.reason_of`);
- outcomes reached within the period (parked, killed, shipped): how many
  projects, as a share of the projects active in the period, and the days
  from a project's start to the outcome;
- work in progress: how many projects sat in each lifecycle stage at evenly
  spaced instants across the period.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.flow.reasons import OTHER, lecture_reasons, reason_of
from core.flow.spans import DAY, Period, Span, Spread, spread, stage_spans
from core.models import LIFECYCLE, OUTCOMES, Project, Stage, TransitionKind
from core.vocabulary import BackReason

__all__ = [
    "TIMED_STAGES",
    "WIP_POINTS",
    "EdgeCount",
    "FlowFigures",
    "OutcomeFigures",
    "ReasonCount",
    "StageTime",
    "WipPoint",
    "flow_figures",
    "time_in_stages",
]

TIMED_STAGES: tuple[Stage, ...] = (*LIFECYCLE, Stage.PARKED)
"""The stages a project spends time in; killed and shipped are ends, not stages to wait in."""

WIP_POINTS = 24
"""How many instants the WIP series samples across the period, by default."""


@dataclass(frozen=True, slots=True)
class StageTime:
    """Time spent in one stage across the portfolio: the spread over projects, and who is there."""

    stage: Stage
    spread: Spread | None
    """Days per project, over the projects that spent time in the stage; None when none did."""
    open_now: int
    """Projects in this stage at the period's end."""


@dataclass(frozen=True, slots=True)
class EdgeCount:
    """How often projects went back along one edge."""

    from_stage: Stage
    to_stage: Stage
    count: int


@dataclass(frozen=True, slots=True)
class ReasonCount:
    """How often one of the lecture's reasons (or OTHER, per edge) sent a project back."""

    from_stage: Stage
    to_stage: Stage
    reason: BackReason
    count: int


@dataclass(frozen=True, slots=True)
class OutcomeFigures:
    """One outcome within the period: how many projects reached it, their share and time to it."""

    outcome: Stage
    count: int
    rate: float
    """`count` over the projects active in the period; 0 when none was."""
    days: Spread | None
    """Days from each project's start to the outcome."""


@dataclass(frozen=True, slots=True)
class WipPoint:
    """Projects in each lifecycle stage at one instant."""

    at: datetime
    counts: tuple[int, ...]
    """One count per stage of LIFECYCLE, in order."""


@dataclass(frozen=True, slots=True)
class FlowFigures:
    """Everything the Flow view and the exports show, for one period ending at `period.end`."""

    period: Period
    active: int
    """Projects that spent time in a stage within the period, or moved within it."""
    stage_times: tuple[StageTime, ...]
    """One per TIMED_STAGES, in order."""
    edges: tuple[EdgeCount, ...]
    """Back-edges with at least one move, most frequent first."""
    reasons: tuple[ReasonCount, ...]
    """Every lecture reason (zero counts too), in the lifecycle table's order, then OTHER per edge
    when used."""
    outcomes: tuple[OutcomeFigures, ...]
    """Parked, killed, shipped."""
    wip: tuple[WipPoint, ...]

    @property
    def back_edges(self) -> int:
        """All back moves in the period."""
        return sum(e.count for e in self.edges)

    def stage_time(self, stage: Stage) -> StageTime:
        """The figures of one timed stage."""
        return next(t for t in self.stage_times if t.stage is stage)

    def outcome(self, stage: Stage) -> OutcomeFigures:
        """The figures of one outcome."""
        return next(o for o in self.outcomes if o.outcome is stage)


def time_in_stages(spans: Iterable[Span], period: Period) -> dict[Stage, float]:
    """Days spent in each stage inside the period; stages never held inside it are absent."""
    days: dict[Stage, float] = {}
    for span in spans:
        if span.stage not in TIMED_STAGES:
            continue
        inside = period.overlap(span.start, span.end)
        if inside or (span.start == span.end and period.holds(span.start)):
            days[span.stage] = days.get(span.stage, 0.0) + inside / DAY
    return days


def _samples(period: Period, earliest: datetime | None, points: int) -> tuple[datetime, ...]:
    """`points` evenly spaced instants from the period's start (or earliest start) to its end."""
    first = period.start if period.start is not None else earliest
    if first is None or first >= period.end or points < 2:
        return (period.end,)
    step = (period.end - first) / (points - 1)
    return (*(first + step * i for i in range(points - 1)), period.end)


def flow_figures(
    projects: Iterable[Project], now: datetime, period: Period, *, points: int = WIP_POINTS
) -> FlowFigures:
    """The portfolio's flow within `period` (which should end at `now`), from the histories."""
    per_stage: dict[Stage, list[float]] = {stage: [] for stage in TIMED_STAGES}
    open_now: Counter[Stage] = Counter()
    edges: Counter[tuple[Stage, Stage]] = Counter()
    reasons: Counter[tuple[Stage, Stage, BackReason]] = Counter()
    outcome_days: dict[Stage, list[float]] = {stage: [] for stage in OUTCOMES}
    all_spans: list[tuple[Span, ...]] = []
    active = 0
    for project in projects:
        spans = stage_spans(project, now)
        if not spans:
            continue
        all_spans.append(spans)
        held = time_in_stages(spans, period)
        if held or any(period.holds(move.at) for move in project.history):
            active += 1
        for stage, days in held.items():
            per_stage[stage].append(days)
        current = spans[-1].stage
        if current in TIMED_STAGES:
            open_now[current] += 1
        reached: set[Stage] = set()
        for move in project.history:
            if not period.holds(move.at):
                continue
            if move.kind is TransitionKind.BACK:
                edges[move.from_stage, move.to_stage] += 1
                reasons[move.from_stage, move.to_stage, reason_of(move)] += 1
            elif move.to_stage in OUTCOMES and move.to_stage not in reached:
                reached.add(move.to_stage)
                outcome_days[move.to_stage].append(max(move.at - spans[0].start, DAY * 0) / DAY)
    earliest = min((s[0].start for s in all_spans), default=None)
    return FlowFigures(
        period=period,
        active=active,
        stage_times=tuple(
            StageTime(stage, spread(per_stage[stage]), open_now[stage]) for stage in TIMED_STAGES
        ),
        edges=tuple(
            EdgeCount(a, b, n)
            for (a, b), n in sorted(edges.items(), key=lambda item: (-item[1], item[0]))
        ),
        reasons=_reason_rows(reasons),
        outcomes=tuple(
            OutcomeFigures(
                stage,
                len(outcome_days[stage]),
                len(outcome_days[stage]) / active if active else 0.0,
                spread(outcome_days[stage]),
            )
            for stage in OUTCOMES
        ),
        wip=_wip(all_spans, _samples(period, earliest, points)),
    )


def _reason_rows(counts: Counter[tuple[Stage, Stage, BackReason]]) -> tuple[ReasonCount, ...]:
    """Every lecture reason with its count, each edge's OTHER after its reasons when used."""
    by_edge: dict[tuple[Stage, Stage], list[BackReason]] = {}
    for a, b, reason in lecture_reasons():
        by_edge.setdefault((a, b), []).append(reason)
    rows: list[ReasonCount] = []
    for (a, b), named in by_edge.items():
        rows.extend(ReasonCount(a, b, reason, counts[a, b, reason]) for reason in named)
        if counts[a, b, OTHER]:
            rows.append(ReasonCount(a, b, OTHER, counts[a, b, OTHER]))
    return tuple(rows)


def _wip(all_spans: Sequence[Sequence[Span]], samples: Sequence[datetime]) -> tuple[WipPoint, ...]:
    """Projects per lifecycle stage at each sample instant: each span adds to the samples it holds.

    A span holds the instants in [start, end), the open span also its end, so
    a project counts once per instant.
    """
    index = {stage: i for i, stage in enumerate(LIFECYCLE)}
    grid = [[0] * len(LIFECYCLE) for _ in samples]
    for spans in all_spans:
        for span in spans:
            column = index.get(span.stage)
            if column is None:
                continue
            first = bisect_left(samples, span.start)
            stop = bisect_right if span.is_open else bisect_left
            for row in range(first, stop(samples, span.end)):
                grid[row][column] += 1
    return tuple(WipPoint(at, tuple(row)) for at, row in zip(samples, grid, strict=True))
