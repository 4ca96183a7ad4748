"""Pilot tests of the ranking table: sorting, search, filters, selection, hostile titles, scale."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from apps.ranking_app import (
    HOSTILE_CLICK,
    HOSTILE_CLOSE,
    WIP_TITLE,
    RankingApp,
    make_app,
    project,
)

import core.rules.priority
import core.views.ranking
import tui.widgets.ranking
from core.models import Portfolio, Stage
from core.views.ranking import COLUMN_KEYS, DESCENDING_FIRST, RankRow, sort_rows
from core.vocabulary import Archetype
from tui.widgets.rank_list import RankList, row_texts
from tui.widgets.ranking import FilterInput, RankingTable

SnapCompare = Callable[..., bool]


def parts(app: RankingApp) -> tuple[RankingTable, RankList, FilterInput]:
    """The ranking widget, its list of rows and its filter box."""
    ranking = app.query_one(RankingTable)
    return ranking, ranking.query_one(RankList), ranking.query_one(FilterInput)


def table_ids(table: RankList) -> list[str]:
    """The project ids of the rows shown, top to bottom."""
    return [row.project_id for row in table.rows]


def titles(table: RankList) -> list[str]:
    """The title cells as plain text, top to bottom."""
    return [row_texts(row)[1] for row in table.rows]


def status(app: RankingApp) -> str:
    """The status line's text."""
    return str(app.query_one("#ranking-status").render())


async def test_starts_in_rank_order_with_all_columns() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _ranking, table, box = parts(app)
        rows = app.rows()
        assert table_ids(table) == [r.project_id for r in rows]
        assert list(table.header) == [
            "#▲",
            "Title",
            "Stage",
            "Impact",
            "Feas.",
            "Quadrant",
            "Score",
            "⚠",
            "Rated",
            "Owner",
        ]
        assert not box.display
        assert status(app) == "8 of 8 projects · no filter · sorted by rank ▲"
        assert app.selections == []


async def test_s_cycles_every_column_and_shift_s_reverses() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        rows = app.rows()
        orders = set()
        for column in (*COLUMN_KEYS[1:], COLUMN_KEYS[0]):
            await pilot.press("s")
            descending = column in DESCENDING_FIRST
            expected = [r.project_id for r in sort_rows(rows, column, descending)]
            assert ranking.sorting == (column, descending)
            assert table_ids(table) == expected, column
            arrow = "▼" if descending else "▲"
            assert f"sorted by {column} {arrow}" in status(app)
            assert sum(label.endswith(arrow) for label in table.header) == 1
            orders.add(tuple(expected))
            await pilot.press("S")
            reverse = [r.project_id for r in sort_rows(rows, column, not descending)]
            assert table_ids(table) == reverse
            await pilot.press("S")
        assert len(orders) > 5  # the columns really order differently
        assert ranking.sorting == ("rank", False)


async def test_clicking_a_header_sorts_by_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        x = sum(c.width for c in table.columns[:2]) + 2
        await pilot.click(RankList, offset=(x, 0))  # the Stage header
        assert ranking.sorting == ("stage", False)
        await pilot.click(RankList, offset=(x, 0))
        assert ranking.sorting == ("stage", True)


async def test_slash_search_narrows_live_and_enter_keeps_it() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, box = parts(app)
        await pilot.press("slash")
        assert box.display
        assert box.has_focus
        await pilot.press(*"doc")
        assert titles(table) == ["Document search ranking"]
        await pilot.press("enter")
        assert not box.display
        assert table.has_focus
        assert ranking.visible_ids == ("search",)
        assert "1 of 8 projects · search: doc" in status(app)
        assert app.selections[-1] == "search"  # the selection follows what the search leaves


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("stage:training,data", {"fraud", "churn", "search"}),
        ("owner:ana", {"fraud", "hostile"}),
        ("tag:vision", {"driving", "captions"}),
        ('quadrant:"big bets"', {"triage", "driving"}),
        ("quadrant:fill_ins", {"ab-test"}),
        ("archetype:human-in-the-loop", {"ab-test", "triage"}),
        ("tag:nlp owner:chen", {"search"}),
        ("stage:training card", {"fraud"}),
    ],
)
async def test_filter_expression_narrows(expression: str, expected: set[str]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, box = parts(app)
        await pilot.press("F")
        assert box.has_focus
        box.insert_text_at_cursor(expression)
        await pilot.press("enter")
        assert set(table_ids(table)) == expected
        assert not box.display
        assert f"{len(expected)} of 8 projects" in status(app)
        await pilot.press("F")
        assert box.value  # pre-filled with the expression in force
        assert core.views.ranking.parse_filter(box.value) == ranking.row_filter


async def test_bad_expression_shows_the_error_and_keeps_the_rows() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _ranking, table, box = parts(app)
        await pilot.press("F")
        box.insert_text_at_cursor("owner:ana")
        await pilot.press("enter")
        before = table_ids(table)
        await pilot.press("F", "end")
        box.insert_text_at_cursor(" stage:trainng")
        await pilot.press("enter")
        assert table_ids(table) == before
        assert status(app).startswith("unknown stage 'trainng'; stages: planning, data")
        assert app.query_one("#ranking-status").has_class("-error")
        assert box.display  # still open to fix the typo
        await pilot.press("backspace", "backspace", "i", "n", "g", "enter")
        assert table_ids(table) == ["fraud"]
        assert not app.query_one("#ranking-status").has_class("-error")


@pytest.mark.parametrize("keys", [("escape",), ("ctrl+u",), ("ctrl+a", "ctrl+k", "enter")])
async def test_escape_ctrl_u_or_enter_on_empty_clear(keys: tuple[str, ...]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, box = parts(app)
        await pilot.press("F")
        box.insert_text_at_cursor("tag:nlp")
        await pilot.press("enter")
        assert len(table.rows) == 4
        await pilot.press("F", *keys)
        assert len(table.rows) == 8
        assert ranking.row_filter.is_empty
        assert not box.display
        assert table.has_focus


async def test_ctrl_u_on_the_table_clears_and_is_offered_only_with_a_filter() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _box = parts(app)
        assert ranking.check_action("clear_filter", ()) is False
        await pilot.press("slash", "n", "l", "p", "enter")
        assert ranking.check_action("clear_filter", ()) is True
        await pilot.press("ctrl+u")
        assert len(table.rows) == 8


async def test_moving_the_cursor_posts_selected() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        ids = table_ids(table)
        await pilot.press("down", "j", "k", "G", "g")
        await pilot.pause()
        assert app.selections == [ids[1], ids[2], ids[1], ids[-1], ids[0]]
        assert ranking.selected == ids[0]


async def test_select_moves_the_cursor_without_posting() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        ranking.select("driving")
        await pilot.pause()
        assert table_ids(table)[table.cursor] == "driving"
        assert ranking.selected == "driving"
        assert app.selections == []
        await pilot.press("s", "s", "s")  # resorting keeps the cursor on it
        assert table_ids(table)[table.cursor] == "driving"
        assert app.selections == []


async def test_show_keeps_the_cursor_on_the_selected_project() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        rows = app.rows()
        ranking.show(tuple(reversed(rows)), "churn")
        await pilot.pause()
        assert table_ids(table)[table.cursor] == "churn"
        ranking.show(rows[2:], "gone")
        await pilot.pause()
        assert table.cursor == 0
        assert app.selections == []


async def test_hostile_titles_appear_literally_and_the_app_survives() -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        assert {HOSTILE_CLICK, HOSTILE_CLOSE, WIP_TITLE} <= set(titles(table))
        screen = "\n".join(table.render_line(y).text for y in range(len(table.rows) + 1))
        for title in (HOSTILE_CLICK, HOSTILE_CLOSE, WIP_TITLE):
            assert title in screen
        row = table_ids(table).index("hostile")
        await pilot.click(RankList, offset=(8, row + 1))
        await pilot.pause()
        assert app.is_running
        assert ranking.selected == "hostile"
        await pilot.press("slash", *"[/", "enter")
        assert ranking.visible_ids == ("hostile", "ab-test")


def _big_portfolio(n: int) -> Portfolio:
    stages = list(Stage)
    return Portfolio(
        projects=tuple(
            project(
                f"p{i:05d}",
                f"Project {i}",
                impact=1 + i % 5,
                feasibility=1 + (i // 5) % 5,
                stage=stages[i % len(stages)],
                owner=("ana", "bo", "chen")[i % 3],
            )
            for i in range(n)
        )
    )


async def test_cursor_moves_in_10k_rows_recompute_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: dict[str, int] = {"rank_rows": 0, "sort_rows": 0, "filter_rows": 0}

    def spy(name: str, module: object) -> None:
        real = getattr(module, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    spy("rank_rows", core.views.ranking)
    spy("sort_rows", tui.widgets.ranking)
    spy("filter_rows", tui.widgets.ranking)
    app = make_app(_big_portfolio(10_000))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        assert len(table.rows) == 10_000
        after_mount = dict(calls)
        assert after_mount == {"rank_rows": 1, "sort_rows": 1, "filter_rows": 1}
        await pilot.press(*["down"] * 15, *["j"] * 5, "G", "k")
        await pilot.pause()
        assert calls == after_mount
        assert table.cursor == 9_998
        assert len(app.selections) == 22
        assert ranking.selected == table_ids(table)[9_998]


async def test_a_cursor_leaving_the_view_comes_back_to_the_middle() -> None:
    app = make_app(_big_portfolio(200))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _ranking, table, _ = parts(app)
        page = table.page_rows
        await pilot.press(*["down"] * (page - 1))
        await pilot.pause()
        assert table.scroll_offset.y == 0, "a cursor in view never scrolls"
        await pilot.press("down")
        await pilot.pause()
        top = round(table.scroll_offset.y)
        assert top == page - page // 2  # the cursor, row `page`, now sits mid-page
        await pilot.press(*["down"] * (page // 2 - 2))
        await pilot.pause()
        assert round(table.scroll_offset.y) == top  # half a page of walking before the next
        lines = [table.render_line(y).text for y in range(table.size.height)]
        assert lines[0].split()[:2] == ["#▲", "Title"]  # the header stays on top
        cursor_row = table.rows[table.cursor]
        assert lines[table.cursor - top + 1].startswith(f"▶{cursor_row.rank:>3} ")
        assert lines[table.cursor - top].startswith(f"{cursor_row.rank - 1:>4} ")
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == 199
        assert round(table.scroll_offset.y) == table.max_scroll_y
        assert lines != [table.render_line(y).text for y in range(table.size.height)]


async def test_the_cursor_is_in_view_after_the_list_grows_under_it() -> None:
    app = make_app(_big_portfolio(60))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        ranking, table, _ = parts(app)
        await pilot.press("slash", *"Project 5", "enter", "G")  # 11 rows: 5 and 50-59
        await pilot.pause()
        assert table.scroll_offset.y == 0
        await pilot.press("ctrl+u")  # all 60 again; the cursor stays on the same project
        await pilot.pause()
        assert table.cursor == table_ids(table).index(ranking.selected or "") > table.page_rows
        top = round(table.scroll_offset.y)
        assert top <= table.cursor < top + table.page_rows


async def test_rows_drawn_before_a_resize_are_drawn_again_at_the_new_width() -> None:
    app = make_app(_big_portfolio(12))
    async with app.run_test(size=(80, 8)) as pilot:  # too short: a vertical scrollbar
        await pilot.pause()
        _ranking, table, _ = parts(app)
        before = table.scrollable_content_region.width
        table.render_line(1)  # the cursor row, drawn and kept
        await pilot.resize_terminal(80, 24)  # everything fits: the scrollbar goes
        await pilot.pause()
        assert table.scrollable_content_region.width > before
        cursor = list(table.render_line(1))
        assert cursor[-1].style == cursor[0].style  # the whole row in the cursor's colours


async def test_no_match_is_said_whatever_the_sideways_scroll() -> None:
    app = make_app()
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.pause()
        _ranking, table, _ = parts(app)
        await pilot.press(*["right"] * 12)
        await pilot.pause()
        assert table.scroll_offset.x > 0
        await pilot.press("slash", *"zzz", "enter")
        await pilot.pause()
        assert table.rows == ()
        assert "no projects match" in table.render_line(1).text


def test_rows_for_the_table_are_plain_cells() -> None:
    row = RankRow(
        rank=1,
        project_id="x",
        title="bell\x07[b]x",
        owner="",
        stage=Stage.DATA,
        archetype=Archetype.AUTONOMOUS,
        tags=(),
        impact=3.0,
        feasibility=3.0,
        quadrant=core.rules.priority.Quadrant.AVOID,
        quadrant_label="avoid",
        score=0.0,
        warnings=0,
        near_boundary=True,
    )
    texts = row_texts(row)
    assert texts[1] == "bell[b]x"
    assert texts[5] == "~avoid"


def test_snapshot_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["down", "s", "s", "s"])
