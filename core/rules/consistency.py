"""Consistency findings: things in a project that contradict the method or each other.

Each check is a small function over one project; each finding carries a stable
code (for tests, filters and exports) and one line of plain text. Severity
"warning" marks a contradiction to fix; "info" marks something worth a look.
Messages are plain text: views must show them literally, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from core.models import LIFECYCLE, Answer, Portfolio, Project, Settings, Stage
from core.rules.contradictions import CONTRADICTION_CHECKS
from core.rules.evaluation import evaluate, resolve_thresholds
from core.rules.ratings import LABELS, disagreements, range_covers
from core.vocabulary import ARCHETYPE_QUESTIONS, CHECKLIST_ITEMS, FLYWHEEL_QUESTIONS, Archetype

Severity = Literal["warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One consistency finding about a project: a stable code, one plain line, a severity."""

    project_id: str
    code: str
    message: str
    severity: Severity


AFTER_PLANNING = (Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT, Stage.SHIPPED)
"""Stages a project reaches only by passing the feasibility checklist (or overriding it)."""

TRAINING_OR_LATER = (Stage.TRAINING, Stage.DEPLOYMENT, Stage.SHIPPED)
"""Stages in which models are judged, so metrics must exist."""

# A finding before it knows its project: (code, message, severity).
_Raw = tuple[str, str, Severity]
_Check = Callable[[Project, Settings, datetime], Iterator[_Raw]]


def _quoted(text: str) -> str:
    """User-chosen keys quoted with control characters escaped, so a message stays one line."""
    return repr(text)


def _autonomous_failure_rate(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Autonomous systems must state an acceptable failure rate, the lecture's first question."""
    note = project.archetype_notes.get("acceptable_failure_rate", "")
    if project.archetype == Archetype.AUTONOMOUS and not note.strip():
        yield (
            "autonomous-no-failure-rate",
            "autonomous system with no acceptable failure rate noted",
            "warning",
        )


def _thresholds(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Thresholds that cannot be checked, or that no baseline helps to judge."""
    for threshold in resolve_thresholds(project):
        name = threshold.metric
        if threshold.baseline is None:
            if threshold.problem is not None:
                yield "threshold-invalid", f"threshold on {name}: {threshold.problem}", "warning"
            elif not any(name in b.scores for b in project.baselines):
                yield (
                    "threshold-without-baseline",
                    f"threshold on {name}, but no baseline scores {name}",
                    "info",
                )
            continue
        if project.baseline(threshold.baseline) is None:
            code = "threshold-baseline-missing"
        elif threshold.problem is not None:
            code = "threshold-baseline-unscored"
        else:
            continue
        yield code, f"threshold on {name}: {threshold.problem}", "warning"


def _unknown_metrics(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Scores recorded for metrics the project does not define (a typo or a removed metric)."""
    known = {m.name for m in project.metrics}
    owners: list[tuple[str, list[str]]] = [
        (f"baseline '{b.name}'", list(b.scores)) for b in project.baselines
    ]
    owners.extend(
        (f"model '{m.name}'", [*m.scores, *(k for k in m.train_scores if k not in m.scores)])
        for m in project.models
    )
    for owner, names in owners:
        unknown = [name for name in names if name not in known]
        if unknown:
            listed = ", ".join(unknown)
            yield (
                "unknown-metric",
                f"{owner} scores a metric that does not exist: {listed}",
                "warning",
            )


def _success_criteria(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Deploying or shipping without agreed success criteria leaves nothing to judge it by."""
    if project.stage in (Stage.DEPLOYMENT, Stage.SHIPPED) and not project.success_criteria.strip():
        yield (
            "no-success-criteria",
            f"in {project.stage.value} with no success criteria",
            "warning",
        )


def _checklist(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Leaving planning with open checklist items needs an override on record."""
    if project.stage not in AFTER_PLANNING:
        return
    open_items = [key for key, _ in CHECKLIST_ITEMS if not getattr(project.checklist, key)]
    overridden = any(t.checklist_override for t in project.history)
    if open_items and not overridden:
        count = len(open_items)
        items = "item" if count == 1 else "items"
        yield (
            "checklist-open",
            f"in {project.stage.value} with {count} open checklist {items} "
            f"and no override recorded: {', '.join(k.replace('_', ' ') for k in open_items)}",
            "warning",
        )


def _metrics_present(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Models cannot be judged without metrics: in training or later, or once models exist."""
    if project.metrics:
        return
    if project.stage in TRAINING_OR_LATER:
        yield "no-metrics", f"in {project.stage.value} with no metrics", "warning"
    if project.models:
        count = len(project.models)
        what = "model" if count == 1 else "models"
        them = "it" if count == 1 else "them"
        yield (
            "models-without-metrics",
            f"{count} candidate {what} but no metrics to judge {them} by",
            "warning",
        )


def _shipped_model(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """A shipped project should have a candidate model that meets every threshold."""
    if project.stage != Stage.SHIPPED:
        return
    if not project.models:
        yield "shipped-no-passing-model", "shipped with no candidate models recorded", "warning"
    elif not any(v.passes for v in evaluate(project).verdicts):
        yield (
            "shipped-no-passing-model",
            "shipped, but no candidate model passes every threshold",
            "warning",
        )


def _flywheel(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Software 2.0 earns its keep through a data flywheel; all "no" means there is none."""
    if project.archetype != Archetype.SOFTWARE_2_0:
        return
    if all(getattr(project.flywheel, key) == Answer.NO for key, _ in FLYWHEEL_QUESTIONS):
        yield "flywheel-all-no", "software 2.0 with no data flywheel: every answer is no", "info"


def _weights(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """A weighted strategy with no weights is a plain average, which may not be meant."""
    if project.metric_strategy != "weighted" or not project.metrics:
        return
    if all(m.weight is None for m in project.metrics):
        yield (
            "weighted-no-weights",
            "weighted strategy but no metric sets a weight: every metric counts equally",
            "info",
        )


def _archetype_note_keys(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Notes keyed by questions of another archetype (often left over from a change)."""
    questions = {key for key, _ in ARCHETYPE_QUESTIONS[project.archetype]}
    stray = [key for key in project.archetype_notes if key not in questions]
    if stray:
        listed = ", ".join(_quoted(key) for key in stray)
        yield (
            "unknown-archetype-note",
            f"archetype notes that are not {project.archetype.value} questions: {listed}",
            "info",
        )


def _ratings_disagree(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Raters two points or more apart on a lens or driver: a disagreement to discuss.

    A warning while the score's range does not span the spread (the team's
    uncertainty is not in the score yet); information once it does.
    """
    for spread in disagreements(project):
        settled = range_covers(project, spread)
        yield (
            "ratings-disagree",
            f"raters disagree on {LABELS[spread.key]}: {spread.text()}",
            "info" if settled else "warning",
        )


def last_change(project: Project) -> datetime | None:
    """When the project last changed: its latest transition, update or creation."""
    moments = [t.at for t in project.history]
    moments.extend(m for m in (project.updated_at, project.created_at) if m is not None)
    return max(moments, default=None)


def _stale(project: Project, settings: Settings, now: datetime) -> Iterator[_Raw]:
    """An active project untouched for longer than `settings.stale_days`."""
    if project.stage not in LIFECYCLE:
        return
    last = last_change(project)
    if last is None:
        return
    idle = now - last
    if idle > timedelta(days=settings.stale_days):
        yield "stale", f"stale: no change in {idle.days} days", "info"


def clock_valid_until(project: Project, settings: Settings, now: datetime) -> datetime | None:
    """Until when (exclusive) `CLOCK_CHECKS` say of `project` what they say at `now`; None: ever.

    The stale check reads the clock only through whether more than
    `settings.stale_days` have passed since the last change, and the whole days
    its message counts: both stay put until the next day boundary after `now`,
    or the moment the threshold is passed. A caller that kept the findings may
    reuse them for any later `now` before this (never for an earlier one).
    """
    if project.stage not in LIFECYCLE:
        return None
    last = last_change(project)
    if last is None:
        return None
    idle = now - last
    next_day = last + timedelta(days=idle.days + 1)
    if idle > timedelta(days=settings.stale_days):
        return next_day
    return min(next_day, last + timedelta(days=settings.stale_days, microseconds=1))


TIMELESS_CHECKS: tuple[_Check, ...] = (
    _autonomous_failure_rate,
    _thresholds,
    _unknown_metrics,
    _success_criteria,
    _checklist,
    _metrics_present,
    _shipped_model,
    _flywheel,
    _weights,
    _archetype_note_keys,
    *CONTRADICTION_CHECKS,
    _ratings_disagree,
)
"""The checks that read only the project and the settings, never the clock."""

CLOCK_CHECKS: tuple[_Check, ...] = (_stale,)
"""The checks whose answer changes with `now`."""

CHECKS: tuple[_Check, ...] = TIMELESS_CHECKS + CLOCK_CHECKS
"""Every check, in the order their findings are listed within a severity."""


def timeless_findings(project: Project, settings: Settings) -> tuple[Finding, ...]:
    """The findings of `TIMELESS_CHECKS` for one project, in check order, unsorted.

    They depend on nothing but the project and the settings, so a recheck after
    an edit reuses them for every project the edit left alone.
    """
    never = datetime.min.replace(tzinfo=UTC)  # no timeless check reads it
    return _run(TIMELESS_CHECKS, project, settings, never)


def _run(
    checks: tuple[_Check, ...], project: Project, settings: Settings, now: datetime
) -> tuple[Finding, ...]:
    """The findings of `checks`, in check order."""
    return tuple(
        Finding(project.id, code, message, severity)
        for check in checks
        for code, message, severity in check(project, settings, now)
    )


def check_project(
    project: Project,
    settings: Settings,
    now: datetime,
    timeless: tuple[Finding, ...] | None = None,
) -> tuple[Finding, ...]:
    """Every finding for one project, warnings first.

    `now` should be timezone-aware; a naive `now` is read as UTC. `timeless` is
    `timeless_findings(project, settings)` when the caller already has it.
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if timeless is None:
        timeless = timeless_findings(project, settings)
    findings = [*timeless, *_run(CLOCK_CHECKS, project, settings, now)]
    findings.sort(key=lambda f: f.severity != "warning")
    return tuple(findings)


@dataclass(frozen=True, slots=True)
class Checked:
    """Findings per project id, and what a check of a later version of the portfolio reuses."""

    findings: dict[str, tuple[Finding, ...]]
    """For the projects that have any, in file order."""
    settings: Settings
    timeless: dict[str, tuple[Project, tuple[Finding, ...]]]
    """Each project as checked, with its `timeless_findings`."""


def recheck_portfolio(portfolio: Portfolio, now: datetime, previous: Checked | None) -> Checked:
    """Check every project, reusing `previous`'s timeless findings where nothing changed.

    Models are immutable, so a project that is the very object checked before,
    under the very same settings, has the same timeless findings: an edit to one
    project of thousands runs every check on that one, and the clock checks on all.
    """
    settings = portfolio.settings
    known = previous.timeless if previous is not None and previous.settings is settings else {}
    findings: dict[str, tuple[Finding, ...]] = {}
    timeless: dict[str, tuple[Project, tuple[Finding, ...]]] = {}
    for project in portfolio.projects:
        reused = known.get(project.id)
        if reused is not None and reused[0] is project:
            base = reused[1]
        else:
            base = timeless_findings(project, settings)
        timeless[project.id] = (project, base)
        found = check_project(project, settings, now, base)
        if found:
            findings[project.id] = found
    return Checked(findings, settings, timeless)


def check_portfolio(portfolio: Portfolio, now: datetime) -> dict[str, tuple[Finding, ...]]:
    """Findings per project id, in file order, for the projects that have any."""
    return recheck_portfolio(portfolio, now, None).findings
