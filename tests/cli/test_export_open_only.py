"""`mlfolio export --open-only`: parked, killed and shipped projects left out of every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from factories import NOW

from core.models import OUTCOMES
from portfolio import load
from tui.cli import export as cli_export
from tui.cli import main


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command reads the same instant."""
    monkeypatch.setattr(cli_export, "utc_now", lambda: NOW)


def _closed(example: Path) -> list[tuple[str, str]]:
    """(id, title) of the example's closed projects."""
    return [(p.id, p.title) for p in load(example).projects if p.stage in OUTCOMES]


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_open_only_omits_closed_projects_and_the_default_keeps_them(
    example: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = _closed(example)
    assert closed, "the example has parked, killed and shipped projects"
    assert main(["export", str(example), "--format", fmt]) == 0
    everything = capsys.readouterr().out
    assert main(["export", str(example), "--format", fmt, "--open-only"]) == 0
    open_only = capsys.readouterr().out
    for project_id, _title in closed:
        assert project_id in everything
        assert project_id not in open_only


def test_open_only_json_and_csv_list_exactly_the_open_projects(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = {p.id for p in load(example).projects if p.stage not in OUTCOMES}
    assert main(["export", str(example), "--format", "json", "--open-only"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["id"] for p in data["projects"]} == expected
    assert main(["export", str(example), "--format", "csv", "--open-only"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["id"] for row in rows} == expected
    assert [int(row["rank"]) for row in rows] == list(range(1, len(rows) + 1))


def test_open_only_is_refused_for_an_svg(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(example), "--format", "svg", "--open-only"]) == 2
    assert "--open-only" in capsys.readouterr().err
