"""The Flow view in the real app: opened with 5, period and project switched, read-only.

Snapshots at 80x24 and 160x48 (slow); Pilot tests read the text it draws.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from apps.dashboard_app import make_app
from conftest import Loaded
from textual.pilot import Pilot

from portfolio.snapshots import write_snapshot
from tui.flow.screen import FlowScreen
from tui.widgets.flow_view import FlowView

SnapCompare = Callable[..., bool]


async def test_5_opens_the_flow_view_and_p_changes_the_period(loaded: Loaded) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, FlowScreen)
        text = app.screen.query_one(FlowView).text
        assert "Back-edges by reason  9 in the period" in text
        assert "T→D  labels unreliable" in text
        assert "< went back" in text
        await pilot.press("p", "p")
        await pilot.pause()
        assert "Back-edges by reason  0 in the period" in app.screen.query_one(FlowView).text


async def test_n_draws_the_next_projects_timeline_and_dashboard_keys_do_nothing(
    loaded: Loaded,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.session is not None
        before = app.session.portfolio
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, FlowScreen)
        first = app.screen.project
        await pilot.press("n")
        await pilot.pause()
        second = app.screen.project
        assert first is not None
        assert second is not None
        assert first.id != second.id
        assert f"Timeline  {second.title}"[:60] in app.screen.query_one(FlowView).text
        await pilot.press("f", "b", "o")  # the dashboard's moves: not here
        await pilot.pause()
        assert isinstance(app.screen, FlowScreen)
        assert app.session.portfolio is before
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FlowScreen)


def open_flow(loaded: Loaded, *keys: str) -> Loaded:
    """A `run_before` that opens the Flow view and waits for the snapshots to be read."""

    async def run(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press(*keys, "5")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run


@pytest.mark.slow
def test_flow_view_at_80x24(snap_compare: SnapCompare, loaded: Loaded) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=open_flow(loaded))


@pytest.mark.slow
def test_flow_view_at_160x48(snap_compare: SnapCompare, loaded: Loaded) -> None:
    assert snap_compare(
        make_app(), terminal_size=(160, 48), run_before=open_flow(loaded, "down", "down")
    )


async def test_trend_across_snapshots(loaded: Loaded) -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await loaded(pilot)
        assert app.session is not None
        now = app.session.now()
        older = app.session.portfolio.model_copy(
            update={"projects": app.session.portfolio.projects[:3]}
        )
        write_snapshot(app.path, older, now=now - timedelta(days=30), label="three only")
        await pilot.press("5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = app.screen.query_one(FlowView).text
    assert "Across snapshots  1 snapshot, then now" in text
    assert "three only" in text
    # A project absent from the old snapshot shows "-" before its rank now.
    rows = text.split("rank at each, oldest first")[1].splitlines()[1:]
    assert any(row.rstrip().endswith(("-   4", "-   5")) for row in rows), rows
