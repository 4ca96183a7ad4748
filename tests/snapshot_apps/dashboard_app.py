"""The real dashboard over a copy of the example, with a fixed clock, for snapshots and looks.

Run it directly to see what the snapshot tests see:
`python tests/snapshot_apps/dashboard_app.py`.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tui.app import MlfolioApp
from tui.launch import create_app

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio.toml"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """Always the same instant, so days-in-stage never drift."""
    return NOW


def make_app(source: Path = EXAMPLE) -> MlfolioApp:
    """The app over a private copy of `source` named portfolio.toml; no disk polling."""
    folder = Path(tempfile.mkdtemp(prefix="mlfolio-snapshot-"))
    path = folder / "portfolio.toml"
    shutil.copyfile(source, path)
    return create_app(path, clock=fixed_clock, user="ann", poll_interval=0)


if __name__ == "__main__":
    make_app().run()
