"""Start-up: the first frame comes before the file is read, which happens in the background.

The app composes its chrome and says "loading" at once, reads, validates and
projects the file in a thread, then fills the views (or shows why it could
not). `app.loaded` tells tests when that has happened; nothing here sleeps.
"""

from __future__ import annotations

import gc
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Loaded
from factories import EXAMPLE, fixed_clock
from textual.widgets import Static

from tui.clock import Clock
from tui.dashboard import launch
from tui.dashboard.app import MlfolioApp, _size_label
from tui.screens import LoadErrorScreen


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reading a portfolio waits until the test sets this event (set again on the way out)."""
    gate = threading.Event()
    real = launch.open_portfolio

    def slow(path: Path, user: str, clock: Clock) -> launch.Opened:
        if not gate.wait(timeout=30):
            raise AssertionError("the test never let the file be read")
        return real(path, user, clock)

    monkeypatch.setattr(launch, "open_portfolio", slow)
    try:
        yield gate
    finally:
        gate.set()


def make(path: Path) -> MlfolioApp:
    """The real app over `path`, as the command line builds it, without disk polling."""
    return launch.create_app(path, clock=fixed_clock, user="ann", poll_interval=0)


def status(app: MlfolioApp) -> str:
    """What the status line says."""
    return str(app.query_one("#status", Static).render())


async def test_the_first_frame_is_drawn_before_the_file_is_read(
    example: Path, held: threading.Event
) -> None:
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "loading portfolio.toml" in status(app)
        assert app.session is None
        assert not app.loaded.is_set()
        assert not app.query_one("#panes").display, "no empty views while loading"
        held.set()
        await app.loaded.wait()
        await pilot.pause()
        assert app.session is not None
        assert app.query_one("#panes").display
        assert "loading" not in status(app)
        assert "Northwind ML portfolio" in status(app)


async def test_keys_while_loading_edit_nothing_and_views_follow_once_loaded(
    example: Path, held: threading.Event
) -> None:
    before = example.read_bytes()
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("f", "b", "d", "2", "down", "slash"):
            await pilot.press(key)
        assert app.session is None
        held.set()
        await app.loaded.wait()
        await pilot.pause()
        assert app.dashboard is not None
        assert app.selected == app.dashboard.ranking[0]
        assert app.view == "grid"
        await pilot.press("2")
        assert app.view == "board"
    assert example.read_bytes() == before


async def test_the_loading_line_gives_the_size_of_the_file(
    example: Path, held: threading.Event
) -> None:
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert f"({_size_label(example.stat().st_size)})" in status(app)
        held.set()
        await app.loaded.wait()


async def test_a_file_that_fails_to_load_sets_loaded_and_shows_why(
    tmp_path: Path, loaded: Loaded
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('schema = 1\n[[projects]]\nid = "x"\ntitle = "ok"\nstage = "dreaming"\n')
    app = make(path)
    async with app.run_test(size=(100, 24)) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, LoadErrorScreen)
        assert app.load_errors
        assert app.load_errors[0].startswith(f"{path}:5:")
        assert app.read_only
        assert app.session is None
        assert "not loaded" in status(app)


async def test_a_file_gone_before_it_is_read_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    app = make(path)
    path.unlink()
    async with app.run_test(size=(100, 24)):
        await app.loaded.wait()
        assert app.load_errors
        assert isinstance(app.screen, LoadErrorScreen)


async def test_waiting_for_the_workers_also_waits_for_the_load(example: Path) -> None:
    """The `pause(); workers.wait_for_complete()` pattern sees a filled dashboard too."""
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.loaded.is_set()
        assert app.dashboard is not None


@pytest.mark.parametrize(
    ("size", "label"),
    [(0, "0 bytes"), (812, "812 bytes"), (38_400, "38 KB"), (2_213_000, "2.2 MB")],
)
def test_size_labels(size: int, label: str) -> None:
    assert _size_label(size) == label


async def test_the_loaded_portfolio_is_exempt_from_collection_while_the_app_runs(
    example: Path, loaded: Loaded
) -> None:
    """A full collection walking every model would stall a key; the app freezes them instead."""
    app = make(example)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.session is not None
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0, "frozen objects would outlive the app"
