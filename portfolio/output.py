"""Writing exports and snapshots safely: atomically, never over a file unasked, never outside.

Three guards, for every file mlfolio writes besides the portfolio itself:

- **atomic**: the bytes go to a temporary file in the same folder, are synced,
  then take the target's name in one step, so a reader never sees half a file;
- **no overwrite**: an existing file is refused unless `force` is given; without
  `force` the new file is hard-linked into place, which fails if the name was
  taken meanwhile, so two writers cannot clobber each other;
- **confinement**: a file name derived from user text (a snapshot label, a
  name typed in the app) must name a plain file inside the folder meant for
  it: no separators, no `..`, and no symbolic link leading elsewhere.

`write_export` is the app's export (`X`) on these guards: the default file
name, the render, the write into `exports/`, and the Markdown summary offered
for the clipboard. It lives here, below the UI, so that it runs (and is
tested) without an app.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.models import Portfolio
from core.naming import slugify
from portfolio import gate
from portfolio.errors import SaveError
from portfolio.exports import render

__all__ = [
    "ExportDone",
    "ExportExistsError",
    "ExportRequest",
    "OutputError",
    "confined",
    "default_export_name",
    "markdown_summary",
    "render_export",
    "write_export",
    "write_new",
    "write_output",
]

_FORBIDDEN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


class OutputError(SaveError):
    """An output file was refused or could not be written; one plain line naming the file."""


def confined(folder: str | os.PathLike[str], name: str) -> Path:
    """`folder / name`, after checking that `name` names a plain file inside `folder`.

    Refused (with `OutputError`): an empty name, `.` and `..`, a name holding a
    path separator or a control character, an absolute path, and a name whose
    existing file is a symbolic link (it could point anywhere). The folder
    itself may be given relative or absolute, and may itself be reached
    through links: it is where the caller decided to write.
    """
    shown = repr(name)
    if not name or name in (".", "..") or _FORBIDDEN_NAME.search(name):
        raise OutputError(f"{shown} is not a plain file name; give a name without / or ..")
    if os.path.isabs(name) or Path(name).name != name:
        raise OutputError(f"{shown} is not a plain file name; give a name without / or ..")
    base = Path(folder)
    target = base / name
    if target.is_symlink():
        raise OutputError(f"{target} is a symbolic link; not writing through it")
    resolved_base = base.resolve()
    if target.resolve().parent != resolved_base:
        raise OutputError(f"{target} would be written outside {base}")
    return target


def write_output(path: str | os.PathLike[str], data: bytes | str, *, force: bool = False) -> Path:
    """Write `data` to `path` atomically, refusing an existing file unless `force`.

    Goes through `portfolio.gate` with the file's folder as the root: a
    symbolic link at `path` is always refused (writing through it would land
    wherever it points). Text is written as UTF-8. Returns the path written.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target.is_dir() and not target.is_symlink():
        raise OutputError(f"{target} is a folder; give a file name")
    return _through_gate(target, payload, overwrite=force)


def write_new(path: Path, data: bytes) -> Path:
    """Write `data` to a new file at `path`, atomically; refuse when `path` exists.

    The data is synced in a temporary file, then hard-linked to `path`: the
    link fails if the name exists, even if it appeared a moment ago.
    """
    return _through_gate(Path(path), data, overwrite=False)


def _through_gate(path: Path, data: bytes, *, overwrite: bool) -> Path:
    """Write through the gate rooted at the file's own folder; errors as `OutputError`."""
    try:
        target = gate.locate(path.parent, path.name)
        return gate.write(target, data, overwrite=overwrite)
    except gate.TargetExistsError:
        raise OutputError(f"{path} already exists; not overwriting it (use --force)") from None
    except gate.GateError as error:
        raise OutputError(str(error)) from None


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export, and the file name inside the exports folder."""

    fmt: str
    name: str


@dataclass(frozen=True, slots=True)
class ExportDone:
    """A finished export: where it went, and the Markdown summary to offer for copying."""

    path: Path
    summary: str


class ExportExistsError(Exception):
    """The export's file exists already; the app asks before overwriting it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} already exists")
        self.path = path


def default_export_name(portfolio: Portfolio, fmt: str, now: datetime) -> str:
    """E.g. 'northwind-ml-portfolio-20261121.md': the portfolio's name, the day, the suffix."""
    stem = slugify(portfolio.settings.name) or "portfolio"
    return f"{stem}-{now.strftime('%Y%m%d')}.{fmt}"


def markdown_summary(markdown: str) -> str:
    """The head of a Markdown report: its title, quadrants and ranking (no per-project sections)."""
    head, _, _ = markdown.partition("\n## Projects\n")
    return head.rstrip("\n") + "\n"


def render_export(
    fmt: str, portfolio: Portfolio, now: datetime, *, svg: str | None
) -> tuple[str, str]:
    """The export's text in `fmt` (the SVG given, for "svg"), and its Markdown summary."""
    full_markdown = render(portfolio, "md", now)
    if svg is not None:
        return svg, markdown_summary(full_markdown)
    text = full_markdown if fmt == "md" else render(portfolio, fmt, now)
    return text, markdown_summary(full_markdown)


def write_export(
    folder: Path,
    request: ExportRequest,
    portfolio: Portfolio,
    now: datetime,
    *,
    svg: str | None,
    force: bool,
) -> ExportDone:
    """Render (unless an SVG is given) and write one export; runs in a worker thread.

    Writes through `portfolio.gate`, rooted at the portfolio's folder (the
    parent of `folder`): a linked exports folder or file is refused, and only
    an export of ours is replaced. Raises `ExportExistsError` when the file
    exists and `force` is off, and `OutputError` when the name is refused or
    the file cannot be written.
    """
    confined(folder, request.name)
    try:  # the root is the portfolio's folder: a linked exports/ folder is refused
        target = gate.locate(folder.parent, request.name, folder=(folder.name,))
        if not force and gate.read_existing(target) is not None:
            raise ExportExistsError(target.path)
    except gate.GateError as error:
        raise OutputError(str(error)) from None
    text, summary = render_export(request.fmt, portfolio, now, svg=svg)
    try:
        written = gate.write(
            target, text.encode("utf-8"), overwrite=force, kind="export", create_folders=True
        )
    except gate.TargetExistsError:
        raise ExportExistsError(target.path) from None
    except gate.GateError as error:
        raise OutputError(str(error)) from None
    return ExportDone(written, summary)
