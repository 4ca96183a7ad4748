"""The flow pictures of the HTML report, as inline SVG: nothing external, printable.

Four pictures, each drawn from `core.flow` figures: time in stage (a bar to
the median, the quartiles as a box, the range as a whisker), back-edges by
the lecture's reason, work in progress per stage over time (stacked columns),
and one stage timeline per project. Every bar starts at zero. Each stage has
a letter as well as a colour (`core.flow.timeline.STAGE_LETTERS`), so the
pictures read in black and white; every mark has a `<title>` tooltip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.flow.figures import FlowFigures
from core.flow.reasons import reason_label
from core.flow.spans import Span
from core.flow.timeline import BACK_MARK, STAGE_LETTERS
from core.models import LIFECYCLE, TransitionKind
from core.rules.lifecycle import STAGE_TITLES
from core.views.bars import bar_scale
from portfolio.exports.flow_text import days, edge, spread_text
from portfolio.exports.text import day, h

__all__ = ["FLOW_STYLE", "cycle_time_svg", "reasons_svg", "timeline_svg", "wip_svg"]

FLOW_STYLE = """
.s-planning { fill: #9db4dc; } .s-data { fill: #8fd1b8; } .s-training { fill: #f2b48c; }
.s-deployment { fill: #dca3cf; } .s-parked { fill: #d6d6d6; } .s-killed { fill: #8c8c8c; }
.s-shipped { fill: #b7dc8a; }
.bar { stroke: #1d2330; stroke-width: .5; } .iqr { fill: none; stroke: #1d2330; stroke-width: 1; }
.range { stroke: #1d2330; stroke-width: 1; }
.label { font-size: 11px; fill: #1d2330; } .value { font-size: 11px; fill: #5b6475; }
.letter { font-size: 10px; fill: #1d2330; text-anchor: middle; dominant-baseline: central; }
.back { fill: #a13d00; } .back-text { font-size: 10px; fill: #ffffff; text-anchor: middle;
  dominant-baseline: central; font-weight: 700; }
svg.timeline { max-width: 34rem; }
"""
"""The flow pictures' styles, added to the report's style sheet."""

_WIDTH = 520
_LABEL = 190.0
_PLOT = 250.0
_ROW = 20


def _n(value: float) -> str:
    return f"{value:.1f}"


def _open(height: float, title: str, klass: str = "") -> list[str]:
    extra = f' class="{klass}"' if klass else ""
    return [f'<svg{extra} viewBox="0 0 {_WIDTH} {_n(height)}" role="img"><title>{h(title)}</title>']


def cycle_time_svg(flow: FlowFigures) -> str:
    """Per stage: a bar from zero to the median days, the quartiles boxed, the range whiskered."""
    rows = [t for t in flow.stage_times if t.spread is not None]
    scale = bar_scale(t.spread.maximum for t in rows if t.spread is not None)
    parts = _open(len(rows) * _ROW + 24, "Days in each stage per project: median, quartiles, range")
    for i, time in enumerate(rows):
        s = time.spread
        if s is None:  # filtered above
            continue
        y = 4 + i * _ROW
        x = [
            _LABEL + scale.fraction(v) * _PLOT for v in (s.minimum, s.q1, s.median, s.q3, s.maximum)
        ]
        title = h(f"{STAGE_TITLES[time.stage]}: {spread_text(s)}")
        parts.append(
            f"<g><title>{title}</title>"
            f'<text class="label" x="4" y="{y + 13}">{STAGE_LETTERS[time.stage]}'
            f" {h(STAGE_TITLES[time.stage])}</text>"
            f'<rect class="bar cycle s-{time.stage.value}" x="{_n(_LABEL)}" y="{y + 3}"'
            f' width="{_n(x[2] - _LABEL)}" height="12"/>'
            f'<line class="range" x1="{_n(x[0])}" y1="{y + 9}" x2="{_n(x[4])}" y2="{y + 9}"/>'
            f'<rect class="iqr" x="{_n(x[1])}" y="{y + 5}" width="{_n(x[3] - x[1])}" height="8"/>'
            f'<text class="value" x="{_n(_LABEL + _PLOT + 6)}" y="{y + 13}">'
            f"{days(s.median)}</text></g>"
        )
    parts.append(
        f'<text class="value" x="{_n(_LABEL)}" y="{len(rows) * _ROW + 18}">'
        f"days; {scale.note}, full width {days(scale.end)}</text></svg>"
    )
    return "\n".join(parts)


def reasons_svg(flow: FlowFigures) -> str:
    """One bar per back-edge reason that was given, from zero to its count."""
    rows = [r for r in flow.reasons if r.count]
    scale = bar_scale(r.count for r in rows)
    parts = _open(len(rows) * _ROW + 24, "Back-edges by the lecture's reason")
    for i, row in enumerate(rows):
        y = 4 + i * _ROW
        reason = reason_label(row.reason)
        label = f"{edge(row.from_stage, row.to_stage)}: {reason}"
        parts.append(
            f"<g><title>{h(label)}: {row.count}</title>"
            f'<text class="label" x="4" y="{y + 13}">{h(reason)}</text>'
            f'<rect class="bar reason s-{row.to_stage.value}" x="{_n(_LABEL)}" y="{y + 3}"'
            f' width="{_n(scale.fraction(row.count) * _PLOT)}" height="12"/>'
            f'<text class="value" x="{_n(_LABEL + _PLOT + 6)}" y="{y + 13}">'
            f"{row.count} {h(edge(STAGE_LETTERS[row.from_stage], STAGE_LETTERS[row.to_stage]))}"
            "</text></g>"
        )
    parts.append(
        f'<text class="value" x="{_n(_LABEL)}" y="{len(rows) * _ROW + 18}">'
        f"back moves; {scale.note}</text></svg>"
    )
    return "\n".join(parts)


def wip_svg(flow: FlowFigures) -> str:
    """Projects in each lifecycle stage at each sampled instant, as stacked columns from zero."""
    points = flow.wip
    scale = bar_scale(sum(p.counts) for p in points)
    height, top, left = 150.0, 8.0, 40.0
    width = (_WIDTH - left - 10) / max(len(points), 1)
    parts = _open(height + 40, "Work in progress per stage over time")
    for i, point in enumerate(points):
        x, base = left + i * width, top + height
        for stage, count in zip(LIFECYCLE, point.counts, strict=True):
            if not count:
                continue
            tall = scale.fraction(count) * height
            base -= tall
            parts.append(
                f'<rect class="wip s-{stage.value}" x="{_n(x + 1)}" y="{_n(base)}"'
                f' width="{_n(width - 2)}" height="{_n(tall)}">'
                f"<title>{day(point.at)}: {count} in {stage.value}</title></rect>"
            )
            if tall >= 11 and width >= 10:
                parts.append(
                    f'<text class="letter" x="{_n(x + width / 2)}" y="{_n(base + tall / 2)}">'
                    f"{STAGE_LETTERS[stage]}</text>"
                )
    parts.append(
        f'<text class="value" x="{_n(left - 4)}" y="{_n(top + 8)}" text-anchor="end">'
        f"{scale.end:.0f}</text>"
        f'<text class="value" x="{_n(left - 4)}" y="{_n(top + height)}" text-anchor="end">0</text>'
    )
    if points:
        parts.append(
            f'<text class="value" x="{_n(left)}" y="{_n(top + height + 16)}">'
            f"{day(points[0].at)}</text>"
            f'<text class="value" x="{_n(_WIDTH - 10)}" y="{_n(top + height + 16)}"'
            f' text-anchor="end">{day(points[-1].at)}</text>'
        )
    legend = " · ".join(f"{STAGE_LETTERS[s]} {s.value}" for s in LIFECYCLE)
    parts.append(
        f'<text class="value" x="{_n(left)}" y="{_n(top + height + 32)}">'
        f"projects; {scale.note}; {legend}</text></svg>"
    )
    return "\n".join(parts)


def timeline_svg(spans: Sequence[Span], start: datetime, end: datetime) -> str:
    """One project's stages from `start` to `end` as coloured, lettered spans; back moves marked."""
    left, width, height = 4.0, _WIDTH - 8.0, 22.0
    total = (end - start).total_seconds()
    parts = _open(height + 18, "Stage timeline", "timeline")

    def x_of(moment: datetime) -> float:
        if total <= 0:
            return left
        return left + max(0.0, min(1.0, (moment - start).total_seconds() / total)) * width

    for span in spans:
        x1, x2 = x_of(span.start), x_of(span.end)
        letter = STAGE_LETTERS[span.stage]
        title = (
            f"{STAGE_TITLES[span.stage]}: {day(span.start)} to {day(span.end)}, {days(span.days)}"
        )
        parts.append(
            f'<g><title>{h(title)}</title><rect class="span s-{span.stage.value}"'
            f' x="{_n(x1)}" y="2" width="{_n(max(x2 - x1, 0.5))}" height="{_n(height)}"/>'
            + (
                f'<text class="letter" x="{_n((x1 + x2) / 2)}"'
                f' y="{_n(2 + height / 2)}">{letter}</text>'
                if x2 - x1 >= 10
                else ""
            )
            + "</g>"
        )
    for span in spans:
        if span.entered_by is TransitionKind.BACK:
            x = x_of(span.start)
            why = f"went back to {span.stage.value} on {day(span.start)}: {span.reason}"
            parts.append(
                f'<g class="back-edge"><title>{h(why)}</title>'
                f'<rect class="back" x="{_n(x - 5)}" y="2" width="10" height="10"/>'
                f'<text class="back-text" x="{_n(x)}" y="7">{BACK_MARK}</text></g>'
            )
    parts.append(
        f'<text class="value" x="{_n(left)}" y="{_n(height + 15)}">{day(start)}</text>'
        f'<text class="value" x="{_n(left + width)}" y="{_n(height + 15)}" text-anchor="end">'
        f"{day(end)}</text></svg>"
    )
    return "\n".join(parts)
