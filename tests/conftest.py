"""Shared fixtures: where the shared corpora live, and waiting for the dashboard to load."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

Loaded = Callable[[Pilot[Any]], Awaitable[None]]
"""Awaited with a pilot: returns once the dashboard shows its portfolio (or its load errors)."""


@pytest.fixture
def shared_dir() -> Path:
    """The shared folder beside the project checkout (../shared), holding test corpora."""
    return Path(__file__).resolve().parents[1].parent / "shared"


async def wait_until_loaded(pilot: Pilot[Any]) -> None:
    """Let the dashboard read its file in the background and fill its views, then settle.

    `mlfolio` draws its first frame before reading the file; `app.loaded` is set
    once the portfolio or its errors are on screen. No sleeping: the event is awaited.
    """
    from tui.app import MlfolioApp

    app = pilot.app
    assert isinstance(app, MlfolioApp), "only the dashboard loads in the background"
    await app.loaded.wait()
    await pilot.pause()


@pytest.fixture
def loaded() -> Loaded:
    """`await loaded(pilot)` once the app runs; also a `run_before` for snapshot tests."""
    return wait_until_loaded
