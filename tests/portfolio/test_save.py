"""Saving is atomic: the old file or the new one, never half of either, and no litter."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import pytest

from core.models import Portfolio, Project
from portfolio import SaveError, dumps, load, save

BEFORE = Portfolio()
AFTER = Portfolio(projects=(Project(id="churn", title="Predict churn"),))


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A folder holding one saved portfolio file."""
    path = tmp_path / "portfolio.toml"
    save(BEFORE, path)
    return path


def _fail(code: int) -> Callable[..., NoReturn]:
    """A stand-in for an os function that fails with `code`."""

    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("function", ["replace", "fsync", "chmod"])
def test_a_failed_save_keeps_the_old_file_and_leaves_no_temporary(
    saved: Path, monkeypatch: pytest.MonkeyPatch, function: str
) -> None:
    original = saved.read_bytes()
    monkeypatch.setattr(os, function, _fail(errno.ENOSPC))
    with pytest.raises(SaveError) as caught:
        save(AFTER, saved)
    monkeypatch.undo()
    assert str(caught.value) == f"cannot save {saved}: No space left on device"
    assert saved.read_bytes() == original
    assert [p.name for p in saved.parent.iterdir()] == ["portfolio.toml"]


def test_an_unwritable_folder_is_a_save_error(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.mkstemp", _fail(errno.EACCES))
    with pytest.raises(SaveError) as caught:
        save(AFTER, saved)
    assert str(caught.value) == f"cannot save {saved}: Permission denied"
    assert load(saved) == BEFORE


def test_a_missing_folder_is_a_save_error(tmp_path: Path) -> None:
    path = tmp_path / "gone" / "portfolio.toml"
    with pytest.raises(SaveError, match=r"^cannot save .*portfolio\.toml: No such file"):
        save(AFTER, path)


def test_save_replaces_the_content(saved: Path) -> None:
    save(AFTER, saved)
    assert saved.read_text(encoding="utf-8") == dumps(AFTER)
    assert load(saved) == AFTER


def test_permission_bits_are_kept(saved: Path) -> None:
    saved.chmod(0o640)
    save(AFTER, saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o640


def test_a_new_file_gets_the_umask_default(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    old = os.umask(0o027)
    try:
        save(AFTER, path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_symlinked_file_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    save(BEFORE, real)
    link = tmp_path / "portfolio.toml"
    link.symlink_to(real)
    save(AFTER, link)
    assert link.is_symlink()
    assert load(real) == AFTER
