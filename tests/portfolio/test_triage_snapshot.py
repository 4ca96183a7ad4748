"""Ending a triage writes a snapshot carrying the minutes: `portfolio.snapshots`, no app."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.models import Portfolio, Stage
from core.triage import Decision, DecisionKind, TriageMinutes
from portfolio import load
from portfolio.snapshots import (
    list_snapshots,
    snapshot_title,
    write_snapshot,
    write_triage_snapshot,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "portfolio" / "example.toml"
EARLIER = datetime(2026, 11, 14, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def minutes_of(portfolio: Portfolio, previous: str | None) -> TriageMinutes:
    """A session with one decision, keeping the first project."""
    first = portfolio.projects[0]
    decision = Decision(first.id, first.title, DecisionKind.KEEP, "", "fine as is", NOW, "ann")
    return TriageMinutes(
        label="triage-2026-11-21",
        portfolio_name=portfolio.settings.name,
        started_at=NOW,
        ended_at=NOW,
        lead="ann",
        attendees=("ann", "bo"),
        agenda=(),
        decisions=(decision,),
        previous_snapshot=previous,
    )


def test_the_first_triage_snapshot_says_there_is_nothing_to_compare_with(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    portfolio = load(path)
    written = write_triage_snapshot(path, portfolio, minutes_of(portfolio, None), None, NOW)
    assert written.info.label == "triage-2026-11-21"
    assert written.info.markdown_path is not None
    markdown = written.info.markdown_path.read_text(encoding="utf-8")
    assert written.minutes in markdown
    assert "## Triage minutes: triage-2026-11-21" in written.minutes
    assert "- Attendees: ann, bo" in written.minutes
    assert "   - Note: fine as is" in written.minutes
    assert "nothing to compare with" in written.minutes
    assert [s.label for s in list_snapshots(path)] == ["triage-2026-11-21"]


def test_a_later_triage_snapshot_carries_the_changes_since_the_previous_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    old = load(path)
    previous = write_snapshot(path, old, now=EARLIER, label="triage-2026-11-14")
    first = old.projects[0]
    assert first.stage is not Stage.KILLED
    killed = first.model_copy(update={"stage": Stage.KILLED})
    portfolio = old.model_copy(update={"projects": (killed, *old.projects[1:])})
    minutes = minutes_of(portfolio, snapshot_title(previous))
    written = write_triage_snapshot(path, portfolio, minutes, previous, NOW)
    assert "### Changes from triage-2026-11-14 to triage-2026-11-21" in written.minutes
    assert "nothing to compare with" not in written.minutes
    assert first.id in written.minutes.partition("### Changes from")[2]
    assert written.info.toml_path.is_file()
    assert load(written.info.toml_path).projects[0].stage is Stage.KILLED
