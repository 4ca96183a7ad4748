"""A project's history as spans of time in each stage, and the summary statistics of durations.

Every flow figure starts here: a project's history (its transitions) and its
creation time become consecutive spans, each a stage held from one instant to
the next, the last one open until `now`. A `Period` clips spans to a window so
that "the last 90 days" counts only time spent in those days.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.models import Project, Stage, TransitionKind

__all__ = [
    "DAY",
    "PERIODS",
    "Period",
    "Span",
    "Spread",
    "period_for",
    "project_start",
    "spread",
    "stage_at",
    "stage_spans",
]

DAY = timedelta(days=1)

PERIODS: tuple[tuple[str, int | None], ...] = (
    ("all time", None),
    ("last 365 days", 365),
    ("last 90 days", 90),
    ("last 30 days", 30),
)
"""The periods a view offers, widest first: a label and its length in days (None: no start)."""


@dataclass(frozen=True, slots=True)
class Period:
    """A window of time the figures look at: from `start` (None: the beginning) to `end`."""

    label: str
    start: datetime | None
    end: datetime

    def overlap(self, start: datetime, end: datetime) -> timedelta:
        """How much of [start, end) lies inside the period (never negative)."""
        low = start if self.start is None else max(start, self.start)
        high = min(end, self.end)
        return max(high - low, timedelta(0))

    def holds(self, moment: datetime) -> bool:
        """Whether an instant (a move) falls inside the period."""
        return (self.start is None or moment >= self.start) and moment <= self.end


def period_for(now: datetime, days: int | None = None, label: str = "") -> Period:
    """The period ending at `now` and reaching `days` back (None: all time)."""
    if days is None:
        return Period(label or "all time", None, now)
    return Period(label or f"last {days} days", now - days * DAY, now)


@dataclass(frozen=True, slots=True)
class Span:
    """One stretch of a project in one stage: how it got there, and from when to when."""

    stage: Stage
    start: datetime
    end: datetime
    """The next move, or `now` for the stage the project is in."""
    entered_by: TransitionKind | None
    """The kind of move that entered the stage; None for the stage the project was created in."""
    reason: str = ""
    """The reason given for the move that entered the stage."""
    is_open: bool = False
    """Whether this is the stage the project is in now."""

    @property
    def days(self) -> float:
        """The span's length in days (fractions kept)."""
        return (self.end - self.start) / DAY


def project_start(project: Project) -> datetime | None:
    """When the project began: its creation, or its first move when that is earlier or unknown."""
    first = project.history[0].at if project.history else None
    if project.created_at is None:
        return first
    if first is None:
        return project.created_at
    return min(project.created_at, first)


def stage_spans(project: Project, now: datetime) -> tuple[Span, ...]:
    """The project's history as consecutive spans, oldest first; () when no time is known.

    Each span ends where the next begins, the last at `now` (never before its
    start: a move dated after `now` gives a span of no length).
    """
    start = project_start(project)
    if start is None:
        return ()
    spans: list[Span] = []
    stage = project.history[0].from_stage if project.history else project.stage
    kind: TransitionKind | None = None
    reason = ""
    at = start
    for move in project.history:
        end = max(move.at, at)
        spans.append(Span(stage, at, end, kind, reason))
        stage, kind, reason, at = move.to_stage, move.kind, move.reason, end
    spans.append(Span(stage, at, max(now, at), kind, reason, is_open=True))
    return tuple(spans)


def stage_at(spans: Sequence[Span], moment: datetime) -> Stage | None:
    """The stage the spans place the project in at `moment`; None before it began."""
    found: Stage | None = None
    for span in spans:
        if span.start > moment:
            break
        found = span.stage
    return found


@dataclass(frozen=True, slots=True)
class Spread:
    """How a set of durations (in days) spreads: count, min, quartiles, median and max."""

    count: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


def spread(values: Sequence[float]) -> Spread | None:
    """The spread of `values`, or None when there are none.

    Quartiles are the inclusive kind (the median of each half, linearly
    interpolated), so one value is its own min, quartiles, median and max.
    """
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = q3 = ordered[0]
    else:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(
        count=len(ordered),
        minimum=ordered[0],
        q1=q1,
        median=statistics.median(ordered),
        q3=q3,
        maximum=ordered[-1],
    )
