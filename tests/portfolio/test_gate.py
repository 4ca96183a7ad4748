"""`portfolio.gate`: every file written besides the portfolio's save stays inside its folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from factories import EXAMPLE, NOW

from portfolio import gate, load
from portfolio.output import ExportRequest, OutputError, write_export, write_output
from portfolio.snapshots import SnapshotError, write_snapshot
from portfolio.sync import save_as


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The portfolio's folder, with a copy of the example in it; `tmp_path` is outside."""
    inside = tmp_path / "served"
    inside.mkdir()
    shutil.copyfile(EXAMPLE, inside / "portfolio.toml")
    return inside


def everything(top: Path) -> dict[str, bytes]:
    """Every file under `top` (links as their target text), to see what changed."""
    found: dict[str, bytes] = {}
    for path in sorted(top.rglob("*")):
        if path.is_symlink():
            found[str(path)] = os.readlink(path).encode()
        elif path.is_file():
            found[str(path)] = path.read_bytes()
    return found


@pytest.mark.parametrize("name", ["../outside.toml", "a/../../outside.toml", "/tmp/../etc/x"])
def test_names_leading_outside_the_folder_are_refused(folder: Path, name: str) -> None:
    with pytest.raises(gate.GateError, match="outside"):
        gate.locate(folder, name)


def test_an_absolute_name_inside_the_folder_is_accepted(folder: Path) -> None:
    target = gate.locate(folder, str(folder / "sub" / ".." / "copy.toml"))
    assert target.path == folder / "copy.toml"


def test_a_relative_name_starts_at_the_folder_not_the_working_folder(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    written = gate.write(gate.locate(folder, "copy.toml"), b"x")
    assert written == folder / "copy.toml"
    assert list(elsewhere.iterdir()) == []


def test_a_link_as_the_file_is_never_written_through(folder: Path, tmp_path: Path) -> None:
    victim = tmp_path / "authorized_keys"
    victim.write_text("keep\n")
    (folder / "copy.toml").symlink_to(victim)
    target = gate.locate(folder, "copy.toml")
    for overwrite in (False, True):
        with pytest.raises(gate.GateError, match="symbolic link"):
            gate.write(target, b"planted", overwrite=overwrite)
    assert victim.read_text() == "keep\n"


def test_a_linked_folder_on_the_way_is_refused(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "exports").symlink_to(outside)
    with pytest.raises(gate.GateError, match="symbolic link"):
        gate.write(gate.locate(folder, "exports/report.md"), b"x", create_folders=True)
    assert list(outside.iterdir()) == []


def test_an_existing_file_is_replaced_only_when_asked_and_of_the_right_kind(folder: Path) -> None:
    keys = folder / "authorized_keys"
    keys.write_text("ssh-ed25519 AAAA keep\n")
    target = gate.locate(folder, "authorized_keys")
    with pytest.raises(gate.TargetExistsError):
        gate.write(target, b"planted")
    with pytest.raises(gate.GateError, match="not a portfolio"):
        gate.write(target, b"planted", overwrite=True, kind="portfolio")
    with pytest.raises(gate.GateError, match="not an export"):
        gate.write(target, b"planted", overwrite=True, kind="export")
    assert keys.read_text() == "ssh-ed25519 AAAA keep\n"
    copy = folder / "copy.toml"
    shutil.copyfile(EXAMPLE, copy)
    gate.write(gate.locate(folder, "copy.toml"), b"new", overwrite=True, kind="portfolio")
    assert copy.read_bytes() == b"new"


def test_writes_leave_no_temporary_file(folder: Path) -> None:
    gate.write(gate.locate(folder, "a/b/c.md"), b"x", create_folders=True)
    gate.write(gate.locate(folder, "a/b/c.md"), b"y", overwrite=True, kind="export")
    assert sorted(p.name for p in (folder / "a" / "b").iterdir()) == ["c.md"]


def test_save_as_through_the_gate_writes_a_loadable_portfolio(folder: Path) -> None:
    portfolio = load(folder / "portfolio.toml")
    save_as(gate.locate(folder, "copy.toml"), portfolio)
    assert load(folder / "copy.toml") == portfolio
    with pytest.raises(gate.TargetExistsError):
        save_as(gate.locate(folder, "copy.toml"), portfolio)


def test_a_linked_snapshots_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "snapshots").symlink_to(outside)
    with pytest.raises(SnapshotError, match="symbolic link"):
        write_snapshot(folder / "portfolio.toml", load(folder / "portfolio.toml"), now=NOW)
    assert list(outside.iterdir()) == []


def test_a_linked_exports_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "exports").symlink_to(outside)
    portfolio = load(folder / "portfolio.toml")
    with pytest.raises(OutputError, match="symbolic link"):
        write_export(
            folder / "exports", ExportRequest("md", "r.md"), portfolio, NOW, svg=None, force=True
        )
    assert list(outside.iterdir()) == []


def test_write_output_refuses_a_link_even_with_force(folder: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    (folder / "out.md").symlink_to(victim)
    with pytest.raises(OutputError, match="symbolic link"):
        write_output(folder / "out.md", "x", force=True)
    assert victim.read_text() == "keep"
    assert everything(folder)[str(folder / "out.md")] == str(victim).encode()
