"""The dashboard benchmark runs end to end on a tiny portfolio and cleans up after itself.

A smoke test only: each measurement runs once, on 20 projects, and must return
positive figures. No timing is asserted; `make bench` reports the figures.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# `bench` is not an installed package; make the checkout importable when pytest
# does not put it on the path itself.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bench import tui_bench  # noqa: E402
from bench.harness import FULL, Budget, Options, Row  # noqa: E402
from bench.pty_driver import PtyError, PtyProcess, rows_written  # noqa: E402

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="pseudo-terminals and /proc are Linux's"
    ),
]

SMOKE = Options(budget=Budget(repeat=1, warmup=0), sizes=(20,))


def _children() -> set[int]:
    """The live processes whose parent is this one."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def test_every_measurement_returns_positive_figures() -> None:
    before = _children()
    emitted: list[Row] = []
    results = tui_bench.measure(SMOKE, emitted.append, reference_rows=200, views=("board",))

    cases = [row.case for row in results.rows]
    assert cases == [
        "start-up: first frame",
        "start-up: ready",
        "key ↓ board: 1st burst",
        "key ↓ board: all output",
        "edit → saved: f",
    ]
    assert emitted == results.rows
    for row in results.rows:
        assert row.n == 20
        assert row.runs == 1
        assert row.ours_ns > 0
        assert row.reference_ns > 0
    (key,) = results.keys
    assert key.settled.ours_ns >= key.first.ours_ns
    assert all(burst.size > 0 for burst in key.ours + key.reference)
    assert all(burst.rows >= 1 for burst in key.ours + key.reference)
    assert "in place" in key.note()
    assert "scrolling" in key.note()
    (memory,) = results.memory
    assert memory.ours_kib > 0
    assert memory.reference_kib > 0
    assert tui_bench.format_memory(results.memory).count("\n") == 2
    assert _children() <= before, "a benchmark process was left running"


def test_rows_written_counts_each_row_the_output_moves_to_once() -> None:
    frame = b"\x1b[?25l\x1b[3;1Hab\x1b[3;40Hcd\x1b[12;7Hxy\x1b[?25h"
    assert rows_written(frame) == 2
    assert rows_written(b"\x1b[2J plain text, no moves") == 0


def test_a_failed_wait_still_kills_the_child() -> None:
    process = PtyProcess([sys.executable, "-c", "import time; print('hi'); time.sleep(60)"])
    with process, pytest.raises(PtyError, match="no b'never'"):
        process.wait_for(b"never", timeout=0.5)
    assert process.process.returncode is not None


def test_runs_follow_the_budget() -> None:
    assert tui_bench.runs_for(Budget(repeat=1), "key") == 1
    assert tui_bench.runs_for(FULL, "key") == tui_bench.FULL_RUNS["key"]
    quick = Budget(seconds=0.25, min_repeat=3)
    assert tui_bench.runs_for(quick, "startup") == 3
    assert tui_bench.runs_for(quick, "key") == 10
