"""The Markdown report: quadrant summary, ranked table, then one section per project.

Meant to be read, in a pull request or a wiki: headings, one table, short
bullet lists of plain sentences. Every piece of user text is escaped with
`text.md`, so a title cannot make a link, an image, HTML or a broken table.
"""

from __future__ import annotations

from core.report import (
    PortfolioReport,
    ProjectReport,
    baseline_phrase,
    diagnosis_phrase,
    model_phrase,
    winner_phrase,
)
from core.rules.priority import Quadrant
from core.rules.ratings import spread_line, spreads
from portfolio.exports.flow_text import flow_markdown
from portfolio.exports.text import (
    axis,
    checklist_sentence,
    grid_sentence,
    instant,
    loop_lines,
    md,
    md_paragraphs,
    metrics_sentence,
    plural,
    score,
    stage_sentence,
)

QUADRANT_LISTED = 8
"""How many projects a quadrant cell names before it says 'and N more'."""


def render_markdown(report: PortfolioReport) -> str:
    """The whole report as Markdown text, ending in one newline."""
    lines: list[str] = [f"# {md(report.name)}", ""]
    count = len(report.projects)
    ranking = "pessimistic (low ends of ranges)" if report.pessimistic else "expected"
    lines.append(
        f"Portfolio report of {instant(report.generated_at)}: {plural(count, 'project')},"
        f" ranked by {ranking} priority score (0 to 100)."
    )
    lines.append("")
    lines.extend(_quadrants(report))
    lines.extend(_ranking(report))
    lines.extend(flow_markdown(report.flow))
    if report.projects:
        lines.extend(["## Projects", ""])
        for project in report.projects:
            lines.extend(project_section(project))
    return "\n".join(lines).rstrip("\n") + "\n"


def _cell(report: PortfolioReport, quadrant: Quadrant) -> str:
    summary = next(q for q in report.quadrants if q.quadrant is quadrant)
    ids = summary.project_ids
    head = f"**{md(summary.label)}** ({len(ids)})"
    if not ids:
        return head
    named = [
        f"{found.rank}. {md(found.project.title)}"
        for found in (report.project(i) for i in ids[:QUADRANT_LISTED])
        if found is not None
    ]
    more = f", and {len(ids) - QUADRANT_LISTED} more" if len(ids) > QUADRANT_LISTED else ""
    return f"{head}: " + ", ".join(named) + more


def _quadrants(report: PortfolioReport) -> list[str]:
    settings = report.settings
    return [
        "## Quadrants",
        "",
        "| | Lower feasibility | Higher feasibility |",
        "| --- | --- | --- |",
        f"| **Higher impact** | {_cell(report, Quadrant.BIG_BETS)}"
        f" | {_cell(report, Quadrant.QUICK_WINS)} |",
        f"| **Lower impact** | {_cell(report, Quadrant.AVOID)}"
        f" | {_cell(report, Quadrant.FILL_INS)} |",
        "",
        f"Impact counts as higher from {axis(settings.impact_threshold)}, feasibility from"
        f" {axis(settings.feasibility_threshold)} (scores run from 1 to 5).",
        "",
    ]


def _ranking(report: PortfolioReport) -> list[str]:
    lines = [
        "## Ranking",
        "",
        "| # | Project | Stage | Impact | Feasibility | Quadrant | Score | Warnings | Infos |",
        "| ---: | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for r in report.projects:
        a = r.assessment
        flag = " ≈" if a.scored and (a.near_boundary or a.can_flip) else ""
        figures = (axis(a.impact), axis(a.feasibility), score(r.ranked_score))
        impact, feasibility, ranked = figures if a.scored else ("—", "—", "—")
        lines.append(
            f"| {r.rank} | {md(r.project.title)} ({r.project.id}) | {r.project.stage.value}"
            f" | {impact} | {feasibility} | {md(r.quadrant_label)}{flag}"
            f" | {ranked} | {r.finding_counts.warnings} | {r.finding_counts.infos} |"
        )
    if not report.projects:
        lines.append("| | (no projects) | | | | | | |")
    lines.extend(["", "≈ marks a quadrant that is near a boundary or could change.", ""])
    return lines


def project_section(report: ProjectReport) -> list[str]:
    """One project's section: facts, findings, metric verdicts and baselines."""
    project = report.project
    lines = [f"### {report.rank}. {md(project.title)}", ""]
    meta = [project.id, project.archetype.value]
    if project.owner:
        meta.insert(1, f"owner {md(project.owner)}")
    if project.tags:
        meta.append("tags: " + ", ".join(md(tag) for tag in project.tags))
    lines.extend([" · ".join(meta), ""])
    for paragraph in md_paragraphs(project.summary):
        lines.extend([paragraph, ""])
    if project.success_criteria.strip():
        first, *rest = md_paragraphs(project.success_criteria)
        lines.extend([f"**Success criteria:** {first}", ""])
        for paragraph in rest:
            lines.extend([paragraph, ""])
    lines.append(f"- **Grid:** {md(grid_sentence(report))}")
    lines.append(f"- **Stage:** {md(stage_sentence(report))}")
    lines.extend(f"- **Loop:** {md(line)}" for line in loop_lines(report))
    lines.append(f"- **Checklist:** {md(checklist_sentence(report))}")
    lines.extend(f"- **Ratings:** {md(spread_line(s))}" for s in spreads(project))
    lines.extend(f"- **Warning:** {md(f.message)}" for f in report.warnings)
    lines.extend(f"- **Worth a look:** {md(f.message)}" for f in report.notices)
    lines.append("")
    lines.extend(_metrics(report))
    return lines


def _metrics(report: ProjectReport) -> list[str]:
    project, evaluation = report.project, report.evaluation
    if not project.metrics and not project.models:
        return []
    lines = ["#### Metrics", ""]
    intro = metrics_sentence(report)
    if intro:
        lines.extend([md(intro[:1].upper() + intro[1:]) + ".", ""])
    for verdict in evaluation.verdicts:
        lines.append(f"- **{md(verdict.model)}**: {md(model_phrase(project, evaluation, verdict))}")
    if evaluation.verdicts:
        lines.append("")
    winner = winner_phrase(project, evaluation)
    if winner:
        lines.extend([md(winner[:1].upper() + winner[1:]) + ".", ""])
    diagnosis = report.diagnosis
    if diagnosis is not None:
        lines.extend(["#### Diagnosis", ""])
        if diagnosis.note:
            lines.extend([md(diagnosis.note[:1].upper() + diagnosis.note[1:]) + ".", ""])
        if diagnosis.model is not None:
            lines.extend([md(diagnosis_phrase(project, diagnosis)), ""])
    if report.baselines:
        lines.extend(["#### Baselines", ""])
        lines.extend(f"- {md(baseline_phrase(project, b))}" for b in report.baselines)
        lines.append("")
    return lines
