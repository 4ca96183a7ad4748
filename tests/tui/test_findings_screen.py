"""`w` shows the selected project's findings with their texts, and the board counts both kinds."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from screen_text import screen_text
from textual.pilot import Pilot
from textual.widgets import Label

from tui.dashboard.launch import create_app
from tui.findings_screen import FindingsScreen
from tui.widgets.text_table import TextTable

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio.toml"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_w_lists_the_selected_projects_findings_with_their_texts(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        app.selected = "search-ranking"  # one info: a threshold no baseline scores
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FindingsScreen)
        assert str(screen.query_one("#findings-counts", Label).render()) == "1 info"
        rows = screen.query_one("#findings-table", TextTable).rows
        assert rows == (
            (
                "info",
                "threshold-without-baseline",
                "threshold on p99_latency_ms, but no baseline scores p99_latency_ms",
            ),
        )
        assert "threshold on p99_latency_ms" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, FindingsScreen)
