"""The headless command line: validate, rank, init, schema; one-line errors, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from factories import EXAMPLE

from portfolio import load
from tui import cli
from tui.cli import main


def test_validate_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLE)]) == 0
    assert "ok (14 projects)" in capsys.readouterr().out


def test_validate_reports_one_line_per_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'schema = 1\n[[projects]]\nid = "x"\ntitle = "A\\u001b[2J"\n'
        "[projects.impact]\ncheap_prediction = 9\n"
    )
    assert main(["validate", str(EXAMPLE), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"{bad}:4:")
    assert "control character" in err[0]
    assert err[1].startswith(f"{bad}:6:")
    assert "(at projects[0].impact.cheap_prediction)" in err[1]
    assert "\x1b" not in "".join(err)


def test_rank_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", str(EXAMPLE), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 9  # the five parked, killed and shipped projects are left out
    assert [row["rank"] for row in rows] == list(range(1, 10))
    assert set(rows[0]) == {
        "rank", "id", "title", "stage", "impact", "feasibility", "quadrant", "score", "warnings",
        "infos", "diagnosis", "ratings",
    }  # fmt: skip
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert main(["rank", str(EXAMPLE), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["id"] for row in table] == [row["id"] for row in rows]
    assert main(["rank", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["rank", "id", "title"]
    assert len(out) == 11


def test_rank_all_includes_closed_projects_after_the_open_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rank", str(EXAMPLE), "--all", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 14
    stages = [row["stage"] for row in rows]
    closed = [i for i, stage in enumerate(stages) if stage in {"parked", "killed", "shipped"}]
    assert closed == list(range(9, 14))
    ide = next(row for row in rows if row["id"] == "ide-completion")
    assert ide["diagnosis"]["model"] == "transformer-60m-int8"
    assert ide["diagnosis"]["gap"] == pytest.approx(0.02)


def test_rank_marks_unscored_projects_and_puts_them_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        'schema = 1\n[[projects]]\nid = "new"\ntitle = "New idea"\n'
        '[[projects]]\nid = "old"\ntitle = "Old"\n[projects.impact]\n[projects.feasibility]\n',
        encoding="utf-8",
    )
    assert main(["rank", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == ["old", "new"]
    assert rows[1]["quadrant"] == "unscored"
    assert rows[1]["score"] is None
    assert rows[0]["quadrant"] == "quick wins"  # all 3s, scored on purpose
    assert main(["rank", str(path)]) == 0
    assert "unscored" in capsys.readouterr().out.splitlines()[-1]


def test_init_writes_the_example_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "portfolio.toml"
    assert main(["init", str(target)]) == 0
    assert load(target) == load(EXAMPLE)
    target.write_text("mine")
    assert main(["init", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_text() == "mine"
    assert not list(tmp_path.glob(".*.tmp"))


def test_schema_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"]
    assert "projects" in schema["properties"]


def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["rank", str(EXAMPLE), "--format", "yaml"])
    assert stopped.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "/nonexistent/portfolio.toml"],
        ["rank", "/nonexistent/portfolio.toml"],
        ["validate", "/"],
        ["/nonexistent/portfolio.toml"],
    ],
)
def test_bad_input_never_shows_a_traceback(args: list[str]) -> None:
    script = Path(sys.executable).with_name("mlfolio")
    result = subprocess.run(
        [str(script), *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_every_invalid_corpus_file_is_refused_from_the_command_line(corpus_dir: Path) -> None:
    files = sorted((corpus_dir / "toml-test-invalid").rglob("*.toml"))
    assert len(files) > 400
    script = Path(sys.executable).with_name("mlfolio")
    result = subprocess.run(
        [str(script), "validate", "--quiet", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(files)


def test_the_command_names_known_without_the_parser_are_its_commands() -> None:
    """`main` tells the dashboard from a command before building the parser."""
    _, handlers = cli._parser()
    assert set(handlers) == cli.COMMANDS
    _, only_open = cli._parser(only_open=True)
    assert "open" in only_open
    assert set(only_open) < cli.COMMANDS
