"""`mlfolio web`: the dashboard in a browser, one process per tab, secure by default.

Only the command line lives here, so that `mlfolio` with any other command
stays fast: aiohttp and textual-serve are imported when `web` runs, and
Textual never is in this process (each tab's dashboard is a process of its own).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.arguments import port, positive

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 8

Handler = Callable[[argparse.Namespace], int]


def _header(text: str) -> str:
    if not text or not all(c.isalnum() or c in "-_" for c in text):
        raise argparse.ArgumentTypeError(f"not an HTTP header name: {text!r}")
    return text


def register(sub: Any, handlers: dict[str, Handler]) -> None:
    """Add the `web` subcommand to the `mlfolio` parser's subparsers."""
    p = sub.add_parser(
        "web",
        help="serve the dashboard to web browsers (read-only unless --editing)",
        description=(
            "Serve the dashboard on FILE to web browsers, one process per tab, behind a"
            " secret token printed at start. Ctrl-C stops the server."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--host", default=DEFAULT_HOST, help="address (default: %(default)s)")
    p.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help="port (default: %(default)s; 0 picks one)"
    )
    p.add_argument("--editing", action="store_true", help="allow edits (default: read-only)")
    p.add_argument(
        "--max-sessions",
        metavar="N",
        type=positive,
        default=DEFAULT_MAX_SESSIONS,
        help="tabs open at once (default: %(default)s)",
    )
    p.add_argument(
        "--trust-proxy-header",
        metavar="NAME",
        type=_header,
        help="a reverse proxy authenticates users and names them in header NAME;"
        " no token is asked for (only behind such a proxy)",
    )
    handlers["web"] = cmd_web


def _say(line: str) -> None:
    print(line, flush=True)


def cmd_web(args: argparse.Namespace) -> int:
    """Serve the dashboard to browsers until interrupted."""
    import asyncio

    from portfolio import LoadError, load
    from tui.text import plain
    from tui.web.security import new_token
    from tui.web.server import WebConfig, serve_until_stopped

    path = Path(args.file).resolve()
    if not path.is_file():
        sys.stderr.write(f"mlfolio web: {plain(args.file)}: no such file\n")
        return 1
    try:
        load(path)
    except LoadError as error:
        for line in error.errors:
            sys.stderr.write(plain(line) + "\n")
        return 1
    config = WebConfig(
        path=path,
        token=new_token(),
        user=getpass.getuser() or "web",
        host=args.host,
        port=args.port,
        editing=args.editing,
        max_sessions=args.max_sessions,
        proxy_header=args.trust_proxy_header,
        say=_say,
    )
    try:
        return asyncio.run(serve_until_stopped(config))
    except OSError as error:
        sys.stderr.write(f"mlfolio web: cannot listen on {args.host}:{args.port}: {error}\n")
        return 1
