"""The snapshots of a portfolio read back for `core.flow.trend`: when, label, portfolio.

Reading is this package's job; comparing is core's. Only the latest
`limit` snapshots are read (each is a whole portfolio), and one that no
longer loads is skipped with a one-line warning rather than failing the rest.
"""

from __future__ import annotations

import os
from datetime import datetime

from core.models import Portfolio
from portfolio.errors import LoadError
from portfolio.load import load
from portfolio.snapshots import scan_snapshots

__all__ = ["TREND_SNAPSHOTS", "snapshot_versions"]

TREND_SNAPSHOTS = 12
"""How many of the latest snapshots a trend reads, by default."""


def snapshot_versions(
    path: str | os.PathLike[str],
    folder: str | os.PathLike[str] | None = None,
    *,
    limit: int = TREND_SNAPSHOTS,
) -> tuple[list[tuple[datetime, str, Portfolio]], list[str]]:
    """The latest `limit` snapshots of the portfolio at `path`, oldest first, and warnings."""
    infos, warnings = scan_snapshots(path, folder)
    versions: list[tuple[datetime, str, Portfolio]] = []
    for info in infos[-limit:] if limit > 0 else []:
        try:
            versions.append((info.taken_at, info.label or info.name, load(info.toml_path)))
        except LoadError as error:
            first = str(error).splitlines()[0] if str(error) else "does not load"
            warnings.append(f"skipped snapshot {info.name}: {first}")
    return versions, warnings
