"""The dashboard through `mlfolio serve` and OpenSSH, against the same app run directly.

One `mlfolio serve` runs on loopback for the whole benchmark. "Ours" is the
OpenSSH client `ssh` on a pseudo-terminal of 100 x 30 cells, connected to it;
the reference is `mlfolio FILE` on a pseudo-terminal of the same size. Both
show the same generated portfolio, and are timed in alternating runs.

Judged figure (ours / reference):

- key ↓: in two running, settled sessions side by side, the down arrow on the
  grid and on the ranking, timed from the write to the end of the first burst
  of output and to the end of all of it (as in `bench.tui_bench`). The
  difference is what SSH adds to every keypress: encryption, the loopback
  round trip, and the server copying bytes between the channel and the
  dashboard's terminal. Target ≤ 1.3x.

Printed for information: session start, from starting `ssh` to the first
frame (key exchange, authentication, the server starting the dashboard)
against starting `mlfolio FILE` to its first frame.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from bench.harness import FULL, Budget, Options, Row
from bench.tui_bench import SENTINEL, VIEWS, Launch, Walker, first_frame_ns, write_portfolio

NAME = "serve"
TITLE = "the dashboard over SSH (mlfolio serve + OpenSSH) against it on a local terminal"

ROOT = Path(__file__).resolve().parents[1]

SIZES = (1_000,)
KEY_TARGET = 1.3
KEY_VIEWS = ("grid", "ranking")

FULL_RUNS = {"start": 8, "key": 40}
"""Runs per side of each figure under the full budget; other budgets scale them."""

SETTLE_S = 0.3

SSH_OPTIONS = (
    "-F", "/dev/null",
    "-o", "IdentitiesOnly=yes",
    "-o", "BatchMode=yes",
    "-o", "LogLevel=ERROR",
    "-o", "StrictHostKeyChecking=no",
    "-o", "UserKnownHostsFile=/dev/null",
    "-e", "none",
    "-t",
)  # fmt: skip
"""A client that reads no user configuration, trusts this run's host key and only uses ours."""


def runs_for(budget: Budget, kind: str) -> int:
    """Runs per side of a figure of `kind` under `budget` (fixed counts, scaled by its seconds)."""
    if budget.repeat is not None:
        return max(1, budget.repeat)
    return max(budget.min_repeat, round(FULL_RUNS[kind] * budget.seconds / FULL.seconds))


def mlfolio_command() -> list[str]:
    """The `mlfolio` console script beside this interpreter, else `python -m tui.cli`."""
    script = Path(sys.executable).with_name("mlfolio")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


@dataclass(frozen=True, slots=True)
class Server:
    """A running `mlfolio serve` and how to open a session on it."""

    process: subprocess.Popen[str]
    port: int
    key: Path

    def session(self, user: str = "bench") -> Launch:
        """`ssh` into the dashboard; it is ready when the portfolio's name shows."""
        argv = ("ssh", *SSH_OPTIONS, "-p", str(self.port), "-i", str(self.key), f"{user}@127.0.0.1")
        return Launch(argv, SENTINEL.encode())


@contextmanager
def serving(path: Path, folder: Path) -> Iterator[Server]:
    """Run `mlfolio serve` on `path` (loopback, a free port) until the block ends."""
    if shutil.which("ssh") is None:
        raise RuntimeError("the serve benchmark needs OpenSSH's ssh client")
    key = asyncssh.generate_private_key("ssh-ed25519", comment="bench")  # the name it edits as
    key_path = folder / "client_key"
    key.write_private_key(key_path)
    os.chmod(key_path, 0o600)
    authorized = folder / "authorized_keys"
    authorized.write_bytes(key.export_public_key())
    argv = [*mlfolio_command(), "serve", str(path), "--port", "0"]
    argv += ["--authorized-keys", str(authorized), "--host-key", str(_host_key(folder))]
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r" on 127\.0\.0\.1:(\d+) ", line)
        if found is None:
            raise RuntimeError(f"mlfolio serve did not start: {line.strip()!r}")
        yield Server(process, int(found.group(1)), key_path)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _host_key(folder: Path) -> Path:
    """A host key for this run only, so the benchmark leaves the user's state alone."""
    path = folder / "host_key"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(path)
    os.chmod(path, 0o600)
    return path


def direct(path: Path) -> Launch:
    """`mlfolio FILE` on a local terminal."""
    return Launch((*mlfolio_command(), str(path)), SENTINEL.encode())


def _row(case: str, n: int, ours: Sequence[int], ref: Sequence[int], target: float | None) -> Row:
    return Row(
        case=case,
        n=n,
        ours_ns=int(statistics.median(ours)),
        reference_ns=int(statistics.median(ref)),
        target=target,
        runs=min(len(ours), len(ref)),
    )


def measure_start(server: Server, path: Path, n: int, *, runs: int, warmup: int) -> Row:
    """Session start through ssh against `mlfolio FILE`, alternating, median of `runs` each."""
    ours, reference = server.session(), direct(path)
    for _ in range(warmup):
        first_frame_ns(ours)
        first_frame_ns(reference)
    ours_ns: list[int] = []
    reference_ns: list[int] = []
    for i in range(runs):
        pair = (ours, reference) if i % 2 == 0 else (reference, ours)
        for launch in pair:
            (ours_ns if launch is ours else reference_ns).append(first_frame_ns(launch))
    return _row("session start: first frame", n, ours_ns, reference_ns, None)


def measure_keys(
    server: Server, path: Path, n: int, view: str, *, runs: int, warmup: int
) -> tuple[Row, Row]:
    """The down arrow through ssh against the dashboard run directly, presses alternating."""
    with ExitStack() as stack:
        launches = (server.session(), direct(path))
        processes = [stack.enter_context(launch.start()) for launch in launches]
        for process, launch in zip(processes, launches, strict=True):
            process.wait_for(launch.sentinel)
            process.settle(SETTLE_S)
            for key in VIEWS[view]:
                process.write(key)
                process.settle(SETTLE_S)
        ours, theirs = Walker(processes[0]), Walker(processes[1])
        for _ in range(3 * warmup):
            ours.step()
            theirs.step()
        ours.bursts.clear()
        theirs.bursts.clear()
        for i in range(runs):
            for walker in (ours, theirs) if i % 2 == 0 else (theirs, ours):
                walker.step()
    first = _row(
        f"key ↓ {view}: 1st burst",
        n,
        [b.first_ns for b in ours.bursts],
        [b.first_ns for b in theirs.bursts],
        KEY_TARGET,
    )
    settled = _row(
        f"key ↓ {view}: all output",
        n,
        [b.settled_ns for b in ours.bursts],
        [b.settled_ns for b in theirs.bursts],
        KEY_TARGET,
    )
    return first, settled


def measure(
    options: Options, emit: Callable[[Row], None], *, views: Sequence[str] = KEY_VIEWS
) -> list[Row]:
    """Every figure at the sizes `options` picks; each row goes to `emit` as it comes."""
    budget = options.budget
    warmup = max(0, budget.warmup)
    rows: list[Row] = []

    def put(row: Row) -> None:
        emit(row)
        rows.append(row)

    with tempfile.TemporaryDirectory(prefix="mlfolio-bench-serve-") as name:
        folder = Path(name)
        for n in options.pick(SIZES):
            path = write_portfolio(n, folder)
            with serving(path, folder) as server:
                start_runs, key_runs = runs_for(budget, "start"), runs_for(budget, "key")
                put(measure_start(server, path, n, runs=start_runs, warmup=warmup))
                for view in views:
                    for row in measure_keys(server, path, n, view, runs=key_runs, warmup=warmup):
                        put(row)
    return rows


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Measure every figure, emitting each row as soon as it is measured."""
    return measure(options, emit)
