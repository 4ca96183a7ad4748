"""The one gate every file mlfolio writes besides the portfolio's own save goes through.

Save-as, exports, snapshots (triage's included) and screenshots all name a
file *inside a root folder*: the portfolio's folder, or a folder the user
configured explicitly (`--dir`, `--out`). The gate

- resolves the name against the root, never against the process's working
  folder: `..` is worked out on the text, a relative name starts at the root,
  and an absolute one must lie inside it;
- walks from the root to the file one folder at a time with `O_NOFOLLOW`, so a
  symbolic link anywhere on the way (a linked `snapshots/` or `exports/`), or
  as the file itself, is refused rather than followed;
- never replaces a file unless the caller says `overwrite` (which the app does
  only after a confirmation naming the file), and even then only a file of the
  expected kind: a portfolio of ours for save-as, an export of ours for exports;
- writes atomically: a temporary file made with `O_EXCL | O_NOFOLLOW` in the same
  folder, synced, then renamed over the target (or hard-linked to a new name,
  which fails if the name was taken meanwhile), and the folder synced.

The root itself may be reached through links: it is where the user decided
to write. Everything below it is the gate's to check.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from portfolio.errors import LoadError, SaveError

__all__ = [
    "EXPORT_SUFFIXES",
    "GateError",
    "Kind",
    "Target",
    "TargetExistsError",
    "check_replaceable",
    "locate",
    "read_existing",
    "write",
]

Kind = Literal["portfolio", "export", "snapshot", "file"]
"""What is written: decides which existing file `overwrite` may replace."""

EXPORT_SUFFIXES = (".md", ".html", ".json", ".csv", ".svg")
"""The suffixes of mlfolio's exports; an existing export to replace must carry one."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class GateError(SaveError):
    """A write the gate refused, or could not do; one plain line naming the file."""


class TargetExistsError(GateError):
    """The file exists, and replacing it needs the user's confirmation (`overwrite`)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists; not overwriting it unasked")
        self.path = path


class _FolderMissingError(GateError):
    """A folder on the way to the file does not exist (and was not to be made)."""


@dataclass(frozen=True, slots=True)
class Target:
    """A file inside `root`: the folders below the root on the way (`parts[:-1]`) and its name."""

    root: Path
    parts: tuple[str, ...]

    @property
    def path(self) -> Path:
        """The file's path, for messages and for the caller's records."""
        return self.root.joinpath(*self.parts)

    @property
    def name(self) -> str:
        """The file's own name."""
        return self.parts[-1]


def locate(root: str | os.PathLike[str], name: str, *, folder: tuple[str, ...] = ()) -> Target:
    """Where `name` lands inside `root` (relative names start at `folder`); GateError if outside.

    `..` and `.` are resolved on the text, against `root / folder`, never the
    working folder; `~` is not expanded (it is a plain character here). An
    absolute name is accepted when it lies inside the root. Control
    characters, an empty name and a name that resolves to the root itself are
    refused.
    """
    base = Path(os.path.abspath(os.fspath(root)))
    shown = repr(name)
    if not name.strip() or _CONTROL.search(name):
        raise GateError(f"{shown} is not a usable file name")
    start = base.joinpath(*folder)
    joined = os.path.normpath(os.path.join(start, name))
    inside = os.path.normpath(joined)
    try:
        common = os.path.commonpath([base, inside])
    except ValueError:
        common = ""
    if common != str(base) or inside == str(base):
        raise GateError(f"{shown} is outside {base}; only files inside that folder can be written")
    parts = Path(inside).relative_to(base).parts
    return Target(base, tuple(parts))


@contextlib.contextmanager
def _folder(target: Target, *, create: bool) -> Iterator[int]:
    """A descriptor of the file's folder, reached from the root without following any link."""
    try:
        fd = os.open(target.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise GateError(f"cannot write in {target.root}: {error.strerror or error}") from None
    try:
        walked = target.root
        for part in target.parts[:-1]:
            walked = walked / part
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
            try:
                child = os.open(part, _DIRECTORY, dir_fd=fd)
            except FileNotFoundError:
                raise _FolderMissingError(f"there is no folder {walked}") from None
            except OSError as error:
                raise GateError(_folder_problem(walked, part, fd, error)) from None
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def _folder_problem(walked: Path, part: str, fd: int, error: OSError) -> str:
    """Why a folder on the way could not be entered, in words."""
    with contextlib.suppress(OSError):
        if stat.S_ISLNK(os.lstat(part, dir_fd=fd).st_mode):
            return f"{walked} is a symbolic link; not writing through it"
    return f"cannot write in {walked}: {error.strerror or error}"


def read_existing(target: Target, limit: int = 64 << 20) -> bytes | None:
    """The bytes of the file at `target` (None if there is none), read without following links."""
    try:
        with _folder(target, create=False) as fd:
            return _read_in(fd, target, limit)
    except _FolderMissingError:
        return None


def _read_in(fd: int, target: Target, limit: int) -> bytes | None:
    """The file `target.name` in the folder `fd`, or None; links and odd files refused."""
    try:
        info = os.lstat(target.name, dir_fd=fd)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise GateError(f"cannot read {target.path}: {error.strerror or error}") from None
    _check_plain(target, info)
    if info.st_size > limit:
        raise GateError(f"{target.path} is too large to be a file of ours")
    file_fd = os.open(target.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
    with open(file_fd, "rb") as handle:
        return handle.read(limit + 1)


def _check_plain(target: Target, info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise GateError(f"{target.path} is a symbolic link; not writing through it")
    if not stat.S_ISREG(info.st_mode):
        raise GateError(f"{target.path} is not a regular file; not writing over it")


def check_replaceable(target: Target, kind: Kind) -> None:
    """Refuse (GateError) to replace the file at `target` unless it is of `kind`."""
    if kind == "export" and not target.name.endswith(EXPORT_SUFFIXES):
        raise GateError(f"{target.path} is not an export of mlfolio; not writing over it")
    if kind == "snapshot":
        raise TargetExistsError(target.path)
    if kind == "portfolio":
        from portfolio.load import loads

        data = read_existing(target)
        try:
            loads(data or b"", str(target.path))
        except LoadError:
            raise GateError(
                f"{target.path} is not a portfolio of mlfolio; not writing over it"
            ) from None


def write(
    target: Target,
    data: bytes,
    *,
    overwrite: bool = False,
    kind: Kind = "file",
    create_folders: bool = False,
) -> Path:
    """Write `data` as the file at `target`, atomically; the path written.

    Without `overwrite`, an existing file raises `TargetExistsError` (the app
    then asks); with it, the file is replaced only when it is a regular file of
    `kind`. `create_folders` makes missing folders below the root.
    """
    with _folder(target, create=create_folders) as fd:
        try:
            info: os.stat_result | None = os.lstat(target.name, dir_fd=fd)
        except FileNotFoundError:
            info = None
        except OSError as error:
            raise GateError(f"cannot write {target.path}: {error.strerror or error}") from None
        if info is not None:
            _check_plain(target, info)
            if not overwrite:
                raise TargetExistsError(target.path)
            check_replaceable(target, kind)
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
        _write_in(fd, target, data, mode, replace=info is not None)
    return target.path


def _write_in(fd: int, target: Target, data: bytes, mode: int, *, replace: bool) -> None:
    """Write a temporary file in the folder `fd`, sync it, then give it the target's name."""
    temporary = f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        file_fd = os.open(temporary, _NEW_FILE, 0o600, dir_fd=fd)
    except OSError as error:
        raise GateError(f"cannot write {target.path}: {error.strerror or error}") from None
    try:
        with open(file_fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        if replace:
            os.replace(temporary, target.name, src_dir_fd=fd, dst_dir_fd=fd)
        else:
            os.link(temporary, target.name, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
    except FileExistsError:
        raise TargetExistsError(target.path) from None
    except OSError as error:
        raise GateError(f"cannot write {target.path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary, dir_fd=fd)
    with contextlib.suppress(OSError):
        os.fsync(fd)


def _umask() -> int:
    from portfolio.save import _umask as umask

    return umask()
