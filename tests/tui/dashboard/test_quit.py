"""Quitting never cuts off a save: `q` waits for the save in hand, and asks when it failed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from factories import fixed_clock
from textual.pilot import Pilot

from core.models import Portfolio, Stage
from portfolio import SaveError, load
from portfolio import store as store_module
from portfolio.store import Stamp
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app


def make(path: Path) -> MlfolioApp:
    return create_app(path, clock=fixed_clock, user="ann", poll_interval=0)


async def ready(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await app.loaded.wait()
    await pilot.pause()


def stage(path: Path, project_id: str) -> Stage:
    project = load(path).project(project_id)
    assert project is not None
    return project.stage


async def test_quit_waits_for_the_save_under_way(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = store_module.write
    release = threading.Event()
    entered = threading.Event()

    def slow_write(portfolio: Portfolio, path: Path) -> Stamp | None:
        entered.set()
        release.wait(timeout=30)
        return real_write(portfolio, path)

    monkeypatch.setattr(store_module, "write", slow_write)
    app = make(example)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        app.selected = "fitness-pose"
        await pilot.press("f")
        await pilot.pause()
        assert entered.wait(timeout=30)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running, "q must wait for the save in hand"
        release.set()
        for _ in range(200):
            if not app.is_running:
                break
            await pilot.pause(0.05)
        assert not app.is_running
    assert stage(example, "fitness-pose") is Stage.TRAINING


async def test_quit_after_a_failed_save_asks_then_quits_on_a_second_q(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(portfolio: Portfolio, path: Path) -> Stamp | None:
        raise SaveError(f"cannot save {path.name}: No space left on device")

    monkeypatch.setattr(store_module, "write", full_disk)
    before = example.read_bytes()
    app = make(example)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        app.selected = "fitness-pose"
        await pilot.press("f")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running, "the first q must warn that the edits are not saved"
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert example.read_bytes() == before


async def test_quit_with_nothing_to_save_is_immediate(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
