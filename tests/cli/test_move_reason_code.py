"""`mlfolio move --reason-code`: a back move's reason as a code, refused when it does not fit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.vocabulary import BackReason
from portfolio import load
from tui.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio.toml"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("USER", "ann")
    file = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, file)
    return file


def _last(path: Path, project_id: str) -> tuple[BackReason | None, str]:
    found = load(path).project(project_id)
    assert found is not None
    return found.history[-1].reason_code, found.history[-1].reason


def test_a_code_alone_moves_back_and_is_recorded(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # invoice-extraction is in training in the example
    args = ["move", str(path), "invoice-extraction", "data", "--reason-code", "labels-unreliable"]
    assert main(args) == 0
    capsys.readouterr()
    assert _last(path, "invoice-extraction") == (
        BackReason.LABELS_UNRELIABLE,
        "labels unreliable",
    )


def test_a_code_with_text_keeps_both(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["move", str(path), "invoice-extraction", "data", "--reason-code", "other"]
    assert main([*args, "--reason", "vendor went bust"]) == 0
    capsys.readouterr()
    assert _last(path, "invoice-extraction") == (BackReason.OTHER, "vendor went bust")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "label-unreliable",
            "invoice-extraction: 'label-unreliable' is not a reason for going back from"
            " training to data (did you mean 'labels-unreliable'?); use one of:"
            " more-data-needed, labels-unreliable, other",
        ),
        (
            "fails-in-the-lab",
            "invoice-extraction: 'fails-in-the-lab' is not a reason for going back from"
            " training to data; use one of: more-data-needed, labels-unreliable, other",
        ),
    ],
)
def test_a_code_not_valid_on_the_edge_is_refused_in_one_line(
    path: Path, capsys: pytest.CaptureFixture[str], code: str, expected: str
) -> None:
    before = path.read_bytes()
    args = ["move", str(path), "invoice-extraction", "data", "--reason-code", code]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"mlfolio move: {path}: {expected}\n"
    assert path.read_bytes() == before


def test_a_code_on_a_forward_move_is_refused(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["move", str(path), "invoice-extraction", "deployment", "--reason-code", "other"]
    assert main(args) == 1
    assert "not going back: it takes no reason code" in capsys.readouterr().err
