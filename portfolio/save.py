"""Writing a portfolio: canonical TOML text, and an atomic replace of the file.

Canonical means one way to write each portfolio: `schema` first, then
`[settings]`, then one `[[projects]]` table per project; keys in the model's
field order; fields left at their default value omitted (except a project's
identity, stage and scores, which a reader always wants to see); free-form
tables sorted by key. The same portfolio therefore always gives the same bytes,
and an edit shows up as a small, reviewable git diff.

Saving after an edit reuses the text of every project the edit left alone: a
project's `[[projects]]` table depends on that project alone, and models are
immutable, so the text written for the very same object last time is still its
text (`_ProjectTexts`). The result is byte for byte the text of a full dump; a
property test holds the two together.
"""

from __future__ import annotations

import os
import stat
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

import tomli_w
from pydantic import BaseModel

from core.models import Feasibility, Impact, Portfolio, Project, Settings
from portfolio.errors import SaveError
from portfolio.gc_pause import paused_gc

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


def dumps(portfolio: Portfolio, *, reuse: bool = True) -> str:
    """The canonical TOML text of `portfolio`.

    With `reuse` (the default) the text of each project dumped last time and
    unchanged since (the same object) is reused; `reuse=False` writes every
    project afresh (and leaves the reusable texts alone). The text is the same.
    """
    with paused_gc():
        if reuse:
            text = _PROJECT_TEXTS.dumps(portfolio)
            if text is not None:
                return text
        return HEADER + tomli_w.dumps(_canonical(portfolio), multiline_strings=True)


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
    if _read_only(target):
        raise SaveError(
            f"cannot save {name}: the file is read-only; save it under another name"
            " or make it writable"
        )
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


def _read_only(target: Path) -> bool:
    """Whether the existing file at `target` is one its owner (or we) may not write.

    A rename would replace it anyway (only the folder's permission counts), so
    the file's own bits are checked first: a 0444 portfolio stays as it is. The
    owner's write bit decides for the owner, root included (root may write
    anything, but a file its owner made read-only is meant to stay so).
    """
    try:
        info = target.stat()
    except OSError:
        return False
    if info.st_uid == os.geteuid():
        return not info.st_mode & stat.S_IWUSR
    return not os.access(target, os.W_OK)


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


# -- reusing the text of unchanged projects ------------------------------------------

_AOT_HEADER = "[[projects]]\n"
"""How every project's table starts when the projects are written as an array of tables."""


def _project_text(project: Project) -> str:
    """One project's canonical text, as a full dump writes it inside the file."""
    data = _trim(project.model_dump(by_alias=True, exclude_none=True), Project)
    return tomli_w.dumps({"projects": [data]}, multiline_strings=True)


class _ProjectTexts:
    """The canonical text of each project of the portfolio dumped last, by id.

    A full dump is the portfolio without its projects (`schema`, the conflicts,
    `[settings]`: every key before `projects`, which is the model's last field),
    then one `[[projects]]` table per project separated by a blank line. Only
    the projects that are not the very objects dumped last time are written
    again. Holding each project with its text keeps the identity check sound
    (an object kept alive cannot hand its id to another). The texts kept are
    those of the latest dump only, so they never outgrow one portfolio.
    """

    def __init__(self) -> None:
        self._texts: dict[str, tuple[Project, str]] = {}
        self._lock = threading.Lock()
        self.written = 0
        """How many project texts the latest dump wrote afresh (the others were reused)."""

    def dumps(self, portfolio: Portfolio) -> str | None:
        """The canonical text of `portfolio`; None when it must be written whole.

        A portfolio without projects, or whose every project is small enough
        for tomli_w to write inline (`projects = [{...}]`), is left to the
        full dump: the pieces would not add up to its text.
        """
        if not portfolio.projects:
            return None
        with self._lock:
            known = self._texts
        texts: dict[str, tuple[Project, str]] = {}
        pieces: list[str] = []
        written = 0
        for project in portfolio.projects:
            entry = known.get(project.id)
            if entry is None or entry[0] is not project:
                entry = (project, _project_text(project))
                written += 1
            if not entry[1].startswith(_AOT_HEADER):
                return None  # inline: whether the file is, depends on every project
            texts[project.id] = entry
            pieces.append(entry[1])
        head = _canonical(portfolio.model_copy(update={"projects": ()}))
        head.pop("projects", None)  # the default, so trimmed already; never written twice
        with self._lock:
            self._texts = texts
            self.written = written
        return HEADER + tomli_w.dumps(head, multiline_strings=True) + "\n" + "\n".join(pieces)


_PROJECT_TEXTS = _ProjectTexts()
"""The texts `dumps` reuses; one set for the process (the app saves one portfolio)."""


# -- model -> TOML-ready data --------------------------------------------------

_ABSENT = object()
"""Stands for "no default": never equal to a value."""


@dataclass(frozen=True)
class _Plan:
    """How to trim one model's dump: the defaults to leave out, the values to descend into."""

    defaults: dict[str, Any]
    nested: dict[str, Callable[[Any], Any]]


def _canonical(portfolio: Portfolio) -> dict[str, Any]:
    """The portfolio as the data tomli_w writes: pydantic's dump, then trimmed by plan.

    The dump is done by pydantic in one go; Python then only visits tables,
    so a large portfolio stays cheap to save.
    """
    return _trim(portfolio.model_dump(by_alias=True, exclude_none=True), Portfolio)


def _trim(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """`data` (a dump of `model`) without fields at their default, nested tables trimmed too."""
    plan = _plan(model)
    trimmed: dict[str, Any] = {}
    for key, value in data.items():
        if value == plan.defaults.get(key, _ABSENT):
            continue
        convert = plan.nested.get(key)
        trimmed[key] = value if convert is None else convert(value)
    return trimmed


@cache
def _plan(model: type[BaseModel]) -> _Plan:
    """Work out once per model which fields may be left out and which hold tables."""
    keep = _ALWAYS_WRITTEN.get(model, frozenset())
    defaults: dict[str, Any] = {}
    nested: dict[str, Callable[[Any], Any]] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        if name not in keep and not field.is_required():
            default = field.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                default = default.model_dump(by_alias=True, exclude_none=True)
            defaults[key] = default
        convert = _converter(field.annotation)
        if convert is not None:
            nested[key] = convert
    return _Plan(defaults, nested)


def _converter(annotation: Any) -> Callable[[Any], Any] | None:
    """How to write a field of this type, when it holds tables: trimmed, and sorted by key."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return partial(_trim, model=annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in {Union, UnionType}:  # an optional table (an impact not scored yet is None)
        tables = [arg for arg in args if arg is not type(None)]
        return _converter(tables[0]) if len(tables) == 1 else None
    if origin is tuple and args:
        item = _converter(args[0])
        if item is not None:
            return lambda items: [item(value) for value in items]
    if origin is dict:
        entry = _converter(args[1])
        if entry is None:
            return lambda table: {key: table[key] for key in sorted(table)}
        return lambda table: {key: entry(table[key]) for key in sorted(table)}
    return None
