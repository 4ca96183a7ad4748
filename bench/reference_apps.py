"""The smallest Textual apps the dashboard is compared with, runnable as a script.

- `trivial`: one Static saying "ready" and a Footer; the floor of a Textual
  app's start-up and memory.
- `table ROWS`: one DataTable of ROWS rows and three columns, focused, so the
  down arrow moves its cursor; the floor of a keypress that moves a selection.

Run as `python bench/reference_apps.py trivial` or `... table 10000`; it imports
only Textual, so it starts the way any small Textual app does.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Static

SCRIPT = Path(__file__).resolve()
"""This file, for the command that runs a reference app."""

TRIVIAL_SENTINEL = b"ready"
"""Text that first appears when the trivial app's first frame is drawn."""

TABLE_SENTINEL = b"project 00000"
"""Text that first appears when the table app's first frame is drawn."""

_STAGES = ("planning", "data", "training", "deployment")


class TrivialApp(App[None]):
    """A Static and a Footer, nothing else."""

    def compose(self) -> ComposeResult:
        yield Static("ready")
        yield Footer()


class TableApp(App[None]):
    """One focused DataTable of `rows` rows: name, stage and score."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one(DataTable)
        table.add_columns("name", "stage", "score")
        table.add_rows(
            (f"project {i:05d}", _STAGES[i % len(_STAGES)], f"{(i * 37) % 100 / 10:.1f}")
            for i in range(self.rows)
        )
        table.focus()


def main(argv: Sequence[str]) -> int:
    """Run the reference app named by `argv[0]`; 2 on a usage error."""
    if argv[:1] == ["trivial"] and len(argv) == 1:
        TrivialApp().run()
        return 0
    if argv[:1] == ["table"] and len(argv) == 2 and argv[1].isdigit():
        TableApp(int(argv[1])).run()
        return 0
    sys.stderr.write("usage: reference_apps.py trivial | table ROWS\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
