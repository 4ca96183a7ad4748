"""Snapshots: timestamped copies of a portfolio, each with its Markdown report.

A snapshot is two files in a folder (by default `snapshots/` beside the
portfolio): `<stamp>[-<label-slug>].toml`, the portfolio as mlfolio writes it,
and the same name with `.md`, its report as of that moment. The stamp is the
UTC time, `20261121T120000Z`, so names sort by time. The TOML's first line is
a comment holding the exact label and time (`# mlfolio snapshot: {...}`);
the file still loads as an ordinary portfolio. Both files are written
atomically and never replace an existing file.
"""

from __future__ import annotations

import io
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.compare.diff import diff_portfolios
from core.models import Portfolio
from core.report import build_report
from core.rules.ratings import meeting_ratings
from core.triage import TriageMinutes
from portfolio import gate
from portfolio.exports.diff_render import diff_markdown
from portfolio.exports.markdown import render_markdown
from portfolio.exports.text import clean, instant, md
from portfolio.load import load
from portfolio.minutes import render_minutes
from portfolio.output import OutputError, confined
from portfolio.save import dumps

__all__ = [
    "DEFAULT_FOLDER",
    "SnapshotError",
    "SnapshotInfo",
    "SnapshotTexts",
    "TriageSnapshot",
    "list_snapshots",
    "resolve",
    "scan_snapshots",
    "snapshot_archive",
    "snapshot_folder",
    "snapshot_texts",
    "snapshot_title",
    "write_snapshot",
    "write_triage_snapshot",
]

DEFAULT_FOLDER = "snapshots"
"""The folder beside the portfolio that holds its snapshots unless told otherwise."""

HEADER_PREFIX = "# mlfolio snapshot: "
"""The start of a snapshot's first line; the rest is JSON: taken_at and label."""

_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^(\d{8}T\d{6}Z)(?:-.*)?$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_LABEL = 200
_MAX_SLUG = 40


class SnapshotError(Exception):
    """A snapshot could not be found or written; the message is one plain line."""


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One snapshot on disk: its name, when it was taken, its label and its two files."""

    name: str
    """The file name without suffix, e.g. `20261121T120000Z-before-triage`."""
    taken_at: datetime
    label: str
    """The label as given (cleaned to one line), empty when none was given."""
    toml_path: Path
    markdown_path: Path | None
    """The report beside it; None when that file is missing."""


def snapshot_folder(path: str | os.PathLike[str], folder: str | os.PathLike[str] | None) -> Path:
    """Where the snapshots of the portfolio at `path` live: `folder`, else `snapshots/` by it."""
    if folder is not None:
        return Path(folder)
    return Path(path).parent / DEFAULT_FOLDER


def _slug(label: str) -> str:
    """A file-name-safe slug of a label: ASCII letters and digits joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:_MAX_SLUG].rstrip("-")


def _header(taken_at: datetime, label: str) -> str:
    data = {"taken_at": taken_at.isoformat().replace("+00:00", "Z"), "label": label}
    return HEADER_PREFIX + json.dumps(data, ensure_ascii=True) + "\n"


def _markdown(portfolio: Portfolio, now: datetime, label: str, extra_markdown: str) -> str:
    report = render_markdown(build_report(portfolio, now))
    title, _, rest = report.partition("\n")
    what = f"Snapshot “{md(label)}”" if label else "Snapshot"
    head = f"{title}\n\n{what} taken {instant(now)}.\n"
    if extra_markdown.strip():  # the minutes come first: they are what a reader opens it for
        head += "\n" + extra_markdown.strip("\n") + "\n"
    return head + rest


@dataclass(frozen=True, slots=True)
class SnapshotTexts:
    """What a snapshot holds, before it is written anywhere: its name and its two files."""

    base: str
    """The name without suffix, e.g. `20261121T120000Z-before-triage`."""
    taken_at: datetime
    label: str
    toml: str
    markdown: str


def snapshot_texts(
    portfolio: Portfolio, *, now: datetime, label: str | None = None, extra_markdown: str = ""
) -> SnapshotTexts:
    """The snapshot of `portfolio` at `now` as texts: what `write_snapshot` writes, unwritten."""
    taken_at = (now if now.tzinfo else now.replace(tzinfo=UTC)).astimezone(UTC)
    taken_at = taken_at.replace(microsecond=0)
    text_label = clean(label or "")[:_MAX_LABEL]
    slug = _slug(text_label)
    base = taken_at.strftime(_STAMP_FORMAT) + (f"-{slug}" if slug else "")
    return SnapshotTexts(
        base,
        taken_at,
        text_label,
        _header(taken_at, text_label) + dumps(portfolio),
        _markdown(portfolio, taken_at, text_label, extra_markdown),
    )


def snapshot_archive(texts: SnapshotTexts) -> tuple[str, bytes]:
    """The snapshot as one zip file (its name and bytes) holding the two files it is made of.

    A browser session (`mlfolio web`) receives a snapshot this way, as one
    download, rather than as files written on the server; unzipped into a
    portfolio's `snapshots/` folder it is a snapshot like any other.
    """
    buffer = io.BytesIO()
    stamp = texts.taken_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for suffix, text in ((".toml", texts.toml), (".md", texts.markdown)):
            member = zipfile.ZipInfo(texts.base + suffix, date_time=stamp)
            member.external_attr = 0o644 << 16
            archive.writestr(member, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return texts.base + ".zip", buffer.getvalue()


def write_snapshot(
    path: str | os.PathLike[str],
    portfolio: Portfolio,
    *,
    now: datetime,
    label: str | None = None,
    dir: str | os.PathLike[str] | None = None,
    extra_markdown: str = "",
) -> SnapshotInfo:
    """Write `portfolio` and its report as a new snapshot of the file at `path`.

    The folder is created if needed. The name comes from `now` (made UTC) and
    the label's slug; a name already taken gets `-2`, `-3`, ... `extra_markdown`
    goes before the report, as given (Markdown the caller has escaped, such
    as triage minutes). Raises `SnapshotError` when nothing could be written.
    """
    texts = snapshot_texts(portfolio, now=now, label=label, extra_markdown=extra_markdown)
    taken_at, text_label, base = texts.taken_at, texts.label, texts.base
    folder = snapshot_folder(path, dir)
    below: tuple[str, ...] = ()
    if dir is None:  # snapshots/ inside the portfolio's folder: a linked snapshots/ is refused
        root, below = Path(path).parent, (DEFAULT_FOLDER,)
    else:  # a folder the user named: it may be reached through links, what is in it may not
        root = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SnapshotError(f"cannot create {folder}: {error.strerror or error}") from None
    toml_text, markdown = texts.toml, texts.markdown
    for attempt in range(1, 1000):
        name = base if attempt == 1 else f"{base}-{attempt}"
        try:
            toml_path = confined(folder, name + ".toml")
            md_path = confined(folder, name + ".md")
            md_target = gate.locate(root, name + ".md", folder=below)
            toml_target = gate.locate(root, name + ".toml", folder=below)
        except (OutputError, gate.GateError) as error:
            raise SnapshotError(str(error)) from None
        try:
            gate.write(md_target, markdown.encode("utf-8"), kind="snapshot", create_folders=True)
        except gate.TargetExistsError:
            continue
        except gate.GateError as error:
            raise SnapshotError(str(error)) from None
        try:
            gate.write(toml_target, toml_text.encode("utf-8"), kind="snapshot")
        except gate.GateError as error:
            md_path.unlink(missing_ok=True)
            if isinstance(error, gate.TargetExistsError):
                continue
            raise SnapshotError(str(error)) from None
        return SnapshotInfo(name, taken_at, text_label, toml_path, md_path)
    raise SnapshotError(f"too many snapshots named {base} in {folder}")


_MAX_DEPTH = 4
"""The deepest nesting a snapshot header's JSON may have (ours is one flat object)."""


class _HostileHeaderError(ValueError):
    """A snapshot's first line is not one we would write: too deeply nested JSON."""


def _depth(text: str) -> int:
    """The deepest bracket nesting in `text` (brackets in strings count too: an upper bound)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _read_header(path: Path) -> tuple[datetime | None, str]:
    """The time and label in a snapshot's first line; (None, "") when it has none.

    Raises `_HostileHeaderError` for a file that cannot be read as text, and
    for a header nested deeper than _MAX_DEPTH, which `json` would parse by
    recursion (100,000 deep raised RecursionError).
    """
    try:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline(4096)
    except OSError as error:
        raise _HostileHeaderError(f"it cannot be read ({error.strerror or error})") from None
    except UnicodeDecodeError:
        raise _HostileHeaderError("it cannot be read (not UTF-8 text)") from None
    if not first.startswith(HEADER_PREFIX):
        return None, ""
    body = first[len(HEADER_PREFIX) :]
    if _depth(body) > _MAX_DEPTH:
        raise _HostileHeaderError(f"its first line nests JSON over {_MAX_DEPTH} deep")
    try:
        data = json.loads(body)
        taken_at = datetime.fromisoformat(str(data["taken_at"]))
        label = clean(str(data.get("label", "")))
    except (ValueError, KeyError, TypeError):
        return None, ""
    if taken_at.tzinfo is None:
        taken_at = taken_at.replace(tzinfo=UTC)
    return taken_at.astimezone(UTC), label


def list_snapshots(
    path: str | os.PathLike[str],
    dir: str | os.PathLike[str] | None = None,
) -> list[SnapshotInfo]:
    """The snapshots of the portfolio at `path`, oldest first; [] when there are none."""
    return scan_snapshots(path, dir)[0]


def scan_snapshots(
    path: str | os.PathLike[str],
    dir: str | os.PathLike[str] | None = None,
) -> tuple[list[SnapshotInfo], list[str]]:
    """The snapshots of the portfolio at `path`, oldest first, and a warning per file skipped.

    A snapshot is a `<stamp>[-<slug>].toml` file in the folder; its time and
    label come from its first line, or, failing that, from its name. A file
    whose first line is hostile (JSON nested deeper than ours ever is) or
    that cannot be read as text is skipped, with a one-line warning naming it.
    """
    folder = snapshot_folder(path, dir)
    try:
        candidates = [p for p in folder.iterdir() if p.suffix == ".toml"]
    except OSError:
        return [], []
    found: list[SnapshotInfo] = []
    warnings: list[str] = []
    for toml_path in candidates:
        matched = _NAME.match(toml_path.stem)
        if matched is None or not toml_path.is_file():
            continue
        try:
            taken_at, label = _read_header(toml_path)
        except _HostileHeaderError as error:
            warnings.append(f"skipped snapshot {clean(str(toml_path))}: {error}")
            continue
        if taken_at is None:
            try:
                taken_at = datetime.strptime(matched.group(1), _STAMP_FORMAT).replace(tzinfo=UTC)
            except ValueError:
                continue
        md_path = toml_path.with_suffix(".md")
        found.append(
            SnapshotInfo(
                toml_path.stem, taken_at, label, toml_path, md_path if md_path.is_file() else None
            )
        )
    found.sort(key=lambda info: (info.taken_at, info.name))
    warnings.sort()
    return found, warnings


def resolve(
    path_or_label: str,
    portfolio_path: str | os.PathLike[str],
    dir: str | os.PathLike[str] | None = None,
    warnings: list[str] | None = None,
) -> Path:
    """The file `path_or_label` means: an existing file, else a snapshot of `portfolio_path`.

    A snapshot is matched by its name (with or without `.toml`), by the start
    of its name (`20261121`), by its label, or by its label's slug; `latest`
    means the newest snapshot (unless a snapshot is labelled so). When several
    match, the newest wins. Raises `SnapshotError` when nothing matches.
    A snapshot skipped on the way (see `scan_snapshots`) adds its warning to
    `warnings`, when given.
    """
    given = Path(path_or_label)
    if given.is_file():
        return given
    snapshots, skipped = scan_snapshots(portfolio_path, dir)
    if warnings is not None:
        warnings += skipped
    wanted = path_or_label.removesuffix(".toml")
    folded = clean(path_or_label).casefold()
    tests = (
        lambda s: s.name == wanted,
        lambda s: bool(s.label) and s.label == path_or_label,
        lambda s: bool(s.label) and s.label.casefold() == folded,
        lambda s: bool(s.label) and _slug(s.label) == _slug(path_or_label) != "",
        lambda s: bool(wanted) and s.name.startswith(wanted),
    )
    for test in tests:
        matches = [s for s in snapshots if test(s)]
        if matches:
            return matches[-1].toml_path
    if path_or_label in ("latest", "last") and snapshots:
        return snapshots[-1].toml_path
    folder = snapshot_folder(portfolio_path, dir)
    raise SnapshotError(
        f"{clean(path_or_label)}: no such file, and no snapshot in {folder} has that name or label"
    )


def snapshot_title(info: SnapshotInfo) -> str:
    """How a snapshot is named to people: its label, else its file name."""
    return info.label or info.name


@dataclass(frozen=True, slots=True)
class TriageSnapshot:
    """What ending a triage session wrote: the snapshot, and the minutes' Markdown in it."""

    info: SnapshotInfo
    minutes: str


def write_triage_snapshot(
    path: str | os.PathLike[str],
    portfolio: Portfolio,
    minutes: TriageMinutes,
    previous: SnapshotInfo | None,
    now: datetime,
    *,
    started_at: datetime | None = None,
) -> TriageSnapshot:
    """Render the minutes (with the diff against the `previous` snapshot, when there is one)
    and write a snapshot labelled with the session's label that carries them.

    File work: reads the previous snapshot and writes two files, so the app runs it in a
    worker thread. Raises `LoadError` if the previous snapshot cannot be read, and
    `SnapshotError` if the new one cannot be written.
    """
    diff_md: str | None = None
    if previous is not None:
        diff = diff_portfolios(load(previous.toml_path), portfolio)
        diff_md = diff_markdown(diff, snapshot_title(previous), minutes.label, heading_level=3)
    # The ratings given during the meeting (from `started_at`), with where the team disagreed.
    rated = () if started_at is None else meeting_ratings(portfolio.projects, started_at, now)
    text = render_minutes(minutes, diff_md, rated)
    info = write_snapshot(path, portfolio, now=now, label=minutes.label, extra_markdown=text)
    return TriageSnapshot(info, text)
