"""The dashboard as a user meets it: a real process on a real pseudo-terminal.

Every figure but one runs `mlfolio FILE` on a generated portfolio in a
pseudo-terminal of 100 x 30 cells (`bench.pty_driver`) against a minimal
Textual app started the same way (`bench.reference_apps`), in alternating runs.

Judged figures (ours / reference):

- start-up, two rows against the trivial app (a Static and a Footer) until it
  shows "ready": "first frame", process start until the file's name is on
  the terminal (the status line of the first frame, drawn before the file is
  read), and "ready", until the portfolio's name is (drawn in the frame that
  fills the views, once the file is read and projected). Target ≤ 1.5x at
  1,000 projects for both; 100 and 10,000 are printed for information.
- key ↓: in a running, settled process, the down arrow on the grid (focused at
  start), the ranking ("4" first) and the board ("2", then ← out of the folded
  outcomes), against a DataTable of 10,000 rows moving its cursor; the two
  processes run side by side and take keys in turn. Two rows per view, both
  timed from the write: "1st burst" ends at the last byte before 30 ms of
  silence, "all output" at the last byte before 0.3 s of silence (neither
  silence counted), since a key can cause several frames in a row. Target
  ≤ 1.2x at every size: no per-key work may grow with the portfolio. Where a
  key draws nothing (the end of a column, a look-alike neighbour) the walk
  turns round, and that key is not counted.

Printed for information: edit to saved, in-process (the app under
`run_test`, polling off): "f" on a project in data or training to the file's
new stat on disk, against `portfolio.save` of the same portfolio alone. And a
second table of peak memory (VmHWM after the first frame and a keypress) of
`mlfolio` against the trivial app, with the absolute target ≤ 80 MiB at 1,000
projects; then one line per view on the output a key causes.

Every child runs as an installed `mlfolio` would: with its bytecode cached
(in a folder of the run's own, whatever PYTHONDONTWRITEBYTECODE says), so
no start-up but the first warm-up one compiles the checkout's sources.

`python -m bench.tui_bench profile N VIEW` profiles one dashboard process with
cProfile, switched on only while it takes the keys (see `profile`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import portfolio
from bench import reference_apps
from bench.generate import generate_portfolio
from bench.harness import FULL, Budget, Options, Row, ratio
from bench.pty_driver import (
    COLUMNS,
    LINES,
    Burst,
    PtyError,
    PtyProcess,
    python_argv,
    terminal_env,
)
from core.models import Portfolio, Stage

NAME = "dashboard"
TITLE = "the dashboard on a 100x30 pseudo-terminal: start-up, keypress, edit to disk, memory"

ROOT = Path(__file__).resolve().parents[1]
"""The checkout, the working directory of every child process."""

SEED = 20_260_131

SENTINEL = "BENCH-PORTFOLIO"
"""The generated portfolios' name: the status line shows it once the views are filled."""

STARTUP_SIZES = (100, 1_000, 10_000)
STARTUP_TARGET = 1.5
STARTUP_TARGET_N = 1_000

KEY_SIZES = (1_000, 10_000)
KEY_TARGET = 1.2
REFERENCE_ROWS = 10_000
"""Rows in the reference DataTable."""

EDIT_SIZES = (1_000,)

MEMORY_SIZES = (1_000, 10_000)
MEMORY_TARGET_MIB = 80.0
MEMORY_TARGET_N = 1_000

DOWN, UP, LEFT, RIGHT = b"\x1b[B", b"\x1b[A", b"\x1b[D", b"\x1b[C"

VIEWS: dict[str, tuple[bytes, ...]] = {"grid": (), "ranking": (b"4",), "board": (b"2", LEFT)}
"""The views the keypress is timed on, and the keys that lead there from the start.

The grid is shown first. On the board the top-ranked project can be an outcome,
whose folded column has no cards to walk: left takes the selection to deployment.
"""

FULL_RUNS = {"startup": 10, "startup-info": 5, "key": 40, "edit": 15, "memory": 3}
"""Runs per side of each figure under the full budget; other budgets scale them."""

SETTLE_S = 0.3
"""Silence that counts as a settled app after start-up or a view switch."""

MAX_SILENT = 12
"""Silent keys in a row after which a walk gives up."""

SCROLL_ROWS = 12
"""A key whose output wrote to more screen rows than this redrew most of a view: it scrolled.

On the 30-row terminal a scroll rewrites 25 rows or more (the DataTable's, our
lists', the board's), while a key that only moves a highlight rewrites 2 to 4
(the DataTable's two rows; our two changed lines and the status line). The keypress note splits
the keys on this line, because how many keys of a walk scroll depends on how
many rows a view shows and how far it scrolls, not on what a key costs.
"""

MIB = 1024.0


# -- sizes, files and commands -------------------------------------------------


def runs_for(budget: Budget, kind: str) -> int:
    """How many runs per side a figure of `kind` takes under `budget`.

    Every run here starts a process or waits for a repaint, so the counts are
    fixed (`FULL_RUNS`) and scaled by the budget's seconds rather than adapted to
    a first estimate; `budget.repeat` overrides them, as everywhere.
    """
    if budget.repeat is not None:
        return max(1, budget.repeat)
    scaled = round(FULL_RUNS[kind] * budget.seconds / FULL.seconds)
    return max(budget.min_repeat, scaled)


def write_portfolio(n: int, folder: Path) -> Path:
    """Write a generated portfolio of `n` projects named `SENTINEL`; its path."""
    model = generate_portfolio(n, SEED)
    named = model.model_copy(
        update={"settings": model.settings.model_copy(update={"name": SENTINEL})}
    )
    path = folder / f"portfolio-{n}.toml"
    path.write_text(portfolio.dumps(named), encoding="utf-8")
    return path


def mlfolio_argv(path: Path) -> list[str]:
    """`mlfolio FILE`: the installed console script beside this interpreter, else `-m tui.cli`."""
    script = Path(sys.executable).with_name("mlfolio")
    if script.exists():
        return [str(script), str(path)]
    return [sys.executable, "-m", "tui.cli", str(path)]


def trivial_argv() -> list[str]:
    """The trivial reference app."""
    return python_argv(reference_apps.SCRIPT, "trivial")


def table_argv(rows: int) -> list[str]:
    """The DataTable reference app with `rows` rows."""
    return python_argv(reference_apps.SCRIPT, "table", str(rows))


_BYTECODE = Path(tempfile.gettempdir()) / f"mlfolio-bench-bytecode-{os.getuid()}"
"""Where the children keep their bytecode, outside the checkout."""


def child_env() -> dict[str, str]:
    """The children's environment: a terminal's, with bytecode cached as an install has it.

    A development shell may set PYTHONDONTWRITEBYTECODE, which would make every
    start-up compile the checkout again; installed packages never do that.
    """
    env = terminal_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(_BYTECODE)
    return env


@dataclass(frozen=True, slots=True)
class Launch:
    """A command, the text its first frame shows, and the text it shows once ready.

    For the reference apps both are the same: they have nothing to load.
    """

    argv: tuple[str, ...]
    sentinel: bytes
    first: bytes = b""
    """Drawn by the first frame; `sentinel` when empty."""

    @property
    def first_sentinel(self) -> bytes:
        """The text that marks the first frame."""
        return self.first or self.sentinel

    def start(self) -> PtyProcess:
        """Start it on a fresh terminal."""
        return PtyProcess(self.argv, cwd=ROOT, env=child_env())


def mlfolio(path: Path) -> Launch:
    """The dashboard on `path`: its first frame names the file, the filled one the portfolio."""
    return Launch(tuple(mlfolio_argv(path)), SENTINEL.encode(), path.name.encode())


TRIVIAL = Launch(tuple(trivial_argv()), reference_apps.TRIVIAL_SENTINEL)


def table(rows: int) -> Launch:
    """The DataTable reference."""
    return Launch(tuple(table_argv(rows)), reference_apps.TABLE_SENTINEL)


def _alternate(runs: int) -> Iterator[bool]:
    """Whether ours goes first in each run: yes, no, yes, ..."""
    for i in range(runs):
        yield i % 2 == 0


def _row(
    case: str, n: int, ours: Sequence[int], reference: Sequence[int], target: float | None
) -> Row:
    """A table row from every run's nanoseconds, each side's median."""
    return Row(
        case=case,
        n=n,
        ours_ns=int(statistics.median(ours)),
        reference_ns=int(statistics.median(reference)),
        target=target,
        runs=min(len(ours), len(reference)),
    )


# -- start-up ----------------------------------------------------------------------


def first_frame_ns(launch: Launch) -> int:
    """Nanoseconds from starting `launch` to its `sentinel` on the terminal (mlfolio: ready)."""
    with launch.start() as process:
        return process.wait_for(launch.sentinel) - process.started_ns


def startup_ns(launch: Launch) -> tuple[int, int]:
    """Nanoseconds from starting `launch` to its first frame, and to its ready sentinel."""
    with launch.start() as process:
        first = process.wait_for(launch.first_sentinel) - process.started_ns
        return first, process.wait_for(launch.sentinel) - process.started_ns


def measure_startup(path: Path, n: int, runs: int, *, warmup: int = 1) -> tuple[Row, Row]:
    """Start-up of `mlfolio FILE` against the trivial app, alternating, median of `runs` each.

    Two rows: to the first frame, and to the frame that shows the portfolio. The
    trivial app has nothing to load, so its first frame is the reference of both.
    """
    ours, reference = mlfolio(path), TRIVIAL
    for _ in range(warmup):
        startup_ns(ours)
        startup_ns(reference)
    first_ns: list[int] = []
    ready_ns: list[int] = []
    reference_ns: list[int] = []

    def run_ours() -> None:
        first, ready = startup_ns(ours)
        first_ns.append(first)
        ready_ns.append(ready)

    for ours_first in _alternate(runs):
        if ours_first:
            run_ours()
            reference_ns.append(startup_ns(reference)[0])
        else:
            reference_ns.append(startup_ns(reference)[0])
            run_ours()
    target = STARTUP_TARGET if n == STARTUP_TARGET_N else None
    return (
        _row("start-up: first frame", n, first_ns, reference_ns, target),
        _row("start-up: ready", n, ready_ns, reference_ns, target),
    )


# -- keypress ----------------------------------------------------------------------


@dataclass
class Walker:
    """Walks a selection with the arrow keys, turning round where the key draws nothing.

    A key can draw nothing at the end of a list or column, and also where the
    selection moves to a project that looks the same (a crowded grid cell, a
    repeated title): so a second silent key in a row turns the walk round.
    Each press reads until the output has settled, so no late output of one key
    is taken for the next key's.
    """

    process: PtyProcess
    timeout: float = 0.5
    key: bytes = DOWN
    silent: int = 0
    bursts: list[Burst] = field(default_factory=list)

    def step(self) -> Burst:
        """Press the key until it draws something; return what that press drew, timed.

        When neither way draws (a column or row of one project), a sideways key,
        not timed, takes the selection somewhere else first.
        """
        in_a_row = 0
        while in_a_row < MAX_SILENT:
            burst = self.process.press(self.key, timeout=self.timeout)
            if burst is not None:
                self.bursts.append(burst)
                return burst
            self.silent += 1
            in_a_row += 1
            if in_a_row % 2 == 0:
                self.key = UP if self.key == DOWN else DOWN
            if in_a_row % 4 == 0:
                self.sideways()
        raise self.process.failure(f"{MAX_SILENT} arrow keys in a row drew nothing")

    def sideways(self) -> None:
        """Move the selection left, or right where left draws nothing; not timed."""
        for key in (LEFT, RIGHT):
            if self.process.press(key, timeout=self.timeout) is not None:
                return


def _median(values: Iterable[int]) -> int:
    """The median, as a whole number."""
    return int(statistics.median(values))


def _tenth(values: Iterable[int]) -> int:
    """The value the slowest (largest) tenth starts at: the 90th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, (9 * len(ordered)) // 10)]


@dataclass(frozen=True, slots=True)
class KeyResult:
    """The two keypress rows of a view, and what the output looked like."""

    first: Row
    """To the end of the first burst of output."""
    settled: Row
    """To the last byte of all the output the key caused."""
    ours: tuple[Burst, ...]
    reference: tuple[Burst, ...]
    silent: int

    @property
    def rows(self) -> tuple[Row, Row]:
        """Both rows."""
        return self.first, self.settled

    def note(self) -> str:
        """One line about the output per key: bytes and bursts, ours against the DataTable's.

        The slowest tenth is there because a median hides keys that scroll a
        whole view (the board and the legend keep most keys from scrolling).
        """
        return (
            f"{self.first.case.split(':')[0]} at {self.first.n:,}: per key (median)"
            f" {_median(b.size for b in self.ours):,} bytes in"
            f" {_median(b.bursts for b in self.ours)} burst(s) over"
            f" {_median(b.rows for b in self.ours)} rows, first byte after"
            f" {_median(b.first_byte_ns for b in self.ours) / 1e6:.1f} ms, slowest tenth"
            f" {_tenth(b.settled_ns for b in self.ours) / 1e6:.1f} ms and"
            f" {_tenth(b.size for b in self.ours):,} bytes; DataTable:"
            f" {_median(b.size for b in self.reference):,} bytes in"
            f" {_median(b.bursts for b in self.reference)} over"
            f" {_median(b.rows for b in self.reference)} rows, slowest tenth"
            f" {_tenth(b.settled_ns for b in self.reference) / 1e6:.1f} ms"
            + (f"; {self.silent} key(s) drew nothing, not counted" if self.silent else "")
            + f"\n  {_split(self.ours)} against the DataTable's {_split(self.reference)}"
        )


def _split(bursts: Sequence[Burst]) -> str:
    """How many keys scrolled (wrote to over `SCROLL_ROWS` rows) and the median of each kind."""
    kinds = (
        ("in place", [b.first_ns for b in bursts if b.rows <= SCROLL_ROWS]),
        ("scrolling", [b.first_ns for b in bursts if b.rows > SCROLL_ROWS]),
    )
    return ", ".join(
        f"{len(times)} {kind}" + (f" ({_median(times) / 1e6:.1f} ms)" if times else "")
        for kind, times in kinds
    )


def _ready(process: PtyProcess, launch: Launch) -> None:
    """Wait for the frame that shows everything, then for the output to settle."""
    process.wait_for(launch.sentinel)
    process.settle(SETTLE_S)


def measure_keypress(
    path: Path,
    n: int,
    view: str,
    runs: int,
    *,
    reference_rows: int = REFERENCE_ROWS,
    warmup: int = 1,
) -> KeyResult:
    """The down arrow on one view of `mlfolio FILE` against a DataTable, presses alternating.

    Both processes run side by side; only one of them is ever drawing.
    """
    ours_launch, reference_launch = mlfolio(path), table(reference_rows)
    with ExitStack() as stack:
        ours = stack.enter_context(ours_launch.start())
        reference = stack.enter_context(reference_launch.start())
        _ready(ours, ours_launch)
        _ready(reference, reference_launch)
        for key in VIEWS[view]:
            ours.write(key)
            ours.settle(SETTLE_S)
        mine, theirs = Walker(ours), Walker(reference)
        for _ in range(3 * warmup):
            mine.step()
            theirs.step()
        mine.bursts.clear()
        theirs.bursts.clear()
        for ours_first in _alternate(runs):
            first, second = (mine, theirs) if ours_first else (theirs, mine)
            first.step()
            second.step()
    return KeyResult(
        first=_row(
            f"key ↓ {view}: 1st burst",
            n,
            [b.first_ns for b in mine.bursts],
            [b.first_ns for b in theirs.bursts],
            KEY_TARGET,
        ),
        settled=_row(
            f"key ↓ {view}: all output",
            n,
            [b.settled_ns for b in mine.bursts],
            [b.settled_ns for b in theirs.bursts],
            KEY_TARGET,
        ),
        ours=tuple(mine.bursts),
        reference=tuple(theirs.bursts),
        silent=mine.silent,
    )


# -- edit to disk --------------------------------------------------------------------


def _stat_key(path: Path) -> tuple[int, int, int]:
    """What changes when the file is replaced: inode, mtime and size."""
    info = os.stat(path)
    return info.st_ino, info.st_mtime_ns, info.st_size


def _forward_plan(model: Portfolio, count: int) -> list[str]:
    """Projects to press "f" on, `count` times, none of which opens a dialog.

    A project in data can go forward twice (to training, to deployment), one in
    training once; leaving planning is gated by the checklist, so it is avoided.
    """
    plan: list[str] = []
    for project in model.projects:
        if project.stage is Stage.DATA:
            plan += [project.id, project.id]
        elif project.stage is Stage.TRAINING:
            plan.append(project.id)
        if len(plan) >= count:
            return plan[:count]
    raise ValueError(f"the portfolio has too few projects in data or training for {count} edits")


async def _edit_rounds(path: Path, runs: int, warmup: int) -> tuple[list[int], list[int]]:
    """Alternate "f" in the app (to the new file on disk) with a bare `portfolio.save`."""
    from tui.dashboard.launch import create_app

    reference_path = path.with_name("reference.toml")
    app = create_app(path, poll_interval=0)
    ours_ns: list[int] = []
    reference_ns: list[int] = []
    async with app.run_test(size=(COLUMNS, LINES)) as pilot:
        await app.loaded.wait()
        session = app.session
        if session is None:
            raise RuntimeError(f"{path} did not load")
        plan = _forward_plan(session.portfolio, warmup + runs)

        def reference() -> int:
            start = time.perf_counter_ns()
            portfolio.save(session.portfolio, reference_path)
            return time.perf_counter_ns() - start

        async def ours(project_id: str) -> int:
            app.selected = project_id
            await pilot.pause()
            before = _stat_key(path)
            deadline = time.monotonic() + 30
            start = time.perf_counter_ns()
            # The pilot's press returns only once animations are done and the
            # screen is idle, which can be long after the save: poll meanwhile.
            pressing = asyncio.ensure_future(pilot.press("f"))
            while _stat_key(path) == before:
                if time.monotonic() > deadline:
                    pressing.cancel()
                    raise RuntimeError(f"pressing f on {project_id} never saved {path}")
                await asyncio.sleep(0.001)
            elapsed = time.perf_counter_ns() - start
            await pressing
            while app.persistence.state.saving or app.persistence.state.dirty:
                await pilot.pause(0.005)
            if app.persistence.failed:
                raise RuntimeError(f"saving failed: {app.persistence.state.error}")
            return elapsed

        for i, project_id in enumerate(plan):
            counted = i >= warmup
            if (i - warmup) % 2 == 0:
                mine = await ours(project_id)
                theirs = reference()
            else:
                theirs = reference()
                mine = await ours(project_id)
            if counted:
                ours_ns.append(mine)
                reference_ns.append(theirs)
    return ours_ns, reference_ns


def measure_edit(path: Path, n: int, runs: int, *, warmup: int = 1) -> Row:
    """Pressing "f" until the file on disk changes, in-process, against `portfolio.save` alone."""
    ours_ns, reference_ns = asyncio.run(_edit_rounds(path, runs, warmup))
    return _row("edit → saved: f", n, ours_ns, reference_ns, None)


# -- memory ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemoryRow:
    """Peak resident memory of the dashboard and of the trivial app, in KiB."""

    n: int
    ours_kib: int
    reference_kib: int
    target_mib: float | None

    @property
    def ours_mib(self) -> float:
        """Ours in MiB."""
        return self.ours_kib / MIB

    @property
    def reference_mib(self) -> float:
        """The trivial app's in MiB."""
        return self.reference_kib / MIB

    @property
    def verdict(self) -> str:
        """'ok' or 'OVER' against the absolute target; 'info' without one."""
        if self.target_mib is None:
            return "info"
        return "ok" if self.ours_mib <= self.target_mib else "OVER"


def peak_kib(launch: Launch) -> int:
    """VmHWM of `launch` after its first frame and one down arrow, settled."""
    with launch.start() as process:
        _ready(process, launch)
        process.press(DOWN, timeout=1.0)
        process.settle(SETTLE_S)
        return process.peak_rss_kib()


def measure_memory(path: Path, n: int, runs: int) -> MemoryRow:
    """Peak memory of `mlfolio FILE` against the trivial app, median of `runs` each."""
    ours, reference = mlfolio(path), TRIVIAL
    ours_kib: list[int] = []
    reference_kib: list[int] = []
    for ours_first in _alternate(runs):
        pair = (ours, reference) if ours_first else (reference, ours)
        for launch in pair:
            (ours_kib if launch is ours else reference_kib).append(peak_kib(launch))
    target = MEMORY_TARGET_MIB if n == MEMORY_TARGET_N else None
    return MemoryRow(
        n, int(statistics.median(ours_kib)), int(statistics.median(reference_kib)), target
    )


def format_memory(rows: Sequence[MemoryRow]) -> str:
    """The memory table: MiB, the ratio to the trivial app and the absolute target."""
    titles = (
        f"{'peak memory (VmHWM)':<26}  {'n':>7}  {'ours (MiB)':>11}  {'trivial (MiB)':>15}"
        f"  {'ratio':>8}  {'target':>8}  verdict"
    )
    lines = [titles, "-" * len(titles)]
    for row in rows:
        target = "—" if row.target_mib is None else f"≤{row.target_mib:.0f} MiB"
        lines.append(
            f"{'mlfolio FILE':<26}  {row.n:>7,}  {row.ours_mib:>11.1f}  {row.reference_mib:>15.1f}"
            f"  {ratio(row.ours_kib, row.reference_kib):>7.2f}x  {target:>8}  {row.verdict}"
        )
    return "\n".join(lines)


# -- the benchmark ---------------------------------------------------------------------


@dataclass
class Results:
    """Everything one run measured."""

    rows: list[Row] = field(default_factory=list)
    keys: list[KeyResult] = field(default_factory=list)
    memory: list[MemoryRow] = field(default_factory=list)


def measure(
    options: Options,
    emit: Callable[[Row], None],
    *,
    reference_rows: int = REFERENCE_ROWS,
    views: Sequence[str] = tuple(VIEWS),
) -> Results:
    """Every figure at the sizes `options` picks; timing rows go to `emit` as they come."""
    budget = options.budget
    warmup = max(0, budget.warmup)
    results = Results()

    def put(row: Row) -> None:
        emit(row)
        results.rows.append(row)

    sizes = sorted(
        {
            *options.pick(STARTUP_SIZES),
            *options.pick(KEY_SIZES),
            *options.pick(EDIT_SIZES),
            *options.pick(MEMORY_SIZES),
        }
    )
    with tempfile.TemporaryDirectory(prefix="mlfolio-bench-tui-") as folder:
        paths = {n: write_portfolio(n, Path(folder)) for n in sizes}
        for n in options.pick(STARTUP_SIZES):
            kind = "startup" if n == STARTUP_TARGET_N else "startup-info"
            for row in measure_startup(paths[n], n, runs_for(budget, kind), warmup=warmup):
                put(row)
        for n in options.pick(KEY_SIZES):
            for view in views:
                result = measure_keypress(
                    paths[n],
                    n,
                    view,
                    runs_for(budget, "key"),
                    reference_rows=reference_rows,
                    warmup=warmup,
                )
                for row in result.rows:
                    put(row)
                results.keys.append(result)
        for n in options.pick(EDIT_SIZES):
            # A copy: the edits change the file, and the memory runs read it afterwards.
            edited = paths[n].with_name(f"edited-{n}.toml")
            edited.write_bytes(paths[n].read_bytes())
            put(measure_edit(edited, n, runs_for(budget, "edit"), warmup=warmup))
        for n in options.pick(MEMORY_SIZES):
            results.memory.append(measure_memory(paths[n], n, runs_for(budget, "memory")))
    return results


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Measure every figure, emitting each timing row as soon as it is measured.

    The memory table and the repaint sizes are printed after the timing rows.
    """
    results = measure(options, emit)
    if results.memory:
        print()
        print(format_memory(results.memory))
    if results.keys:
        print()
        for key in results.keys:
            print(key.note())
    return results.rows


# -- profiling one process ----------------------------------------------------------------


PROFILED_DASHBOARD = """
import cProfile, signal, sys
from pathlib import Path
from tui.dashboard.launch import create_app

profiler = cProfile.Profile()
signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())
signal.signal(signal.SIGUSR2, lambda *_: profiler.disable())
app = create_app(Path(sys.argv[1]))
try:
    app.run()
finally:
    profiler.disable()
    profiler.dump_stats(sys.argv[2])
"""
"""`mlfolio FILE` with cProfile switched on by SIGUSR1 and off by SIGUSR2, on the event loop's
thread (where signal handlers run); the stats go to the file named second when it quits."""


_IDLE = ("<method 'poll' of 'select.epoll' objects>", "<method 'select' of 'select.epoll' objects>")
"""The functions in which the event loop waits for something to do."""


def _where(filename: str, line: int, function: str) -> str:
    """file:line(function), the file relative to site-packages or to the checkout."""
    for marker in ("site-packages/", f"{ROOT}/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
    return f"{filename}:{line}({function})" if line else function


def _profile_report(stats_path: Path, keys: int, limit: int) -> str:
    """The profile as text: work per key, then the functions that took it, per key.

    Two tables, each by cumulative time: every function (Textual's included),
    then mlfolio's own (files in this checkout, outside the virtualenv).
    """
    import pstats

    # (file, line, name) -> (primitive calls, calls, own time, cumulative time, callers)
    table: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = vars(
        pstats.Stats(str(stats_path))
    )["stats"]
    per_key = 1000 / max(keys, 1)
    total = sum(row[2] for row in table.values())
    idle = sum(row[2] for key, row in table.items() if key[2] in _IDLE)
    lines = [
        f"{keys} keys: {total:.3f} s profiled, {idle:.3f} s of it waiting for events;"
        f" {(total - idle) * per_key:.1f} ms of work per key (inflated by cProfile)",
    ]
    ranked = sorted(
        ((key, row) for key, row in table.items() if key[2] not in _IDLE),
        key=lambda item: -item[1][3],
    )
    own = [item for item in ranked if str(ROOT) in item[0][0] and "site-packages" not in item[0][0]]
    for title, items in (("all functions", ranked), ("mlfolio's own functions", own)):
        lines += ["", f"{title}: ms per key (cumulative, own), calls per key", ""]
        for (filename, line, function), (_, calls, own_s, cumulative_s, _) in items[:limit]:
            lines.append(
                f"{cumulative_s * per_key:8.2f} {own_s * per_key:8.2f} {calls / max(keys, 1):8.1f}"
                f"  {_where(filename, line, function)}"
            )
    return "\n".join(lines)


def profile(n: int, view: str, keys: int, *, limit: int = 40, save: Path | None = None) -> str:
    """Profile `mlfolio` on `n` projects while it takes `keys` down arrows on `view`.

    Only the keys are profiled: the profiler is switched on after the first
    frame and the view switch, and off before quitting. cProfile's overhead
    inflates every figure, so read the report for where time goes, not how much.
    """
    with tempfile.TemporaryDirectory(prefix="mlfolio-bench-profile-") as folder:
        path = write_portfolio(n, Path(folder))
        stats_path = Path(folder) / "keys.prof"
        argv = [sys.executable, "-c", PROFILED_DASHBOARD, str(path), str(stats_path)]
        launch = Launch(tuple(argv), SENTINEL.encode())
        with launch.start() as process:
            _ready(process, launch)
            for key in VIEWS[view]:
                process.write(key)
                process.settle(SETTLE_S)
            walker = Walker(process, timeout=5.0)
            os.kill(process.pid, signal.SIGUSR1)
            for _ in range(keys):
                walker.step()
            os.kill(process.pid, signal.SIGUSR2)
            process.write(b"q")
            deadline = time.monotonic() + 60
            while process.process.poll() is None:
                if time.monotonic() > deadline:
                    raise PtyError("the profiled dashboard did not quit")
                process.read(0.1)
        if save is not None:
            shutil.copyfile(stats_path, save)
        return _profile_report(stats_path, keys, limit)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bench.tui_bench profile N VIEW [--keys K]`."""
    parser = argparse.ArgumentParser(prog="python -m bench.tui_bench")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("profile", help="profile one dashboard process taking keypresses")
    p.add_argument("n", type=int, help="projects in the generated portfolio")
    p.add_argument("view", choices=tuple(VIEWS))
    p.add_argument("--keys", type=int, default=40, help="down arrows to press")
    p.add_argument("--limit", type=int, default=40, help="functions to list per table")
    p.add_argument("--save", type=Path, help="keep the cProfile stats in this file")
    args = parser.parse_args(argv)
    print(profile(args.n, args.view, args.keys, limit=args.limit, save=args.save))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
