"""The team's ratings of a project: each person's current scores, the spread, the team value.

Anyone may rate any lens and cost driver of a project (`core.models.Rating`);
this module reads those ratings. A `Spread` is, for one lens or driver, how
many people rated it and the lowest, median and highest score; a spread of
`DISAGREEMENT` points or more is a disagreement worth discussing. The lead
turns a spread into the project's score with `team_value` (the median) or a
value of their own, optionally keeping the spread as the score's range, so
that the grid's flip risk and the pessimistic ranking see the team's
uncertainty (`core.edits.ratings.ApplyRatings` makes that an edit).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from core.models import Project, Rating
from core.vocabulary import IMPACT_LENSES, RATED_KEYS

DISAGREEMENT = 2
"""A spread (highest minus lowest score) this wide or wider is a disagreement."""

LABELS: dict[str, str] = {key: key.replace("_", " ") for key in RATED_KEYS}
"""Each lens and driver as words, e.g. "cheap prediction"."""


def axis_of(key: str) -> str:
    """Which table a rated key scores: "impact" for a lens, "feasibility" for a driver."""
    return "impact" if key in IMPACT_LENSES else "feasibility"


@dataclass(frozen=True, slots=True)
class Spread:
    """How the current raters scored one lens or cost driver of a project."""

    key: str
    raters: tuple[tuple[str, int], ...]
    """(person, score) for each current rater of this key, in file order."""

    @property
    def count(self) -> int:
        """How many people rated it."""
        return len(self.raters)

    @property
    def low(self) -> int:
        """The lowest score given."""
        return min(score for _, score in self.raters)

    @property
    def high(self) -> int:
        """The highest score given."""
        return max(score for _, score in self.raters)

    @property
    def median(self) -> float:
        """The median score: the middle one, or halfway between the two middle ones."""
        return float(median(score for _, score in self.raters))

    @property
    def width(self) -> int:
        """Highest minus lowest score."""
        return self.high - self.low

    @property
    def disagrees(self) -> bool:
        """Whether the raters are `DISAGREEMENT` points or more apart."""
        return self.width >= DISAGREEMENT

    def text(self) -> str:
        """E.g. "3 raters, 2–5, median 3.5" ("1 rater, 4"; "2 raters, all 4")."""
        if self.count == 1:
            return f"1 rater, {self.low}"
        if self.low == self.high:
            return f"{self.count} raters, all {self.low}"
        return f"{self.count} raters, {self.low}–{self.high}, median {median_text(self.median)}"


def median_text(value: float) -> str:
    """A median as people write it: 3, or 3.5."""
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def team_value(spread: Spread) -> int:
    """The score the median rule gives: the median, a half rounded down.

    Scores are whole numbers and 5 is always the better end, so a median that
    falls between two scores takes the lower, more cautious one.
    """
    return math.floor(spread.median)


def current_ratings(project: Project) -> tuple[Rating, ...]:
    """Each person's current rating of the project (superseded ones left out), in file order."""
    return tuple(rating for rating in project.ratings if not rating.superseded)


def current_rating(project: Project, person: str) -> Rating | None:
    """`person`'s current rating of the project, if they have one."""
    return next((r for r in current_ratings(project) if r.by == person), None)


def spreads(project: Project) -> tuple[Spread, ...]:
    """The spread of every rated lens and driver, lenses first in the lecture's order."""
    current = current_ratings(project)
    found: list[Spread] = []
    for key in RATED_KEYS:
        raters = tuple((r.by, r.scores[key]) for r in current if key in r.scores)
        if raters:
            found.append(Spread(key, raters))
    return tuple(found)


def spread_of(project: Project, key: str) -> Spread | None:
    """The spread of one lens or driver, or None when nobody rated it."""
    return next((s for s in spreads(project) if s.key == key), None)


def disagreements(project: Project) -> tuple[Spread, ...]:
    """The spreads whose raters disagree (two points or more apart)."""
    return tuple(s for s in spreads(project) if s.disagrees)


def raters(project: Project) -> tuple[str, ...]:
    """Everyone with a current rating of the project, in file order."""
    return tuple(r.by for r in current_ratings(project))


def range_covers(project: Project, spread: Spread) -> bool:
    """Whether the project's score range for the key already spans the raters' spread.

    When it does, the team's uncertainty is in the score (the grid and the
    pessimistic ranking see it), so a disagreement is recorded, not open.
    """
    table = project.impact if axis_of(spread.key) == "impact" else project.feasibility
    if table is None:
        return False
    rng = table.ranges.get(spread.key)
    return rng is not None and rng.low <= spread.low and rng.high >= spread.high


def spread_line(spread: Spread) -> str:
    """E.g. "automation: 3 raters, 2–5, median 4 (ann 2, bob 5, cy 4)", for reports."""
    who = ", ".join(f"{person} {score}" for person, score in spread.raters)
    return f"{LABELS[spread.key]}: {spread.text()} ({who})"


@dataclass(frozen=True, slots=True)
class MeetingRatings:
    """Who rated one project during a meeting, and where the team disagrees on it now."""

    project_id: str
    title: str
    given: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    """(person, their scores as last rated in the meeting), in the order they rated."""
    disagreements: tuple[Spread, ...]


def meeting_ratings(
    projects: Iterable[Project], start: datetime, end: datetime
) -> tuple[MeetingRatings, ...]:
    """For each project rated between `start` and `end`, who rated what, and the disagreements.

    A person who rated twice in the meeting is listed once, with their last
    rating of it; the disagreements are the spread now (after the meeting).
    """
    found: list[MeetingRatings] = []
    for project in projects:
        latest: dict[str, Rating] = {}
        for rating in project.ratings:
            if start <= rating.at <= end:
                latest.pop(rating.by, None)
                latest[rating.by] = rating
        if latest:
            given = tuple(
                (person, tuple((k, r.scores[k]) for k in RATED_KEYS if k in r.scores))
                for person, r in latest.items()
            )
            found.append(MeetingRatings(project.id, project.title, given, disagreements(project)))
    return tuple(found)
