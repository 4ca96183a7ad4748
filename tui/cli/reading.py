"""Reading the portfolio a command names: a file, `-` for stdin, or a pipe (`<(git show ...)`).

A pipe or stdin can be read once only, so a command reads the bytes once and
validates them from memory. Messages name stdin `<stdin>`, as compilers do.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import Portfolio

STDIN = "-"
"""The file name that means standard input."""

STDIN_SOURCE = "<stdin>"
"""How messages name standard input."""


def source_name(name: str) -> str:
    """How errors name the input `name`: the file name, or `<stdin>` for `-`."""
    return STDIN_SOURCE if name == STDIN else name


def read_input(name: str) -> bytes:
    """The bytes of the file `name`, or of stdin for `-`; LoadError if they cannot be read."""
    from portfolio import LoadError, Problem
    from portfolio.reading import MAX_BYTES, read_input_bytes

    try:
        if name == STDIN:
            data: bytes = sys.stdin.buffer.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise OSError(
                    0, f"stdin holds over the {MAX_BYTES // 2**20} MiB a portfolio may have"
                )
            return data
        return read_input_bytes(name)
    except OSError as error:
        problem = Problem(source_name(name), 1, 1, f"cannot read: {error.strerror or error}")
        raise LoadError([problem]) from None


def load_input(name: str) -> Portfolio:
    """Read and validate the portfolio `name` (a file, a pipe, or `-`); LoadError if bad."""
    from portfolio import loads

    return loads(read_input(name), source_name(name))


@contextmanager
def as_file(name: str, data: bytes) -> Iterator[Path]:
    """A regular file holding `data`: `name` itself when it is one, else a temporary copy.

    For the app (which reads by path, possibly twice) given stdin or a pipe.
    The copy keeps the file's name, so the screenshot's title stays meaningful.
    """
    path = Path(name)
    if name != STDIN and path.is_file():
        yield path
        return
    label = path.name if name != STDIN and path.suffix == ".toml" else "portfolio.toml"
    with tempfile.TemporaryDirectory(prefix="mlfolio-") as folder:
        copy = Path(folder) / label
        copy.write_bytes(data)
        yield copy
