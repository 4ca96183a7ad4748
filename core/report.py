"""The figures every export shares: one portfolio assessed, ranked and explained, as data.

Markdown, HTML, JSON and CSV all render the same `PortfolioReport`, so a
figure can never disagree between two formats of one snapshot. The phrases
("passes p99_latency_ms ≤ 50 ms (12 ms)", "winner: X because …") live here
too, as plain text: each renderer escapes them for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.flow.figures import FlowFigures, flow_figures
from core.flow.spans import Span, period_for, stage_spans
from core.models import (
    OUTCOMES,
    Direction,
    Portfolio,
    Project,
    Settings,
    Transition,
    TransitionKind,
)
from core.rules.baselines import MetricBaselines, baselines_for, diagnosis_of
from core.rules.consistency import Finding, check_portfolio
from core.rules.diagnosis import Diagnosis
from core.rules.evaluation import (
    ABSOLUTE,
    Evaluation,
    ModelVerdict,
    ResolvedThreshold,
    ThresholdCheck,
    evaluate,
    format_number,
    format_pair,
)
from core.rules.finding_counts import FindingCounts, count_findings
from core.rules.lifecycle import STAGE_TITLES, days_in_stage, loop_count, open_checklist_items
from core.rules.priority import UNSCORED, Assessment, Quadrant, quadrant_name, rank

__all__ = [
    "PortfolioReport",
    "ProjectReport",
    "QuadrantSummary",
    "baseline_phrase",
    "build_report",
    "check_phrase",
    "diagnosis_phrase",
    "gap_phrase",
    "model_phrase",
    "open_only",
    "project_report",
    "threshold_phrase",
    "winner_phrase",
    "with_unit",
]


@dataclass(frozen=True, slots=True)
class QuadrantSummary:
    """One quadrant of the grid: its display name and its projects, best first."""

    quadrant: Quadrant
    label: str
    project_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProjectReport:
    """Everything computed about one project, as every export shows it."""

    rank: int
    """1 for the best-ranked project."""
    project: Project
    assessment: Assessment
    quadrant_label: str
    ranked_score: float
    """The score the ranking used: pessimistic when the portfolio ranks that way."""
    stage_title: str
    loops: int
    """How many times the project went back to an earlier stage."""
    back_edges: tuple[Transition, ...]
    """The back moves behind `loops`, oldest first, each with its reason."""
    days_in_stage: int | None
    open_checklist: tuple[str, ...]
    """Keys of the feasibility checklist items still open, in checklist order."""
    findings: tuple[Finding, ...]
    """Consistency findings, warnings first."""
    evaluation: Evaluation
    baselines: tuple[MetricBaselines, ...]
    spans: tuple[Span, ...]
    """The project's time in each stage, oldest first (core.flow.spans.stage_spans)."""

    @property
    def diagnosis(self) -> Diagnosis | None:
        """The diagnosed model on the diagnosed metric, if the project has metrics."""
        return diagnosis_of(self.baselines)

    @property
    def finding_counts(self) -> FindingCounts:
        """How many findings are warnings and infos, counted as every surface counts them."""
        return count_findings(self.findings)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that are contradictions to fix."""
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def notices(self) -> tuple[Finding, ...]:
        """The findings that are only worth a look."""
        return tuple(f for f in self.findings if f.severity != "warning")


@dataclass(frozen=True, slots=True)
class PortfolioReport:
    """A whole portfolio as the exports show it, computed for one instant."""

    portfolio: Portfolio
    """The portfolio the figures were computed from."""
    name: str
    generated_at: datetime
    settings: Settings
    quadrants: tuple[QuadrantSummary, ...]
    """All four quadrants, quick wins first, even the empty ones."""
    projects: tuple[ProjectReport, ...]
    """Best-ranked first."""
    flow: FlowFigures
    """Where the portfolio's time went, over all time up to `generated_at`."""

    @property
    def pessimistic(self) -> bool:
        """Whether the ranking scores projects at the low ends of their ranges."""
        return self.settings.rank_by == "pessimistic"

    def project(self, project_id: str) -> ProjectReport | None:
        """The report of the project with this id, if any."""
        return next((r for r in self.projects if r.project.id == project_id), None)


def project_report(
    project: Project,
    assessment: Assessment,
    *,
    position: int,
    settings: Settings,
    findings: tuple[Finding, ...],
    now: datetime,
) -> ProjectReport:
    """One project's figures, given its assessment, rank and findings."""
    pessimistic = settings.rank_by == "pessimistic"
    evaluation = evaluate(project)
    return ProjectReport(
        rank=position,
        project=project,
        assessment=assessment,
        quadrant_label=(
            quadrant_name(assessment.quadrant, settings.quadrant_names)
            if assessment.scored
            else UNSCORED
        ),
        ranked_score=assessment.pessimistic_score if pessimistic else assessment.score,
        stage_title=STAGE_TITLES[project.stage],
        loops=loop_count(project),
        back_edges=tuple(t for t in project.history if t.kind is TransitionKind.BACK),
        days_in_stage=days_in_stage(project, now),
        open_checklist=open_checklist_items(project),
        findings=findings,
        evaluation=evaluation,
        baselines=baselines_for(project, settings.underfit_margin, evaluation),
        spans=stage_spans(project, now),
    )


def open_only(portfolio: Portfolio) -> Portfolio:
    """`portfolio` without its parked, killed and shipped projects (`export --open-only`)."""
    kept = tuple(p for p in portfolio.projects if p.stage not in OUTCOMES)
    if len(kept) == len(portfolio.projects):
        return portfolio
    return portfolio.model_copy(update={"projects": kept})


def build_report(portfolio: Portfolio, now: datetime) -> PortfolioReport:
    """Assess, rank, check and evaluate every project of `portfolio` as of `now`."""
    settings = portfolio.settings
    ranked = rank(portfolio)
    findings = check_portfolio(portfolio, now)
    by_id = {p.id: p for p in portfolio.projects}
    reports = tuple(
        project_report(
            by_id[a.project_id],
            a,
            position=position,
            settings=settings,
            findings=findings.get(a.project_id, ()),
            now=now,
        )
        for position, a in enumerate(ranked, start=1)
    )
    quadrants = tuple(
        QuadrantSummary(
            quadrant=q,
            label=quadrant_name(q, settings.quadrant_names),
            project_ids=tuple(
                r.project.id for r in reports if r.assessment.scored and r.assessment.quadrant is q
            ),
        )
        for q in Quadrant
    )
    return PortfolioReport(
        portfolio=portfolio,
        name=settings.name,
        generated_at=now,
        settings=settings,
        quadrants=quadrants,
        projects=reports,
        flow=flow_figures(portfolio.projects, now, period_for(now)),
    )


# -- phrases -------------------------------------------------------------------------------


def with_unit(value: float, unit: str) -> str:
    """A score with its metric's unit: '12 ms', '0.61'."""
    shown = format_number(value)
    return f"{shown} {unit}" if unit else shown


def _operator(direction: Direction) -> str:
    return "≥" if direction == Direction.MAXIMIZE else "≤"


def _unit(project: Project, metric: str) -> str:
    """The unit of the project's metric `metric`; empty when it has none or is unknown."""
    for candidate in project.metrics:
        if candidate.name == metric:
            return candidate.unit
    return ""


def _bar(project: Project, threshold: ResolvedThreshold) -> str:
    """'p99_latency_ms ≤ 50 ms': the bar alone, without where it comes from."""
    bar = threshold.bar if threshold.bar is not None else 0.0
    unit = _unit(project, threshold.metric)
    return f"{threshold.metric} {_operator(threshold.direction)} {with_unit(bar, unit)}"


def threshold_phrase(project: Project, threshold: ResolvedThreshold) -> str:
    """A threshold in words: 'fraud_recall ≥ 0.46 (beat Rules engine by 0.05)'."""
    if threshold.bar is None:
        return f"{threshold.metric}: cannot be checked ({threshold.problem})"
    text = _bar(project, threshold)
    if threshold.source == ABSOLUTE and threshold.baseline is None:
        return text
    name, margin = threshold.source, threshold.margin
    if margin == 0:
        origin = f"match {name}"
    elif margin > 0:
        origin = f"beat {name} by {format_number(margin)}"
    else:
        origin = f"at most {format_number(-margin)} worse than {name}"
    return f"{text} ({origin})"


def check_phrase(project: Project, threshold: ResolvedThreshold, check: ThresholdCheck) -> str:
    """One model against one threshold: 'passes p99_latency_ms ≤ 50 ms (12 ms)'."""
    if threshold.bar is None:
        return f"cannot check {check.metric} ({threshold.problem})"
    bar = _bar(project, threshold)
    if check.value is None:
        return f"fails {bar} (no validation score)"
    unit = _unit(project, check.metric)
    shown, _ = format_pair(check.value, threshold.bar)
    value = f"{shown} {unit}" if unit else shown
    return f"{'passes' if check.passed else 'fails'} {bar} ({value})"


def _objective_value(project: Project, evaluation: Evaluation, value: float) -> str:
    """The objective's value with the optimised metric's unit (none for a weighted score)."""
    unit = _unit(project, evaluation.optimising or "") if evaluation.strategy != "weighted" else ""
    return with_unit(value, unit)


def _objective(project: Project, evaluation: Evaluation, value: float) -> str:
    """'fraud_recall 0.61' or 'weighted score 0.42'."""
    return f"{evaluation.objective_label} {_objective_value(project, evaluation, value)}"


def model_phrase(project: Project, evaluation: Evaluation, verdict: ModelVerdict) -> str:
    """A model's verdict on one line: its checks, its objective, and whether it won."""
    parts = [
        check_phrase(project, threshold, check)
        for threshold, check in zip(evaluation.thresholds, verdict.checks, strict=True)
    ]
    if verdict.objective is not None:
        parts.append(_objective(project, evaluation, verdict.objective))
    text = "; ".join(parts) if parts else "no scores to judge"
    if verdict.is_winner:
        return f"{text}: winner"
    return f"{text}: not the winner ({verdict.why_not})" if verdict.why_not else text


def winner_phrase(project: Project, evaluation: Evaluation) -> str:
    """'winner: gbdt-v3 because it passes every threshold and has the best fraud_recall (0.61)'.

    Without a winner, why there is none; empty for a project with no metrics and no models.
    """
    if evaluation.winner is None:
        if not project.metrics and not project.models:
            return ""
        return f"no winner: {evaluation.note}" if evaluation.note else "no winner"
    verdict = evaluation.verdict(evaluation.winner)
    if verdict is None or verdict.objective is None:  # unreachable: a winner has a score
        return f"winner: {evaluation.winner}"
    passing = sum(1 for v in evaluation.verdicts if v.passes)
    best = _objective(project, evaluation, verdict.objective)
    label = evaluation.objective_label
    value = _objective_value(project, evaluation, verdict.objective)
    if evaluation.thresholds and passing == 1:
        because = f"it is the only model that passes every threshold ({best})"
    elif evaluation.thresholds:
        because = f"it passes every threshold and has the best {label} ({value})"
    elif len(evaluation.verdicts) == 1:
        because = f"it is the only candidate ({best})"
    else:
        because = f"it has the best {label} ({value})"
    return f"winner: {evaluation.winner} because {because}"


def gap_phrase(gap: float) -> str:
    """A signed gap to the tightest baseline, with what its sign means."""
    if gap > 0:
        return f"+{format_number(gap)} (beats it)"
    if gap < 0:
        return f"-{format_number(-gap)} (short of it)"
    return "0 (level with it)"


def _signed(value: float) -> str:
    """A number with its sign: +0.03, -0.12, 0."""
    return ("+" if value > 0 else "") + format_number(value)


def diagnosis_phrase(project: Project, diagnosis: Diagnosis) -> str:
    """The diagnosed model in words: who, against which bar, gap, bias, variance and hint."""
    unit = _unit(project, diagnosis.metric)
    if diagnosis.model is None or diagnosis.value is None:
        return f"{diagnosis.metric}: no model scores it yet"
    who = "winner" if diagnosis.passes else "best candidate (does not pass every threshold)"
    text = f"{diagnosis.metric}: {who} {diagnosis.model} ({with_unit(diagnosis.value, unit)}"
    if diagnosis.train is not None:
        text += f"; training {with_unit(diagnosis.train, unit)}"
    text += ")"
    if diagnosis.baseline is not None and diagnosis.gap is not None:
        text += f", gap to '{diagnosis.baseline}' {gap_phrase(diagnosis.gap)}"
    numbers = []
    if diagnosis.bias is not None:
        numbers.append(f"avoidable bias {_signed(diagnosis.bias)}")
    if diagnosis.variance is not None:
        numbers.append(f"variance {_signed(diagnosis.variance)}")
    if numbers:
        text += "; " + ", ".join(numbers)
    if diagnosis.fit is not None:
        text += f"; hint: {diagnosis.fit.value} (tolerance {format_number(diagnosis.tolerance)})"
    return text


def baseline_phrase(project: Project, baselines: MetricBaselines) -> str:
    """One metric's baselines in words; on the diagnosed metric, the diagnosis too.

    A satisficing metric's ladder is context: it is judged by its threshold,
    so its phrase gives no gap and no hint.
    """
    unit = _unit(project, baselines.metric)
    rung = next((r for r in baselines.ladder if r.is_tightest), None)
    if rung is None:
        text = f"{baselines.metric}: no baseline scores it"
    else:
        text = (
            f"{baselines.metric}: tightest baseline {rung.baseline} ({rung.kind.value},"
            f" {with_unit(rung.value, unit)})"
        )
    ignored = [f"{r.baseline} ({r.ignored})" for r in baselines.ladder if r.ignored]
    if ignored:
        text += "; not a bar: " + ", ".join(ignored)
    diagnosis = baselines.diagnosis
    if diagnosis is None:
        if baselines.role == "satisficing" and rung is not None:
            text += "; context only: judged by its threshold"
        return text
    if diagnosis.model is None or diagnosis.value is None:
        return f"{text}; no model scores it yet"
    who = "winner" if diagnosis.passes else "best candidate (fails a threshold)"
    text += f"; {who} {diagnosis.model} ({with_unit(diagnosis.value, unit)})"
    if diagnosis.gap is not None:
        text += f", gap {gap_phrase(diagnosis.gap)}"
    if diagnosis.fit is not None:
        text += f"; {diagnosis.fit.value} (see the diagnosis)"
    return text
