"""The bundled example portfolio, and writing it without overwriting anything."""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path

from portfolio.errors import SaveError


def example_text() -> str:
    """The example portfolio's TOML, as shipped with the package."""
    return resources.files("portfolio").joinpath("example.toml").read_text(encoding="utf-8")


def write_example(path: Path) -> None:
    """Write the example to `path`, atomically, refusing to replace an existing file.

    The text goes to a temporary file in the same folder, is synced, then
    hard-linked into place: the link fails if `path` exists, so two racing
    `init`s cannot clobber each other or a real portfolio.
    """
    if path.exists() or path.is_symlink():
        raise FileExistsError(f"{path} already exists; not overwriting it")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise SaveError(f"cannot write {path}: {error.strerror or error}") from error
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(example_text())
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.link(tmp, path)
    except FileExistsError:
        raise FileExistsError(f"{path} already exists; not overwriting it") from None
    except OSError as error:
        raise SaveError(f"cannot write {path}: {error.strerror or error}") from error
    finally:
        Path(tmp).unlink(missing_ok=True)
