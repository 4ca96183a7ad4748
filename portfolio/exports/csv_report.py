"""The CSV export: one row per project, best-ranked first, for spreadsheets and scripts.

Written by the `csv` module (quoting as needed, `\\r\\n` line ends as RFC 4180
asks). Text cells are one line and never start a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io

from core.models import Transition
from core.report import PortfolioReport, ProjectReport
from core.rules.ratings import disagreements, raters
from portfolio.exports.ratings import spread_cell
from portfolio.exports.text import csv_cell

__all__ = ["COLUMNS", "render_csv"]

COLUMNS: tuple[str, ...] = (
    "rank",
    "id",
    "title",
    "owner",
    "stage",
    "archetype",
    "tags",
    "quadrant",
    "quadrant_label",
    "impact",
    "feasibility",
    "score",
    "pessimistic_score",
    "near_boundary",
    "can_flip",
    "loops",
    "loop_reasons",
    "days_in_stage",
    "open_checklist",
    "warnings",
    "notices",
    "models",
    "passing_models",
    "winner",
    "hints",
    "raters",
    "rating_spread",
    "disagreements",
)
"""The header row, in order."""


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _loop_reason(entry: Transition) -> str:
    """A back move's reason for the CSV: its code's label ("labels unreliable", "other")."""
    return "" if entry.reason_code is None else entry.reason_code.label


def _row(report: ProjectReport) -> list[str | int]:
    project, a, evaluation = report.project, report.assessment, report.evaluation
    hints = "; ".join(f"{b.metric}: {b.hint}" for b in report.baselines if b.hint)
    return [
        report.rank,
        project.id,
        csv_cell(project.title),
        csv_cell(project.owner),
        project.stage.value,
        project.archetype.value,
        csv_cell("; ".join(project.tags)),
        a.quadrant.value,
        csv_cell(report.quadrant_label),
        f"{a.impact:.4f}",
        f"{a.feasibility:.4f}",
        f"{a.score:.1f}",
        f"{a.pessimistic_score:.1f}",
        _flag(a.near_boundary),
        _flag(a.can_flip),
        report.loops,
        csv_cell("; ".join(_loop_reason(t) for t in report.back_edges)),
        "" if report.days_in_stage is None else report.days_in_stage,
        "; ".join(report.open_checklist),
        report.finding_counts.warnings,
        report.finding_counts.infos,
        len(evaluation.verdicts),
        sum(1 for v in evaluation.verdicts if v.passes),
        csv_cell(evaluation.winner or ""),
        csv_cell(hints),
        len(raters(project)),
        csv_cell(spread_cell(project)),
        len(disagreements(project)),
    ]


def render_csv(report: PortfolioReport) -> str:
    """The CSV text: a header row, then one row per project, best-ranked first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(r) for r in report.projects)
    return buffer.getvalue()
