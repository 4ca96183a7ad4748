"""The `mlfolio` command: headless subcommands, and the dashboard by default.

Headless commands never import Textual, so scripts and pipelines start fast;
the dashboard (`open`, the default) imports neither `core` nor `portfolio`
here, nor the other commands' modules, so that its first frame comes before
pydantic is loaded at all. Bad input ends in one-line errors on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui.text import plain

if TYPE_CHECKING:
    from core.models import Portfolio

DEFAULT_FILE = "portfolio.toml"

COMMANDS = frozenset(
    {
        "validate",
        "rank",
        "init",
        "schema",
        "open",
        "serve",
        "web",
        "export",
        "snapshot",
        "snapshots",
        "diff",
        "move",
        "set",
        "record",
    }
)
"""Every subcommand's name, known without building the parser (which imports their modules)."""

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def _fail(lines: Sequence[str]) -> int:
    for line in lines:
        sys.stderr.write(plain(line) + "\n")
    return EXIT_INVALID


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file; print one line per error; exit 1 when any is invalid."""
    from portfolio import LoadError, load

    status = EXIT_OK
    for name in args.files:
        try:
            portfolio = load(name)
        except LoadError as error:
            _fail(error.errors)
            status = EXIT_INVALID
            continue
        if not args.quiet:
            count = len(portfolio.projects)
            print(f"{plain(name)}: ok ({count} project{'s' if count != 1 else ''})")
    return status


def _rank_rows(portfolio: Portfolio) -> list[dict[str, object]]:
    from core.consistency import check_portfolio
    from core.priority import quadrant_name, rank
    from tui.clock import utc_now

    findings = check_portfolio(portfolio, utc_now())
    names = portfolio.settings.quadrant_names
    by_id = {project.id: project for project in portfolio.projects}
    rows: list[dict[str, object]] = []
    for position, assessment in enumerate(rank(portfolio), start=1):
        project = by_id[assessment.project_id]
        rows.append(
            {
                "rank": position,
                "id": project.id,
                "title": project.title,
                "stage": project.stage.value,
                "impact": round(assessment.impact, 2),
                "feasibility": round(assessment.feasibility, 2),
                "quadrant": quadrant_name(assessment.quadrant, names),
                "score": assessment.score,
                "warnings": len(findings.get(project.id, ())),
            }
        )
    return rows


def _table(rows: list[dict[str, object]]) -> str:
    if not rows:
        return "(no projects)\n"
    headers = list(rows[0])
    cells = [[plain(str(row[h])) for h in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    numeric = {"rank", "impact", "feasibility", "score", "warnings"}

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if h in numeric else v.ljust(w)
            for h, v, w in zip(headers, values, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(c) for c in cells)
    return "\n".join(out) + "\n"


def cmd_rank(args: argparse.Namespace) -> int:
    """Print the ranked portfolio as a table, JSON or CSV."""
    from portfolio import LoadError, load

    try:
        portfolio = load(args.file)
    except LoadError as error:
        return _fail(error.errors)
    rows = _rank_rows(portfolio)
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer,
            fieldnames=list(rows[0]) if rows else ["rank"],
            lineterminator="\n",
        )
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        sys.stdout.write(_table(rows))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """Write the bundled example portfolio; refuse to overwrite anything."""
    from portfolio import SaveError
    from portfolio.example import write_example

    try:
        write_example(Path(args.file))
    except (FileExistsError, SaveError) as error:
        return _fail([f"mlfolio init: {error}"])
    print(f"wrote the example portfolio to {plain(args.file)}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the portfolio file."""
    from portfolio import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    """Open the dashboard on a portfolio file."""
    path = Path(args.file)
    if not path.exists():
        name = plain(args.file)
        return _fail([f"{name}: no such file; `mlfolio init {name}` writes the example"])
    user = args.user
    if user is not None and (not user or plain(user) != user):
        return _fail(["mlfolio open: --user must be a non-empty name without control characters"])
    from tui.launch import open_dashboard

    return open_dashboard(path, user=user, read_only=args.read_only)


def _parser(
    *, only_open: bool = False
) -> tuple[_Parser, dict[str, Callable[[argparse.Namespace], int]]]:
    """The `mlfolio` parser and its handlers.

    `only_open` leaves out the commands defined in other modules (`serve`, the
    exports, the edits), sparing the dashboard the import of those modules.
    """
    parser = _Parser(
        prog="mlfolio",
        description="Decide which ML projects to pursue, and keep them honest afterwards.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {}

    p = sub.add_parser("validate", help="check portfolio files; one line per error")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    handlers["validate"] = cmd_validate

    p = sub.add_parser("rank", help="print the projects ranked by priority")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    handlers["rank"] = cmd_rank

    p = sub.add_parser("init", help="write the example portfolio (never overwrites)")
    p.add_argument("file", metavar="FILE", nargs="?", default=DEFAULT_FILE)
    handlers["init"] = cmd_init

    p = sub.add_parser("schema", help="print the JSON Schema of the portfolio file")
    handlers["schema"] = cmd_schema

    p = sub.add_parser("open", help="open the dashboard (the default command)")
    p.add_argument("file", metavar="FILE", nargs="?", default=DEFAULT_FILE)
    p.add_argument("--user", metavar="NAME", help="who the edits are by (default: $USER)")
    p.add_argument("--read-only", action="store_true", help="view only: every edit is disabled")
    handlers["open"] = cmd_open
    if only_open:
        return parser, handlers

    from tui import cli_edit, cli_export, serve, web

    serve.register(sub, handlers)
    web.register(sub, handlers)
    cli_export.register(sub, handlers)
    cli_edit.register(sub, handlers)
    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: `mlfolio [FILE]` opens the dashboard; `mlfolio COMMAND ...` runs one."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_in if not a.startswith("-")), None)
    if (first is None and not any(a in ("-h", "--help") for a in args_in)) or (
        first is not None and first not in COMMANDS
    ):
        args_in = ["open", *args_in]
    parser, handlers = _parser(only_open=args_in[0] == "open")
    args = parser.parse_args(args_in)
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: quietly stop.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
