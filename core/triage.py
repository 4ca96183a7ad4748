"""Triage sessions: the agenda a portfolio calls for, the decisions taken and the minutes.

A triage session walks the projects that need a look, each with the reasons it
is on the agenda, and records one decision per project through the ordinary
edits. A project counts as triaged once a session has recorded a decision on
it (`Project.triaged_at`, set by `MarkTriaged`). Everything here is pure: the
time of the session and of the last snapshot are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.edits.base import Edit, find_project, rebuild, replace_at
from core.models import LIFECYCLE, Portfolio, Project, Settings, Stage, TransitionKind
from core.rules.consistency import check_project, last_change
from core.rules.evaluation import evaluate, format_number
from core.rules.finding_counts import count_findings
from core.rules.lifecycle import (
    STAGE_TITLES,
    days_in_stage,
    loop_count,
    open_checklist_items,
    targets_of,
)
from core.rules.priority import Assessment, assess, quadrant_name, rank

__all__ = [
    "AGENDA_STAGES",
    "REASON_TITLES",
    "AgendaItem",
    "AgendaReason",
    "Decision",
    "DecisionKind",
    "MarkTriaged",
    "ReasonKind",
    "TriageMinutes",
    "allowed_decisions",
    "build_agenda",
    "describe_move",
    "describe_rescore",
    "key_figures",
    "reasons_for",
    "session_label",
]

AGENDA_STAGES = (*LIFECYCLE, Stage.PARKED)
"""Stages a triage looks at: the lifecycle and parked projects; killed and shipped are final."""

PAST_PLANNING = (Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT)
"""Lifecycle stages a project reaches only by passing (or overriding) the checklist."""

JUDGED_STAGES = (Stage.TRAINING, Stage.DEPLOYMENT)
"""Stages in which models are trained and judged, so a baseline is due."""

COVERED_FINDINGS = frozenset({"stale", "checklist-open", "models-no-baseline"})
"""Consistency codes that have an agenda reason of their own, so they are not listed twice."""


class ReasonKind(StrEnum):
    """Why a project is on the agenda; the order is the order reasons are listed in."""

    NEVER_TRIAGED = "never-triaged"
    STALE = "stale"
    BACK_EDGE = "back-edge"
    OPEN_CHECKLIST = "open-checklist"
    FAILING_THRESHOLDS = "failing-thresholds"
    NO_BASELINE = "no-baseline"
    NEAR_BOUNDARY = "near-boundary"
    CONSISTENCY = "consistency"


REASON_TITLES: dict[ReasonKind, str] = {
    ReasonKind.NEVER_TRIAGED: "never triaged",
    ReasonKind.STALE: "stale",
    ReasonKind.BACK_EDGE: "sent back",
    ReasonKind.OPEN_CHECKLIST: "checklist open",
    ReasonKind.FAILING_THRESHOLDS: "failing thresholds",
    ReasonKind.NO_BASELINE: "no baseline",
    ReasonKind.NEAR_BOUNDARY: "near a boundary",
    ReasonKind.CONSISTENCY: "inconsistent",
}
"""A short label per reason kind, for lists and headings."""


@dataclass(frozen=True, slots=True)
class AgendaReason:
    """One reason a project is on the agenda: its kind and one plain sentence."""

    kind: ReasonKind
    text: str


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """A project on the agenda, with every reason it is there."""

    project_id: str
    title: str
    stage: Stage
    rank: int
    """The project's place in the portfolio's ranking (1 is the best)."""
    score: float
    """The priority score the ranking used."""
    reasons: tuple[AgendaReason, ...]

    @property
    def kinds(self) -> frozenset[ReasonKind]:
        """The distinct kinds of reason."""
        return frozenset(reason.kind for reason in self.reasons)


def _days(delta: timedelta) -> str:
    days = delta.days
    return "1 day" if days == 1 else f"{days} days"


def _never_triaged(project: Project) -> list[AgendaReason]:
    if project.triaged_at is not None:
        return []
    return [AgendaReason(ReasonKind.NEVER_TRIAGED, "no triage has recorded a decision on it yet")]


def _stale(project: Project, now: datetime, stale_days: int) -> list[AgendaReason]:
    """No change and no triage for longer than `stale_days` (triaged or not)."""
    moments = [m for m in (last_change(project), project.triaged_at) if m is not None]
    if not moments:
        return []
    idle = now - max(moments)
    if idle <= timedelta(days=stale_days):
        return []
    if project.stage is Stage.PARKED:
        text = f"parked, and not looked at for {_days(idle)} (stale after {stale_days})"
    else:
        text = f"no change for {_days(idle)} (stale after {stale_days})"
    return [AgendaReason(ReasonKind.STALE, text)]


def _back_edges(
    project: Project, now: datetime, since: datetime | None, stale_days: int
) -> list[AgendaReason]:
    """Back-edges taken since the last snapshot (without one: within the stale window)."""
    start = since if since is not None else now - timedelta(days=stale_days)
    reasons = []
    for move in project.history:
        if move.kind is not TransitionKind.BACK or move.at <= start:
            continue
        ago = "today" if (now - move.at).days <= 0 else f"{_days(now - move.at)} ago"
        text = f"sent back {move.from_stage.value} → {move.to_stage.value} {ago}"
        why = " ".join(move.reason.split())
        if why:
            text += f": {why}"
        if move.by:
            text += f" (by {move.by})"
        reasons.append(AgendaReason(ReasonKind.BACK_EDGE, text))
    return reasons


def _open_checklist(project: Project) -> list[AgendaReason]:
    if project.stage not in PAST_PLANNING:
        return []
    open_items = open_checklist_items(project)
    if not open_items:
        return []
    count = len(open_items)
    items = "item" if count == 1 else "items"
    listed = ", ".join(key.replace("_", " ") for key in open_items)
    text = f"in {project.stage.value} with {count} open checklist {items}: {listed}"
    return [AgendaReason(ReasonKind.OPEN_CHECKLIST, text)]


def _failing_thresholds(project: Project) -> list[AgendaReason]:
    """Candidate models exist and none passes every threshold."""
    if not project.models:
        return []
    verdicts = evaluate(project).verdicts
    if any(verdict.passes for verdict in verdicts):
        return []
    first = verdicts[0]
    count = len(verdicts)
    what = "the candidate model fails" if count == 1 else f"none of {count} candidate models passes"
    text = f"{what} its thresholds; {first.model}: {first.why_not}"
    return [AgendaReason(ReasonKind.FAILING_THRESHOLDS, text)]


def _no_baseline(project: Project) -> list[AgendaReason]:
    """Models are trained or judged, and nothing says whether they are any good."""
    if project.baselines or (project.stage not in JUDGED_STAGES and not project.models):
        return []
    where = (
        f"in {project.stage.value}" if project.stage in JUDGED_STAGES else "has candidate models"
    )
    text = f"{where} with no baseline: nothing bounds what a model should reach"
    return [AgendaReason(ReasonKind.NO_BASELINE, text)]


def _near_boundary(assessment: Assessment, settings: Settings) -> list[AgendaReason]:
    """Within the near-boundary distance of a threshold, or able to flip within its ranges."""
    reasons = []
    name = quadrant_name(assessment.quadrant, settings.quadrant_names)
    if assessment.near_boundary:
        impact_gap = abs(assessment.impact - settings.impact_threshold)
        feasibility_gap = abs(assessment.feasibility - settings.feasibility_threshold)
        axis = "impact" if impact_gap <= feasibility_gap else "feasibility"
        text = (
            f"in {name}, {format_number(assessment.distance, 2)} from the {axis} threshold"
            f" (near means within {format_number(settings.near_boundary, 2)})"
        )
        reasons.append(AgendaReason(ReasonKind.NEAR_BOUNDARY, text))
    if assessment.can_flip:
        text = f"in {name}, but its score ranges reach into another quadrant"
        reasons.append(AgendaReason(ReasonKind.NEAR_BOUNDARY, text))
    return reasons


def _consistency(project: Project, settings: Settings, now: datetime) -> list[AgendaReason]:
    return [
        AgendaReason(ReasonKind.CONSISTENCY, finding.message)
        for finding in check_project(project, settings, now)
        if finding.severity == "warning" and finding.code not in COVERED_FINDINGS
    ]


def reasons_for(
    project: Project,
    settings: Settings,
    now: datetime,
    *,
    last_snapshot_at: datetime | None,
    stale_days: int,
    assessment: Assessment | None = None,
) -> tuple[AgendaReason, ...]:
    """Every reason this project belongs on the agenda, in `ReasonKind` order; () if none."""
    if project.stage not in AGENDA_STAGES:
        return ()
    found = [
        *_never_triaged(project),
        *_stale(project, now, stale_days),
        *_back_edges(project, now, last_snapshot_at, stale_days),
        *_open_checklist(project),
        *_failing_thresholds(project),
        *_no_baseline(project),
        *_near_boundary(assessment or assess(project, settings), settings),
        *_consistency(project, settings, now),
    ]
    order = list(ReasonKind)
    found.sort(key=lambda reason: order.index(reason.kind))
    return tuple(found)


def build_agenda(
    portfolio: Portfolio,
    now: datetime,
    *,
    last_snapshot_at: datetime | None,
    stale_days: int | None = None,
) -> tuple[AgendaItem, ...]:
    """The projects a triage should look at, each with its reasons.

    Ordered by how many kinds of reason a project has, then by its place in the
    ranking, so the most troubled and the most valuable come first.
    `stale_days` defaults to the portfolio's setting.
    """
    settings = portfolio.settings
    days = settings.stale_days if stale_days is None else stale_days
    pessimistic = settings.rank_by == "pessimistic"
    projects = {project.id: project for project in portfolio.projects}
    items = []
    for position, assessment in enumerate(rank(portfolio), start=1):
        project = projects[assessment.project_id]
        reasons = reasons_for(
            project,
            settings,
            now,
            last_snapshot_at=last_snapshot_at,
            stale_days=days,
            assessment=assessment,
        )
        if reasons:
            score = assessment.pessimistic_score if pessimistic else assessment.score
            items.append(
                AgendaItem(project.id, project.title, project.stage, position, score, reasons)
            )
    items.sort(key=lambda item: (-len(item.kinds), item.rank))
    return tuple(items)


def key_figures(project: Project, settings: Settings, now: datetime) -> tuple[tuple[str, str], ...]:
    """The figures a triage looks at for one project, as (label, value) pairs of plain text."""
    assessment = assess(project, settings)
    quadrant = quadrant_name(assessment.quadrant, settings.quadrant_names)
    evaluation = evaluate(project)
    days = days_in_stage(project, now)
    open_items = open_checklist_items(project)
    findings = count_findings(check_project(project, settings, now))
    if evaluation.winner is not None:
        models = f"{len(project.models)}, winner {evaluation.winner}"
    else:
        models = f"{len(project.models)}, no winner" if project.models else "none yet"
    triaged = project.triaged_at.strftime("%Y-%m-%d") if project.triaged_at else "never"
    return (
        ("Stage", STAGE_TITLES[project.stage] + (f" ({days} days)" if days is not None else "")),
        ("Owner", project.owner or "—"),
        ("Quadrant", quadrant),
        ("Impact", f"{assessment.impact:.2f}"),
        ("Feasibility", f"{assessment.feasibility:.2f}"),
        ("Priority", f"{assessment.score:.1f}"),
        ("Back-edges", str(loop_count(project))),
        ("Checklist open", str(len(open_items))),
        ("Models", models),
        ("Baselines", str(len(project.baselines))),
        ("Findings", findings.words),
        ("Last triaged", triaged),
    )


def session_label(at: datetime) -> str:
    """The default label of a triage session's snapshot, e.g. 'triage-2026-11-21'."""
    return f"triage-{at.strftime('%Y-%m-%d')}"


# -- decisions -------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkTriaged:
    """Record that a triage decided on a project (`triaged_at`); its undo restores the old value.

    `at` None clears the mark, which is only the undo of a first triage.
    """

    project_id: str
    at: datetime | None

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the project's `triaged_at` set."""
        index, project = find_project(portfolio, self.project_id)
        updated = rebuild(project, {"triaged_at": self.at}, now, user)
        return replace_at(portfolio, index, updated)

    def inverse(self, before: Portfolio) -> Edit:
        """Put the previous mark back."""
        _, project = find_project(before, self.project_id)
        return MarkTriaged(self.project_id, project.triaged_at)

    def describe(self) -> str:
        """E.g. 'record the triage of fraud-detection'."""
        if self.at is None:
            return f"clear the triage mark of {self.project_id}"
        return f"record the triage of {self.project_id}"


class DecisionKind(StrEnum):
    """What a triage decided about a project."""

    ADVANCE = "advance"
    BACK = "send back"
    PARK = "park"
    KILL = "kill"
    KEEP = "keep"
    RESCORE = "rescore"


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision of a session: what was decided, what changed, and the note taken."""

    project_id: str
    title: str
    kind: DecisionKind
    detail: str
    """What the edit did, e.g. 'training → data: labels unreliable'; empty for keep."""
    note: str
    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class TriageMinutes:
    """Everything the minutes of one session hold; rendered to Markdown by `portfolio`."""

    label: str
    portfolio_name: str
    started_at: datetime
    ended_at: datetime
    lead: str
    attendees: tuple[str, ...]
    agenda: tuple[AgendaItem, ...]
    decisions: tuple[Decision, ...]
    previous_snapshot: str | None
    """The label (or name) of the snapshot the diff is against; None for the first snapshot."""

    @property
    def undecided(self) -> tuple[AgendaItem, ...]:
        """Agenda items the session reached no decision on."""
        decided = {decision.project_id for decision in self.decisions}
        return tuple(item for item in self.agenda if item.project_id not in decided)


def describe_rescore(before: Assessment, after: Assessment, settings: Settings) -> str:
    """What a rescore changed on the grid, e.g. 'impact 3.25 → 3.5; now in quick wins'."""
    parts = []
    for axis, old, new in (
        ("impact", before.impact, after.impact),
        ("feasibility", before.feasibility, after.feasibility),
    ):
        if round(old, 6) != round(new, 6):
            parts.append(f"{axis} {format_number(old, 2)} → {format_number(new, 2)}")
    if before.quadrant is not after.quadrant:
        parts.append(f"now in {quadrant_name(after.quadrant, settings.quadrant_names)}")
    return "; ".join(parts) or "scores unchanged on the grid"


def allowed_decisions(project: Project) -> tuple[DecisionKind, ...]:
    """The decisions that apply to a project where it is now, in the menu's order.

    Advance when it has a next stage (or, parked, can resume); back when an
    earlier stage is open to it; park and kill when those outcomes are; keep
    and rescore always.
    """
    kinds = [DecisionKind.KEEP, DecisionKind.RESCORE]
    if targets_of(project, TransitionKind.FORWARD) or targets_of(project, TransitionKind.RESUME):
        kinds.insert(0, DecisionKind.ADVANCE)
    if targets_of(project, TransitionKind.BACK):
        kinds.insert(1 if kinds[0] is DecisionKind.ADVANCE else 0, DecisionKind.BACK)
    outcomes = targets_of(project, TransitionKind.OUTCOME)
    if Stage.PARKED in outcomes:
        kinds.insert(-2, DecisionKind.PARK)
    if Stage.KILLED in outcomes:
        kinds.insert(-2, DecisionKind.KILL)
    return tuple(kinds)


def describe_move(before: Project, after: Project | None) -> str:
    """The move a decision made, e.g. 'training → data: labels unreliable'; '' if none was."""
    if after is None or len(after.history) <= len(before.history):
        return ""
    move = after.history[-1]
    text = f"{move.from_stage.value} → {move.to_stage.value}"
    if move.checklist_override:
        text += " (checklist overridden)"
    reason = " ".join(move.reason.split())
    return f"{text}: {reason}" if reason else text
