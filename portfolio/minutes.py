"""The minutes of a triage session as Markdown, safe to render whatever people typed.

Every piece of user text (titles, names, notes, reasons) goes through the
exports' Markdown escape, so a title cannot open a link, an image, raw HTML
or a heading in the minutes. The diff section is passed in already rendered.
"""

from __future__ import annotations

from datetime import datetime

from core.rules.ratings import LABELS, MeetingRatings
from core.triage import REASON_TITLES, AgendaItem, Decision, TriageMinutes
from portfolio.exports.text import md, plural

__all__ = ["render_minutes"]


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def _project(title: str, project_id: str) -> str:
    return f"**{md(title)}** ({md(project_id)})"


def _reasons(item: AgendaItem) -> str:
    return "; ".join(f"{REASON_TITLES[reason.kind]}: {md(reason.text)}" for reason in item.reasons)


def _decision(number: int, decision: Decision, item: AgendaItem | None) -> list[str]:
    head = f"{number}. {_project(decision.title, decision.project_id)}: {decision.kind.value}"
    if decision.detail:
        head += f", {md(decision.detail)}"
    lines = [head]
    lines.append(f"   - Note: {md(decision.note) if decision.note else '(none)'}")
    if item is not None:
        lines.append(f"   - On the agenda because: {_reasons(item)}")
    lines.append(f"   - Decided by {md(decision.by)} at {_when(decision.at)}")
    return lines


def _rated(entry: MeetingRatings) -> list[str]:
    """One project's ratings in the meeting: who rated what, then each disagreement."""
    lines = [f"- {_project(entry.title, entry.project_id)}"]
    for person, scores in entry.given:
        said = ", ".join(f"{LABELS[key]} {score}" for key, score in scores)
        lines.append(f"   - {md(person)} rated {md(said)}")
    for spread in entry.disagreements:
        lines.append(f"   - Disagreed on {md(LABELS[spread.key])}: {md(spread.text())}")
    return lines


def render_minutes(
    minutes: TriageMinutes,
    diff_markdown: str | None,
    ratings: tuple[MeetingRatings, ...] = (),
) -> str:
    """The minutes as Markdown: who was there, each decision with its note, and the diff.

    `diff_markdown` is the diff against the previous snapshot as
    `portfolio.exports.diff_markdown` renders it (with its own level-3
    heading), or None when this is the first snapshot. `ratings` are the
    projects rated during the session (`core.rules.ratings.meeting_ratings`).
    """
    attendees = ", ".join(md(name) for name in minutes.attendees) or "(none named)"
    lines = [
        f"## Triage minutes: {md(minutes.label)}",
        "",
        f"- Portfolio: {md(minutes.portfolio_name)}",
        f"- Date: {_when(minutes.started_at)} to {_when(minutes.ended_at)}",
        f"- Led by: {md(minutes.lead)}",
        f"- Attendees: {attendees}",
        f"- Agenda: {plural(len(minutes.agenda), 'project')},"
        f" {plural(len(minutes.decisions), 'decision')}",
        "",
        "### Decisions",
        "",
    ]
    agenda = {item.project_id: item for item in minutes.agenda}
    if not minutes.decisions:
        lines.append("No decisions were taken.")
    for number, decision in enumerate(minutes.decisions, start=1):
        lines.extend(_decision(number, decision, agenda.get(decision.project_id)))
    if ratings:
        lines += ["", "### Ratings", ""]
        for entry in ratings:
            lines.extend(_rated(entry))
    undecided = minutes.undecided
    if undecided:
        lines += ["", "### Not reached", ""]
        lines.extend(
            f"- {_project(item.title, item.project_id)}: {_reasons(item)}" for item in undecided
        )
    lines.append("")
    if diff_markdown is None:
        lines += [
            "### Changes",
            "",
            "This is the first snapshot of the portfolio: there is nothing to compare with.",
        ]
    else:
        lines.append(diff_markdown.strip())
    return "\n".join(lines) + "\n"
