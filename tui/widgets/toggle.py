"""A yes/no toggle whose state reads without colour: `[x] optimise` / `[ ] not optimised`.

Textual's Checkbox draws the same glyph and label checked or not and tells
them apart by colour alone, which NO_COLOR and 16-colour terminals lose. Here
both the glyph and the label change; focus is shown in reverse video.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Click
from textual.reactive import reactive
from textual.widget import Widget


class Toggle(Widget, can_focus=True):
    """A check box: space or a click flips it; `value` is its state."""

    DEFAULT_CSS = """
    Toggle { width: auto; height: 1; }
    Toggle:focus { text-style: reverse; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "flip", "Toggle", show=False, id="toggle.flip"),
    ]

    value: reactive[bool] = reactive(False)

    def __init__(
        self, value: bool, on_label: str, off_label: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._labels = (on_label, off_label)
        self.set_reactive(Toggle.value, value)

    def render(self) -> Content:
        """The glyph and the label of the current state, as plain text (never markup)."""
        on_label, off_label = self._labels
        return Content(f"[x] {on_label}" if self.value else f"[ ] {off_label}")

    def action_flip(self) -> None:
        """Turn it on when off, off when on."""
        self.value = not self.value

    def on_click(self, event: Click) -> None:
        event.stop()
        self.action_flip()
