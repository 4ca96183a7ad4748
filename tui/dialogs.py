"""Modal dialogs: each returns a typed result and leaves the deciding to `core`.

Every dialog can be cancelled with Escape, ctrl+g, or its Cancel button
(Escape is slow over SSH and in tmux, so it is never the only way out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.models import Stage
from core.rules.lifecycle import STAGE_TITLES
from core.vocabulary import BackReason
from tui.text import plain

CANCEL_KEYS = "escape,ctrl+g"

ResultT = TypeVar("ResultT")


@dataclass(frozen=True, slots=True)
class MoveRequest:
    """Where to move a project, and why."""

    to: Stage
    reason: str
    reason_code: str | None = None
    """A back move's reason code as picked from the lecture's list; None when none was picked."""


def _stage_label(stage: Stage) -> str:
    return f"{stage.value} — {STAGE_TITLES[stage]}"


def _code_label(code: BackReason) -> str:
    """A reason code as the list shows it: its words, then the code the file stores."""
    if code is BackReason.OTHER:
        return "other (say why below)"
    return f"{code.label} ({code.value})"


class Dialog(ModalScreen[ResultT | None]):
    """Shared frame: a titled box, cancel keys, and a message line for refusals."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(CANCEL_KEYS, "cancel", "Cancel", id="dialog.cancel")
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def frame_title(self) -> Label:
        """The dialog's heading, shown literally."""
        return Label(Content(plain(self._title)), classes="dialog-title")

    def refuse(self, message: str) -> None:
        """Show why the dialog cannot be accepted yet."""
        self.query_one("#dialog-message", Static).update(Content(plain(message)))

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


class StageReasonDialog(Dialog[MoveRequest]):
    """Pick a target stage and give a reason: back-edges, outcomes and resumes.

    For back-edges the reason codes valid on the chosen edge are offered (the
    lecture's canonical reasons, then `other`); Enter on one picks it and moves
    to the free text, which is optional for a lecture's reason and required for
    `other`. Without a pick, the text decides (`core.vocabulary.infer_back_reason`).
    """

    def __init__(
        self,
        title: str,
        targets: tuple[Stage, ...],
        reasons: dict[Stage, tuple[BackReason, ...]],
        *,
        reason_required: bool,
        confirm_label: str,
        default: Stage | None = None,
    ) -> None:
        super().__init__(title)
        self._targets = targets
        self._reasons = reasons
        self._required = reason_required
        self._confirm_label = confirm_label
        self._default = default if default in targets else targets[0]
        self._code: BackReason | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Label("Move to:")
            yield OptionList(
                *(Option(Content(_stage_label(s)), id=s.value) for s in self._targets),
                id="targets",
            )
            yield Label(
                "Reason code (Enter picks one; the lecture's, then other):", id="reasons-label"
            )
            yield OptionList(id="reasons")
            yield Label("", id="reason-code")
            label = "Reason (required):" if self._required else "Reason (optional):"
            yield Label(label)
            yield Input(placeholder="why? free text is fine", id="reason")
            yield Static("", id="dialog-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm_label, variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        targets = self.query_one("#targets", OptionList)
        targets.highlighted = self._targets.index(self._default)
        self._fill_reasons(self._default)
        targets.focus()

    def _target(self) -> Stage:
        targets = self.query_one("#targets", OptionList)
        index = targets.highlighted if targets.highlighted is not None else 0
        return self._targets[index]

    def _fill_reasons(self, stage: Stage) -> None:
        reasons = self._reasons.get(stage, ())
        option_list = self.query_one("#reasons", OptionList)
        option_list.clear_options()
        option_list.add_options([Option(Content(_code_label(r)), id=r.value) for r in reasons])
        if reasons:
            option_list.highlighted = 0
        option_list.display = bool(reasons)
        self.query_one("#reasons-label").display = bool(reasons)
        self._pick(None)

    def _pick(self, code: BackReason | None) -> None:
        """Remember the picked code and show it (nothing shown until one is picked)."""
        self._code = code
        shown = self.query_one("#reason-code", Label)
        shown.update(Content(f"Picked: {_code_label(code)}" if code is not None else ""))
        shown.display = code is not None

    @on(OptionList.OptionHighlighted, "#targets")
    def _target_changed(self, event: OptionList.OptionHighlighted) -> None:
        self._fill_reasons(self._targets[event.option_index])

    @on(OptionList.OptionSelected, "#targets")
    def _target_chosen(self) -> None:
        reasons = self.query_one("#reasons", OptionList)
        (reasons if reasons.display else self.query_one("#reason", Input)).focus()

    @on(OptionList.OptionSelected, "#reasons")
    def _reason_chosen(self, event: OptionList.OptionSelected) -> None:
        self._pick(self._reasons[self._target()][event.option_index])
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        code = self._code
        if self._required and not reason and (code is None or code is BackReason.OTHER):
            why = "say why in a few words" if code is BackReason.OTHER else "pick one or type"
            self.refuse(f"A back-edge needs a reason: {why}.")
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(MoveRequest(self._target(), reason, None if code is None else code.value))


class ConfirmDialog(Dialog[bool]):
    """A yes/no question; the safe answer has the focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yes", "Yes", id="dialog.yes"),
        Binding("n", "cancel", "No"),
    ]

    def __init__(self, title: str, body: str, yes_label: str) -> None:
        super().__init__(title)
        self._body = body
        self._yes_label = yes_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Static(Content(plain(self._body, one_line=False)), classes="dialog-body")
            yield Static("", id="dialog-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._yes_label, variant="warning", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_yes(self) -> None:
        """Accept."""
        self.dismiss(True)

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)


class TextPrompt(Dialog[str]):
    """Ask for one line of text (a file name, a title, a value)."""

    def __init__(self, title: str, prompt: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(title)
        self._prompt = prompt
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Label(Content(self._prompt))
            yield Input(value=self._value, placeholder=self._placeholder, id="text")
            yield Static("", id="dialog-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    @on(Input.Submitted, "#text")
    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        value = self.query_one("#text", Input).value.strip()
        if not value:
            self.refuse("Please type something, or cancel.")
            return
        self.dismiss(value)
