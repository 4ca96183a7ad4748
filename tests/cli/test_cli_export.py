"""The export, snapshot, snapshots and diff commands: outputs, refusals and one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from factories import EXAMPLE, NOW, ROOT

from portfolio import load
from portfolio.exports import render
from tui.cli import export as cli_export
from tui.cli import main


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command reads the same instant."""
    monkeypatch.setattr(cli_export, "utc_now", lambda: NOW)


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_export_to_stdout_matches_the_renderer(
    example: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(example), "--format", fmt]) == 0
    assert capsys.readouterr().out == render(load(example), fmt, NOW)


def test_export_defaults_to_markdown(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(example)]) == 0
    assert capsys.readouterr().out.startswith("# Northwind ML portfolio\n")


def test_export_to_a_file_refuses_to_overwrite_unless_forced(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = example.parent / "report.csv"
    assert main(["export", str(example), "--format", "csv", "-o", str(out)]) == 0
    assert capsys.readouterr().err == f"wrote {out}\n"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 14
    out.write_text("mine")
    assert main(["export", str(example), "--format", "csv", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err == f"mlfolio: {out} already exists; not overwriting it (use --force)\n"
    assert out.read_text() == "mine"
    assert main(["export", str(example), "--format", "csv", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("rank,id,title")


def test_export_of_a_broken_file_is_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\n[[projects]]\nid = 'x'\n")
    assert main(["export", str(bad), "--format", "html"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"{bad}:")
    assert main(["export", str(tmp_path / "missing.toml")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_export_usage_mistakes_exit_2(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 2
    assert "give the portfolio FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["export", str(example), "--format", "pdf"])
    assert caught.value.code == 2
    capsys.readouterr()
    assert main(["export", str(example), "--format", "svg", "--size", "huge"]) == 2
    assert "--size 'huge': give columns x rows" in capsys.readouterr().err


def test_export_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--json-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "mlfolio JSON export"
    assert "ProjectFigures" in schema["$defs"]


def test_parse_size() -> None:
    assert cli_export.parse_size("120x36") == (120, 36)
    assert cli_export.parse_size("80X24") == (80, 24)
    for bad in ("10x5", "120", "x", "5000x40"):
        with pytest.raises(ValueError, match="--size"):
            cli_export.parse_size(bad)


def test_export_svg_is_a_screenshot_of_the_dashboard(example: Path) -> None:
    out = example.parent / "screen.svg"
    assert (
        main(["export", str(example), "--format", "svg", "--size", "100x30", "-o", str(out)]) == 0
    )
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    # The top open project; the shipped ide-completion is no longer a candidate.
    assert "Personalised&#160;product" in svg or "Personalised product" in svg
    assert "Context&#160;aware" not in svg
    assert load(example) == load(EXAMPLE)


def test_snapshot_list_and_diff_by_label(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["snapshots", str(example)]) == 0
    assert "no snapshots of" in capsys.readouterr().out
    assert main(["snapshot", str(example), "--label", "Before triage"]) == 0
    out = capsys.readouterr().out
    folder = example.parent / "snapshots"
    assert out == (
        f"wrote {folder}/20261121T120000Z-before-triage.toml and"
        f" {folder}/20261121T120000Z-before-triage.md\n"
    )
    assert main(["snapshots", str(example)]) == 0
    assert capsys.readouterr().out == (
        "20261121T120000Z-before-triage  2026-11-21 12:00 UTC  Before triage\n"
    )
    assert main(["snapshots", str(example), "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["label"] == "Before triage"

    text = example.read_text(encoding="utf-8").replace(
        'id = "churn-prediction"', 'id = "churn-prediction-2"'
    )
    example.write_text(text, encoding="utf-8")
    assert main(["diff", "before triage", str(example)]) == 0
    shown = capsys.readouterr().out
    assert "1 added, 1 removed" in shown
    assert "  + churn-prediction-2: " in shown
    assert main(["diff", "latest", str(example), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed_ids"] == ["churn-prediction-2"]
    assert main(["diff", str(example), str(example), "--format", "md"]) == 0
    assert "no differences" in capsys.readouterr().out


def test_diff_errors_are_one_line(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "nothing", str(example)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("mlfolio diff: nothing: no such file, no snapshot in ")
    with pytest.raises(SystemExit) as caught:
        main(["diff"])
    assert caught.value.code == 2


def test_snapshot_into_an_unusable_folder(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    assert main(["snapshot", str(example), "--dir", str(blocker / "x")]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("mlfolio snapshot: cannot create ")


def test_the_export_benchmark_runs_on_a_tiny_portfolio() -> None:
    # `bench` is not an installed package; the checkout is made importable as in
    # test_bench_generate.py. No timing is asserted: `make bench` reports figures.
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import export_bench
    from bench.harness import Budget, Options, Row

    rows: list[Row] = []
    options = Options(budget=Budget(repeat=1, warmup=1), sizes=(4,))
    assert export_bench.run(options, rows.append) == rows
    cases = [row.case for row in rows]
    assert cases[:4] == [f"{fmt}: render + write" for fmt in ("md", "html", "json", "csv")]
    assert cases[-1] == "svg: screenshot + write"
    assert all(row.n == 4 and row.ours_ns > 0 for row in rows)
