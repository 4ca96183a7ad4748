"""The portfolio on disk as a whole: read with a stamp, save, notice outside changes.

A stamp identifies one version of the file by what `stat` reports. Polling the
stamp (rather than inotify) works on network file systems and over SSH mounts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.models import Portfolio
from portfolio.load import load
from portfolio.save import save


@dataclass(frozen=True, slots=True)
class Stamp:
    """What `stat` says of one version of a file; equal stamps mean an unchanged file."""

    mtime_ns: int
    size: int
    inode: int


def stamp(path: Path) -> Stamp | None:
    """The file's current stamp, or None when it does not exist or cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return Stamp(info.st_mtime_ns, info.st_size, info.st_ino)


def read(path: Path) -> tuple[Portfolio, Stamp | None]:
    """Load the portfolio and the stamp of the version that was read.

    The stamp is taken before reading: if the file changes while it is read, the
    next poll sees a newer stamp and reads again, so no change goes unnoticed.
    """
    before = stamp(path)
    return load(path), before


def write(portfolio: Portfolio, path: Path) -> Stamp | None:
    """Save atomically and return the stamp of the version just written."""
    save(portfolio, path)
    return stamp(path)
