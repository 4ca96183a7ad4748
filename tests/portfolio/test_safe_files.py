"""Only regular files of a bounded size are portfolios, and a read-only one is never replaced.

Before: a FIFO as the portfolio hung every command (and, swapped in under a
writer, held the lock against every other writer), `/dev/zero` was read until
memory ran out, and `set` silently replaced a 0444 file. The FIFO cases run
in a child process with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from factories import EXAMPLE, ROOT

from core.edits.changes import SetField
from portfolio import LoadError, Pending, SaveError, commit, load, read_version
from portfolio.reading import MAX_BYTES
from tui.cli import main
from tui.clock import utc_now


def _child(code: str, timeout: float = 20.0) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter; a hang is a failure, not a stuck suite."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


def _load_error(path: Path) -> str:
    with pytest.raises(LoadError) as caught:
        load(path)
    (line,) = caught.value.errors
    return line


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "portfolio.toml"
    os.mkfifo(fifo)
    result = _child(
        f"from tui.cli import main; raise SystemExit(main(['validate', {str(fifo)!r}]))"
    )
    assert result.returncode == 1
    assert result.stderr == "" or "Traceback" not in result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert lines == [f"{fifo}:1:1: cannot read: not a regular file (a FIFO)"]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert _load_error(tmp_path) == f"{tmp_path}:1:1: cannot read: not a regular file (a folder)"


def test_a_device_is_refused_without_reading_it() -> None:
    line = _load_error(Path("/dev/zero"))
    assert line == "/dev/zero:1:1: cannot read: not a regular file (a device)"


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: no disk used, and no byte of it is read
    line = _load_error(big)
    assert line == f"{big}:1:1: cannot read: the file is over the 16 MiB a portfolio may have"


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    text = EXAMPLE.read_bytes()
    path = tmp_path / "p.toml"
    path.write_bytes(text + b"#" * (MAX_BYTES - len(text) - 1) + b"\n")
    assert load(path).projects


def test_a_fifo_swapped_in_under_a_writer_does_not_hang_it(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    code = f"""
import os
from pathlib import Path
from core.edits.changes import SetField
from portfolio import Pending, SaveError, commit, read_version
from tui.clock import utc_now
path = Path({str(path)!r})
base = read_version(path)
path.unlink()
os.mkfifo(path)
edit = Pending(SetField("fitness-pose", "owner", "zoe"), utc_now(), "ann")
try:
    commit(path, [edit], base=base, lock_timeout=2)
except SaveError as error:
    print(error)
"""
    result = _child(code)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip() == f"cannot save {path}: cannot read it: not a regular file (a FIFO)"
    )


def test_a_read_only_portfolio_is_not_replaced_by_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    path.chmod(0o444)
    before = path.read_bytes()
    assert main(["set", str(path), "fitness-pose", "owner", "zoe"]) == 1
    err = capsys.readouterr().err.strip()
    reason = "the file is read-only; save it under another name or make it writable"
    assert err == f"mlfolio set: cannot save {path}: {reason}"
    assert path.read_bytes() == before
    assert (path.stat().st_mode & 0o777) == 0o444


def test_a_read_only_portfolio_is_not_replaced_by_a_commit(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    base = read_version(path)
    path.chmod(0o400)
    before = path.read_bytes()
    edit = Pending(SetField("fitness-pose", "owner", "zoe"), utc_now(), "ann")
    with pytest.raises(SaveError, match="the file is read-only"):
        commit(path, [edit], base=base)
    assert path.read_bytes() == before
