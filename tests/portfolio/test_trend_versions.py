"""Reading snapshots back for the trend: the latest few, oldest first; a broken one skipped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.models import Portfolio, Project
from portfolio.save import save
from portfolio.snapshots import write_snapshot
from portfolio.trend import snapshot_versions

NOW = datetime(2026, 11, 21, 12, tzinfo=UTC)


def test_latest_snapshots_oldest_first_and_a_broken_one_skipped(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    save(Portfolio(projects=(Project(id="a", title="A"),)), path)
    for days in (3, 2, 1):
        projects = tuple(Project(id=f"p{i}", title=f"P{i}") for i in range(days))
        write_snapshot(
            path, Portfolio(projects=projects), now=NOW - timedelta(days=days), label=f"d{days}"
        )
    broken = write_snapshot(path, Portfolio(), now=NOW, label="broken")
    broken.toml_path.write_text(broken.toml_path.read_text() + "\nnot toml = = =\n")
    versions, warnings = snapshot_versions(path, limit=3)
    assert [(label, len(p.projects)) for _, label, p in versions] == [("d2", 2), ("d1", 1)]
    assert len(warnings) == 1
    assert warnings[0].startswith("skipped snapshot ")
    assert "broken" in warnings[0]
    assert snapshot_versions(tmp_path / "none" / "portfolio.toml") == ([], [])
