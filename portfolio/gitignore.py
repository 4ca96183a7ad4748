"""Keeping a portfolio's lock file out of git: `mlfolio init` adds it to `.gitignore`.

The lock file (`.NAME.lock`, beside the portfolio) stays in place between
saves, so in a git repository it would show up as untracked after the first
edit. When the portfolio's folder is inside a git work tree, its line goes
into that folder's `.gitignore`, appended, never rewriting what is there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from portfolio.sync import lock_path

__all__ = ["ignore_lock_file", "in_git_work_tree"]


def in_git_work_tree(folder: Path) -> bool:
    """Whether `folder` is inside a git work tree (a `.git` folder or file in it or above)."""
    here = folder.resolve()
    return any((place / ".git").exists() for place in (here, *here.parents))


def ignore_lock_file(portfolio: Path) -> Path | None:
    """Add the lock file of `portfolio` to the `.gitignore` beside it, when in a git work tree.

    Returns the `.gitignore` written to, or None when there was nothing to do
    (not in a git work tree, or the line is there already). OSError if the
    `.gitignore` cannot be read or written.
    """
    lock = lock_path(portfolio)
    if not in_git_work_tree(lock.parent):
        return None
    if re.search(r"[\x00-\x1f\x7f]", lock.name):
        return None  # no line of .gitignore can name it
    line = "/" + _escape(lock.name)
    ignore = lock.parent / ".gitignore"
    try:
        text = ignore.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    present = {entry.strip() for entry in text.splitlines()}
    if {line, _escape(lock.name), ".*.lock"} & present:
        return None
    prefix = "" if not text or text.endswith("\n") else "\n"
    with open(ignore, "a", encoding="utf-8", newline="\n") as handle:
        handle.write(f"{prefix}# mlfolio's lock file for {lock.name[1:-5]}\n{line}\n")
        handle.flush()
        os.fsync(handle.fileno())
    return ignore


def _escape(name: str) -> str:
    """`name` as a literal `.gitignore` pattern: glob characters and a trailing space escaped."""
    escaped = re.sub(r"([\\*?\[!#])", r"\\\1", name)
    return escaped[:-1] + "\\ " if escaped.endswith(" ") else escaped
