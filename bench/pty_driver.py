"""Run a program on a real pseudo-terminal and time what it draws.

`PtyProcess` starts a child with a fresh pseudo-terminal as its standard input,
output and error (and controlling terminal), of a fixed size set with
`TIOCSWINSZ`, and reads the terminal's other end without blocking. It can wait
for a sentinel to appear in the output (the first frame), wait for the output
to fall quiet (the app settled), and time a key from the moment it is written
to the last byte of the burst of output it causes.

Every child is killed and reaped, with its whole session, when the
`PtyProcess` is closed; use it as a context manager so that happens even when a
measurement raises.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

COLUMNS, LINES = 100, 30
"""The terminal size every benchmark uses."""

TERM = "xterm-256color"

READ_CHUNK = 65_536

QUIET_S = 0.030
"""A silence this long (seconds) ends a burst of output."""

SETTLED_S = 0.3
"""A silence this long (seconds) ends all the output a key caused."""


class PtyError(RuntimeError):
    """The child did not draw what was expected in time, or exited early."""


def terminal_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a child: ours with TERM fixed and no size or Textual overrides.

    COLUMNS and LINES would take precedence over the terminal's real size; TEXTUAL_*
    variables (devtools, drivers, animation levels) would change what is measured.
    """
    env = {
        key: value
        for key, value in (os.environ if base is None else base).items()
        if key not in ("COLUMNS", "LINES") and not key.startswith("TEXTUAL")
    }
    env["TERM"] = TERM
    return env


def _take_terminal() -> None:
    """In the child, after `setsid`: make its standard input the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _set_size(fd: int, columns: int, lines: int) -> None:
    """Give the terminal behind `fd` a size, as a terminal emulator would."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))


_CURSOR_TO = re.compile(rb"\x1b\[(\d+);\d+H")


def rows_written(output: bytes) -> int:
    """How many distinct screen rows `output` moves the cursor to before writing.

    Textual draws an update as a cursor move (`ESC [ row ; column H`) before each
    changed stretch of a line, so this counts the lines a frame redrew: two for
    a cursor moving in a table, the whole view for a scroll.
    """
    return len(set(_CURSOR_TO.findall(output)))


@dataclass(frozen=True, slots=True)
class Burst:
    """The output one key caused, timed from the write (nanoseconds).

    The output can come in several bursts (frames drawn one after another, or
    work deferred to timers and workers). `first_ns` ends the first burst: its
    last byte before `QUIET_S` of silence. `settled_ns` ends the last one: the
    last byte before the longer silence that ended the whole measurement.
    Neither counts the silent window itself. `first_byte_ns` is when output began.
    """

    first_byte_ns: int
    first_ns: int
    settled_ns: int
    size: int
    bursts: int
    rows: int = 0
    """How many screen rows the output wrote to (see `rows_written`)."""


class PtyProcess:
    """A child process on its own pseudo-terminal, whose output is collected as it comes.

    `output` holds everything the child wrote so far; `started_ns` is the
    `time.perf_counter_ns()` reading taken just before the child was started.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        size: tuple[int, int] = (COLUMNS, LINES),
    ) -> None:
        master, slave = pty.openpty()
        self._master: int | None = master
        self.output = bytearray()
        self.eof = False
        try:
            _set_size(slave, *size)
            os.set_blocking(master, False)
            self.started_ns = time.perf_counter_ns()
            self.process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(terminal_env() if env is None else env),
                cwd=cwd,
                close_fds=True,
                start_new_session=True,
                preexec_fn=_take_terminal,  # noqa: PLW1509 (no threads of ours run here)
            )
        except BaseException:
            os.close(master)
            self._master = None
            raise
        finally:
            os.close(slave)

    # ---------------------------------------------------------------- lifetime

    def __enter__(self) -> PtyProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    def close(self) -> None:
        """Kill the child's whole session, reap the child and close the terminal; idempotent."""
        try:
            if self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                except PermissionError:
                    self.process.kill()
            self.process.wait(timeout=10)
        finally:
            if self._master is not None:
                os.close(self._master)
                self._master = None

    # ----------------------------------------------------------------- reading

    @property
    def master(self) -> int:
        """The terminal's end we read and write; an error once closed."""
        if self._master is None:
            raise PtyError("the terminal is closed")
        return self._master

    def read(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for output and collect all there is; the bytes read.

        Once the child has closed its end (it exited), `eof` is set and 0 returned.
        """
        if self.eof:
            return 0
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0.0))
        if not ready:
            return 0
        total = 0
        while True:
            try:
                chunk = os.read(self.master, READ_CHUNK)
            except BlockingIOError:
                break
            except OSError:  # EIO: every copy of the other end is closed
                self.eof = True
                break
            if not chunk:
                self.eof = True
                break
            self.output += chunk
            total += len(chunk)
        return total

    def failure(self, what: str) -> PtyError:
        """An error saying `what`, with the exit status and the end of the output."""
        tail = bytes(self.output[-400:]).decode("utf-8", "replace")
        code = self.process.poll()
        status = "still running" if code is None else f"exit status {code}"
        return PtyError(f"{what} (pid {self.pid}, {status}); last output: {tail!r}")

    def wait_for(self, sentinel: bytes, timeout: float = 60.0) -> int:
        """Read until `sentinel` appears in the output; the perf counter (ns) when it arrived."""
        deadline = time.monotonic() + timeout
        searched = 0
        while True:
            start = max(0, searched - len(sentinel) + 1)
            if self.output.find(sentinel, start) >= 0:
                return time.perf_counter_ns()
            searched = len(self.output)
            if self.eof:
                raise self.failure(f"exited before drawing {sentinel!r}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise self.failure(f"no {sentinel!r} within {timeout:.0f} s")
            self.read(min(left, 0.5))

    def settle(self, quiet: float = 0.25, timeout: float = 30.0) -> int:
        """Read until nothing arrives for `quiet` seconds; the bytes read meanwhile."""
        deadline = time.monotonic() + timeout
        total = 0
        while time.monotonic() < deadline:
            got = self.read(quiet)
            if got == 0:
                if self.eof:
                    raise self.failure("exited while settling")
                return total
            total += got
        raise self.failure(f"output did not fall quiet within {timeout:.0f} s")

    # ----------------------------------------------------------------- writing

    def write(self, data: bytes) -> None:
        """Send `data` to the child as typed input."""
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.master, view)
            except BlockingIOError:
                select.select([], [self.master], [], 1.0)
                continue
            view = view[written:]

    def press(
        self,
        key: bytes,
        *,
        quiet: float = QUIET_S,
        settled: float = SETTLED_S,
        timeout: float = 2.0,
    ) -> Burst | None:
        """Send `key` and time the output it causes; None if nothing came in `timeout` seconds.

        Reading stops once the output has been silent for `settled` seconds; a
        silence of `quiet` seconds or more separates one burst from the next.
        """
        start = len(self.output)
        written = time.perf_counter_ns()
        self.write(key)
        deadline = time.monotonic() + timeout
        size = 0
        while size == 0:
            left = deadline - time.monotonic()
            if left <= 0 or self.eof:
                return None
            size = self.read(left)
        gap_ns = int(quiet * 1e9)
        last = began = time.perf_counter_ns()
        first_end: int | None = None
        bursts = 1
        while got := self.read(settled):
            now = time.perf_counter_ns()
            if now - last >= gap_ns:
                bursts += 1
                if first_end is None:
                    first_end = last
            size += got
            last = now
        return Burst(
            first_byte_ns=began - written,
            first_ns=(last if first_end is None else first_end) - written,
            settled_ns=last - written,
            size=size,
            bursts=bursts,
            rows=rows_written(bytes(self.output[start:])),
        )

    # ------------------------------------------------------------------ memory

    def peak_rss_kib(self) -> int:
        """The child's peak resident set size (VmHWM) in KiB, from /proc."""
        status = Path(f"/proc/{self.pid}/status").read_text(encoding="utf-8")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        raise PtyError(f"no VmHWM in /proc/{self.pid}/status")


def python_argv(script: str | os.PathLike[str], *args: str) -> list[str]:
    """The command that runs a Python file with this interpreter."""
    return [sys.executable, os.fspath(script), *args]
