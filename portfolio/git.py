"""The `git` command, run as a subprocess: what mlfolio asks of a repository.

mlfolio uses the `git` users already have (it is fast and it is what their
hooks and credentials are set up for) rather than a library. Every failure
is a `GitError` with one plain line: git missing, not a repository, an
unknown revision, a file not in a revision.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Commit",
    "GitError",
    "Repository",
    "find_repository",
]

_SEP = "\x1f"
_TIMEOUT = 60.0


class GitError(Exception):
    """git could not do what was asked; the message is one plain line."""


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that touched the portfolio file."""

    hash: str
    short: str
    date: str
    """The author date, `YYYY-MM-DD`."""
    author: str
    subject: str
    parent: str | None
    """The first parent, None for a root commit."""


def _git() -> str:
    found = shutil.which("git")
    if found is None:
        raise GitError("git is not installed (or not on PATH); see docs/git.md")
    return found


def _run(args: Sequence[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    """git's standard output for `args` run in `cwd`; a GitError with git's first line otherwise."""
    try:
        done = subprocess.run(
            [_git(), *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {_TIMEOUT:.0f} s") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        first = message[0] if message else f"exit status {done.returncode}"
        raise GitError(f"git {args[0]}: {first.removeprefix('fatal: ')}")
    return done.stdout


def find_repository(path: str | os.PathLike[str]) -> Repository:
    """The repository holding `path` (a file, which need not exist, or a folder)."""
    given = Path(os.path.abspath(path))
    folder = given if given.is_dir() else given.parent
    if not folder.is_dir():
        raise GitError(f"{folder}: no such folder")
    try:
        top = _run(["rev-parse", "--show-toplevel"], folder)
    except GitError as error:
        if "not a git repository" in str(error):
            raise GitError(f"{folder} is not inside a git repository") from None
        raise
    return Repository(Path(top.decode("utf-8", "surrogateescape").strip()))


@dataclass(frozen=True, slots=True)
class Repository:
    """A git work tree, by its top folder."""

    root: Path

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        """git's standard output for `args`, run at the top of the work tree."""
        return _run(args, self.root, stdin=stdin)

    def relative(self, path: str | os.PathLike[str]) -> str:
        """`path` relative to the top of the work tree, with '/' separators, as git names it."""
        absolute = Path(os.path.realpath(path))
        try:
            return absolute.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            raise GitError(f"{path} is outside the repository at {self.root}") from None

    def commit_of(self, revision: str) -> str | None:
        """The commit `revision` names (a hash, branch, tag, `HEAD~3`), or None if none."""
        if not revision or revision.startswith("-"):
            return None
        try:
            out = self.run(
                "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
            )
        except GitError:
            return None
        return out.decode().strip() or None

    def show(self, revision: str, path: str) -> bytes:
        """The bytes of the file `path` (relative to the top) as of `revision`."""
        commit = self.commit_of(revision)
        if commit is None:
            raise GitError(f"{revision}: not a revision in {self.root}")
        try:
            return self.run("cat-file", "blob", f"{commit}:{path}")
        except GitError:
            raise GitError(f"{path} is not in {revision}") from None

    def blob(self, revision: str, path: str) -> str | None:
        """The blob id of `path` in `revision`, None when the file is not there."""
        try:
            out = self.run("rev-parse", "--verify", "--quiet", f"{revision}:{path}")
        except GitError:
            return None
        return out.decode().strip() or None

    def read_blob(self, blob: str) -> bytes:
        """The bytes of a blob."""
        return self.run("cat-file", "blob", blob)

    def log(self, path: str, limit: int | None = None) -> list[Commit]:
        """The commits that changed `path`, newest first (following the first parents)."""
        fields = _SEP.join(("%H", "%h", "%ad", "%an", "%s", "%P"))
        args = ["log", "--first-parent", f"--format={fields}", "--date=short"]
        if limit is not None:
            args.append(f"-n{limit}")
        out = self.run(*args, "--", path).decode("utf-8", "replace")
        commits: list[Commit] = []
        for line in out.splitlines():
            parts = line.split(_SEP)
            if len(parts) != 6:
                continue
            full, short, date, author, subject, parents = parts
            parent = parents.split()[0] if parents.split() else None
            commits.append(Commit(full, short, date, author, subject, parent))
        return commits

    def is_clean(self, path: str) -> bool:
        """Whether `path` has no change against HEAD (staged or not)."""
        return not self.run("status", "--porcelain", "--", path).strip()

    def tag(self, name: str, message: str) -> None:
        """Make an annotated tag `name` on HEAD holding `message`; refuse an existing name."""
        try:
            self.run("check-ref-format", f"refs/tags/{name}")
        except GitError:
            raise GitError(f"{name!r} is not a valid git tag name") from None
        if self.commit_of(f"refs/tags/{name}") is not None:
            raise GitError(f"a tag named {name} already exists")
        message_bytes = message.encode("utf-8")
        self.run("tag", "--annotate", "--file=-", "--cleanup=verbatim", name, stdin=message_bytes)

    def config_get(self, key: str) -> str | None:
        """The repository's own value of `key`, None when unset."""
        try:
            return self.run("config", "--local", "--get", key).decode().rstrip("\n")
        except GitError:
            return None

    def config_set(self, key: str, value: str) -> bool:
        """Set `key` in the repository's config; False when it already had that value."""
        if self.config_get(key) == value:
            return False
        self.run("config", "--local", key, value)
        return True
