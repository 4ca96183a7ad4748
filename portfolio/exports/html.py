"""The HTML report: one self-contained page with the grid drawn as inline SVG.

No external asset of any kind (no script, no font, no image file, no link to
another page): the styles are inline, the grid is SVG inside the page, and the
only links are to anchors within it. It reads in any browser and prints
(each project kept on one page where it fits). Every piece of user text goes
through `text.h`, so a title cannot add markup.
"""

from __future__ import annotations

import math
from datetime import datetime

from core.flow.reasons import OTHER
from core.report import (
    PortfolioReport,
    ProjectReport,
    baseline_phrase,
    diagnosis_phrase,
    model_phrase,
    winner_phrase,
)
from core.rules.lifecycle import STAGE_TITLES
from core.rules.priority import Quadrant
from core.rules.ratings import spread_line, spreads
from portfolio.exports.flow_svg import (
    FLOW_STYLE,
    cycle_time_svg,
    reasons_svg,
    timeline_svg,
    wip_svg,
)
from portfolio.exports.flow_text import edge, percent, period_sentence, spread_text
from portfolio.exports.text import (
    axis,
    checklist_sentence,
    grid_sentence,
    h,
    h_paragraphs,
    instant,
    loop_lines,
    metrics_sentence,
    plural,
    score,
    stage_sentence,
)

__all__ = ["render_html"]

_STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d5d9e0; --warn: #a13d00; --win: #1b6e3a; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
h3 { margin-bottom: .2rem; } h4 { margin: .8rem 0 .3rem; }
.lead, .meta, figcaption, .note { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .5rem; text-align: left;
  vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: inherit; }
figure { margin: 0 0 1rem; } svg { width: 100%; max-width: 34rem; height: auto; display: block; }
.q-quick_wins { fill: #e3f4e8; } .q-big_bets { fill: #e4ecfa; }
.q-fill_ins { fill: #fbf3dc; } .q-avoid { fill: #f6e4e4; }
.qlabel { font-size: 13px; fill: #3a4150; font-weight: 600; }
.tick { font-size: 11px; fill: var(--muted); } .axis { font-size: 12px; fill: var(--ink); }
.threshold { stroke: #39414f; stroke-width: 1.5; stroke-dasharray: 6 4; }
.frame { fill: none; stroke: #9aa1ad; }
.marker circle { fill: #ffffff; stroke: var(--ink); stroke-width: 1.5; }
.marker.uncertain circle { stroke-dasharray: 3 2; stroke: var(--warn); }
.marker text { font-size: 9px; text-anchor: middle; dominant-baseline: central; }
.project { border-top: 1px solid var(--rule); padding-top: .5rem; margin-top: 1.2rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .5rem 0; }
dt { font-weight: 600; } dd { margin: 0; }
li.warning { color: var(--warn); } li.winner { color: var(--win); }
.winner-line { font-weight: 600; }
@media print {
  body { font-size: 10pt; max-width: none; margin: 0; }
  a { text-decoration: none; }
  .project { break-inside: avoid-page; }
  h2 { break-after: avoid-page; }
  figure, table.quadrants { break-inside: avoid-page; }
}
"""

# The grid's geometry, in SVG user units.
_LEFT, _TOP, _SIZE = 56.0, 16.0, 440.0
_VIEW = 520


def _x(feasibility: float) -> float:
    return _LEFT + (feasibility - 1.0) / 4.0 * _SIZE


def _y(impact: float) -> float:
    return _TOP + (5.0 - impact) / 4.0 * _SIZE


def _num(value: float) -> str:
    return f"{value:.1f}"


def _grid_svg(report: PortfolioReport) -> str:
    """The impact / feasibility grid as inline SVG: quadrants, threshold lines, one marker each."""
    s = report.settings
    tx, ty = _x(s.feasibility_threshold), _y(s.impact_threshold)
    right, bottom = _LEFT + _SIZE, _TOP + _SIZE
    labels = {q.quadrant: q.label for q in report.quadrants}
    regions = (
        (Quadrant.BIG_BETS, _LEFT, _TOP, tx - _LEFT, ty - _TOP, "start", _LEFT + 6, _TOP + 16),
        (Quadrant.QUICK_WINS, tx, _TOP, right - tx, ty - _TOP, "end", right - 6, _TOP + 16),
        (Quadrant.AVOID, _LEFT, ty, tx - _LEFT, bottom - ty, "start", _LEFT + 6, bottom - 8),
        (Quadrant.FILL_INS, tx, ty, right - tx, bottom - ty, "end", right - 6, bottom - 8),
    )
    parts = [
        f'<svg viewBox="0 0 {_VIEW} {_VIEW}" role="img" aria-labelledby="grid-title">',
        '<title id="grid-title">Impact (up) against feasibility (across)</title>',
    ]
    for quadrant, x, y, w, hgt, anchor, lx, ly in regions:
        parts.append(
            f'<rect class="q-{quadrant.value}" x="{_num(x)}" y="{_num(y)}"'
            f' width="{_num(w)}" height="{_num(hgt)}"/>'
        )
        parts.append(
            f'<text class="qlabel" x="{_num(lx)}" y="{_num(ly)}"'
            f' text-anchor="{anchor}">{h(labels[quadrant])}</text>'
        )
    parts.append(
        f'<rect class="frame" x="{_num(_LEFT)}" y="{_num(_TOP)}"'
        f' width="{_num(_SIZE)}" height="{_num(_SIZE)}"/>'
    )
    for tick in range(1, 6):
        parts.append(
            f'<text class="tick" x="{_num(_x(tick))}" y="{_num(bottom + 16)}"'
            f' text-anchor="middle">{tick}</text>'
        )
        parts.append(
            f'<text class="tick" x="{_num(_LEFT - 8)}" y="{_num(_y(tick) + 4)}"'
            f' text-anchor="end">{tick}</text>'
        )
    parts.append(
        f'<line class="threshold" x1="{_num(tx)}" y1="{_num(_TOP)}"'
        f' x2="{_num(tx)}" y2="{_num(bottom)}"/>'
    )
    parts.append(
        f'<line class="threshold" x1="{_num(_LEFT)}" y1="{_num(ty)}"'
        f' x2="{_num(right)}" y2="{_num(ty)}"/>'
    )
    parts.append(
        f'<text class="axis" x="{_num(_LEFT + _SIZE / 2)}" y="{_num(bottom + 36)}"'
        ' text-anchor="middle">feasibility →</text>'
    )
    parts.append(
        f'<text class="axis" x="16" y="{_num(_TOP + _SIZE / 2)}" text-anchor="middle"'
        f' transform="rotate(-90 16 {_num(_TOP + _SIZE / 2)})">impact →</text>'
    )
    parts.extend(_markers(report))
    parts.append("</svg>")
    return "\n".join(parts)


def _markers(report: PortfolioReport) -> list[str]:
    """One labelled circle per project, worst-ranked drawn first so the best end on top.

    Projects at the same place are spread on a small spiral so each stays visible.
    """
    seen: dict[tuple[float, float], int] = {}
    placed: list[tuple[ProjectReport, float, float]] = []
    for r in report.projects:
        a = r.assessment
        if not a.scored:  # an unscored project has no place on the grid
            continue
        x, y = _x(a.feasibility), _y(a.impact)
        key = (round(x), round(y))
        k = seen.get(key, 0)
        seen[key] = k + 1
        if k:
            angle, radius = k * 2.4, 13.0 * math.sqrt(k)
            x, y = x + radius * math.cos(angle), y + radius * math.sin(angle)
        placed.append((r, x, y))
    out: list[str] = []
    for r, x, y in reversed(placed):
        a = r.assessment
        uncertain = " uncertain" if a.near_boundary or a.can_flip else ""
        tip = (
            f"{r.rank}. {r.project.title}: {r.quadrant_label}, impact {axis(a.impact)},"
            f" feasibility {axis(a.feasibility)}, score {score(a.score)}"
        )
        out.append(
            f'<g class="marker{uncertain}"><title>{h(tip)}</title>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="9"/>'
            f'<text x="{_num(x)}" y="{_num(y)}">{r.rank}</text></g>'
        )
    return out


def _quadrant_cell(report: PortfolioReport, quadrant: Quadrant) -> str:
    summary = next(q for q in report.quadrants if q.quadrant is quadrant)
    items = []
    for project_id in summary.project_ids:
        found = report.project(project_id)
        if found is not None:
            items.append(
                f'<li><a href="#p-{found.project.id}">{found.rank}. '
                f"{h(found.project.title)}</a></li>"
            )
    body = f"<ol>{''.join(items)}</ol>" if items else ""
    return f"<td><strong>{h(summary.label)}</strong> ({len(summary.project_ids)}){body}</td>"


def _quadrant_table(report: PortfolioReport) -> str:
    return (
        '<table class="quadrants"><thead><tr><th></th><th>Lower feasibility</th>'
        "<th>Higher feasibility</th></tr></thead><tbody>"
        f"<tr><th>Higher impact</th>{_quadrant_cell(report, Quadrant.BIG_BETS)}"
        f"{_quadrant_cell(report, Quadrant.QUICK_WINS)}</tr>"
        f"<tr><th>Lower impact</th>{_quadrant_cell(report, Quadrant.AVOID)}"
        f"{_quadrant_cell(report, Quadrant.FILL_INS)}</tr></tbody></table>"
    )


def _ranking(report: PortfolioReport) -> str:
    rows = []
    for r in report.projects:
        a = r.assessment
        flag = " ≈" if a.scored and (a.near_boundary or a.can_flip) else ""
        figures = (axis(a.impact), axis(a.feasibility), score(r.ranked_score))
        impact, feasibility, ranked = figures if a.scored else ("—", "—", "—")
        rows.append(
            f'<tr><td class="num">{r.rank}</td>'
            f'<td><a href="#p-{r.project.id}">{h(r.project.title)}</a></td>'
            f"<td>{r.project.stage.value}</td>"
            f'<td class="num">{impact}</td><td class="num">{feasibility}</td>'
            f"<td>{h(r.quadrant_label)}{flag}</td>"
            f'<td class="num">{ranked}</td>'
            f'<td class="num">{r.finding_counts.warnings}</td>'
            f'<td class="num">{r.finding_counts.infos}</td></tr>'
        )
    if not rows:
        rows.append('<tr><td colspan="8">(no projects)</td></tr>')
    return (
        '<table><thead><tr><th class="num">#</th><th>Project</th><th>Stage</th>'
        '<th class="num">Impact</th><th class="num">Feasibility</th><th>Quadrant</th>'
        '<th class="num">Score</th><th class="num">Warnings</th>'
        '<th class="num">Infos</th></tr></thead><tbody>'
        + "".join(rows)
        + '</tbody></table><p class="note">≈ marks a quadrant that is near a boundary'
        " or could change.</p>"
    )


def _flow(report: PortfolioReport) -> str:
    """The Flow section: time in stage, back-edges by reason, outcomes, work in progress."""
    flow = report.flow
    reasons = "".join(
        f"<tr><td>{h(edge(r.from_stage, r.to_stage))}</td>"
        f"<td>{h('other (not one of the lecture’s)' if r.reason is OTHER else r.reason.label)}</td>"
        f'<td class="num">{r.count}</td></tr>'
        for r in flow.reasons
    )
    outcomes = "".join(
        f'<tr><td>{STAGE_TITLES[o.outcome]}</td><td class="num">{o.count}</td>'
        f'<td class="num">{percent(o.rate)}</td><td>{h(spread_text(o.days))}</td></tr>'
        for o in flow.outcomes
    )
    return "\n".join(
        [
            '<section id="flow"><h2>Flow</h2>',
            f'<p class="lead">{h(period_sentence(flow))}</p>',
            f"<figure>{cycle_time_svg(flow)}<figcaption>Days each project spent in each stage"
            " (every visit added): the bar reaches the median, the box spans the quartiles and"
            " the line the range.</figcaption></figure>",
            f"<figure>{reasons_svg(flow)}<figcaption>Back-edges by the lecture's reason"
            " (only the reasons given).</figcaption></figure>",
            '<table class="reasons"><thead><tr><th>Edge</th><th>Reason</th>'
            f'<th class="num">Count</th></tr></thead><tbody>{reasons}</tbody></table>',
            '<table class="outcomes"><thead><tr><th>Outcome</th><th class="num">Projects</th>'
            '<th class="num">Share of active</th><th>Time to it</th></tr></thead>'
            f"<tbody>{outcomes}</tbody></table>",
            f"<figure>{wip_svg(flow)}<figcaption>Work in progress: projects in each lifecycle"
            " stage over time.</figcaption></figure>",
            "</section>",
        ]
    )


def _timeline(report: ProjectReport, start: datetime, end: datetime) -> str:
    """The project's stage timeline on the portfolio's common time axis."""
    if not report.spans:
        return ""
    return (
        f'<figure class="timeline">{timeline_svg(report.spans, start, end)}'
        "<figcaption>Stages over time (P planning, D data, T training, Y deployment, Z parked,"
        " K killed, S shipped); &lt; marks a back-edge.</figcaption></figure>"
    )


def _project(report: ProjectReport, start: datetime | None, end: datetime) -> str:
    project, evaluation = report.project, report.evaluation
    meta = [project.id, project.archetype.value]
    if project.owner:
        meta.insert(1, f"owner {h(project.owner)}")
    if project.tags:
        meta.append("tags: " + ", ".join(h(tag) for tag in project.tags))
    out = [
        f'<article class="project" id="p-{project.id}">',
        f"<h3>{report.rank}. {h(project.title)}</h3>",
        f'<p class="meta">{" · ".join(meta)}</p>',
    ]
    out.extend(f"<p>{p}</p>" for p in h_paragraphs(project.summary))
    criteria = h_paragraphs(project.success_criteria)
    if criteria:
        out.append(f"<p><strong>Success criteria:</strong> {'<br>'.join(criteria)}</p>")
    facts = [
        ("Grid", h(grid_sentence(report))),
        ("Stage", h(stage_sentence(report))),
        *(("Loop", h(line)) for line in loop_lines(report)),
        ("Checklist", h(checklist_sentence(report))),
        *(("Ratings", h(spread_line(s))) for s in spreads(project)),
    ]
    out.append("<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
    if start is not None:
        out.append(_timeline(report, start, end))
    if report.findings:
        items = [f'<li class="warning">Warning: {h(f.message)}</li>' for f in report.warnings]
        items.extend(f"<li>Worth a look: {h(f.message)}</li>" for f in report.notices)
        out.append(f'<ul class="findings">{"".join(items)}</ul>')
    if project.metrics or project.models:
        out.append("<h4>Metrics</h4>")
        intro = metrics_sentence(report)
        if intro:
            out.append(f"<p>{h(intro[:1].upper() + intro[1:])}.</p>")
        if evaluation.verdicts:
            items = [
                ('<li class="winner">' if v.is_winner else "<li>")
                + f"<strong>{h(v.model)}</strong>: {h(model_phrase(project, evaluation, v))}</li>"
                for v in evaluation.verdicts
            ]
            out.append(f"<ul>{''.join(items)}</ul>")
        winner = winner_phrase(project, evaluation)
        if winner:
            out.append(f'<p class="winner-line">{h(winner[:1].upper() + winner[1:])}.</p>')
    diagnosis = report.diagnosis
    if diagnosis is not None:
        out.append("<h4>Diagnosis</h4>")
        if diagnosis.note:
            out.append(f"<p>{h(diagnosis.note[:1].upper() + diagnosis.note[1:])}.</p>")
        if diagnosis.model is not None:
            out.append(f'<p class="diagnosis">{h(diagnosis_phrase(project, diagnosis))}</p>')
    if report.baselines:
        out.append("<h4>Baselines</h4>")
        items = [f"<li>{h(baseline_phrase(project, b))}</li>" for b in report.baselines]
        out.append(f"<ul>{''.join(items)}</ul>")
    out.append("</article>")
    return "\n".join(out)


def render_html(report: PortfolioReport) -> str:
    """The whole report as one HTML5 page, ending in a newline."""
    ranking = "pessimistic (low ends of ranges)" if report.pessimistic else "expected"
    s = report.settings
    body = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(report.name)}: portfolio report</title>",
        f"<style>{_STYLE}{FLOW_STYLE}</style>",
        "</head>",
        "<body>",
        f"<header><h1>{h(report.name)}</h1>",
        f'<p class="lead">Portfolio report of {instant(report.generated_at)}:'
        f" {plural(len(report.projects), 'project')}, ranked by {ranking} priority score"
        " (0 to 100).</p></header>",
        "<main>",
        '<section id="quadrants"><h2>Quadrants</h2>',
        f"<figure>{_grid_svg(report)}<figcaption>Each marker is a project's rank. Impact counts"
        f" as higher from {axis(s.impact_threshold)}, feasibility from"
        f" {axis(s.feasibility_threshold)}; a dashed marker is near a boundary or could change"
        " quadrant.</figcaption></figure>",
        _quadrant_table(report),
        "</section>",
        f'<section id="ranking"><h2>Ranking</h2>{_ranking(report)}</section>',
        _flow(report),
    ]
    if report.projects:
        body.append('<section id="projects"><h2>Projects</h2>')
        starts = [r.spans[0].start for r in report.projects if r.spans]
        start = min(starts, default=None)
        body.extend(_project(r, start, report.generated_at) for r in report.projects)
        body.append("</section>")
    body.extend(["</main>", "</body>", "</html>"])
    return "\n".join(body) + "\n"
