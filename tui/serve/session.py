"""One SSH session of `mlfolio serve`: the dashboard in its own process on its own terminal.

The child is `python -m tui.cli open FILE --user NAME [--read-only]` on a fresh
pseudo-terminal, sized like the client's. asyncssh's redirect joins the
terminal to the SSH channel and forwards every later resize to it (the kernel
then tells the child with SIGWINCH). When the child exits, the channel closes
with its status; when the channel closes first, the child is hung up, then
terminated, then killed, and always reaped.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import resource
import signal
import struct
import sys
import termios
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from tui.serve.paste import GuardedTerminal

DEFAULT_TERM = "xterm-256color"
DEFAULT_SIZE = (80, 24)
"""Columns and lines when the client sends no size."""

MAX_SIZE = (500, 200)
"""The largest terminal a session gets, in columns and lines: a client asking for more
(65535 x 65535 grew one dashboard to 9 GB) gets this, at start and on every resize."""

MAX_PIXELS = 16_384
"""The largest pixel width or height passed on (only a hint to the dashboard)."""

NICE = 10
"""How much lower than the server a dashboard runs: a busy session never starves it."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The resources one session's dashboard may use (set in the child before it starts)."""

    memory_bytes: int = 1 << 30
    """Address space (RLIMIT_AS); allocations past it fail with MemoryError."""
    cpu_seconds: int = 3600
    """Processor time (RLIMIT_CPU); an idle dashboard uses a few seconds an hour."""
    nice: int = NICE


TermSize = tuple[int, int, int, int]
"""Columns, lines, and the width and height in pixels (0 when unknown)."""


def clamp_size(
    columns: int, lines: int, width_px: int, height_px: int
) -> tuple[int, int, int, int]:
    """A client's terminal size, bounded by `MAX_SIZE` (and `MAX_PIXELS`)."""
    return (
        max(0, min(columns, MAX_SIZE[0])),
        max(0, min(lines, MAX_SIZE[1])),
        max(0, min(width_px, MAX_PIXELS)),
        max(0, min(height_px, MAX_PIXELS)),
    )


class BoundedProcess(asyncssh.SSHServerProcess[bytes]):
    """asyncssh's server process, with every terminal size the client sends clamped.

    The dashboard's terminal is sized from `term_size` when the channel is
    joined to it and from each window change (through `resized`, which the
    session sets, as its input goes through a PasteGuard rather than straight
    to the terminal); both go through `clamp_size` here, so no dashboard is
    ever laid out larger than `MAX_SIZE`.
    """

    resized: Callable[[int, int, int, int], None] | None = None
    """Called with each clamped window change: columns, lines, pixel width and height."""

    @property
    def term_size(self) -> TermSize:
        return clamp_size(*super().term_size)

    def get_terminal_size(self) -> TermSize:
        return clamp_size(*super().get_terminal_size())

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        size = clamp_size(width, height, pixwidth, pixheight)
        super().terminal_size_changed(*size)
        if self.resized is not None:
            self.resized(*size)


FROM_CLIENT = ("COLORTERM", "NO_COLOR")
"""Variables taken from the client's environment (when its ssh sends them)."""

SERVER_TERMINAL = (
    "COLUMNS",
    "LINES",
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "TMUX",
    "TMUX_PANE",
    "STY",
    "WINDOWID",
    "VTE_VERSION",
    "SSH_AUTH_SOCK",
    "SSH_AGENT_PID",
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
)
"""Variables that describe the server's own terminal or login, never the client's."""

HANGUP_GRACE_S = 3.0
"""How long a hung-up child has to quit (and finish a save) before SIGTERM."""

TERMINATE_GRACE_S = 2.0
"""How long after SIGTERM before SIGKILL."""

DRAIN_S = 5.0
"""How long the child's last output may take to reach the client."""


def child_argv(path: Path, user: str, *, read_only: bool) -> list[str]:
    """The dashboard's command line; `-P` keeps the working folder off the import path."""
    argv = [sys.executable, "-P", "-m", "tui.cli", "open", str(path), f"--user={user}"]
    if read_only:
        argv.append("--read-only")
    return argv


def child_env(
    base: Mapping[str, str], term: str | None, client: Mapping[str, str]
) -> dict[str, str]:
    """The child's environment: the server's, less its terminal, plus the client's TERM.

    `MLFOLIO_SERVED=1` marks the dashboard as served: it reads and writes no preferences
    file (that belongs to whoever runs the server, not to the client).
    """
    env = {key: value for key, value in base.items() if key not in SERVER_TERMINAL}
    env["MLFOLIO_SERVED"] = "1"
    usable = term and term.isprintable() and " " not in term and len(term) <= 64
    env["TERM"] = term if term and usable else DEFAULT_TERM
    for key in FROM_CLIENT:
        value = client.get(key)
        if value is not None and value.isprintable():
            env[key] = value
    return env


def set_size(fd: int, columns: int, lines: int, width_px: int = 0, height_px: int = 0) -> None:
    """Give the terminal behind `fd` a size in cells (and pixels, when known)."""
    packed = struct.pack("HHHH", lines, columns, width_px, height_px)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, packed)


def _take_terminal() -> None:
    """In the child, after setsid: make its standard input the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _prepare_child(limits: Limits) -> Callable[[], None]:
    """What the child runs before the dashboard: take the terminal, then lower its limits."""

    def prepare() -> None:  # system calls only: no locks taken in the forked child
        _take_terminal()
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
        os.nice(limits.nice)

    return prepare


def exit_status(returncode: int) -> int:
    """A process's return code as a shell reports it: 128 + N for death by signal N."""
    return returncode if returncode >= 0 else 128 - returncode


class DashboardSession:
    """The dashboard of one SSH session, from spawn to reaped child and closed channel."""

    def __init__(
        self,
        process: asyncssh.SSHServerProcess[bytes],
        argv: list[str],
        env: Mapping[str, str],
        limits: Limits | None = None,
    ) -> None:
        self.process = process
        self.limits = limits or Limits()
        self.argv = argv
        self.env = dict(env)
        self.child: asyncio.subprocess.Process | None = None
        self.stopping = False
        """Set when the server stops: the client is told why the dashboard went away."""
        self._kept: int | None = None
        """Our own copy of the terminal's master end, open until the child is reaped."""

    @property
    def pid(self) -> int | None:
        """The dashboard's process id, once started."""
        return None if self.child is None else self.child.pid

    async def start(self) -> None:
        """Make the terminal, join it to the channel and start the dashboard on it."""
        columns, lines, width_px, height_px = clamp_size(*self.process.get_terminal_size())
        if not columns or not lines:
            columns, lines = DEFAULT_SIZE
        master, slave = os.openpty()
        try:
            writer = os.dup(master)
            self._kept = os.dup(master)
        except OSError:
            os.close(master)
            os.close(slave)
            raise
        try:
            # From here on asyncssh owns both ends it was given, and closes them with the channel.
            # The kept copy stops that from hanging the terminal up under the dashboard: a
            # Textual app quitting on a hung-up terminal can block on its writer thread.
            # No EOF when the terminal closes: a last line may follow, then the exit status.
            # What the client sends passes a PasteGuard: pasted text never runs keys.
            await self.process.redirect(
                stdin=GuardedTerminal(writer), stdout=master, send_eof=False
            )
            set_size(master, columns, lines, width_px, height_px)
            if isinstance(self.process, BoundedProcess):
                self.process.resized = self._resize
            self.child = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self.env,
                start_new_session=True,
                preexec_fn=_prepare_child(self.limits),
            )
        except BaseException:
            self.release()
            raise
        finally:
            os.close(slave)

    def _resize(self, columns: int, lines: int, width_px: int, height_px: int) -> None:
        """Pass a window change on to the dashboard's terminal, while it has one."""
        if self._kept is not None and columns and lines:
            with contextlib.suppress(OSError):
                set_size(self._kept, columns, lines, width_px, height_px)

    async def run(self) -> int:
        """Once started, stay until the dashboard exits or the client leaves; its exit status."""
        child = self.child
        if child is None:
            raise RuntimeError("the dashboard was not started")
        exited = asyncio.ensure_future(child.wait())
        closed = asyncio.ensure_future(self.process.wait_closed())
        try:
            await asyncio.wait({exited, closed}, return_when=asyncio.FIRST_COMPLETED)
            if exited.done():
                status = exit_status(exited.result())
                with contextlib.suppress(TimeoutError, OSError, asyncssh.Error):
                    await asyncio.wait_for(self.process.stdout.drain(), DRAIN_S)
                if not closed.done():
                    if self.stopping:
                        self.process.stderr.write(b"\r\nmlfolio serve: the server is stopping\r\n")
                    self.process.exit(status)
            else:
                self._discard_output()
                status = await self.end()
            # Let asyncssh finish closing the channel and the terminal's two ends.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(closed), DRAIN_S)
            return status
        finally:
            if not exited.done():
                self._discard_output()
                await self.end()
            closed.cancel()
            exited.cancel()
            self.release()

    def _discard_output(self) -> None:
        """Once nobody reads the terminal, read and drop what the dashboard still writes."""
        kept = self._kept
        if kept is None:
            return
        os.set_blocking(kept, False)

        def drop() -> None:
            try:
                os.read(kept, 65_536)
            except BlockingIOError:
                pass
            except OSError:  # EIO: the dashboard and its terminal are gone
                asyncio.get_running_loop().remove_reader(kept)

        asyncio.get_running_loop().add_reader(kept, drop)

    def release(self) -> None:
        """Close our copy of the master end (once the dashboard is reaped); idempotent."""
        kept, self._kept = self._kept, None
        if kept is not None:
            asyncio.get_running_loop().remove_reader(kept)
            os.close(kept)

    def signal(self, signum: int) -> None:
        """Send `signum` to the dashboard's process group, if it is still running."""
        child = self.child
        if child is None or child.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)

    def hang_up(self) -> None:
        """Ask the dashboard to quit, as a closed terminal would."""
        self.stopping = True
        self.signal(signal.SIGHUP)

    async def end(self) -> int:
        """Hang up, terminate, then kill the dashboard, each after a grace period; reap it."""
        child = self.child
        if child is None:
            return 1
        for signum, grace in (
            (signal.SIGHUP, HANGUP_GRACE_S),
            (signal.SIGTERM, TERMINATE_GRACE_S),
            (signal.SIGKILL, None),
        ):
            if child.returncode is not None:
                break
            self.signal(signum)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(child.wait()), grace)
        return exit_status(await child.wait())
