"""The diff's field-level layer: every field that differs between two versions of a value.

The semantic headlines of `core.compare.diff` say what a change means; this layer makes
sure no change is silent. It walks two pydantic models side by side: fields of
a model are joined with dots (`flywheel.data_loop`, the file's key, aliases
included), user-chosen keys go in brackets (`scores[auc]`), lists of named
items are keyed by name (`metrics[recall].threshold`) and other lists of
tables by position (`history[2]`). Lists of plain values (tags) compare whole.
An item or key present on one side only is reported once, whole.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from core.compare.changes import FieldChange

__all__ = ["field_changes", "json_value"]

Parts = tuple[str | int, ...]


def json_value(value: Any) -> Any:
    """A model value as JSON-ready data: enums by value, instants in RFC 3339, tuples as lists."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def _named(items: tuple[Any, ...]) -> bool:
    return bool(items) and all(isinstance(i, BaseModel) and hasattr(i, "name") for i in items)


def _keyed(items: tuple[Any, ...]) -> dict[str | int, Any]:
    if _named(items):
        return {item.name: item for item in items}
    return dict(enumerate(items))


def _tables(value: Any) -> bool:
    return isinstance(value, tuple) and any(isinstance(item, BaseModel) for item in value)


def _walk(old: Any, new: Any, at: tuple[Parts, str], out: list[FieldChange]) -> None:
    """Append the differences between `old` and `new`, found at path `at` (parts and text)."""
    if old == new:
        return
    parts, path = at
    if isinstance(old, BaseModel) and type(old) is type(new):
        for name, info in type(old).model_fields.items():
            key = info.alias or name
            step = f"{path}.{key}" if path else key
            _walk(getattr(old, name), getattr(new, name), ((*parts, key), step), out)
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _entries(old, new, at, out)
        return
    if (_tables(old) or _tables(new)) and isinstance(old, tuple) and isinstance(new, tuple):
        _entries(_keyed(old), _keyed(new), at, out)
        return
    out.append(FieldChange(parts, path, "changed", json_value(old), json_value(new)))


def _entries(
    old: dict[Any, Any], new: dict[Any, Any], at: tuple[Parts, str], out: list[FieldChange]
) -> None:
    """Keys of both sides: in the old order, then the keys only the new side has."""
    parts, path = at
    for key, before in old.items():
        inner = ((*parts, key), f"{path}[{key}]")
        if key in new:
            _walk(before, new[key], inner, out)
        else:
            out.append(FieldChange(*inner, "removed", json_value(before), None))
    for key, after in new.items():
        if key not in old:
            inner = ((*parts, key), f"{path}[{key}]")
            out.append(FieldChange(*inner, "added", None, json_value(after)))


def field_changes(
    old: BaseModel, new: BaseModel, prefix: Parts = (), path: str = ""
) -> tuple[FieldChange, ...]:
    """Every field that differs between `old` and `new`, under `prefix` (parts) and `path`."""
    out: list[FieldChange] = []
    _walk(old, new, (prefix, path), out)
    return tuple(out)
