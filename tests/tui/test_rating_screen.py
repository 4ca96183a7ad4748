"""Pilot tests of the rating screen: your own name, hidden until revealed, the rule applied."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from core.edits.changes import Rate
from core.rules.ratings import spread_of
from core.views.ratings import panel_lines, rating_rows
from portfolio import Pending, commit, load, read_version
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.ratings.screen import RatingScreen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "portfolio.toml"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example in which bob has rated the first project's automation 1."""
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    first = load(path).projects[0].id
    version = read_version(path)
    commit(path, [Pending(Rate(first, "bob", (("automation", 1),)), NOW, "bob")], base=version)
    return path


def make(path: Path, *, read_only: bool = False) -> MlfolioApp:
    return create_app(path, clock=lambda: NOW, user="ann", read_only=read_only, poll_interval=0)


async def settle(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await app.loaded.wait()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def body(screen: RatingScreen) -> str:
    return str(screen.query_one("#rating-body", Static).render())


async def open_rating(pilot: Pilot[None]) -> RatingScreen:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    app.selected = load(app.path).projects[0].id
    await pilot.press("v")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RatingScreen)
    return screen


async def test_rating_saves_under_the_session_user_and_hides_others_until_revealed(
    example: Path,
) -> None:
    app = make(example)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_rating(pilot)
        pid = screen.project_id
        (automation,) = [line for line in body(screen).splitlines() if "automation" in line]
        assert automation.split()[-1] == "1"  # one other rater, their score not shown
        assert "1–" not in body(screen)
        # cursor on cheap prediction; automation is the third row
        await pilot.press("j", "j", "5", "enter")
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        (automation,) = [line for line in body(screen).splitlines() if "automation" in line]
        assert "1–5 med 3 disagree" in automation
        assert "1 · · · 1" in automation  # one 1, one 5
        await pilot.press("M")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
    saved = load(example).project(pid)
    assert saved is not None
    spread = spread_of(saved, "automation")
    assert spread is not None
    assert spread.raters == (("bob", 1), ("ann", 5))
    assert saved.impact is not None
    assert saved.impact.automation == 3
    assert (saved.impact.ranges["automation"].low, saved.impact.ranges["automation"].high) == (1, 5)


async def test_a_read_only_session_cannot_rate(example: Path) -> None:
    before = example.read_bytes()
    app = make(example, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_rating(pilot)
        await pilot.press("3", "enter")
        await settle(pilot)
        assert "*" not in body(screen)
    assert example.read_bytes() == before


def test_rows_and_panel_lines_show_the_spread_only_when_revealed(example: Path) -> None:
    project = load(example).projects[0]
    hidden = rating_rows(project, "ann", {"automation": 4}, revealed=False)
    row = next(r for r in hidden if r.key == "automation")
    assert (row.mine, row.staged, row.others, row.spread_text()) == (4, True, 1, "")
    shown = next(r for r in rating_rows(project, "ann", {}, revealed=True) if r.key == "automation")
    assert shown.spread_text() == "1"
    assert panel_lines(project) == ("automation: 1 rater, 1",)


def test_the_metrics_panel_shows_the_spread_of_a_rated_project(example: Path) -> None:
    from tui.widgets.panel_sections import panel_lines as metrics_panel

    portfolio = load(example)
    project = portfolio.projects[0]
    text = [line.plain for line in metrics_panel(project, portfolio.settings, 80)]
    at = text.index("Ratings  1 rater · v to rate")
    assert text[at + 1] == "  automation: 1 rater, 1"
    unrated = portfolio.projects[1]
    assert not any(
        line.plain.startswith("Ratings") for line in metrics_panel(unrated, portfolio.settings, 80)
    )


async def test_the_screen_follows_a_rating_saved_by_another_session(example: Path) -> None:
    app = create_app(example, clock=lambda: NOW, user="ann", poll_interval=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_rating(pilot)

        def others() -> str:
            (line,) = [x for x in body(screen).splitlines() if "automation" in x]
            return line.split()[-1]

        assert others() == "1"
        pid = screen.project_id
        commit(example, [Pending(Rate(pid, "carol", (("automation", 4),)), NOW, "carol")])
        for _ in range(200):
            if others() == "2":
                break
            await pilot.pause(0.02)
        assert others() == "2"
        await pilot.press("q")
