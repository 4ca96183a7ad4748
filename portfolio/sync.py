"""The one way to save a portfolio that others may be editing too: lock, re-read, re-apply, write.

Every writer (the app, `mlfolio move / set / record`, a pipeline) goes through
`commit`: under a lock file beside the portfolio it checks whether the file
is still the version the edits were made on; if someone else saved since, it
re-applies the pending edits (they are values) to what is on disk instead of
overwriting it; then it writes atomically and lets go. An edit that no longer
applies is reported, never forced, and the others still land.

The lock is `filelock.FileLock`, which on Unix is an `flock` on
`.NAME.lock`: the kernel drops it when its holder dies, so a writer killed
mid-save never leaves a stale lock (on a file system without `flock` filelock
falls back to a marker file, with a warning). The work that does not need the
lock (reading, parsing, applying the edits to the version the caller knows)
is done before taking it, so the lock is held for a re-check and a write.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.edits.replay import Applied, Pending, Rejected, replay
from core.models import Portfolio
from portfolio import gate, store
from portfolio.errors import LoadError, LockBusyError, Problem, SaveError
from portfolio.load import loads
from portfolio.reading import read_portfolio_bytes
from portfolio.save import dumps
from portfolio.store import Stamp

__all__ = [
    "LOCK_TIMEOUT",
    "CommitResult",
    "Pending",
    "Version",
    "commit",
    "lock_path",
    "overwrite",
    "read_version",
]

LOCK_TIMEOUT = 10.0
"""Seconds to wait for another writer's lock before giving up (a save takes milliseconds)."""


_LOCK_POLL = 0.005
"""Seconds between tries for a held lock: saves take milliseconds, so waiters look often."""


@dataclass(frozen=True)
class Version:
    """One version of the file as this process knows it.

    `stamp` is None for a file that did not exist; `digest` (of the bytes) is
    None when unknown, and the stamp alone then says whether the file changed.
    """

    portfolio: Portfolio
    stamp: Stamp | None
    digest: bytes | None = None


@dataclass(frozen=True)
class CommitResult:
    """What a commit did: the version now on disk and the fate of each pending edit."""

    version: Version
    """The file as it is after the commit (the caller's next base)."""
    applied: tuple[Applied, ...]
    rejected: tuple[Rejected, ...]
    found: Portfolio | None = None
    """What was on disk, when someone else had changed it since the base; else None."""
    recreated: bool = False
    """The file had been removed since the base, and was written again."""
    written: bool = False

    @property
    def others_changed(self) -> bool:
        """Whether the edits were re-applied over someone else's save."""
        return self.found is not None


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file of a portfolio: `.NAME.lock` beside the real file (symlinks followed)."""
    target = Path(os.path.realpath(os.fspath(path)))
    return target.with_name(f".{target.name}.lock")


def read_version(path: str | os.PathLike[str]) -> Version:
    """Read and validate the file, with the stamp and digest of the bytes read; LoadError if bad."""
    name = os.fspath(path)
    before = store.stamp(Path(name))
    try:
        data = read_portfolio_bytes(name)
    except OSError as error:
        problem = "no such file" if isinstance(error, FileNotFoundError) else error.strerror
        raise LoadError([Problem(name, 1, 1, f"cannot read: {problem or error}")]) from None
    return Version(loads(data, name), before, _digest(data))


def commit(
    path: str | os.PathLike[str],
    pending: Sequence[Pending],
    *,
    base: Version | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> CommitResult:
    """Save `pending` edits, made on `base`, to the file without losing anyone else's save.

    Without a base the file is read first (the headless commands). The file is
    written only when an edit applied, or when it has to be (re)created. Raises
    SaveError, with the file untouched, when the lock cannot be had (a
    LockBusyError then: try again later), the file on disk is no longer valid,
    or the write fails.
    """
    name = os.fspath(path)
    if base is None:
        try:
            base = read_version(name)
        except LoadError as error:
            raise SaveError(f"cannot save {name}: {error.errors[0]}") from None
    pending = tuple(pending)
    planned = replay(base.portfolio, pending)
    target = Path(os.path.realpath(name))
    with _locked(target, name, lock_timeout):
        disk = _current(target, name, base)
        if disk is None:
            outcome, found = planned, None
        else:
            found = disk
            outcome = replay(disk, pending)
        missing = store.stamp(target) is None
        if outcome.applied or missing:
            stamp = store.write(outcome.portfolio, Path(name))
            version = Version(outcome.portfolio, stamp, _digest_of(target))
        else:
            version = Version(outcome.portfolio, store.stamp(target), _digest_of(target))
        _remove_leftovers(target)
    return CommitResult(
        version,
        outcome.applied,
        outcome.rejected,
        found=found,
        recreated=missing and base.stamp is not None,
        written=bool(outcome.applied) or missing,
    )


def overwrite(
    path: str | os.PathLike[str], portfolio: Portfolio, *, lock_timeout: float = LOCK_TIMEOUT
) -> Version:
    """Write `portfolio` as the whole file, whatever is there (for saving to another file)."""
    name = os.fspath(path)
    target = Path(os.path.realpath(name))
    with _locked(target, name, lock_timeout):
        stamp = store.write(portfolio, Path(name))
        version = Version(portfolio, stamp, _digest_of(target))
        _remove_leftovers(target)
    return version


def save_as(
    target: gate.Target,
    portfolio: Portfolio,
    *,
    overwrite: bool = False,
    lock_timeout: float = LOCK_TIMEOUT,
) -> Version:
    """Write `portfolio` as a whole file at `target`, through the gate, under that file's lock.

    The gate keeps the file inside its root, follows no link, and replaces an
    existing file only with `overwrite` and only when it is a portfolio
    (`gate.TargetExistsError` otherwise, for the caller to ask first).
    """
    path = target.path
    if lock_path(path).is_symlink():
        raise gate.GateError(f"{lock_path(path)} is a symbolic link; not locking through it")
    with _locked(path, str(path), lock_timeout):
        gate.write(target, dumps(portfolio).encode("utf-8"), overwrite=overwrite, kind="portfolio")
        return Version(portfolio, store.stamp(path), _digest_of(path))


def _current(target: Path, name: str, base: Version) -> Portfolio | None:
    """What is on disk when someone else changed it since `base`; None when it is still `base`.

    A file that is gone is still `base` (it is written again); a file that is
    not valid now is refused rather than overwritten.
    """
    now = store.stamp(target)
    if now is None:
        return None
    if base.digest is None and now == base.stamp:
        return None
    try:
        data = read_portfolio_bytes(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SaveError(f"cannot save {name}: cannot read it: {error.strerror or error}") from None
    if base.digest is not None and _digest(data) == base.digest:
        return None
    try:
        disk = loads(data, name)
    except LoadError as error:
        raise SaveError(
            f"cannot save {name}: the file on disk is not valid now, so it was left as it is:"
            f" {error.errors[0]}"
        ) from None
    return None if disk == base.portfolio else disk


@contextmanager
def _locked(target: Path, name: str, timeout: float) -> Iterator[None]:
    """Hold the portfolio's lock file, or raise SaveError naming it."""
    from filelock import FileLock, Timeout  # imported here: the command line's start-up skips it

    lock_file = lock_path(target)
    if not target.parent.is_dir():
        raise SaveError(f"cannot save {name}: there is no folder {target.parent}")
    options: dict[str, Any] = {"timeout": timeout, "poll_interval": _LOCK_POLL}
    # Whoever may write the portfolio may take its lock: the same permission bits.
    # With no file yet, the umask decides, as it does for the file itself.
    with suppress(OSError):
        options["mode"] = stat.S_IMODE(target.stat().st_mode) | 0o600
    lock = FileLock(lock_file, **options)
    try:
        lock.acquire()
    except Timeout:
        raise LockBusyError(
            f"cannot save {name}: another save has held the lock {lock_file} for over"
            f" {timeout:g} s; try again"
        ) from None
    except OSError as error:
        raise SaveError(
            f"cannot save {name}: cannot use the lock file {lock_file}: {error.strerror or error}"
        ) from None
    try:
        yield
    finally:
        lock.release()


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _digest_of(target: Path) -> bytes | None:
    """The digest of the file as it is now (under the lock, just written), or None."""
    try:
        return _digest(read_portfolio_bytes(target))
    except OSError:
        return None


def _remove_leftovers(target: Path) -> None:
    """Delete temporary files a writer killed mid-save left (only under the lock: none is live)."""
    leftover = re.compile(re.escape(f".{target.name}.") + r"[a-z0-9_]{8}\.tmp")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        if leftover.fullmatch(entry.name):
            with suppress(OSError):
                os.unlink(entry.path)
