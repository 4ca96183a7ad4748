"""What a running app shows, as plain text: the lines a person reads on the screen."""

from __future__ import annotations

import io
import re
from typing import Any

from rich.console import Console
from textual.app import App
from textual.geometry import Region


def screen_lines(app: App[Any], region: Region | None = None) -> list[str]:
    """The current screen (modal screens over what they cover) as lines of plain text.

    With a region, only what is inside it (e.g. a dialog, without the views around it).
    """
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    lines = console.export_text(styles=False).splitlines()
    if region is None:
        return lines
    return [line[region.x : region.right] for line in lines[region.y : region.bottom]]


_FRAME = re.compile("[\u2500-\u259f]")
"""Box drawing and block characters: frames, rules and scroll bars, not words."""


def screen_text(app: App[Any], region: Region | None = None) -> str:
    """The screen's words with every run of white space (line ends too) made one space.

    A cell wrapped over several lines of a column reads as its whole sentence
    when the other columns are blank beside its continuation lines; frames and
    scroll bars count as white space.
    """
    return " ".join(_FRAME.sub(" ", " ".join(screen_lines(app, region))).split())
