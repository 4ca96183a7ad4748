"""Messages the views post up to the app."""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget


class ProjectSelected(Message):
    """A view moved its selection to a project; the app makes every other view follow.

    Each view subclasses this as its own nested `Selected`, so handlers can tell
    where a selection came from while the app treats them all alike.
    """

    def __init__(self, view: Widget, project_id: str) -> None:
        super().__init__()
        self.view = view
        self.project_id = project_id
        """The id of the newly selected project."""

    @property
    def control(self) -> Widget:
        """The view that posted the message."""
        return self.view
