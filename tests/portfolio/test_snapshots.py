"""Snapshots on disk, and the safe output every export goes through."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from factories import EXAMPLE, NOW

from core.models import Portfolio
from portfolio import load
from portfolio.output import OutputError, confined, write_output
from portfolio.snapshots import (
    SnapshotError,
    list_snapshots,
    resolve,
    snapshot_folder,
    write_snapshot,
)


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return load(EXAMPLE)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "portfolio.toml"
    target.write_bytes(EXAMPLE.read_bytes())
    return target


# -- writing ---------------------------------------------------------------------------------


def test_a_snapshot_is_a_loadable_copy_and_its_report(path: Path, example: Portfolio) -> None:
    info = write_snapshot(path, example, now=NOW, label="Before triage")
    assert info.name == "20261121T120000Z-before-triage"
    assert info.toml_path == path.parent / "snapshots" / f"{info.name}.toml"
    assert info.markdown_path == info.toml_path.with_suffix(".md")
    assert (info.taken_at, info.label) == (NOW, "Before triage")
    assert load(info.toml_path) == example
    report = info.markdown_path.read_text(encoding="utf-8")
    assert report.startswith(
        "# Northwind ML portfolio\n\nSnapshot “Before triage” taken 2026-11-21"
    )
    assert "## Ranking" in report
    assert not [p for p in info.toml_path.parent.iterdir() if p.name.startswith(".")]


def test_extra_markdown_comes_before_the_report(path: Path, example: Portfolio) -> None:
    info = write_snapshot(path, example, now=NOW, extra_markdown="## Triage minutes\n\n- done\n")
    assert info.name == "20261121T120000Z"
    assert info.markdown_path is not None
    text = info.markdown_path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Northwind ML portfolio\n\nSnapshot taken 2026-11-21 12:00 UTC.\n\n"
        "## Triage minutes\n\n- done\n\nPortfolio report of"
    )
    assert text.index("## Triage minutes") < text.index("## Ranking")


def test_a_taken_name_gets_a_number_and_nothing_is_overwritten(
    path: Path, example: Portfolio
) -> None:
    first = write_snapshot(path, example, now=NOW, label="weekly")
    before = first.toml_path.read_bytes()
    second = write_snapshot(path, example, now=NOW, label="weekly")
    assert second.name == f"{first.name}-2"
    assert first.toml_path.read_bytes() == before


def test_a_label_cannot_lead_outside_the_folder(path: Path, example: Portfolio) -> None:
    info = write_snapshot(path, example, now=NOW, label="../../../etc/passwd\x1b[2J")
    assert info.toml_path.parent == snapshot_folder(path, None)
    assert info.name == "20261121T120000Z-etc-passwd-2j"
    assert info.label == "../../../etc/passwd[2J"
    assert not (path.parent.parent / "etc").exists()


def test_a_symlink_in_the_way_is_refused(path: Path, example: Portfolio, tmp_path: Path) -> None:
    folder = tmp_path / "snaps"
    folder.mkdir()
    outside = tmp_path / "outside.md"
    (folder / "20261121T120000Z.md").symlink_to(outside)
    with pytest.raises(SnapshotError, match="symbolic link"):
        write_snapshot(path, example, now=NOW, dir=folder)
    assert not outside.exists()


def test_an_unwritable_folder_is_one_line(path: Path, example: Portfolio, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SnapshotError, match=r"^cannot create .*file/snaps") as caught:
        write_snapshot(path, example, now=NOW, dir=blocker / "snaps")
    assert "\n" not in str(caught.value)


# -- listing and finding ---------------------------------------------------------------------


def test_listing_is_oldest_first_with_labels(path: Path, example: Portfolio) -> None:
    assert list_snapshots(path) == []
    later = write_snapshot(path, example, now=NOW + timedelta(days=7), label="Week 48")
    earlier = write_snapshot(path, example, now=NOW, label="Week 47: ‹review›")
    (path.parent / "snapshots" / "notes.toml").write_text("not a snapshot")
    found = list_snapshots(path)
    assert [s.name for s in found] == [earlier.name, later.name]
    assert [s.label for s in found] == ["Week 47: ‹review›", "Week 48"]
    assert found[0].taken_at == NOW


def test_a_snapshot_without_its_header_is_dated_by_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "20260102T030405Z-old.toml").write_bytes(EXAMPLE.read_bytes())
    (found,) = list_snapshots(tmp_path / "p.toml")
    assert found.taken_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert (found.label, found.markdown_path) == ("", None)


def test_resolve_by_file_name_label_slug_prefix_and_latest(path: Path, example: Portfolio) -> None:
    a = write_snapshot(path, example, now=NOW, label="Before triage")
    b = write_snapshot(path, example, now=NOW + timedelta(hours=1), label="after")
    c = write_snapshot(path, example, now=NOW + timedelta(days=1), label="before triage")
    assert resolve(str(path), path) == path
    assert resolve(a.name, path) == a.toml_path
    assert resolve(a.name + ".toml", path) == a.toml_path
    assert resolve("Before triage", path) == a.toml_path
    assert resolve("BEFORE TRIAGE", path) == c.toml_path
    assert resolve("before-triage", path) == c.toml_path
    assert resolve("after", path) == b.toml_path
    assert resolve("20261121", path) == b.toml_path
    assert resolve("latest", path) == c.toml_path
    with pytest.raises(SnapshotError, match=r"^nothing: no such file, and no snapshot in "):
        resolve("nothing", path)


def test_snapshots_in_another_folder(path: Path, example: Portfolio, tmp_path: Path) -> None:
    elsewhere = tmp_path / "archive"
    info = write_snapshot(path, example, now=NOW, label="x", dir=elsewhere)
    assert info.toml_path.parent == elsewhere
    assert list_snapshots(path) == []
    assert [s.name for s in list_snapshots(path, elsewhere)] == [info.name]
    assert resolve("x", path, elsewhere) == info.toml_path


# -- safe output -----------------------------------------------------------------------------


def test_output_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    assert write_output(target, "one") == target
    with pytest.raises(OutputError, match="already exists; not overwriting it"):
        write_output(target, "two")
    assert target.read_text() == "one"
    write_output(target, b"two", force=True)
    assert target.read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_output_never_writes_through_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    link = tmp_path / "link.md"
    link.symlink_to(outside)
    for force in (False, True):
        with pytest.raises(OutputError, match="symbolic link"):
            write_output(link, "x", force=force)
    assert outside.read_text() == "keep"
    with pytest.raises(OutputError, match="is a folder"):
        write_output(tmp_path, "x", force=True)
    with pytest.raises(OutputError, match=r"^cannot write"):
        write_output(tmp_path / "missing" / "x.md", "x")


def test_output_files_take_the_umask_mode(tmp_path: Path) -> None:
    target = write_output(tmp_path / "a.csv", "x")
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize(
    "name", ["", ".", "..", "../x.md", "a/b.md", "/etc/passwd", "a\\b", "x\x00y", "..\\x"]
)
def test_confined_refuses_names_that_are_not_plain(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError, match="not a plain file name"):
        confined(tmp_path, name)


def test_confined_accepts_plain_names_and_refuses_links(tmp_path: Path) -> None:
    assert confined(tmp_path, "report.md") == tmp_path / "report.md"
    assert confined(tmp_path, "..report.md") == tmp_path / "..report.md"
    (tmp_path / "out.md").symlink_to(tmp_path.parent / "elsewhere.md")
    with pytest.raises(OutputError, match="symbolic link"):
        confined(tmp_path, "out.md")
