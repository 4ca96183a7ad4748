"""Unexpected errors: one line for the person, the full report in a file for whoever fixes it.

An error nobody foresaw must not show a traceback (with local variables,
which can hold anything the portfolio holds) on the terminal, which may be an
SSH client's. It shows one line naming the error and where the report went,
and the process exits non-zero. The report (the traceback without local
variables, the command line, the Python and platform) goes to
`platformdirs.user_state_dir("mlfolio")/crashes/`, private to the user.

Imported by the headless commands too: no Textual here.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from tui.text import plain

EXIT_CRASH = 70
"""The exit status after an unexpected error (EX_SOFTWARE)."""

CRASH_FOLDER = "crashes"


def crash_folder() -> Path:
    """Where crash reports go: the user's state folder for mlfolio (XDG_STATE_HOME honoured)."""
    return Path(platformdirs.user_state_dir("mlfolio")) / CRASH_FOLDER


def report_text(error: BaseException) -> str:
    """The report: when, what ran, and the traceback without local variables."""
    lines = [
        f"mlfolio crash report, {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC",
        f"command: {' '.join(map(repr, sys.argv))}",
        f"python {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(error),  # frames and source lines only, never their locals
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_report(error: BaseException) -> Path | None:
    """Write the report to a new private file; its path, or None when it could not be written."""
    folder = crash_folder()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"crash-{stamp}-{os.getpid()}.log"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(path, flags, 0o600)
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(report_text(error))
    except OSError:
        return None
    return path


def one_line(error: BaseException, report: Path | None) -> str:
    """What the person sees: the error in one plain line, and where the report is."""
    message = plain(str(error))[:200]
    what = f"{type(error).__name__}: {message}" if message else type(error).__name__
    where = f"; the full report is in {plain(str(report))}" if report else ""
    return f"mlfolio: unexpected error ({what}){where}"


def handle(error: BaseException) -> int:
    """Report an unexpected error of a command: the file, one line on stderr; the exit status."""
    report = write_report(error)
    sys.stderr.write(one_line(error, report) + "\n")
    sys.stderr.flush()
    return EXIT_CRASH
