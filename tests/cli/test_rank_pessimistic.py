"""`mlfolio rank --pessimistic` ranks by the low ends of the ranges (issue 14, finding 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.models import Portfolio, Project
from portfolio import dumps
from tui.cli import main


def portfolio_file(tmp_path: Path) -> Path:
    """'wide' beats 'sure' on expected scores, but its ranges reach far lower."""
    sure = Project(
        id="sure",
        title="Sure thing",
        impact={
            "cheap_prediction": 4,
            "product_friction": 4,
            "automation": 4,
            "industry_precedent": 4,
        },
        feasibility={"data_availability": 4, "accuracy_requirement": 4, "problem_difficulty": 4},
    )
    wide = Project(
        id="wide",
        title="Wide bet",
        impact={
            "cheap_prediction": 5,
            "product_friction": 5,
            "automation": 5,
            "industry_precedent": 5,
            "ranges": {
                "cheap_prediction": {"low": 1, "high": 5},
                "automation": {"low": 1, "high": 5},
            },
        },
        feasibility={
            "data_availability": 4,
            "accuracy_requirement": 4,
            "problem_difficulty": 4,
            "ranges": {"data_availability": {"low": 1, "high": 4}},
        },
    )
    path = tmp_path / "portfolio.toml"
    path.write_text(dumps(Portfolio(projects=(sure, wide))), encoding="utf-8")
    return path


def ranked(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> list[tuple[str, float]]:
    assert main(["rank", str(path), "--format", "json", *flags]) == 0
    rows = json.loads(capsys.readouterr().out)
    return [(row["id"], row["score"]) for row in rows]


def test_pessimistic_flag_reorders_and_shows_pessimistic_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = portfolio_file(tmp_path)
    expected = ranked(path, capsys)
    pessimistic = ranked(path, capsys, "--pessimistic")
    assert [i for i, _ in expected] == ["wide", "sure"]
    assert [i for i, _ in pessimistic] == ["sure", "wide"]
    assert dict(pessimistic)["wide"] < dict(expected)["wide"]
    assert "rank_by" not in path.read_text(encoding="utf-8") or "pessimistic" not in path.read_text(
        encoding="utf-8"
    )
