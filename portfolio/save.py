"""Writing a portfolio: canonical TOML text, and an atomic replace of the file.

Canonical means one way to write each portfolio: `schema` first, then
`[settings]`, then one `[[projects]]` table per project; keys in the model's
field order; fields left at their default value omitted (except a project's
identity, stage and scores, which a reader always wants to see); free-form
tables sorted by key. The same portfolio therefore always gives the same bytes,
and an edit changes only the lines it touched: small, reviewable git diffs.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel

from core.models import Feasibility, Impact, Portfolio, Project, Settings
from portfolio.errors import SaveError

HEADER = "# mlfolio portfolio: written by mlfolio, which does not keep comments.\n\n"
"""The first line of every saved file."""

_ALWAYS_WRITTEN: dict[type[BaseModel], frozenset[str]] = {
    Portfolio: frozenset({"schema_version", "settings"}),
    Settings: frozenset({"name"}),
    Project: frozenset({"owner", "archetype", "stage", "impact", "feasibility"}),
    Impact: frozenset({"cheap_prediction", "product_friction", "automation", "industry_precedent"}),
    Feasibility: frozenset({"data_availability", "problem_difficulty"}),
}
"""Fields written even at their default value (None is never written)."""


def dumps(portfolio: Portfolio) -> str:
    """The canonical TOML text of `portfolio`."""
    return HEADER + tomli_w.dumps(_table(portfolio), multiline_strings=True)


def save(portfolio: Portfolio, path: str | os.PathLike[str]) -> None:
    """Write `portfolio` to `path` atomically; on failure raise `SaveError`, the file untouched."""
    write_atomic(path, dumps(portfolio).encode("utf-8"))


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at `path` with `data`: readers see the old file or the new, never half.

    The bytes go to a temporary file in the same folder, are synced to disk,
    take the old file's permission bits, and are renamed over the target; the
    folder is then synced so the rename itself survives a crash. A symlink is
    followed, so the file it points to is replaced rather than the link.
    Locking against other writers belongs to the caller, around this call.
    """
    name = os.fspath(path)
    target = Path(os.path.realpath(name))
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise SaveError(f"cannot save {name}: {error.strerror or error}") from error
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    _sync_folder(target.parent)


def _mode_for(target: Path) -> int:
    """The permission bits for the new file: the old file's, or the umask's default."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it (os.umask would race other threads)."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return 0o022
    for line in status.splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    return 0o022


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file; best effort, as not every system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- model -> TOML-ready data --------------------------------------------------


def _table(model: BaseModel) -> dict[str, Any]:
    """A model as a TOML table in field order, without None and (mostly) without defaults."""
    keep = _ALWAYS_WRITTEN.get(type(model), frozenset())
    defaults = _defaults(type(model))
    table: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        if name not in keep and name in defaults and value == defaults[name]:
            continue
        table[field.alias or name] = _plain(value)
    return table


def _plain(value: Any) -> Any:
    """A field value as tomli_w takes it: enums as their values, tuples as lists, tables sorted."""
    if isinstance(value, BaseModel):
        return _table(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(value[key]) for key in sorted(value)}
    return value


@cache
def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    """The default value of each optional field of `model`, computed once."""
    return {
        name: field.get_default(call_default_factory=True)
        for name, field in model.model_fields.items()
        if not field.is_required()
    }
