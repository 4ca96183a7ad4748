"""The JSON export: the portfolio as in the file, plus every figure mlfolio computes from it.

The shape is documented in docs/exports.md and as a JSON Schema in
`portfolio.exports.schema` (`mlfolio export --json-schema` prints it). The
`portfolio` member is the file's data and loads back with
`Portfolio.model_validate`; `projects` holds the figures, best-ranked first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic_core import to_json

from core.flow.figures import FlowFigures, time_in_stages
from core.flow.spans import Period, Spread
from core.models import LIFECYCLE, Project
from core.report import (
    PortfolioReport,
    ProjectReport,
    baseline_phrase,
    check_phrase,
    diagnosis_phrase,
    model_phrase,
    threshold_phrase,
    winner_phrase,
)
from core.rules.baselines import MetricBaselines
from core.rules.diagnosis import Diagnosis
from core.rules.evaluation import Evaluation
from portfolio.exports.ratings import ratings_data

__all__ = ["REPORT_FORMAT", "REPORT_JSON_VERSION", "diagnosis_data", "render_json", "report_data"]

REPORT_FORMAT = "mlfolio-report"
"""The `format` member of every JSON export."""

REPORT_JSON_VERSION = 2
"""The version of the JSON export's shape; it goes up when a member changes meaning or goes."""


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _evaluation(report: ProjectReport) -> dict[str, Any]:
    project, evaluation = report.project, report.evaluation
    return {
        "strategy": evaluation.strategy,
        "optimising": evaluation.optimising,
        "objective_label": evaluation.objective_label,
        "winner": evaluation.winner,
        "winner_phrase": winner_phrase(project, evaluation),
        "note": evaluation.note,
        "thresholds": [
            {
                "metric": t.metric,
                "direction": t.direction.value,
                "bar": t.bar,
                "source": t.source,
                "baseline": t.baseline,
                "margin": t.margin,
                "problem": t.problem,
                "phrase": threshold_phrase(project, t),
            }
            for t in evaluation.thresholds
        ],
        "models": _models(report, evaluation),
    }


def _models(report: ProjectReport, evaluation: Evaluation) -> list[dict[str, Any]]:
    project = report.project
    return [
        {
            "model": v.model,
            "passes": v.passes,
            "objective": v.objective,
            "is_winner": v.is_winner,
            "why_not": v.why_not,
            "phrase": model_phrase(project, evaluation, v),
            "checks": [
                {
                    "metric": c.metric,
                    "value": c.value,
                    "bar": c.bar,
                    "passed": c.passed,
                    "phrase": check_phrase(project, t, c),
                }
                for t, c in zip(evaluation.thresholds, v.checks, strict=True)
            ],
        }
        for v in evaluation.verdicts
    ]


def diagnosis_data(project: Project, diagnosis: Diagnosis | None) -> dict[str, Any] | None:
    """The diagnosis as JSON-ready data (None without a diagnosed metric); `rank` reuses it."""
    if diagnosis is None:
        return None
    return {
        "metric": diagnosis.metric,
        "direction": diagnosis.direction.value,
        "model": diagnosis.model,
        "passes": diagnosis.passes,
        "value": diagnosis.value,
        "train": diagnosis.train,
        "baseline": diagnosis.baseline,
        "baseline_value": diagnosis.baseline_value,
        "gap": diagnosis.gap,
        "avoidable_bias": diagnosis.bias,
        "variance": diagnosis.variance,
        "tolerance": diagnosis.tolerance,
        "fit": diagnosis.fit.value if diagnosis.fit is not None else None,
        "hint": diagnosis.hint,
        "note": diagnosis.note,
        "ignored": [{"baseline": name, "why": why} for name, why in diagnosis.ignored],
        "phrase": diagnosis_phrase(project, diagnosis),
    }


def _baselines(report: ProjectReport, baselines: MetricBaselines) -> dict[str, Any]:
    return {
        "metric": baselines.metric,
        "direction": baselines.direction.value,
        "role": baselines.role,
        "tightest": baselines.tightest,
        "best_model": baselines.best_model,
        "best_model_value": baselines.best_model_value,
        "gap": baselines.gap,
        "hint": baselines.hint,
        "phrase": baseline_phrase(report.project, baselines),
        "ladder": [
            {
                "baseline": rung.baseline,
                "kind": rung.kind.value,
                "value": rung.value,
                "is_tightest": rung.is_tightest,
                "ignored": rung.ignored,
            }
            for rung in baselines.ladder
        ],
    }


def _stage_days(report: ProjectReport) -> dict[str, float]:
    """Days the project spent in each stage it held, every visit added, up to the report's time."""
    if not report.spans:
        return {}
    whole = Period("all time", None, report.spans[-1].end)
    return {stage.value: days for stage, days in time_in_stages(report.spans, whole).items()}


def _spread(found: Spread | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "projects": found.count,
        "min": found.minimum,
        "q1": found.q1,
        "median": found.median,
        "q3": found.q3,
        "max": found.maximum,
    }


def flow_data(flow: FlowFigures) -> dict[str, Any]:
    """The flow figures as JSON-ready data; durations in days, exact."""
    period = flow.period
    return {
        "period": {
            "label": period.label,
            "start": None if period.start is None else _instant(period.start),
            "end": _instant(period.end),
        },
        "active": flow.active,
        "back_edges": flow.back_edges,
        "stages": [
            {"stage": t.stage.value, "days": _spread(t.spread), "in_stage_now": t.open_now}
            for t in flow.stage_times
        ],
        "edges": [
            {"from": e.from_stage.value, "to": e.to_stage.value, "count": e.count}
            for e in flow.edges
        ],
        "reasons": [
            {
                "from": r.from_stage.value,
                "to": r.to_stage.value,
                "reason_code": r.reason.value,
                "reason": r.reason.label,
                "count": r.count,
            }
            for r in flow.reasons
        ],
        "outcomes": [
            {"outcome": o.outcome.value, "count": o.count, "rate": o.rate, "days": _spread(o.days)}
            for o in flow.outcomes
        ],
        "wip": [
            {
                "at": _instant(p.at),
                "counts": {s.value: n for s, n in zip(LIFECYCLE, p.counts, strict=True)},
            }
            for p in flow.wip
        ],
    }


def project_data(report: ProjectReport) -> dict[str, Any]:
    """One project's computed figures as JSON-ready data."""
    project, a = report.project, report.assessment
    return {
        "id": project.id,
        "rank": report.rank,
        "title": project.title,
        "owner": project.owner,
        "archetype": project.archetype.value,
        "stage": project.stage.value,
        "stage_title": report.stage_title,
        "quadrant": a.quadrant.value,
        "quadrant_label": report.quadrant_label,
        "unscored": list(a.unscored),
        "impact": a.impact,
        "feasibility": a.feasibility,
        "score": a.score,
        "pessimistic_score": a.pessimistic_score,
        "ranked_score": report.ranked_score,
        "distance": a.distance,
        "near_boundary": a.near_boundary,
        "can_flip": a.can_flip,
        "impact_range": list(a.impact_range),
        "feasibility_range": list(a.feasibility_range),
        "loops": report.loops,
        "stage_days": _stage_days(report),
        "loop_reasons": [
            {
                "at": _instant(t.at),
                "from": t.from_stage.value,
                "to": t.to_stage.value,
                "reason_code": None if t.reason_code is None else t.reason_code.value,
                "reason_label": "" if t.reason_code is None else t.reason_code.label,
                "reason": t.reason,
            }
            for t in report.back_edges
        ],
        "days_in_stage": report.days_in_stage,
        "open_checklist": list(report.open_checklist),
        "warnings": report.finding_counts.warnings,
        "infos": report.finding_counts.infos,
        "findings": [
            {"code": f.code, "severity": f.severity, "message": f.message} for f in report.findings
        ],
        "evaluation": _evaluation(report),
        "diagnosis": diagnosis_data(project, report.diagnosis),
        "baselines": [_baselines(report, b) for b in report.baselines],
        "ratings": ratings_data(project),
    }


def report_data(report: PortfolioReport) -> dict[str, Any]:
    """The whole export as JSON-ready data (see the module docstring for its parts)."""
    return {
        "format": REPORT_FORMAT,
        "version": REPORT_JSON_VERSION,
        "generated_at": _instant(report.generated_at),
        "name": report.name,
        "rank_by": report.settings.rank_by,
        "quadrants": [
            {"quadrant": q.quadrant.value, "label": q.label, "projects": list(q.project_ids)}
            for q in report.quadrants
        ],
        "ranking": [r.project.id for r in report.projects],
        "flow": flow_data(report.flow),
        "projects": [project_data(r) for r in report.projects],
        "portfolio": report.portfolio.model_dump(
            mode="json",
            by_alias=True,
            # a settled file has no merge conflicts: the key appears only when one is left
            exclude={"conflicts"} if not report.portfolio.conflicts else None,
        ),
    }


def render_json(report: PortfolioReport) -> str:
    """The JSON export as text: two-space indents, UTF-8 kept, ending in a newline.

    Serialised by pydantic-core (compiled): the standard library's encoder falls
    back to pure Python when indenting (docs/benchmarks.md has the figures).
    """
    data = report_data(report)
    return to_json(data, indent=2, inf_nan_mode="null").decode("utf-8") + "\n"
