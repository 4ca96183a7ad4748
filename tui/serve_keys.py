"""Keys for `mlfolio serve`: the server's own host key, and the client keys let in.

The host key is made once, with 0600 permissions, and reused, so that clients
see the same fingerprint from one run to the next. Client keys come from files
in OpenSSH `authorized_keys` format; they are read again when they change, so
a teammate can be added or removed without restarting the server.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from tui.text import plain

HOST_KEY_NAME = "ssh_host_ed25519_key"

NOT_INTERACTIVE = ("no-pty", "command")
"""authorized_keys options that mark a key as meant for something other than a terminal."""


class KeyFileError(Exception):
    """A key file that cannot be used; the message is one line naming the file."""


# -- the host key ------------------------------------------------------------------


def default_host_key_path() -> Path:
    """Where the generated host key lives: mlfolio's state folder, as `platformdirs` finds it.

    On Linux `$XDG_STATE_HOME/mlfolio`, else `~/.local/state/mlfolio`; on macOS
    `~/Library/Application Support/mlfolio`. Never the portfolio's folder, so the
    key cannot end up in the portfolio's git repository.
    """
    from platformdirs import user_state_path

    return user_state_path("mlfolio", appauthor=False) / HOST_KEY_NAME


@dataclass(frozen=True, slots=True)
class HostKey:
    """The server's private key, where it is kept, and whether this run made it."""

    key: asyncssh.SSHKey
    path: Path
    created: bool

    @property
    def fingerprint(self) -> str:
        """SHA256:..., as `ssh` shows it."""
        return str(self.key.get_fingerprint("sha256"))


def host_key(path: Path | None) -> HostKey:
    """The host key at `path`; without a path, the default one, made on first use."""
    created = False
    if path is None:
        path = default_host_key_path()
        if not path.exists():
            created = _create_host_key(path)
    elif not path.exists():
        raise KeyFileError(
            f"{plain(str(path))}: no such host key (leave out --host-key to use a generated"
            " one, or make one with ssh-keygen -t ed25519 -N '' -f PATH)"
        )
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as error:
        raise KeyFileError(f"{plain(str(path))}: {plain(error.strerror or str(error))}") from None
    if mode & 0o077:
        raise KeyFileError(
            f"{plain(str(path))}: the host key is open to other users (mode {mode:04o});"
            f" chmod 600 {plain(str(path))}"
        )
    try:
        key = asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError, ValueError) as error:
        raise KeyFileError(f"{plain(str(path))}: not a usable private key ({error})") from None
    return HostKey(key, path, created)


def _create_host_key(path: Path) -> bool:
    """Write a new ed25519 key (0600) and its .pub beside it; False if another process won."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise KeyFileError(
            f"{plain(str(path.parent))}: cannot make the host key's folder ({error.strerror})"
        ) from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="mlfolio serve host key")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write_new(temporary, key.export_private_key(), 0o600)
        try:
            os.link(temporary, path)  # atomic, and never replaces a key another run just made
        except FileExistsError:
            return False
        finally:
            temporary.unlink(missing_ok=True)
        public = path.with_name(path.name + ".pub")
        public.unlink(missing_ok=True)
        _write_new(public, key.export_public_key(), 0o644)
    except OSError as error:
        raise KeyFileError(
            f"{plain(str(path))}: cannot write the host key ({error.strerror})"
        ) from None
    return True


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create `path` with exactly `mode` whatever the umask, write `data` and sync it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    fd = os.open(path, flags, mode)
    try:
        os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


# -- client keys -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of an authorized keys file."""

    where: str
    """file:line, for messages."""
    keys: asyncssh.SSHAuthorizedKeys
    read_only: bool


@dataclass(frozen=True, slots=True)
class Access:
    """What an accepted key may do."""

    read_only: bool
    where: str


def parse_authorized_keys(text: str, source: str, *, read_only: bool) -> list[Entry]:
    """The entries of one file in OpenSSH authorized_keys format; KeyFileError naming the line."""
    entries: list[Entry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        try:
            keys = asyncssh.import_authorized_keys(line)
        except (ValueError, asyncssh.KeyImportError) as error:
            raise KeyFileError(f"{where}: not a public key line ({plain(str(error))})") from None
        entries.append(Entry(where, keys, read_only))
    return entries


def interactive(options: Mapping[str, object]) -> bool:
    """Whether a key line's options allow a terminal: no no-pty, no command=, no bare restrict."""
    if any(name in options for name in NOT_INTERACTIVE):
        return False
    return "restrict" not in options or "pty" in options


def _read(path: Path, *, read_only: bool) -> list[Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise KeyFileError(f"{plain(str(path))}: cannot read the keys ({reason})") from None
    return parse_authorized_keys(text, plain(str(path)), read_only=read_only)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


class KeyRing:
    """The client keys let in: the authorized file, and the read-only file if any.

    A key in the read-only file gets a dashboard that cannot edit, even when the
    authorized file lists it too.
    """

    def __init__(self, authorized: Path, read_only: Path | None = None) -> None:
        self.files: tuple[tuple[Path, bool], ...] = ((authorized, False),) + (
            ((read_only, True),) if read_only is not None else ()
        )
        self._signatures: tuple[tuple[int, int, int] | None, ...] = ()
        self.entries: tuple[Entry, ...] = ()
        self.load()
        if not self.entries:
            names = " nor in ".join(plain(str(path)) for path, _ in self.files)
            raise KeyFileError(f"no usable public key in {names}: nobody could connect")

    def load(self) -> None:
        """Read every file; KeyFileError (one line) when one cannot be used."""
        signatures = tuple(_signature(path) for path, _ in self.files)
        entries: list[Entry] = []
        for path, read_only in self.files:
            entries += _read(path, read_only=read_only)
        self.entries = tuple(entries)
        self._signatures = signatures

    def refresh(self) -> str | None:
        """Re-read the files if they changed; a one-line warning when that failed."""
        if tuple(_signature(path) for path, _ in self.files) == self._signatures:
            return None
        try:
            self.load()
        except KeyFileError as error:
            self._signatures = tuple(_signature(path) for path, _ in self.files)
            return f"{error}; keeping the keys read before"
        return None

    def counts(self) -> tuple[int, int]:
        """How many keys can edit, and how many can only view."""
        viewers = sum(entry.read_only for entry in self.entries)
        return len(self.entries) - viewers, viewers

    def match(self, key: asyncssh.SSHKey, host: str, address: str) -> Access | None:
        """What `key` connecting from `address` may do; None when it may not connect."""
        found: Access | None = None
        for entry in self.entries:
            options = entry.keys.validate(key, host, address)
            if options is None or not interactive(options):
                continue
            if entry.read_only:
                return Access(read_only=True, where=entry.where)
            found = found or Access(read_only=False, where=entry.where)
        return found
