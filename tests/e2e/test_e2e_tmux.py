"""End to end in a real terminal: tmux runs `mlfolio` at 80x24 and a person's keys drive it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from factories import EXAMPLE

from core.models import Stage, TransitionKind
from portfolio import load

pytestmark = pytest.mark.e2e

TMUX = ("tmux", "-L", f"mlfolio-tests-{os.getpid()}")
"""tmux on a socket of its own, so the tests never touch the user's tmux sessions."""

MLFOLIO = Path(sys.executable).with_name("mlfolio")


class Terminal:
    """One tmux session running a command; keys in, screen text out."""

    def __init__(self, command: str, *, width: int = 80, height: int = 24) -> None:
        self.name = f"mlfolio-e2e-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "TERM": "xterm-256color"}
        env.pop("COLUMNS", None)
        env.pop("LINES", None)
        subprocess.run(
            [*TMUX, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
             command],
            check=True,
            env=env,
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        """Type keys (tmux key names, or literal text with `literal:`)."""
        for key in keys:
            if key.startswith("literal:"):
                subprocess.run([*TMUX, "send-keys", "-t", self.name, "-l", key[8:]], check=True)
            else:
                subprocess.run([*TMUX, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def screen(self) -> str:
        """The visible screen as text."""
        result = subprocess.run(
            [*TMUX, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """Wait until `text` is on screen; fail with the screen when it never shows."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def alive(self) -> bool:
        """Whether the session (and so the program) is still running."""
        result = subprocess.run(
            [*TMUX, "has-session", "-t", self.name], capture_output=True, check=False
        )
        return result.returncode == 0

    def close(self) -> None:
        """End the session if it is still there."""
        subprocess.run([*TMUX, "kill-session", "-t", self.name], capture_output=True, check=False)


def test_move_back_with_a_reason_in_a_real_terminal(tmp_path: Path) -> None:
    assert shutil.which("tmux"), "tmux is needed for this test (.ci/run installs it)"
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    terminal = Terminal(f"cd {tmp_path} && USER=e2e-lead {MLFOLIO} portfolio.toml")
    try:
        terminal.wait_for("Northwind ML portfolio")
        # Find the invoice project in the ranking and send it back from training.
        terminal.keys("4")
        terminal.wait_for("9 of 9 projects")
        terminal.keys("/")
        terminal.wait_for("search titles and ids")
        terminal.keys("literal:invoice", "Enter")
        terminal.wait_for("1 of 9 projects")
        # A key sent while the search bar is closing can land before the ranking has the
        # focus back; press `b` again only while no dialog is on screen.
        for attempt in range(3):
            terminal.keys("b")
            try:
                terminal.wait_for("Reason (required)", timeout=8.0)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        terminal.keys("Enter")  # the nearest earlier stage: data
        terminal.keys("Enter")  # the lecture's first reason for training -> data
        terminal.keys("Enter")  # submit
        terminal.wait_for("saved")
        terminal.keys("q")
        deadline = time.monotonic() + 15
        while terminal.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not terminal.alive(), terminal.screen()
    finally:
        terminal.close()
    project = load(path).project("invoice-extraction")
    assert project is not None
    assert project.stage is Stage.DATA
    last = project.history[-1]
    assert last.kind is TransitionKind.BACK
    assert last.reason == "more data needed"
    assert last.by == "e2e-lead"


HOSTILE = (
    "[@click=app.quit]x[/]",
    "A/B test [/]",
    "[WIP] fraud rules",
    "[bold red]loud[/]",
)


def _hostile_portfolio(path: Path) -> None:
    lines = ["schema = 1", "", "[settings]", 'name = "Hostile portfolio"', ""]
    for number, title in enumerate(HOSTILE):
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        lines += [
            "[[projects]]",
            f'id = "hostile-{number}"',
            f'title = "{quoted}"',
            f'owner = "[i]{number}[/i]"',
            "",
        ]
    path.write_text("\n".join(lines))


def test_hostile_titles_are_shown_literally_and_do_nothing(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    _hostile_portfolio(path)
    terminal = Terminal(f"cd {tmp_path} && {MLFOLIO} portfolio.toml", width=120, height=30)
    try:
        terminal.wait_for("Hostile portfolio")
        terminal.keys("4")  # unscored projects are off the grid; the ranking lists them all
        # "unscored" alone is on the grid's legend too ("5 unscored, not placed"): wait for
        # the ranking's own status line before reading its rows.
        screen = terminal.wait_for("sorted by rank")
        for title in HOSTILE:
            assert title in screen, title
        for key in ("2", "4", "j", "k", "3", "1", "enter", "4"):
            terminal.keys(key)
        screen = terminal.wait_for("[bold red]loud[/]")
        assert terminal.alive()
        terminal.keys("q")
    finally:
        terminal.close()


def test_escape_sequences_in_the_file_are_refused_on_a_readable_error_screen(
    tmp_path: Path,
) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_text('schema = 1\n\n[[projects]]\nid = "esc"\ntitle = "clear \\u001b[2J screen"\n')
    before = path.read_bytes()
    terminal = Terminal(f"cd {tmp_path} && {MLFOLIO} portfolio.toml", width=120, height=24)
    try:
        screen = terminal.wait_for("could not load")
        assert "portfolio.toml:5:" in screen
        assert "U+001B" in screen
        assert terminal.alive()
        terminal.keys("q")
    finally:
        terminal.close()
    assert path.read_bytes() == before
