"""The one-line status bar at the top of the dashboard.

It changes on every key (it names the selected project), so it draws its
`Content` straight into one cached `Strip` instead of going through the
general text layout (wrapping, alignment) that a `Static` pays on each update:
about a fifth of the cost, and the same look.
"""

from __future__ import annotations

from textual.content import Content
from textual.strip import Strip
from textual.widgets import Static


class StatusLine(Static):
    """A single line of `Content`, cut to the width; `render()` still gives the whole content."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
    }
    """

    def __init__(self, content: Content, *, id: str | None = None) -> None:
        super().__init__(content, id=id, markup=False)
        self._content = content
        self._strip: Strip | None = None
        self._strip_key: tuple[int, object] | None = None

    def show(self, content: Content) -> None:
        """Draw `content`; the same text and styles again repaints nothing."""
        if content.is_same(self._content):
            return
        self._content = content
        self._strip = None
        self.update(content, layout=False)  # kept for `render()`; drawing uses `_content`

    def render_line(self, y: int) -> Strip:
        """The content on line 0 in the widget's own style, padded, or cut with an ellipsis."""
        style = self.visual_style
        if y:
            return Strip.blank(self.size.width, style.rich_style)
        key = (self.size.width, style)
        if self._strip is None or self._strip_key != key:
            content = self._content.truncate(self.size.width, ellipsis=True)
            segments = content.render_segments(style)
            strip = Strip(segments).adjust_cell_length(self.size.width, style.rich_style)
            self._strip, self._strip_key = strip, key
        return self._strip
