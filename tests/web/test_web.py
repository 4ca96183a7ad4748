"""`mlfolio web`: the token, origin, cap and read-only rules, through aiohttp's test client.

The server runs in the test's loop (`aiohttp.test_utils`); sessions start real
dashboard processes, which every test stops (the client closes, the server's
session handler quits and reaps the child) even when it fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer
from factories import EXAMPLE

from tui.web.security import COOKIE, origin_allowed
from tui.web.server import WebConfig, WebServer, child_argv

TOKEN = "s3cret-token-for-tests"


def _config(path: Path, **changes: object) -> WebConfig:
    lines: list[str] = []
    config = WebConfig(path=path, token=TOKEN, user="tester", say=lines.append)
    for key, value in changes.items():
        setattr(config, key, value)
    return config


@pytest.fixture
async def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "p.toml"
    shutil.copy(EXAMPLE, path)
    return path


async def _client(config: WebConfig) -> tuple[TestClient[web.Request, web.Application], WebServer]:
    server = WebServer(config)
    app = await server._make_app()
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await client.start_server()
    config.port = client.port  # type: ignore[assignment]
    config.host = "127.0.0.1"
    return client, server


@pytest.fixture
async def served(
    portfolio: Path,
) -> AsyncIterator[tuple[TestClient[web.Request, web.Application], WebServer]]:
    client, server = await _client(_config(portfolio, max_sessions=1))
    try:
        yield client, server
    finally:
        await client.close()


def _origin(client: TestClient[web.Request, web.Application]) -> str:
    return f"http://127.0.0.1:{client.port}"


async def test_a_request_without_the_token_is_refused(
    served: tuple[TestClient[web.Request, web.Application], WebServer],
) -> None:
    client, server = served
    for url in ("/", "/?token=wrong", "/static/js/textual.js", "/ws"):
        response = await client.get(url, allow_redirects=False)
        assert response.status == 403, url
    logged = "\n".join(server.config.say.__self__)  # type: ignore[attr-defined]
    assert "wrong token" in logged
    assert "wrong" not in logged.replace("wrong token", "")  # the query never reaches the log


async def test_the_token_sets_a_strict_cookie_and_is_stripped_from_the_url(
    served: tuple[TestClient[web.Request, web.Application], WebServer],
) -> None:
    client, _ = served
    response = await client.get(f"/?token={TOKEN}&fontsize=14", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "/?fontsize=14"
    cookie = response.headers["Set-Cookie"]
    assert f"{COOKIE}={TOKEN}" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    page = await client.get("/?fontsize=14")  # the jar now holds the cookie
    assert page.status == 200
    text = await page.text()
    assert TOKEN not in text
    assert "https://" not in text
    assert "http://" not in text.replace("http://www.w3.org", "")
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp


async def test_static_files_are_served_without_a_directory_listing(
    served: tuple[TestClient[web.Request, web.Application], WebServer],
) -> None:
    client, _ = served
    await client.get(f"/?token={TOKEN}")
    assert (await client.get("/static/js/textual.js")).status == 200
    for url in ("/static/", "/static/js/", "/static/../server.py"):
        assert (await client.get(url)).status in (403, 404), url


async def test_a_cross_origin_websocket_is_refused(
    served: tuple[TestClient[web.Request, web.Application], WebServer],
) -> None:
    client, server = served
    await client.get(f"/?token={TOKEN}")
    for origin in ("http://evil.example", f"http://127.0.0.1:{(client.port or 0) + 1}", None):
        headers = {"Origin": origin} if origin else {}
        response = await client.get("/ws", headers=headers)
        assert response.status == 403, origin
    assert server.sessions == 0


def test_origin_rules() -> None:
    hosts = {"127.0.0.1:8000", "mlfolio.example.org"}
    assert origin_allowed("http://127.0.0.1:8000", hosts)
    assert origin_allowed("https://mlfolio.example.org", hosts)
    assert not origin_allowed("http://127.0.0.1:8001", hosts)
    assert not origin_allowed("http://evil.example", hosts)
    assert not origin_allowed("null", hosts)
    assert not origin_allowed(None, hosts)


async def _open_session(client: TestClient[web.Request, web.Application]) -> object:
    return await client.ws_connect("/ws?width=100&height=30", headers={"Origin": _origin(client)})


async def _first_frame(ws: object, seconds: float = 30.0, until: bytes = b"") -> bytes:
    """Collect the child's output until some screen data (holding `until`) has arrived."""
    received = b""
    async with asyncio.timeout(seconds):
        while len(received) < 2000 or until not in received:
            message = await ws.receive()  # type: ignore[attr-defined]
            if message.type == WSMsgType.BINARY:
                received += message.data
            elif message.type == WSMsgType.TEXT:
                received += message.data.encode()
            elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
                break
    return received


async def test_over_the_cap_a_websocket_is_refused_with_503(
    served: tuple[TestClient[web.Request, web.Application], WebServer],
) -> None:
    client, server = served
    await client.get(f"/?token={TOKEN}")
    ws = await _open_session(client)
    try:
        assert await _first_frame(ws)
        assert server.sessions == 1
        response = await client.get("/ws", headers={"Origin": _origin(client)})
        assert response.status == 503
        assert any("sessions already open" in line for line in server.config.say.__self__)  # type: ignore[attr-defined]
    finally:
        await ws.close()  # type: ignore[attr-defined]


ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[a-zA-Z]")

SEND_BACK = (
    ("4", b"of 14 projects"),
    ("/", b"search"),
    ("invoice", b"invoice"),
    ("\r", b"1 of 14"),
    ("b", b"Reason (required)"),
    ("\r", b""),
    ("\r", b""),
    ("\r", b""),
)
"""Ranking, search the invoice project, send it back from training with the first reason;
each key with what the screen shows once it is handled (when the session may edit)."""


class Screen:
    """What a session's dashboard has drawn so far, escape sequences removed."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.raw = b""
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == WSMsgType.BINARY:
                self.raw += message.data
            elif message.type == WSMsgType.TEXT:
                self.raw += message.data.encode()

    async def shows(self, text: bytes, since: int = 0, seconds: float = 20.0) -> bool:
        """Whether `text` is drawn (after byte `since`) within `seconds`."""
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            if text in ESCAPES.sub(b"", self.raw[since:]):
                return True
            await asyncio.sleep(0.1)
        return False

    async def press(self, key: str, then: bytes) -> None:
        mark = len(self.raw)
        await self.ws.send_str(json.dumps(["stdin", key]))
        await self.shows(then, mark, seconds=5.0)
        await asyncio.sleep(0.5)


async def _edit_attempt(path: Path, *, editing: bool) -> bool:
    """Open a session, send a project back a stage (as a person would); whether the file changed."""
    client, _ = await _client(_config(path, editing=editing))
    before = path.read_bytes()
    try:
        await client.get(f"/?token={TOKEN}")
        ws = await _open_session(client)
        screen = Screen(ws)
        try:
            assert await screen.shows(b"feasibility", seconds=60.0), "the dashboard never loaded"
            for key, then in SEND_BACK:
                await screen.press(key, then)
            for _ in range(50):
                if path.read_bytes() != before:
                    return True
                await asyncio.sleep(0.2)
            return False
        finally:
            await ws.close()  # type: ignore[attr-defined]
            screen.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await screen.task
    finally:
        await client.close()


async def test_a_read_only_session_cannot_write_the_file(portfolio: Path) -> None:
    assert not await _edit_attempt(portfolio, editing=False)
    assert await _edit_attempt(portfolio, editing=True), "the same keys edit with --editing"


def test_the_child_is_read_only_unless_editing_and_gets_the_file_as_one_argument() -> None:
    hostile = Path("/tmp/a b;touch x$(id).toml")
    argv = child_argv(hostile, "alice", read_only=True)
    assert argv[-3:] == [str(hostile), "--user=alice", "--read-only"]
    assert "--read-only" not in child_argv(hostile, "alice", read_only=False)


async def test_a_hostile_file_name_is_one_argument_never_shell_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    path = folder / "a b;touch x$(id).toml"
    shutil.copy(EXAMPLE, path)
    client, _ = await _client(_config(path))
    try:
        await client.get(f"/?token={TOKEN}")
        ws = await _open_session(client)
        try:
            frame = await _first_frame(ws)
            assert frame
        finally:
            await ws.close()  # type: ignore[attr-defined]
    finally:
        await client.close()
    assert sorted(p.name for p in folder.iterdir()) == ["a b;touch x$(id).toml"]


def test_the_web_server_never_imports_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui.web.server;"
        " print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
