"""The `export`, `snapshot`, `snapshots` and `diff` commands.

Headless, like every command but the dashboard: only `export --format svg`
imports the app (lazily), to take a screenshot of it in a virtual terminal.
Errors are one plain line on stderr: exit 1 for a file that cannot be read
or written, 2 for a usage mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from core.compare.diff import diff_portfolios
from core.models import Portfolio
from portfolio import LoadError, SaveError, load, loads
from portfolio.exports import DIFF_FORMATS, FORMATS, render, render_diff
from portfolio.exports.schema import export_json_schema
from portfolio.exports.text import instant
from portfolio.output import write_output
from portfolio.snapshots import (
    SnapshotError,
    scan_snapshots,
    write_snapshot,
)
from portfolio.versions import NamedVersion, VersionError, read_named
from tui.clock import utc_now
from tui.text import plain

__all__ = ["DEFAULT_SIZE", "parse_size", "register", "screenshot_svg"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

DEFAULT_SIZE = (120, 36)
"""The virtual terminal an SVG screenshot is taken in, as (columns, rows)."""

_SIZE = re.compile(r"^(\d{2,4})[xX×](\d{1,4})$")
_MIN_SIZE = (40, 12)
_MAX_SIZE = (1000, 500)

Handler = Callable[[argparse.Namespace], int]


def _fail(*lines: str) -> int:
    for line in lines:
        sys.stderr.write(plain(line) + "\n")
    return EXIT_INVALID


def _usage(command: str, message: str) -> int:
    sys.stderr.write(f"mlfolio {command}: error: {plain(message)}\n")
    return EXIT_USAGE


def parse_size(text: str) -> tuple[int, int]:
    """'120x36' as (120, 36); ValueError with a one-line reason otherwise."""
    matched = _SIZE.match(text.strip())
    if matched is None:
        raise ValueError(f"--size {text!r}: give columns x rows, e.g. 120x36")
    width, height = int(matched.group(1)), int(matched.group(2))
    if not (_MIN_SIZE[0] <= width <= _MAX_SIZE[0] and _MIN_SIZE[1] <= height <= _MAX_SIZE[1]):
        raise ValueError(
            f"--size {text!r}: from {_MIN_SIZE[0]}x{_MIN_SIZE[1]} to {_MAX_SIZE[0]}x{_MAX_SIZE[1]}"
        )
    return width, height


def screenshot_svg(
    path: Path, *, size: tuple[int, int] = DEFAULT_SIZE, clock: Callable[[], datetime] = utc_now
) -> str:
    """An SVG of the dashboard on `path` as it first appears, drawn in a virtual terminal.

    The app runs read-only and headless (nothing is saved, the file is not
    polled) and is closed once the screenshot is taken.
    """
    import asyncio

    from tui.dashboard.launch import create_app

    app = create_app(path, clock=clock, read_only=True, poll_interval=0.0)

    async def shoot() -> str:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return app.export_screenshot(title=f"mlfolio {path.name}")

    return asyncio.run(shoot())


def _emit(text: str, out: str | None, force: bool) -> int:
    """Write to `out` safely, or to stdout when no file was named."""
    if out is None or out == "-":
        sys.stdout.write(text)
        return EXIT_OK
    try:
        written = write_output(out, text, force=force)
    except SaveError as error:
        return _fail(f"mlfolio: {error}")
    sys.stderr.write(f"wrote {plain(str(written))}\n")
    return EXIT_OK


def _load(name: str) -> Portfolio | None:
    try:
        return load(name)
    except LoadError as error:
        _fail(*error.errors)
        return None


def _read_export_input(name: str) -> tuple[bytes, Portfolio] | None:
    """The bytes and portfolio of `name` (a file, a pipe or `-`), read once; None if bad."""
    from tui.cli.reading import read_input, source_name

    try:
        data = read_input(name)
        return data, loads(data, source_name(name))
    except LoadError as error:
        _fail(*error.errors)
        return None


def cmd_export(args: argparse.Namespace) -> int:
    """Export a portfolio as Markdown, HTML, JSON, CSV or an SVG of the dashboard."""
    if args.json_schema:
        text = json.dumps(export_json_schema(), indent=2, ensure_ascii=False) + "\n"
        return _emit(text, args.output, args.force)
    if args.file is None:
        return _usage("export", "give the portfolio FILE to export (or --json-schema)")
    if args.format == "svg" and args.open_only:
        return _usage("export", "--open-only applies to md, html, json and csv, not svg")
    if args.format == "svg":
        try:
            size = parse_size(args.size)
        except ValueError as error:
            return _usage("export", str(error))
    read = _read_export_input(args.file)
    if read is None:
        return EXIT_INVALID
    data, portfolio = read
    if args.format == "svg":
        from tui.cli.reading import as_file

        # The app reads by path: stdin or a pipe (read once already) goes through a copy.
        with as_file(args.file, data) as path:
            text = screenshot_svg(path, size=size, clock=utc_now)
        return _emit(text, args.output, args.force)
    text = render(portfolio, args.format, utc_now(), only_open=args.open_only)
    return _emit(text, args.output, args.force)


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write a timestamped copy of the portfolio and its Markdown report."""
    portfolio = _load(args.file)
    if portfolio is None:
        return EXIT_INVALID
    repository = None
    if args.git_tag is not None:
        from tui.cli.git import check_taggable

        repository = check_taggable(args.file)
        if repository is None:
            return EXIT_INVALID
    try:
        info = write_snapshot(args.file, portfolio, now=utc_now(), label=args.label, dir=args.dir)
    except SnapshotError as error:
        return _fail(f"mlfolio snapshot: {error}")
    print(f"wrote {plain(str(info.toml_path))} and {plain(str(info.markdown_path))}")
    if repository is not None:
        from tui.cli.git import tag_snapshot

        return tag_snapshot(repository, args.git_tag, info)
    return EXIT_OK


def cmd_snapshots(args: argparse.Namespace) -> int:
    """List the snapshots of a portfolio, oldest first."""
    found, warnings = scan_snapshots(args.file, args.dir)
    for warning in warnings:
        print(f"mlfolio snapshots: {plain(warning)}", file=sys.stderr)
    if args.json:
        rows: list[dict[str, Any]] = [
            {
                "name": s.name,
                "taken_at": s.taken_at.isoformat().replace("+00:00", "Z"),
                "label": s.label,
                "toml": str(s.toml_path),
                "markdown": None if s.markdown_path is None else str(s.markdown_path),
            }
            for s in found
        ]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not found:
        print(f"no snapshots of {plain(args.file)} yet; `mlfolio snapshot {plain(args.file)}`")
        return EXIT_OK
    width = max(len(s.name) for s in found)
    for s in found:
        label = f"  {plain(s.label)}" if s.label else ""
        print(f"{plain(s.name):<{width}}  {instant(s.taken_at)}{label}")
    return EXIT_OK


def _diff_versions(args: argparse.Namespace) -> tuple[str, str, str] | str:
    """(old, new, anchor) from `diff OLD [NEW] [FILE]`, or a usage message.

    One name: it against FILE on disk. Two: one against the other. Three: the
    last is FILE. Revisions and snapshots are of the anchor: --portfolio, else
    FILE, else the last name that is a file, else portfolio.toml.
    """
    names = list(args.versions)
    if len(names) > 3:
        return "give at most OLD, NEW and FILE"
    if names.count("-") > 1:
        return "standard input can stand for one version only"
    anchor = args.portfolio
    if len(names) == 3:
        anchor = anchor or names.pop()
    if anchor is None:
        files = [n for n in reversed(names) if n != "-" and os.path.isfile(n)]
        anchor = files[0] if files else "portfolio.toml"
    if len(names) == 1:
        names.append(anchor)
    return names[0], names[1], anchor


def cmd_diff(args: argparse.Namespace) -> int:
    """Compare two versions (files, `-`, snapshots, git revisions): only the differences."""
    failed = EXIT_USAGE if args.exit_code else EXIT_INVALID
    found = _diff_versions(args)
    if isinstance(found, str):
        return _usage("diff", found)
    old_name, new_name, anchor = found
    versions: list[NamedVersion] = []
    warned: set[str] = set()
    for name in (old_name, new_name):
        warnings: list[str] = []
        try:
            versions.append(
                read_named(name, anchor, folder=args.dir, stdin=sys.stdin.buffer, warnings=warnings)
            )
        except VersionError as error:
            _fail(f"mlfolio diff: {error}")
            return failed
        except LoadError as error:
            _fail(*error.errors)
            return failed
        finally:
            for warning in [w for w in dict.fromkeys(warnings) if w not in warned]:
                print(f"mlfolio diff: {plain(warning)}", file=sys.stderr)
            warned.update(warnings)
    old, new = versions
    diff = diff_portfolios(old.portfolio, new.portfolio)
    text = render_diff(diff, args.format, old_label=old.label, new_label=new.label)
    if _emit(text, args.output, args.force) != EXIT_OK:
        return failed
    if args.exit_code:
        return EXIT_OK if diff.is_empty else EXIT_INVALID
    return EXIT_OK


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write to OUT (atomically) instead of stdout"
    )
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")


def register(sub: Any, handlers: dict[str, Handler]) -> None:
    """Add export, snapshot, snapshots and diff to the `mlfolio` subcommands."""
    p = sub.add_parser(
        "export",
        help="export a portfolio (- reads stdin): md, html, json, csv, or an svg of the dashboard",
        description="Export a portfolio report. Figures are computed as of now.",
    )
    p.add_argument("file", metavar="FILE", nargs="?")
    p.add_argument("--format", choices=(*FORMATS, "svg"), default="md")
    p.add_argument(
        "--size",
        default=f"{DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]}",
        metavar="WxH",
        help="terminal size for --format svg (default %(default)s)",
    )
    p.add_argument(
        "--json-schema", action="store_true", help="print the JSON Schema of the JSON export"
    )
    p.add_argument(
        "--open-only",
        action="store_true",
        help="leave parked, killed and shipped projects out (md, html, json, csv)",
    )
    _output_options(p)
    handlers["export"] = cmd_export

    p = sub.add_parser(
        "snapshot", help="save a timestamped copy of the portfolio and its Markdown report"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dir", metavar="DIR", help="where snapshots go (default: snapshots/ by FILE)")
    p.add_argument("--label", metavar="TEXT", help="a label, kept and used in the file name")
    p.add_argument(
        "--git-tag",
        nargs="?",
        const="",
        metavar="NAME",
        help="also tag HEAD NAME (default mlfolio-<snapshot>), an annotated tag holding the report",
    )
    handlers["snapshot"] = cmd_snapshot

    p = sub.add_parser("snapshots", help="list a portfolio's snapshots, oldest first")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dir", metavar="DIR", help="where snapshots are (default: snapshots/ by FILE)")
    p.add_argument("--json", action="store_true", help="list as JSON")
    handlers["snapshots"] = cmd_snapshots

    p = sub.add_parser(
        "diff",
        help="compare two versions of a portfolio: only what changed",
        usage="mlfolio diff [options] OLD [NEW] [FILE]",
        description=(
            "OLD and NEW each name a version: `-` (standard input), a file (pipes too),"
            " `git:REV`, a snapshot name or label (`latest` is the newest), or a git"
            " revision (HEAD~1, a branch, a tag), tried in that order. Snapshots and"
            " revisions are of FILE (default: --portfolio, else the last name that is a"
            " file, else portfolio.toml). Without NEW, OLD is compared with FILE on disk."
        ),
    )
    p.add_argument("versions", nargs="+", metavar="OLD [NEW] [FILE]")
    p.add_argument("--format", choices=DIFF_FORMATS, default="text")
    p.add_argument(
        "--exit-code",
        action="store_true",
        help="exit 1 when there are differences, 0 when none, 2 on an error (as git diff)",
    )
    p.add_argument("--portfolio", metavar="FILE", help="the portfolio whose snapshots to look in")
    p.add_argument("--dir", metavar="DIR", help="where snapshots are (default: snapshots/)")
    _output_options(p)
    handlers["diff"] = cmd_diff
