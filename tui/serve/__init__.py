"""`mlfolio serve`: one SSH endpoint where a team opens the dashboard on one portfolio.

Only the command line lives here, so that `mlfolio` with any other command
stays fast: asyncssh and the server (`tui.serve.server`) are imported when
`serve` runs, and Textual never is, in this process (each session's dashboard
is a process of its own).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.arguments import port, positive

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2222
DEFAULT_MAX_SESSIONS = 16
DEFAULT_SESSION_MEMORY_MIB = 1024
DEFAULT_SESSION_CPU_S = 3600

Handler = Callable[[argparse.Namespace], int]


def register(sub: Any, handlers: dict[str, Handler]) -> None:
    """Add the `serve` subcommand to the `mlfolio` parser's subparsers."""
    p = sub.add_parser(
        "serve",
        help="serve the dashboard over SSH to the keys in an authorized_keys file",
        description=(
            "Serve the dashboard on FILE over SSH: each session runs it in its own process,"
            " with edits recorded under the SSH user name. Ctrl-C stops the server."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to listen on (default: %(default)s, this machine only)",
    )
    p.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help="port (default: %(default)s; 0 picks one)"
    )
    p.add_argument(
        "--host-key",
        metavar="PATH",
        type=Path,
        help="the server's private key (default: one made on first run in"
        " $XDG_STATE_HOME/mlfolio, else ~/.local/state/mlfolio)",
    )
    p.add_argument(
        "--authorized-keys",
        metavar="PATH",
        type=Path,
        required=True,
        help="public keys that may connect and edit (OpenSSH authorized_keys format)",
    )
    p.add_argument(
        "--read-only-keys",
        metavar="PATH",
        type=Path,
        help="public keys that may connect to view only",
    )
    p.add_argument(
        "--max-sessions",
        metavar="N",
        type=positive,
        default=DEFAULT_MAX_SESSIONS,
        help="sessions open at once (default: %(default)s)",
    )
    p.add_argument(
        "--session-memory",
        metavar="MIB",
        type=positive,
        default=DEFAULT_SESSION_MEMORY_MIB,
        help="address space each session's dashboard may use, in MiB (default: %(default)s)",
    )
    p.add_argument(
        "--session-cpu",
        metavar="SECONDS",
        type=positive,
        default=DEFAULT_SESSION_CPU_S,
        help="processor time each session's dashboard may use (default: %(default)s)",
    )
    handlers["serve"] = cmd_serve


def _say(line: str) -> None:
    print(line, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the dashboard over SSH until interrupted."""
    import asyncio
    import warnings

    # A fresh install gets the newest `cryptography`, which warns about DSA as
    # asyncssh is imported: that warning would be the server's first line, where
    # its start line belongs. mlfolio never offers or accepts DSA keys.
    warnings.filterwarnings("ignore", message="DSA is deprecated")

    from portfolio import LoadError, load
    from tui.serve.keys import KeyFileError, KeyRing, host_key
    from tui.serve.server import ServeConfig, serve_until_stopped
    from tui.serve.session import Limits
    from tui.text import plain

    def fail(line: str) -> int:
        sys.stderr.write(f"mlfolio serve: {plain(line)}\n")
        return 1

    path = Path(args.file).resolve()
    if not path.is_file():
        return fail(f"{args.file}: no such file; `mlfolio init {args.file}` writes the example")
    try:
        load(path)
    except LoadError as error:
        for line in error.errors:
            sys.stderr.write(plain(line) + "\n")
        return 1
    try:
        keys = KeyRing(args.authorized_keys, args.read_only_keys)
        key = host_key(args.host_key)
    except KeyFileError as error:
        return fail(str(error))
    for line in keys.skipped:
        _say(f"mlfolio serve: {line}")
    config = ServeConfig(
        path=path,
        host_key=key,
        keys=keys,
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        say=_say,
        limits=Limits(memory_bytes=args.session_memory << 20, cpu_seconds=args.session_cpu),
    )
    return asyncio.run(serve_until_stopped(config))
