"""In a real terminal at 80x24 (tmux on a private socket): help reads whole, triage by letters."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from factories import EXAMPLE
from test_e2e_tmux import MLFOLIO, Terminal

from portfolio import load
from tui.keymap import ACTIONS


def _words(screen: str) -> str:
    """The screen's words, frames and white space runs made one space (wrapped text reads whole)."""
    return " ".join("".join(" " if "\u2500" <= c <= "\u259f" else c for c in screen).split())


def _quit(terminal: Terminal) -> None:
    terminal.keys("q")
    deadline = time.monotonic() + 15
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive(), terminal.screen()


def test_help_reads_a_whole_action_description_at_80x24(tmp_path: Path) -> None:
    assert shutil.which("tmux"), "tmux is needed for this test (.ci/run installs it)"
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    terminal = Terminal(f"cd {tmp_path} && {MLFOLIO} portfolio.toml")
    try:
        terminal.wait_for("Northwind ML portfolio")
        terminal.keys("?")
        screen = terminal.wait_for("What it does")
        back = next(spec for spec in ACTIONS if spec.id == "move.back")
        assert len(back.help) > 60  # longer than the column: it wraps, and still reads whole
        assert f"Lifecycle b {back.help}" in _words(screen), screen
        terminal.keys("q")  # closes the help
        terminal.wait_for("Forward")
        _quit(terminal)
    finally:
        terminal.close()


def test_a_triage_decision_by_its_letter_at_80x24(tmp_path: Path) -> None:
    assert shutil.which("tmux"), "tmux is needed for this test (.ci/run installs it)"
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    before = load(path)
    terminal = Terminal(f"cd {tmp_path} && USER=e2e-lead {MLFOLIO} portfolio.toml")
    try:
        terminal.wait_for("Northwind ML portfolio")
        terminal.keys("t")
        terminal.wait_for("Attendees")
        terminal.keys("Enter")
        terminal.wait_for("on the agenda")
        terminal.keys("Enter")  # the decision menu
        terminal.wait_for("Press a decision's letter")
        terminal.keys("Enter")  # nothing chosen: nothing happens
        terminal.keys("space")  # keep, by its letter
        terminal.wait_for("A short note for the minutes")
        terminal.keys("literal:on track")
        terminal.wait_for("on track")  # the note is in its field before it is sent
        terminal.keys("Enter")
        terminal.wait_for("1 decided")
        terminal.keys("C-g")  # leave the session; it may ask first (decisions stay either way)
        deadline = time.monotonic() + 30
        while "Leave the triage" not in (screen := terminal.screen()) and "saved ·" not in screen:
            assert time.monotonic() < deadline, screen
            time.sleep(0.1)
        if "Leave the triage" in screen:
            terminal.keys("y")
        terminal.wait_for("saved")
        _quit(terminal)
    finally:
        terminal.close()
    after = load(path)
    stages = {p.id: p.stage for p in before.projects}
    assert {p.id: p.stage for p in after.projects} == stages  # keep moves nothing
    triaged = [p for p in after.projects if p.triaged_at is not None]
    assert triaged, "the kept project is marked triaged"
