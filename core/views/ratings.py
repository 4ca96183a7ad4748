"""What the rating screen and the panel draw: one row per lens and cost driver.

A person rates without seeing the others first (no anchoring): until the
ratings are revealed, a row shows the project's score, their own rating and
how many others rated, never what they said. Revealed, it shows the spread
(count, lowest, median, highest), each score's count as a small histogram,
and whether the raters disagree. The widgets only lay these rows out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from core.models import Project
from core.rules.ratings import LABELS, Spread, axis_of, current_rating, median_text, spreads
from core.vocabulary import RATED_KEYS


@dataclass(frozen=True, slots=True)
class RatingRow:
    """One lens or driver on the rating screen."""

    key: str
    label: str
    axis: str
    """"impact" or "feasibility"."""
    score: int | None
    """The project's score for it now (None: unscored, or an accuracy target instead)."""
    mine: int | None
    """The viewer's rating: staged (not saved yet) or current."""
    staged: bool
    """Whether `mine` is typed but not saved yet."""
    others: int
    """How many other people rated it."""
    spread: Spread | None
    """Everyone's spread, the viewer's saved rating included; None until revealed."""

    def histogram(self) -> str:
        """Five cells, one per score 1-5: how many gave it ("·" for none), e.g. "·1·21"."""
        if self.spread is None:
            return ""
        counts = Counter(score for _, score in self.spread.raters)
        return "".join(str(counts[v]) if counts[v] < 10 else "+" for v in range(1, 6)).replace(
            "0", "·"
        )

    def spread_text(self) -> str:
        """E.g. "2–5 med 3.5 disagree", "4" when all agree, "" unrevealed or unrated."""
        if self.spread is None:
            return ""
        s = self.spread
        if s.low == s.high:
            return str(s.low)
        text = f"{s.low}–{s.high} med {median_text(s.median)}"
        return text + (" disagree" if s.disagrees else "")


def _score(project: Project, key: str) -> int | None:
    table = project.impact if axis_of(key) == "impact" else project.feasibility
    if table is None:
        return None
    value = getattr(table, key)
    return value if isinstance(value, int) else None


def rating_rows(
    project: Project, viewer: str, staged: Mapping[str, int], revealed: bool
) -> tuple[RatingRow, ...]:
    """One row per lens and cost driver, in the lecture's order, for `viewer`."""
    mine = current_rating(project, viewer)
    saved = dict(mine.scores) if mine is not None else {}
    by_key = {s.key: s for s in spreads(project)}
    rows: list[RatingRow] = []
    for key in RATED_KEYS:
        spread = by_key.get(key)
        others = sum(1 for person, _ in spread.raters if person != viewer) if spread else 0
        rows.append(
            RatingRow(
                key=key,
                label=LABELS[key],
                axis=axis_of(key),
                score=_score(project, key),
                mine=staged.get(key, saved.get(key)),
                staged=key in staged and staged[key] != saved.get(key),
                others=others,
                spread=spread if revealed else None,
            )
        )
    return tuple(rows)


def panel_lines(project: Project) -> tuple[str, ...]:
    """The spread lines the metrics panel shows under a rated project (none when unrated)."""
    lines = []
    for spread in spreads(project):
        mark = " · disagree" if spread.disagrees else ""
        lines.append(f"{LABELS[spread.key]}: {spread.text()}{mark}")
    return tuple(lines)
