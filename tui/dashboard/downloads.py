"""Exports and snapshots as browser downloads, for a dashboard served by `mlfolio web`.

A dashboard in a browser tab runs on the server, under Textual's web driver
(`App.is_web`). Writing its exports and snapshots beside the portfolio would
leave them on a machine the person at the browser cannot reach, and would let
a read-only viewer write files there. So a web session writes nothing: the
file is rendered in memory (in a worker thread) and handed to Textual's
`deliver_text` / `deliver_binary`, which streams it to the browser through
textual-serve's single-use `/download/KEY` route. A snapshot, two files on
disk, travels as one zip of those two files, since a browser may let a page
start only one download per keypress.
"""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from typing import TYPE_CHECKING, Final

from core.models import Portfolio
from portfolio.output import render_export
from portfolio.snapshots import snapshot_archive, snapshot_texts

if TYPE_CHECKING:
    from portfolio.output import ExportRequest
    from tui.host import Host

MIME_TYPES: Final = {
    "md": "text/markdown",
    "html": "text/html",
    "json": "application/json",
    "csv": "text/csv",
    "svg": "image/svg+xml",
}
"""The content type of each export format, as the browser is told."""

WHERE: Final = "File name (your browser downloads it):"
"""The export dialog's prompt for the name in a web session (instead of a server folder)."""


async def deliver_export(
    host: Host, request: ExportRequest, portfolio: Portfolio, now: datetime, svg: str | None
) -> None:
    """Render one export in a thread and send it to the browser; nothing touches the disk."""
    text, _summary = await asyncio.to_thread(render_export, request.fmt, portfolio, now, svg=svg)
    host.deliver_text(
        io.StringIO(text),
        save_filename=request.name,
        open_method="download",
        encoding="utf-8",
        mime_type=MIME_TYPES.get(request.fmt, "text/plain"),
        name="export",
    )
    host.tell(f"sent {request.name} to your browser (no download? allow pop-ups here)")


def _archive(portfolio: Portfolio, now: datetime, label: str) -> tuple[str, bytes]:
    return snapshot_archive(snapshot_texts(portfolio, now=now, label=label))


async def deliver_snapshot(host: Host, portfolio: Portfolio, now: datetime, label: str) -> None:
    """Send a snapshot (its TOML and report, zipped) to the browser; nothing touches the disk."""
    name, data = await asyncio.to_thread(_archive, portfolio, now, label)
    host.deliver_binary(
        io.BytesIO(data),
        save_filename=name,
        open_method="download",
        mime_type="application/zip",
        name="snapshot",
    )
    host.tell(f"sent the snapshot {name} to your browser (no download? allow pop-ups here)")
