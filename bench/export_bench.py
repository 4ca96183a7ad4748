"""Exporting a portfolio, against loading the same file.

Judged figures (ours / reference), at 1,000 projects (100 printed for
information): each export format rendered and written to a file
(`portfolio.exports.render` then `portfolio.output.write_output`, atomic,
fsynced) against `portfolio.load` of the portfolio's file, the one thing any
command does first. Targets: CSV ≤ 1x; Markdown and HTML (the SVG grid too)
≤ 1.5x; JSON (every figure plus the whole portfolio again) ≤ 2x.

Printed for information: the report alone (`core.report.build_report`, the
figures every format shares) and `core.compare.diff.diff_portfolios` of two versions
of the file with a tenth of the projects changed, each against the load; and
the SVG export, one screenshot of the dashboard taken in a headless app
(`tui.cli.export.screenshot_svg`, app start-up included), timed a few times
on its own and shown against the load too.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import portfolio
from bench.generate import generate_portfolio
from bench.harness import Budget, Options, Row, compare
from core.compare.diff import diff_portfolios
from core.models import Impact, Portfolio, Project
from core.report import build_report
from portfolio.exports import FORMATS, render
from portfolio.output import write_output

NAME = "export"
TITLE = "export a portfolio (md, html, json, csv, svg) and diff it, against portfolio.load"

SIZES = (100, 1_000)
"""Projects per portfolio."""

TARGET_N = 1_000
"""The size the targets are judged at."""

TARGETS: dict[str, float] = {"md": 1.5, "csv": 1.0, "html": 1.5, "json": 2.0}
"""Largest acceptable ratio per format at `TARGET_N`."""

SVG_RUNS = 3
"""Screenshots taken for the SVG figure (each starts an app)."""

SEED = 20_261_121
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _nudged(project: Project) -> Project:
    """`project` with its first impact lens one point away (its ranges dropped)."""
    current = project.impact or Impact()  # an unscored project starts from the neutral 3s
    lens = current.cheap_prediction
    impact = current.model_copy(
        update={"cheap_prediction": lens + 1 if lens < 5 else lens - 1, "ranges": {}}
    )
    return project.model_copy(update={"impact": impact})


def _changed(model: Portfolio) -> Portfolio:
    """`model` with every tenth project nudged on the grid."""
    projects = tuple(
        _nudged(project) if index % 10 == 0 else project
        for index, project in enumerate(model.projects)
    )
    return model.model_copy(update={"projects": projects})


def _cases(
    n: int, folder: Path
) -> list[tuple[str, Callable[[], object], Callable[[], object], float | None]]:
    model = generate_portfolio(n, SEED)
    source = folder / "portfolio.toml"
    portfolio.save(model, source)
    other = _changed(model)

    def load() -> object:
        return portfolio.load(source)

    def export(fmt: str) -> Callable[[], object]:
        out = folder / f"export.{fmt}"
        return lambda: write_output(out, render(model, fmt, NOW), force=True)

    cases: list[tuple[str, Callable[[], object], Callable[[], object], float | None]] = [
        (f"{fmt}: render + write", export(fmt), load, TARGETS[fmt] if n == TARGET_N else None)
        for fmt in FORMATS
    ]
    cases.append(("  report figures alone", lambda: build_report(model, NOW), load, None))
    cases.append(("diff: 10% changed", lambda: diff_portfolios(model, other), load, None))
    return cases


def _svg_row(n: int, folder: Path, budget: Budget) -> Row:
    """One screenshot per run; few runs, as each starts a whole headless app."""
    from tui.cli.export import screenshot_svg

    source = folder / "portfolio.toml"
    out = folder / "screen.svg"

    def shoot() -> object:
        return write_output(out, screenshot_svg(source, clock=lambda: NOW), force=True)

    few = Budget(repeat=SVG_RUNS if budget.repeat is None else budget.repeat, warmup=1)
    return compare(
        "svg: screenshot + write", n, shoot, lambda: portfolio.load(source), target=None, budget=few
    )


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Measure every case at every size, emitting each row as soon as it is measured."""
    rows: list[Row] = []
    for n in options.pick(SIZES):
        with tempfile.TemporaryDirectory(prefix="mlfolio-bench-") as name:
            folder = Path(name)
            for case, ours, reference, target in _cases(n, folder):
                row = compare(case, n, ours, reference, target=target, budget=options.budget)
                emit(row)
                rows.append(row)
            row = _svg_row(n, folder, options.budget)
            emit(row)
            rows.append(row)
    return rows
