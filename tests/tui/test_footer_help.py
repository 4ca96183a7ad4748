"""`? Help` is always visible in the footer, even at 80 columns (issue 14, finding 6)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.dashboard.launch import create_app

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio.toml"


@pytest.mark.parametrize("width", [80, 100])
async def test_help_key_is_on_screen_in_the_footer(tmp_path: Path, width: int) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        keys: list[FooterKey] = []
        for _ in range(100):  # the footer is recomposed once the views are mounted
            footer = app.screen.query_one(Footer)
            keys = [key for key in footer.query(FooterKey) if key.key == "question_mark"]
            if keys and keys[0].region.width > 0 and len(footer.query(FooterKey)) > 3:
                break
            await pilot.pause(0.05)
        assert keys, "no ? key in the footer"
        region = keys[0].region
        assert region.width > 0
        assert region.right <= width
