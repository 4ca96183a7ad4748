"""The editor's rows and forms: the lines of both tabs, the value prompt and the item form.

Rows only show what `core.forms.fields` says about each field and `core.forms.items`
about each item. The prompt and the form collect text and hand it to a check
supplied by the editor, which parses it and tries the edit in `core`; they show
core's refusal and stay open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Select, Static, TextArea

from core.edits.items import Collection, Item
from core.forms.fields import (
    FieldSpec,
    Section,
    display_value,
    edit_text,
    format_scores,
    project_fields,
    value_at,
)
from core.forms.items import (
    COLLECTION_HELP,
    COLLECTION_TITLES,
    COLLECTIONS,
    SINGULAR,
    ItemDraft,
    item_fields,
    item_summary,
    toggle_labels,
)
from core.models import Baseline, Metric, Project
from tui.dialogs import Dialog
from tui.text import plain
from tui.widgets.toggle import Toggle

NAME_WIDTH = 22
LABEL_WIDTH = 30

KIND_HINTS = {
    "score": "+ / - change it · enter types 1-5",
    "optional_score": "+ / - change it · enter types 1-5 · x clears it",
    "bool": "space toggles it",
    "choice": "space or + / - cycle it · enter types it",
    "answer": "space or + / - cycle it · enter types it",
    "range": "enter types a range such as 2-4 · x clears it",
    "text": "enter edits the text (ctrl+s saves) · x empties it",
    "float": "enter types a number · x clears it",
}
"""The keys that change each kind of field, for the help panel."""


@dataclass(frozen=True, slots=True)
class Row:
    """What one line of an editor list stands for: a heading, a field, an item or an add line."""

    heading: str = ""
    spec: FieldSpec | None = None
    collection: Collection | None = None
    name: str | None = None
    """The item's name; None on a collection's 'add' line."""

    @property
    def is_heading(self) -> bool:
        """Whether the line is a section heading (not selectable)."""
        return bool(self.heading)

    @property
    def key(self) -> tuple[str, ...]:
        """What identifies the line across redraws, to keep the highlight on it."""
        if self.spec is not None:
            return ("field", self.spec.path)
        if self.collection is not None:
            return ("item", self.collection, "" if self.name is None else f"={self.name}")
        return ("heading", self.heading)


def _item_row(item: Item) -> Content:
    name = Content(f"  {plain(item.name)}").truncate(NAME_WIDTH - 1, ellipsis=True)
    name = name.truncate(NAME_WIDTH, pad=True)
    return Content.assemble(name, " ", Content(plain(item_summary(item))))


def item_rows(project: Project) -> list[tuple[Row, Content]]:
    """The items tab: per collection a heading, its items, and a line to add one."""
    rows: list[tuple[Row, Content]] = []
    for collection in COLLECTIONS:
        title = COLLECTION_TITLES[collection]
        if collection == "metrics":
            title += f" (strategy: {project.metric_strategy})"
        rows.append((Row(heading=title), Content(title)))
        items: tuple[Item, ...] = getattr(project, collection)
        for item in items:
            rows.append((Row(collection=collection, name=item.name), _item_row(item)))
        add = Content.styled(f"  + add a {SINGULAR[collection]} (a)", "italic")
        rows.append((Row(collection=collection), add))
    return rows


def item_details(item: Item) -> str:
    """Everything about an item, a line per value, for the help panel."""
    if isinstance(item, Metric):
        lines = [f"Metric {item.name}", item_summary(item)]
        if item.unit:
            lines.append(f"unit: {item.unit}")
    elif isinstance(item, Baseline):
        lines = [f"Baseline {item.name}", f"kind: {item.kind.value}"]
        if item.source:
            lines.append(f"source: {item.source}")
        lines.append(f"scores: {format_scores(item.scores) or 'none'}")
    else:
        lines = [f"Model {item.name}", f"validation: {format_scores(item.scores) or 'none'}"]
        if item.train_scores:
            lines.append(f"training: {format_scores(item.train_scores)}")
    notes = getattr(item, "notes", "")
    if notes:
        lines.append(f"notes: {notes}")
    return "\n".join(lines)


def find_item(project: Project, collection: Collection, name: str) -> Item | None:
    """The project's item called `name` in `collection`, if it is still there."""
    items: tuple[Item, ...] = getattr(project, collection)
    return next((item for item in items if item.name == name), None)


def row_help(row: Row | None, project: Project | None) -> Content:
    """The help panel for a row: the lecture's question, the keys, and the full value."""
    if row is None or project is None:
        return Content("")
    if row.spec is not None:
        spec = row.spec
        value = value_at(project, spec.path)
        full = edit_text(spec, value) if spec.multiline else display_value(spec, value)
        hint = KIND_HINTS.get(spec.kind, "enter types a new value · x empties it")
        return Content.assemble(
            (f"{spec.label}\n", "bold"),
            f"{spec.help}\n",
            (f"{hint}\n\n", "italic"),
            Content(plain(full, one_line=False)),
        )
    if row.collection is not None:
        if row.name is None:
            hint = f"enter or a adds a {SINGULAR[row.collection]}"
            return Content.assemble(f"{COLLECTION_HELP[row.collection]}\n", (hint, "italic"))
        item = find_item(project, row.collection, row.name)
        details = item_details(item) if item is not None else ""
        hint = "enter edits it · x removes it"
        return Content.assemble(Content(plain(details, one_line=False)), (f"\n{hint}", "italic"))
    sections = {section.title: section.help for section in project_fields(project)}
    return Content(sections.get(row.heading, ""))


class ItemForm(Dialog[ItemDraft]):
    """A small form for one metric, baseline or model; returns the drafted item.

    `check` turns the form's texts into a draft, or says why it cannot be
    one; the form stays open showing that message until it is fixed or
    cancelled (Esc, ctrl+g or Cancel).
    """

    DEFAULT_CSS = """
    ItemForm .form-row { height: auto; margin-bottom: 0; }
    ItemForm .form-label { width: 20; padding-right: 1; }
    ItemForm .form-row Input, ItemForm .form-row Select { width: 1fr; }
    ItemForm .form-hint { margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
    ]

    def __init__(
        self,
        title: str,
        collection: Collection,
        texts: dict[str, str],
        check: Callable[[dict[str, str]], ItemDraft | str],
    ) -> None:
        super().__init__(title)
        self._collection = collection
        self._texts = texts
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield self.frame_title()
            for spec in item_fields(self._collection):
                with Horizontal(classes="form-row"):
                    yield Static(Content(spec.label), classes="form-label")
                    yield self._widget(spec, self._texts.get(spec.path, ""))
            yield Static(
                Content("enter or ctrl+s saves · Esc or ctrl+g cancels"), classes="muted form-hint"
            )
            yield Static("", id="dialog-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _widget(self, spec: FieldSpec, text: str) -> Input | Select[str] | Toggle:
        widget_id = f"field-{spec.path}"
        if spec.kind == "bool":
            return Toggle(text == "yes", *toggle_labels(spec), id=widget_id)
        if spec.choices:
            options = [(choice, choice) for choice in spec.choices]
            value = text if text in spec.choices else spec.choices[0]
            return Select(options, value=value, allow_blank=False, id=widget_id, compact=True)
        return Input(text, placeholder=spec.help, id=widget_id, compact=True)

    def on_mount(self) -> None:
        self.query_one("#field-name", Input).focus()

    def texts(self) -> dict[str, str]:
        """What the form holds now, as text per field."""
        texts: dict[str, str] = {}
        for spec in item_fields(self._collection):
            widget = self.query_one(f"#field-{spec.path}")
            if isinstance(widget, Toggle):
                texts[spec.path] = "yes" if widget.value else "no"
            elif isinstance(widget, Select):
                texts[spec.path] = str(widget.value)
            elif isinstance(widget, Input):
                texts[spec.path] = widget.value
        return texts

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        """Check the form; close with the draft when it is accepted."""
        result = self._check(self.texts())
        if isinstance(result, str):
            self.refuse(result)
            return
        self.dismiss(result)


@dataclass(frozen=True, slots=True)
class TypedValue:
    """A value typed into a prompt and parsed (None is a value here: it clears the field)."""

    value: Any


class FieldPrompt(Dialog[TypedValue]):
    """Ask for a field's new value: one line, or a text area for notes (ctrl+s saves).

    `check` parses and tries the text; the prompt stays open showing its
    message until the value is accepted or the prompt is cancelled.
    """

    DEFAULT_CSS = """
    FieldPrompt #value-area { height: 10; }
    FieldPrompt .prompt-help { margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="prompt.save"),
    ]

    def __init__(
        self,
        spec: FieldSpec,
        text: str,
        check: Callable[[str], TypedValue | str],
        preview: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(f"{spec.section} · {spec.label}")
        self._spec = spec
        self._text = text
        self._check = check
        self._preview = preview
        """Given the text typed so far, the project's derived figures with it (drawn live)."""

    def compose(self) -> ComposeResult:
        spec = self._spec
        with Vertical(classes="dialog"):
            yield self.frame_title()
            yield Static(Content(spec.help), classes="prompt-help muted")
            if spec.multiline:
                yield TextArea(self._text, id="value-area", soft_wrap=True)
                hint = "ctrl+s saves · Esc or ctrl+g cancels"
            else:
                yield Input(self._text, id="value-input", placeholder=_placeholder(spec))
                hint = "enter saves · Esc or ctrl+g cancels"
            yield Static(Content(hint), classes="muted")
            if self._preview is not None:
                yield Static(Content(self._preview(self._text)), id="prompt-preview")
            yield Static("", id="dialog-message", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="confirm", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(Input.Changed, "#value-input")
    def _typed(self, event: Input.Changed) -> None:
        """Redraw the derived figures for what is typed so far."""
        if self._preview is not None:
            self.query_one("#prompt-preview", Static).update(Content(self._preview(event.value)))

    def on_mount(self) -> None:
        if self._spec.multiline:
            area = self.query_one("#value-area", TextArea)
            area.move_cursor(area.document.end)
            area.focus()
        else:
            self.query_one("#value-input", Input).focus()

    def _value_text(self) -> str:
        if self._spec.multiline:
            return self.query_one("#value-area", TextArea).text
        return self.query_one("#value-input", Input).value

    @on(Input.Submitted, "#value-input")
    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        """Check the typed value; close with it when it is accepted."""
        result = self._check(self._value_text())
        if isinstance(result, str):
            self.refuse(result)
            return
        self.dismiss(result)


def _placeholder(spec: FieldSpec) -> str:
    if spec.choices:
        return " / ".join(spec.choices)
    if spec.kind == "range":
        return "e.g. 2-4, or nothing to clear it"
    return "nothing clears it" if spec.optional else ""


def _field_row(spec: FieldSpec, value: Any) -> Content:
    """One field's line: its label in a fixed column, then its value as plain text."""
    shown = plain(display_value(spec, value))
    label = Content(f"  {spec.label}").truncate(LABEL_WIDTH - 1, ellipsis=True)
    label = label.truncate(LABEL_WIDTH, pad=True)
    return Content.assemble(label, Content(shown) if shown != "—" else ("—", "dim"))


def field_rows(sections: tuple[Section, ...], project: Project) -> list[tuple[Row, Content]]:
    """The fields tab: a heading per section, then one row per field."""
    rows: list[tuple[Row, Content]] = []
    for section in sections:
        rows.append((Row(heading=section.title), Content(section.title)))
        for spec in section.fields:
            rows.append((Row(spec=spec), _field_row(spec, value_at(project, spec.path))))
    return rows
