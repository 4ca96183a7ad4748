"""The flow figures (core.flow), against loading the same file.

Judged figure (ours / reference), at 10,000 projects (1,000 printed for
information): `core.flow.figures.flow_figures` over every history, all time
(time in stage with its quartiles, back-edges by reason, outcomes, WIP at 48
instants, as the Flow view asks) against `portfolio.loads` of the file's text,
which any command does first (the text, as in `bench.io_bench`: at 10,000
generated projects the file is over the 16 MiB `portfolio.load` reads).
Target: ≤ 0.25x, so opening the Flow view or cycling its period never costs
more than a fraction of opening the file.

Printed for information: the same over the last 90 days (clipping every
span), and the stage timelines of every project at 80 cells (what the HTML
export draws, one per project).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

import portfolio
from bench.generate import generate_portfolio
from bench.harness import Options, Row, compare
from core.flow.figures import flow_figures
from core.flow.spans import period_for, project_start, stage_spans
from core.flow.timeline import timeline_cells
from core.models import Portfolio

NAME = "flow"
TITLE = "flow figures (time in stage, back-edges, outcomes, WIP), against portfolio.load"

SIZES = (1_000, 10_000)
"""Projects per portfolio."""

TARGET_N = 10_000
"""The size the target is judged at."""

TARGET = 0.25
"""Largest acceptable ratio of the all-time flow figures at `TARGET_N`."""

SEED = 20_261_121
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
WIP_POINTS = 48


Case = tuple[str, Callable[[], object], float | None]


def _cases(model: Portfolio, n: int) -> list[Case]:
    """The measured calls on `model` (n projects), each with its target when judged."""

    def all_time() -> object:
        return flow_figures(model.projects, NOW, period_for(NOW), points=WIP_POINTS)

    def last_90() -> object:
        return flow_figures(model.projects, NOW, period_for(NOW, 90), points=WIP_POINTS)

    def timelines() -> object:
        return [
            timeline_cells(stage_spans(p, NOW), project_start(p) or NOW, NOW, 80)
            for p in model.projects
        ]

    return [
        ("flow figures, all time", all_time, TARGET if n == TARGET_N else None),
        ("  last 90 days", last_90, None),
        ("  timelines, 80 cells", timelines, None),
    ]


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Measure every case at every size, emitting each row as soon as it is measured."""
    rows: list[Row] = []
    for n in options.pick(SIZES):
        model = generate_portfolio(n, SEED)
        # loads, not load: 10,000 generated projects pass the 16 MiB a portfolio file may have
        load = partial(portfolio.loads, portfolio.dumps(model))
        for case, ours, target in _cases(model, n):
            row = compare(case, n, ours, load, target=target, budget=options.budget)
            emit(row)
            rows.append(row)
    return rows
