"""The browser benchmark runs end to end on a tiny portfolio and leaves no process behind.

A smoke test only: one run of each side, on 20 projects; the figures must be
positive and the ready figure at least the first frame's. No timing is
asserted; `make bench` reports the figures. Skipped only where no Chromium is
installed, and never in CI, where `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bench import web_bench  # noqa: E402
from bench.harness import Budget, Options, Row  # noqa: E402

pytestmark = [pytest.mark.bench, pytest.mark.slow]


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


def test_the_page_load_benchmark_measures_and_cleans_up() -> None:
    if not any(shutil.which(name) for name in web_bench.BROWSERS):
        if os.environ.get("CI"):
            pytest.fail("no Chromium: .ci/run installs chromium-headless-shell")
        pytest.skip("no chromium-headless-shell or chromium installed")
    before = _children()
    emitted: list[Row] = []
    rows = web_bench.measure(
        Options(budget=Budget(repeat=1, warmup=0), sizes=(20,)), emitted.append
    )
    assert [row.case for row in rows] == ["page load: first frame", "page load: ready"]
    assert emitted == rows
    for row in rows:
        assert row.n == 20
        assert row.ours_ns > 0
        assert row.reference_ns > 0
    assert rows[1].ours_ns >= rows[0].ours_ns
    assert rows[1].target == web_bench.READY_TARGET
    assert _children() <= before, "the server, the browser or a dashboard was left running"
