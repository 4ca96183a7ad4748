"""Each project's projections, kept by model identity and recomputed only where needed.

Models are immutable, so a project that is the very object projected for the
previous version, under the very same settings, has the same assessment, the
same timeless findings and the same sort key: an edit to one project of ten
thousand assesses and checks that one project again, and no other.

The clock is the one other input. The stale check and the board's days in
stage read it only in whole days (and through the stale threshold), so each
project's clock-dependent parts (all findings, their counts, the card)
carry the moment until which they hold (`valid_until`); a later version
reuses them until then and recomputes them for that project alone after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core.models import Portfolio, Project, Settings
from core.rules import consistency
from core.rules.consistency import Finding, check_project, clock_valid_until
from core.rules.finding_counts import FindingCounts, count_findings
from core.rules.lifecycle import days_in_stage_valid_until
from core.rules.priority import Assessment, assess, rank_key
from core.views.board import Card, card


@dataclass(frozen=True, slots=True)
class Projected:
    """One project's projections, for one project object under one settings object."""

    project: Project
    assessment: Assessment
    sort_key: tuple[bool, bool, float, str]
    """Where the ranking puts it (`core.rules.priority.rank_key`)."""
    timeless: tuple[Finding, ...]
    """`timeless_findings(project, settings)`."""
    findings: tuple[Finding, ...]
    """Every finding at `at`, warnings first (`check_project`)."""
    counts: FindingCounts
    """Its warnings and infos (`count_findings`), as every surface counts them."""
    card: Card
    at: datetime
    """The moment the clock-dependent parts were computed for."""
    valid_until: datetime | None
    """They hold for every moment from `at` until this (exclusive); None: for ever after."""

    def fresh_at(self, now: datetime) -> bool:
        """Whether the clock-dependent parts are those of `now` too."""
        return self.at <= now and (self.valid_until is None or now < self.valid_until)


@dataclass(frozen=True, slots=True)
class Projections:
    """Every project's `Projected`, by id, for one version of a portfolio at one moment."""

    settings: Settings
    by_id: dict[str, Projected]
    assessed: int
    """How many projects were assessed and checked afresh for this version (not reused)."""
    reclocked: int
    """How many reused projects had their clock-dependent parts recomputed (a day went by)."""


def _clock_parts(
    project: Project, settings: Settings, now: datetime, timeless: tuple[Finding, ...]
) -> tuple[tuple[Finding, ...], FindingCounts, Card, datetime | None]:
    """The findings, their counts, the card and their validity for `project` at `now`."""
    findings = check_project(project, settings, now, timeless)
    counts = count_findings(findings)
    limits = [
        limit
        for limit in (
            clock_valid_until(project, settings, now),
            days_in_stage_valid_until(project, now),
        )
        if limit is not None
    ]
    return findings, counts, card(project, now, counts), min(limits, default=None)


def project_one(project: Project, settings: Settings, now: datetime) -> Projected:
    """Everything `core` works out for one project at `now`, from scratch."""
    assessment = assess(project, settings)
    timeless = consistency.timeless_findings(project, settings)
    findings, counts, shown, until = _clock_parts(project, settings, now, timeless)
    key = rank_key(assessment, settings.rank_by == "pessimistic")
    return Projected(project, assessment, key, timeless, findings, counts, shown, now, until)


def project_all(
    portfolio: Portfolio, now: datetime, previous: Projections | None = None
) -> Projections:
    """Every project's projections at `now`, reusing `previous`'s where nothing changed.

    The result is the same with or without `previous`; only the work differs.
    A naive `now` is read as UTC.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    settings = portfolio.settings
    known = previous.by_id if previous is not None and previous.settings is settings else {}
    by_id: dict[str, Projected] = {}
    assessed = reclocked = 0
    for project in portfolio.projects:
        entry = known.get(project.id)
        if entry is None or entry.project is not project:
            entry = project_one(project, settings, now)
            assessed += 1
        elif not entry.fresh_at(now):
            findings, counts, shown, until = _clock_parts(project, settings, now, entry.timeless)
            entry = Projected(
                project,
                entry.assessment,
                entry.sort_key,
                entry.timeless,
                findings,
                counts,
                shown,
                now,
                until,
            )
            reclocked += 1
        by_id[project.id] = entry
    return Projections(settings, by_id, assessed, reclocked)
