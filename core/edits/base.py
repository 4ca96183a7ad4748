"""What every edit shares: the `Edit` protocol, `EditError`, and cheap project rebuilding.

Edits live in `core.edits.changes` (projects, fields, stages, settings) and
`core.edits.items` (metrics, baselines, models); import them from `core.edits.changes`.
Rebuilding validates only the touched project, so an edit costs the same in a
portfolio of ten projects or ten thousand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError

from core.models import Portfolio, Project


class EditError(ValueError):
    """An edit could not be applied; the message is one plain line for the user."""


class Edit(Protocol):
    """A small immutable change to a portfolio, with its undo.

    `inverse(before)` is computed from the portfolio as it was before `apply`;
    applying it to the result restores every project value exactly, except
    `updated_at` and `updated_by`, which record the undo itself.
    """

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with this change made; raises EditError when it cannot be."""
        ...

    def inverse(self, before: Portfolio) -> Edit:
        """The edit that undoes this one, given the portfolio before it was applied."""
        ...

    def describe(self) -> str:
        """A short sentence for undo menus and change notices."""
        ...


def validation_sentence(error: ValidationError) -> str:
    """One plain line naming the field at fault and what is wrong with it."""
    problems = error.errors()
    first = problems[0]
    field = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    text = f"{field}: {message}" if field else message
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more)"
    return " ".join(text.split())


def show(value: Any, limit: int = 40) -> str:
    """A value shortened to one line for a description."""
    if isinstance(value, str):
        text = repr(value)
    elif isinstance(value, BaseModel):
        text = type(value).__name__
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def find_project(portfolio: Portfolio, project_id: str) -> tuple[int, Project]:
    """The position and value of a project, or EditError when there is none."""
    index = portfolio.index_of(project_id)
    if index < 0:
        raise EditError(f"there is no project {project_id!r}")
    return index, portfolio.projects[index]


def require_free_id(portfolio: Portfolio, project_id: str) -> None:
    """Refuse an id another project already has: ids must stay unique."""
    if portfolio.index_of(project_id) >= 0:
        raise EditError(f"a project with the id {project_id!r} already exists")


def field_values(model: BaseModel) -> dict[str, Any]:
    """A model's fields by name, one level deep: nested models stay as they are."""
    return {name: getattr(model, name) for name in type(model).model_fields}


def rebuild(
    project: Project, updates: dict[str, Any], now: datetime, user: str, label: str | None = None
) -> Project:
    """The project with `updates` applied and stamped by `user` at `now`, validated.

    Nested values that did not change are passed through as already-valid
    models, so only what changed is checked in depth.
    """
    data = field_values(project)
    data.update(updates)
    data["updated_at"] = now
    data["updated_by"] = user
    try:
        return Project.model_validate(data)
    except ValidationError as error:
        raise EditError(f"{label or project.id}: {validation_sentence(error)}") from None


def replace_at(portfolio: Portfolio, index: int, project: Project) -> Portfolio:
    """The portfolio with the project at `index` replaced, without re-validating the rest."""
    projects = portfolio.projects
    return portfolio.model_copy(
        update={"projects": (*projects[:index], project, *projects[index + 1 :])}
    )


def insert_at(portfolio: Portfolio, index: int | None, project: Project) -> Portfolio:
    """The portfolio with `project` inserted at `index` (None or past the end: appended)."""
    projects = portfolio.projects
    at = len(projects) if index is None else max(0, min(index, len(projects)))
    return portfolio.model_copy(update={"projects": (*projects[:at], project, *projects[at:])})


def remove_at(portfolio: Portfolio, index: int) -> Portfolio:
    """The portfolio without the project at `index`."""
    projects = portfolio.projects
    return portfolio.model_copy(update={"projects": (*projects[:index], *projects[index + 1 :])})
