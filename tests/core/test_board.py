"""The kanban projection: columns, card facts, ordering and keyboard walking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pytest
from factories import EARLIER, portfolio, project

from core.models import Checklist, Portfolio, Project, Stage, Transition
from core.rules.finding_counts import FindingCounts
from core.views.board import BOARD_STAGES, Card, Column, board, locate, neighbour_card
from core.vocabulary import Archetype

CREATED = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def make_project(project_id: str, stage: Stage = Stage.PLANNING, **fields: Any) -> Project:
    """A minimal valid project."""
    data: dict[str, Any] = {"title": project_id.title(), "stage": stage, "created_at": CREATED}
    return project(project_id, **(data | fields))


def make_portfolio(*projects: Project) -> Portfolio:
    return portfolio(*projects)


def ids(column: Column) -> list[str]:
    return [c.project_id for c in column.cards]


def column(columns: tuple[Column, ...], stage: Stage) -> Column:
    return next(c for c in columns if c.stage is stage)


def test_columns_are_every_stage_in_order_with_titles() -> None:
    columns = board(make_portfolio(), EARLIER)
    assert [c.stage for c in columns] == list(BOARD_STAGES)
    assert [c.title for c in columns] == [
        "Planning & setup",
        "Data collection & labelling",
        "Training & debugging",
        "Deployment & testing",
        "Parked",
        "Killed",
        "Shipped",
    ]
    assert [c.is_outcome for c in columns] == [False] * 4 + [True] * 3
    assert all(c.cards == () for c in columns)


def test_cards_carry_the_facts_the_widget_shows() -> None:
    history = (
        Transition(at=CREATED, from_stage="planning", to_stage="data", by="a", kind="forward"),
        Transition(at=CREATED, from_stage="data", to_stage="training", by="a", kind="forward"),
        Transition(
            at=EARLIER - timedelta(days=4),
            from_stage="training",
            to_stage="data",
            by="a",
            kind="back",
            reason="labels unreliable",
        ),
    )
    project = make_project(
        "fraud",
        Stage.DATA,
        owner="ann",
        archetype=Archetype.HUMAN_IN_THE_LOOP,
        history=history,
        checklist=Checklist(need_ml=True, ethics=True),
    )
    columns = board(
        make_portfolio(project),
        EARLIER,
        warning_counts={"fraud": FindingCounts(2, 1), "other": FindingCounts(9)},
    )
    assert column(columns, Stage.DATA).cards == (
        Card(
            project_id="fraud",
            title="Fraud",
            owner="ann",
            archetype=Archetype.HUMAN_IN_THE_LOOP,
            stage=Stage.DATA,
            loops=1,
            days_in_stage=4,
            open_checklist=5,
            warnings=2,
            infos=1,
            unscored=True,  # make_project sets no scores
        ),
    )


def test_a_project_without_dates_has_unknown_days() -> None:
    columns = board(make_portfolio(make_project("a", created_at=None)), EARLIER)
    assert columns[0].cards[0].days_in_stage is None
    assert columns[0].cards[0].warnings == 0


def test_cards_follow_file_order_without_a_ranking() -> None:
    portfolio = make_portfolio(*(make_project(name) for name in ["c", "a", "b"]))
    assert ids(board(portfolio, EARLIER)[0]) == ["c", "a", "b"]


def test_a_ranking_orders_cards_and_unranked_ones_follow_in_file_order() -> None:
    portfolio = make_portfolio(
        *(make_project(name) for name in ["c", "a", "b", "d"]),
        make_project("e", Stage.KILLED),
    )
    columns = board(portfolio, EARLIER, order=["b", "gone", "e", "c", "b"])
    assert ids(columns[0]) == ["b", "c", "a", "d"]
    assert ids(column(columns, Stage.KILLED)) == ["e"]


# -- keyboard walking --------------------------------------------------------------------


def walk_board() -> tuple[Column, ...]:
    """planning: p0 p1 p2 | data: empty | training: t0 | deployment: y0 y1 | ... shipped: s0."""
    projects = [
        make_project("p0"),
        make_project("p1"),
        make_project("p2"),
        make_project("t0", Stage.TRAINING),
        make_project("y0", Stage.DEPLOYMENT),
        make_project("y1", Stage.DEPLOYMENT),
        make_project("s0", Stage.SHIPPED),
    ]
    return board(make_portfolio(*projects), EARLIER)


Direction = Literal["up", "down", "left", "right"]


@pytest.mark.parametrize(
    ("start", "direction", "expected"),
    [
        ("p0", "up", None),
        ("p0", "down", "p1"),
        ("p1", "up", "p0"),
        ("p2", "down", None),
        ("p0", "left", None),
        ("p2", "right", "t0"),  # skips the empty data column, clamps the row
        ("p1", "right", "t0"),
        ("t0", "left", "p0"),
        ("t0", "right", "y0"),
        ("y1", "left", "t0"),
        ("y1", "right", "s0"),  # skips parked and killed
        ("s0", "right", None),
        ("s0", "left", "y0"),
    ],
)
def test_neighbour_card(start: str, direction: Direction, expected: str | None) -> None:
    assert neighbour_card(walk_board(), start, direction) == expected


def test_an_unknown_card_offers_the_first_one() -> None:
    assert neighbour_card(walk_board(), "removed", "down") == "p0"
    assert neighbour_card(board(make_portfolio(), EARLIER), "removed", "down") is None


def test_locate() -> None:
    columns = walk_board()
    assert locate(columns, "y1") == (3, 1)
    assert locate(columns, "nope") is None
