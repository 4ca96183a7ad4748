"""Adversarial sessions: every key, dialog and palette entry, with hostile file names.

A served session runs `mlfolio open FILE --user NAME [--read-only]`; here the
same app is driven through Pilot (every key binding, every command-palette
entry), and once through a real `mlfolio serve` and an SSH client. HOME, the
XDG folders and the working folder point into a scratch tree; afterwards
nothing may have changed anywhere in it outside the portfolio's folder, and a
read-only session may have changed nothing at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from factories import EXAMPLE
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Input

from tui import keymap
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.serve.keys import KeyRing, host_key
from tui.serve.server import Endpoint, ServeConfig
from tui.widgets.board import KanbanBoard
from tui.widgets.grid import ImpactGrid
from tui.widgets.legend import GridLegend
from tui.widgets.panel import MetricPanel
from tui.widgets.ranking import RankingTable

QUIT_KEYS = {"q", "ctrl+q", "ctrl+c"}
WAIT_S = 60.0
"""A failure guard for waits on a served dashboard; never a timing assertion."""


@dataclass
class World:
    """A scratch machine: HOME, XDG folders, a working folder, the served folder, and outside."""

    top: Path
    served: Path
    portfolio: Path
    outside: Path

    def files(self) -> dict[str, bytes]:
        """Every file and link under the scratch tree, to see what changed."""
        found: dict[str, bytes] = {}
        for path in sorted(self.top.rglob("*")):
            if path.is_symlink():
                found[str(path)] = b"-> " + os.readlink(path).encode()
            elif path.is_file():
                found[str(path)] = path.read_bytes()
            elif path.is_dir():
                found[str(path)] = b"<dir>"
        return found

    def changed(self, before: dict[str, bytes]) -> list[str]:
        """What changed, appeared or went away anywhere in the scratch tree."""
        after = self.files()
        names = set(before) | set(after)
        return sorted(name for name in names if before.get(name) != after.get(name))

    def changed_outside(self, before: dict[str, bytes]) -> list[str]:
        """What changed, appeared or went away outside the served folder."""
        after = self.files()
        inside = str(self.served) + os.sep
        return sorted(
            name
            for name in set(before) | set(after)
            if before.get(name) != after.get(name) and not name.startswith(inside)
        )


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    home = tmp_path / "home"
    for sub in (".ssh", ".config", ".cache", ".local/share", ".local/state", "Downloads"):
        (home / sub).mkdir(parents=True)
    (home / ".ssh" / "authorized_keys").write_text("ssh-ed25519 AAAA original\n")
    monkeypatch.setenv("HOME", str(home))
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_DOWNLOAD_DIR", "Downloads"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.toml").write_text("not yours\n")
    served = tmp_path / "served"
    served.mkdir()
    portfolio = served / "portfolio.toml"
    shutil.copyfile(EXAMPLE, portfolio)
    (served / "notes.txt").write_text("ssh-ed25519 AAAA keep\n")
    (served / "link.toml").symlink_to(outside / "victim.toml")
    return World(tmp_path, served, portfolio, outside)


def every_key() -> list[str]:
    """Every key bound by the app and its views (the first key of each binding), bar quitting."""
    keys: list[str] = []
    classes: list[Any] = [ImpactGrid, GridLegend, KanbanBoard, MetricPanel, RankingTable]
    bindings = [*keymap.bindings(), *MlfolioApp.BINDINGS]
    for cls in classes:
        bindings += cls.BINDINGS
    for binding in bindings:
        if isinstance(binding, Binding):
            key = binding.key.split(",")[0].strip()
            if key not in QUIT_KEYS and key not in keys:
                keys.append(key)
    return keys


async def back_to_dashboard(pilot: Pilot[None]) -> None:
    """Close whatever dialog or screen a key opened (Escape, else pop it)."""
    app = pilot.app
    for _ in range(4):
        if len(app.screen_stack) == 1:
            break
        await pilot.press("escape")
        await pilot.pause()
    while len(app.screen_stack) > 1:
        app.pop_screen()
        await pilot.pause()
    if isinstance(app.focused, Input):  # the search box: Escape clears it and leaves
        await pilot.press("escape")
    app.screen.minimize()
    app.screen.set_focus(None)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def run_every_key_and_command(pilot: Pilot[None]) -> None:
    """Press every bound key, then run every command-palette entry, closing what each opens."""
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await app.loaded.wait()
    await pilot.pause()
    for key in every_key():
        await pilot.press(key)
        await pilot.pause()
        await back_to_dashboard(pilot)
    titles = [command.title for command in app.get_system_commands(app.screen)]
    assert titles, "the palette lists commands"
    for title in titles:
        if title.startswith("Quit"):
            continue
        (command,) = [c for c in app.get_system_commands(app.screen) if c.title == title]
        command.callback()
        await pilot.pause(0.2)  # Textual's screenshot ran 0.1 s after its palette entry
        await back_to_dashboard(pilot)
    # And through the palette itself, as a person would type it.
    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in "screenshot":
        await pilot.press(char)
    await pilot.pause(0.2)
    await pilot.press("enter")
    await pilot.pause(0.2)
    await back_to_dashboard(pilot)


async def test_a_read_only_session_writes_nothing_anywhere(world: World) -> None:
    before = world.files()
    app = create_app(world.portfolio, user="viewer", read_only=True, poll_interval=0.0)
    async with app.run_test(size=(120, 36)) as pilot:
        await run_every_key_and_command(pilot)
    after = world.files()
    changed = sorted(
        name for name in set(before) | set(after) if before.get(name) != after.get(name)
    )
    assert changed == []


def test_textual_s_screenshot_is_not_in_the_palette(world: World) -> None:
    app = create_app(world.portfolio, user="viewer", read_only=True, poll_interval=0.0)

    async def titles() -> list[str]:
        async with app.run_test(size=(100, 30)) as pilot:
            await app.loaded.wait()
            await pilot.pause()
            return [command.title for command in app.get_system_commands(app.screen)]

    listed = asyncio.run(titles())
    assert "Screenshot" not in listed
    assert "Theme" in listed, "Textual's harmless commands stay"


HOSTILE_NAMES = (
    "../escaped.toml",
    "../../escaped.toml",
    "link.toml",
    "notes.txt",
    "~/.ssh/authorized_keys",
)


async def save_as(pilot: Pilot[None], name: str) -> None:
    """W, type `name`, Enter; answer yes to a replace question, if one comes."""
    app = pilot.app
    await pilot.press("W")
    await pilot.pause()
    app.screen.query_one("#text", Input).value = name
    await pilot.press("enter")
    await pilot.pause()
    if len(app.screen_stack) > 1:
        await pilot.press("y")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_an_editing_session_with_hostile_names_writes_only_in_its_folder(
    world: World,
) -> None:
    absolute = str(Path(os.environ["HOME"]) / ".ssh" / "authorized_keys")
    before = world.files()
    notes, linked = (world.served / "notes.txt").read_bytes(), world.outside / "victim.toml"
    app = create_app(world.portfolio, user="mallory", poll_interval=0.0)
    async with app.run_test(size=(120, 36)) as pilot:
        await run_every_key_and_command(pilot)
        for name in (*HOSTILE_NAMES, absolute, str(world.outside / "victim.toml")):
            await save_as(pilot, name)
            await back_to_dashboard(pilot)
            assert app.path == world.portfolio, f"save-as {name!r} took the session elsewhere"
        # An export and a snapshot into folders that are links to outside.
        shutil.rmtree(world.served / "exports", ignore_errors=True)
        (world.served / "exports").symlink_to(world.outside)
        shutil.rmtree(world.served / "snapshots", ignore_errors=True)
        (world.served / "snapshots").symlink_to(world.outside)
        for key in ("X", "N"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("enter")
            await back_to_dashboard(pilot)
        # A legitimate save-as inside the folder still works.
        await save_as(pilot, "copy.toml")
        assert app.path == world.served / "copy.toml"
    assert world.changed_outside(before) == []
    assert (world.served / "notes.txt").read_bytes() == notes
    assert linked.read_text() == "not yours\n"
    assert (world.served / "copy.toml").is_file()


# -- a real `mlfolio serve` ---------------------------------------------------------------


async def read_until(process: asyncssh.SSHClientProcess[bytes], text: bytes) -> bytes:
    """Read the session's output until `text` shows; what was read."""
    seen = b""
    deadline = time.monotonic() + WAIT_S
    while text not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"{text!r} never showed; the output ended with {seen[-800:]!r}"
        with contextlib.suppress(TimeoutError):
            chunk = await asyncio.wait_for(process.stdout.read(65_536), left)
            assert chunk, f"the session ended before {text!r}: {seen[-800:]!r}"
            seen += chunk
    return seen


async def escape(process: asyncssh.SSHClientProcess[bytes]) -> None:
    """Press Escape alone (a pause on each side, so it is not read as Alt+key)."""
    await asyncio.sleep(0.3)
    process.stdin.write(b"\x1b")
    await asyncio.sleep(0.3)


@pytest.fixture
def served_host_key(world: World) -> None:
    """A host key made before the snapshot of the world, so the server adds nothing."""
    key = asyncssh.generate_private_key("ssh-ed25519")
    path = world.top / "host_key_made_below"
    path.write_bytes(key.export_private_key())
    path.chmod(0o600)
    (world.top / "keys").mkdir(mode=0o700)
    for name in ("editors", "viewers"):
        (world.top / "keys" / name).write_bytes(b"")
        (world.top / "keys" / name).chmod(0o600)


async def test_a_served_read_only_session_writes_nothing_through_ssh(
    world: World, served_host_key: None
) -> None:
    viewer = asyncssh.generate_private_key("ssh-ed25519")
    keys = world.top / "keys"
    (keys / "viewers").write_bytes(b'mlfolio-user="viewer" ' + viewer.export_public_key())
    before = world.files()
    config = ServeConfig(
        path=world.portfolio,
        host_key=host_key(world.top / "host_key_made_below"),
        keys=KeyRing(keys / "editors", keys / "viewers"),
        port=0,
        say=lambda line: None,
    )
    endpoint = Endpoint(config)
    await endpoint.start()
    try:
        conn = await asyncssh.connect(
            "127.0.0.1",
            endpoint.port,
            username="viewer",
            client_keys=[viewer],
            known_hosts=None,
            config=None,
            agent_path=None,
            preferred_auth="publickey",
        )
        try:
            process = await conn.create_process(
                term_type="xterm-256color", term_size=(120, 36), encoding=None
            )
            await read_until(process, b"READ-ONLY")
            # Textual's palette: "screenshot" would have saved an SVG into ~/Downloads.
            process.stdin.write(b"\x10")
            await read_until(process, b"Search for commands")
            process.stdin.write(b"screenshot")
            await asyncio.sleep(0.3)
            process.stdin.write(b"\r")
            # A lone Escape is told from Alt+key by the pause after it: keys are paced.
            await escape(process)
            for key in (b"W", b"X", b"N", b"e", b"f", b"d", b"u", b"T"):
                process.stdin.write(key)
                await escape(process)
            process.stdin.write(b"?")
            await read_until(process, b"Keys")
            await escape(process)
            process.stdin.write(b"q")
            await asyncio.wait_for(process.wait_closed(), WAIT_S)
        finally:
            conn.close()
            await conn.wait_closed()
    finally:
        await endpoint.stop(grace=5.0)
    after = world.files()
    changed = sorted(
        name for name in set(before) | set(after) if before.get(name) != after.get(name)
    )
    assert changed == []
