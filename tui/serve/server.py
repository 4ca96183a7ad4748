"""The SSH endpoint of `mlfolio serve`: who gets in, how many at once, and a clean stop.

Each accepted session runs the dashboard in its own process
(`tui.serve.session`); this process never imports Textual. Keys are checked
against a `KeyRing`, re-read when its files change.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
from asyncssh.sftp import MIN_SFTP_VERSION

from tui.serve.keys import USER_NAME, Access, HostKey, KeyRing
from tui.serve.session import BoundedProcess, DashboardSession, Limits, child_argv, child_env
from tui.text import plain

STOP_GRACE_S = 8.0
"""How long a stop waits for dashboards to quit on their own before killing them."""

KEEPALIVE_S = 30.0
"""Silence after which a client is probed; three unanswered probes drop it."""

LOGIN_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class ServeConfig:
    """Everything one `mlfolio serve` needs."""

    path: Path
    host_key: HostKey
    keys: KeyRing
    host: str = "127.0.0.1"
    port: int = 2222
    max_sessions: int = 16
    say: Callable[[str], None] = print
    """Where the one-line log messages go."""
    limits: Limits = field(default_factory=Limits)
    """What each session's dashboard may use."""


def _line(text: str) -> bytes:
    """A message for a client whose terminal is in raw mode."""
    return f"mlfolio serve: {text}\r\n".encode()


class _Connection(asyncssh.SSHServer):
    """One client connection: public keys only, checked against the key ring."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.connection: asyncssh.SSHServerConnection | None = None
        self.address = ""
        self.access: Access | None = None
        self.user = ""
        self.refused: dict[str, str] = {}
        """Fingerprints of the keys offered and refused (with why, when known), for the log."""
        self.authenticated = False

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.connection = conn
        peer = conn.get_extra_info("peername")
        self.address = str(peer[0]) if peer else ""
        self.endpoint.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.connection is not None:
            self.endpoint.connections.discard(self.connection)
        if self.refused and not self.authenticated:
            keys = ", ".join(f"{key}{why}" for key, why in self.refused.items())
            self.endpoint.config.say(
                f"mlfolio serve: refused {plain(self.user)!r} from {self.address}: no key of"
                f" theirs is let in ({keys})"
            )

    def begin_auth(self, username: str) -> bool:
        self.user = username
        for warning in self.endpoint.config.keys.refresh():
            self.endpoint.config.say(f"mlfolio serve: {warning}")
        return True

    def session_requested(self) -> BoundedProcess:
        """Each session is a process whose terminal size is clamped (`serve_session.MAX_SIZE`)."""
        return BoundedProcess(self.endpoint.handle, None, MIN_SFTP_VERSION, False)

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        # The signed request is checked last, so `access` ends as the key actually used.
        keys = self.endpoint.config.keys
        self.access = keys.match(key, self.address, self.address, user=username)
        if self.access is None:
            names = keys.names_of(key)
            why = f": that key is for {', '.join(map(repr, names))}" if names else ""
            self.refused[str(key.get_fingerprint("sha256"))] = plain(why)
        return self.access is not None

    def auth_completed(self) -> None:
        self.authenticated = True


class Endpoint:
    """The listening server, its connections and its live dashboard sessions."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.sessions: dict[int, DashboardSession] = {}
        """Live sessions by a serial number."""
        self._serial = 0
        self._handlers: set[asyncio.Task[None]] = set()
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self.stopping = False

    async def start(self) -> None:
        """Listen; OSError when the address cannot be bound."""
        self._acceptor = await asyncssh.create_server(
            lambda: _Connection(self),
            self.config.host,
            self.config.port,
            server_host_keys=[self.config.host_key.key],
            encoding=None,
            line_editor=False,
            public_key_auth=True,
            password_auth=False,
            kbdint_auth=False,
            host_based_auth=False,
            gss_host=None,
            agent_forwarding=False,
            x11_forwarding=False,
            keepalive_interval=KEEPALIVE_S,
            login_timeout=LOGIN_TIMEOUT_S,
            config=None,
        )

    @property
    def port(self) -> int:
        """The port listened on (the chosen one when asked for port 0)."""
        assert self._acceptor is not None
        return int(self._acceptor.get_port())

    def describe(self) -> str:
        """The start line: where, which file, the host key, and who may connect."""
        config = self.config
        editors, viewers = config.keys.counts()
        host = f"[{config.host}]" if ":" in config.host else config.host
        exposed = "" if _is_loopback(config.host) else " (reachable from other machines)"
        created = " (new)" if config.host_key.created else ""
        return (
            f"mlfolio serve: {plain(str(config.path))} on {host}:{self.port}{exposed}"
            f" · host key {config.host_key.fingerprint}{created}"
            f" · {editors} editing key{'s' if editors != 1 else ''},"
            f" {viewers} read-only · at most {config.max_sessions} sessions"
        )

    async def handle(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        """Run one session: refuse it with a line, or run the dashboard until it ends."""
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            await self._handle(process)
        finally:
            if task is not None:
                self._handlers.discard(task)

    async def _handle(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        config = self.config
        user = str(process.get_extra_info("username") or "")
        owner = process.channel.get_connection().get_owner()
        access = owner.access if isinstance(owner, _Connection) else None
        refusal = self._refusal(process, user, access)
        if refusal is not None or access is None:
            process.stderr.write(_line(refusal or "not authorised"))
            process.exit(1)
            config.say(f"mlfolio serve: refused a session for {plain(user)!r}: {refusal}")
            return
        argv = child_argv(config.path, access.name, read_only=access.read_only)
        env = child_env(os.environ, process.get_terminal_type(), process.env)
        session = DashboardSession(process, argv, env, config.limits)
        self._serial += 1
        serial = self._serial
        self.sessions[serial] = session
        mode = "read-only" if access.read_only else "editing"
        try:
            try:
                await session.start()
            except OSError as error:
                process.stderr.write(_line(f"cannot start the dashboard ({error.strerror})"))
                process.exit(1)
                config.say(f"mlfolio serve: cannot start a dashboard: {error}")
                return
            config.say(
                f"mlfolio serve: {plain(user)} connected ({mode}, key {access.where}),"
                f" pid {session.pid}"
            )
            status = await session.run()
            config.say(f"mlfolio serve: {plain(user)} left (pid {session.pid}, status {status})")
        finally:
            if session.child is not None and session.child.returncode is None:
                await session.end()
            session.release()
            del self.sessions[serial]

    def _refusal(
        self, process: asyncssh.SSHServerProcess[bytes], user: str, access: Access | None
    ) -> str | None:
        """Why this session cannot have a dashboard, in one line; None when it can."""
        if access is None:
            return "not authorised"
        if self.stopping:
            return "the server is stopping"
        if process.get_terminal_type() is None:
            return "the dashboard needs a terminal: connect with ssh -t"
        if process.command is not None or process.subsystem is not None:
            return "this endpoint only runs the dashboard: connect without a command"
        if not USER_NAME.fullmatch(user):
            return (
                "use a user name of letters, digits and . _ @ + - (at most 64):"
                " it is recorded with every edit"
            )
        if len(self.sessions) >= self.config.max_sessions:
            limit = self.config.max_sessions
            plural = "s" if limit != 1 else ""
            return f"all {limit} session{plural} this server allows are open; try again later"
        return None

    async def stop(self, grace: float = STOP_GRACE_S) -> None:
        """Stop listening, let every dashboard quit (then kill the stragglers), close clients."""
        self.stopping = True
        if self._acceptor is not None:
            self._acceptor.close()
        for session in list(self.sessions.values()):
            session.hang_up()
        handlers = set(self._handlers)
        if handlers:
            _, late = await asyncio.wait(handlers, timeout=grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        for session in list(self.sessions.values()):
            await session.end()
        for conn in list(self.connections):
            conn.close()
        for conn in list(self.connections):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(conn.wait_closed(), 2.0)
        if self._acceptor is not None:
            await self._acceptor.wait_closed()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def serve_until_stopped(config: ServeConfig) -> int:
    """Serve until SIGINT, SIGTERM or SIGHUP, then stop cleanly; the exit status."""
    endpoint = Endpoint(config)
    try:
        await endpoint.start()
    except OSError as error:
        reason = error.strerror or str(error)
        config.say(f"mlfolio serve: cannot listen on {config.host}:{config.port}: {reason}")
        return 1
    config.say(endpoint.describe())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        count = len(endpoint.sessions)
        await endpoint.stop()
    config.say(f"mlfolio serve: stopped ({count} session{'s' if count != 1 else ''} ended)")
    return 0
