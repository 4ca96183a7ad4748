"""Invisible text never hides on screen or in an export; errors and snapshot headers are bounded.

Before: bidi controls (U+202E, U+2066) reached the terminal and every export
unchanged, so a title could read backwards or hide a part of itself; a file of
many bad keys printed one line per key (millions); a snapshot whose JSON
header nested deeply raised RecursionError in `snapshots`, `diff latest` and
the app's "changes since" picker.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.compare.diff import diff_portfolios
from core.models import Portfolio, Project
from portfolio import LoadError, load, loads
from portfolio.errors import MAX_PROBLEMS
from portfolio.exports import FORMATS, render
from portfolio.exports.diff_render import render_diff
from portfolio.snapshots import HEADER_PREFIX, list_snapshots, resolve, scan_snapshots
from tui.cli import main
from tui.text import plain

NOW = datetime(2026, 12, 1, tzinfo=UTC)
HIDDEN = [
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\ufeff",
    "\u2028",
]


@pytest.mark.parametrize("char", HIDDEN)
def test_plain_shows_invisible_controls_as_escapes(char: str) -> None:
    shown = plain(f"safe{char}txt.exe")
    assert char not in shown
    assert shown == f"safe\\u{ord(char):04x}txt.exe"


def test_plain_keeps_joiners_and_ordinary_text() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert (
        plain(f"caf\u00e9 {family} \u05e9\u05dc\u05d5\u05dd")
        == f"caf\u00e9 {family} \u05e9\u05dc\u05d5\u05dd"
    )


def _hostile() -> Portfolio:
    title = "Invoice \u202egpj.exe \u2066x\u2069"
    project = Project(id="a", title=title, owner="\u200fzoe", notes="line\u202e one\nline two")
    return Portfolio(projects=(project,))


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_exports_escape_invisible_controls(fmt: str) -> None:
    text = render(_hostile(), fmt, NOW)
    for char in ("\u202e", "\u2066", "\u2069", "\u200f"):
        assert char not in text, (fmt, char)
    assert "\\u202e" in text


def test_the_json_export_keeps_the_data() -> None:
    import json

    data = json.loads(render(_hostile(), "json", NOW))
    assert "\u202e" in json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_diffs_escape_invisible_controls(fmt: str) -> None:
    text = render_diff(diff_portfolios(Portfolio(), _hostile()), fmt)
    assert "\u202e" not in text
    assert "\\u202e" in text


def test_csv_cells_are_never_formulas_after_escaping() -> None:
    project = Project(id="a", title="=cmd|' /C calc'!A0", owner="\u202e=1+1")
    text = render(Portfolio(projects=(project,)), "csv", NOW)
    assert "'=cmd" in text
    assert ",=" not in text


# -- bounded error output -------------------------------------------------------------------


def test_errors_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("schema = 1\n" + "".join(f"bad{i} = 1\n" for i in range(500)), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(path)
    errors = caught.value.errors
    assert len(errors) == MAX_PROBLEMS + 1 == 51
    assert errors[0] == f"{path}:2:1: unknown key `bad0` (at bad0)"
    assert errors[-1] == f"{path}: and 450 more problems"
    assert len(caught.value.problems) == MAX_PROBLEMS


def test_validate_prints_the_capped_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("schema = 1\n" + "".join(f"bad{i} = 1\n" for i in range(200)), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert (out + err).strip().splitlines()[-1] == f"{path}: and 150 more problems"
    assert len((out + err).strip().splitlines()) == 51


def test_fifty_errors_are_all_shown() -> None:
    with pytest.raises(LoadError) as caught:
        loads("schema = 1\n" + "".join(f"bad{i} = 1\n" for i in range(50)), "p.toml")
    assert len(caught.value.errors) == 50
    assert "more" not in caught.value.errors[-1]


# -- snapshot headers ------------------------------------------------------------------------


def _snapshot(folder: Path, name: str, header: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(header + "\nschema = 1\n", encoding="utf-8")
    return path


@pytest.fixture
def hostile_snapshots(tmp_path: Path) -> Path:
    portfolio = tmp_path / "portfolio.toml"
    portfolio.write_text("schema = 1\n", encoding="utf-8")
    folder = tmp_path / "snapshots"
    deep = "[" * 2000 + "]" * 2000
    _snapshot(
        folder,
        "20261101T100000Z",
        HEADER_PREFIX + '{"taken_at": "2026-11-01T10:00:00Z", "label": "good"}',
    )
    _snapshot(
        folder,
        "20261102T100000Z-deep",
        HEADER_PREFIX + '{"taken_at": "2026-11-02T10:00:00Z", "x": ' + deep + "}",
    )
    return portfolio


def test_a_deeply_nested_snapshot_header_is_skipped_with_a_warning(hostile_snapshots: Path) -> None:
    found, warnings = scan_snapshots(hostile_snapshots)
    assert [s.name for s in found] == ["20261101T100000Z"]
    assert len(warnings) == 1
    assert "20261102T100000Z-deep.toml" in warnings[0]
    assert "skipped" in warnings[0]
    assert [s.name for s in list_snapshots(hostile_snapshots)] == ["20261101T100000Z"]


def test_snapshots_command_warns_and_lists_the_rest(
    hostile_snapshots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snapshots", str(hostile_snapshots)]) == 0
    out, err = capsys.readouterr()
    assert "20261101T100000Z" in out
    assert "deep" not in out
    assert "skipped" in err
    assert "Traceback" not in err


def test_diff_latest_passes_over_the_hostile_snapshot(hostile_snapshots: Path) -> None:
    assert resolve("latest", hostile_snapshots).name == "20261101T100000Z.toml"


def test_diff_latest_warns_about_the_hostile_snapshot(
    hostile_snapshots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "latest", str(hostile_snapshots)]) == 0
    err = capsys.readouterr().err
    assert "skipped snapshot" in err
    assert "20261102T100000Z-deep.toml" in err
    assert "Traceback" not in err


def test_an_unreadable_snapshot_is_skipped_with_a_warning(
    hostile_snapshots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = hostile_snapshots.parent / "snapshots"
    (folder / "20261103T100000Z.toml").write_bytes(b"\xff\xfe not text\n")
    found, warnings = scan_snapshots(hostile_snapshots)
    assert [s.name for s in found] == ["20261101T100000Z"]
    assert any("20261103T100000Z.toml" in w and "cannot be read" in w for w in warnings)
    assert main(["diff", "latest", str(hostile_snapshots)]) == 0
    assert "20261103T100000Z.toml" in capsys.readouterr().err
