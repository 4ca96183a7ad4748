"""Merging two versions of a portfolio by meaning, against loading the file.

At 1,000 projects (100 printed for information): a base portfolio and two
sides, each with a tenth of the projects changed (disjoint tenths, so the
merge is clean), as `git merge` hands them to the driver. Two figures:
`core.compare.merge.merge` of the three loaded portfolios, and the whole driver's
work (`portfolio.merging.merge_files`: load the three files, merge, write the
result atomically), each against `portfolio.load` of one of the files.
Target for the driver: ≤ 5x (it loads three files and writes one).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import portfolio
from bench.generate import generate_portfolio
from bench.harness import Options, Row, compare
from core.compare.merge import merge
from core.models import Portfolio, Project
from portfolio.merging import merge_files

NAME = "merge"
TITLE = "merge two changed versions (10% of projects each side), against portfolio.load"

SIZES = (100, 1_000)
TARGET_N = 1_000
DRIVER_TARGET = 5.0
SEED = 20_261_206


def _changed(project: Project, who: str) -> Project:
    """`project` with its owner and summary changed, as an edit on a branch would."""
    return project.model_copy(update={"owner": who, "summary": f"{project.summary} ({who})"})


def _sides(base: Portfolio) -> tuple[Portfolio, Portfolio]:
    tenth = max(1, len(base.projects) // 10)
    ours = tuple(
        _changed(p, "ann") if i % 10 == 0 and i // 10 < tenth else p
        for i, p in enumerate(base.projects)
    )
    theirs = tuple(
        _changed(p, "bob") if i % 10 == 5 and i // 10 < tenth else p
        for i, p in enumerate(base.projects)
    )
    return (
        base.model_copy(update={"projects": ours}),
        base.model_copy(update={"projects": theirs}),
    )


def _measure(n: int, options: Options) -> list[Row]:
    """The two figures at one size."""
    base = generate_portfolio(n, SEED)
    ours, theirs = _sides(base)
    assert merge(base, ours, theirs).clean
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{name}.toml" for name in ("base", "ours", "theirs")]
        for path, version in zip(paths, (base, ours, theirs), strict=True):
            portfolio.save(version, path)
        work = Path(folder) / "work.toml"

        def driver() -> object:
            shutil.copyfile(paths[1], work)
            return merge_files(paths[0], work, paths[2])

        def load() -> object:
            return portfolio.load(paths[1])

        def merged() -> object:
            return merge(base, ours, theirs)

        target = DRIVER_TARGET if n == TARGET_N else None
        return [
            compare("core.compare.merge", n, merged, load, target=None, budget=options.budget),
            compare("merge-driver", n, driver, load, target=target, budget=options.budget),
        ]


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Measure the merge and the driver at every size."""
    rows: list[Row] = []
    for n in options.pick(SIZES):
        for row in _measure(n, options):
            emit(row)
            rows.append(row)
    return rows
