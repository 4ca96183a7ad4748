"""Edits to a project's named items: its metrics, baselines and candidate models.

Items are addressed by name, the key a reader sees in the file. Replacing an
item keeps its position so that a save makes the smallest diff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, ValidationError

from core.edits.base import (
    Edit,
    EditError,
    field_values,
    find_project,
    rebuild,
    replace_at,
    show,
    validation_sentence,
)
from core.models import Baseline, CandidateModel, Metric, Portfolio, Project

Collection: TypeAlias = Literal["metrics", "baselines", "models"]
Item: TypeAlias = Metric | Baseline | CandidateModel

ITEM_CLASSES: dict[str, type[Metric] | type[Baseline] | type[CandidateModel]] = {
    "metrics": Metric,
    "baselines": Baseline,
    "models": CandidateModel,
}
"""The model each collection holds."""

_SINGULAR = {"metrics": "metric", "baselines": "baseline", "models": "model"}


def _items(project: Project, collection: str) -> tuple[Item, ...]:
    """The project's items in `collection`, refusing unknown collection names."""
    if collection not in ITEM_CLASSES:
        raise EditError(f"{collection!r} is not one of metrics, baselines, models")
    items: tuple[Item, ...] = getattr(project, collection)
    return items


def _position(items: tuple[Item, ...], name: str) -> int:
    """Where the item called `name` is, or -1."""
    return next((i for i, item in enumerate(items) if item.name == name), -1)


def _as_item(collection: str, item: Item | Mapping[str, Any], project_id: str) -> Item:
    """The item validated as the model its collection holds."""
    cls = ITEM_CLASSES[collection]
    if isinstance(item, cls):
        return item
    if isinstance(item, BaseModel):
        kind = _SINGULAR[collection]
        raise EditError(f"{project_id}: a {type(item).__name__} cannot go among the {kind}s")
    try:
        return cls.model_validate(item)
    except ValidationError as error:
        raise EditError(f"{project_id}: {collection}: {validation_sentence(error)}") from None


def _put(items: tuple[Item, ...], item: Item, index: int | None) -> tuple[Item, ...]:
    """Upsert by name: replace in place, else insert at `index` (None: append).

    A metric put with optimise = true takes that role from the others, since a
    project optimises exactly one metric.
    """
    if isinstance(item, Metric) and item.optimise:
        items = tuple(
            m.model_copy(update={"optimise": False})
            if isinstance(m, Metric) and m.optimise and m.name != item.name
            else m
            for m in items
        )
    at = _position(items, item.name)
    if at >= 0:
        return (*items[:at], item, *items[at + 1 :])
    end = len(items) if index is None else max(0, min(index, len(items)))
    return (*items[:end], item, *items[end:])


def _number(value: object) -> str:
    """A score for a description: compact when numeric, as given otherwise."""
    return f"{value:g}" if isinstance(value, int | float) else show(value, 12)


@dataclass(frozen=True)
class SetItems:
    """Replace a whole collection at once: the undo of a change that touched several items."""

    project_id: str
    collection: Collection
    items: tuple[Item, ...] = field(hash=False)

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the collection replaced."""
        index, project = find_project(portfolio, self.project_id)
        _items(project, self.collection)
        items = tuple(_as_item(self.collection, item, self.project_id) for item in self.items)
        return replace_at(portfolio, index, rebuild(project, {self.collection: items}, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Put the previous collection back."""
        _, project = find_project(before, self.project_id)
        return SetItems(self.project_id, self.collection, _items(project, self.collection))

    def describe(self) -> str:
        """E.g. 'restore the metrics of fraud-detection'."""
        return f"restore the {self.collection} of {self.project_id}"


@dataclass(frozen=True)
class PutItem:
    """Add an item to a collection, or replace the one with the same name where it stands.

    `index` places a new item (None appends); a replaced item keeps its place.
    The item may be given as a mapping, validated like the file's tables.
    """

    project_id: str
    collection: Collection
    item: Item | Mapping[str, Any] = field(hash=False)
    index: int | None = None

    def _new_items(self, project: Project) -> tuple[tuple[Item, ...], tuple[Item, ...], Item]:
        """The collection before and after, and the validated item."""
        before = _items(project, self.collection)
        item = _as_item(self.collection, self.item, self.project_id)
        return before, _put(before, item, self.index), item

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the item put in place."""
        index, project = find_project(portfolio, self.project_id)
        _, after, _ = self._new_items(project)
        return replace_at(portfolio, index, rebuild(project, {self.collection: after}, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Drop a new item, put back a replaced one, or restore all when others changed too."""
        _, project = find_project(before, self.project_id)
        old, new, item = self._new_items(project)
        at = _position(old, item.name)
        others_old = [i for i in old if i.name != item.name]
        others_new = [i for i in new if i.name != item.name]
        if others_old != others_new:
            return SetItems(self.project_id, self.collection, old)
        if at < 0:
            return DropItem(self.project_id, self.collection, item.name)
        return PutItem(self.project_id, self.collection, old[at])

    def describe(self) -> str:
        """E.g. "put metric 'f1' on fraud-detection"."""
        name = (
            self.item.name if isinstance(self.item, BaseModel) else str(self.item.get("name", "?"))
        )
        return f"put {_SINGULAR[self.collection]} {show(name)} on {self.project_id}"


@dataclass(frozen=True)
class DropItem:
    """Remove the item called `name` from a collection."""

    project_id: str
    collection: Collection
    name: str

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio without the item; refuses a name that is not there."""
        index, project = find_project(portfolio, self.project_id)
        items = _items(project, self.collection)
        at = self._position(items)
        remaining = (*items[:at], *items[at + 1 :])
        return replace_at(
            portfolio, index, rebuild(project, {self.collection: remaining}, now, user)
        )

    def _position(self, items: tuple[Item, ...]) -> int:
        at = _position(items, self.name)
        if at < 0:
            kind = _SINGULAR[self.collection]
            raise EditError(f"{self.project_id} has no {kind} named {self.name!r}")
        return at

    def inverse(self, before: Portfolio) -> Edit:
        """Put the item back where it was."""
        _, project = find_project(before, self.project_id)
        items = _items(project, self.collection)
        at = self._position(items)
        return PutItem(self.project_id, self.collection, items[at], index=at)

    def describe(self) -> str:
        """E.g. "drop baseline 'human expert' from fraud-detection"."""
        return f"drop {_SINGULAR[self.collection]} {show(self.name)} from {self.project_id}"


@dataclass(frozen=True)
class RecordScores:
    """Merge scores into a candidate model, adding the model when it is new.

    `split` says whether these are validation scores (the ones verdicts use) or
    training scores (which, beside them, reveal over- and underfitting).
    `new_metrics` names metrics the project does not have yet, defined in the
    same edit (maximised, neither optimised nor thresholded, unless the project
    has no metric at all: the first then becomes the optimised one).
    """

    project_id: str
    model_name: str
    scores: Mapping[str, float] = field(hash=False)
    split: Literal["validation", "train"] = "validation"
    new_metrics: tuple[str, ...] = ()

    def _field(self) -> str:
        if self.split not in ("validation", "train"):
            raise EditError(f"split must be validation or train, not {self.split!r}")
        return "scores" if self.split == "validation" else "train_scores"

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with the scores recorded."""
        index, project = find_project(portfolio, self.project_id)
        key = self._field()
        models = project.models
        at = _position(models, self.model_name)
        if at >= 0:
            current = models[at]
            data = {**field_values(current), key: {**getattr(current, key), **self.scores}}
        else:
            data = {"name": self.model_name, key: dict(self.scores)}
        try:
            model = CandidateModel.model_validate(data)
        except ValidationError as error:
            sentence = validation_sentence(error)
            raise EditError(f"{self.project_id}: model {self.model_name!r}: {sentence}") from None
        changes: dict[str, Any] = {"models": _put(models, model, None)}
        metrics = self._metrics(project)
        if metrics != project.metrics:
            changes["metrics"] = metrics
        return replace_at(portfolio, index, rebuild(project, changes, now, user))

    def _metrics(self, project: Project) -> tuple[Metric, ...]:
        """The project's metrics with `new_metrics` defined after them."""
        metrics = project.metrics
        for name in self.new_metrics:
            if project.metric(name) is not None or _position(metrics, name) >= 0:
                continue
            try:
                metric = Metric(name=name, optimise=not metrics)
            except ValidationError as error:
                sentence = validation_sentence(error)
                raise EditError(f"{self.project_id}: metric {name!r}: {sentence}") from None
            metrics = (*metrics, metric)
        return metrics

    def inverse(self, before: Portfolio) -> Edit:
        """Put the model back as it was, or drop it if this edit added it; drop new metrics."""
        _, project = find_project(before, self.project_id)
        if self._metrics(project) != project.metrics:
            return RestoreItems(self.project_id, project.metrics, project.models)
        at = _position(project.models, self.model_name)
        if at < 0:
            return DropItem(self.project_id, "models", self.model_name)
        return PutItem(self.project_id, "models", project.models[at])

    def describe(self) -> str:
        """E.g. "record validation scores of 'resnet' on fraud-detection: f1=0.82"."""
        shown = ", ".join(f"{name}={_number(value)}" for name, value in self.scores.items())
        what = f"record {self.split} scores of {show(self.model_name)} on {self.project_id}"
        what = f"{what}: {show(shown, 60)}" if shown else what
        if self.new_metrics:
            what += "; new " + ", ".join(f"metric {show(name)}" for name in self.new_metrics)
        return what


@dataclass(frozen=True)
class RestoreItems:
    """Put a project's metrics and models back at once (undoes a record that defined metrics)."""

    project_id: str
    metrics: tuple[Metric, ...] = field(hash=False)
    models: tuple[CandidateModel, ...] = field(hash=False)

    def apply(self, portfolio: Portfolio, now: datetime, user: str) -> Portfolio:
        """The portfolio with both collections replaced."""
        index, project = find_project(portfolio, self.project_id)
        changes = {"metrics": self.metrics, "models": self.models}
        return replace_at(portfolio, index, rebuild(project, changes, now, user))

    def inverse(self, before: Portfolio) -> Edit:
        """Put both collections back as they were."""
        _, project = find_project(before, self.project_id)
        return RestoreItems(self.project_id, project.metrics, project.models)

    def describe(self) -> str:
        """E.g. 'restore the metrics and models of fraud-detection'."""
        return f"restore the metrics and models of {self.project_id}"
