"""`mlfolio rate` and `mlfolio apply-ratings`: the team's ratings from the command line.

`rate FILE PROJECT LENS=SCORE… [--by NAME]` records one person's rating of
some lenses and cost drivers (docs/triage.md); `apply-ratings FILE PROJECT
[LENS=SCORE…] [--only LENS] [--range]` is the lead's rule, the median of the
current ratings or the values given, optionally with the raters' spread as the
score's range. Both go through the same path as `move`, `set` and `record`
(`tui.cli.edit.run`: checked against the file, committed under the lock,
re-applied on a change saved meanwhile) and refuse bad input in one line.
"""

from __future__ import annotations

import argparse
from typing import Any

from core.edits.changes import ApplyRatings, Edit, Rate
from core.models import Portfolio
from core.vocabulary import RATED_KEYS
from tui.cli.edit import Handler, RefusedError, _common, _current_user, _did_you_mean, find, run

_KEYS_HELP = ", ".join(RATED_KEYS)


def register(sub: Any, handlers: dict[str, Handler]) -> None:
    """Add `rate` and `apply-ratings` to the `mlfolio` parser's subparsers."""
    p = sub.add_parser(
        "rate",
        help="rate a project's lenses and cost drivers, e.g. automation=4 (1-5)",
        description=(
            "Record the rating of PROJECT by --by (default: $USER): each LENS=SCORE names"
            f" a lens or cost driver ({_KEYS_HELP}) and a score from 1 to 5. Scores not"
            " named keep the person's earlier rating; the earlier rating stays in the"
            " file, marked superseded."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("project", metavar="PROJECT", help="the project's id")
    p.add_argument("scores", metavar="LENS=SCORE", nargs="+")
    _common(p)
    handlers["rate"] = cmd_rate

    p = sub.add_parser(
        "apply-ratings",
        help="set a project's scores from its ratings: the median, or LENS=SCORE chosen",
        description=(
            "Set each rated lens and cost driver of PROJECT to the median of the current"
            " ratings (a half rounds down), or to the SCORE given for it; --range also"
            " keeps the raters' spread as the score's range."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("project", metavar="PROJECT", help="the project's id")
    p.add_argument("scores", metavar="LENS=SCORE", nargs="*", help="values chosen by the lead")
    p.add_argument(
        "--only", metavar="LENS", action="append", default=[], help="only these (repeatable)"
    )
    p.add_argument("--range", action="store_true", help="keep the raters' spread as the range")
    _common(p)
    handlers["apply-ratings"] = cmd_apply


def parse_ratings(project_id: str, texts: list[str]) -> tuple[tuple[str, int], ...]:
    """`LENS=SCORE` words as (key, score) pairs; RefusedError naming the first bad one.

    A lens may be written with hyphens or spaces (`cheap-prediction`); an
    unknown one gets the nearest name, a score must be a whole number 1 to 5.
    """
    scores: dict[str, int] = {}
    for text in texts:
        name, equals, value = text.partition("=")
        if not equals:
            raise RefusedError(f"{project_id}: {text!r} is not LENS=SCORE (e.g. automation=4)")
        key = rated_key(project_id, name)
        try:
            score = int(value.strip())
        except ValueError:
            raise RefusedError(f"{project_id}: {key}: {value!r} is not a whole number") from None
        if not 1 <= score <= 5:
            raise RefusedError(f"{project_id}: {key}: a score is 1 to 5 (got {score})")
        if key in scores:
            raise RefusedError(f"{project_id}: {key} is given twice")
        scores[key] = score
    return tuple(scores.items())


def rated_key(project_id: str, name: str) -> str:
    """The lens or cost driver `name` means, or RefusedError with the nearest one."""
    key = "_".join(name.strip().lower().replace("-", " ").split())
    if key in RATED_KEYS:
        return key
    hint = _did_you_mean(key, list(RATED_KEYS)) or f" (one of {_KEYS_HELP})"
    raise RefusedError(f"{project_id}: {name!r} is not a lens or cost driver{hint}")


def cmd_rate(args: argparse.Namespace) -> int:
    """Record one person's rating of a project."""
    rater = args.by if args.by is not None else _current_user()

    def build(portfolio: Portfolio) -> tuple[Edit, str]:
        project = find(portfolio, args.project)
        return Rate(project.id, rater, parse_ratings(project.id, args.scores)), ""

    return run("rate", args, build)


def cmd_apply(args: argparse.Namespace) -> int:
    """Set a project's scores from its ratings (the median rule, or chosen values)."""

    def build(portfolio: Portfolio) -> tuple[Edit, str]:
        project = find(portfolio, args.project)
        chosen = parse_ratings(project.id, args.scores)
        only = tuple(rated_key(project.id, name) for name in args.only)
        return ApplyRatings(project.id, only, chosen, with_range=args.range), ""

    return run("apply-ratings", args, build)
