"""A tiny app around the lifecycle kanban, with a hand-made portfolio and a fixed clock.

Built by `make_app()` for Pilot and snapshot tests; run this file directly to
look at it (arrows or h/j/k/l, z folds the outcomes, q quits), or give a number
(`board_app.py 1000`) to see a generated board of that many projects.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from core.models import Checklist, Portfolio, Project, Stage, Transition, TransitionKind
from core.rules.finding_counts import FindingCounts
from core.views.board import board
from core.vocabulary import CHECKLIST_ITEMS, Archetype
from tui.widgets.board import KanbanBoard

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""The board's clock: every "days in stage" is counted to this instant."""

HOSTILE_CLICK = "[@click=app.quit]x[/]"
HOSTILE_CLOSE = "A/B test [/]"
WIP_TITLE = "[WIP]"

P, D, T, Y = Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT
FORWARD, BACK, OUTCOME = TransitionKind.FORWARD, TransitionKind.BACK, TransitionKind.OUTCOME
SW, HITL, AUTO = Archetype.SOFTWARE_2_0, Archetype.HUMAN_IN_THE_LOOP, Archetype.AUTONOMOUS

Step = tuple[Stage, Stage, TransitionKind, int, str]
"""A history entry as (from, to, kind, days before NOW, reason)."""


def make_project(
    pid: str,
    title: str,
    stage: Stage,
    *,
    owner: str = "",
    archetype: Archetype = SW,
    created_days: int = 120,
    checked: int = 7,
    steps: tuple[Step, ...] = (),
) -> Project:
    """A project in `stage` whose first `checked` checklist items are done, with history `steps`."""
    history = tuple(
        Transition(
            at=NOW - timedelta(days=days),
            from_stage=src,
            to_stage=dst,
            by="ana",
            kind=kind,
            reason=reason,
        )
        for src, dst, kind, days, reason in steps
    )
    done = {key: True for key, _ in CHECKLIST_ITEMS[:checked]}
    return Project(
        id=pid,
        title=title,
        owner=owner,
        archetype=archetype,
        stage=stage,
        created_at=NOW - timedelta(days=created_days),
        checklist=Checklist(**done),
        history=history,
    )


def make_portfolio() -> Portfolio:
    """Projects in every stage, some that looped back, some with open checklist items."""
    return Portfolio(
        projects=(
            make_project("churn", "Churn predictor", P, owner="ana", created_days=20, checked=4),
            make_project(
                "tickets",
                "Support ticket triage",
                P,
                owner="ben",
                archetype=HITL,
                created_days=3,
                checked=0,
            ),
            make_project(
                "fraud",
                "Fraud screening for card payments",
                P,
                owner="caro",
                archetype=HITL,
                checked=6,
                steps=((P, D, FORWARD, 40, ""), (D, P, BACK, 14, "data too hard to get")),
            ),
            make_project(
                "invoice-ocr",
                "Invoice OCR",
                D,
                owner="ana",
                archetype=HITL,
                checked=5,
                steps=(
                    (P, D, FORWARD, 60, ""),
                    (D, T, FORWARD, 40, ""),
                    (T, D, BACK, 14, "labels unreliable"),
                ),
            ),
            make_project(
                "defects",
                "Weld defect detection",
                D,
                owner="dmitri",
                archetype=AUTO,
                steps=((P, D, FORWARD, 9, ""),),
            ),
            make_project(
                "forecast",
                "Demand forecast",
                T,
                owner="ben",
                steps=(
                    (P, D, FORWARD, 90, ""),
                    (D, T, FORWARD, 70, ""),
                    (T, P, BACK, 50, "task too hard"),
                    (P, D, FORWARD, 30, ""),
                    (D, T, FORWARD, 25, ""),
                    (T, D, BACK, 20, "more data needed"),
                    (D, T, FORWARD, 5, ""),
                ),
            ),
            make_project(
                "search",
                "Search ranking",
                T,
                owner="caro",
                steps=((P, D, FORWARD, 40, ""), (D, T, FORWARD, 21, "")),
            ),
            make_project(
                "eta",
                "Delivery ETA",
                Y,
                owner="caro",
                steps=(
                    (T, Y, FORWARD, 30, ""),
                    (Y, T, BACK, 20, "fails in the lab"),
                    (T, Y, FORWARD, 3, ""),
                ),
            ),
            make_project(
                "autocomplete",
                "Email autocomplete",
                Y,
                owner="ana",
                archetype=HITL,
                steps=((T, Y, FORWARD, 12, ""),),
            ),
            make_project(
                "voice",
                "Voice notes summariser",
                Stage.PARKED,
                owner="ben",
                archetype=AUTO,
                checked=2,
                steps=((P, Stage.PARKED, OUTCOME, 30, "no budget"),),
            ),
            make_project(
                "forklift",
                "Autonomous forklift",
                Stage.KILLED,
                owner="dmitri",
                archetype=AUTO,
                steps=((D, Stage.KILLED, OUTCOME, 100, "failure rate"),),
            ),
            make_project(
                "spam",
                "Spam filter",
                Stage.SHIPPED,
                owner="ana",
                steps=((Y, Stage.SHIPPED, OUTCOME, 200, ""),),
            ),
            make_project(
                "tagging",
                "Image tagging",
                Stage.SHIPPED,
                owner="caro",
                archetype=HITL,
                steps=((Y, Stage.SHIPPED, OUTCOME, 45, ""),),
            ),
        )
    )


WARNINGS: Mapping[str, FindingCounts] = {
    "invoice-ocr": FindingCounts(1),
    "fraud": FindingCounts(2),
}
"""Consistency warnings per project, as the app's checks would count them."""


def generated_portfolio(count: int, stages: tuple[Stage, ...] = (P, D, T, Y)) -> Portfolio:
    """`count` projects dealt round `stages` in turn, for tall columns and big boards."""
    return Portfolio(
        projects=tuple(
            make_project(f"p{i:04d}", f"Project {i}", stages[i % len(stages)], owner="ana")
            for i in range(count)
        )
    )


class BoardApp(App[None]):
    """The board and a footer; the app records every selection the board reports."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def __init__(
        self, portfolio: Portfolio, selected: str | None, warnings: Mapping[str, FindingCounts]
    ) -> None:
        super().__init__()
        self.portfolio = portfolio
        self.initial = selected
        self.warnings = warnings
        self.messages: list[str] = []

    def compose(self) -> ComposeResult:
        yield KanbanBoard(id="board")
        yield Footer()

    def on_mount(self) -> None:
        kanban = self.query_one(KanbanBoard)
        kanban.show(board(self.portfolio, NOW, self.warnings), self.initial)
        kanban.focus()

    def on_kanban_board_selected(self, message: KanbanBoard.Selected) -> None:
        """The board moved its selection: note it, as the dashboard would."""
        self.messages.append(message.project_id)


def make_app(
    selected: str | None = "invoice-ocr",
    portfolio: Portfolio | None = None,
    warnings: Mapping[str, FindingCounts] | None = None,
) -> BoardApp:
    """The board app over `portfolio` (the hand-made one by default) with `selected` chosen."""
    if portfolio is None:
        portfolio, warnings = make_portfolio(), WARNINGS if warnings is None else warnings
    return BoardApp(portfolio, selected, warnings or {})


if __name__ == "__main__":
    if len(sys.argv) > 1:
        make_app("p0000", generated_portfolio(int(sys.argv[1]))).run()
    else:
        make_app().run()
