"""Setting a repository up so git merges and diffs a portfolio by its meaning.

`set_up(repository, file, command)` makes, each only when missing (running it
twice changes nothing):

- a `.gitattributes` line `FILE merge=mlfolio diff=mlfolio` at the top of the
  work tree;
- the repository's config (`.git/config`, never the user's global one):
  `merge.mlfolio.name` and `merge.mlfolio.driver` (`COMMAND merge-driver %O %A
  %B %P`), `diff.mlfolio.command` (`COMMAND git diff-driver`, which git calls
  with its 7 arguments, so `git diff` shows the semantic diff) and
  `diff.mlfolio.textconv` (`COMMAND git textconv`: one line per project, which
  `git log -p` and `git show` use, as they do not run diff commands unless
  given `--ext-diff`);
- a `.gitignore` line for the portfolio's lock file.

`command` is how to run mlfolio here (the caller knows: an absolute path, so
the repository works without mlfolio on PATH).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from portfolio.git import Repository
from portfolio.save import write_atomic
from portfolio.sync import lock_path

__all__ = ["DRIVER", "SetupChange", "gitignore_line", "set_up"]

DRIVER = "mlfolio"
"""The driver's name in `.gitattributes` and the git config."""


@dataclass(frozen=True, slots=True)
class SetupChange:
    """One thing `set_up` changed: where, and what."""

    where: str
    what: str


def _pattern(relative: str) -> str:
    """A gitattributes / gitignore pattern naming exactly this file from the top."""
    escaped = "".join(f"\\{c}" if c in "*?[]\\! #" else c for c in relative)
    return "/" + escaped


def gitignore_line(repository: Repository, file: str | os.PathLike[str]) -> str:
    """The `.gitignore` line for the lock file of the portfolio at `file`."""
    return _pattern(repository.relative(lock_path(file)))


def _ensure_line(path: Path, line: str) -> bool:
    """Add `line` to the text file at `path` unless it is there; whether it was added."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    if line in text.splitlines():
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    write_atomic(path, (text + line + "\n").encode("utf-8"))
    return True


def set_up(repository: Repository, file: str | os.PathLike[str], command: str) -> list[SetupChange]:
    """Set the repository up for the portfolio at `file`; what changed (empty the second time)."""
    changes: list[SetupChange] = []
    pattern = _pattern(repository.relative(file))
    attributes = f"{pattern} merge={DRIVER} diff={DRIVER}"
    if _ensure_line(repository.root / ".gitattributes", attributes):
        changes.append(SetupChange(".gitattributes", attributes))
    config = {
        f"merge.{DRIVER}.name": "mlfolio: merge portfolios by meaning",
        f"merge.{DRIVER}.driver": f"{command} merge-driver %O %A %B %P",
        f"diff.{DRIVER}.command": f"{command} git diff-driver",
        f"diff.{DRIVER}.textconv": f"{command} git textconv",
    }
    for key, value in config.items():
        if repository.config_set(key, value):
            changes.append(SetupChange(".git/config", f"{key} = {value}"))
    ignore = gitignore_line(repository, file)
    if _ensure_line(repository.root / ".gitignore", ignore):
        changes.append(SetupChange(".gitignore", ignore))
    return changes
