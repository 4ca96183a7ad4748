"""The tests' shared makings: the instants, the clock, the example, and projects from a few fields.

One place for what ~30 test modules used to define each on their own. Tests keep the
instant their assertions were written against: most use `NOW`, the editor's and the
lifecycle's older tests `EARLIER`.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.models import Portfolio, Project, Settings

ROOT = Path(__file__).resolve().parents[1]
"""The checkout."""

EXAMPLE = ROOT / "portfolio" / "example.toml"
"""The packaged example (what `mlfolio init` writes; examples/portfolio.toml is the same)."""

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
"""The instant most tests run at."""

EARLIER = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
"""The instant of the tests written in March (the editor's, the lifecycle's, the edits')."""


def fixed_clock() -> datetime:
    """The tests' clock: always `NOW`, so nothing on screen depends on when a test runs."""
    return NOW


def earlier_clock() -> datetime:
    """A clock always at `EARLIER`, for the tests written against that instant."""
    return EARLIER


def project(project_id: str = "p", **fields: Any) -> Project:
    """A valid project from just the fields a test cares about (id "p" and title "P" by default)."""
    data: dict[str, Any] = {"id": project_id, "title": project_id.upper()}
    return Project.model_validate(data | fields)


def portfolio(*projects: Project, settings: Settings | None = None) -> Portfolio:
    """A portfolio of `projects`, with default settings unless given."""
    return Portfolio(projects=projects, settings=settings or Settings())


def example_copy(folder: Path, name: str = "portfolio.toml") -> Path:
    """A copy of the example in `folder`, safe to edit: its path."""
    path = folder / name
    shutil.copyfile(EXAMPLE, path)
    return path
