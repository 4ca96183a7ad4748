"""Reading a portfolio's bytes: only a regular file, and only up to MAX_BYTES.

A FIFO opened for reading blocks until a writer comes (every command and the
app hung on one), a device such as `/dev/zero` never ends, and a folder is no
file. So the file is opened without blocking, `fstat` says what it is, and
anything but a regular file is refused at once with one line; a file over
the limit is refused before a byte of it is read. Checking what is open (not
the name) also covers a FIFO swapped in between a `stat` and the read.
"""

from __future__ import annotations

import os
import stat

__all__ = ["MAX_BYTES", "NotAPortfolioFileError", "read_input_bytes", "read_portfolio_bytes"]

MAX_BYTES = 16 * 1024 * 1024
"""The largest portfolio file read (16 MiB): about 10,000 full projects."""


class NotAPortfolioFileError(OSError):
    """The path is not a regular file of at most MAX_BYTES; `strerror` says why in words."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _too_big() -> NotAPortfolioFileError:
    return NotAPortfolioFileError(
        0, f"the file is over the {MAX_BYTES // 2**20} MiB a portfolio may have"
    )


def _read_limited(fd: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := os.read(fd, min(1 << 20, MAX_BYTES + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:  # the file grew while being read, or the pipe holds too much
            raise _too_big()
    return b"".join(chunks)


OPEN_PIPES = ("/dev/stdin", "/dev/fd/", "/proc/self/fd/")
"""Names of pipes a shell already opened (stdin, `<(git show ...)`): read, never refused."""


def read_input_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a one-shot command's input: a regular file, or a pipe the shell opened.

    A named FIFO elsewhere on disk is refused like in `read_portfolio_bytes`
    (nobody may be writing to it), but `/dev/fd/N` and `/dev/stdin` are pipes
    with a writer already attached, so they are read, up to MAX_BYTES.
    """
    name = os.fspath(path)
    if not name.startswith(OPEN_PIPES):
        return read_portfolio_bytes(name)
    fd = os.open(name, os.O_RDONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            raise NotAPortfolioFileError(0, f"not a regular file or a pipe ({_kind(info.st_mode)})")
        return _read_limited(fd)
    finally:
        os.close(fd)


def read_portfolio_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the regular file at `path`; `NotAPortfolioFileError` (an OSError) otherwise.

    Other OSErrors (no such file, permission denied) pass through as they are.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAPortfolioFileError(0, f"not a regular file ({_kind(info.st_mode)})")
        if info.st_size > MAX_BYTES:
            raise _too_big()
        return _read_limited(fd)
    finally:
        os.close(fd)
