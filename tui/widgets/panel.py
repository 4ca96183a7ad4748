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

__all__ = ["NO_BASELINES", "NO_METRICS", "NO_PROJECT", "MetricPanel", "panel_lines"]

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

_STYLES = (TITLE, HEADING, PASS, FAIL, WINNER, HINT, MUTED, TIGHTEST, BAR_MODEL, BAR_BASELINE)

NO_METRICS = "No metrics yet: pick one number to optimise (press e to edit)"
NO_BASELINES = (
    "No baselines yet: add scripted rules, a simple model or human performance (press e to edit)"
)
NO_PROJECT = "No project selected."

_EIGHTHS = " ▏▎▍▌▋▊▉"
_BAR_FLOOR = 0.1
"""Share of the bar the smallest value still gets, so every bar is visible."""

_TIGHTEST_TAIL = "  ◆ tightest"
_NAME_CAP = 24
_BAR_CAP = 40
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
        sign = "+" if shift > 0 else "−"
        move = "" if shift == 0 else f" {sign} {format_number(abs(shift))}"
        source = f"baseline '{threshold.baseline}'{move}"
    return f"{threshold.metric} {operator} {bar}{unit} ({source})"


Part = str | Content | tuple[str, str]
"""A piece of a line: plain text, Content, or (text, ".component-class")."""


class _Lines:
    """The panel's lines for one project at one width, appended top to bottom."""

    def __init__(self, width: int) -> None:
        self.width = max(width, 1)
        self.lines: list[Content] = []

    def add(self, *parts: Part) -> None:
        """Append one line assembled from plain strings, Content and (text, style) pairs."""
        self.lines.append(Content.assemble(*parts))

    def blank(self) -> None:
        """Append an empty line, unless the panel is empty or already ends with one."""
        if self.lines and self.lines[-1].plain:
            self.lines.append(Content())

    def labelled(self, text: str, style: str, detail: str) -> None:
        """`text` then muted `detail` on one line, or wrapped over several when it does not fit."""
        text, detail = plain(text), plain(detail)
        if cell_len(text) + 2 + cell_len(detail) <= self.width:
            self.add((text, style), (f"  {detail}" if detail else "", MUTED))
        else:
            self.prose(text, style)
            if detail:
                self.prose(detail, MUTED, 2)

    def heading(self, text: str, detail: str = "") -> None:
        """A section heading, after a blank line, with optional muted detail."""
        self.blank()
        self.labelled(text, HEADING, detail)

    def flow(self, *parts: Part, indent: int = 0, hang: int = 2) -> None:
        """One logical line, word-wrapped; continuation lines are indented `hang` more."""
        room = max(self.width - indent - hang, 8)
        for index, line in enumerate(Content.assemble(*parts).wrap(room)):
            self.add(" " * (indent if index == 0 else indent + hang), line)

    def prose(self, text: str, style: str = "", indent: int = 0, prefix: str = "") -> None:
        """User or core text, word-wrapped under its `prefix` so long reasons never get cropped."""
        self.flow((prefix, style), (plain(text), style), indent=indent, hang=cell_len(prefix))


def _header(out: _Lines, project: Project, evaluation: Evaluation) -> None:
    """Section 1: the title, what is optimised, and the thresholds or weights."""
    out.labelled(project.title, TITLE, f"{project.id} · {project.stage.value}")
    optimising = project.optimising_metric
    if optimising is None:
        out.blank()
        out.prose(NO_METRICS, HINT)
        return
    thresholds = evaluation.thresholds
    if evaluation.strategy == "weighted":
        out.flow("Optimise: ", (plain(evaluation.objective_label), TITLE), " (higher is better)")
        out.heading("Weighted average", "minimised metrics count negatively")
        for metric in project.metrics:
            weighted = f"{plain(metric.name)} × {format_number(metric_weight(metric))}"
            out.flow(weighted, (f" ({metric.direction.value})", MUTED), indent=2)
        if thresholds:
            out.heading("Thresholds", "held on top of the weighted score")
    else:
        direction = optimising.direction.value
        out.flow("Optimise: ", (plain(optimising.name), TITLE), f" ({direction})")
        out.heading("Thresholds", "n−1 satisficing")
        if not thresholds:
            out.prose(f"none: models are judged on {optimising.name} alone", MUTED, 2)
    for threshold in thresholds:
        out.prose(_threshold_text(project, threshold), indent=2)
        if threshold.problem is not None:
            out.prose(threshold.problem, FAIL, 4, "✗ ")


def _table_widths(
    names: list[str],
    label: str,
    objectives: list[str],
    headers: list[str],
    checks: list[list[str]],
    *,
    width: int,
) -> tuple[int, int, list[int], bool]:
    """Column widths of the model table, and whether the threshold columns fit in `width`.

    Full headers are tried first, then cropped ones; when neither fits, the
    threshold marks go on lines of their own under each model.
    """
    longest = max(cell_len(name) for name in ["model", *names])
    name_w, obj_w, check_w = longest, 0, []
    for name_cap, header_cap in ((_NAME_CAP + 8, _NAME_CAP + 8), (_NAME_CAP, _HEADER_CAP)):
        name_w = min(longest, name_cap)
        obj_w = max(*(len(o) for o in objectives), min(cell_len(label), header_cap))
        check_w = [
            max(*(len(row[i]) for row in checks), min(cell_len(header), header_cap))
            for i, header in enumerate(headers)
        ]
        if 2 + name_w + 2 + obj_w + sum(2 + w for w in check_w) <= width:
            return name_w, obj_w, check_w, True
    return max(min(name_w, width - 4 - obj_w), 6), obj_w, check_w, False


def _models(out: _Lines, evaluation: Evaluation) -> None:
    """Section 2: one row per model with its objective and threshold marks, then why it lost."""
    out.heading("Candidate models", "★ winner ✓ pass ✗ fail")
    verdicts = evaluation.verdicts
    if verdicts:
        objectives = [_number(v.objective) for v in verdicts]
        names = [plain(v.model) for v in verdicts]
        headers = [plain(t.metric) for t in evaluation.thresholds]
        checks = [
            [("✓ " if c.passed else "✗ ") + _number(c.value) for c in v.checks] for v in verdicts
        ]
        label = plain(evaluation.objective_label)
        name_w, obj_w, check_w, wide = _table_widths(
            names, label, objectives, headers, checks, width=out.width
        )
        head: list[Part] = ["  ", _cell("model", name_w, MUTED), "  ", _cell(label, obj_w, MUTED)]
        if wide:
            for header, width in zip(headers, check_w, strict=True):
                head += ["  ", _cell(header, width, MUTED)]
        out.add(*head)
        for verdict, name, objective, row in zip(verdicts, names, objectives, checks, strict=True):
            mark = ("★ ", WINNER) if verdict.is_winner else "  "
            style = WINNER if verdict.is_winner else ""
            line: list[Part] = [mark, _cell(name, name_w, style), "  ", objective.rjust(obj_w)]
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
        longest = max(cell_len(plain(rung.baseline)) for rung in entry.ladder)
        value_w = max(len(v) for v in values)
        kinds = [
            f"{rung.kind.value} · {'external' if is_external(rung.kind) else 'internal'}"
            for rung in entry.ladder
        ]
        name_w = min(longest, _NAME_CAP + 8)
        kind_w = max(len(kind) for kind in kinds) + len(_TIGHTEST_TAIL)
        wide = 2 + name_w + 2 + value_w + 2 + kind_w <= out.width
        if not wide:
            name_w = max(min(longest, out.width - 4 - value_w), 6)
        for rung, value, kind in zip(entry.ladder, values, kinds, strict=True):
            style = TIGHTEST if rung.is_tightest else ""
            row: list[Part] = [
                ("◆ " if rung.is_tightest else "  ", style),
                _cell(rung.baseline, name_w, style),
                "  ",
                value.rjust(value_w),
            ]
            if wide:
                tail = _TIGHTEST_TAIL if rung.is_tightest else ""
                out.add(*row, (f"  {kind}", MUTED), (tail, TIGHTEST))
            else:
                out.add(*row)
                out.prose(kind + (" · tightest" if rung.is_tightest else ""), MUTED, 4)
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
    span = f"bars span {format_number(low)} … {format_number(high)}"
    legend: list[Part] = [("■", BAR_MODEL), " model  ", ("□", BAR_BASELINE), " baseline"]
    if Content.assemble(*legend).cell_length + 2 + len(span) <= out.width:
        out.add(*legend, (f"  {span}", MUTED))
    else:
        out.add(*legend)
        out.prose(span, MUTED)
    values = [format_number(value) for _, _, value in rows]
    label_w = min(max(cell_len(plain(label)) for label, _, _ in rows), max(out.width // 3, 6), 28)
    value_w = max(len(v) for v in values)
    cells = min(max(out.width - 2 - label_w - 2 - value_w, 4), _BAR_CAP)
    for (label, kind, value), shown in zip(rows, values, strict=True):
        if math.isinf(value):
            fraction = 1.0 if value > 0 else 0.0
        elif high == low:
            fraction = 1.0
        else:
            fraction = _BAR_FLOOR + (1 - _BAR_FLOOR) * (value - low) / (high - low)
            fraction = 1.0 if math.isnan(fraction) else fraction
        glyph, style = ("■ ", BAR_MODEL) if kind == "model" else ("□ ", BAR_BASELINE)
        bar = (_bar(fraction, cells), style)
        out.add((glyph, style), _cell(label, label_w), " ", bar, " ", shown.rjust(value_w))


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

    COMPONENT_CLASSES: ClassVar[set[str]] = {style.lstrip(".") for style in _STYLES}

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
        self._strips_base: Style | None = None

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
        same = project is not None and self._project is not None and project.id == self._project.id
        self._project, self._settings = project, settings
        self._layout(self.scrollable_content_region.width)
        if not same:
            self.scroll_to(0, 0, animate=False)

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
        if base != self._strips_base:
            self._strips.clear()
            self._strips_base = base
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            segments = [
                Segment(text, style.rich_style)
                for text, style in line.render(base, end="", parse_style=self._component_style)
            ]
            strip = self._strips[index] = Strip(segments, line.cell_length)
        return strip.crop_extend(scroll_x, scroll_x + width, base.rich_style)
