"""Three-way merge of two portfolios by meaning, as git's merge driver needs it.

`merge(base, ours, theirs)` combines the changes each side made since their
common ancestor, value by value, instead of line by line:

- projects are matched by id, metrics, baselines and models by name, tags by
  themselves: changes to different entries, and entries added on either side,
  combine; an entry one side removed goes unless the other side changed it;
- inside an entry, fields merge one by one (nested tables and score ranges too);
  a field changed on one side only takes that side's value;
- a project's `updated_at` / `updated_by` move as a pair and take the later
  side, `triaged_at` the later time;
- histories interleave by time, identical entries kept once.

What cannot be combined is a conflict: a field both sides set to different
values, a project (or metric, model, ...) one side removed and the other
changed, a merged entry that breaks a rule of the model (two optimising
metrics, an accuracy requirement and target), a merged history that does not
chain or does not end at the merged stage. Each conflict becomes a
`MergeConflict` record and ours is kept in place, so the result is always a
valid `Portfolio`. Pure: no I/O, no clock.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ValidationError

from core.models import MergeConflict, Portfolio, Project, Rating, Settings, Transition

__all__ = ["ABSENT_TEXT", "MergeResult", "merge", "render_value"]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class _Absent:
    """Stands for "this side has no such entry"; never equal to a value."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = _Absent()
ABSENT_TEXT: Final = "(absent)"
"""How a missing value is written in a conflict record."""

_MAX_TEXT = 20_000
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_PAIR: Final = ("updated_at", "updated_by")


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged portfolio and the conflicts this merge found (also in `portfolio.conflicts`)."""

    portfolio: Portfolio
    conflicts: tuple[MergeConflict, ...]

    @property
    def clean(self) -> bool:
        """Whether the merge needs no person: no conflict, new or carried over."""
        return not self.portfolio.conflicts


def render_value(value: object) -> str:
    """A value as the text a conflict record shows: strings as they are, the rest as JSON."""
    if value is ABSENT:
        return ABSENT_TEXT
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _plain(value: object) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return value.value
    return value


def _part(key: object) -> str:
    text = str(key)
    return text if _BARE.match(text) else json.dumps(text, ensure_ascii=False)


class _Merger:
    """One merge's state: the conflicts found so far."""

    def __init__(self) -> None:
        self.conflicts: list[MergeConflict] = []

    def conflict(self, path: str, reason: str, base: object, ours: object, theirs: object) -> None:
        self.conflicts.append(
            MergeConflict(
                path=path,
                reason=reason,
                base=render_value(base),
                ours=render_value(ours),
                theirs=render_value(theirs),
            )
        )

    # -- values --------------------------------------------------------------------------

    def value(self, path: str, base: object, ours: object, theirs: object) -> object:
        """One field's merged value: a side's change, a deeper merge, or ours with a conflict."""
        if ours == theirs:
            return ours
        if ours == base:
            return theirs
        if theirs == base:
            return ours
        if isinstance(ours, BaseModel) and type(theirs) is type(ours):
            old = base if type(base) is type(ours) else ABSENT
            return self.model(path, old, ours, theirs)
        if isinstance(ours, tuple) and isinstance(theirs, tuple):
            return self.sequence(path, base, ours, theirs)
        if isinstance(ours, dict) and isinstance(theirs, dict):
            return self.table(path, base if isinstance(base, dict) else {}, ours, theirs)
        self.conflict(path, "both sides changed it", base, ours, theirs)
        return ours

    def sequence(
        self, path: str, base: object, ours: tuple[Any, ...], theirs: tuple[Any, ...]
    ) -> tuple[Any, ...]:
        old: tuple[Any, ...] = base if isinstance(base, tuple) else ()
        items = (*old, *ours, *theirs)
        if items and all(isinstance(i, Transition) for i in items):
            return _history(old, ours, theirs)
        if items and all(isinstance(i, Rating) for i in items):
            return _ratings(old, ours, theirs)
        if items and all(isinstance(i, BaseModel) and hasattr(i, "name") for i in items):
            return tuple(self.keyed(path, old, ours, theirs, key=lambda item: item.name))
        if all(isinstance(i, Hashable) for i in items):
            return tuple(self.keyed(path, old, ours, theirs, key=lambda item: item))
        self.conflict(path, "both sides changed it", base, ours, theirs)
        return ours

    def table(
        self, path: str, base: dict[Any, Any], ours: dict[Any, Any], theirs: dict[Any, Any]
    ) -> dict[Any, Any]:
        merged: dict[Any, Any] = {}
        for key in sorted({*base, *ours, *theirs}, key=str):
            value = self.entry(
                f"{path}.{_part(key)}",
                base.get(key, ABSENT),
                ours.get(key, ABSENT),
                theirs.get(key, ABSENT),
                self.value,
            )
            if value is not ABSENT:
                merged[key] = value
        return merged

    def entry(
        self,
        path: str,
        base: Any,
        ours: Any,
        theirs: Any,
        both: Callable[[str, Any, Any, Any], Any],
    ) -> Any:
        """A keyed entry that either side may have added or removed; ABSENT when it goes."""
        if ours is ABSENT and theirs is ABSENT:
            return ABSENT
        if ours is ABSENT or theirs is ABSENT:
            kept, other_side = (theirs, "ours") if ours is ABSENT else (ours, "theirs")
            if base is ABSENT:
                return kept  # added on one side
            if kept == base:
                return ABSENT  # removed on the other side, unchanged here
            self.conflict(
                path, f"removed in {other_side}, changed in the other", base, ours, theirs
            )
            return kept
        if ours == theirs:
            return ours
        if base is not ABSENT and ours == base:
            return theirs
        if base is not ABSENT and theirs == base:
            return ours
        return both(path, base, ours, theirs)

    def keyed(
        self,
        path: str,
        base: Sequence[T],
        ours: Sequence[T],
        theirs: Sequence[T],
        *,
        key: Callable[[T], Hashable],
        both: Callable[[str, Any, Any, Any], Any] | None = None,
    ) -> list[T]:
        """A list of entries with a key each, merged entry by entry, in a merged order."""
        by_base = {key(i): i for i in base}
        by_ours = {key(i): i for i in ours}
        by_theirs = {key(i): i for i in theirs}
        order = _order([key(i) for i in base], [key(i) for i in ours], [key(i) for i in theirs])
        merged: list[T] = []
        for k in order:
            value = self.entry(
                f"{path}.{_part(k)}",
                by_base.get(k, ABSENT),
                by_ours.get(k, ABSENT),
                by_theirs.get(k, ABSENT),
                both or self.value,
            )
            if value is not ABSENT:
                merged.append(value)
        return merged

    def model(self, path: str, base: Any, ours: M, theirs: M) -> M:
        """Two versions of a model merged field by field, then validated as a whole."""
        fields: dict[str, Any] = {}
        for name in type(ours).model_fields:
            old = getattr(base, name) if base is not ABSENT else ABSENT
            fields[name] = self.value(
                f"{path}.{name}", old, getattr(ours, name), getattr(theirs, name)
            )
        return self.validated(path, type(ours), fields, base=base, ours=ours, theirs=theirs)

    def validated(
        self, path: str, cls: type[M], fields: dict[str, Any], *, base: Any, ours: M, theirs: M
    ) -> M:
        try:
            return cls.model_validate(fields)
        except ValidationError as error:
            first = error.errors()[0]
            reason = f"the merged values break a rule: {first['msg']}"
            self.conflict(path, reason[:500], base, ours, theirs)
            return ours

    # -- projects ------------------------------------------------------------------------

    def project(self, path: str, base: Any, ours: Project, theirs: Project) -> Project:
        """A project both sides changed: the stamps by time, the rest field by field."""
        at_ours = (ours.updated_at, ours.updated_by)
        at_theirs = (theirs.updated_at, theirs.updated_by)
        at_base = (base.updated_at, base.updated_by) if base is not ABSENT else None
        if at_ours == at_base:
            later = at_theirs
        elif at_theirs == at_base:
            later = at_ours
        else:
            later = max(at_ours, at_theirs, key=_stamp_key)
        before = len(self.conflicts)
        fields: dict[str, Any] = dict(zip(_PAIR, later, strict=True))
        for name in Project.model_fields:
            if name in _PAIR:
                continue
            old = getattr(base, name) if base is not ABSENT else ABSENT
            mine, yours = getattr(ours, name), getattr(theirs, name)
            if name == "triaged_at" and None not in (mine, yours) and old not in (mine, yours):
                fields[name] = max(mine, yours)  # the later triage decision
                continue
            fields[name] = self.value(f"{path}.{name}", old, mine, yours)
        stage_conflict = any(c.path == f"{path}.stage" for c in self.conflicts[before:])
        if stage_conflict:
            fields["history"] = ours.history  # ours' stage with ours' own moves
        merged = self.validated(path, Project, fields, base=base, ours=ours, theirs=theirs)
        if merged is ours or stage_conflict:
            return merged
        problem = _history_problem(merged)
        sides_fine = _history_problem(ours) is None and _history_problem(theirs) is None
        if problem is not None and sides_fine:
            self.conflict(f"{path}.{problem[0]}", problem[1], base, ours, theirs)
            return ours
        return merged


def _stamp_key(pair: tuple[datetime | None, str]) -> tuple[bool, datetime | str, str]:
    at, by = pair
    return (at is not None, at.isoformat() if at is not None else "", by)


def _history(
    base: tuple[Transition, ...], ours: tuple[Transition, ...], theirs: tuple[Transition, ...]
) -> tuple[Transition, ...]:
    """Both sides' entries by time, each once; an entry of base either side dropped goes."""
    dropped = {t for t in base if t not in ours or t not in theirs}
    kept = {t for t in (*ours, *theirs) if t not in dropped}
    return tuple(sorted(kept, key=_transition_key))


def _rating_key(rating: Rating) -> tuple[str, str, tuple[tuple[str, int], ...]]:
    """A rating's identity, whether or not a side has marked it superseded since."""
    return (rating.at.isoformat(), rating.by, tuple(sorted(rating.scores.items())))


def _ratings(
    base: tuple[Rating, ...], ours: tuple[Rating, ...], theirs: tuple[Rating, ...]
) -> tuple[Rating, ...]:
    """Both sides' ratings by time, each once; each person's latest is their current one.

    A rating of base either side dropped (an undo) goes, as in the history.
    """
    base_keys = {_rating_key(r) for r in base}
    ours_keys = {_rating_key(r) for r in ours}
    theirs_keys = {_rating_key(r) for r in theirs}
    dropped = {key for key in base_keys if key not in ours_keys or key not in theirs_keys}
    kept: dict[tuple[str, str, tuple[tuple[str, int], ...]], Rating] = {}
    for rating in (*ours, *theirs):
        key = _rating_key(rating)
        if key not in dropped:
            kept.setdefault(key, rating)
    ordered = sorted(kept.values(), key=_rating_key)
    latest = {rating.by: index for index, rating in enumerate(ordered)}
    return tuple(
        rating.model_copy(update={"superseded": latest[rating.by] != index})
        for index, rating in enumerate(ordered)
    )


def _transition_key(entry: Transition) -> tuple[str, ...]:
    return (
        entry.at.isoformat(),
        entry.by,
        entry.from_stage.value,
        entry.to_stage.value,
        entry.kind.value,
        entry.reason,
        str(entry.checklist_override),
    )


def _history_problem(project: Project) -> tuple[str, str] | None:
    """Where a merged history contradicts itself or the stage, as (field, reason); None if fine."""
    history = project.history
    for earlier, later in itertools.pairwise(history):
        if earlier.to_stage != later.from_stage:
            return (
                "history",
                f"the merged history does not chain: a move to {earlier.to_stage.value}"
                f" is followed by a move from {later.from_stage.value}",
            )
    if history and history[-1].to_stage != project.stage:
        return (
            "stage",
            f"the merged stage {project.stage.value} disagrees with the history,"
            f" whose last move is to {history[-1].to_stage.value}",
        )
    return None


def _order(base: list[Hashable], ours: list[Hashable], theirs: list[Hashable]) -> list[Hashable]:
    """Every key either side has, in a merged order.

    A side that kept base's keys in base's order defers to the other side's
    order. Otherwise base's order stands, and each side's new keys follow the
    base key they follow on that side; when both sides add different keys at
    one place they go in key order, so the result does not depend on which
    side is ours.
    """
    if ours in (base, theirs):
        return theirs + [k for k in base if k not in set(theirs)]
    if theirs == base:
        return ours + [k for k in base if k not in set(ours)]
    known = set(base)
    added: dict[Hashable | None, list[list[Hashable]]] = {}
    for side in (ours, theirs):
        runs: dict[Hashable | None, list[Hashable]] = {}
        anchor: Hashable | None = None
        for k in side:
            if k in known:
                anchor = k
            else:
                runs.setdefault(anchor, []).append(k)
        for spot, run in runs.items():
            added.setdefault(spot, []).append(run)
    result: list[Hashable] = []
    for anchor in (None, *base):
        if anchor is not None:
            result.append(anchor)
        found = added.get(anchor, [])
        if len(found) == 1 or (len(found) == 2 and found[0] == found[1]):
            result.extend(found[0])
        elif found:
            result.extend(sorted({k for run in found for k in run}, key=str))
    unique: list[Hashable] = []
    seen: set[Hashable] = set()
    for k in result:
        if k not in seen:
            seen.add(k)
            unique.append(k)
    return unique


def merge(base: Portfolio, ours: Portfolio, theirs: Portfolio) -> MergeResult:
    """Merge the changes `ours` and `theirs` made to `base`; conflicts recorded, ours kept.

    The result is a valid portfolio whatever happens; its `conflicts` hold
    this merge's conflicts after any either side carried in unresolved.
    """
    if theirs in (ours, base):
        return MergeResult(ours, ())
    if ours == base:
        return MergeResult(theirs, ())
    merger = _Merger()
    settings = merger.value("settings", base.settings, ours.settings, theirs.settings)
    assert isinstance(settings, Settings)
    projects = merger.keyed(
        "projects",
        base.projects,
        ours.projects,
        theirs.projects,
        key=lambda project: project.id,
        both=merger.project,
    )
    carried = merger.keyed(
        "conflicts", base.conflicts, ours.conflicts, theirs.conflicts, key=lambda c: c
    )
    found = tuple(merger.conflicts)
    portfolio = Portfolio.model_validate(
        {
            "schema_version": ours.schema_version,
            "conflicts": (*carried, *found),
            "settings": settings,
            "projects": tuple(projects),
        }
    )
    return MergeResult(portfolio, found)
