"""The web server of `mlfolio web`: textual-serve's, with access control and a safe child.

textual-serve runs one dashboard process per browser tab and speaks its
websocket protocol; on its own it has no security (any page's websocket is
accepted, no authentication, no cap, a directory index on `/static`, a shell
command line, an external font). This module wraps it:

- a middleware lets in only the run's token (then a cookie) or, with
  `--trust-proxy-header`, the proxy's user; it sets a strict
  Content-Security-Policy on every response;
- the websocket checks `Origin` and the session cap before anything starts;
- the child is started from an argv list (`create_subprocess_exec`), never a
  shell string; running under Textual's web driver (`App.is_web`), it delivers
  exports and snapshots through the `/download/KEY` route instead of writing
  them on this machine;
- the page is our own template, and static files are served without an index;
- every response, streamed ones (websockets, downloads) included, carries the
  security headers, set just before its headers are sent.

This process never imports Textual (only textual-serve, aiohttp and Rich).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server, to_int

from tui.web.security import (
    COOKIE,
    CSP,
    allowed_hosts,
    attachment,
    identify,
    origin_allowed,
)

log = logging.getLogger("mlfolio.web")

HERE = Path(__file__).resolve().parent
WILDCARDS = ("0.0.0.0", "::", "")


def child_argv(path: Path, user: str, *, read_only: bool) -> list[str]:
    """The dashboard's command line, as a list: the file name is one argument, never parsed."""
    argv = [sys.executable, "-P", "-m", "tui.cli", "open", str(path), f"--user={user}"]
    if read_only:
        argv.append("--read-only")
    return argv


@dataclass(slots=True)
class WebConfig:
    """What one run of `mlfolio web` serves, and to whom."""

    path: Path
    token: str
    user: str
    host: str = "127.0.0.1"
    port: int = 8000
    editing: bool = False
    max_sessions: int = 8
    proxy_header: str | None = None
    say: Callable[[str], None] = field(default=print)


class DashboardService(AppService):
    """textual-serve's app service, starting the child from an argv list, never a shell."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class WebServer(Server):
    """The dashboard served to browsers, behind a token or a trusted proxy."""

    def __init__(self, config: WebConfig) -> None:
        super().__init__(
            command="mlfolio",
            host=config.host,
            port=config.port,
            title=f"mlfolio: {config.path.name}",
            templates_path=HERE,
        )
        self.config = config
        self.sessions = 0
        self.download_manager = DownloadManager()

    # -- the application ---------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.on_response_prepare.append(_security_headers)
        import aiohttp_jinja2
        import jinja2

        aiohttp_jinja2.setup(
            app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        return app

    def make_app(self) -> web.Application:
        """The aiohttp application, for `web.run_app` and aiohttp's test client."""
        return asyncio.get_event_loop().run_until_complete(self._make_app())

    def served(self) -> str:
        return f"{self.config.host}:{self.config.port}"

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        verdict = identify(
            request.query.get("token"),
            request.cookies.get(COOKIE),
            request.headers,
            token=self.config.token,
            proxy_header=self.config.proxy_header,
        )
        if verdict.status != 200:
            self._refuse(request, verdict.reason)
            response: web.StreamResponse = web.Response(
                status=verdict.status, text=f"403 Forbidden: {verdict.reason}\n"
            )
        elif verdict.set_cookie:
            query = {k: v for k, v in request.query.items() if k != "token"}
            location = str(request.rel_url.with_query(query))
            response = web.Response(status=302, headers={"Location": location})
            response.set_cookie(
                COOKIE, self.config.token, httponly=True, samesite="Strict", path="/"
            )
        else:
            request["user"] = verdict.user or self.config.user
            response = await handler(request)  # an HTTPException is aiohttp's to answer
        return response

    def _refuse(self, request: web.Request, reason: str) -> None:
        """Log one refused request: who, what path (never the query, which may hold a token)."""
        self.config.say(f"refused {request.remote} {request.method} {request.path}: {reason}")

    # -- routes -----------------------------------------------------------------

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """Stream a file a dashboard delivers (an export, a snapshot) to the browser, once.

        textual-serve's own handler puts the file name into Content-Disposition
        as it is; a name with a quote, a semicolon or non-ASCII letters would
        break the header, so it is quoted here (RFC 6266, `filename*` in UTF-8).
        """
        key = request.match_info["key"]
        try:
            meta = await self.download_manager.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="404: no such download (each link works once)\n") from None
        response = web.StreamResponse()
        content_type = meta.mime_type
        if meta.encoding:
            content_type += f"; charset={meta.encoding}"
        response.headers["Content-Type"] = content_type
        response.headers["Content-Disposition"] = attachment(meta.file_name)
        await response.prepare(request)
        async for chunk in self.download_manager.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        import aiohttp_jinja2

        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "title": self.title,
            "read_only": not self.config.editing,
            "websocket_url": self._websocket_url(request),
        }
        return aiohttp_jinja2.render_template("page.html", request, context)

    def _websocket_url(self, request: web.Request) -> str:
        """The websocket's address as the browser reached this page (through a proxy too)."""
        secure = request.secure
        host = request.host
        if self.config.proxy_header is not None:
            secure = secure or request.headers.get("X-Forwarded-Proto", "") == "https"
            host = request.headers.get("X-Forwarded-Host", host).split(",")[0].strip()
        return f"{'wss' if secure else 'ws'}://{host}/ws"

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        hosts = allowed_hosts(
            request.headers, self.served(), trust_proxy=self.config.proxy_header is not None
        )
        if self.config.host in ("127.0.0.1", "localhost"):
            hosts.add(f"localhost:{self.config.port}")
            hosts.add(f"127.0.0.1:{self.config.port}")
        if self.config.host in WILDCARDS and request.host:
            hosts.add(request.host.lower())
        origin = request.headers.get("Origin")
        if not origin_allowed(origin, hosts):
            self._refuse(request, f"websocket from another origin ({origin or 'none'})")
            return web.Response(status=403, text="403 Forbidden: wrong origin\n")
        if self.sessions >= self.config.max_sessions:
            self._refuse(request, f"{self.config.max_sessions} sessions already open")
            return web.Response(
                status=503, text=f"503: {self.config.max_sessions} sessions already open\n"
            )
        user = str(request["user"])
        self.sessions += 1
        self.config.say(f"session for {user} from {request.remote} ({self.sessions} open)")
        try:
            return await self._run_session(request, user)
        finally:
            self.sessions -= 1
            self.config.say(f"{user} left ({self.sessions} open)")

    async def _run_session(self, request: web.Request, user: str) -> web.StreamResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        service: DashboardService | None = None
        try:
            await websocket.prepare(request)
            service = DashboardService(
                child_argv(self.config.path, user, read_only=not self.config.editing),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
            raise
        except Exception:
            log.exception("session failed")
        finally:
            if service is not None:
                await service.stop()
        return websocket


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """The headers every response gets, set as its headers are about to be sent.

    A middleware's changes after the handler come too late for a streamed
    response (a download, a websocket): its headers left with `prepare`.
    """
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"


async def serve_until_stopped(config: WebConfig) -> int:
    """Run the server until SIGINT or SIGTERM."""
    import signal

    server = WebServer(config)
    app = await server._make_app()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    await site.start()
    if config.port == 0:
        config.port = int(runner.addresses[0][1])
    host = f"[{config.host}]" if ":" in config.host else config.host
    mode = "editing" if config.editing else "read-only"
    config.say(f"mlfolio web: {config.path} ({mode}), at most {config.max_sessions} sessions")
    if config.proxy_header is None:
        config.say(f"open http://{host}:{config.port}/?token={config.token}")
    else:
        config.say(f"listening on http://{host}:{config.port}/ (user from {config.proxy_header})")
    if config.host not in ("127.0.0.1", "localhost", "::1"):
        config.say("reachable from other machines: put it behind HTTPS")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
    return 0
