"""Keys for `mlfolio serve`: the server's own host key, and the client keys let in.

The host key is made once, with 0600 permissions, and reused, so that clients
see the same fingerprint from one run to the next. Client keys come from files
in OpenSSH `authorized_keys` format; they are read again when they change, so
a teammate can be added or removed without restarting the server.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
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


USER_NAME = re.compile(r"[\w.@+-]{1,64}")
"""Names recorded as the `by` of edits: word characters and . @ + -, at most 64."""

NAME_OPTION = "mlfolio-user"
"""The key-line option naming who the key writes history as: mlfolio-user="alice"."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One usable line of an authorized keys file."""

    where: str
    """file:line, for messages."""
    keys: asyncssh.SSHAuthorizedKeys
    read_only: bool
    name: str
    """The name this key writes history as; the client's SSH user name must be this."""
    expires: datetime | None = None


@dataclass(frozen=True, slots=True)
class Access:
    """What an accepted key may do, and the name its edits are recorded under."""

    read_only: bool
    where: str
    name: str = ""


def parse_expiry(text: str) -> datetime:
    """sshd's `expiry-time=` value: YYYYMMDD[HHMM[SS]], local time, or UTC with a final Z."""
    utc = text[-1:] in ("Z", "z")
    digits = text[:-1] if utc else text
    formats = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    if not digits.isdigit() or len(digits) not in formats:
        raise ValueError(f"not a time of the form YYYYMMDD[HHMM[SS]][Z]: {text!r}")
    moment = datetime.strptime(digits, formats[len(digits)])
    return moment.replace(tzinfo=UTC) if utc else moment.astimezone()


def _option(options: Mapping[str, object], name: str) -> str | None:
    """The (last) value of a key-line option, or None when it is absent."""
    value = options.get(name)
    if isinstance(value, list) and value:
        return str(value[-1])
    return None if value is None else str(value)


def _name_of(options: Mapping[str, object], comment: str) -> str:
    """The name a key line writes history as: its mlfolio-user option, else its comment's
    part before any @ (`alice@laptop` is alice); ValueError saying why there is none."""
    named = _option(options, NAME_OPTION)
    if named is not None:
        if not USER_NAME.fullmatch(named):
            raise ValueError(
                f'{NAME_OPTION}="..." must be letters, digits and . _ @ + - (at most 64)'
            )
        return named
    word = comment.split(maxsplit=1)[0].split("@", maxsplit=1)[0] if comment.split() else ""
    if not USER_NAME.fullmatch(word):
        raise ValueError(
            f'no name for this key: add {NAME_OPTION}="NAME" before it, or a comment such as'
            " alice@laptop"
        )
    return word


def parse_authorized_keys(
    text: str, source: str, *, read_only: bool, now: datetime | None = None
) -> tuple[list[Entry], list[str]]:
    """The usable entries of one authorized_keys file, and one line per line skipped and why.

    A line that is not a public key line at all raises KeyFileError naming it;
    a well-formed line that cannot be used (no name, expired, meant for a
    command rather than a terminal) is skipped, its number and reason (never
    the key) reported.
    """
    moment = now or datetime.now(UTC)
    entries: list[Entry] = []
    skipped: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        try:
            keys = asyncssh.import_authorized_keys(line)
        except (ValueError, asyncssh.KeyImportError) as error:
            raise KeyFileError(f"{where}: not a public key line ({plain(str(error))})") from None
        reason, entry = _entry(keys, where, read_only, moment)
        if entry is None:
            skipped.append(f"{where}: key skipped: {reason}")
        else:
            entries.append(entry)
    return entries, skipped


def _entry(
    keys: asyncssh.SSHAuthorizedKeys, where: str, read_only: bool, now: datetime
) -> tuple[str, Entry | None]:
    """One key line as an entry, or the reason it cannot be used."""
    found = keys._user_entries + keys._ca_entries  # one line: one entry
    if len(found) != 1 or found[0].key is None:
        return "a certificate authority line; only plain keys are let in", None
    options: Mapping[str, object] = found[0].options
    if not interactive(options):
        return "command=, no-pty or restrict: meant for something other than a terminal", None
    try:
        name = _name_of(options, found[0].key.get_comment() or "")
    except ValueError as error:
        return str(error), None
    expiry = _option(options, "expiry-time")
    expires = None
    if expiry is not None:
        try:
            expires = parse_expiry(expiry)
        except ValueError as error:
            return f"expiry-time: {plain(str(error))}", None
        if expires <= now:
            return f"expired on {expires:%Y-%m-%d %H:%M %Z}", None
    return "", Entry(where, keys, read_only, name, expires)


def interactive(options: Mapping[str, object]) -> bool:
    """Whether a key line's options allow a terminal: no no-pty, no command=, no bare restrict."""
    if any(name in options for name in NOT_INTERACTIVE):
        return False
    return "restrict" not in options or "pty" in options


def check_modes(path: Path) -> None:
    """sshd's StrictModes for a key file: KeyFileError unless it and every folder above it
    belong to this user or root and no one else can write them (a root-owned sticky
    folder such as /tmp excepted, as others cannot replace what is in it)."""
    uid = os.getuid()
    real = Path(os.path.realpath(path))
    for each in (real, *real.parents):
        try:
            info = os.stat(each)
        except OSError as error:
            raise KeyFileError(
                f"{plain(str(path))}: cannot read the keys ({error.strerror or error})"
            ) from None
        mode = stat.S_IMODE(info.st_mode)
        if info.st_uid not in (uid, 0):
            raise KeyFileError(
                f"{plain(str(path))}: refused: {plain(str(each))} belongs to user id"
                f" {info.st_uid}, not to this user or root"
            )
        sticky = each != real and mode & stat.S_ISVTX and info.st_uid == 0
        if mode & 0o022 and not sticky:
            raise KeyFileError(
                f"{plain(str(path))}: refused: {plain(str(each))} can be written by others"
                f" (mode {mode:04o}); chmod go-w {plain(str(each))}"
            )


def _read(path: Path, *, read_only: bool) -> tuple[list[Entry], list[str]]:
    check_modes(path)
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
        self.skipped: tuple[str, ...] = ()
        """One line per key line skipped at the last read, with its reason."""
        self.load()
        if not self.entries:
            names = " nor in ".join(plain(str(path)) for path, _ in self.files)
            raise KeyFileError(f"no usable public key in {names}: nobody could connect")

    def load(self) -> None:
        """Read every file; KeyFileError (one line) when one cannot be used."""
        signatures = tuple(_signature(path) for path, _ in self.files)
        entries: list[Entry] = []
        skipped: list[str] = []
        for path, read_only in self.files:
            found, passed_over = _read(path, read_only=read_only)
            entries += found
            skipped += passed_over
        self.entries = tuple(entries)
        self.skipped = tuple(skipped)
        self._signatures = signatures

    def refresh(self) -> list[str]:
        """Re-read the files if they changed; the lines to log (a failure, or lines skipped)."""
        if tuple(_signature(path) for path, _ in self.files) == self._signatures:
            return []
        try:
            self.load()
        except KeyFileError as error:
            self._signatures = tuple(_signature(path) for path, _ in self.files)
            return [f"{error}; keeping the keys read before"]
        return list(self.skipped)

    def counts(self) -> tuple[int, int]:
        """How many keys can edit, and how many can only view."""
        viewers = sum(entry.read_only for entry in self.entries)
        return len(self.entries) - viewers, viewers

    def match(
        self,
        key: asyncssh.SSHKey,
        host: str,
        address: str,
        user: str | None = None,
        now: datetime | None = None,
    ) -> Access | None:
        """What `key` connecting from `address` as `user` may do; None when it may not connect.

        A key line lets in only the name it is bound to (when `user` is given),
        and only until its expiry-time.
        """
        moment = now or datetime.now(UTC)
        found: Access | None = None
        for entry in self.entries:
            if user is not None and user != entry.name:
                continue
            if entry.expires is not None and entry.expires <= moment:
                continue
            options = entry.keys.validate(key, host, address)
            if options is None or not interactive(options):
                continue
            if entry.read_only:
                return Access(read_only=True, where=entry.where, name=entry.name)
            found = found or Access(read_only=False, where=entry.where, name=entry.name)
        return found

    def names_of(self, key: asyncssh.SSHKey) -> list[str]:
        """The names the key lines of `key` are bound to, for a refusal's log line."""
        return sorted({e.name for e in self.entries if e.keys.validate(key, "", "") is not None})
