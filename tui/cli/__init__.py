"""The `mlfolio` command: headless subcommands, and the dashboard by default.

Headless commands never import Textual, so scripts and pipelines start fast;
the dashboard (`open`, the default) imports neither `core` nor `portfolio`
here, nor the other commands' modules, so that its first frame comes before
pydantic is loaded at all. Bad input ends in one-line errors on stderr and a
non-zero exit, never a traceback; nothing a user typed or named reaches the
terminal as a control sequence.

The same `main` runs as `mlfolio`, `python -m tui` and `python -m tui.cli`
(the form `mlfolio serve` starts its dashboards with).
"""

from __future__ import annotations

import argparse
import csv
import difflib
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
        "rate",
        "apply-ratings",
        "completion",
        "merge-driver",
        "git",
        "log",
    }
)
"""Every subcommand's name, known without building the parser (which imports their modules)."""

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

NO_TERMINAL = "the dashboard needs a terminal; did you mean `mlfolio validate {file}`?"
"""Said when `mlfolio FILE` has no terminal on stdin or stdout (a script, `ssh` without -t)."""


def version() -> str:
    """mlfolio's version, from the installed package's metadata."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("mlfolio")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one plain line and exit 2.

    argparse quotes what was typed in its messages; a hostile file name or
    argument must not move the cursor or retitle the terminal, so control
    characters are dropped.
    """

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {plain(message)}\n")
        raise SystemExit(EXIT_USAGE)


def _fail(lines: Sequence[str]) -> int:
    for line in lines:
        sys.stderr.write(plain(line) + "\n")
    return EXIT_INVALID


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file (`-` is stdin); one line per error; exit 1 when any is invalid.

    A file that loads but holds unresolved merge conflicts is invalid too: one
    line per conflict, at its `[[conflicts]]` entry. With `--format json`,
    stdout holds one object per file: whether it is valid, its project count,
    and its errors with file, line, column, message and key path (the error
    lines still go to stderr).
    """
    from portfolio import LoadError
    from portfolio.merging import conflict_problems
    from tui.cli.reading import load_input, source_name

    status = EXIT_OK
    report: list[dict[str, object]] = []
    for name in args.files:
        try:
            portfolio = load_input(name)
        except LoadError as error:
            _fail(error.errors)
            status = EXIT_INVALID
            problems = [
                {"file": p.source, "line": p.line, "column": p.column, "message": p.message}
                | ({"at": p.where} if p.where else {})
                for p in error.problems
            ]
            report.append({"file": source_name(name), "valid": False, "errors": problems})
            continue
        count = len(portfolio.projects)
        if portfolio.conflicts:
            try:
                text: str | None = Path(name).read_text("utf-8") if Path(name).is_file() else None
            except (OSError, UnicodeDecodeError):
                text = None
            found = conflict_problems(portfolio, text, source_name(name))
            _fail([str(p) for p in found])
            status = EXIT_INVALID
            problems = [
                {"file": p.source, "line": p.line, "column": p.column, "message": p.message}
                for p in found
            ]
            report.append({"file": source_name(name), "valid": False, "errors": problems})
            continue
        report.append({"file": source_name(name), "valid": True, "projects": count, "errors": []})
        if not args.quiet and args.format == "text":
            print(f"{plain(source_name(name))}: ok ({count} project{'s' if count != 1 else ''})")
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return status


def _rank_rows(
    portfolio: Portfolio, *, include_closed: bool, diagnosis: bool
) -> list[dict[str, object]]:
    """The ranking as rows; unscored projects show no figures, and `diagnosis` adds it."""
    from core.rules.baselines import baselines_for, diagnosis_of
    from core.rules.consistency import check_portfolio
    from core.rules.finding_counts import count_findings
    from core.rules.priority import UNSCORED, quadrant_name, rank
    from portfolio.exports.json_report import diagnosis_data
    from portfolio.exports.ratings import ratings_data
    from tui.clock import utc_now

    findings = check_portfolio(portfolio, utc_now())
    settings = portfolio.settings
    by_id = {project.id: project for project in portfolio.projects}
    rows: list[dict[str, object]] = []
    ranked = rank(portfolio, include_closed=include_closed)
    for position, assessment in enumerate(ranked, start=1):
        project = by_id[assessment.project_id]
        scored = assessment.scored
        counts = count_findings(findings.get(project.id, ()))
        row: dict[str, object] = {
            "rank": position,
            "id": project.id,
            "title": project.title,
            "stage": project.stage.value,
            "impact": round(assessment.impact, 2) if scored else None,
            "feasibility": round(assessment.feasibility, 2) if scored else None,
            "quadrant": (
                quadrant_name(assessment.quadrant, settings.quadrant_names) if scored else UNSCORED
            ),
            "score": (
                (
                    assessment.pessimistic_score
                    if settings.rank_by == "pessimistic"
                    else assessment.score
                )
                if scored
                else None
            ),
            "warnings": counts.warnings,
            "infos": counts.infos,
        }
        if diagnosis:
            entries = baselines_for(project, settings.underfit_margin)
            row["diagnosis"] = diagnosis_data(project, diagnosis_of(entries))
            row["ratings"] = ratings_data(project)
        rows.append(row)
    return rows


def _cells(text: str) -> int:
    """How many terminal cells `text` takes: CJK and emoji take two, combining marks none."""
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)  # control characters are gone by now


def _table(rows: list[dict[str, object]]) -> str:
    """The ranking as columns aligned by terminal cells, not characters (titles may be CJK)."""
    if not rows:
        return "(no projects)\n"
    headers = list(rows[0])
    cells = [[plain("" if row[h] is None else str(row[h])) for h in headers] for row in rows]
    widths = [max(_cells(h), *(_cells(c[i]) for c in cells)) for i, h in enumerate(headers)]
    numeric = {"rank", "impact", "feasibility", "score", "warnings", "infos"}

    def line(values: Sequence[str]) -> str:
        parts = [
            " " * (w - _cells(v)) + v if h in numeric else v + " " * (w - _cells(v))
            for h, v, w in zip(headers, values, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(c) for c in cells)
    return "\n".join(out) + "\n"


def cmd_rank(args: argparse.Namespace) -> int:
    """Print the ranked portfolio (a file, a pipe or `-`) as a table, JSON or CSV."""
    from portfolio import LoadError
    from tui.cli.reading import load_input

    try:
        portfolio = load_input(args.file)
    except LoadError as error:
        return _fail(error.errors)
    if args.pessimistic:
        from core.views.ranking import ranked_pessimistically

        portfolio = ranked_pessimistically(portfolio)
    rows = _rank_rows(portfolio, include_closed=args.all, diagnosis=args.format == "json")
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        from portfolio.exports.text import csv_cell

        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer,
            fieldnames=list(rows[0]) if rows else ["rank"],
            lineterminator="\n",
        )
        writer.writeheader()
        # Text cells as the CSV export writes them: one line, never a spreadsheet formula.
        writer.writerows(
            {
                key: csv_cell(value) if isinstance(value, str) else value
                for key, value in row.items()
            }
            for row in rows
        )
        sys.stdout.write(buffer.getvalue())
    else:
        sys.stdout.write(_table(rows))
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """Write the bundled example portfolio; refuse to overwrite anything.

    In a git work tree, the portfolio's lock file also goes into the
    `.gitignore` beside it, so that it never shows up as untracked, and
    `mlfolio git setup` is offered (or run, with `--git-setup`).
    """
    from portfolio import SaveError
    from portfolio.example import write_example
    from portfolio.gitignore import ignore_lock_file

    try:
        write_example(Path(args.file))
    except (FileExistsError, SaveError) as error:
        return _fail([f"mlfolio init: {error}"])
    print(f"wrote the example portfolio to {plain(args.file)}")
    try:
        ignore = ignore_lock_file(Path(args.file))
    except OSError as error:
        sys.stderr.write(
            plain(f"mlfolio init: could not add the lock file to .gitignore: {error}") + "\n"
        )
        return EXIT_OK
    if ignore is None:
        return EXIT_OK
    print(f"added its lock file to {plain(str(ignore))} (it stays between saves)")
    if args.git_setup:
        from tui.cli.git import cmd_git_setup

        return cmd_git_setup(args)
    name = plain(args.file)
    print(f"to merge and diff it by its meaning in git: mlfolio git setup {name}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the portfolio file."""
    from portfolio import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    """Open the dashboard on a portfolio file; refuse at once without a terminal.

    A browser session (`mlfolio web`) has no terminal but Textual's web driver,
    which speaks to the page over the pipes instead.
    """
    web_driver = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")
    if not web_driver and not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write("mlfolio: " + plain(NO_TERMINAL.format(file=args.file)) + "\n")
        return EXIT_USAGE
    path = Path(args.file)
    if not path.exists():
        name = plain(args.file)
        return _fail([f"{name}: no such file; `mlfolio init {name}` writes the example"])
    user = args.user
    if user is not None and (not user or plain(user) != user):
        return _fail(["mlfolio open: --user must be a non-empty name without control characters"])
    from tui.dashboard.launch import open_dashboard

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
        epilog="`mlfolio FILE` opens the dashboard; `python -m tui` runs the same command.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"mlfolio {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {}

    p = sub.add_parser("validate", help="check portfolio files (- is stdin); one line per error")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="json: a report on stdout"
    )
    handlers["validate"] = cmd_validate

    p = sub.add_parser("rank", help="print the projects ranked by priority (- reads stdin)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument(
        "--all",
        action="store_true",
        help="also rank parked, killed and shipped projects (after the open ones)",
    )
    p.add_argument(
        "--pessimistic",
        action="store_true",
        help="rank by the low ends of the score ranges, whatever the file's rank_by says",
    )
    handlers["rank"] = cmd_rank

    p = sub.add_parser("init", help="write the example portfolio (never overwrites)")
    p.add_argument("file", metavar="FILE", nargs="?", default=DEFAULT_FILE)
    p.add_argument(
        "--git-setup",
        action="store_true",
        help="in a git repository, also run `mlfolio git setup FILE`",
    )
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

    from tui import serve, web
    from tui.cli import completion
    from tui.cli import edit as cli_edit
    from tui.cli import export as cli_export
    from tui.cli import git as cli_git
    from tui.cli import rate as cli_rate

    serve.register(sub, handlers)
    web.register(sub, handlers)
    cli_export.register(sub, handlers)
    cli_edit.register(sub, handlers)
    cli_rate.register(sub, handlers)
    completion.register(sub, handlers, parser)
    cli_git.register(sub, handlers, DEFAULT_FILE)
    return parser, handlers


def _unknown_command(args: Sequence[str]) -> str | None:
    """Why `args` is neither a command nor a file to open, or None when it may be a file.

    `mlfolio rnak x.toml` would otherwise open the dashboard on a file named
    `rnak` and fail on the extra argument.
    """
    if not args or args[0].startswith("-"):
        return None  # options first: `mlfolio --user NAME FILE` opens the dashboard
    words = [a for a in args if not a.startswith("-")]
    first = words[0]
    if first in COMMANDS or Path(first).exists():
        return None
    close = difflib.get_close_matches(first, sorted(COMMANDS), n=1, cutoff=0.6)
    looks_like_a_word = not any(mark in first for mark in "./\\")
    if close and looks_like_a_word:
        return f"unknown command {first!r} (did you mean `mlfolio {close[0]}`?)"
    if len(words) > 1:
        return f"unknown command {first!r} (see `mlfolio --help`)"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: `mlfolio [FILE]` opens the dashboard; `mlfolio COMMAND ...` runs one."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_in if not a.startswith("-")), None)
    top_level = ("-h", "--help", "-V", "--version")
    if (first is None and not any(a in top_level for a in args_in)) or (
        first is not None and first not in COMMANDS
    ):
        problem = _unknown_command(args_in)
        if problem is not None:
            sys.stderr.write(f"mlfolio: error: {plain(problem)}\n")
            return EXIT_USAGE
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
    except Exception as error:  # anything unforeseen: one line here, the report in a file
        from tui import crash

        return crash.handle(error)


if __name__ == "__main__":
    raise SystemExit(main())
