"""The metric panel's lines: one project's metrics, models, baselines, diagnosis and chart.

Every number and verdict comes from `core.rules.evaluation`, `core.rules.baselines` and
`core.rules.diagnosis`; this module only lays them out, line by line, as Content
whose spans name component classes (".metric-panel--pass") rather than
colours, so a theme change restyles them without a rebuild. The widget that
draws them is `tui.widgets.panel.MetricPanel`.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from core.models import Direction, Project, Settings
from core.rules.baselines import (
    MetricBaselines,
    baselines_for,
    chart_rows,
    diagnosis_of,
    is_external,
)
from core.rules.diagnosis import Diagnosis, Fit, diagnosed_metric
from core.rules.evaluation import (
    Evaluation,
    ResolvedThreshold,
    evaluate,
    format_number,
    metric_weight,
)
from core.rules.ratings import current_ratings
from core.views.bars import bar_scale
from core.views.ratings import panel_lines as rating_panel_lines
from tui.text import plain

__all__ = ["NO_BASELINES", "NO_METRICS", "NO_PROJECT", "STYLES", "panel_lines"]

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

STYLES = (TITLE, HEADING, PASS, FAIL, WINNER, HINT, MUTED, TIGHTEST, BAR_MODEL, BAR_BASELINE)

NO_METRICS = "No metrics yet: pick one number to optimise (press e to edit)"
NO_BASELINES = (
    "No baselines yet: add scripted rules, a simple model or human performance (press e to edit)"
)
NO_PROJECT = "No project selected."

_EIGHTHS = " ▏▎▍▌▋▊▉"

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
    unscored = " · unscored" if project.unscored_axes else ""
    out.labelled(project.title, TITLE, f"{project.id} · {project.stage.value}{unscored}")
    optimising = project.optimising_metric
    if not project.metrics:
        out.blank()
        out.prose(NO_METRICS, HINT)
        return
    thresholds = evaluation.thresholds
    if evaluation.strategy == "weighted":
        out.flow("Optimise: ", (plain(evaluation.objective_label), TITLE), " (higher is better)")
        out.heading("Weighted average", "each metric scaled 0–1, best = 1")
        for metric in project.metrics:
            weighted = f"{plain(metric.name)} × {format_number(metric_weight(metric))}"
            out.flow(weighted, (f" ({metric.direction.value})", MUTED), indent=2)
        if thresholds:
            out.heading("Thresholds", "held on top of the weighted score")
    elif optimising is not None:
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
    """Section 3 for one metric: its baselines worst to best; the diagnosis on the diagnosed one."""
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
            style = TIGHTEST if rung.is_tightest else MUTED if rung.ignored else ""
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
            if rung.ignored:
                out.prose(f"not a bar: {rung.ignored}", MUTED, 4, "✗ ")
    if entry.role == "satisficing" and entry.ladder:
        out.prose("context only: this metric is judged by its threshold", MUTED, 2)
    if entry.diagnosis is not None:
        out.heading(f"Diagnosis · {entry.metric}", "winner against the tightest baseline")
        _diagnosis(out, entry.diagnosis)


def _diagnosis(out: _Lines, diagnosis: Diagnosis) -> None:
    """The diagnosed model against the tightest baseline: gap, avoidable bias, variance, hint."""
    if diagnosis.note:
        out.prose(
            diagnosis.note, HINT if diagnosis.model else MUTED, 2, "⚠ " if diagnosis.model else ""
        )
    if diagnosis.model is None or diagnosis.value is None:
        return
    who = "winner" if diagnosis.passes else "best candidate, not passing"
    shown = format_number(diagnosis.value)
    if diagnosis.train is not None:
        shown += f" (train {format_number(diagnosis.train)})"
    text = f"{who} {diagnosis.model} {shown}"
    if diagnosis.gap is not None and diagnosis.baseline is not None:
        gap = diagnosis.gap
        side = "ahead of" if gap > 0 else "behind" if gap < 0 else "level with"
        text += f": {_signed(gap)} {side} tightest '{diagnosis.baseline}'"
    out.prose(text, WINNER if diagnosis.passes else FAIL, 2)
    numbers = []
    if diagnosis.bias is not None:
        numbers.append(f"avoidable bias {_signed(diagnosis.bias)}")
    if diagnosis.variance is not None:
        numbers.append(f"variance {_signed(diagnosis.variance)}")
    if numbers:
        numbers.append(f"tolerance {format_number(diagnosis.tolerance)}")
        out.prose(" · ".join(numbers), "", 2)
    if diagnosis.fit is Fit.ON_PAR:
        out.prose("on par: bias and variance within the tolerance", PASS, 2, "✓ ")
    elif diagnosis.fit is not None:
        out.prose(_FIT_ADVICE[diagnosis.fit], HINT, 2, "⚠ ")


_FIT_ADVICE = {
    Fit.UNDERFITTING: "underfitting: training falls short of the baseline (bias)",
    Fit.OVERFITTING: "overfitting: validation falls short of training (variance)",
    Fit.BOTH: "underfitting and overfitting: both bias and variance exceed the tolerance",
    Fit.BEHIND: "behind the baseline; no training score to tell bias from variance",
}
"""The panel's one-line reading of each hint that calls for work."""


def _chart(out: _Lines, project: Project, metric: str, direction: Direction) -> None:
    """Section 4: models and baselines as horizontal bars on the optimising metric."""
    rows = chart_rows(project, metric)
    better = "longer" if direction == Direction.MAXIMIZE else "shorter"
    out.heading(f"Chart · {metric}", f"{direction.value}: {better} is better")
    if not rows:
        out.prose(f"nothing has a score for {metric} yet", MUTED, 2)
        return
    scale = bar_scale(value for _, _, value in rows)
    span = f"{scale.note}, full bar {format_number(scale.end)}"
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
        fraction = scale.fraction(value)
        glyph, style = ("■ ", BAR_MODEL) if kind == "model" else ("□ ", BAR_BASELINE)
        bar = (_bar(fraction, cells), style)
        out.add((glyph, style), _cell(label, label_w), " ", bar, " ", shown.rjust(value_w))


def _ratings(out: _Lines, project: Project) -> None:
    """The team's ratings, when there are any: the spread per lens and driver (v to rate)."""
    lines = rating_panel_lines(project)
    if not lines:
        return
    count = len(current_ratings(project))
    out.heading("Ratings", f"{count} rater{'s' if count != 1 else ''} · v to rate")
    for line in lines:
        style = FAIL if line.endswith("disagree") else ""
        out.prose(line, style, 2)


def panel_lines(project: Project | None, settings: Settings, width: int) -> list[Content]:
    """Every line of the panel for `project` at `width` columns; spans name component classes."""
    out = _Lines(width)
    if project is None:
        out.prose(NO_PROJECT, MUTED)
        return out.lines
    evaluation = evaluate(project)
    _header(out, project, evaluation)
    _ratings(out, project)
    if not project.metrics:
        return out.lines
    _models(out, evaluation)
    entries = baselines_for(project, settings.underfit_margin, evaluation)
    if project.baselines:
        for entry in entries:
            _ladder(out, entry)
    else:
        out.blank()
        out.prose(NO_BASELINES, MUTED)
        diagnosis = diagnosis_of(entries)
        if diagnosis is not None:
            out.heading(f"Diagnosis · {diagnosis.metric}", "no baseline: variance only")
            _diagnosis(out, diagnosis)
    target = diagnosed_metric(project)
    if target is not None:
        _chart(out, project, target.name, target.direction)
    return out.lines
