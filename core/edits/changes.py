"""Every change to a portfolio as a small immutable value with a pure `apply` and its undo.

An edit is data: the app keeps a stack of them for undo and redo, the command
line builds them from arguments, and when the file changed on disk since it
was read, the pending edit is re-applied to what is on disk rather than
overwriting it. `apply(portfolio, now, user)` never mutates; it returns a new
portfolio, stamping every project it changes with `updated_at = now` and
`updated_by = user`.

Undo contract: `edit.inverse(before)` is computed from the portfolio before
`edit` is applied, and `inverse.apply(edit.apply(before, ...), ...)` gives back
every project value of `before` exactly, except `updated_at` and `updated_by`,
which record the undo itself.

Item edits (metrics, baselines, models) live in `core.edits.items` and are
re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeAlias, get_args

from pydantic import BaseModel, ValidationError

from core.edits.base import (
    Edit,
    EditError,
    field_values,
    find_project,
    insert_at,
    rebuild,
    remove_at,
    replace_at,
    require_free_id,
    show,
    validation_sentence,
)
from core.edits.items import DropItem, PutItem, RecordScores, RestoreItems, SetItems
from core.edits.ratings import ApplyRatings, Rate, RestoreRatings, RestoreScores
from core.models import Portfolio, Project, Settings, Stage, Transition
from core.rules.lifecycle import MoveError, plan_move

__all__ = [
    "AddProject",
    "AnyEdit",
    "ApplyRatings",
    "DropItem",
    "DuplicateProject",
    "Edit",
    "EditError",
    "MoveProject",
    "PutItem",
    "Rate",
    "RecordScores",
    "RedoMove",
    "RemoveProject",
    "RenameProject",
    "RestoreItems",
    "RestoreRatings",
    "RestoreScores",
    "SetField",
    "SetItems",
    "SetSetting",
    "UndoMove",
    "validation_sentence",
]

_PROTECTED = {
    "id": "rename the project instead",
    "stage": "move the project instead",
    "history": "history changes only by moving the project",
    "updated_at": "every edit sets it",
    "updated_by": "every edit sets it",
}
"""Project fields SetField refuses, with what to do instead."""


def _split(path: str) -> list[str]:
    """A dotted path's parts, refusing empty ones."""
    parts = path.split(".")
    if not path or any(not part for part in parts):
        raise EditError(f"{path!r} is not a field path (write e.g. impact.cheap_prediction)")
    return parts


def _get(current: Any, parts: list[str], missing: str) -> Any:
    """The value at `parts` inside a model; None for a dict key that is not there."""
    for depth, part in enumerate(parts):
        if isinstance(current, BaseModel):
            if part not in type(current).model_fields:
                raise EditError(missing)
            current = getattr(current, part)
        elif isinstance(current, dict):
            if part not in current:
                if depth == len(parts) - 1:
                    return None
                raise EditError(missing)
            current = current[part]
        else:
            raise EditError(missing)
    return current


def _set(current: Any, parts: list[str], value: Any, missing: str) -> Any:
    """`current` with the value at `parts` replaced, as plain data for the parent to validate.

    Setting a dict key to None removes the key: that is how a range or an
    archetype note is cleared.
    """
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(current, BaseModel):
        if head not in type(current).model_fields:
            raise EditError(missing)
        data = field_values(current)
        data[head] = _set(getattr(current, head), rest, value, missing)
        return data
    if isinstance(current, dict):
        updated = dict(current)
        if not rest:
            if value is None:
                updated.pop(head, None)
            else:
                updated[head] = value
            return updated
        if head not in current:
            raise EditError(missing)
        updated[head] = _set(current[head], rest, value, missing)
        return updated
    raise EditError(missing)


def _blank(field: str) -> BaseModel:
    """A fresh table for a project field that is unset (None), e.g. an unscored impact.

    Setting one lens of an unscored impact starts the table at its defaults
    (every other lens the neutral 3), which the editor then shows.
    """
    annotation = Project.model_fields[field].annotation
    for kind in get_args(annotation):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind()
    raise EditError(f"a project has no table {field!r}")


def _stage(value: Stage | str) -> Stage:
    """A stage from its name, or EditError naming the stages."""
    try:
        return Stage(value)
    except ValueError:
        names = ", ".join(stage.value for stage in Stage)
        raise EditError(f"{value!r} is not a stage (one of {names})") from None


def _describe_set(target: str, path: str, value: Any) -> str:
    """E.g. 'set fraud-detection impact.automation to 4' or 'clear ... of ...'."""
    if value is None:
        return f"clear {path} of {target}"
    return f"set {target} {path} to {show(value)}"


@dataclass(frozen=True)
class SetField:
    """Set one value inside a project by dotted path, e.g. 'impact.cheap_prediction'.

    Values are validated in pydantic's lax mode, so the string "4" sets a score
    to 4. None clears an optional field, or removes a key from a dict field
    ('impact.ranges.automation'). The id, stage and history have their own edits.
    """

    project_id: str
    path: str
    value: Any = field(hash=False)

    def _parts(self) -> list[str]:
        parts = _split(self.path)
        if parts[0] in _PROTECTED:
            raise EditError(f"{parts[0]} cannot be set directly: {_PROTECTED[parts[0]]}")
        return parts

    def _missing(self) -> str:
        return f"a project has no field {self.path!r}"

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the value set; refuses unknown paths and invalid values."""
        parts = self._parts()
        index, project = find_project(portfolio, self.project_id)
        if parts[0] not in Project.model_fields:
            raise EditError(self._missing())
        current = getattr(project, parts[0])
        if current is None and len(parts) > 1:
            current = _blank(parts[0])
        top = _set(current, parts[1:], self.value, self._missing())
        return replace_at(portfolio, index, rebuild(project, {parts[0]: top}, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Set the previous value back (None when a dict key was absent)."""
        parts = self._parts()
        _, project = find_project(before, self.project_id)
        if getattr(project, parts[0], "") is None:  # e.g. an unscored impact: unset it again
            return SetField(self.project_id, parts[0], None)
        return SetField(self.project_id, self.path, _get(project, parts, self._missing()))

    def describe(self) -> str:
        """E.g. 'set fraud-detection impact.automation to 4'."""
        return _describe_set(self.project_id, self.path, self.value)


@dataclass(frozen=True)
class SetSetting:
    """Set one portfolio setting by dotted path, e.g. 'quadrant_names.avoid'."""

    path: str
    value: Any = field(hash=False)

    def _missing(self) -> str:
        return f"there is no setting {self.path!r}"

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the setting changed; projects are untouched."""
        data = _set(portfolio.settings, _split(self.path), self.value, self._missing())
        try:
            settings = Settings.model_validate(data)
        except ValidationError as error:
            raise EditError(f"settings: {validation_sentence(error)}") from None
        return portfolio.model_copy(update={"settings": settings})

    def inverse(self, before: Portfolio) -> Edit:
        """Set the previous value back."""
        return SetSetting(self.path, _get(before.settings, _split(self.path), self._missing()))

    def describe(self) -> str:
        """E.g. "set settings impact_threshold to 3.5"."""
        return _describe_set("settings", self.path, self.value)


@dataclass(frozen=True)
class MoveProject:
    """Move a project to another stage under the lifecycle's rules, recording the transition.

    `reason` is required for a back-edge (a lecture's `reason_code` may stand in
    for it); `reason_code` is a `core.vocabulary.BackReason` value, inferred
    from the text when not given; `override` lets a project leave planning with
    open checklist items (and the transition says so).
    """

    project_id: str
    to: Stage
    reason: str = ""
    override: bool = False
    reason_code: str | None = None

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the project moved; refuses moves the rules forbid."""
        index, project = find_project(portfolio, self.project_id)
        try:
            transition = plan_move(
                project,
                self.to,
                now=now,
                by=user,
                reason=self.reason,
                override=self.override,
                reason_code=self.reason_code,
            )
        except MoveError as error:
            raise EditError(str(error)) from None
        updates = {"stage": transition.to_stage, "history": (*project.history, transition)}
        return replace_at(portfolio, index, rebuild(project, updates, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Undo the move this edit will record: take back the last transition."""
        _, project = find_project(before, self.project_id)
        return UndoMove(self.project_id, from_stage=project.stage, to_stage=_stage(self.to))

    def describe(self) -> str:
        """E.g. "move fraud-detection to data: 'labels unreliable'"."""
        text = f"move {self.project_id} to {self.to}"
        reason = self.reason.strip() or (self.reason_code or "")
        return f"{text}: {show(reason)}" if reason else text


@dataclass(frozen=True)
class UndoMove:
    """Take back a project's most recent move, from `from_stage` to `to_stage`.

    It refuses when the project has moved since (its last transition is not
    that move, or it is no longer at `to_stage`), so undo never rewrites
    someone else's later history.
    """

    project_id: str
    from_stage: Stage
    to_stage: Stage

    def _last(self, project: Project) -> Transition:
        last = project.history[-1] if project.history else None
        if (
            last is None
            or project.stage != self.to_stage
            or last.from_stage != self.from_stage
            or last.to_stage != self.to_stage
        ):
            raise EditError(
                f"cannot undo the move of {self.project_id} from {self.from_stage}"
                f" to {self.to_stage}: it has moved since"
            )
        return last

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the last transition removed and the earlier stage restored."""
        index, project = find_project(portfolio, self.project_id)
        last = self._last(project)
        updates = {"stage": last.from_stage, "history": project.history[:-1]}
        return replace_at(portfolio, index, rebuild(project, updates, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Put the very same transition back."""
        _, project = find_project(before, self.project_id)
        return RedoMove(self.project_id, self._last(project))

    def describe(self) -> str:
        """E.g. 'undo the move of fraud-detection from data to training'."""
        return f"undo the move of {self.project_id} from {self.from_stage} to {self.to_stage}"


@dataclass(frozen=True)
class RedoMove:
    """Record a transition exactly as it was (its time, author and reason): the undo of an undo.

    The rules are not asked again, since the move was legal when first made;
    the project only has to be where the transition starts.
    """

    project_id: str
    transition: Transition

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the transition appended and its stage entered."""
        index, project = find_project(portfolio, self.project_id)
        move = self.transition
        if project.stage != move.from_stage:
            raise EditError(
                f"cannot redo the move of {self.project_id} to {move.to_stage.value}:"
                f" it is in {project.stage.value}, not {move.from_stage.value}"
            )
        updates = {"stage": move.to_stage, "history": (*project.history, move)}
        return replace_at(portfolio, index, rebuild(project, updates, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Take the transition back again."""
        find_project(before, self.project_id)
        move = self.transition
        return UndoMove(self.project_id, move.from_stage, move.to_stage)

    def describe(self) -> str:
        """E.g. 'redo the move of fraud-detection from data to training'."""
        move = self.transition
        return (
            f"redo the move of {self.project_id} from {move.from_stage.value}"
            f" to {move.to_stage.value}"
        )


@dataclass(frozen=True)
class AddProject:
    """Add a project as given, at `index` (None: at the end); its id must be new.

    `created_at` is kept as given (None stays None) so that re-adding a removed
    project restores it exactly; a new project's creator sets it.
    """

    project: Project = field(hash=False)
    index: int | None = None

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the project added."""
        require_free_id(portfolio, self.project.id)
        return insert_at(portfolio, self.index, rebuild(self.project, {}, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Remove it again."""
        return RemoveProject(self.project.id)

    def describe(self) -> str:
        """E.g. 'add project fraud-detection'."""
        return f"add project {self.project.id}"


@dataclass(frozen=True)
class RemoveProject:
    """Remove a project and its history from the portfolio."""

    project_id: str

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio without the project."""
        index, _ = find_project(portfolio, self.project_id)
        return remove_at(portfolio, index)

    def inverse(self, before: Portfolio) -> Edit:
        """Add it back where it was."""
        index, project = find_project(before, self.project_id)
        return AddProject(project, index)

    def describe(self) -> str:
        """E.g. 'remove fraud-detection'."""
        return f"remove {self.project_id}"


@dataclass(frozen=True)
class DuplicateProject:
    """Copy a project's assessment into a new project, placed right after it.

    The copy starts afresh: in planning, with no history, created now.
    """

    project_id: str
    new_id: str
    new_title: str

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the copy added after the original."""
        index, project = find_project(portfolio, self.project_id)
        require_free_id(portfolio, self.new_id)
        updates = {
            "id": self.new_id,
            "title": self.new_title,
            "stage": Stage.PLANNING,
            "history": (),
            "created_at": now,
        }
        copy = rebuild(project, updates, now, user, label=f"copy {self.new_id!r}")
        return insert_at(portfolio, index + 1, copy)

    def inverse(self, before: Portfolio) -> Edit:
        """Remove the copy."""
        find_project(before, self.project_id)
        return RemoveProject(self.new_id)

    def describe(self) -> str:
        """E.g. 'duplicate fraud-detection as fraud-detection-eu'."""
        return f"duplicate {self.project_id} as {self.new_id}"


@dataclass(frozen=True)
class RenameProject:
    """Change a project's id; the new id must be a free, valid slug."""

    project_id: str
    new_id: str

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the project's id changed, in place."""
        index, project = find_project(portfolio, self.project_id)
        if self.new_id != self.project_id:
            require_free_id(portfolio, self.new_id)
        renamed = rebuild(project, {"id": self.new_id}, now, user)
        return replace_at(portfolio, index, renamed)

    def inverse(self, before: Portfolio) -> Edit:
        """Rename it back."""
        find_project(before, self.project_id)
        return RenameProject(self.new_id, self.project_id)

    def describe(self) -> str:
        """E.g. 'rename fraud-detection to fraud'."""
        return f"rename {self.project_id} to {self.new_id}"


AnyEdit: TypeAlias = (
    SetField
    | SetSetting
    | MoveProject
    | UndoMove
    | RedoMove
    | AddProject
    | RemoveProject
    | DuplicateProject
    | RenameProject
    | PutItem
    | DropItem
    | RecordScores
    | RestoreItems
    | SetItems
    | Rate
    | RestoreRatings
    | ApplyRatings
    | RestoreScores
)
"""Every concrete edit, for exhaustive matching (e.g. when writing an audit log)."""
