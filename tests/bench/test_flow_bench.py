"""The flow benchmark runs end to end on a small portfolio (no timing is asserted here)."""

from __future__ import annotations

import pytest

from bench import flow_bench
from bench.harness import Budget, Options, Row

pytestmark = pytest.mark.bench


def test_flow_bench_measures_every_case_against_the_load() -> None:
    rows: list[Row] = []
    flow_bench.run(Options(budget=Budget(repeat=1, warmup=1), sizes=(20,)), rows.append)
    assert [row.case.strip() for row in rows] == [
        "flow figures, all time",
        "last 90 days",
        "timelines, 80 cells",
    ]
    assert all(row.n == 20 and row.ours_ns > 0 and row.reference_ns > 0 for row in rows)
    # The target is judged at 10,000 projects only.
    assert all(row.target is None for row in rows)
