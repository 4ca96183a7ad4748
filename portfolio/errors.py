"""The two ways the file layer fails: a file that cannot be loaded, and a save that did not happen.

Both carry plain one-line messages meant for a person (and for an editor's
"file:line:col" jump), never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a portfolio file, at a 1-based line and column.

    `where` is the key path in the file's own spelling (e.g.
    `projects[3].feasibility.data_availability`), empty when the problem is
    with the file as a whole.
    """

    source: str
    line: int
    column: int
    message: str
    where: str = ""

    def __str__(self) -> str:
        text = f"{self.source}:{self.line}:{self.column}: {self.message}"
        return f"{text} (at {self.where})" if self.where else text


MAX_PROBLEMS = 50
"""At most this many problems are kept and shown; a last line counts the rest."""


class LoadError(Exception):
    """A portfolio file could not be read, parsed or validated; nothing was loaded.

    `errors` holds one line per problem, `FILE:LINE:COL: what is wrong (at key.path)`,
    and `problems` the same as structured values for a UI that wants to jump there.
    Both keep the first MAX_PROBLEMS (in file order); `errors` then ends with
    `FILE: and N more problems`, so a file of a million bad keys prints 51 lines.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems[:MAX_PROBLEMS])
        errors = [str(p) for p in self.problems]
        if len(problems) > MAX_PROBLEMS:
            rest = len(problems) - MAX_PROBLEMS
            errors.append(f"{problems[0].source}: and {rest} more problem{'s' * (rest != 1)}")
        self.errors: tuple[str, ...] = tuple(errors)
        super().__init__("\n".join(self.errors))

    def __str__(self) -> str:
        return "\n".join(self.errors)


class SaveError(Exception):
    """A portfolio could not be written; the file on disk was left as it was.

    The message is one line naming the file and the reason, e.g.
    "cannot save portfolio.toml: No space left on device".
    """


class LockBusyError(SaveError):
    """Another writer held the portfolio's lock for longer than we would wait.

    A SaveError like any other (nothing was written), told apart so that a
    script can retry a busy file rather than treat it as a refused edit.
    """
