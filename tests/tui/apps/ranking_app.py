"""A tiny app around the ranking table, with a hand-made portfolio covering its cases.

Built by `make_app()` for Pilot and snapshot tests; run this file directly to
look at it (s sorts, / searches, F filters, q quits).
"""

from __future__ import annotations

from typing import ClassVar

from factories import EARLIER
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from core.models import Feasibility, Impact, Portfolio, Project, ScoreRange, Settings, Stage
from core.rules.consistency import check_portfolio
from core.views import ranking as table
from core.vocabulary import Archetype
from tui.widgets.ranking import RankingTable

"""The fixed clock the consistency findings are computed at."""

HOSTILE_CLICK = "[@click=app.quit]x[/]"
HOSTILE_CLOSE = "A/B test [/]"
WIP_TITLE = "[WIP] ER triage"

SA, HL, AU = Archetype.SOFTWARE_2_0, Archetype.HUMAN_IN_THE_LOOP, Archetype.AUTONOMOUS


def project(
    pid: str,
    title: str,
    *,
    impact: int,
    feasibility: int,
    stage: Stage = Stage.PLANNING,
    owner: str = "",
    archetype: Archetype = SA,
    tags: tuple[str, ...] = (),
    feasibility_range: tuple[int, int] | None = None,
) -> Project:
    """A project whose impact lenses all equal `impact` and cost drivers all `feasibility`."""
    ranges = {}
    if feasibility_range is not None:
        ranges["data_availability"] = ScoreRange(
            low=feasibility_range[0], high=feasibility_range[1]
        )
    return Project(
        id=pid,
        title=title,
        owner=owner,
        stage=stage,
        archetype=archetype,
        tags=tags,
        impact=Impact(
            cheap_prediction=impact,
            product_friction=impact,
            automation=impact,
            industry_precedent=impact,
        ),
        feasibility=Feasibility(
            data_availability=feasibility,
            accuracy_requirement=feasibility,
            problem_difficulty=feasibility,
            ranges=ranges,
        ),
    )


def make_portfolio() -> Portfolio:
    """Eight projects across stages, owners, tags, archetypes and quadrants."""
    return Portfolio(
        settings=Settings(name="Demo"),
        projects=(
            project(
                "fraud",
                "Card fraud detection",
                impact=5,
                feasibility=4,
                stage=Stage.TRAINING,
                owner="ana",
                tags=("risk", "tabular"),
            ),
            project(
                "churn",
                "Churn prediction",
                impact=4,
                feasibility=4,
                stage=Stage.DATA,
                owner="bo",
                tags=("tabular",),
            ),
            project(
                "hostile",
                HOSTILE_CLICK,
                impact=3,
                feasibility=3,
                stage=Stage.DEPLOYMENT,
                owner="ana",
                tags=("nlp",),
                feasibility_range=(2, 4),
            ),
            project(
                "ab-test",
                HOSTILE_CLOSE,
                impact=2,
                feasibility=5,
                stage=Stage.SHIPPED,
                owner="chen",
                archetype=HL,
            ),
            project(
                "triage",
                WIP_TITLE,
                impact=5,
                feasibility=2,
                stage=Stage.PLANNING,
                owner="dee",
                archetype=HL,
                tags=("nlp", "health"),
            ),
            project(
                "driving",
                "Self-driving forklift",
                impact=4,
                feasibility=1,
                stage=Stage.PARKED,
                owner="bo",
                archetype=AU,
                tags=("vision",),
            ),
            project(
                "search",
                "Document search ranking",
                impact=3,
                feasibility=4,
                stage=Stage.TRAINING,
                owner="chen",
                tags=("nlp",),
            ),
            project(
                "captions",
                "Auto-captioning for support videos",
                impact=1,
                feasibility=2,
                stage=Stage.KILLED,
                archetype=AU,
                tags=("vision", "nlp"),
            ),
        ),
    )


class RankingApp(App[None]):
    """Just the ranking table and a footer; records every selection it is told about."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def __init__(self, portfolio: Portfolio) -> None:
        super().__init__()
        self.portfolio = portfolio
        self.selections: list[str] = []
        """Project ids from `RankingTable.Selected`, in the order they arrived."""

    def compose(self) -> ComposeResult:
        yield RankingTable(id="ranking")
        yield Footer()

    def on_mount(self) -> None:
        ranking = self.query_one(RankingTable)
        ranking.show(self.rows(), None)
        ranking.focus_table()

    def rows(self) -> tuple[table.RankRow, ...]:
        """The portfolio's rows, computed the way the real app does."""
        return table.rank_rows(self.portfolio, check_portfolio(self.portfolio, EARLIER))

    def on_ranking_table_selected(self, message: RankingTable.Selected) -> None:
        """Remember what the user picked."""
        self.selections.append(message.project_id)


def make_app(portfolio: Portfolio | None = None) -> RankingApp:
    """The ranking app on `portfolio`, by default the hand-made one."""
    return RankingApp(make_portfolio() if portfolio is None else portfolio)


if __name__ == "__main__":
    make_app().run()
