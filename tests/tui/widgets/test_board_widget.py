"""Pilot tests of the lifecycle kanban: keys, folding, scrolling, hostile text and cost per key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from apps.board_app import (
    HOSTILE_CLICK,
    HOSTILE_CLOSE,
    WIP_TITLE,
    BoardApp,
    generated_portfolio,
    make_app,
    make_project,
)
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.strip import Strip

from core.models import Portfolio, Stage
from core.views.board import Card
from core.vocabulary import Archetype
from tui.widgets.board import KanbanBoard
from tui.widgets.board_layout import HEADER
from tui.widgets.cards import CARD_HEIGHT, card_runs

SnapCompare = Callable[..., bool]


def lines(board: KanbanBoard) -> list[str]:
    """Every screen line the board draws, as plain text."""
    return [board.render_line(y).text for y in range(board.size.height)]


async def started(app: BoardApp, pilot: Pilot[None]) -> KanbanBoard:
    """The board once the app has laid it out."""
    await pilot.pause()
    return app.query_one(KanbanBoard)


async def test_keys_move_within_and_across_columns() -> None:
    app = make_app("invoice-ocr")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        await pilot.press("down")
        assert board.selected == "defects"
        await pilot.press("left")
        assert board.selected == "tickets", "left keeps the row"
        await pilot.press("l", "k", "j", "h")
        await pilot.pause()
    assert app.messages == ["defects", "tickets", "defects", "invoice-ocr", "defects", "tickets"]


async def test_no_move_posts_nothing() -> None:
    app = make_app("churn")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        await pilot.press("up", "left", "home")
        await pilot.pause()
        assert board.selected == "churn"
    assert app.messages == []


async def test_left_and_right_skip_empty_columns_and_clamp_the_row() -> None:
    portfolio = Portfolio(
        projects=(
            make_project("a", "First", Stage.PLANNING),
            make_project("b", "Second", Stage.PLANNING),
            make_project("c", "Third", Stage.PLANNING),
            make_project("z", "Only one", Stage.DEPLOYMENT),
        )
    )
    app = make_app("c", portfolio)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        await pilot.press("right")
        assert board.selected == "z", "data and training are empty: skipped"
        await pilot.press("right")
        assert board.selected == "z", "outcomes are folded and empty: nowhere to go"
        await pilot.press("left")
        assert board.selected == "a", "back to row 0, the row kept from the deployment card"
        await pilot.pause()
    assert app.messages == ["z", "a"]


async def test_page_home_and_end_move_within_the_column() -> None:
    app = make_app("p0000", generated_portfolio(30, (Stage.PLANNING,)))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        await pilot.press("end")
        assert board.selected == "p0029"
        await pilot.press("home")
        assert board.selected == "p0000"
        await pilot.press("pagedown")
        per_page = (board.scrollable_content_region.height - HEADER) // CARD_HEIGHT
        assert board.selected == f"p{per_page:04d}"
        await pilot.press("pageup")
        assert board.selected == "p0000"


async def test_z_folds_and_unfolds_the_outcomes() -> None:
    app = make_app("eta")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        assert board.outcomes_folded
        text = "\n".join(lines(board))
        assert "Outcomes" in text
        assert "Shipped (2)" in text
        assert "Voic" not in text, "folded outcomes show counts, not cards"
        await pilot.press("right")
        assert board.selected == "eta", "folded columns are not walked into"
        await pilot.press("z")
        assert not board.outcomes_folded
        assert "┌ Voic" in "\n".join(lines(board))
        await pilot.press("right")
        assert board.selected == "voice"
        await pilot.press("z")
        assert board.outcomes_folded
        assert "Outcomes" in lines(board)[0]


async def test_a_selection_inside_folded_outcomes_is_marked_and_left_leaves_it() -> None:
    app = make_app("spam")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        assert any("▶Shipped (2)" in line for line in lines(board))
        await pilot.press("down")
        assert board.selected == "spam", "no card to step to while folded"
        await pilot.press("left")
        assert board.selected == "eta"
        assert not any("▶Shipped" in line for line in lines(board))


async def test_the_selected_card_scrolls_into_view() -> None:
    app = make_app("p0000", generated_portfolio(40, (Stage.PLANNING,)))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        assert board.virtual_size.height == HEADER + 40 * CARD_HEIGHT
        for _ in range(12):
            await pilot.press("down")
        await pilot.pause()
        assert board.selected == "p0012"
        assert board.scroll_offset.y > 0
        assert any("▶Project 12" in line for line in lines(board))
        assert lines(board)[0].startswith("Planning"), "the header stays put"
        board.selected = "p0039"
        await pilot.pause()
        assert any("▶Project 39" in line for line in lines(board))
        board.selected = "p0001"
        await pilot.pause()
        assert any("▶Project 1 " in line for line in lines(board))
    assert app.messages == [f"p{i:04d}" for i in range(1, 13)], "the app's own sets post nothing"


async def test_selected_card_is_visible_without_colour() -> None:
    app = make_app("invoice-ocr")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        text = lines(board)
    assert any("┏▶Invoice OCR" in line for line in text)
    assert sum(line.count("┏") for line in text) == 1, "only the selected card is heavy"
    assert not any("┃" in line or "┗" in line for line in text), "its title line alone"


async def test_hostile_titles_are_drawn_literally() -> None:
    portfolio = Portfolio(
        projects=(
            make_project("click", HOSTILE_CLICK, Stage.PLANNING, owner="[b]eve[/b]"),
            make_project("close", HOSTILE_CLOSE, Stage.DATA),
            make_project("wip", WIP_TITLE, Stage.TRAINING),
        )
    )
    app = make_app("click", portfolio)
    async with app.run_test(size=(160, 24)) as pilot:
        board = await started(app, pilot)
        await pilot.press("right", "right", "left")
        await pilot.pause()
        text = "\n".join(lines(board))
        assert app.is_running
    for title in (HOSTILE_CLICK, HOSTILE_CLOSE, WIP_TITLE, "[b]eve[/b]"):
        assert title in text


async def test_a_keypress_on_a_big_board_does_not_redo_the_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app("p0000", generated_portfolio(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        layouts: list[None] = []
        build = board._build_layout

        def counting() -> None:
            layouts.append(None)
            build()

        monkeypatch.setattr(board, "_build_layout", counting)
        await pilot.press("down", "down", "right", "left", "pagedown", "end", "home", "up")
        await pilot.pause()
        assert layouts == []
        await pilot.press("z")
        assert len(layouts) == 1, "folding does change the layout"
    assert len(app.messages) == 7


async def test_a_keypress_repaints_only_the_title_lines_of_the_two_cards(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app("p0000", generated_portfolio(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        drawn: list[int] = []
        render_line = board.render_line

        def counting(y: int) -> Strip:
            drawn.append(y)
            return render_line(y)

        monkeypatch.setattr(board, "render_line", counting)
        await pilot.press("down")
        await pilot.pause()
        assert board.scroll_offset.y == 0
        assert sorted(drawn) == [HEADER, HEADER + CARD_HEIGHT]


async def test_click_selects_a_card_and_unfolds_outcomes() -> None:
    app = make_app("invoice-ocr")
    async with app.run_test(size=(80, 24)) as pilot:
        board = await started(app, pilot)
        await pilot.click(KanbanBoard, offset=(3, HEADER + CARD_HEIGHT + 1))
        assert board.selected == "tickets"
        await pilot.click(KanbanBoard, offset=(78, 2))
        assert not board.outcomes_folded
    assert app.messages == ["tickets"]


@pytest.mark.parametrize("width", range(1, 40))
@pytest.mark.parametrize("selected", [False, True])
def test_card_lines_fill_their_width_exactly(width: int, selected: bool) -> None:
    card = Card(
        project_id="x",
        title="Fraud screening for card payments 支付",
        owner="dmitri",
        archetype=Archetype.HUMAN_IN_THE_LOOP,
        stage=Stage.TRAINING,
        loops=12,
        days_in_stage=140,
        open_checklist=7,
        warnings=3,
    )
    for part in range(CARD_HEIGHT):
        runs = card_runs(card, part, width, selected=selected, outcome=False)
        drawn = sum(cell_len(text) for text, _ in runs)
        assert drawn == width or (width < 5 and drawn <= width)
        assert all("\n" not in text for text, _ in runs)


def test_marks_keep_warnings_when_short_of_room() -> None:
    card = Card("x", "T", "", Archetype.AUTONOMOUS, Stage.DATA, 2, 14, 3, 1)
    marks = "".join(text for text, _ in card_runs(card, 2, 12, selected=False, outcome=False))
    assert marks == "│ ↺2 ☐3 ⚠1 │"
    wide = "".join(text for text, _ in card_runs(card, 2, 20, selected=False, outcome=False))
    assert wide.startswith("│ ↺2 14d ☐3 ⚠1")


def test_snapshot_80x24(snap_compare: SnapCompare) -> None:
    assert snap_compare(make_app("invoice-ocr"), terminal_size=(80, 24))
