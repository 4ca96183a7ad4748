"""A portfolio's history from git: each commit that changed the file, with what it changed.

`portfolio_log(repository, path)` walks the commits that touched the file
(newest first, along first parents, as `git log --first-parent` does), reads
the file as of each commit and its parent, and diffs the two with
`core.compare.diff`. A version that does not load is reported on its line instead of
stopping the log. Versions are read once each (by blob id), so a commit's
"before" is usually the next commit's "after" from the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass

from core.compare.diff import PortfolioDiff, diff_portfolios
from core.models import Portfolio
from portfolio.errors import LoadError
from portfolio.git import Commit, Repository
from portfolio.load import loads

__all__ = ["LogEntry", "portfolio_log"]

_CACHE = 4


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One commit: its diff of the file, or why the file could not be read there."""

    commit: Commit
    diff: PortfolioDiff | None
    error: str = ""
    changed: frozenset[str] = frozenset()
    """Ids of the projects whose record differs in any way (a reworded summary too)."""


class _Versions:
    """Portfolios by blob id, the last few kept."""

    def __init__(self, repository: Repository, path: str) -> None:
        self.repository, self.path = repository, path
        self.cache: OrderedDict[str, Portfolio] = OrderedDict()

    def at(self, revision: str | None) -> Portfolio:
        """The file as of `revision`; an empty portfolio where it does not exist."""
        blob = None if revision is None else self.repository.blob(revision, self.path)
        if blob is None:
            return Portfolio()
        found = self.cache.get(blob)
        if found is None:
            data = self.repository.read_blob(blob)
            found = loads(data, f"{revision}:{self.path}")
            self.cache[blob] = found
            if len(self.cache) > _CACHE:
                self.cache.popitem(last=False)
        return found


def _changed_ids(old: Portfolio, new: Portfolio) -> frozenset[str]:
    before = {p.id: p for p in old.projects}
    after = {p.id: p for p in new.projects}
    return frozenset(
        pid for pid in before.keys() | after.keys() if before.get(pid) != after.get(pid)
    )


def portfolio_log(
    repository: Repository,
    path: str,
    *,
    limit: int | None = None,
    project: str | None = None,
) -> Iterator[LogEntry]:
    """Commits that changed `path` (relative to the top), newest first, with their diffs.

    With `project`, only commits that changed that project's record; `limit`
    counts the entries yielded.
    """
    versions = _Versions(repository, path)
    given = 0
    for commit in repository.log(path, None if project else limit):
        if limit is not None and given >= limit:
            return
        try:
            new = versions.at(commit.hash)
            old = versions.at(commit.parent)
        except LoadError as error:
            if project is None:
                given += 1
                yield LogEntry(commit, None, error.errors[0])
            continue
        changed = _changed_ids(old, new)
        if project is not None and project not in changed:
            continue
        given += 1
        yield LogEntry(commit, diff_portfolios(old, new), changed=changed)
