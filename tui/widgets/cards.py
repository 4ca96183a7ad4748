"""One kanban card, line by line, as styled runs for the board to turn into strips.

A card is four lines: the top border with the title, the owner and archetype,
the marks ("?" when unscored, loops, days in stage, open checklist items,
warnings), and the
bottom border.
"""

from __future__ import annotations

from typing import Final

from rich.cells import cell_len

from core.views.board import Card
from core.vocabulary import Archetype
from tui.text import plain
from tui.widgets.lines import Run, fit

CARD_HEIGHT: Final = 4
"""Lines per card: top border with the title, owner line, marks line, bottom border."""

ARCHETYPE_SHORT: Final[dict[Archetype, str]] = {
    Archetype.SOFTWARE_2_0: "sw2.0",
    Archetype.HUMAN_IN_THE_LOOP: "HITL",
    Archetype.AUTONOMOUS: "auto",
}
"""Archetypes as they fit on a card."""

_LIGHT = ("┌", "─", "┐", "│", "└", "┘")
"""Card borders: top left, top, top right, side, bottom left, bottom right."""
_HEAVY_TOP = ("┏", "━", "┓")
"""The selected card's top border: heavy, so the selection shows without colour too."""


def _marks(card: Card, width: int) -> list[Run]:
    """The card's marks ("↺2 14d ☐3 ⚠1 i2": 1 warning, 2 infos, as
    `core.rules.finding_counts` writes them), led by "?" for an unscored project; when short
    of room, days go first, findings and the "?" last."""
    pieces: list[tuple[int, str, str]] = [(0, "?", "warning")] if card.unscored else []
    pieces.append((2, f"↺{card.loops}", "" if card.loops else "muted"))
    if card.days_in_stage is not None:
        pieces.append((3, f"{card.days_in_stage}d", "muted"))
    if card.open_checklist:
        pieces.append((1, f"☐{card.open_checklist}", ""))
    if card.warnings:
        pieces.append((0, f"⚠{card.warnings}", "warning"))
    if card.infos:
        pieces.append((0, f"i{card.infos}", "muted"))
    while sum(cell_len(text) + 1 for _, text, _ in pieces) - 1 > width:
        pieces.remove(max(pieces))
    runs: list[Run] = []
    for _, text, role in pieces:
        runs += [(" ", ""), (text, role)] if runs else [(text, role)]
    return runs


def _owner_runs(owner: str, kind: str, width: int) -> list[Run]:
    """ "owner · kind", tightened to "owner kind" and then a cropped owner as room runs out."""
    room = width - cell_len(kind)
    if owner and cell_len(owner) + 3 <= room:
        return [(owner, ""), (f" · {kind}", "muted")]
    if owner and min(cell_len(owner), 3) + 1 <= room:
        return [(fit(owner, room - 1), ""), (f" {kind}", "muted")]
    return [(fit(kind, width), "muted")]


def card_runs(
    card: Card, part: int, width: int, *, selected: bool, outcome: bool, changed: bool = False
) -> list[Run]:
    """One line (`part` 0-3) of a card drawn `width` cells wide, as styled runs.

    Selection shows on the title line alone (heavy, "▶", the selected style), so
    moving it repaints two lines rather than two whole cards: `selected` only
    changes part 0. A changed card shows "◆" before its title instead of "▶".
    """
    selected = selected and part == 0
    ul, h, ur = _HEAVY_TOP if selected else _LIGHT[:3]
    v, ll, lr = _LIGHT[3:]  # the bottom border (part 3) draws `h`: light, as `selected` is False
    edge = "selected" if selected else "outcome" if outcome else "card"
    inner = width - 4
    if inner < 1:
        text = fit(plain(card.title), width) if part == 0 else ""
        return [(text, "selected" if selected else "title")]
    if part == 0:
        title = fit(plain(card.title), inner)
        tail = h * (inner - cell_len(title)) + ur
        mark = "◆" if changed else "▶" if selected else " "
        head = [(ul, edge), (mark, "changed")] if changed else [(ul + mark, edge)]
        return [*head, (title, "selected" if selected else "title"), (" " + tail, edge)]
    if part == 3:
        return [(ll + h * (width - 2) + lr, edge)]
    if part == 1:
        body = _owner_runs(plain(card.owner), ARCHETYPE_SHORT[card.archetype], inner)
    else:
        body = _marks(card, inner)
    used = sum(cell_len(text) for text, _ in body)
    return [(v + " ", edge), *body, (" " * (inner - used) + " " + v, edge)]
