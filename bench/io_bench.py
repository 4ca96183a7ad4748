"""Loading and saving a portfolio file, against the standard library doing the bare minimum.

Judged figures (ours / reference):

- load: `portfolio.loads(text)` (parse, migrate, validate into the model)
  against `tomllib.loads(text)`, the standard library's parser alone. Target
  ≤ 0.6x at 1,000 projects: the compiled parser must win back more than
  validation costs.
- save after one edit: `portfolio.save(p, path)` (model to TOML, temporary
  file, fsync, rename, folder fsync) of a portfolio one project apart from the
  one saved just before (the two versions are saved in turn, so every save
  follows a one-project edit, as in the app), against `tomli_w.dumps` of the
  same document as plain data plus a plain write of those bytes with fsync.
  Target ≤ 0.5x: the text of the projects the edit left alone is reused.

Printed for information, to show where load and save spend their time: the
loader's parse step (rtoml, then tomli's time zones) and validation alone
(`Portfolio.model_validate` of data parsed beforehand), each against
`tomllib.loads`, so the two ratios add up to about the load ratio; `tomli.loads`
beside them, the parser that loading used before and still uses for errors;
a full rewrite (every project written afresh, `dumps(reuse=False)`, then the
same atomic write), and serialising alone (`portfolio.dumps(reuse=False)`)
against `tomli_w.dumps`, the rest of the full rewrite's ratio being the file work.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tomli
import tomli_w

import portfolio
from bench.generate import generate_portfolio
from bench.harness import Options, Row, compare
from core.models import Portfolio
from portfolio.load import _parse as parse_as_loader
from portfolio.save import write_atomic

NAME = "io"
TITLE = "load and save a portfolio file (portfolio.loads / portfolio.save)"

SIZES = (100, 1_000, 10_000)
"""Projects per portfolio."""

LOAD_TARGET = 0.6
"""Largest acceptable load ratio, judged at `LOAD_TARGET_N` projects."""

LOAD_TARGET_N = 1_000

SAVE_TARGET = 0.5
"""Largest acceptable ratio of a save after a one-project edit, at every size."""

SEED = 20_260_131


def write_plain(path: Path, data: bytes) -> None:
    """Write `data` the simplest durable way: open, write, flush, fsync, close."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _one_edit(model: Portfolio) -> Portfolio:
    """`model` with one project (in the middle of the file) given a new title."""
    index = len(model.projects) // 2
    projects = list(model.projects)
    projects[index] = projects[index].model_copy(update={"title": projects[index].title + " (2)"})
    return model.model_copy(update={"projects": tuple(projects)})


def _cases(
    n: int, folder: Path
) -> list[tuple[str, Callable[[], object], Callable[[], object], float | None]]:
    """Every comparison at size `n`, as (case, ours, reference, target)."""
    model = generate_portfolio(n, SEED)
    text = portfolio.dumps(model)
    plain: dict[str, Any] = tomllib.loads(text)
    ours_path, reference_path = folder / "ours.toml", folder / "reference.toml"

    def reference_save() -> None:
        write_plain(reference_path, tomli_w.dumps(plain, multiline_strings=True).encode("utf-8"))

    # Two versions one project apart: saving them in turn is a save after a one-project edit.
    versions = [model, _one_edit(model)]

    def save_after_edit() -> None:
        versions.reverse()
        portfolio.save(versions[0], ours_path)

    load_target = LOAD_TARGET if n == LOAD_TARGET_N else None
    return [
        (
            "load: portfolio.loads",
            lambda: portfolio.loads(text),
            lambda: tomllib.loads(text),
            load_target,
        ),
        ("  parse: tomli.loads", lambda: tomli.loads(text), lambda: tomllib.loads(text), None),
        (
            "  parse: loader (rtoml)",
            lambda: parse_as_loader(text, "<bench>"),
            lambda: tomllib.loads(text),
            None,
        ),
        (
            "  validate: model_validate",
            lambda: Portfolio.model_validate(plain),
            lambda: tomllib.loads(text),
            None,
        ),
        ("save: after one edit", save_after_edit, reference_save, SAVE_TARGET),
        (
            "  save: full rewrite",
            lambda: write_atomic(ours_path, portfolio.dumps(model, reuse=False).encode("utf-8")),
            reference_save,
            None,
        ),
        (
            "  serialise: dumps",
            lambda: portfolio.dumps(model, reuse=False),
            lambda: tomli_w.dumps(plain, multiline_strings=True),
            None,
        ),
    ]


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Measure every case at every size, emitting each row as soon as it is measured."""
    rows: list[Row] = []
    for n in options.pick(SIZES):
        with tempfile.TemporaryDirectory(prefix="mlfolio-bench-") as folder:
            for case, ours, reference, target in _cases(n, Path(folder)):
                row = compare(case, n, ours, reference, target=target, budget=options.budget)
                emit(row)
                rows.append(row)
    return rows
