"""The metric and baseline panel: one project's metrics, models, baselines and chart.

Every number and verdict comes from `core.evaluation` and `core.baselines`; the
panel only lays them out, line by line. Lines are built once per `show()` and
per width change. Their spans name component classes (".metric-panel--pass")
rather than colours, so a theme change restyles them without a rebuild.
"""

from __future__ import annotations

import math
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from core.baselines import MetricBaselines, baselines_for, chart_rows, is_external
from core.evaluation import Evaluation, ResolvedThreshold, evaluate, format_number, metric_weight
from core.models import Direction, Project, Settings
from tui.text import plain

__all__ = ["MetricPanel"]

TITLE = ".metric-panel--title"
HEADING = ".metric-panel--heading"
PASS = ".metric-panel--pass"
FAIL = ".metric-panel--fail"
WINNER = ".metric-panel--winner"
HINT = ".metric-panel--hint"
MUTED = ".metric-panel--muted"
TIGHTEST = ".metric-panel--tightest"
BAR_MODEL = ".metric-panel--bar-model"
BAR_BASELINE = ".metric-panel--bar-baseline"

NO_METRICS = "No metrics yet: pick one number to optimise (press e to edit)"
NO_BASELINES = (
    "No baselines yet: add scripted rules, a simple model or human performance (press e to edit)"
)
NO_PROJECT = "No project selected."

_EIGHTHS = " ▏▎▍▌▋▊▉"
_BAR_FLOOR = 0.1
"""Share of the bar the smallest value still gets, so every bar is visible."""

_NAME_CAP = 24
_HEADER_CAP = 14


def _signed(value: float) -> str:
    """A gap with its sign spelled out: +0.03, −0.12, ±0."""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return sign + format_number(abs(value))


def _number(value: float | None) -> str:
    """A score for a table cell; a missing one is a dash."""
    return "—" if value is None else format_number(value)


def _cell(text: str, width: int, style: str = "") -> Content:
    """User or number text as a fixed-width cell: cropped with an ellipsis, padded with spaces."""
    content = Content.styled(plain(text), style) if style else Content(plain(text))
    return content.truncate(width, ellipsis=True, pad=True)


def _bar(fraction: float, cells: int) -> str:
    """A horizontal bar `cells` wide filled to `fraction`, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * cells * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[part] if part else "")).ljust(cells)


def _threshold_text(project: Project, threshold: ResolvedThreshold) -> str:
    """One threshold as a person reads it: "f1 ≥ 0.82 (baseline 'rules' + 0.02)"."""
    operator = "≥" if threshold.direction == Direction.MAXIMIZE else "≤"
    metric = project.metric(threshold.metric)
    unit = f" {metric.unit}" if metric is not None and metric.unit else ""
    bar = "?" if threshold.bar is None else format_number(threshold.bar)
    if threshold.baseline is None:
        source = "absolute"
    else:
        shift = threshold.margin if threshold.direction == Direction.MAXIMIZE else -threshold.margin
        move = "" if shift == 0 else f" {_signed(shift)[0]} {format_number(abs(shift))}"
        source = f"baseline '{threshold.baseline}'{move}"
    return f"{threshold.metric} {operator} {bar}{unit} ({source})"


class _Lines:
    """The panel's lines for one project at one width, appended top to bottom."""

    def __init__(self, width: int) -> None:
        self.width = max(width, 1)
        self.lines: list[Content] = []

    def add(self, *parts: str | Content | tuple[str, str]) -> None:
        """Append one line assembled from plain strings, Content and (text, style) pairs."""
        self.lines.append(Content.assemble(*parts))

    def blank(self) -> None:
        """Append an empty line, unless the panel is empty or already ends with one."""
        if self.lines and self.lines[-1].plain:
            self.lines.append(Content())

    def heading(self, text: str, detail: str = "") -> None:
        """A section heading, after a blank line, with optional muted detail."""
        self.blank()
        self.add((plain(text), HEADING), (f"  {plain(detail)}" if detail else "", MUTED))

    def prose(self, text: str, style: str = "", indent: int = 0, prefix: str = "") -> None:
        """Word-wrapped text with a hanging indent, so long reasons never get cropped."""
        room = max(self.width - indent - cell_len(prefix), 8)
        wrapped = Content.styled(plain(text), style).wrap(room) if text else [Content()]
        for index, line in enumerate(wrapped):
            lead = prefix if index == 0 else " " * cell_len(prefix)
            self.add(" " * indent, (lead, style), line)


def _header(out: _Lines, project: Project, evaluation: Evaluation) -> None:
    """Section 1: the title, what is optimised, and the thresholds or weights."""
    out.add((plain(project.title), TITLE), (f"  {project.id} · {project.stage.value}", MUTED))
    optimising = project.optimising_metric
    if optimising is None:
        out.prose(NO_METRICS, HINT)
        return
    thresholds = evaluation.thresholds
    if evaluation.strategy == "weighted":
        out.add("Optimise: ", (evaluation.objective_label, TITLE), " (higher is better)")
        out.heading("Weighted average", "minimised metrics count negatively")
        for metric in project.metrics:
            weight = format_number(metric_weight(metric))
            out.add(f"  {plain(metric.name)} × {weight}", (f" ({metric.direction.value})", MUTED))
    else:
        name = plain(optimising.name)
        out.add("Optimise: ", (name, TITLE), f" ({optimising.direction.value})")
        detail = f"{len(thresholds)} held to a bar, one optimised" if thresholds else ""
        out.heading("Thresholds (n−1 satisficing)", detail)
    if thresholds and evaluation.strategy == "weighted":
        out.heading("Thresholds")
    if not thresholds and evaluation.strategy != "weighted":
        out.prose("none: every model is judged on the optimised metric alone", MUTED, 2)
    for threshold in thresholds:
        out.prose(_threshold_text(project, threshold), indent=2)
        if threshold.problem is not None:
            out.prose(threshold.problem, FAIL, 4, "✗ ")


def _models(out: _Lines, evaluation: Evaluation) -> None:
    """Section 2: one row per model with its objective and threshold marks, then why it lost."""
    out.heading("Candidate models", "★ winner  ✓ passes  ✗ fails")
    verdicts = evaluation.verdicts
    if verdicts:
        objectives = [_number(v.objective) for v in verdicts]
        names = [plain(v.model) for v in verdicts]
        headers = [plain(t.metric) for t in evaluation.thresholds]
        checks = [
            [("✓ " if c.passed else "✗ ") + _number(c.value) for c in v.checks] for v in verdicts
        ]
        name_w = min(max(cell_len(n) for n in ["model", *names]), _NAME_CAP)
        label = plain(evaluation.objective_label)
        obj_w = max(*(len(o) for o in objectives), min(cell_len(label), _HEADER_CAP))
        check_w = [
            max(*(len(row[i]) for row in checks), min(cell_len(h), _HEADER_CAP))
            for i, h in enumerate(headers)
        ]
        wide = 2 + name_w + 2 + obj_w + sum(2 + w for w in check_w) <= out.width
        if not wide:
            name_w = max(min(name_w, out.width - 4 - obj_w), 6)
        head = ["  ", _cell("model", name_w, MUTED), "  ", _cell(label, obj_w, MUTED)]
        if wide:
            for header, width in zip(headers, check_w, strict=True):
                head += ["  ", _cell(header, width, MUTED)]
        out.add(*head)
        for verdict, name, objective, row in zip(verdicts, names, objectives, checks, strict=True):
            mark = ("★ ", WINNER) if verdict.is_winner else "  "
            style = WINNER if verdict.is_winner else ""
            line = [mark, _cell(name, name_w, style), "  ", _cell(objective.rjust(obj_w), obj_w)]
            if wide:
                for text, width, check in zip(row, check_w, verdict.checks, strict=True):
                    line += ["  ", _cell(text, width, PASS if check.passed else FAIL)]
            out.add(*line)
            if not wide:
                for text, header, check in zip(row, headers, verdict.checks, strict=True):
                    out.add("    ", (text, PASS if check.passed else FAIL), f" {header}")
            if verdict.is_winner:
                out.prose("winner", WINNER, 4, "★ ")
            elif not verdict.passes:
                out.prose(verdict.why_not, FAIL, 4, "✗ ")
            elif verdict.why_not:
                out.prose(verdict.why_not, MUTED, 4, "↳ ")
    if evaluation.note:
        out.prose(evaluation.note, HINT, 0, "⚠ ")


def _ladder(out: _Lines, entry: MetricBaselines) -> None:
    """Section 3 for one metric: its baselines worst to best, the gap and the hint."""
    out.heading(f"Baselines · {entry.metric}", f"{entry.direction.value}, worst → best")
    if not entry.ladder:
        out.prose(f"no baseline has a score for {entry.metric}", MUTED, 2)
    else:
        values = [format_number(rung.value) for rung in entry.ladder]
        name_w = min(
            max(cell_len(plain(rung.baseline)) for rung in entry.ladder), _NAME_CAP // 4 * 3
        )
        value_w = max(len(v) for v in values)
        for rung, value in zip(entry.ladder, values, strict=True):
            origin = "external" if is_external(rung.kind) else "internal"
            mark = ("◆ ", TIGHTEST) if rung.is_tightest else "  "
            name = _cell(rung.baseline, name_w, TIGHTEST if rung.is_tightest else "")
            tail = ("  ◆ tightest", TIGHTEST) if rung.is_tightest else ""
            out.add(
                mark,
                name,
                "  ",
                value.rjust(value_w),
                (f"  {rung.kind.value} · {origin}", MUTED),
                tail,
            )
    if entry.best_model is None or entry.best_model_value is None:
        out.prose(f"no model has a validation score for {entry.metric}", MUTED, 2)
    elif entry.gap is not None and entry.tightest is not None:
        side = "ahead of" if entry.gap > 0 else "behind" if entry.gap < 0 else "level with"
        best = f"best model {entry.best_model} {format_number(entry.best_model_value)}"
        out.prose(f"{best}: {_signed(entry.gap)} {side} tightest '{entry.tightest}'", indent=2)
    if entry.hint:
        out.prose(entry.hint, HINT, 2, "⚠ ")


def _chart(out: _Lines, project: Project, metric: str, direction: Direction) -> None:
    """Section 4: models and baselines as horizontal bars on the optimising metric."""
    rows = chart_rows(project, metric)
    better = "longer" if direction == Direction.MAXIMIZE else "shorter"
    out.heading(f"Chart · {metric}", f"{direction.value}: {better} is better")
    if not rows:
        out.prose(f"nothing has a score for {metric} yet", MUTED, 2)
        return
    finite = [value for _, _, value in rows if math.isfinite(value)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 0.0)
    out.add(
        ("■", BAR_MODEL),
        " model  ",
        ("□", BAR_BASELINE),
        (" baseline", MUTED),
        (f"  bars span {format_number(low)} … {format_number(high)}", MUTED),
    )
    values = [format_number(value) for _, _, value in rows]
    label_w = min(max(cell_len(plain(label)) for label, _, _ in rows), 18, max(out.width // 3, 6))
    value_w = max(len(v) for v in values)
    cells = max(out.width - 2 - label_w - 2 - value_w, 4)
    for (label, kind, value), shown in zip(rows, values, strict=True):
        if math.isinf(value):
            fraction = 1.0 if value > 0 else 0.0
        elif high == low:
            fraction = 1.0
        else:
            fraction = _BAR_FLOOR + (1 - _BAR_FLOOR) * (value - low) / (high - low)
            fraction = 1.0 if math.isnan(fraction) else fraction
        glyph, style = ("■ ", BAR_MODEL) if kind == "model" else ("□ ", BAR_BASELINE)
        out.add(
            (glyph, style),
            _cell(label, label_w),
            " ",
            (_bar(fraction, cells), style),
            " ",
            shown.rjust(value_w),
        )


def panel_lines(project: Project | None, settings: Settings, width: int) -> list[Content]:
    """Every line of the panel for `project` at `width` columns; spans name component classes."""
    out = _Lines(width)
    if project is None:
        out.prose(NO_PROJECT, MUTED)
        return out.lines
    evaluation = evaluate(project)
    _header(out, project, evaluation)
    optimising = project.optimising_metric
    if optimising is None:
        return out.lines
    _models(out, evaluation)
    if project.baselines:
        for entry in baselines_for(project, settings.underfit_margin):
            _ladder(out, entry)
    else:
        out.blank()
        out.prose(NO_BASELINES, MUTED)
    _chart(out, project, optimising.name, optimising.direction)
    return out.lines


class MetricPanel(ScrollView, can_focus=True):
    """One project's metric strategy, model verdicts, baseline ladders and chart, scrollable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="panel.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="panel.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="panel.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="panel.page_up"),
        Binding("home", "scroll_home", "Top", show=False, id="panel.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id="panel.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        style[1:]
        for style in (
            TITLE,
            HEADING,
            PASS,
            FAIL,
            WINNER,
            HINT,
            MUTED,
            TIGHTEST,
            BAR_MODEL,
            BAR_BASELINE,
        )
    }

    DEFAULT_CSS = """
    MetricPanel {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        & > .metric-panel--title { text-style: bold; }
        & > .metric-panel--heading { color: $text-primary; text-style: bold underline; }
        & > .metric-panel--pass { color: $text-success; }
        & > .metric-panel--fail { color: $text-error; }
        & > .metric-panel--winner { color: $text-accent; text-style: bold; }
        & > .metric-panel--hint { color: $text-warning; text-style: italic; }
        & > .metric-panel--muted { color: $text-muted; }
        & > .metric-panel--tightest { text-style: bold; }
        & > .metric-panel--bar-model { color: $text-accent; }
        & > .metric-panel--bar-baseline { color: $text-muted; }
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._project: Project | None = None
        self._settings = Settings()
        self._lines: list[Content] = []
        self._width = 0
        self._strips: dict[int, Strip] = {}

    @property
    def lines(self) -> tuple[Content, ...]:
        """The panel's current lines (span styles are component class names)."""
        return tuple(self._lines)

    @property
    def text(self) -> str:
        """The panel's current lines as plain text, one per line."""
        return "\n".join(line.plain for line in self._lines)

    def show(self, project: Project | None, settings: Settings) -> None:
        """Show `project` (or nothing) judged with the portfolio's `settings`."""
        self._project, self._settings = project, settings
        self._layout(self.scrollable_content_region.width)

    def _layout(self, width: int) -> None:
        """Rebuild the lines for `width` columns and size the scrollable area to them."""
        self._width = width
        self._lines = panel_lines(self._project, self._settings, width) if width > 0 else []
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        """Lay the lines out again when the width changes."""
        width = self.scrollable_content_region.width
        if width != self._width:
            self._layout(width)

    def notify_style_update(self) -> None:
        """Drop the rendered strips so a new theme or focus state restyles every line."""
        super().notify_style_update()
        self._strips.clear()

    def _component_style(self, style: str | Style) -> Style:
        """Resolve a span's ".component-class" name to this widget's style for it."""
        if isinstance(style, Style):
            return style
        return self.get_visual_style(style.lstrip("."), partial=True)

    def render_line(self, y: int) -> Strip:
        """Line `y` of the visible area: the cached strip for it, cropped to the width."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.visual_style
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, base.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            segments = [
                Segment(text, style.rich_style)
                for text, style in line.render(base, end="", parse_style=self._component_style)
            ]
            strip = self._strips[index] = Strip(segments, line.cell_length)
        return strip.crop_extend(scroll_x, scroll_x + width, base.rich_style)
