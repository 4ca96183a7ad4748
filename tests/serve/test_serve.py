"""`mlfolio serve`: keys, sessions, resizes, caps and clean stops, driven by asyncssh's client."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import termios
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import asyncssh
import pytest
from factories import EXAMPLE, ROOT

from core.models import Stage
from portfolio import load
from tui.cli import _parser
from tui.cli import main as cli_main
from tui.serve.keys import KeyFileError, KeyRing, host_key, parse_authorized_keys
from tui.serve.server import Endpoint, ServeConfig
from tui.serve.session import MAX_SIZE, NICE, DashboardSession, Limits, child_env

MLFOLIO = Path(sys.executable).with_name("mlfolio")
NAME = "Northwind ML portfolio"
"""The example portfolio's name: the status line shows it from the first frame on."""

WAIT_S = 60.0
"""A failure guard for anything that waits on a dashboard; never a timing assertion."""

ROW_48 = re.compile(rb"\x1b\[48;\d+H")
"""The cursor sent to line 48, where a dashboard laid out for 48 lines draws its last line."""

_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[@-Z\\-_]"
)


def _text(data: bytes) -> str:
    """What a terminal would print, roughly: escape sequences dropped."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


def _processes() -> Iterator[tuple[int, bytes, int]]:
    """Every process's id, command line and parent, from /proc."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        yield int(entry.name), cmdline, int(fields[1])


def _dashboards_of(parent: int) -> list[int]:
    """Live or unreaped processes of `parent` that run the dashboard."""
    return [
        pid
        for pid, cmdline, ppid in _processes()
        if ppid == parent and b"tui.cli" in cmdline and b"open" in cmdline
    ]


def _gone(pid: int) -> bool:
    """Whether `pid` has exited and been reaped."""
    return not Path(f"/proc/{pid}").exists()


# -- a client terminal ---------------------------------------------------------------


class Client:
    """One SSH session with a terminal: keys in, text out."""

    def __init__(
        self, conn: asyncssh.SSHClientConnection, process: asyncssh.SSHClientProcess[bytes]
    ):
        self.conn = conn
        self.process = process
        self.output = bytearray()
        self.mark = 0

    @classmethod
    async def open(
        cls, port: int, key: asyncssh.SSHKey, user: str = "alice", size: tuple[int, int] = (120, 30)
    ) -> Client:
        conn = await connect(port, key, user)
        process = await conn.create_process(
            term_type="xterm-256color", term_size=size, encoding=None
        )
        return cls(conn, process)

    async def expect(self, text: str) -> str:
        """Read until `text` shows after the mark; the text read since the mark."""
        await self.read_until(lambda data: text in _text(data), repr(text))
        return _text(bytes(self.output[self.mark :]))

    async def read_until(self, found: Callable[[bytes], bool], what: str) -> None:
        """Read until `found` holds for the output after the mark."""
        deadline = time.monotonic() + WAIT_S
        while not found(bytes(self.output[self.mark :])):
            seen = _text(bytes(self.output[self.mark :]))[-2000:]
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{what} never showed; the output was:\n{seen}")
            try:
                chunk = await asyncio.wait_for(self.process.stdout.read(65_536), left)
            except TimeoutError:
                continue
            if not chunk:
                raise AssertionError(f"the session ended before {what}:\n{seen}")
            self.output += chunk

    async def press(self, keys: bytes, then: str) -> str:
        """Type `keys` and wait for `then` to show in what they cause."""
        self.mark = len(self.output)
        self.process.stdin.write(keys)
        return await self.expect(then)

    async def close(self) -> None:
        self.conn.close()
        await self.conn.wait_closed()


async def connect(port: int, key: asyncssh.SSHKey, user: str) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        username=user,
        client_keys=[key],
        known_hosts=None,
        config=None,
        agent_path=None,
        preferred_auth="publickey",
    )


async def eventually(condition: Callable[[], bool]) -> None:
    """Poll `condition` until it holds, or WAIT_S passes (the caller then asserts)."""
    for _ in range(int(WAIT_S / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)


async def select_demand_forecasting(client: Client) -> None:
    """Select the project (in data, sixth in the ranking) whose `f` needs no dialog."""
    await client.press(b"4", "9 of 9 projects")
    await client.press(b"\x1b[B" * 4, "▸ Weekly")  # fifth of the open projects


# -- fixtures ------------------------------------------------------------------------


class Keys:
    """A team: alice and bob may edit, viewer may only look, stranger is nobody."""

    def __init__(self, folder: Path) -> None:
        self.alice = asyncssh.generate_private_key("ssh-ed25519", comment="alice@laptop")
        self.bob = asyncssh.generate_private_key("ssh-ed25519", comment="bob")
        self.viewer = asyncssh.generate_private_key("ssh-ed25519", comment="viewer")
        self.stranger = asyncssh.generate_private_key("ssh-ed25519", comment="alice")
        self.authorized = folder / "authorized_keys"
        self.read_only = folder / "read_only_keys"
        self.authorized.write_bytes(
            b"# the team\n" + self.alice.export_public_key() + self.bob.export_public_key()
        )
        self.read_only.write_bytes(self.viewer.export_public_key())


@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    return Keys(tmp_path)


@pytest.fixture
def portfolio_path(tmp_path: Path) -> Path:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    return path


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder


class LoggedEndpoint(Endpoint):
    """An endpoint that keeps its log lines."""

    log: list[str]


def make_endpoint(
    path: Path, keys: Keys, state_home: Path, max_sessions: int = 4
) -> LoggedEndpoint:
    log: list[str] = []
    config = ServeConfig(
        path=path,
        host_key=host_key(None),
        keys=KeyRing(keys.authorized, keys.read_only),
        port=0,
        max_sessions=max_sessions,
        say=log.append,
    )
    endpoint = LoggedEndpoint(config)
    endpoint.log = log
    return endpoint


@contextlib.asynccontextmanager
async def running(server: LoggedEndpoint) -> AsyncIterator[LoggedEndpoint]:
    """Serve for the duration; afterwards no dashboard of ours may be left, reaped or not."""
    await server.start()
    try:
        yield server
    finally:
        await server.stop(grace=5.0)
        assert not server.sessions
        assert _dashboards_of(os.getpid()) == [], "a dashboard outlived its server"


@pytest.fixture
async def endpoint(
    portfolio_path: Path, keys: Keys, state_home: Path
) -> AsyncIterator[LoggedEndpoint]:
    async with running(make_endpoint(portfolio_path, keys, state_home)) as server:
        yield server


# -- sessions --------------------------------------------------------------------------


async def test_an_unknown_key_is_refused(endpoint: LoggedEndpoint, keys: Keys) -> None:
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(endpoint.port, keys.stranger, "alice")
    fingerprint = keys.stranger.get_fingerprint("sha256")
    await eventually(lambda: any(fingerprint in line for line in endpoint.log))
    assert [line for line in endpoint.log if fingerprint in line] == [
        f"mlfolio serve: refused 'alice' from 127.0.0.1: no key of theirs is let in ({fingerprint})"
    ]
    assert not endpoint.sessions


async def test_an_authorized_key_gets_the_dashboard_and_edits_as_its_user(
    endpoint: Endpoint, keys: Keys, portfolio_path: Path
) -> None:
    client = await Client.open(endpoint.port, keys.alice, user="alice")
    try:
        await client.expect(NAME)
        await select_demand_forecasting(client)
        client.process.stdin.write(b"f")

        def moved() -> bool:
            project = load(portfolio_path).project("demand-forecasting")
            return project is not None and project.stage is Stage.TRAINING

        await eventually(moved)
        project = load(portfolio_path).project("demand-forecasting")
        assert project is not None
        assert project.stage is Stage.TRAINING
        assert project.history[-1].by == "alice"
        assert project.updated_by == "alice"
    finally:
        await client.close()


async def test_pasted_text_never_runs_keys(
    endpoint: Endpoint, keys: Keys, portfolio_path: Path
) -> None:
    """A paste holding the end marker and `f` (`note ESC[201~f`) moves nothing; a real
    `f` afterwards moves the project exactly one stage."""
    client = await Client.open(endpoint.port, keys.alice, user="alice")
    try:
        await client.expect(NAME)
        await select_demand_forecasting(client)
        client.process.stdin.write(b"\x1b[200~note \x1b[201~f \x1b[201~")
        client.process.stdin.write(b"f")

        def moved() -> bool:
            project = load(portfolio_path).project("demand-forecasting")
            return project is not None and project.stage is not Stage.DATA

        await eventually(moved)
        await asyncio.sleep(1.0)  # a second move, were the paste to run `f`, would land by now
        project = load(portfolio_path).project("demand-forecasting")
        assert project is not None
        assert project.stage is Stage.TRAINING
    finally:
        await client.close()


async def test_a_read_only_key_cannot_change_the_file(
    endpoint: Endpoint, keys: Keys, portfolio_path: Path
) -> None:
    before = portfolio_path.read_bytes()
    client = await Client.open(endpoint.port, keys.viewer, user="viewer")
    try:
        assert "READ-ONLY" in await client.expect(NAME)
        await select_demand_forecasting(client)
        # Keys are handled in order: once the history shows, `f` was handled and refused.
        await client.press(b"f" + b"H", "History of Weekly demand")
    finally:
        await client.close()
    assert portfolio_path.read_bytes() == before


async def test_a_resize_lays_the_dashboard_out_again(endpoint: Endpoint, keys: Keys) -> None:
    client = await Client.open(endpoint.port, keys.alice, size=(80, 24))
    try:
        first = await client.expect(NAME)
        assert "recommendations on the storefront home page" not in first
        assert not ROW_48.search(client.output)
        client.mark = len(client.output)
        client.process.change_terminal_size(160, 48)
        # The full title fits now, and the app draws on line 48, which did not exist.
        await client.expect("recommendations on the storefront home page")
        await client.read_until(lambda data: bool(ROW_48.search(data)), "a line drawn at row 48")
    finally:
        await client.close()


async def test_disconnecting_leaves_no_dashboard_behind(endpoint: Endpoint, keys: Keys) -> None:
    client = await Client.open(endpoint.port, keys.alice)
    await client.expect(NAME)
    (session,) = endpoint.sessions.values()
    pid = session.pid
    assert pid is not None
    assert not _gone(pid)
    await client.close()  # no `q`: the connection just goes away
    await eventually(lambda: not endpoint.sessions and _gone(pid))
    assert not endpoint.sessions
    assert _gone(pid)


async def test_the_session_cap_holds_and_frees_up(
    portfolio_path: Path, keys: Keys, state_home: Path
) -> None:
    async with running(make_endpoint(portfolio_path, keys, state_home, 1)) as endpoint:
        await _fill_and_free(endpoint, keys)


async def _fill_and_free(endpoint: Endpoint, keys: Keys) -> None:
    """One session fills a cap of one; the next is refused; once it leaves, another gets in."""
    first = await Client.open(endpoint.port, keys.alice)
    await first.expect(NAME)
    refused = await first.conn.create_process(term_type="xterm", term_size=(80, 24), encoding=None)
    message = await asyncio.wait_for(refused.stderr.read(), WAIT_S)
    await asyncio.wait_for(refused.wait_closed(), WAIT_S)
    assert refused.exit_status == 1
    assert message.decode() == (
        "mlfolio serve: all 1 session this server allows are open; try again later\r\n"
    )
    assert len(endpoint.sessions) == 1
    await first.close()
    await eventually(lambda: not endpoint.sessions)
    second = await Client.open(endpoint.port, keys.bob, user="bob")
    try:
        await second.expect(NAME)
    finally:
        await second.close()


async def test_a_session_without_a_terminal_or_with_a_command_is_refused(
    endpoint: Endpoint, keys: Keys
) -> None:
    conn = await connect(endpoint.port, keys.alice, "alice")
    try:
        bare = await asyncio.wait_for(conn.run(encoding=None), WAIT_S)
        command = await asyncio.wait_for(
            conn.run("rm -rf /", term_type="xterm", encoding=None), WAIT_S
        )
    finally:
        conn.close()
        await conn.wait_closed()
    assert bare.exit_status == 1
    assert bare.stderr == b"mlfolio serve: the dashboard needs a terminal: connect with ssh -t\r\n"
    assert command.exit_status == 1
    assert b"only runs the dashboard" in (command.stderr or b"")
    assert not endpoint.sessions


async def test_a_key_lets_in_only_the_name_it_is_bound_to(
    endpoint: LoggedEndpoint, keys: Keys
) -> None:
    for name in ("bob", "-rf x", "alice@laptop"):
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(endpoint.port, keys.alice, name)
    fingerprint = keys.alice.get_fingerprint("sha256")
    await eventually(lambda: sum(fingerprint in line for line in endpoint.log) == 3)
    expected = (
        f"mlfolio serve: refused 'bob' from 127.0.0.1: no key of theirs is let in"
        f" ({fingerprint}: that key is for 'alice')"
    )
    assert expected in endpoint.log
    client = await Client.open(endpoint.port, keys.alice, user="alice")
    await client.expect(NAME)
    await client.close()


# -- the command -----------------------------------------------------------------------


@pytest.fixture
def server_process(
    portfolio_path: Path, keys: Keys, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    argv = [str(MLFOLIO), "serve", str(portfolio_path), "--port", "0"]
    argv += ["--authorized-keys", str(keys.authorized), "--read-only-keys", str(keys.read_only)]
    server = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        found = re.search(r" on 127\.0\.0\.1:(\d+) ", line)
        assert found, line
        yield server, int(found.group(1))
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


async def test_ctrl_c_stops_the_server_and_ends_its_sessions_cleanly(
    server_process: tuple[subprocess.Popen[str], int], keys: Keys, tmp_path: Path
) -> None:
    server, port = server_process
    client = await Client.open(port, keys.alice)
    await client.expect(NAME)
    children = _dashboards_of(server.pid)
    assert len(children) == 1
    client.mark = len(client.output)
    server.send_signal(signal.SIGINT)
    rest = await asyncio.wait_for(client.process.stdout.read(), WAIT_S)
    said = await asyncio.wait_for(client.process.stderr.read(), WAIT_S)
    await asyncio.wait_for(client.process.wait_closed(), WAIT_S)
    assert b"\x1b[?1049l" in rest, "the dashboard did not leave its screen"
    assert said == b"\r\nmlfolio serve: the server is stopping\r\n"
    assert client.process.exit_status == 0
    await client.close()
    assert await asyncio.to_thread(server.wait, WAIT_S) == 0
    assert server.stdout is not None
    log = server.stdout.read()
    assert "alice connected (editing" in log
    assert "stopped (1 session ended)" in log
    assert all(_gone(pid) for pid in children)
    key = tmp_path / "state" / "mlfolio" / "ssh_host_ed25519_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_serve_refuses_bad_arguments_in_one_line(
    portfolio_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "keys"
    good = asyncssh.generate_private_key("ssh-ed25519", comment="ann").export_public_key()
    bad.write_bytes(good + b"not a key\n")
    assert cli_main(["serve", str(portfolio_path), "--authorized-keys", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{bad}:2: not a public key line" in err
    assert cli_main(["serve", str(tmp_path / "nope.toml"), "--authorized-keys", str(bad)]) == 1
    assert "nope.toml: no such file" in capsys.readouterr().err
    missing = tmp_path / "missing"
    assert cli_main(["serve", str(portfolio_path), "--authorized-keys", str(missing)]) == 1
    assert capsys.readouterr().err == (
        f"mlfolio serve: {missing}: cannot read the keys (No such file or directory)\n"
    )


def test_open_takes_a_user_and_read_only() -> None:
    parser, _ = _parser()
    args = parser.parse_args(["open", "p.toml", "--user=alice", "--read-only"])
    assert (args.user, args.read_only) == ("alice", True)
    args = parser.parse_args(["open", "p.toml"])
    assert (args.user, args.read_only) == (None, False)


# -- keys --------------------------------------------------------------------------------


def test_the_host_key_is_made_once_private_and_reused(state_home: Path) -> None:
    first = host_key(None)
    assert first.created
    assert first.path == state_home / "mlfolio" / "ssh_host_ed25519_key"
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert first.path.with_name("ssh_host_ed25519_key.pub").exists()
    again = host_key(None)
    assert not again.created
    assert again.fingerprint == first.fingerprint
    assert again.fingerprint.startswith("SHA256:")


def test_a_host_key_others_can_read_is_refused(state_home: Path, tmp_path: Path) -> None:
    made = host_key(None)
    os.chmod(made.path, 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        host_key(None)
    with pytest.raises(KeyFileError, match="no such host key"):
        host_key(tmp_path / "absent")


def test_key_lines_honour_from_and_skip_keys_not_meant_for_a_terminal(tmp_path: Path) -> None:
    plain_key = asyncssh.generate_private_key("ssh-ed25519", comment="ann")
    remote = asyncssh.generate_private_key("ssh-ed25519", comment="ann")
    forced = asyncssh.generate_private_key("ssh-ed25519", comment="ann")
    text = "\n".join(
        [
            plain_key.export_public_key().decode().strip(),
            'from="10.0.0.0/8" ' + remote.export_public_key().decode().strip(),
            'command="backup" ' + forced.export_public_key().decode().strip(),
        ]
    )
    authorized = tmp_path / "keys"
    authorized.write_text(text)
    ring = KeyRing(authorized)
    assert ring.match(plain_key.convert_to_public(), "127.0.0.1", "127.0.0.1") is not None
    assert ring.match(remote.convert_to_public(), "127.0.0.1", "127.0.0.1") is None
    assert ring.match(remote.convert_to_public(), "10.1.2.3", "10.1.2.3") is not None
    assert ring.match(forced.convert_to_public(), "127.0.0.1", "127.0.0.1") is None


def test_read_only_wins_and_changed_files_are_read_again(keys: Keys) -> None:
    ring = KeyRing(keys.authorized, keys.read_only)
    alice = ring.match(keys.alice.convert_to_public(), "127.0.0.1", "127.0.0.1")
    viewer = ring.match(keys.viewer.convert_to_public(), "127.0.0.1", "127.0.0.1")
    assert alice is not None
    assert not alice.read_only
    assert viewer is not None
    assert viewer.read_only
    assert ring.counts() == (2, 1)
    # Alice is demoted to viewing: the ring notices the file changed.
    with keys.read_only.open("ab") as file:
        file.write(keys.alice.export_public_key())
    assert ring.refresh() == []
    demoted = ring.match(keys.alice.convert_to_public(), "127.0.0.1", "127.0.0.1")
    assert demoted is not None
    assert demoted.read_only
    # A broken edit keeps the keys read before, and says so.
    keys.authorized.write_text("garbage\n")
    (warning,) = ring.refresh()
    assert f"{keys.authorized}:1" in warning
    assert ring.match(keys.bob.convert_to_public(), "127.0.0.1", "127.0.0.1") is not None


def test_parse_errors_name_the_file_and_line() -> None:
    with pytest.raises(KeyFileError, match=r"^team:3: not a public key line"):
        parse_authorized_keys("# comment\n\nssh-rsa nonsense\n", "team", read_only=False)


def test_the_child_gets_the_clients_terminal_not_the_servers() -> None:
    server = {"PATH": "/bin", "COLUMNS": "80", "LINES": "24", "TERM": "screen", "COLORTERM": "x"}
    env = child_env(server, "xterm-kitty", {"COLORTERM": "truecolor", "EVIL": "1"})
    expected = {"PATH": "/bin", "TERM": "xterm-kitty", "COLORTERM": "truecolor"}
    assert env == expected | {"MLFOLIO_SERVED": "1"}  # served: no preferences file
    assert child_env(server, None, {})["TERM"] == "xterm-256color"


def test_serve_keeps_textual_and_asyncssh_out_of_the_other_commands() -> None:
    code = (
        "import sys, tui.cli; a = 'asyncssh' in sys.modules;"
        " import tui.serve.server; print(a, 'textual' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["False", "False"]


def test_the_serve_benchmark_runs_end_to_end_and_cleans_up() -> None:
    if str(ROOT) not in sys.path:  # `bench` is not installed; the checkout is importable
        sys.path.insert(0, str(ROOT))
    from bench import serve_bench
    from bench.harness import Budget, Options, Row

    emitted: list[Row] = []
    smoke = Options(budget=Budget(repeat=1, warmup=0), sizes=(20,))
    rows = serve_bench.measure(smoke, emitted.append, views=("grid",))
    assert [row.case for row in rows] == [
        "session start: first frame",
        "key ↓ grid: 1st burst",
        "key ↓ grid: all output",
    ]
    assert emitted == rows
    assert all(row.ours_ns > 0 and row.reference_ns > 0 for row in rows)
    left = [pid for pid, cmdline, _ in _processes() if b"mlfolio-bench-serve-" in cmdline]
    assert left == [], "the server, a session or a dashboard outlived the benchmark"


# -- bounds ----------------------------------------------------------------------------


def _terminal_size(session: DashboardSession) -> tuple[int, int]:
    """The dashboard's terminal size as the kernel holds it: (columns, lines)."""
    assert session._kept is not None
    packed = fcntl.ioctl(session._kept, termios.TIOCGWINSZ, b"\0" * 8)
    lines, columns, _, _ = struct.unpack("HHHH", packed)
    return columns, lines


async def test_a_huge_window_is_clamped_at_start_and_on_resize(
    endpoint: Endpoint, keys: Keys
) -> None:
    client = await Client.open(endpoint.port, keys.alice, size=(65535, 65535))
    try:
        await client.expect(NAME)
        (session,) = endpoint.sessions.values()
        assert _terminal_size(session) == MAX_SIZE == (500, 200)
        client.process.change_terminal_size(100, 30)
        await eventually(lambda: _terminal_size(session) == (100, 30))
        assert _terminal_size(session) == (100, 30)
        client.process.change_terminal_size(65535, 65535)
        await eventually(lambda: _terminal_size(session) == MAX_SIZE)
        assert _terminal_size(session) == MAX_SIZE
    finally:
        await client.close()


async def test_each_dashboard_runs_with_memory_and_cpu_limits_and_a_lower_priority(
    portfolio_path: Path, keys: Keys, state_home: Path
) -> None:
    server = make_endpoint(portfolio_path, keys, state_home)
    limits = Limits(memory_bytes=900 << 20, cpu_seconds=1234)
    server.config = replace(server.config, limits=limits)
    async with running(server) as endpoint:
        client = await Client.open(endpoint.port, keys.alice)
        try:
            await client.expect(NAME)
            (session,) = endpoint.sessions.values()
            pid = session.pid
            assert pid is not None
            table = Path(f"/proc/{pid}/limits").read_text()
            assert re.search(r"Max address space\s+943718400\s+943718400\s+bytes", table), table
            assert re.search(r"Max cpu time\s+1234\s+1234\s+seconds", table), table
            ours = os.getpriority(os.PRIO_PROCESS, 0)
            assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, ours + NICE)
        finally:
            await client.close()


# -- identity, expiry and file modes ----------------------------------------------------------


def _line(key: asyncssh.SSHKey, options: str = "") -> str:
    return options + key.export_public_key().decode().strip()


def test_the_name_comes_from_the_option_else_the_comment_and_bad_lines_are_logged(
    tmp_path: Path,
) -> None:
    named = asyncssh.generate_private_key("ssh-ed25519", comment="carol@desk")
    nameless = asyncssh.generate_private_key("ssh-ed25519")
    expired = asyncssh.generate_private_key("ssh-ed25519", comment="dave")
    later = asyncssh.generate_private_key("ssh-ed25519", comment="erin")
    forced = asyncssh.generate_private_key("ssh-ed25519", comment="fred")
    lines = [
        _line(named, 'mlfolio-user="alice" '),
        _line(nameless),
        _line(expired, 'expiry-time="20200101" '),
        _line(later, 'expiry-time="20991231Z" '),
        _line(forced, 'command="backup" '),
        _line(nameless, 'mlfolio-user="a b" '),
        _line(nameless, 'expiry-time="soon" '),
    ]
    path = tmp_path / "keys"
    path.write_text("\n".join(lines) + "\n")
    ring = KeyRing(path)
    here = ("127.0.0.1", "127.0.0.1")
    alice = ring.match(named.convert_to_public(), *here, user="alice")
    assert alice is not None
    assert alice.name == "alice"
    assert ring.match(named.convert_to_public(), *here, user="carol") is None
    assert ring.match(later.convert_to_public(), *here, user="erin") is not None
    after = datetime(2100, 1, 1, tzinfo=UTC)
    assert ring.match(later.convert_to_public(), *here, user="erin", now=after) is None
    assert ring.match(expired.convert_to_public(), *here, user="dave") is None
    assert [line.split(": key skipped: ")[0] for line in ring.skipped] == [
        f"{path}:{n}" for n in (2, 3, 5, 6, 7)
    ]
    assert "expired on 2020-01-01" in ring.skipped[1]
    assert "command=" in ring.skipped[2]
    for line in ring.skipped:  # the reason, never the key
        assert "AAAA" not in line
        assert "ssh-ed25519" not in line


def test_parse_keeps_a_line_usable_until_its_expiry() -> None:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="ann")
    text = _line(key, 'expiry-time="202601021530" ')
    before = datetime(2026, 1, 1, tzinfo=UTC)
    entries, skipped = parse_authorized_keys(text, "team", read_only=False, now=before)
    assert (len(entries), skipped) == (1, [])
    assert entries[0].expires == datetime(2026, 1, 2, 15, 30).astimezone()


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_a_key_file_others_can_write_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "keys"
    path.write_text(_line(asyncssh.generate_private_key("ssh-ed25519", comment="ann")) + "\n")
    path.chmod(mode)
    with pytest.raises(KeyFileError, match=r"can be written by others \(mode 0"):
        KeyRing(path)


def test_a_key_folder_others_can_write_is_refused(
    portfolio_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    path = folder / "keys"
    path.write_text(_line(asyncssh.generate_private_key("ssh-ed25519", comment="ann")) + "\n")
    folder.chmod(0o777)
    try:
        assert cli_main(["serve", str(portfolio_path), "--authorized-keys", str(path)]) == 1
    finally:
        folder.chmod(0o755)
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{folder} can be written by others (mode 0777); chmod go-w {folder}" in err


def test_a_key_file_of_another_user_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(_line(asyncssh.generate_private_key("ssh-ed25519", comment="ann")) + "\n")
    other = 4242 if os.getuid() != 4242 else 4243
    if os.getuid() != 0:
        pytest.skip("only root can give a file away; the check is the same uid comparison")
    os.chown(path, other, -1)
    with pytest.raises(KeyFileError, match=f"belongs to user id {other}"):
        KeyRing(path)
