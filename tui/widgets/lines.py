"""Pieces shared by the widgets that draw their own lines (Textual's Line API).

The grid, its legend, the board and the ranking list each lay a line out as
runs of plain text, each run named by a role (a component class suffix), and
turn the runs into a `Strip` only when Textual asks for the line. User text
only ever becomes a segment's text, never markup.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

Run = tuple[str, str]
"""A stretch of one line: its text and the role (component class suffix) that styles it."""


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, ending in an ellipsis when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def runs_strip(
    widget: Widget, prefix: str, runs: list[Run], width: int, styles: dict[str, Style]
) -> Strip:
    """A line of runs as a Strip `width` cells wide, each run styled by its component class.

    `styles` is the widget's cache of its base style (key "") and component styles:
    `rich_style` walks every ancestor, so it is worked out once per style change
    (the widget empties the cache in `notify_style_update`), not once per line.
    The role "" is the base style.
    """
    base = styles.get("")
    if base is None:
        base = styles[""] = widget.rich_style
    segments = []
    for text, role in runs:
        style = styles.get(role)
        if style is None:
            style = styles[role] = widget.get_component_rich_style(f"{prefix}--{role}")
        segments.append(Segment(text, style))
    return Strip(segments).adjust_cell_length(width, base)
