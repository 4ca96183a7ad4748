"""Unexpected errors: a non-zero exit, one line on the terminal, the full report in a file."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import portfolio
from tui.cli import main

SECRET = "hunter2-in-a-local-variable"
WAIT_S = 60.0
"""A failure guard for the dashboard in a terminal; never a timing assertion."""


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder / "mlfolio" / "crashes"


def test_a_command_that_fails_unexpectedly_exits_non_zero_with_one_line_and_a_report(
    state: Path, example: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(data: object, source: object = None) -> object:
        secret = SECRET  # a local variable that must reach neither the terminal nor the report
        raise OverflowError(f"date value out of range ({len(secret)})")

    monkeypatch.setattr(portfolio, "loads", broken)
    status = main(["rank", str(example)])
    captured = capsys.readouterr()
    assert status == 70
    (report,) = state.iterdir()
    assert captured.err == (
        "mlfolio: unexpected error (OverflowError: date value out of range (27));"
        f" the full report is in {report}\n"
    )
    text = report.read_text()
    assert "Traceback (most recent call last)" in text
    assert "OverflowError: date value out of range" in text
    assert SECRET not in text.replace("secret = SECRET", "")  # the source line, not the value
    assert "hunter2" not in text
    assert oct(report.stat().st_mode & 0o777) == "0o600"


def _read_pty(fd: int, until: float) -> bytes:
    ready, _, _ = select.select([fd], [], [], max(0.0, until - time.monotonic()))
    if not ready:
        return b""
    try:
        return os.read(fd, 65_536)
    except OSError:  # EIO: the other end is gone
        return b""


def test_the_dashboard_crashing_shows_one_line_not_a_traceback_with_locals(
    state: Path, example: Path
) -> None:
    script = (
        "import sys\n"
        "from tui.dashboard import app\n"
        "def broken(self):\n"
        f"    secret = {SECRET!r}\n"
        "    raise RuntimeError('the help screen broke')\n"
        "app.MlfolioApp.action_help = broken\n"
        "from tui.dashboard.launch import open_dashboard\n"
        "from pathlib import Path\n"
        "sys.exit(open_dashboard(Path(sys.argv[1]), user='ann'))\n"
    )
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(example)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + WAIT_S
        while b"Northwind" not in output and time.monotonic() < deadline:
            output += _read_pty(master, deadline)
        os.write(master, b"?")
        while child.poll() is None and time.monotonic() < deadline:
            output += _read_pty(master, min(deadline, time.monotonic() + 0.5))
        output += _read_pty(master, time.monotonic() + 0.5)
        status = child.wait(timeout=WAIT_S)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        os.close(master)
    text = output.decode("utf-8", "replace")
    assert status == 70, text[-3000:]
    (report,) = state.iterdir()
    assert "mlfolio: unexpected error (RuntimeError: the help screen broke)" in text
    assert "Traceback" not in text
    assert SECRET not in text
    assert "secret" not in text.lower()
    assert "RuntimeError: the help screen broke" in report.read_text()
    assert "hunter2" not in report.read_text().replace(repr(SECRET), "")
