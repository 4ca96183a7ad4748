"""The lifecycle kanban as data: columns of cards, ready to draw.

The board widget only draws what `board` returns and walks it with
`neighbour_card`; it decides nothing about stages, loops or warnings itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from core.models import LIFECYCLE, OUTCOMES, Portfolio, Project, Stage
from core.rules.finding_counts import NO_FINDINGS, FindingCounts
from core.rules.lifecycle import STAGE_TITLES, days_in_stage, loop_count, open_checklist_items
from core.vocabulary import Archetype

BOARD_STAGES: tuple[Stage, ...] = (*LIFECYCLE, *OUTCOMES)
"""The columns, left to right: the four lifecycle stages, then the outcomes."""


@dataclass(frozen=True, slots=True)
class Card:
    """One project as the board shows it.

    `loops` counts back-edges taken, `open_checklist` the feasibility checklist
    items still open, and `warnings` and `infos` what the caller's checks found
    (counted by `core.rules.finding_counts.count_findings`, as every surface does).
    """

    project_id: str
    title: str
    owner: str
    archetype: Archetype
    stage: Stage
    loops: int
    days_in_stage: int | None
    open_checklist: int
    warnings: int
    infos: int = 0
    unscored: bool = False
    """Impact or feasibility never scored: the card says so ("?"), as the ranking does."""

    @property
    def findings(self) -> FindingCounts:
        """The warnings and infos together, to write the way every surface does."""
        return FindingCounts(self.warnings, self.infos)


@dataclass(frozen=True, slots=True)
class Column:
    """One stage's column: its title, its cards in order, and whether it is an outcome."""

    stage: Stage
    title: str
    cards: tuple[Card, ...]
    is_outcome: bool


def card(project: Project, now: datetime, counts: FindingCounts = NO_FINDINGS) -> Card:
    """The card for one project."""
    return Card(
        project_id=project.id,
        title=project.title,
        owner=project.owner,
        archetype=project.archetype,
        stage=project.stage,
        loops=loop_count(project),
        days_in_stage=days_in_stage(project, now),
        open_checklist=len(open_checklist_items(project)),
        warnings=counts.warnings,
        infos=counts.infos,
        unscored=bool(project.unscored_axes),
    )


def board(
    portfolio: Portfolio,
    now: datetime,
    warning_counts: Mapping[str, FindingCounts] | None = None,
    order: Sequence[str] | None = None,
) -> tuple[Column, ...]:
    """Every stage's column, cards ordered by `order` (a ranking of ids), else file order.

    Projects missing from `order` follow the ranked ones, in file order, so a
    stale ranking never hides a project.
    """
    counts = warning_counts or {}
    projects: Sequence[Project] = portfolio.projects
    if order is not None:
        rank: dict[str, int] = {}
        for i, project_id in enumerate(order):
            rank.setdefault(project_id, i)
        projects = sorted(projects, key=lambda p: rank.get(p.id, len(order)))
    return columns_of(
        card(project, now, counts.get(project.id, NO_FINDINGS)) for project in projects
    )


def columns_of(cards: Iterable[Card]) -> tuple[Column, ...]:
    """Every stage's column holding `cards`, each column in the order they come."""
    by_stage: dict[Stage, list[Card]] = {stage: [] for stage in BOARD_STAGES}
    for each in cards:
        by_stage[each.stage].append(each)
    return tuple(
        Column(
            stage=stage,
            title=STAGE_TITLES[stage],
            cards=tuple(by_stage[stage]),
            is_outcome=stage in OUTCOMES,
        )
        for stage in BOARD_STAGES
    )


def locate(columns: Sequence[Column], project_id: str) -> tuple[int, int] | None:
    """The (column, row) of a project's card, or None when it is not on the board."""
    for col, column in enumerate(columns):
        for row, each in enumerate(column.cards):
            if each.project_id == project_id:
                return col, row
    return None


def neighbour_card(
    columns: Sequence[Column],
    project_id: str,
    direction: Literal["up", "down", "left", "right"],
) -> str | None:
    """The card to select after pressing an arrow key, or None when there is nowhere to go.

    Up and down stay in the column; left and right go to the nearest non-empty
    column that way, keeping the row where it can. When `project_id` is not on
    the board (it was just removed, say), the first card is offered instead.
    """
    where = locate(columns, project_id)
    if where is None:
        first = next((c.cards[0] for c in columns if c.cards), None)
        return None if first is None else first.project_id
    col, row = where
    cards = columns[col].cards
    if direction == "up":
        return cards[row - 1].project_id if row > 0 else None
    if direction == "down":
        return cards[row + 1].project_id if row + 1 < len(cards) else None
    step = -1 if direction == "left" else 1
    col += step
    while 0 <= col < len(columns):
        if columns[col].cards:
            target = columns[col].cards
            return target[min(row, len(target) - 1)].project_id
        col += step
    return None
