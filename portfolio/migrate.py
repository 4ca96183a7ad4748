"""Upgrading files written by older mlfolio versions, one schema step at a time.

Every portfolio file starts with `schema = N`. When the model changes in a way
old files would not validate against, bump `core.models.SCHEMA_VERSION` and add
`MIGRATIONS[N]`: a pure function from the parsed TOML of version N to that of
version N + 1 (setting its `schema` to N + 1). Loading runs the chain on the
raw data before validation, so the model only ever sees the current shape; the
next save then writes the file in the new version.

A new optional key needs no step here when the model can fill it in from what
the file already says: history written before reason codes existed loads with
each back move's `reason_code` taken from its text (a canonical reason's words
give its code, anything else `other`; `core.models.Transition`), and the next
save writes the codes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.models import SCHEMA_VERSION

CURRENT = SCHEMA_VERSION
"""The schema version this mlfolio writes and reads natively."""

Migration = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns a parsed file of schema N into one of schema N + 1."""

MIGRATIONS: dict[int, Migration] = {}
"""Version N -> the step that upgrades it to N + 1; empty while only schema 1 exists."""


def version_problem(data: dict[str, Any]) -> str | None:
    """Why the file's `schema` cannot be read by this mlfolio, or None when it can."""
    if "schema" not in data:
        return f"missing key `schema`: the file must start with `schema = {CURRENT}`"
    version = data["schema"]
    if type(version) is not int:
        return f"`schema` must be a whole number, the file format version (e.g. schema = {CURRENT})"
    if version > CURRENT:
        return f"written by a newer mlfolio (schema {version}; this one reads up to {CURRENT})"
    if version != CURRENT and version not in MIGRATIONS:
        return f"unknown schema version {version} (this mlfolio reads up to {CURRENT})"
    return None


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring parsed file data up to `CURRENT`; data already current comes back unchanged.

    Call `version_problem` first: this assumes the version is one it can read.
    """
    version: int = data["schema"]
    while version < CURRENT:
        data = MIGRATIONS[version](data)
        version += 1
    return data
