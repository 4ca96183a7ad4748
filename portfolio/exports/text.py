"""Escaping user text for each output format, and the sentences every report format shares.

User text is data in every format: Markdown escapes what could make a link,
an image, HTML, a table cell break or a heading; HTML escapes markup; text
for a terminal loses its control characters. The sentences here are plain
text built from `core.report` figures; each renderer escapes them in turn.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from core.models import Direction
from core.report import ProjectReport, threshold_phrase
from core.rules.lifecycle import checklist_wording, reason_words
from core.vocabulary import CHECKLIST_ITEMS

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
"""Bidi controls and other invisible format characters: shown as `\\u202e` in every
export but JSON (which keeps the data), so nothing is reordered or hidden."""
_MD_SPECIAL = re.compile(r"[\\`*\[\]<>|#&~$!{}]")
_MD_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_MD_WWW = re.compile(r"(?<=\bwww)\.")
_MD_LINE_START = re.compile(r"^(\s*)([-+=])|^(\s*\d+)([.)])")


def clean(text: str, *, one_line: bool = True) -> str:
    """`text` without control characters; on one line, every run of whitespace one space."""
    if one_line and text.isprintable() and "  " not in text:
        return text.strip()
    text = _INVISIBLE.sub(lambda found: f"\\u{ord(found.group()):04x}", _CONTROL.sub("", text))
    if one_line:
        return _SPACE.sub(" ", text).strip()
    return text


def md(text: str) -> str:
    """One line of user text for Markdown: cannot open a link, image, tag, cell or heading.

    Every character CommonMark (or GitHub: `~`, `$`) gives a meaning is
    backslash-escaped, and so is a leading list, heading or quote marker.
    Underscores inside words are left alone, as Markdown ignores them there.
    The `:` of `://` and the `.` of `www.` are escaped too, so that GitHub's
    bare-URL autolinks do not turn user text into a link.
    """
    escaped = _MD_SPECIAL.sub(r"\\\g<0>", clean(text))
    if "_" in escaped:
        escaped = _MD_UNDERSCORE.sub(r"\\_", escaped)
    if "://" in escaped:
        escaped = escaped.replace("://", "\\://")
    if "www." in escaped:
        escaped = _MD_WWW.sub(r"\\.", escaped)
    if escaped[:1] in "-+=0123456789 ":
        escaped = _MD_LINE_START.sub(_escape_marker, escaped)
    return escaped


def _escape_marker(found: re.Match[str]) -> str:
    """A leading list or heading marker, backslash-escaped."""
    if found.group(2) is not None:
        return found.group(1) + "\\" + found.group(2)
    return found.group(3) + "\\" + found.group(4)


def md_paragraphs(text: str) -> list[str]:
    """Multi-line user text as escaped Markdown paragraphs (blank lines separate them)."""
    blocks = re.split(r"\n\s*\n", clean(text, one_line=False))
    return [md(block) for block in blocks if block.strip()]


def h(text: str) -> str:
    """One line of user text for HTML: markup escaped, quotes too (safe in attributes)."""
    return html.escape(clean(text), quote=True)


def h_paragraphs(text: str) -> list[str]:
    """Multi-line user text as escaped HTML paragraph bodies."""
    blocks = re.split(r"\n\s*\n", clean(text, one_line=False))
    return [h(block) for block in blocks if block.strip()]


def csv_cell(text: str) -> str:
    """User text for a CSV cell: one line, and never read as a spreadsheet formula.

    Spreadsheets run a cell starting with `=`, `+`, `-` or `@` as a formula;
    such text gets a leading apostrophe, the usual guard (OWASP's advice).
    """
    cleaned = clean(text)
    return "'" + cleaned if cleaned[:1] in ("=", "+", "-", "@") else cleaned


# -- numbers and times -----------------------------------------------------------------------


def axis(value: float) -> str:
    """An impact or feasibility score: two decimals."""
    return f"{value:.2f}"


def score(value: float) -> str:
    """A priority score (0-100): one decimal."""
    return f"{value:.1f}"


def instant(moment: datetime) -> str:
    """A moment for people: '2026-11-21 12:00 UTC'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def day(moment: datetime) -> str:
    """A date for people: '2026-11-21'."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 project', '3 projects'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


# -- sentences ------------------------------------------------------------------------------


def grid_sentence(report: ProjectReport) -> str:
    """Where the project sits: quadrant, axes, score and how firm the quadrant is."""
    a = report.assessment
    if not a.scored:
        return f"unscored: {' and '.join(a.unscored)} not scored yet, so no quadrant and no score"
    text = (
        f"{report.quadrant_label}: impact {axis(a.impact)}, feasibility {axis(a.feasibility)},"
        f" priority score {score(a.score)}"
    )
    if a.pessimistic_score != a.score:
        text += f" ({score(a.pessimistic_score)} at the low ends of its ranges)"
    notes: list[str] = []
    if a.near_boundary:
        notes.append(f"near a boundary ({axis(a.distance)} from a threshold)")
    if a.can_flip:
        notes.append(
            f"could change quadrant within its ranges (impact {axis(a.impact_range[0])}"
            f" to {axis(a.impact_range[1])}, feasibility {axis(a.feasibility_range[0])}"
            f" to {axis(a.feasibility_range[1])})"
        )
    return text + ("; " + "; ".join(notes) if notes else "")


def stage_sentence(report: ProjectReport) -> str:
    """Which stage, for how long, and how many loops back."""
    text = f"{report.stage_title} ({report.project.stage.value})"
    if report.days_in_stage is not None:
        text += f" for {plural(report.days_in_stage, 'day')}"
    if report.loops:
        text += f"; {plural(report.loops, 'loop')} back to an earlier stage"
    return text


def loop_lines(report: ProjectReport) -> list[str]:
    """Each back-edge: when, from where to where, and why."""
    return [
        f"{day(t.at)}: {t.from_stage.value} → {t.to_stage.value}"
        + (f": {clean(words)}" if (words := reason_words(t.reason_code, t.reason)) else "")
        for t in report.back_edges
    ]


def checklist_sentence(report: ProjectReport) -> str:
    """The feasibility checklist: complete, or which items are open."""
    if not report.open_checklist:
        return "complete"
    wording = "; ".join(checklist_wording(report.open_checklist))
    text = f"{len(report.open_checklist)} of {len(CHECKLIST_ITEMS)} open: {wording}"
    if any(t.checklist_override for t in report.project.history):
        text += " (left planning with an override)"
    return text


def metrics_sentence(report: ProjectReport) -> str:
    """What the project optimises and how the other metrics count; empty without metrics."""
    project = report.project
    if not project.metrics:
        return ""
    evaluation = report.evaluation
    if project.metric_strategy == "weighted":
        text = "weighted average of every metric"
    else:
        optimising = project.optimising_metric
        name = optimising.name if optimising is not None else "?"
        minimise = optimising is not None and optimising.direction is Direction.MINIMIZE
        way = "minimise" if minimise else "maximise"
        text = f"optimise {name} ({way})"
    if evaluation.thresholds:
        bars = "; ".join(threshold_phrase(project, t) for t in evaluation.thresholds)
        text += f"; thresholds: {bars}"
    return text
