"""Small timing helpers: interleaved medians, ratios, and an aligned results table.

Every figure is a comparison: our code against a reference doing comparable
work, measured in the same process, in alternating runs (ours, reference,
reference, ours, ...), so that a noisy neighbour slows both sides alike. Only
the ratio ours / reference is judged against a target; the absolute times are
printed for context. The garbage collector stays on while timing, because it
is part of what a user waits for, and is emptied before each comparison.
"""

from __future__ import annotations

import gc
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TextIO

NS_PER_MS = 1_000_000


@dataclass(frozen=True, slots=True)
class Budget:
    """How long to spend on one figure.

    The number of runs is chosen so that a figure takes about `seconds` of
    timed work, within [`min_repeat`, `max_repeat`]. When `min_repeat` runs
    would take longer than `patience` seconds (a large portfolio on a slow
    machine), fewer are taken, but never fewer than `floor`. `repeat`, when
    set, fixes the number of runs instead.
    """

    seconds: float = 1.0
    min_repeat: int = 5
    max_repeat: int = 500
    patience: float = 15.0
    floor: int = 3
    warmup: int = 1
    repeat: int | None = None

    def runs_for(self, pair_ns: int) -> int:
        """How many runs to take when one run of each side together lasts `pair_ns`."""
        if self.repeat is not None:
            return max(1, self.repeat)
        pair_s = max(pair_ns, 1) / 1e9
        runs = max(self.min_repeat, min(self.max_repeat, int(self.seconds / pair_s)))
        if runs * pair_s > self.patience:
            runs = max(self.floor, int(self.patience / pair_s))
        return runs


FULL = Budget()
"""The budget of `python -m bench`."""

QUICK = Budget(seconds=0.25, min_repeat=3, max_repeat=100, patience=3.0)
"""The budget of `python -m bench --quick`."""


@dataclass(frozen=True, slots=True)
class Options:
    """What a benchmark module is asked to run: which sizes, and the time budget per figure.

    A module offers its own sizes; `max_n` drops the larger ones (`--quick`)
    and `sizes`, when given, replaces them outright (the smoke tests use it).
    """

    budget: Budget = FULL
    max_n: int | None = None
    sizes: tuple[int, ...] | None = None

    def pick(self, offered: Sequence[int]) -> tuple[int, ...]:
        """The sizes to run out of those a module `offered`."""
        if self.sizes is not None:
            return self.sizes
        return tuple(n for n in offered if self.max_n is None or n <= self.max_n)


@dataclass(frozen=True, slots=True)
class Row:
    """One figure: a case at size `n`, our median against the reference's, and the target.

    `target` is the largest acceptable ratio ours / reference; None marks a
    figure printed for information only.
    """

    case: str
    n: int
    ours_ns: int
    reference_ns: int
    target: float | None
    runs: int

    @property
    def ratio(self) -> float:
        """Ours / reference."""
        return ratio(self.ours_ns, self.reference_ns)

    @property
    def verdict(self) -> str:
        """'ok' when the ratio meets the target, 'OVER' when it misses, 'info' without one."""
        if self.target is None:
            return "info"
        return "ok" if self.ratio <= self.target else "OVER"


class Benchmark(Protocol):
    """What `python -m bench` needs of a benchmark module."""

    NAME: str
    """The name `--only` selects it by."""

    TITLE: str
    """One line saying what it measures."""

    def run(self, options: Options, emit: Callable[[Row], None]) -> list[Row]:
        """Measure every case at every size in `options`, passing each row to `emit`."""
        ...


def ratio(a: float, b: float) -> float:
    """a / b; infinite when b is zero (and a is not), NaN when both are."""
    if b == 0:
        return math.nan if a == 0 else math.inf
    return a / b


def time_ns(fn: Callable[[], object]) -> int:
    """Nanoseconds one call of `fn` takes."""
    start = time.perf_counter_ns()
    fn()
    return time.perf_counter_ns() - start


def median_ns(fn: Callable[[], object], budget: Budget = FULL) -> tuple[int, int]:
    """The median time of `fn` over an adaptive number of runs, after warm-up; and that number."""
    estimate = max([time_ns(fn) for _ in range(max(1, budget.warmup))])
    runs = budget.runs_for(estimate)
    gc.collect()
    return int(statistics.median(time_ns(fn) for _ in range(runs))), runs


def compare(
    case: str,
    n: int,
    ours: Callable[[], object],
    reference: Callable[[], object],
    *,
    target: float | None,
    budget: Budget = FULL,
) -> Row:
    """Time `ours` against `reference` in alternating runs and keep each side's median.

    The order flips every run (ours first, then reference first) so neither side
    always runs on a cache the other just warmed or a heap the other just filled.
    """
    estimate = 0
    for _ in range(max(1, budget.warmup)):
        estimate = time_ns(ours) + time_ns(reference)
    runs = budget.runs_for(estimate)
    gc.collect()
    ours_ns: list[int] = []
    reference_ns: list[int] = []
    for i in range(runs):
        if i % 2 == 0:
            ours_ns.append(time_ns(ours))
            reference_ns.append(time_ns(reference))
        else:
            reference_ns.append(time_ns(reference))
            ours_ns.append(time_ns(ours))
    return Row(
        case=case,
        n=n,
        ours_ns=int(statistics.median(ours_ns)),
        reference_ns=int(statistics.median(reference_ns)),
        target=target,
        runs=runs,
    )


# -- printing ----------------------------------------------------------------


_COLUMNS: tuple[tuple[str, int, str], ...] = (
    ("case", 26, "<"),
    ("n", 7, ">"),
    ("ours (ms)", 11, ">"),
    ("reference (ms)", 15, ">"),
    ("ratio", 8, ">"),
    ("target", 8, ">"),
    ("verdict", 7, "<"),
    ("runs", 5, ">"),
)


def _line(cells: Sequence[str]) -> str:
    """Cells padded to their column's width and alignment."""
    return "  ".join(
        f"{cell:{align}{width}}" for cell, (_, width, align) in zip(cells, _COLUMNS, strict=True)
    ).rstrip()


def _ms(ns: int) -> str:
    """Nanoseconds as milliseconds, with digits enough for sub-millisecond figures."""
    ms = ns / NS_PER_MS
    return f"{ms:.3f}" if ms < 10 else f"{ms:.1f}"


def header() -> str:
    """The table's header and rule."""
    titles = _line([title for title, _, _ in _COLUMNS])
    return titles + "\n" + "-" * len(titles)


def format_row(row: Row) -> str:
    """One row of the table."""
    target = "—" if row.target is None else f"≤{row.target:.2f}x"
    return _line(
        [
            row.case,
            f"{row.n:,}",
            _ms(row.ours_ns),
            _ms(row.reference_ns),
            f"{row.ratio:.2f}x",
            target,
            row.verdict,
            str(row.runs),
        ]
    )


def format_table(rows: Sequence[Row]) -> str:
    """A whole aligned table: header, rule, one line per row."""
    return "\n".join([header(), *(format_row(row) for row in rows)])


class TablePrinter:
    """Prints the table a row at a time, so long runs show progress as they go."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._started = False

    def __call__(self, row: Row) -> None:
        """Print `row`, preceded by the header the first time."""
        out = self._out or sys.stdout
        if not self._started:
            print(header(), file=out)
            self._started = True
        print(format_row(row), file=out, flush=True)
