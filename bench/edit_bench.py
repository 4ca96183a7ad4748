"""The pause after an edit: how long the event loop is busy before the views show it.

In-process, the dashboard under Textual's `run_test` (100 x 30, polling off):
an edit applied the way a key or a dialog applies it (`app.apply_edit`:
the session's new portfolio, the projections, every view handed its new
data, the save scheduled), timed from the call to its return. During that
time the event loop does nothing else: no key is handled, no frame drawn.

Ours is a portfolio of `n` projects; the reference is the same edit on a
portfolio of 100 projects, in the same run (the two apps run one after the
other, in alternating blocks). The ratio says how much of the work grows with
the portfolio; the goal is absolute, ≤ 50 ms at 10,000 projects, and per-edit
work independent of size (a ratio near 1). Two kinds of edit, each its own
row: a project's title (its row and card change, nothing moves) and its
cheap-prediction impact score (its point moves on the grid and in the ranking).
Each save started by an edit is waited for before the next edit, so the
saving thread never runs during a timed edit.

A generated portfolio of 10,000 projects is a 22 MB file, over the 16 MiB
the loader reads (`portfolio.reading.MAX_BYTES`): this process lifts that
limit for its own apps, so the figure is the work an edit costs, not a refusal.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import portfolio
from bench.generate import generate_portfolio
from bench.harness import FULL, Budget, Options, Row
from core.edits.base import Edit
from core.edits.changes import SetField
from core.models import Project

NAME = "edit"
TITLE = "edit → views updated on the event loop (app.apply_edit), against 100 projects"

SIZES = (1_000, 10_000)
REFERENCE_N = 100
SEED = 20_260_131
GOAL_MS = 50.0
"""The absolute goal for one edit's pause at 10,000 projects (reported, not judged)."""

FULL_RUNS = 12
"""Timed edits per side and kind under the full budget (two blocks of half)."""


def _runs(budget: Budget) -> int:
    """Edits per side and kind: `FULL_RUNS`, scaled to the budget, even."""
    scaled = max(budget.min_repeat, round(FULL_RUNS * budget.seconds / FULL.seconds))
    return scaled + scaled % 2


def title_edit(project: Project, i: int) -> Edit:
    """A new title for `project`: its row and card change, nothing moves."""
    return SetField(project.id, "title", f"Edited title {i}")


def score_edit(project: Project, i: int) -> Edit:
    """Another cheap-prediction score for `project`: its point moves."""
    current = project.impact.cheap_prediction if project.impact is not None else 3
    return SetField(project.id, "impact.cheap_prediction", current % 5 + 1)


KINDS: dict[str, Callable[[Project, int], Edit]] = {"title": title_edit, "score": score_edit}


async def _edit_pauses(path: Path, size: int, kind: str, runs: int, warmup: int) -> list[int]:
    """Nanoseconds of `apply_edit` for `runs` edits of `kind` on `path` (`size` bytes long)."""
    from portfolio import reading
    from tui.dashboard.launch import create_app

    reading.MAX_BYTES = max(reading.MAX_BYTES, 2 * size)
    app = create_app(path, poll_interval=0)
    pauses: list[int] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await app.loaded.wait()
        session = app.session
        if session is None:
            raise RuntimeError(f"{path} did not load")
        make = KINDS[kind]
        count = len(session.portfolio.projects)
        for i in range(warmup + runs):
            project = session.portfolio.projects[(i * 7919) % count]
            edit = make(project, i)
            start = time.perf_counter_ns()
            applied = app.apply_edit(edit)
            elapsed = time.perf_counter_ns() - start
            if not applied:
                raise RuntimeError(f"{edit.describe()} was refused")
            await pilot.pause()
            while app.persistence.state.saving or app.persistence.state.dirty:
                await pilot.pause(0.005)
            if app.persistence.failed:
                raise RuntimeError(f"saving failed: {app.persistence.state.error}")
            if i >= warmup:
                pauses.append(elapsed)
    return pauses


def measure(path: Path, reference: Path, n: int, kind: str, budget: Budget) -> Row:
    """One row: the edit's pause at `n` projects against the same at `REFERENCE_N`."""
    runs = _runs(budget)
    warmup = max(1, budget.warmup)
    ours: list[int] = []
    theirs: list[int] = []
    for block in range(2):
        first, second = (path, reference) if block == 0 else (reference, path)
        for target in (first, second):
            size = target.stat().st_size
            found = asyncio.run(_edit_pauses(target, size, kind, runs // 2, warmup))
            (ours if target == path else theirs).extend(found)
    return Row(
        case=f"edit → views: {kind}",
        n=n,
        ours_ns=int(statistics.median(ours)),
        reference_ns=int(statistics.median(theirs)),
        target=None,
        runs=len(ours),
    )


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Both kinds of edit at every size; the goal (≤ 50 ms) is read off the ms column."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="mlfolio-bench-edit-") as folder:
        reference = Path(folder) / f"portfolio-{REFERENCE_N}.toml"
        reference.write_text(portfolio.dumps(generate_portfolio(REFERENCE_N, SEED)))
        for n in options.pick(SIZES):
            path = Path(folder) / f"portfolio-{n}.toml"
            path.write_text(portfolio.dumps(generate_portfolio(n, SEED)), encoding="utf-8")
            for kind in KINDS:
                row = measure(path, reference, n, kind, options.budget)
                emit(row)
                rows.append(row)
    print(f"(goal: ours ≤ {GOAL_MS:.0f} ms a pause at 10,000 projects)")
    return rows
