"""A board card knows whether its project was ever scored (issue 11, item 4)."""

from __future__ import annotations

from factories import EARLIER, portfolio, project

from core.models import Feasibility, Impact
from core.views.board import board
from core.views.dashboard import build_dashboard


def test_a_card_is_unscored_until_both_axes_are_scored() -> None:
    fresh = project("fresh")
    half = project("half", impact=Impact())
    scored = project("scored", impact=Impact(), feasibility=Feasibility())
    columns = board(portfolio(fresh, half, scored), EARLIER)
    cards = {c.project_id: c for column in columns for c in column.cards}
    assert cards["fresh"].unscored
    assert cards["half"].unscored
    assert not cards["scored"].unscored


def test_the_dashboard_cards_carry_the_mark_too() -> None:
    dash = build_dashboard(portfolio(project("fresh")), EARLIER)
    assert [c.unscored for column in dash.columns for c in column.cards] == [True]
