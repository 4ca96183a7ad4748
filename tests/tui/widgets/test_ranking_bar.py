"""The ranking's search and filter bar: closable by ctrl+g, and "/" starts a fresh search."""

from __future__ import annotations

from apps.ranking_app import make_app
from test_ranking_widget import parts, status, titles


async def test_ctrl_g_closes_the_filter_bar() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _ranking, table, box = parts(app)
        for key in ("slash", "F"):
            await pilot.press(key)
            assert box.display
            await pilot.press("ctrl+g")
            await pilot.pause()
            assert not box.display
            assert table.has_focus


async def test_slash_starts_a_fresh_search() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _ranking, table, box = parts(app)
        await pilot.press("slash", *"doc", "enter")
        assert titles(table) == ["Document search ranking"]
        await pilot.press("slash")
        assert box.value == ""
        await pilot.press(*"fraud", "enter")
        assert box.value == "fraud"
        assert "search: fraud" in status(app)
        assert "docfraud" not in status(app)
