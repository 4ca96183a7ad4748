"""Naming a version of a portfolio: a file, standard input, a snapshot, or a git revision.

`read_named(name, anchor)` reads the version `name` means, trying in order:

1. `-`: standard input (once per command);
2. a path that exists and is not a folder: that file, including pipes such as
   `<(git show HEAD~1:portfolio.toml)` (`/dev/fd/63`), read once from the start;
3. `git:REV`: the anchor file as of git revision REV (no other lookup);
4. a snapshot of the anchor file, by name, label or `latest` (see
   `portfolio.snapshots.resolve`);
5. a git revision (`HEAD~3`, `main`, a tag, a hash): the anchor file as of it.

So a file wins over a snapshot, and a snapshot over a revision of the same
name; `git:NAME` picks the revision. The anchor is the portfolio file whose
snapshots and history are meant.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

from core.models import Portfolio
from portfolio.errors import LoadError, Problem
from portfolio.git import GitError, find_repository
from portfolio.load import loads
from portfolio.reading import read_input_bytes, read_portfolio_bytes
from portfolio.snapshots import SnapshotError, resolve, snapshot_folder

__all__ = ["GIT_PREFIX", "NamedVersion", "VersionError", "read_named"]

GIT_PREFIX = "git:"
"""Marks a name as a git revision, skipping the file and snapshot lookups."""

STDIN = "-"


class VersionError(Exception):
    """No version has that name; the message is one plain line."""


@dataclass(frozen=True, slots=True)
class NamedVersion:
    """A version read: the portfolio and how to label it (`HEAD~1:portfolio.toml`, a path)."""

    portfolio: Portfolio
    label: str


def _is_readable_path(name: str) -> bool:
    return os.path.exists(name) and not os.path.isdir(name)


def _from_git(revision: str, anchor: str) -> NamedVersion:
    repository = find_repository(anchor)
    relative = repository.relative(anchor)
    data = repository.show(revision, relative)
    label = f"{revision}:{relative}"
    return NamedVersion(loads(data, label), label)


def read_named(
    name: str,
    anchor: str | os.PathLike[str],
    *,
    folder: str | os.PathLike[str] | None = None,
    stdin: BinaryIO | None = None,
    warnings: list[str] | None = None,
) -> NamedVersion:
    """The version `name` means (see the module's order); raises VersionError or LoadError.

    Snapshots skipped while looking `name` up add a warning each to `warnings`.
    """
    anchor_name = os.fspath(anchor)
    if name == STDIN:
        if stdin is None:
            raise VersionError("standard input is not available here")
        return NamedVersion(loads(stdin.read(), "<stdin>"), "<stdin>")
    if _is_readable_path(name):
        try:
            data = read_input_bytes(name)
        except OSError as error:
            problem = Problem(name, 1, 1, f"cannot read: {error.strerror or error}")
            raise LoadError([problem]) from None
        return NamedVersion(loads(data, name), name)
    if name.startswith(GIT_PREFIX):
        try:
            return _from_git(name.removeprefix(GIT_PREFIX), anchor_name)
        except GitError as error:
            raise VersionError(str(error)) from None
    try:
        path = resolve(name, anchor_name, folder, warnings)
    except SnapshotError:
        pass
    else:
        return NamedVersion(loads(read_portfolio_bytes(path), str(path)), str(path))
    try:
        return _from_git(name, anchor_name)
    except GitError as error:
        where = snapshot_folder(anchor_name, folder)
        raise VersionError(
            f"{name}: no such file, no snapshot in {where}, and not a git revision ({error})"
        ) from None
