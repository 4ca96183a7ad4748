"""`mlfolio rate` and `apply-ratings`: ratings through the locked save, one line either way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core.models import Project
from core.rules.ratings import spread_of
from portfolio import load
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "portfolio.toml"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example, with $USER set to a known name."""
    monkeypatch.setenv("USER", "ann")
    file = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, file)
    return file


def first_id(path: Path) -> str:
    return load(path).projects[0].id


def project(path: Path, project_id: str) -> Project:
    found = load(path).project(project_id)
    assert found is not None
    return found


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_rate_records_each_person_and_supersedes_their_earlier_rating(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = first_id(path)
    status, out, err = run(capsys, "rate", str(path), pid, "automation=2", "--by", "bob")
    assert (status, err) == (0, "")
    assert out.strip() == f"{path}: bob rated {pid} automation 2 (by bob)"
    run(capsys, "rate", str(path), pid, "automation=5", "cheap-prediction=3")  # $USER: ann
    run(capsys, "rate", str(path), pid, "automation=4", "--by", "bob")
    rated = project(path, pid)
    assert [(r.by, r.superseded) for r in rated.ratings] == [
        ("bob", True),
        ("ann", False),
        ("bob", False),
    ]
    spread = spread_of(rated, "automation")
    assert spread is not None
    assert spread.raters == (("ann", 5), ("bob", 4))


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (("automaton=4",), "'automaton' is not a lens or cost driver (did you mean 'automation'?)"),
        (("automation=7",), "automation: a score is 1 to 5 (got 7)"),
        (("automation=high",), "automation: 'high' is not a whole number"),
        (("automation",), "'automation' is not LENS=SCORE (e.g. automation=4)"),
    ],
)
def test_rate_refuses_bad_words_in_one_line_and_leaves_the_file(
    path: Path, capsys: pytest.CaptureFixture[str], words: tuple[str, ...], message: str
) -> None:
    before = path.read_bytes()
    pid = first_id(path)
    status, out, err = run(capsys, "rate", str(path), pid, *words)
    assert (status, out) == (1, "")
    assert err == f"mlfolio rate: {path}: {pid}: {message}\n"
    assert path.read_bytes() == before


def test_rate_refuses_an_unknown_project(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "rate", str(path), "nope", "automation=3")
    assert status == 1
    assert err == f"mlfolio rate: {path}: no project 'nope'\n"


def test_apply_ratings_takes_the_median_and_the_range(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = first_id(path)
    for person, score in (("ann", 1), ("bob", 2), ("cy", 5), ("di", 4)):
        run(capsys, "rate", str(path), pid, f"automation={score}", "--by", person)
    status, out, _ = run(capsys, "apply-ratings", str(path), pid, "--range", "--format", "json")
    assert status == 0
    assert json.loads(out)["change"] == f"apply the ratings' median to {pid} with their range"
    impact = project(path, pid).impact
    assert impact is not None
    assert impact.automation == 3  # sorted 1, 2, 4, 5: median 3.0
    assert (impact.ranges["automation"].low, impact.ranges["automation"].high) == (1, 5)


def test_apply_ratings_refuses_a_key_nobody_rated(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pid = first_id(path)
    status, _, err = run(capsys, "apply-ratings", str(path), pid, "--only", "automation")
    assert status == 1
    assert err == f"mlfolio apply-ratings: {path}: nobody has rated automation of {pid}\n"
