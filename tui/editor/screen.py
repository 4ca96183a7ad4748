"""The project editor: every field of one project, changed from the keyboard.

It lists what `core.forms.fields` and `core.forms.items` describe and turns keys
into edits for the app to apply (`SetField`, `PutItem`, `DropItem`); it never
changes the portfolio itself, and it re-reads the project after every change,
including changes that arrive from disk while it is open.
"""

from __future__ import annotations

from typing import ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import ContentSwitcher, Footer, OptionList, Static
from textual.widgets.option_list import Option

from core.edits.changes import DropItem, Edit, EditError, SetField
from core.edits.items import Collection
from core.forms.fields import (
    FieldSpec,
    cleared_value,
    display_value,
    edit_text,
    parse_value,
    project_fields,
    step,
    value_at,
)
from core.forms.items import SINGULAR, ItemDraft, item_data, item_edit, item_texts
from core.forms.readout import preview, readout, widening
from core.models import Project
from portfolio.session import Session
from tui.dialogs import ConfirmDialog
from tui.editor.items import (
    FieldPrompt,
    ItemForm,
    Row,
    TypedValue,
    field_rows,
    find_item,
    item_rows,
    row_help,
)
from tui.host import EditorHost
from tui.screens import EditorScreen
from tui.text import plain

NARROW = 100
"""Below this width the help goes under the list instead of beside it."""
POLL_SECONDS = 0.25
"""How often the editor looks whether the session's portfolio changed under it."""


class ProjectEditor(EditorScreen):
    """A full-screen editor of every field, metric, baseline and model of one project."""

    DEFAULT_CSS = """
    ProjectEditor { layout: vertical; }
    ProjectEditor #editor-header { height: 1; background: $panel; color: $foreground; }
    ProjectEditor #editor-tabs { height: 1; background: $boost; color: $text-muted; }
    ProjectEditor #editor-readout { height: auto; }
    ProjectEditor #editor-body { height: 1fr; }
    ProjectEditor #editor-switcher { width: 1fr; height: 1fr; }
    ProjectEditor OptionList { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    ProjectEditor OptionList, ProjectEditor OptionList:focus { border: none; }
    ProjectEditor OptionList > .option-list--option-disabled { color: $primary; text-style: bold; }
    ProjectEditor #editor-help { width: 42; border-left: solid $primary-muted; padding: 0 1; }
    ProjectEditor.-narrow #editor-body { layout: vertical; }
    ProjectEditor.-narrow #editor-help {
        width: 1fr; height: 7; border-left: none; border-top: solid $primary-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "type_value", "Edit", priority=True, id="editor.edit"),
        Binding("e", "type_value", "Edit", show=False, id="editor.edit_e"),
        Binding("plus,equals_sign", "step(1)", "Change", key_display="+/-", id="editor.increase"),
        Binding("minus", "step(-1)", "Decrease", show=False, id="editor.decrease"),
        Binding("space", "toggle_value", "Toggle", id="editor.toggle"),
        Binding("a", "add_item", "Add", id="editor.add"),
        Binding("x,delete", "remove", "Remove", key_display="x", id="editor.remove"),
        Binding("tab,shift+tab", "switch_tab", "Tab", key_display="tab", id="editor.switch"),
        Binding("1", "show_tab('fields')", "Fields", show=False, id="editor.fields"),
        Binding("2", "show_tab('items')", "Items", show=False, id="editor.items"),
        Binding("j", "cursor(1)", "Down", show=False, id="editor.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="editor.up"),
        Binding("q,escape,ctrl+g", "close", "Close", key_display="q", id="editor.close"),
    ]

    EDITING_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"step", "toggle_value", "type_value", "add_item", "remove"}
    )
    """Actions a read-only session disables."""

    def __init__(self, project_id: str) -> None:
        super().__init__()
        self.project_id = project_id
        self._rows: dict[str, list[Row]] = {"fields": [], "items": []}
        self._seen_version = -1

    # --------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(id="editor-header")
        yield Static(id="editor-tabs")
        yield Static(id="editor-readout", classes="muted")
        with Horizontal(id="editor-body"):
            with ContentSwitcher(initial="fields", id="editor-switcher"):
                yield OptionList(id="fields")
                yield OptionList(id="items")
            with VerticalScroll(id="editor-help"):
                yield Static(id="editor-help-text")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._relayout(self.app.size.width)
        self.refresh_project()
        self._list("fields").focus()
        self.set_interval(POLL_SECONDS, self._poll)

    def on_resize(self, event: events.Resize) -> None:
        self._relayout(event.size.width)

    def on_screen_resume(self) -> None:
        self.refresh_project()

    def _relayout(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    # ---------------------------------------------------------------- state

    @property
    def host(self) -> EditorHost:
        """The app, as far as the editor uses it."""
        return cast(EditorHost, self.app)

    def _session(self) -> Session:
        session = self.host.session
        assert session is not None, "the editor needs a loaded portfolio"
        return session

    def project(self) -> Project | None:
        """The project as it is now in the session (None once it has been removed)."""
        return self._session().portfolio.project(self.project_id)

    @property
    def tab(self) -> str:
        """The tab showing: 'fields' or 'items'."""
        return self.query_one(ContentSwitcher).current or "fields"

    def _list(self, tab: str) -> OptionList:
        return self.query_one(f"#{tab}", OptionList)

    def current_row(self) -> Row | None:
        """What the highlighted line of the showing tab stands for."""
        index = self._list(self.tab).highlighted
        rows = self._rows[self.tab]
        return rows[index] if index is not None and 0 <= index < len(rows) else None

    def _poll(self) -> None:
        session = self.host.session
        if session is not None and session.version != self._seen_version:
            self.refresh_project()

    # -------------------------------------------------------------- drawing

    def refresh_project(self, highlight: tuple[str, ...] | None = None) -> None:
        """Redraw everything from the session's current portfolio.

        `highlight` names a row to move to (e.g. an item just added).
        """
        session = self.host.session
        if session is None:
            return
        self._seen_version = session.version
        project = session.portfolio.project(self.project_id)
        self._draw_header(project)
        if project is None:
            self._fill("fields", [])
            self._fill("items", [])
        else:
            self._fill("fields", field_rows(project_fields(project), project))
            self._fill("items", item_rows(project), highlight)
        self._draw_tabs(project)
        figures = readout(project, session.portfolio.settings) if project is not None else ()
        self.query_one("#editor-readout", Static).update(Content(" " + "\n ".join(figures)))
        self._draw_help()
        self.refresh_bindings()

    def _fill(
        self, tab: str, rows: list[tuple[Row, Content]], highlight: tuple[str, ...] | None = None
    ) -> None:
        """Show `rows`, keeping the highlight on the same row (or moving it to `highlight`).

        When the rows are the same ones as before, their lines are updated in
        place, so the list neither scrolls nor flickers.
        """
        option_list = self._list(tab)
        old, new = self._rows[tab], [row for row, _ in rows]
        self._rows[tab] = new
        keys = [row.key for row in new]
        highlighted = option_list.highlighted
        if [row.key for row in old] == keys:
            for index, (_, prompt) in enumerate(rows):
                option_list.replace_option_prompt_at_index(index, prompt)
        else:
            if highlight is None and highlighted is not None and highlighted < len(old):
                highlight = old[highlighted].key
            option_list.set_options(Option(prompt, disabled=row.is_heading) for row, prompt in rows)
        if highlight in keys:
            index = keys.index(highlight)
        elif highlighted is not None:
            index = min(highlighted, len(new) - 1)
        else:
            index = 0
        while 0 <= index < len(new) - 1 and new[index].is_heading:
            index += 1
        option_list.highlighted = index if new else None

    def _draw_header(self, project: Project | None) -> None:
        mode = (" READ-ONLY ", "reverse bold") if self.host.read_only else (" Edit", "bold")
        parts: list[Content | tuple[str, str]] = [mode, (" ", "")]
        if project is None:
            parts.append(Content(f"{self.project_id}: no longer in the portfolio"))
        else:
            parts.append(Content(plain(project.title)))
            parts.append(Content(f"  ({project.id} · {project.stage.value})"))
        self.query_one("#editor-header", Static).update(Content.assemble(*parts))

    def _draw_tabs(self, project: Project | None) -> None:
        items = " 2 Metrics, baselines, models "
        if project is not None:
            counts = (len(project.metrics), len(project.baselines), len(project.models))
            items = " 2 Metrics {} · Baselines {} · Models {} ".format(*counts)
        tabs = (("fields", " 1 Fields "), ("items", items))
        parts = [Content.styled(label, "reverse" if tab == self.tab else "") for tab, label in tabs]
        parts.append(Content("  tab switches"))
        self.query_one("#editor-tabs", Static).update(Content.assemble(*parts))

    def _draw_help(self) -> None:
        help_text = row_help(self.current_row(), self.project())
        self.query_one("#editor-help-text", Static).update(help_text)

    @on(OptionList.OptionHighlighted)
    def _highlight_moved(self) -> None:
        self._draw_help()

    @on(OptionList.OptionSelected)
    def _option_chosen(self) -> None:
        """A click on a line edits it, as enter does."""
        if self.check_action("type_value", ()):
            self.action_type_value()

    # -------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in self.EDITING_ACTIONS and self.host.read_only)

    def _tell(self, message: str, *, error: bool = False) -> None:
        self.host.tell(message, error=error)

    def _apply(self, edit: Edit, highlight: tuple[str, ...] | None = None) -> None:
        self.host.apply_edit(edit)
        self.refresh_project(highlight)

    def _try(self, edit: Edit) -> str | None:
        """Why `edit` would be refused on the current portfolio, or None when it applies."""
        session = self._session()
        try:
            edit.apply(session.portfolio, session.now(), session.user)
        except EditError as error:
            return str(error)
        return None

    def action_close(self) -> None:
        """Close the editor."""
        self.dismiss(None)

    def action_cursor(self, delta: int) -> None:
        """Move the highlight down (1) or up (-1)."""
        option_list = self._list(self.tab)
        (option_list.action_cursor_down if delta > 0 else option_list.action_cursor_up)()

    def action_show_tab(self, tab: str) -> None:
        """Show the fields or the items tab."""
        self.query_one(ContentSwitcher).current = tab
        self._list(tab).focus()
        self._draw_tabs(self.project())
        self._draw_help()

    def action_switch_tab(self) -> None:
        """Switch between the fields and the items tab."""
        self.action_show_tab("items" if self.tab == "fields" else "fields")

    def _field(self) -> FieldSpec | None:
        row = self.current_row()
        if row is None or row.spec is None or self.project() is None:
            return None
        return row.spec

    def action_step(self, delta: int) -> None:
        """Raise or lower a score, or cycle a choice, by one."""
        spec = self._field()
        if spec is None:
            self._tell("+ and - change a field on the Fields tab")
            return
        if not spec.steps:
            self._tell(f"{spec.label}: press enter to type a new value")
            return
        self._step(spec, delta)

    def action_toggle_value(self) -> None:
        """Toggle a checklist item, or cycle a choice or answer."""
        spec = self._field()
        if spec is None:
            return
        if spec.kind in ("score", "optional_score"):
            self._tell(f"{spec.label}: + and - change a score")
        elif spec.steps:
            self._step(spec, 1)
        else:
            self._tell(f"{spec.label}: press enter to type a new value")

    def _step(self, spec: FieldSpec, delta: int) -> None:
        project = self.project()
        assert project is not None
        value = step(project, spec, delta)
        if value == value_at(project, spec.path):
            self._tell(f"{spec.label} is already {display_value(spec, value)}")
            return
        self._apply(SetField(self.project_id, spec.path, value))

    def action_type_value(self) -> None:
        """Type a new value for the highlighted field, or open the highlighted item's form."""
        row = self.current_row()
        project = self.project()
        if row is None or project is None:
            return
        if row.collection is not None:
            self._open_form(row.collection, row.name)
            return
        spec = row.spec
        if spec is None:
            return
        text = edit_text(spec, value_at(project, spec.path))

        def check(typed: str) -> TypedValue | str:
            try:
                value = parse_value(spec, typed)
            except ValueError as error:
                return str(error)
            if widening(project, spec.path, value) is not None:
                return TypedValue(value)  # outside its range: offered to widen it once closed
            refused = self._try(SetField(self.project_id, spec.path, value))
            return refused if refused is not None else TypedValue(value)

        def live(typed: str) -> str:
            session = self._session()
            try:
                value = parse_value(spec, typed)
            except ValueError as error:
                return str(error)
            shown = preview(session.portfolio, self.project_id, spec.path, value, session.now())
            return shown if isinstance(shown, str) else "\n".join(shown)

        def typed(result: TypedValue | None) -> None:
            if result is None:
                return
            current = self.project()
            wider = widening(current, spec.path, result.value) if current else None
            if wider is None:
                self._apply(SetField(self.project_id, spec.path, result.value))
                return
            edit, widened = wider
            body = f"{spec.label} {result.value} lies outside its range. Widen it to {widened}?"
            self._confirm("Outside its range", body, f"Widen to {widened} (y)", edit)

        self.app.push_screen(FieldPrompt(spec, text, check, live), typed)

    def action_add_item(self) -> None:
        """Add a metric, baseline or model: the kind the highlighted items row belongs to."""
        if self.project() is None:
            return
        row = self.current_row()
        if self.tab != "items" or row is None or row.collection is None:
            self.action_show_tab("items")
            self._tell("pick Metrics, Baselines or Candidate models, then press a")
            return
        self._open_form(row.collection, None)

    def _open_form(self, collection: Collection, name: str | None) -> None:
        project = self.project()
        assert project is not None
        base = find_item(project, collection, name) if name is not None else None
        if name is not None and base is None:
            return

        def check(texts: dict[str, str]) -> ItemDraft | str:
            try:
                draft = ItemDraft(collection, name, item_data(collection, texts, base))
                session = self._session()
                item_edit(session.portfolio, self.project_id, draft, session.now())
            except (ValueError, EditError) as error:
                return str(error)
            return draft

        def done(draft: ItemDraft | None) -> None:
            if draft is None:
                return
            session = self._session()
            try:
                edit = item_edit(session.portfolio, self.project_id, draft, session.now())
            except EditError as error:
                self._tell(str(error), error=True)
                return
            self._apply(edit, Row(collection=collection, name=draft.name).key)

        kind = SINGULAR[collection]
        title = f"Add a {kind}" if base is None else f"Edit {kind} {plain(base.name)}"
        self.app.push_screen(
            ItemForm(title, collection, item_texts(collection, base, self.project()), check), done
        )

    def action_remove(self) -> None:
        """Remove the highlighted item (after asking), or clear the highlighted field."""
        project = self.project()
        row = self.current_row()
        if project is None or row is None:
            return
        if row.spec is not None:
            self._clear(row.spec)
            return
        if row.collection is None or row.name is None:
            self._tell("highlight a metric, baseline or model to remove it")
            return
        kind = SINGULAR[row.collection]
        body = f"Remove the {kind} {row.name} from {project.title}? u undoes it."
        edit = DropItem(self.project_id, row.collection, row.name)
        self._confirm(f"Remove {kind}", body, "Remove (y)", edit)

    def _clear(self, spec: FieldSpec) -> None:
        project = self.project()
        assert project is not None
        try:
            empty = cleared_value(spec)
        except ValueError as error:
            self._tell(str(error))
            return
        current = value_at(project, spec.path)
        if current in (None, "", ()):
            return
        edit = SetField(self.project_id, spec.path, empty)
        if spec.multiline:
            body = f"Empty {spec.label}? u undoes it."
            self._confirm(f"Empty {spec.label}", body, "Empty (y)", edit)
        else:
            self._apply(edit)

    def _confirm(self, title: str, body: str, yes: str, edit: Edit) -> None:
        """Apply `edit` after an explicit yes."""

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._apply(edit)

        self.app.push_screen(ConfirmDialog(title, body, yes), answered)
