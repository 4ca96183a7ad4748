"""Merging three versions of a portfolio file, as git's merge driver does it.

`merge_files(base, ours, theirs)` reads the three files git hands its driver
(the common ancestor, our version, their version), merges them by meaning
with `core.compare.merge`, and writes the result over ours, canonically and
atomically. Conflicts stay in the written file as `[[conflicts]]` tables
(docs/git.md), so the file is always a valid portfolio. A version that does
not load leaves ours untouched: the merge never writes what it could not read.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.compare.merge import MergeResult, merge
from core.models import Portfolio
from portfolio.errors import LoadError, Problem
from portfolio.load import loads
from portfolio.positions import key_positions, locate
from portfolio.save import save

__all__ = ["conflict_problems", "merge_files", "read_version"]


def read_version(path: str | os.PathLike[str], name: str, *, empty_ok: bool = False) -> Portfolio:
    """The portfolio in the file at `path`, named `name` in errors.

    With `empty_ok`, an empty file is an empty portfolio: git gives the driver
    an empty ancestor when both sides added the file.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        problem = Problem(name, 1, 1, f"cannot read: {error.strerror or error}")
        raise LoadError([problem]) from None
    if empty_ok and not data.strip():
        return Portfolio()
    return loads(data, name)


def merge_files(
    base: str | os.PathLike[str],
    ours: str | os.PathLike[str],
    theirs: str | os.PathLike[str],
    *,
    name: str = "portfolio",
) -> MergeResult:
    """Merge `theirs` into `ours` given their ancestor `base`; the result replaces `ours`.

    Raises `LoadError` (ours untouched) when a version does not load, and
    `SaveError` when the result cannot be written.
    """
    versions = (
        read_version(base, f"{name} (base)", empty_ok=True),
        read_version(ours, f"{name} (ours)"),
        read_version(theirs, f"{name} (theirs)"),
    )
    result = merge(*versions)
    save(result.portfolio, ours)
    return result


def conflict_problems(portfolio: Portfolio, text: str | None, source: str) -> list[Problem]:
    """One problem per unresolved merge conflict, at the line of its `[[conflicts]]` entry.

    `text` is the file's text, for the positions (None puts every one at 1:1).
    """
    if not portfolio.conflicts:
        return []
    positions = key_positions(text) if text is not None else {}
    problems: list[Problem] = []
    for index, conflict in enumerate(portfolio.conflicts):
        line, column = locate(positions, ("conflicts", index))
        why = f": {conflict.reason}" if conflict.reason else ""
        message = (
            f"unresolved merge conflict at {conflict.path}{why}"
            f" (ours {_short(conflict.ours)}, theirs {_short(conflict.theirs)})"
        )
        problems.append(Problem(source, line, column, message))
    return problems


def _short(value: str, limit: int = 60) -> str:
    line = " ".join(value.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
