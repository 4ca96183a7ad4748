"""`mlfolio web`: exports and snapshots reach the browser as downloads, never the server's disk.

Each test runs the real server in the test's loop (aiohttp's test client) with
a real dashboard child, opens a session as the page would, presses the keys a
person would, then fetches the file the dashboard announced from the
`/download/KEY` route, as the page's script does. The portfolio's folder, the
working folder and the home folder are compared before and after: nothing may
appear on the server, in a read-only session or an editing one.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import shutil
import tomllib
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient, TestServer

from tui.web.security import attachment
from tui.web.server import WebConfig, WebServer

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "portfolio" / "example.toml"
TOKEN = "download-test-token"
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[a-zA-Z]")

Client = TestClient[web.Request, web.Application]


class Session:
    """One browser tab's websocket: what the dashboard drew, and the downloads it announced."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.raw = b""
        self.deliveries: asyncio.Queue[str] = asyncio.Queue()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == WSMsgType.BINARY:
                self.raw += message.data
            elif message.type == WSMsgType.TEXT:
                packet = json.loads(message.data)
                if isinstance(packet, list) and packet[:1] == ["deliver_file_start"]:
                    self.deliveries.put_nowait(str(packet[1]))

    async def shows(self, text: bytes, since: int = 0, seconds: float = 30.0) -> None:
        """Wait until `text` is drawn after byte `since`; fail naming it otherwise."""
        async with asyncio.timeout(seconds):
            while text not in ESCAPES.sub(b"", self.raw[since:]):  # noqa: ASYNC110 (polls bytes)
                await asyncio.sleep(0.05)

    async def press(self, key: str, then: bytes | None = None) -> None:
        """Send one key as the page does; wait for `then` to be drawn when given."""
        mark = len(self.raw)
        await self.ws.send_str(json.dumps(["stdin", key]))
        if then is not None:
            await self.shows(then, mark)

    async def export_as_offered(self) -> None:
        """X, then Enter on the format (Markdown) and on the name offered, as a person would."""
        await self.press("X", b"your browser downloads it")
        await asyncio.sleep(0.5)
        await self.press("\r")  # the format: the name's box takes the focus
        await asyncio.sleep(0.5)
        await self.press("\r")

    async def delivery(self, seconds: float = 20.0) -> str:
        """The key of the next file the dashboard offers for download."""
        try:
            async with asyncio.timeout(seconds):
                return await self.deliveries.get()
        except TimeoutError:
            screen = ESCAPES.sub(b"", self.raw[-3000:]).decode(errors="replace")
            raise AssertionError(f"no download offered; the screen ends with {screen!r}") from None

    async def close(self) -> None:
        await self.ws.close()
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


@pytest.fixture
async def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A portfolio in a folder of its own; the working and home folders are in tmp_path too."""
    (tmp_path / "team").mkdir()
    (tmp_path / "cwd").mkdir()
    (tmp_path / "home").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "team" / "p.toml")
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    return tmp_path


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@contextlib.asynccontextmanager
async def _session(path: Path, *, editing: bool) -> AsyncIterator[tuple[Client, Session]]:
    lines: list[str] = []
    config = WebConfig(path=path, token=TOKEN, user="viewer", editing=editing, say=lines.append)
    server = WebServer(config)
    client: Client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    config.port = client.port or 0
    try:
        assert (await client.get(f"/?token={TOKEN}")).status == 200
        ws = await client.ws_connect(
            "/ws?width=120&height=36", headers={"Origin": f"http://127.0.0.1:{client.port}"}
        )
        session = Session(ws)
        try:
            await session.shows(b"feasibility", seconds=60.0)
            yield client, session
        finally:
            await session.close()
    finally:
        await client.close()


async def _download(client: Client, key: str) -> tuple[bytes, Any]:
    response = await client.get(f"/download/{key}")
    assert response.status == 200
    return await response.read(), response.headers


@pytest.mark.parametrize("editing", [False, True], ids=["read-only", "editing"])
async def test_exports_and_snapshots_are_downloads_and_nothing_is_written(
    place: Path, editing: bool
) -> None:
    before = _tree(place)
    async with _session(place / "team" / "p.toml", editing=editing) as (client, session):
        await session.export_as_offered()
        key = await session.delivery()
        body, headers = await _download(client, key)
        assert body.startswith(b"# "), body[:80]
        assert b"## Projects" in body
        assert headers["Content-Type"] == "text/markdown; charset=utf-8"
        assert headers["Content-Disposition"].startswith('attachment; filename="')
        assert ".md" in headers["Content-Disposition"]
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        again = await client.get(f"/download/{key}")
        assert again.status == 404, "a download link works once"

        await session.press("N", b"Label:")
        await session.press("\r")  # the label as offered
        key = await session.delivery()
        body, headers = await _download(client, key)
        assert headers["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = sorted(archive.namelist())
            assert [Path(n).suffix for n in names] == [".md", ".toml"]
            assert Path(names[0]).stem == Path(names[1]).stem
            toml_text = archive.read(names[1]).decode()
        assert toml_text.startswith("# mlfolio snapshot: ")
        assert tomllib.loads(toml_text)["projects"], "the snapshot holds the portfolio"
        await session.shows(b"to your browser")
    assert _tree(place) == before, "a web session wrote on the server"


async def test_a_download_without_the_token_is_refused(place: Path) -> None:
    async with _session(place / "team" / "p.toml", editing=False) as (client, session):
        await session.export_as_offered()
        key = await session.delivery()
        client.session.cookie_jar.clear()
        response = await client.get(f"/download/{key}")
        assert response.status == 403
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]


async def test_an_unknown_download_is_404(place: Path) -> None:
    lines: list[str] = []
    config = WebConfig(path=place / "team" / "p.toml", token=TOKEN, user="v", say=lines.append)
    client: Client = TestClient(TestServer(await WebServer(config)._make_app()))
    await client.start_server()
    try:
        await client.get(f"/?token={TOKEN}")
        response = await client.get("/download/0123456789abcdef")
        assert response.status == 404
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    finally:
        await client.close()


def test_a_download_name_cannot_break_its_header() -> None:
    header = attachment('rapport été "final";\\x.md')
    assert header == (
        'attachment; filename="rapport _t_ _final_;_x.md";'
        " filename*=UTF-8''rapport%20%C3%A9t%C3%A9%20%22final%22%3B%5Cx.md"
    )
    assert attachment("plain.md") == "attachment; filename=\"plain.md\"; filename*=UTF-8''plain.md"
