"""`mlfolio move`, `set` and `record`: the app's edits from the command line.

For scripts and training pipelines (a data flywheel feeding the portfolio):
each command builds the same edit value the app would, checks it against the
file for a clear message, then saves it through `portfolio.sync.commit`, the
lock / re-apply / atomic-write path every writer shares. Every refusal is one
line on stderr and exit status 1 (75 when another writer held the lock: try
again), and the file is left untouched. `--format json` also puts the outcome
on stdout as one JSON object, for scripts.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.edits.changes import Edit, EditError, MoveProject, RecordScores, SetField
from core.forms.fields import FieldSpec, parse_scores, parse_value, project_fields
from core.models import Portfolio, Project, Stage
from core.rules.lifecycle import find_move, open_checklist_items, reason_code_problem
from portfolio import LoadError, LockBusyError, SaveError
from portfolio.sync import LOCK_TIMEOUT, Pending, commit, read_version
from tui.clock import utc_now
from tui.text import plain

Handler = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_REFUSED = 1
"""A bad project, field or value, or a save that could not happen: nothing changed."""
EXIT_BUSY = 75
"""Another writer held the lock longer than `--wait`: nothing changed, try again (EX_TEMPFAIL)."""


class RefusedError(Exception):
    """The command cannot be carried out; the message is one line without the command's name."""


def register(sub: Any, handlers: dict[str, Handler]) -> None:
    """Add `move`, `set` and `record` to the `mlfolio` parser's subparsers."""
    p = sub.add_parser(
        "move",
        help="move a project to another stage (a back move needs --reason)",
        description="Move PROJECT to STAGE under the lifecycle's rules, recording who and why.",
    )
    _file_and_project(p)
    p.add_argument("stage", metavar="STAGE", help="; ".join(stage.value for stage in Stage))
    p.add_argument("--reason", default="", metavar="TEXT", help="why (needed to go back)")
    p.add_argument(
        "--reason-code",
        metavar="CODE",
        help="a back move's reason as a code, e.g. labels-unreliable (docs/format.md lists"
        " the codes per move; other = explained by --reason)",
    )
    p.add_argument(
        "--override-checklist",
        action="store_true",
        help="leave planning even with feasibility checklist items open (recorded as such)",
    )
    _common(p)
    handlers["move"] = cmd_move

    p = sub.add_parser(
        "set",
        help="set one field of a project, e.g. feasibility.data_availability 4",
        description=(
            "Set FIELD (a dotted path, as the app's editor names it) of PROJECT to VALUE,"
            " parsed the way the editor parses typed input; an empty VALUE clears an"
            " optional field."
        ),
    )
    _file_and_project(p)
    p.add_argument("field", metavar="FIELD", help="e.g. title, impact.automation, checklist.ethics")
    p.add_argument("value", metavar="VALUE")
    _common(p)
    handlers["set"] = cmd_set

    p = sub.add_parser(
        "record",
        help="add or update a candidate model's scores, e.g. resnet auc=0.91",
        description=(
            "Record scores of MODEL on PROJECT, adding the model when it is new; scores"
            " not named keep their values."
        ),
    )
    _file_and_project(p)
    p.add_argument("model", metavar="MODEL")
    p.add_argument("scores", metavar="METRIC=VALUE", nargs="+")
    p.add_argument(
        "--split",
        choices=("validation", "train"),
        default="validation",
        help="which scores these are (default: %(default)s)",
    )
    p.add_argument(
        "--add-metric",
        action="store_true",
        help="metrics the project does not have are new: define them (otherwise refused)",
    )
    _common(p)
    handlers["record"] = cmd_record


def _file_and_project(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE")
    p.add_argument("project", metavar="PROJECT", help="the project's id")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", metavar="NAME", help="who made the change (default: $USER)")
    p.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=LOCK_TIMEOUT,
        help="how long to wait for another writer's lock (default: %(default)g)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: the outcome as one JSON object on stdout",
    )


# ------------------------------------------------------------------ commands


def cmd_move(args: argparse.Namespace) -> int:
    """Move a project to a stage, with a reason and, if asked, past the checklist."""

    def build(portfolio: Portfolio) -> tuple[Edit, str]:
        project = find(portfolio, args.project)
        stage = _stage(args.stage)
        code = args.reason_code
        if code is not None and find_move(project.stage, stage) is not None:
            problem = reason_code_problem(project.stage, stage, code.strip())
            if problem is not None:
                raise RefusedError(f"{project.id}: {problem}")
        code = None if code is None else code.strip()
        edit = MoveProject(
            project.id, stage, args.reason, override=args.override_checklist, reason_code=code
        )
        return edit, _move_hint(project, stage, args)

    return run("move", args, build)


def cmd_set(args: argparse.Namespace) -> int:
    """Set one field of a project by its dotted path."""

    def build(portfolio: Portfolio) -> tuple[Edit, str]:
        project = find(portfolio, args.project)
        spec = field_spec(project, args.field)
        try:
            value = parse_value(spec, args.value)
        except ValueError as error:
            raise RefusedError(f"{project.id}: {error}") from None
        return SetField(project.id, spec.path, value), ""

    return run("set", args, build)


def cmd_record(args: argparse.Namespace) -> int:
    """Merge a candidate model's scores (validation or train)."""

    def build(portfolio: Portfolio) -> tuple[Edit, str]:
        project = find(portfolio, args.project)
        scores: dict[str, float] = {}
        for text in args.scores:
            try:
                given = parse_scores(text)
            except ValueError as error:
                raise RefusedError(f"{project.id}: {error}") from None
            for name in given:
                if name in scores:
                    raise RefusedError(f"{project.id}: scores: {name!r} is given twice")
            scores.update(given)
        if not scores:
            raise RefusedError(f"{project.id}: scores: give at least one metric=value")
        new = tuple(name for name in scores if project.metric(name) is None)
        if new and not args.add_metric:
            raise RefusedError(_unknown_metric(project, new[0]))
        edit = RecordScores(project.id, args.model, scores, split=args.split, new_metrics=new)
        return edit, ""

    return run("record", args, build)


# ------------------------------------------------------------------ the path


Build = Callable[[Portfolio], tuple[Edit, str]]
"""Makes a command's edit from the file's portfolio, with a hint for when the rules refuse it."""


def run(command: str, args: argparse.Namespace, build: Build) -> int:
    """Read the file, build and check the edit, commit it; print one line either way."""
    name = plain(args.file)
    user = args.by if args.by is not None else _current_user()
    if not user or plain(user) != user:
        return refuse(command, "--by must be a non-empty name without control characters", args)
    try:
        version = read_version(Path(args.file))
    except LoadError as error:
        first = error.problems[0]
        if first.message == "cannot read: no such file":
            return refuse(command, f"{name}: no such file", args)
        more = len(error.errors) - 1
        return refuse(command, error.errors[0] + (f" (and {more} more)" if more else ""), args)
    try:
        edit, hint = build(version.portfolio)
    except RefusedError as error:
        return refuse(command, f"{name}: {error}", args)
    now = utc_now()
    try:
        edit.apply(version.portfolio, now, user)
    except EditError as error:
        message = str(error).removesuffix(" (override to move anyway)") if hint else str(error)
        return refuse(command, f"{name}: {message}{hint}", args)
    try:
        pending = Pending(edit, now, user)
        result = commit(Path(args.file), [pending], base=version, lock_timeout=args.wait)
    except LockBusyError as error:
        return refuse(command, str(error), args, status=EXIT_BUSY)
    except SaveError as error:
        return refuse(command, str(error), args)
    if result.rejected:
        reason = result.rejected[0].reason
        return refuse(command, f"{name}: {reason} (after a change saved meanwhile)", args)
    line = f"{name}: {edit.describe()} (by {user})"
    if result.others_changed:
        line += "; re-applied on top of a change saved meanwhile"
    if _as_json(args):
        outcome = {
            "ok": True,
            "command": command,
            "file": args.file,
            "project": args.project,
            "change": edit.describe(),
            "by": user,
            "reapplied": result.others_changed,
        }
        print(json.dumps(outcome, ensure_ascii=False))
    else:
        print(plain(line))
    return EXIT_OK


def refuse(
    command: str,
    message: str,
    args: argparse.Namespace | None = None,
    *,
    status: int = EXIT_REFUSED,
) -> int:
    """Print `mlfolio COMMAND: message` as one plain line on stderr; return `status`.

    With `--format json` the refusal is also one JSON object on stdout, whose
    `status` says "busy" (try again) or "refused".
    """
    sys.stderr.write(plain(f"mlfolio {command}: {message}") + "\n")
    if args is not None and _as_json(args):
        outcome = {
            "ok": False,
            "command": command,
            "status": "busy" if status == EXIT_BUSY else "refused",
            "exit": status,
            "error": plain(message),
        }
        print(json.dumps(outcome, ensure_ascii=False))
    return status


def _as_json(args: argparse.Namespace) -> bool:
    return getattr(args, "format", "text") == "json"


def find(portfolio: Portfolio, project_id: str) -> Project:
    """The project with this id, or RefusedError naming the nearest id."""
    project = portfolio.project(project_id)
    if project is not None:
        return project
    ids = [p.id for p in portfolio.projects]
    raise RefusedError(f"no project {project_id!r}{_did_you_mean(project_id, ids)}")


def field_spec(project: Project, path: str) -> FieldSpec:
    """The editor's spec for a field path of this project, or RefusedError naming the nearest."""
    specs = {spec.path: spec for section in project_fields(project) for spec in section.fields}
    spec = specs.get(path)
    if spec is not None:
        return spec
    if path.split(".", maxsplit=1)[0] == "stage":
        raise RefusedError(
            f"{project.id}: the stage changes by moving: mlfolio move FILE PROJECT STAGE"
        )
    suggestion = _did_you_mean(path, list(specs))
    if not suggestion:
        groups = dict.fromkeys(
            spec.path.split(".")[0] + (".*" if "." in spec.path else "") for spec in specs.values()
        )
        suggestion = f" (fields: {', '.join(groups)})"
    raise RefusedError(f"{project.id}: no field {path!r}{suggestion}")


def _unknown_metric(project: Project, name: str) -> str:
    """Why a score for `name` is refused: the nearest metric, or the list of them."""
    names = [m.name for m in project.metrics]
    hint = _did_you_mean(name, names)
    if not hint:
        hint = f" (metrics: {', '.join(names)})" if names else " (it has no metrics yet)"
    return f"{project.id} has no metric {name!r}{hint}; --add-metric records it as a new metric"


def _stage(text: str) -> Stage:
    try:
        return Stage(text.strip().lower())
    except ValueError:
        names = ", ".join(stage.value for stage in Stage)
        raise RefusedError(f"{text!r} is not a stage (one of {names})") from None


def _move_hint(project: Project, stage: Stage, args: argparse.Namespace) -> str:
    """What to add to the command when the lifecycle refuses the move."""
    move = find_move(project.stage, stage)
    if move is None:
        return ""
    if move.needs_reason and not args.reason.strip():
        return " (give it with --reason TEXT or --reason-code CODE)"
    if not args.override_checklist and open_checklist_items(project):
        return " (--override-checklist moves it anyway)"
    return ""


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _current_user() -> str:
    from tui.dashboard.launch import current_user

    return current_user()
