"""The wide layout keeps the board legible: long card titles, whole column headers (finding 5)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from apps.dashboard_app import make_app
from conftest import Loaded
from screen_text import screen_lines
from textual.geometry import Region

from core.models import Stage
from core.rules.lifecycle import STAGE_TITLES
from tui.dashboard.app import MlfolioApp

SnapCompare = Callable[..., bool]
LIFECYCLE = (Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT)
TITLE = re.compile(r"[┌┏][ ▶◆](.+?)(?: ─*[┐┓]|[ ─]+[┐┓])")
"""A card's top border: the title sits between the corner (and its mark) and the dashes."""


def board_lines(app: MlfolioApp) -> list[str]:
    """The board's region of the screen, as plain text lines."""
    region: Region = app.query_one("#board").region
    return screen_lines(app, region)


@pytest.mark.parametrize(("size", "keys", "least"), [((160, 48), (), 20), ((120, 40), ("2",), 18)])
async def test_card_titles_and_headers_are_legible(
    loaded: Loaded, size: tuple[int, int], keys: tuple[str, ...], least: int
) -> None:
    """At 160x48 (board beside the grid and panel) a cut title keeps 20 characters or more; at
    120x40 (one view at a time) 18 or more."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        lines = board_lines(app)
        header = lines[0]
        assert "…" not in header, header  # no header is cut; a long one may show its first word
        for stage in LIFECYCLE:
            assert STAGE_TITLES[stage].split(" ")[0] in header, header
        assert sum(STAGE_TITLES[stage] in header for stage in LIFECYCLE) >= 3, header
        titles = [match.group(1) for line in lines for match in TITLE.finditer(line)]
        assert len(titles) >= 8, lines[:6]
        for title in titles:
            shown = title.removesuffix("…")  # the title's own characters, spaces included
            assert len(shown) >= least or not title.endswith("…"), titles


@pytest.mark.slow
@pytest.mark.parametrize(("size", "keys"), [((160, 48), ()), ((120, 40), ("2",))])
def test_wide_layout_snapshot(
    snap_compare: SnapCompare, loaded: Loaded, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    assert snap_compare(make_app(), press=list(keys), terminal_size=size, run_before=loaded)
