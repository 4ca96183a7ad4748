"""Pasted text stays text on its way from an SSH client to the dashboard's terminal.

A terminal in bracketed-paste mode wraps what is pasted in ESC[200~ ... ESC[201~,
and the dashboard inserts what lies between as text. Pasted text that itself
holds ESC[201~ (a web page can put it on the clipboard) would end the paste
early, and what follows it would run as key presses: `note ESC[201~f` moves a
project forward. So the server filters what the client sends: inside a paste
every ESC byte is dropped, and the paste ends at the last end marker received
so far; the content between can never hold a control sequence.
"""

from __future__ import annotations

import asyncio
import os

START = b"\x1b[200~"
END = b"\x1b[201~"
ESC = b"\x1b"
WRITE_RETRY_S = 0.01


def _partial(data: bytes, marker: bytes, shortest: int) -> int:
    """How many bytes at the end of `data` begin `marker` (at least `shortest`), else 0."""
    for size in range(min(len(marker) - 1, len(data)), shortest - 1, -1):
        if data.endswith(marker[:size]):
            return size
    return 0


class PasteGuard:
    """Client bytes in, terminal bytes out: pasted content never holds an ESC byte."""

    def __init__(self) -> None:
        self.pasting = False
        self._held = b""
        """Inside a paste, the start of an end marker cut in two, kept for the next read."""
        self._tail = b""
        """Outside a paste, the last bytes passed on, where a start marker may have begun."""

    def feed(self, data: bytes) -> bytes:
        """The bytes to pass on for `data`."""
        buffer = self._held + data
        self._held = b""
        out = bytearray()
        at = 0
        while at < len(buffer):
            if self.pasting:
                last = buffer.rfind(END, at)
                if last < 0:
                    rest = buffer[at:]
                    held = _partial(rest, END, 1)
                    if held:
                        rest, self._held = rest[:-held], rest[-held:]
                    out += rest.replace(ESC, b"")
                    break
                out += buffer[at:last].replace(ESC, b"") + END
                at = last + len(END)
                self.pasting = False
                self._tail = b""
            else:
                # Outside a paste every byte passes at once (a lone ESC is the Escape key);
                # the last few are remembered to see a start marker cut in two.
                seen = self._tail + buffer[at:]
                begin = seen.find(START)
                if begin < 0:
                    out += buffer[at:]
                    self._tail = seen[-(len(START) - 1) :]
                    break
                through = at + begin + len(START) - len(self._tail)
                out += buffer[at:through]
                at = through
                self._tail = b""
                self.pasting = True
        return bytes(out)


class GuardedTerminal:
    """The terminal's master end as asyncssh's stdin target, every byte through a PasteGuard.

    asyncssh awaits `write` for each read from the channel and `close` at the end.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.guard = PasteGuard()
        os.set_blocking(fd, False)

    async def read(self, size: int = -1) -> bytes:
        """Never called (the terminal's output goes another way); asyncssh's protocol wants it."""
        raise OSError("the guarded terminal is written to only")

    async def write(self, data: bytes) -> None:
        """Pass on what the guard lets through, waiting while the terminal is full."""
        view = memoryview(self.guard.feed(data))
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:
                await asyncio.sleep(WRITE_RETRY_S)

    async def close(self) -> None:
        """Close our end of the terminal (once)."""
        fd, self.fd = self.fd, -1
        if fd >= 0:
            os.close(fd)
