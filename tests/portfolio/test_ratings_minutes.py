"""The minutes list who rated what during the session and where the team disagreed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.edits.changes import Rate
from core.models import Portfolio, Project
from core.rules.ratings import meeting_ratings
from core.triage import TriageMinutes
from portfolio.minutes import render_minutes

START = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
END = START + timedelta(minutes=40)


def rated() -> Portfolio:
    portfolio = Portfolio(
        projects=(
            Project(id="churn", title="Churn", impact={}, feasibility={}),
            Project(id="quiet", title="Quiet", impact={}, feasibility={}),
        )
    )
    steps = [
        (START - timedelta(days=3), "quiet", "dee", 3),  # before the meeting: not listed
        (START + timedelta(minutes=5), "churn", "alice", 3),
        (START + timedelta(minutes=6), "churn", "[bob](http://x)", 5),
        (START + timedelta(minutes=7), "churn", "carol", 2),
        (START + timedelta(minutes=9), "churn", "carol", 1),  # carol's second thought
    ]
    for at, project_id, person, score in steps:
        portfolio = Rate(project_id, person, (("automation", score),)).apply(portfolio, at, person)
    return portfolio


def minutes() -> TriageMinutes:
    return TriageMinutes("triage", "Northwind", START, END, "alice", ("alice",), (), (), None)


def test_meeting_ratings_lists_each_rater_once_with_their_last_rating() -> None:
    (entry,) = meeting_ratings(rated().projects, START, END)
    assert entry.project_id == "churn"
    assert entry.given == (
        ("alice", (("automation", 3),)),
        ("[bob](http://x)", (("automation", 5),)),
        ("carol", (("automation", 1),)),
    )
    assert [s.key for s in entry.disagreements] == ["automation"]


def test_the_minutes_have_a_ratings_section_with_names_escaped() -> None:
    text = render_minutes(minutes(), None, meeting_ratings(rated().projects, START, END))
    section = text.split("### Ratings\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "- **Churn** (churn)",
        "   - alice rated automation 3",
        "   - \\[bob\\](http\\://x) rated automation 5",
        "   - carol rated automation 1",
        "   - Disagreed on automation: 3 raters, 1–5, median 3",
    ]
    assert "### Ratings" not in render_minutes(minutes(), None)
