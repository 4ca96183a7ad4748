"""The flow figures as plain words and Markdown tables, shared by the Markdown and HTML exports.

Numbers of days are rounded for people (`14 d`, `2.5 d`); the JSON export keeps
them exact. The reasons are the lecture's, named as `core.rules.lifecycle`
words them.
"""

from __future__ import annotations

from core.flow.figures import FlowFigures
from core.flow.reasons import OTHER
from core.flow.spans import Spread
from core.models import LIFECYCLE
from core.rules.lifecycle import STAGE_TITLES
from portfolio.exports.text import day

__all__ = ["days", "edge", "flow_markdown", "percent", "period_sentence", "spread_text"]


def days(value: float) -> str:
    """A number of days for people: whole days from 10 up, one decimal below."""
    return f"{value:.0f} d" if value >= 10 else f"{value:.1f} d"


def percent(rate: float) -> str:
    """A share as a whole percentage: '14%'."""
    return f"{rate * 100:.0f}%"


def spread_text(found: Spread | None) -> str:
    """'median 52 d (quartiles 49 d to 87 d, 14 d to 154 d, 12 projects)', or '—' for none."""
    if found is None:
        return "—"
    return (
        f"median {days(found.median)} (quartiles {days(found.q1)} to {days(found.q3)},"
        f" range {days(found.minimum)} to {days(found.maximum)}, n = {found.count})"
    )


def edge(from_stage: str, to_stage: str) -> str:
    """'training → data'."""
    return f"{from_stage} → {to_stage}"


def period_sentence(flow: FlowFigures) -> str:
    """Which time the figures cover, and how many projects were active in it."""
    period = flow.period
    since = "since the first project" if period.start is None else f"from {day(period.start)}"
    return (
        f"Flow {since} to {day(period.end)} ({period.label}): {flow.active} projects active,"
        f" {flow.back_edges} back-edges."
    )


def flow_markdown(flow: FlowFigures) -> list[str]:
    """The `## Flow` section: time in stage, back-edges by reason, outcomes, WIP now."""
    lines = ["## Flow", "", period_sentence(flow), "", "### Time in stage", ""]
    lines.append("| Stage | Projects | Median | Quartiles | Range | In it now |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for time in flow.stage_times:
        s = time.spread
        if s is None:
            cells = "0 | — | — | —"
        else:
            cells = (
                f"{s.count} | {days(s.median)} | {days(s.q1)} – {days(s.q3)}"
                f" | {days(s.minimum)} – {days(s.maximum)}"
            )
        lines.append(f"| {STAGE_TITLES[time.stage]} | {cells} | {time.open_now} |")
    lines.extend(["", "### Back-edges by reason", ""])
    lines.append("| Edge | Reason (the lecture's) | Count |")
    lines.append("| --- | --- | ---: |")
    for row in flow.reasons:
        reason = "other (not one of the lecture's)" if row.reason is OTHER else row.reason.label
        lines.append(f"| {edge(row.from_stage, row.to_stage)} | {reason} | {row.count} |")
    lines.extend(["", "### Outcomes", ""])
    lines.append("| Outcome | Projects | Share of active | Time to it |")
    lines.append("| --- | ---: | ---: | --- |")
    for outcome in flow.outcomes:
        lines.append(
            f"| {outcome.outcome.value} | {outcome.count} | {percent(outcome.rate)}"
            f" | {spread_text(outcome.days)} |"
        )
    if flow.wip:
        last = flow.wip[-1]
        counts = ", ".join(
            f"{stage.value} {n}" for stage, n in zip(LIFECYCLE, last.counts, strict=True)
        )
        lines.extend(["", f"Work in progress on {day(last.at)}: {counts}."])
    lines.append("")
    return lines
