"""The board card draws "?" on its marks line for an unscored project (issue 11, item 4)."""

from __future__ import annotations

from core.models import Stage
from core.views.board import Card
from core.vocabulary import Archetype
from tui.widgets.cards import card_runs


def _card(*, unscored: bool) -> Card:
    return Card(
        project_id="p",
        title="P",
        owner="o",
        archetype=Archetype.SOFTWARE_2_0,
        stage=Stage.PLANNING,
        loops=0,
        days_in_stage=3,
        open_checklist=2,
        warnings=1,
        unscored=unscored,
    )


def _marks(card: Card, width: int = 24) -> str:
    return "".join(text for text, _ in card_runs(card, 2, width, selected=False, outcome=False))


def test_an_unscored_card_shows_a_question_mark() -> None:
    assert "? ↺0" in _marks(_card(unscored=True))
    assert "?" not in _marks(_card(unscored=False))


def test_the_mark_stays_when_room_is_short() -> None:
    narrow = _marks(_card(unscored=True), width=10)
    assert "?" in narrow
    assert len(narrow) == 10
