"""End to end over SSH: OpenSSH's `ssh` in tmux, two people on one `mlfolio serve`."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest
from factories import EXAMPLE

from core.models import Stage
from portfolio import load

pytestmark = pytest.mark.e2e

TMUX = ("tmux", "-L", f"mlfolio-tests-{os.getpid()}")
"""tmux on a socket of its own, so the tests never touch the user's tmux sessions."""

MLFOLIO = Path(sys.executable).with_name("mlfolio")
NAME = "Northwind ML portfolio"
WAIT_S = 60.0
"""A failure guard, never a timing assertion: the machine may be busy."""

DOWN = "Down"


class Terminal:
    """One tmux session running a command; keys in, screen text out."""

    def __init__(self, command: str, *, width: int = 120, height: int = 30) -> None:
        self.name = f"mlfolio-ssh-{uuid.uuid4().hex[:8]}"
        env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        env["TERM"] = "xterm-256color"
        subprocess.run(
            [*TMUX, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
             command],
            check=True,
            env=env,
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        """Type tmux key names, one after another."""
        subprocess.run([*TMUX, "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        """The visible screen as text."""
        result = subprocess.run(
            [*TMUX, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def wait_for(self, pattern: str) -> str:
        """Wait until the screen matches the regex `pattern`; else fail, showing the screen."""
        found = re.compile(pattern)
        deadline = time.monotonic() + WAIT_S
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if found.search(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never appeared; the screen was:\n{screen}")

    def close(self) -> None:
        """End the session if it is still there."""
        subprocess.run([*TMUX, "kill-session", "-t", self.name], capture_output=True, check=False)


def _dashboards_of(parent: int) -> list[int]:
    """Processes of `parent` that run the dashboard (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"tui.cli" in cmdline:
            found.append(int(entry.name))
    return found


class Team:
    """A running `mlfolio serve` on loopback, and a private key for each of alice and bob."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "portfolio.toml"
        shutil.copyfile(EXAMPLE, self.path)
        authorized = b""
        for user in ("alice", "bob"):
            key = asyncssh.generate_private_key("ssh-ed25519", comment=user)
            key.write_private_key(folder / user)
            os.chmod(folder / user, 0o600)  # ssh refuses a private key others can read
            authorized += key.export_public_key()
        (folder / "authorized_keys").write_bytes(authorized)
        env = {**os.environ, "XDG_STATE_HOME": str(folder / "state")}
        self.server = subprocess.Popen(
            [str(MLFOLIO), "serve", str(self.path), "--port", "0",
             "--authorized-keys", str(folder / "authorized_keys")],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )  # fmt: skip
        assert self.server.stdout is not None
        line = self.server.stdout.readline()
        found = re.search(r" on 127\.0\.0\.1:(\d+) ", line)
        if found is None:  # never leave the server running behind a failed start
            self.server.kill()
            self.server.wait(timeout=10)
        assert found, f"no start line from mlfolio serve: {line!r}"
        self.port = int(found.group(1))
        self.stopped: tuple[int, str] | None = None

    def ssh(self, user: str) -> str:
        """The OpenSSH command that opens `user`'s dashboard."""
        options = (
            "-F /dev/null -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR"
            " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
        )
        key = self.folder / user
        return f"ssh -t {options} -p {self.port} -i {key} {user}@127.0.0.1"

    def stop(self) -> tuple[int, str]:
        """Ctrl-C the server; its exit status and everything it printed (idempotent)."""
        if self.stopped is not None:
            return self.stopped
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGINT)
        try:
            status = self.server.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            self.server.kill()
            status = self.server.wait()
        assert self.server.stdout is not None
        log = self.server.stdout.read()
        self.server.stdout.close()
        self.stopped = status, log
        return self.stopped


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    assert shutil.which("tmux"), "tmux is needed for this test (.ci/run installs it)"
    assert shutil.which("ssh"), "OpenSSH's ssh is needed for this test (.ci/run installs it)"
    running = Team(tmp_path)
    try:
        yield running
    finally:
        running.stop()


def test_an_edit_over_ssh_shows_in_the_other_session_and_is_attributed(team: Team) -> None:
    alice, bob = Terminal(team.ssh("alice")), Terminal(team.ssh("bob"))
    try:
        alice.wait_for(NAME)
        bob.wait_for(NAME)
        dashboards = _dashboards_of(team.server.pid)
        assert len(dashboards) == 2
        for terminal in (alice, bob):
            terminal.keys("4")
            terminal.wait_for("9 of 9 projects")
        bob.wait_for(r"Weekly demand forec[^\n]*\bdata\b")
        # Alice selects the fifth-ranked open project (in data) and moves it forward.
        alice.keys(*[DOWN] * 4)
        alice.wait_for("▸ Weekly")
        alice.keys("f")
        started = time.monotonic()
        bob.wait_for(r"Weekly demand forec[^\n]*\btraining\b")
        print(f"bob saw alice's edit {time.monotonic() - started:.2f} s after the key")
        bob.wait_for(r"\balice\b")  # and bob is told who changed it
    finally:
        alice.close()
        bob.close()
        status, log = team.stop()
    project = load(team.path).project("demand-forecasting")
    assert project is not None
    assert project.stage is Stage.TRAINING
    assert project.history[-1].by == "alice"
    assert project.updated_by == "alice"
    assert status == 0, log
    assert "alice connected (editing" in log
    assert "bob connected (editing" in log
    assert all(not Path(f"/proc/{pid}").exists() for pid in dashboards), log
