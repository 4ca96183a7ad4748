"""The git commands: `merge-driver`, `git setup | diff-driver | textconv`, `log`.

Headless. `merge-driver` and the two `git` drivers are what git runs once
`mlfolio git setup` has configured the repository (docs/git.md); `log` reads
the portfolio's history from git. Errors are one plain line on stderr.
"""

from __future__ import annotations

import argparse
import difflib
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.compare.diff import diff_portfolios
from core.compare.log import project_lines, summarize
from core.models import Portfolio
from portfolio import LoadError, SaveError
from portfolio.exports import render_diff
from portfolio.git import GitError, Repository, find_repository
from portfolio.git_log import portfolio_log
from portfolio.git_setup import set_up
from portfolio.merging import merge_files, read_version
from portfolio.snapshots import SnapshotInfo
from tui.text import plain

__all__ = ["mlfolio_command", "register", "tag_snapshot"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace], int]


def _fail(*lines: str) -> int:
    for line in lines:
        sys.stderr.write(plain(line) + "\n")
    return EXIT_INVALID


def mlfolio_command() -> str:
    """How git should run this mlfolio: this interpreter, so no PATH is needed."""
    return f"{shlex.quote(sys.executable)} -m tui.cli"


# -- merge-driver --------------------------------------------------------------------------


def cmd_merge_driver(args: argparse.Namespace) -> int:
    """git's merge driver: merge %B into %A given %O; exit 1 when conflicts are left."""
    name = args.name or args.ours
    try:
        result = merge_files(args.base, args.ours, args.theirs, name=name)
    except LoadError as error:
        return _fail(*error.errors, f"mlfolio merge-driver: {name} left as ours; merge it by hand")
    except SaveError as error:
        return _fail(f"mlfolio merge-driver: {error}")
    conflicts = result.portfolio.conflicts
    if not conflicts:
        return EXIT_OK
    for conflict in conflicts:
        why = f" ({conflict.reason})" if conflict.reason else ""
        sides = f"ours {conflict.ours!r}, theirs {conflict.theirs!r}"
        _fail(f"{name}: conflict at {conflict.path}{why}: {sides}")
    count = len(conflicts)
    return _fail(
        f"mlfolio merge-driver: {count} conflict{'s' if count != 1 else ''} left in {name}"
        " as [[conflicts]] tables (ours kept in place); settle each and delete its table"
    )


# -- git setup / drivers -------------------------------------------------------------------


def _repository(path: str) -> Repository | None:
    try:
        return find_repository(path)
    except GitError as error:
        _fail(f"mlfolio git: {error}")
        return None


def cmd_git_setup(args: argparse.Namespace) -> int:
    """Configure the repository holding FILE to merge and diff it with mlfolio."""
    repository = _repository(args.file)
    if repository is None:
        return EXIT_INVALID
    try:
        changes = set_up(repository, args.file, mlfolio_command())
    except (GitError, SaveError) as error:
        return _fail(f"mlfolio git setup: {error}")
    if not changes:
        print(f"{plain(args.file)}: git is already set up for it")
    for change in changes:
        print(f"{plain(change.where)}: {plain(change.what)}")
    return EXIT_OK


def _read_or_empty(path: str, label: str) -> Portfolio:
    return Portfolio() if path == "/dev/null" else read_version(path, label, empty_ok=True)


def cmd_git_diff_driver(args: argparse.Namespace) -> int:
    """git's external diff: `PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE`."""
    given: list[str] = args.args
    if len(given) == 1:
        print(f"* unmerged path {plain(given[0])}")
        return EXIT_OK
    if len(given) < 7:
        sys.stderr.write("mlfolio git diff-driver: git gives 7 arguments (or 1)\n")
        return EXIT_USAGE
    path, old_file, new_file = given[0], given[1], given[4]
    try:
        old = _read_or_empty(old_file, f"a/{path}")
        new = _read_or_empty(new_file, f"b/{path}")
    except LoadError as error:
        for line in error.errors:
            print(f"mlfolio: {plain(line)}")
        print("mlfolio: showing the lines that changed instead")
        sys.stdout.writelines(_line_diff(old_file, new_file, path))
        return EXIT_OK
    diff = diff_portfolios(old, new)
    print(f"mlfolio diff a/{plain(path)} b/{plain(path)}")
    sys.stdout.write(render_diff(diff, "text", old_label=f"a/{path}", new_label=f"b/{path}"))
    return EXIT_OK


def _line_diff(old_file: str, new_file: str, path: str) -> list[str]:
    def lines(name: str) -> list[str]:
        try:
            return Path(name).read_text("utf-8", "replace").splitlines(keepends=True)
        except OSError:
            return []

    found = difflib.unified_diff(lines(old_file), lines(new_file), f"a/{path}", f"b/{path}")
    return [plain(line.rstrip("\n")) + "\n" for line in found]


def cmd_git_textconv(args: argparse.Namespace) -> int:
    """git's textconv: the file as one line per project (the raw text if it does not load)."""
    try:
        portfolio = read_version(args.file, args.file, empty_ok=True)
    except LoadError:
        sys.stdout.write(Path(args.file).read_text("utf-8", "replace"))
        return EXIT_OK
    sys.stdout.writelines(plain(line) + "\n" for line in project_lines(portfolio))
    return EXIT_OK


# -- log -----------------------------------------------------------------------------------


def cmd_log(args: argparse.Namespace) -> int:
    """The portfolio's history from git: one line per commit, with what it changed."""
    if args.n is not None and args.n < 1:
        sys.stderr.write("mlfolio log: error: -n takes a positive number\n")
        return EXIT_USAGE
    repository = _repository(args.file)
    if repository is None:
        return EXIT_INVALID
    try:
        relative = repository.relative(args.file)
        entries = portfolio_log(repository, relative, limit=args.n, project=args.project)
        shown = 0
        for entry in entries:
            commit = entry.commit
            head = f"{commit.short} {commit.date} {plain(commit.author)}  {plain(commit.subject)}"
            if entry.diff is None:
                detail = f"cannot read: {plain(entry.error)}"
            else:
                phrases = summarize(entry.diff, args.project)
                detail = "; ".join(plain(p) for p in phrases) or "edited (no move or verdict)"
            print(f"{head}\n    {detail}")
            shown += 1
    except GitError as error:
        return _fail(f"mlfolio log: {error}")
    if shown == 0:
        what = f" touching {plain(args.project)}" if args.project else ""
        print(f"no commits of {plain(relative)}{what}")
    return EXIT_OK


# -- snapshot --git-tag --------------------------------------------------------------------


def check_taggable(file: str) -> Repository | None:
    """The repository to tag a snapshot of FILE in, if FILE is committed as it is; else None."""
    repository = _repository(file)
    if repository is None:
        return None
    try:
        relative = repository.relative(file)
        if repository.blob("HEAD", relative) is None or not repository.is_clean(relative):
            _fail(
                f"mlfolio snapshot: {plain(file)} differs from HEAD; commit it first,"
                " so the tag names the version the report is of"
            )
            return None
    except GitError as error:
        _fail(f"mlfolio snapshot: {error}")
        return None
    return repository


def tag_snapshot(repository: Repository, name: str, info: SnapshotInfo) -> int:
    """Tag HEAD `name` (default `mlfolio-<snapshot name>`) with the snapshot's report."""
    tag = name or f"mlfolio-{info.name}"
    report = info.markdown_path.read_text("utf-8") if info.markdown_path else ""
    message = f"mlfolio snapshot {info.name}\n\n{report}"
    try:
        repository.tag(tag, message)
    except GitError as error:
        return _fail(f"mlfolio snapshot: {error}")
    print(f"tagged HEAD {plain(tag)}")
    return EXIT_OK


def register(sub: Any, handlers: dict[str, Handler], default_file: str) -> None:
    """Add merge-driver, git and log to the `mlfolio` subcommands."""
    p = sub.add_parser(
        "merge-driver",
        help="git's merge driver: merge a portfolio by meaning (see docs/git.md)",
        description="Merge THEIRS into OURS given their ancestor BASE, writing OURS;"
        " exit 1 when conflicts are left.",
    )
    p.add_argument("base", metavar="BASE")
    p.add_argument("ours", metavar="OURS")
    p.add_argument("theirs", metavar="THEIRS")
    p.add_argument("name", metavar="PATH", nargs="?", help="the file's name in messages")
    handlers["merge-driver"] = cmd_merge_driver

    p = sub.add_parser("git", help="set a git repository up for the portfolio; git's drivers")
    git_sub = p.add_subparsers(dest="git_command", metavar="ACTION", required=True)
    q = git_sub.add_parser("setup", help="write .gitattributes, git config and .gitignore lines")
    q.add_argument("file", metavar="FILE", nargs="?", default=default_file)
    q.set_defaults(git_handler=cmd_git_setup)
    q = git_sub.add_parser("diff-driver", help="git's external diff command (7 arguments)")
    q.add_argument("args", nargs="+", metavar="ARG")
    q.set_defaults(git_handler=cmd_git_diff_driver)
    q = git_sub.add_parser("textconv", help="git's textconv: one line per project")
    q.add_argument("file", metavar="FILE")
    q.set_defaults(git_handler=cmd_git_textconv)
    handlers["git"] = lambda args: int(args.git_handler(args))

    p = sub.add_parser(
        "log", help="the portfolio's history from git, with what each commit changed"
    )
    p.add_argument("file", metavar="FILE", nargs="?", default=default_file)
    p.add_argument("--project", metavar="ID", help="only commits that changed this project")
    p.add_argument("-n", type=int, metavar="N", help="at most N commits")
    handlers["log"] = cmd_log
