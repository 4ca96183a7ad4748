"""`python -m bench`: run every registered benchmark and print one table each.

Targets are reported, never asserted: the exit status is 0 whatever the
ratios, and 1 only when a benchmark crashed (the others still run).
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from typing import cast

from bench.harness import FULL, QUICK, Benchmark, Options, TablePrinter

BENCHMARKS: tuple[str, ...] = (
    "bench.io_bench",
    "bench.edit_bench",
    "bench.tui_bench",
    "bench.export_bench",
    "bench.serve_bench",
    "bench.web_bench",
    "bench.merge_bench",
    "bench.flow_bench",
)
"""The benchmark modules, in the order they run; each follows `bench.harness.Benchmark`."""

QUICK_MAX_N = 1_000
"""The largest size `--quick` runs."""


def _load(module: str) -> Benchmark:
    """Import a registered benchmark module."""
    return cast(Benchmark, importlib.import_module(module))


def _load_average() -> str:
    """The one-minute load average, a hint of how noisy the figures will be; '?' if unknown."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def _parser(names: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Time mlfolio against same-run references; only the ratios are judged.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"fewer runs per figure and sizes up to {QUICK_MAX_N:,} projects",
    )
    parser.add_argument(
        "--only", choices=names, metavar="NAME", help="run one benchmark: %(choices)s"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks; 0 unless one of them raised."""
    benchmarks: list[Benchmark] = []
    crashed: list[str] = []
    for module in BENCHMARKS:
        try:
            benchmarks.append(_load(module))
        except Exception:
            traceback.print_exc()
            crashed.append(module)
    args = _parser([b.NAME for b in benchmarks]).parse_args(argv)
    options = Options(budget=QUICK, max_n=QUICK_MAX_N) if args.quick else Options(budget=FULL)
    print(
        f"mlfolio benchmarks · Python {platform.python_version()} · {platform.system()}"
        f" {platform.machine()} · {os.cpu_count()} cores · load average {_load_average()}"
    )
    print("ratio = ours / reference, both timed in alternating runs; lower is better")
    for benchmark in benchmarks:
        if args.only and args.only != benchmark.NAME:
            continue
        print(f"\n[{benchmark.NAME}] {benchmark.TITLE}")
        started = time.perf_counter()
        try:
            benchmark.run(options, TablePrinter())
        except Exception:
            traceback.print_exc()
            crashed.append(benchmark.NAME)
            continue
        print(f"({time.perf_counter() - started:.1f} s)")
    if crashed:
        print(f"\ncrashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
