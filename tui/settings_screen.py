"""The portfolio settings, one key away (`,`): every setting with its value, editable.

Enter on a row asks for a new value; `core` validates it (the `SetSetting`
edit builds the new `Settings`, and its refusal names the field), and the
change goes through `Host.apply_edit`, so undo, redo, history, saving and
replay treat it like any other edit. A read-only session shows the values
and refuses to change them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from core.edits.changes import EditError, SetSetting
from core.models.settings import Settings
from tui.dialogs import TextPrompt
from tui.host import Host
from tui.text import plain

CLOSE_KEYS = "escape,q,ctrl+g,comma"
READ_ONLY = "read-only session: settings are shown, not changed"


def setting_rows(settings: Settings) -> list[tuple[str, Any]]:
    """Every setting as (dotted path, value), nested groups flattened, in the model's order."""

    def walk(prefix: str, data: dict[str, Any]) -> list[tuple[str, Any]]:
        rows: list[tuple[str, Any]] = []
        for key, value in data.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                rows += walk(f"{path}.", value)
            else:
                rows.append((path, value))
        return rows

    return walk("", settings.model_dump())


def parse_value(path: str, current: Any, text: str) -> Any:
    """The typed text as a value of the current value's type; ValueError naming the field."""
    if isinstance(current, bool):  # no boolean setting today; kept honest for a future one
        raise ValueError(f"{path}: booleans are not editable here")
    if isinstance(current, int):
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{path}: {text!r} is not a whole number") from None
    if isinstance(current, float):
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{path}: {text!r} is not a number") from None
    return text


def _shown(value: Any) -> str:
    return plain(str(value))


class SettingsScreen(ModalScreen[None]):
    """Every portfolio setting with its current value; Enter edits the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(CLOSE_KEYS, "dismiss", "Close", id="settings.close"),
        Binding("u,ctrl+z", "app.undo", "Undo", id="settings.undo"),
        Binding("U,ctrl+y", "app.redo", "Redo", id="settings.redo"),
    ]

    def __init__(self, host: Host) -> None:
        super().__init__()
        self._host = host

    def _settings(self) -> Settings:
        session = self._host.session
        return session.portfolio.settings if session is not None else Settings()

    def _options(self) -> list[Option]:
        rows = setting_rows(self._settings())
        width = max(len(path) for path, _ in rows) + 2
        return [
            Option(Content(f"{path.ljust(width)}{_shown(value)}"), id=path) for path, value in rows
        ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="settings-dialog"):
            yield Label("Portfolio settings", classes="dialog-title")
            yield OptionList(*self._options(), id="settings-list")
            yield Static("", id="settings-message", classes="dialog-message")
            hint = "Enter changes the highlighted setting; u undoes; q, Esc or , closes."
            if self._host.read_only:
                hint = "Read-only: settings are shown, not changed. q, Esc or , closes."
            yield Label(hint, classes="muted")

    def on_mount(self) -> None:
        self.query_one("#settings-list", OptionList).focus()

    def refresh_settings(self) -> None:
        """Show the settings as the portfolio now has them, keeping the highlight."""
        options = self.query_one("#settings-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = highlighted

    def say(self, message: str) -> None:
        """Show one line under the list (a refusal, or what changed)."""
        self.query_one("#settings-message", Static).update(Content(plain(message)))

    @on(OptionList.OptionSelected, "#settings-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        path = event.option.id
        if path is None:
            return
        if self._host.read_only or self._host.session is None:
            self.say(READ_ONLY)
            return
        current = dict(setting_rows(self._settings()))[path]
        prompt = TextPrompt(f"Setting {path}", f"New value of {path}:", value=str(current))
        self._host.push_screen(prompt, lambda text: self._submit(path, current, text))

    def _submit(self, path: str, current: Any, text: str | None) -> None:
        """Validate the typed value through `core`, then apply it as an edit."""
        session = self._host.session
        if text is None or session is None:
            return
        try:
            edit = SetSetting(path, parse_value(path, current, text))
            edit.apply(session.portfolio, session.now(), session.user)  # refusal names the field
        except (ValueError, EditError) as error:
            self.say(str(error))
            return
        if self._host.apply_edit(edit):
            self.say(edit.describe())
        self.refresh_settings()

    async def action_dismiss(self, result: None = None) -> None:
        """Close the settings."""
        self.dismiss(None)
