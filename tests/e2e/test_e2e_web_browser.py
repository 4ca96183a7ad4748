"""End to end in a real browser: `mlfolio web` driven by headless Chromium through Playwright.

The server is the real command (`mlfolio web FILE --port 0`) on a copy of the
example; the browser is Debian's `chromium-headless-shell` (or `chromium`),
started by Playwright from its path, so nothing is downloaded. The page draws
the terminal on a canvas, so what the dashboard shows is read from the frames
the page itself receives on its websocket (the bytes xterm.js draws),
escape sequences removed; the keys are pressed on the page, as a person would.
An export ends as a real browser download (the page's own pop-up fetching
`/download/KEY` with its cookie), and nothing is written on the server.

Skipped, with the reason, only where no Chromium binary is installed, and
never in CI (`CI` set), where `.ci/run` installs it. The server, the browser
and every dashboard are stopped even when an assertion fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "portfolio" / "example.toml"
BROWSERS = ("chromium-headless-shell", "chromium")
ESCAPES = re.compile(
    r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)"
)
URL = re.compile(r"open (http://127\.0\.0\.1:\d+/)\?token=(\S+)")


def browser_path() -> str:
    """Chromium's binary; the test is skipped without one, except in CI, where it fails."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    reason = (
        "no chromium-headless-shell or chromium binary (apt-get install chromium-headless-shell)"
    )
    if os.environ.get("CI"):
        pytest.fail(reason + "; .ci/run installs it")
    pytest.skip(reason)


def mlfolio() -> list[str]:
    script = Path(sys.executable).with_name("mlfolio")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


class Served:
    """A running `mlfolio web`: its address, token and output, stopped by `stop`."""

    def __init__(self, path: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [*mlfolio(), "web", str(path), "--port", "0", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its dashboards are in its process group
        )
        self.lines: list[str] = []
        self._found = threading.Event()
        self.base = self.token = ""
        threading.Thread(target=self._read, daemon=True).start()
        if not self._found.wait(30):
            self.stop()
            raise AssertionError(f"mlfolio web did not start: {self.lines}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            found = URL.search(line)
            if found:
                self.base, self.token = found.group(1), found.group(2)
                self._found.set()

    def stop(self) -> None:
        """SIGTERM, as an operator would; then make sure no process of the group is left."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any dashboard it failed to end


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    browser_path()  # skip (or fail in CI) before starting anything
    path = tmp_path / "portfolio.toml"
    shutil.copy(EXAMPLE, path)
    server = Served(path, "--editing")
    try:
        yield server, path
    finally:
        server.stop()


class Screen:
    """What the page received on its websocket, as text with escape sequences removed."""

    def __init__(self) -> None:
        self.raw = bytearray()

    def take(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.raw += payload

    def text(self, since: int = 0) -> str:
        return ESCAPES.sub("", bytes(self.raw[since:]).decode("utf-8", errors="replace"))


def top_title(path: Path) -> str:
    from core.views.dashboard import build_dashboard
    from portfolio import load

    return build_dashboard(load(path), datetime.now(UTC)).rows[0].title


def test_the_dashboard_in_a_browser_shows_keys_others_edits_and_downloads(
    served: tuple[Served, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import Page, sync_playwright

    executable = browser_path()
    server, path = served
    screen = Screen()
    outside: list[str] = []
    console: list[str] = []

    def wait_for(page: Page, text: str, since: int = 0, seconds: float = 30.0) -> float:
        """Wait until `text` has reached the page; the seconds it took."""
        start = time.monotonic()
        while text not in screen.text(since):
            if time.monotonic() - start > seconds:
                tail = screen.text()[-1500:]
                raise AssertionError(f"{text!r} never reached the page; it ends with {tail!r}")
            page.wait_for_timeout(20)  # lets Playwright deliver the frames meanwhile
        return time.monotonic() - start

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            context = browser.new_context(
                viewport={"width": 1600, "height": 900}, accept_downloads=True
            )
            page = context.new_page()
            page.on("websocket", lambda ws: ws.on("framereceived", screen.take))
            page.on(
                "request",
                lambda r: None if r.url.startswith(server.base) else outside.append(r.url),
            )
            page.on("console", lambda m: console.append(m.text))
            page.goto(f"{server.base}?token={server.token}")
            assert "token" not in page.url, "the token is dropped from the address"

            title = top_title(path)
            wait_for(page, title[:40], seconds=60.0)
            page.wait_for_selector("body.-first-byte", timeout=10_000)  # drawn by xterm.js

            mark = len(screen.raw)
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("4")
            wait_for(page, "projects · no filter · sorted by", mark)  # the ranking's header

            time.sleep(1.0)  # settled: the poll has nothing pending
            renamed = "Storefront recommendations, renamed by bob"
            project = load_id(path, title)
            mark = len(screen.raw)
            subprocess.run(
                [*mlfolio(), "set", str(path), project, "title", renamed, "--by", "bob"],
                check=True,
                capture_output=True,
            )
            seconds = wait_for(page, renamed, mark, seconds=10.0)
            assert seconds <= 1.0, f"another session's edit took {seconds:.2f} s to show"

            mark = len(screen.raw)
            page.keyboard.press("X")  # an export reaches the browser as a download
            wait_for(page, "your browser downloads it", mark)
            page.wait_for_timeout(500)
            page.keyboard.press("Enter")  # Markdown; on to the name
            page.wait_for_timeout(500)
            with context.expect_event("download", timeout=20_000) as downloaded:
                page.keyboard.press("Enter")
            download = downloaded.value
            assert download.suggested_filename.endswith(".md")
            saved = tmp_path / "browser" / download.suggested_filename
            download.save_as(saved)
            assert renamed in saved.read_text(encoding="utf-8")
            assert not (path.parent / "exports").exists(), "the export was written on the server"
        finally:
            browser.close()
    assert outside == [], "the page asked another server for something"
    assert not [line for line in console if "Content Security Policy" in line], console
    assert any("session for" in line for line in server.lines)


def load_id(path: Path, title: str) -> str:
    from portfolio import load

    return next(p.id for p in load(path).projects if p.title == title)
