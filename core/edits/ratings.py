"""Ratings as edits: a person rates a project, and the lead turns the ratings into its score.

`Rate` records one person's scores for some lenses and cost drivers: their
current rating is superseded (kept, marked) by a new one holding all their
current scores. `ApplyRatings` is the lead's rule: each rated key takes the
median (`core.rules.ratings.team_value`) or a value the lead chose, and
optionally the raters' spread as its range. Both undo exactly
(`RestoreRatings`, `RestoreScores`) and replay on a newer file like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from core.edits.base import Edit, EditError, find_project, rebuild, replace_at, validation_sentence
from core.models import Feasibility, Impact, Portfolio, Project, Rating, ScoreRange
from core.rules.ratings import LABELS, axis_of, current_rating, spread_of, team_value
from core.vocabulary import RATED_KEYS


def _check_keys(keys: tuple[str, ...]) -> None:
    """Refuse a key that is not a lens or cost driver."""
    for key in keys:
        if key not in RATED_KEYS:
            raise EditError(
                f"{key!r} is not a lens or cost driver (one of {', '.join(RATED_KEYS)})"
            )


def _scores_text(scores: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{LABELS.get(key, key)} {value}" for key, value in scores)


@dataclass(frozen=True)
class Rate:
    """`by` rates the project: each (lens or driver, 1-5) in `scores` becomes their current score.

    Their other current scores carry over into the new rating; the earlier one
    stays in the file marked superseded. Rating the same scores again changes
    nothing (a script may run twice).
    """

    project_id: str
    by: str
    scores: tuple[tuple[str, int], ...]

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the new rating appended and the person's previous one superseded."""
        if not self.scores:
            raise EditError("a rating needs at least one score, e.g. automation=4")
        _check_keys(tuple(key for key, _ in self.scores))
        index, project = find_project(portfolio, self.project_id)
        previous = current_rating(project, self.by)
        merged: dict[str, Any] = dict(previous.scores) if previous is not None else {}
        merged.update(self.scores)
        if previous is not None and merged == previous.scores:
            return portfolio  # the same scores again: nothing to record
        kept = [
            r.model_copy(update={"superseded": True}) if r is previous else r
            for r in project.ratings
        ]
        try:
            new = Rating.model_validate({"by": self.by, "at": now, "scores": merged})
        except ValidationError as error:
            raise EditError(f"{self.project_id}: rating: {validation_sentence(error)}") from None
        rebuilt = rebuild(project, {"ratings": (*kept, new)}, now, user)
        return replace_at(portfolio, index, rebuilt)

    def inverse(self, before: Portfolio) -> Edit:
        """Put the ratings back as they were."""
        _, project = find_project(before, self.project_id)
        return RestoreRatings(self.project_id, project.ratings)

    def describe(self) -> str:
        """E.g. 'bob rated churn automation 4, data availability 2'."""
        return f"{self.by} rated {self.project_id} {_scores_text(self.scores)}"


@dataclass(frozen=True)
class RestoreRatings:
    """Set a project's ratings to exactly these (the undo of a rating)."""

    project_id: str
    ratings: tuple[Rating, ...] = field(hash=False)

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the project's ratings replaced."""
        index, project = find_project(portfolio, self.project_id)
        return replace_at(portfolio, index, rebuild(project, {"ratings": self.ratings}, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Restore the ratings as they were before."""
        _, project = find_project(before, self.project_id)
        return RestoreRatings(self.project_id, project.ratings)

    def describe(self) -> str:
        """E.g. 'restore the ratings of churn'."""
        return f"restore the ratings of {self.project_id}"


@dataclass(frozen=True)
class ApplyRatings:
    """The lead's rule: each key takes the raters' median, or the value chosen for it.

    `keys` names the lenses and drivers to set (empty: every rated one);
    `chosen` overrides the median for some of them; with `with_range` the
    score's range becomes the raters' spread (widened to hold a chosen value
    outside it; no range when everyone agreed). Without it, an existing range
    stays when it still holds the new score and is dropped otherwise.
    """

    project_id: str
    keys: tuple[str, ...] = ()
    chosen: tuple[tuple[str, int], ...] = ()
    with_range: bool = False

    def _values(self, project: Project) -> list[tuple[str, int, ScoreRange | None]]:
        """(key, score, range) for each key to set, or EditError when one has no ratings."""
        _check_keys(self.keys)
        _check_keys(tuple(key for key, _ in self.chosen))
        chosen = dict(self.chosen)
        wanted = self.keys or tuple(key for key in RATED_KEYS if spread_of(project, key))
        wanted = (*wanted, *(key for key in chosen if key not in wanted))
        if not wanted:
            raise EditError(f"nobody has rated {self.project_id} yet")
        values: list[tuple[str, int, ScoreRange | None]] = []
        for key in wanted:
            spread = spread_of(project, key)
            if key in chosen:
                value = chosen[key]
            elif spread is not None:
                value = team_value(spread)
            else:
                raise EditError(f"nobody has rated {LABELS[key]} of {self.project_id}")
            if not 1 <= value <= 5:
                raise EditError(f"{LABELS[key]}: a score is 1 to 5 (got {value})")
            rng: ScoreRange | None = None
            if self.with_range and spread is not None:
                low, high = min(spread.low, value), max(spread.high, value)
                rng = ScoreRange(low=low, high=high) if low < high else None
            values.append((key, value, rng))
        return values

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the project's scores (and ranges) set from the ratings."""
        index, project = find_project(portfolio, self.project_id)
        tables: dict[str, dict[str, Any]] = {
            "impact": (project.impact or Impact()).model_dump(),
            "feasibility": (project.feasibility or Feasibility()).model_dump(),
        }
        touched: set[str] = set()
        for key, value, rng in self._values(project):
            table = tables[axis_of(key)]
            touched.add(axis_of(key))
            table[key] = value
            if key == "accuracy_requirement":
                table["accuracy_target"] = None  # a score replaces a stated target
            old = table["ranges"].get(key)
            if self.with_range or (old is not None and not old["low"] <= value <= old["high"]):
                table["ranges"].pop(key, None)
            if rng is not None:
                table["ranges"][key] = rng.model_dump()
        updates = {axis: tables[axis] for axis in touched}
        return replace_at(portfolio, index, rebuild(project, updates, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Put both score tables back as they were."""
        _, project = find_project(before, self.project_id)
        return RestoreScores(self.project_id, project.impact, project.feasibility)

    def describe(self) -> str:
        """E.g. 'apply the ratings' median to churn' or '... with their range'."""
        rule = f"ratings ({_scores_text(self.chosen)} chosen)" if self.chosen else "ratings' median"
        which = f" {', '.join(LABELS.get(k, k) for k in self.keys)} of" if self.keys else ""
        ranged = " with their range" if self.with_range else ""
        return f"apply the {rule} to{which} {self.project_id}{ranged}"


@dataclass(frozen=True)
class RestoreScores:
    """Set a project's impact and feasibility tables to exactly these (the undo of a rule)."""

    project_id: str
    impact: Impact | None = field(hash=False)
    feasibility: Feasibility | None = field(hash=False)

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the project's two score tables replaced."""
        index, project = find_project(portfolio, self.project_id)
        updates = {"impact": self.impact, "feasibility": self.feasibility}
        return replace_at(portfolio, index, rebuild(project, updates, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Restore the tables as they were before."""
        _, project = find_project(before, self.project_id)
        return RestoreScores(self.project_id, project.impact, project.feasibility)

    def describe(self) -> str:
        """E.g. 'restore the scores of churn'."""
        return f"restore the scores of {self.project_id}"
