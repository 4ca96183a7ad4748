"""The dashboard in a browser (`mlfolio web` + headless Chromium) against it on a local terminal.

One `mlfolio web` runs on loopback for the whole benchmark, on a generated
portfolio. "Ours" is a fresh browser context (no cookie yet) opening the
address the server printed, token included, as a person would the first
time: the redirect that sets the cookie, the page, its script and styles, the
websocket, and the server starting a dashboard process for the tab. The
reference is `mlfolio FILE` on a pseudo-terminal (as in `bench.tui_bench`).
Both are timed in alternating runs.

The browser side is timed inside the page: a script added before the page's
own wraps `WebSocket` and notes the wall-clock time (`performance.timeOrigin +
performance.now()`) at which the received frames first hold the file name
(the dashboard's first frame, "loading FILE…") and then the portfolio's name
(the filled dashboard); the clock starts just before `page.goto`. The browser
is Debian's Chromium (`chromium-headless-shell`, else `chromium`), started by
Playwright from its path; its viewport is sized to about the reference's 100
x 30 cells.

Judged figure (ours / reference): page load to the filled dashboard at 1,000
projects, target ≤ 1.5x. Printed for information: page load to the first
frame.
"""

from __future__ import annotations

import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import Budget, Options, Row
from bench.serve_bench import mlfolio_command, runs_for
from bench.tui_bench import SENTINEL, mlfolio, startup_ns, write_portfolio

NAME = "web"
TITLE = "page load to first frame in headless Chromium (mlfolio web) against a local terminal"

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000,)
READY_TARGET = 1.5
BROWSERS = ("chromium-headless-shell", "chromium")
VIEWPORT = {"width": 980, "height": 580}
"""About 100 x 30 cells at the page's 16 px font, the size of the reference's terminal."""

URL = re.compile(r"open (http://127\.0\.0\.1:\d+/\?token=\S+)")

PROBE = """
(() => {
  const Native = window.WebSocket;
  const marks = {first: null, ready: null, text: ""};
  window.__mlfolioBench = marks;
  const decoder = new TextDecoder();
  const escapes = /\\x1b\\[[0-9;?]*[A-Za-z]/g;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (marks.ready !== null || typeof event.data === "string") return;
        const at = performance.timeOrigin + performance.now();
        marks.text += decoder.decode(event.data, {stream: true});
        const text = marks.text.replace(escapes, "");
        if (marks.first === null && text.includes(window.__mlfolioFirst)) marks.first = at;
        if (text.includes(window.__mlfolioReady)) marks.ready = at;
      });
    }
  };
})();
"""
"""Added to every page before its own script: notes when the awaited texts arrive."""


def browser_path() -> str:
    """Debian's Chromium binary; RuntimeError naming the package when there is none."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("the web benchmark needs Chromium: apt-get install chromium-headless-shell")


@dataclass(frozen=True, slots=True)
class Server:
    """A running `mlfolio web` and the address (token included) its start line gave."""

    process: subprocess.Popen[str]
    url: str


@contextmanager
def serving(path: Path) -> Iterator[Server]:
    """Run `mlfolio web` on `path` (loopback, a free port) until the block ends."""
    argv = [*mlfolio_command(), "web", str(path), "--port", "0", "--max-sessions", "4"]
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT
    )
    try:
        assert process.stdout is not None
        found = None
        for _ in range(5):
            line = process.stdout.readline()
            found = URL.search(line)
            if found:
                break
        if found is None:
            raise RuntimeError(f"mlfolio web did not start: {line.strip()!r}")
        drain = threading.Thread(target=process.stdout.read, daemon=True)  # its log
        drain.start()
        yield Server(process, found.group(1))
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def page_load_ns(browser: Any, server: Server, path: Path) -> tuple[int, int]:
    """Nanoseconds from opening the page in a new context to the first frame, and to ready."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(
            f"window.__mlfolioFirst = {path.name!r}; window.__mlfolioReady = {SENTINEL!r};"
        )
        context.add_init_script(PROBE)
        page = context.new_page()
        started_ms = time.time_ns() / 1e6
        page.goto(server.url)
        deadline = time.monotonic() + 120.0
        marks = [None, None]
        while marks[1] is None:  # polled from outside: the page's CSP forbids wait_for_function
            if time.monotonic() > deadline:
                raise RuntimeError("the dashboard never showed in the browser")
            page.wait_for_timeout(50)  # the times are noted in the page, not here
            marks = page.evaluate("[window.__mlfolioBench.first, window.__mlfolioBench.ready]")
        page.close()  # the tab's dashboard ends with its websocket
    finally:
        context.close()
    first, ready = (float(marks[0] if marks[0] is not None else marks[1]), float(marks[1]))
    return int((first - started_ms) * 1e6), int((ready - started_ms) * 1e6)


def _row(case: str, n: int, ours: list[int], ref: list[int], target: float | None) -> Row:
    return Row(
        case=case,
        n=n,
        ours_ns=int(statistics.median(ours)),
        reference_ns=int(statistics.median(ref)),
        target=target,
        runs=min(len(ours), len(ref)),
    )


def measure_page_load(
    browser: Any, server: Server, path: Path, n: int, budget: Budget
) -> list[Row]:
    """Page load in the browser against `mlfolio FILE` started on a terminal, alternating."""
    runs, warmup = runs_for(budget, "start"), max(0, budget.warmup)
    reference = mlfolio(path)
    for _ in range(warmup):
        page_load_ns(browser, server, path)
        startup_ns(reference)
    ours: list[tuple[int, int]] = []
    theirs: list[tuple[int, int]] = []
    for i in range(runs):
        if i % 2 == 0:
            ours.append(page_load_ns(browser, server, path))
            theirs.append(startup_ns(reference))
        else:
            theirs.append(startup_ns(reference))
            ours.append(page_load_ns(browser, server, path))
        time.sleep(0.2)  # the closed tab's dashboard quits meanwhile
    return [
        _row("page load: first frame", n, [o[0] for o in ours], [t[0] for t in theirs], None),
        _row("page load: ready", n, [o[1] for o in ours], [t[1] for t in theirs], READY_TARGET),
    ]


def measure(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Every figure at the sizes `options` picks; each row goes to `emit` as it comes."""
    from playwright.sync_api import sync_playwright

    executable = browser_path()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="mlfolio-bench-web-") as name:
        folder = Path(name)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            try:
                for n in options.pick(SIZES):
                    path = write_portfolio(n, folder)
                    with serving(path) as server:
                        for row in measure_page_load(browser, server, path, n, options.budget):
                            emit(row)
                            rows.append(row)
            finally:
                browser.close()
    return rows


def run(options: Options, emit: Callable[[Row], None]) -> list[Row]:
    """Measure every figure, emitting each row as soon as it is measured."""
    return measure(options, emit)
