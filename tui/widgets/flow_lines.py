"""The Flow view's lines: charts drawn from `core.flow` figures, as styled text.

Each function turns figures into `Content` lines for a given width. Span
styles name component classes (".flow-view--s-data"), so a theme restyles
them; every stage also has its letter (`core.flow.timeline.STAGE_LETTERS`),
so the charts read without colour. Bars start at zero (`core.views.bars`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content

from core.flow.figures import FlowFigures
from core.flow.reasons import reason_label
from core.flow.spans import Span
from core.flow.timeline import STAGE_LETTERS, legend, timeline_cells
from core.flow.trend import Trend
from core.models import LIFECYCLE, Project, Stage
from core.rules.lifecycle import STAGE_TITLES
from core.rules.priority import Quadrant
from core.views.bars import bar_scale
from tui.text import plain

__all__ = [
    "HEADING",
    "MUTED",
    "STYLES",
    "cell_style",
    "cycle_time_lines",
    "flow_lines",
    "outcome_lines",
    "reason_lines",
    "stage_style",
    "timeline_lines",
    "trend_lines",
    "wip_lines",
]

HEADING = ".flow-view--heading"
MUTED = ".flow-view--muted"
BACK = ".flow-view--back"
STYLES: tuple[str, ...] = (
    HEADING,
    MUTED,
    BACK,
    *(f".flow-view--s-{stage.value}" for stage in Stage),
    *(f".flow-view--b-{stage.value}" for stage in Stage),
)

Part = str | Content | tuple[str, str]

_EIGHTHS = " ▏▎▍▌▋▊▉"
_SPARK = " ▁▂▃▄▅▆▇█"
_LABEL = 14
_BAR_CAP = 40


def stage_style(stage: Stage) -> str:
    """The component class a stage's bars and letters are drawn in (its colour as ink)."""
    return f".flow-view--b-{stage.value}"


def cell_style(stage: Stage) -> str:
    """The component class of a timeline cell of this stage (its colour as background)."""
    return f".flow-view--s-{stage.value}"


def _days(value: float) -> str:
    return f"{value:.0f}d" if value >= 10 else f"{value:.1f}d"


def _bar(fraction: float, cells: int) -> str:
    """A bar `cells` wide filled to `fraction`, in eighths of a cell, padded with spaces."""
    eighths = round(max(0.0, min(1.0, fraction)) * cells * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(cells)


def _heading(out: list[Content], text: str, detail: str = "") -> None:
    out.append(Content.assemble((text, HEADING), (f"  {detail}" if detail else "", MUTED)))


def _fit(text: str, width: int) -> Content:
    return Content(text).truncate(width, ellipsis=True, pad=True)


def cycle_time_lines(flow: FlowFigures, width: int) -> list[Content]:
    """Days in each stage per project: a bar to the median, then median, quartiles and count."""
    out: list[Content] = []
    rows = [t for t in flow.stage_times if t.spread is not None]
    scale = bar_scale(t.spread.median for t in rows if t.spread is not None)
    _heading(out, "Time in stage", f"days per project, bar = median; {scale.note}")
    if not rows:
        out.append(Content.styled("no project has spent time in a stage yet", MUTED))
        return out
    cells = min(max(width - _LABEL - 30, 6), _BAR_CAP)
    for time in rows:
        s = time.spread
        if s is None:
            continue
        label = f"{STAGE_LETTERS[time.stage]} {STAGE_TITLES[time.stage].split(' ')[0]}"
        detail = f"{_days(s.median):>5} q {_days(s.q1)}–{_days(s.q3)} n {s.count}"
        out.append(
            Content.assemble(
                _fit(label, _LABEL),
                (_bar(scale.fraction(s.median), cells), stage_style(time.stage)),
                " ",
                detail,
                (f" now {time.open_now}" if time.open_now else "", MUTED),
            )
        )
    return out


def reason_lines(flow: FlowFigures, width: int) -> list[Content]:
    """Back-edges by the lecture's reason (every reason listed), a bar from zero to the count."""
    out: list[Content] = []
    scale = bar_scale(r.count for r in flow.reasons)
    _heading(out, "Back-edges by reason", f"{flow.back_edges} in the period; {scale.note}")
    cells = min(max(width - 8 - 30 - 5, 4), 20)
    name_w = max(min(width - 8 - cells - 5, 40), 10)
    for row in flow.reasons:
        edge = f"{STAGE_LETTERS[row.from_stage]}→{STAGE_LETTERS[row.to_stage]}"
        reason = reason_label(row.reason)
        style = stage_style(row.to_stage) if row.count else MUTED
        out.append(
            Content.assemble(
                (f"{edge}  ", MUTED),
                _fit(reason, name_w),
                " ",
                (_bar(scale.fraction(row.count), cells), style),
                (f" {row.count:>3}", "" if row.count else MUTED),
            )
        )
    return out


def timeline_lines(
    project: Project | None, spans: Sequence[Span], start: datetime, end: datetime, width: int
) -> list[Content]:
    """The project's stages from `start` to `end`: one lettered, coloured cell per stretch."""
    out: list[Content] = []
    if project is None:
        _heading(out, "Timeline")
        out.append(Content.styled("no project selected (n picks one)", MUTED))
        return out
    _heading(out, "Timeline", plain(project.title))
    cells = timeline_cells(spans, start, end, max(width, 10))
    parts: list[Part] = []
    for cell in cells:
        if cell.back:
            parts.append((cell.letter, BACK))
        elif cell.stage is None:
            parts.append(" ")
        else:
            parts.append((cell.letter, cell_style(cell.stage)))
    out.append(Content.assemble(*parts))
    left, right = f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}"
    gap = max(len(cells) - len(left) - len(right), 1)
    out.append(Content.styled(left + " " * gap + right, MUTED))
    out.extend(Content.styled(line.plain, MUTED) for line in Content(legend()).wrap(width))
    return out


def wip_lines(flow: FlowFigures, width: int) -> list[Content]:
    """Projects in each lifecycle stage over the period: one sparkline per stage, from zero."""
    out: list[Content] = []
    points = flow.wip
    scale = bar_scale(n for p in points for n in p.counts)
    top = f"{scale.end:.0f}"
    _heading(out, "Work in progress", f"projects per stage over time, 0 to {top}")
    room = max(width - 18, 4)
    shown = points[-room:]
    for column, stage in enumerate(LIFECYCLE):
        spark = "".join(
            _SPARK[round(scale.fraction(p.counts[column]) * (len(_SPARK) - 1))] for p in shown
        )
        now = points[-1].counts[column] if points else 0
        out.append(
            Content.assemble(
                f"{STAGE_LETTERS[stage]} ",
                (spark, stage_style(stage)),
                (f" now {now}", MUTED),
            )
        )
    if shown:
        left, right = f"{shown[0].at:%Y-%m-%d}", f"{shown[-1].at:%Y-%m-%d}"
        gap = max(len(shown) - len(left) - len(right), 1)
        out.append(Content.styled("  " + left + " " * gap + right, MUTED))
    return out


def outcome_lines(flow: FlowFigures) -> list[Content]:
    """Parked, killed and shipped: how many, their share of active projects, time to each."""
    out: list[Content] = []
    _heading(out, "Outcomes", f"share of the {flow.active} projects active in the period")
    for outcome in flow.outcomes:
        time = "" if outcome.days is None else f", median {_days(outcome.days.median)} to it"
        out.append(
            Content.assemble(
                (f"{STAGE_LETTERS[outcome.outcome]} ", stage_style(outcome.outcome)),
                f"{outcome.outcome.value:<8} {outcome.count:>3} ({outcome.rate * 100:.0f}%){time}",
            )
        )
    return out


_QUADRANT_SHORT = {
    Quadrant.QUICK_WINS: "quick",
    Quadrant.BIG_BETS: "big bets",
    Quadrant.FILL_INS: "fill-ins",
    Quadrant.AVOID: "avoid",
}


def trend_lines(trend: Trend | None, width: int) -> list[Content]:
    """Across snapshots: projects per quadrant at each, and how the top-ranked moved."""
    out: list[Content] = []
    if trend is None:
        _heading(out, "Across snapshots", "reading the snapshots…")
        return out
    if len(trend.points) < 2:
        _heading(out, "Across snapshots", "none yet (the dashboard's N takes one)")
        return out
    count = len(trend.points) - 1
    _heading(out, "Across snapshots", f"{count} snapshot{'' if count == 1 else 's'}, then now")
    for point in trend.points:
        counts = " · ".join(f"{_QUADRANT_SHORT[q]} {n}" for q, n in point.quadrants)
        out.append(_fit(f"{point.at:%Y-%m-%d} {plain(point.label)}", 24) + Content(f" {counts}"))
    out.append(Content.styled("rank at each, oldest first (- absent)", MUTED))
    name_w = max(min(width - 6 * len(trend.points) - 2, 40), 10)
    for move in trend.moves:
        ranks = " ".join(f"{'-' if r is None else r:>3}" for r in move.ranks)
        out.append(_fit(plain(move.title), name_w) + Content(f" {ranks}"))
    return out


def flow_lines(
    flow: FlowFigures,
    project: Project | None,
    spans: Sequence[Span],
    start: datetime,
    width: int,
    *,
    trend: Trend | None = None,
) -> list[Content]:
    """Every line of the Flow view, top to bottom, at `width` columns."""
    width = max(width, 20)
    sections = (
        timeline_lines(project, spans, start, flow.period.end, width),
        cycle_time_lines(flow, width),
        reason_lines(flow, width),
        wip_lines(flow, width),
        outcome_lines(flow),
        trend_lines(trend, width),
    )
    lines: list[Content] = []
    for section in sections:
        lines.extend([Content(), *section] if lines else section)
    return lines
