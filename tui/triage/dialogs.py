"""Triage's own dialogs: who is there (`AttendeesPrompt`) and which decision (`DecisionMenu`).

`DECISION_KEYS` ties each decision to its key, shared by the menu and the
triage screen's bindings and hints.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from core.triage import DecisionKind
from tui.dialogs import Dialog, TextPrompt
from tui.text import plain

DECISION_KEYS: tuple[tuple[DecisionKind, str, str], ...] = (
    (DecisionKind.ADVANCE, "f", "move it forward one stage (a parked project resumes)"),
    (DecisionKind.BACK, "b", "send it back to an earlier stage, with a reason"),
    (DecisionKind.PARK, "p", "park it"),
    (DecisionKind.KILL, "x", "kill it"),
    (DecisionKind.KEEP, "space", "keep it as it is"),
    (DecisionKind.RESCORE, "r", "rescore it in the project editor"),
)
"""The decisions, with their key in the triage screen and what each does."""


def parse_attendees(text: str) -> tuple[str, ...]:
    """Names from a comma-separated line: trimmed, control characters dropped, no repeats."""
    names: list[str] = []
    for part in text.split(","):
        name = " ".join(plain(part).split())
        if name and name not in names:
            names.append(name)
    return tuple(names)


class AttendeesPrompt(TextPrompt):
    """Who is at the session: the lead's name prefilled, the cursor after it to add others."""

    def __init__(self, lead: str) -> None:
        super().__init__(
            "Triage session", "Attendees (comma-separated):", lead, "e.g. ann, bo, chen"
        )

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one("#text", Input).action_end)


class DecisionMenu(Dialog[DecisionKind]):
    """Pick a decision for the current agenda item: by its letter (the same as in the triage
    screen), or by moving to it and pressing Enter.

    Nothing is highlighted at first, so a bare Enter decides nothing: a decision
    that moves a project is always a deliberate choice.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"choose('{kind.name}')", kind.value, priority=True, id=f"decide.{key}")
            for kind, key, _ in DECISION_KEYS
        ),
    ]

    def __init__(self, title: str, allowed: tuple[DecisionKind, ...]) -> None:
        super().__init__(title)
        self._allowed = allowed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield OptionList(
                *(
                    Option(Content(f"{_key_name(key):>5}  {kind.value}: {what}"), id=kind.name)
                    for kind, key, what in DECISION_KEYS
                    if kind in self._allowed
                ),
                id="decisions",
            )
            yield Static(
                "Press a decision's letter, or move to it and press Enter; ctrl+g cancels.",
                classes="muted",
            )
            yield Static("", id="dialog-message", classes="dialog-message")

    def on_mount(self) -> None:
        options = self.query_one("#decisions", OptionList)
        options.focus()
        self.call_after_refresh(setattr, options, "highlighted", None)

    def action_choose(self, name: str) -> None:
        """Take the decision `name` (a `DecisionKind` member) if it applies here."""
        kind = DecisionKind[name]
        if kind in self._allowed:
            self.dismiss(kind)
        else:
            self.refuse(f"{kind.value} does not apply to this project")

    @on(OptionList.OptionSelected, "#decisions")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(DecisionKind[str(event.option.id)])


def _key_name(key: str) -> str:
    """A key as the menu shows it."""
    return "spc" if key == "space" else key


__all__ = ["DECISION_KEYS", "AttendeesPrompt", "DecisionMenu", "parse_attendees"]
