"""The rating screen (`v` on the dashboard): rate the selected project, reveal, apply the rule.

Each row is a lens or cost driver (`core.views.ratings.rating_rows`): the
project's score now, your rating, how many others rated. You type scores
(1-5 on a row), then Enter saves them as one rating (`core.edits.ratings.Rate`,
under the session's user: nobody rates under another name). The others'
ratings stay hidden until you reveal them (`v`), so nobody anchors on them;
revealed, each row shows the spread and a histogram of the scores. `m`
applies the median to the project's scores, `M` the median with the spread
as the range (`ApplyRatings`), both undoable edits like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from core.edits.ratings import ApplyRatings, Rate
from core.models import Project
from core.views.ratings import RatingRow, rating_rows
from tui.screens import CLOSE_KEYS
from tui.text import plain

if TYPE_CHECKING:
    from tui.host import Host

HEADER = f"  {'lens / cost driver':<21}{'now':>4}{'mine':>5}{'others':>7}  {'1 2 3 4 5':<11}spread"
"""The column heads; the histogram's cells line up under the scores."""

HINT = "1-5 rate · enter save · v reveal · m median · M median + range · q close"


def row_text(row: RatingRow) -> str:
    """One row as plain text, in the columns of `HEADER`."""
    now = "-" if row.score is None else str(row.score)
    mine = "-" if row.mine is None else f"{row.mine}{'*' if row.staged else ''}"
    cells = " ".join(row.histogram()) if row.spread is not None else ""
    return f"{row.label:<21}{now:>4}{mine:>5}{row.others:>7}  {cells:<11}{row.spread_text()}"


class RatingScreen(ModalScreen[None]):
    """Rate one project; reveal the others' ratings and apply the team's rule."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(CLOSE_KEYS, "close", "Close", id="rating.close"),
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        *(Binding(str(v), f"score({v})", f"Rate {v}", show=False) for v in range(1, 6)),
        Binding("enter", "save", "Save", id="rating.save"),
        Binding("v", "reveal", "Reveal", id="rating.reveal"),
        Binding("m", "apply(False)", "Median", id="rating.median"),
        Binding("M", "apply(True)", "Median + range", id="rating.range"),
    ]

    def __init__(self, project_id: str) -> None:
        super().__init__()
        self.project_id = project_id
        self.cursor = 0
        self.staged: dict[str, int] = {}
        self.revealed = False
        self._drawn: Project | None = None

    @property
    def host(self) -> Host:
        """The app this screen belongs to, as the `Host` it asks for the session and edits."""
        return cast("Host", self.app)

    @property
    def user(self) -> str:
        """Who rates: the session's user, fixed when the dashboard started."""
        session = self.host.session
        return session.user if session is not None else ""

    def project(self) -> Project | None:
        """The project as the session has it now (someone else's save included)."""
        return self.host.project(self.project_id)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label("", id="rating-title", classes="dialog-title")
            yield Label("", id="rating-who", classes="muted")
            yield Static("", id="rating-body")
            yield Label(Content(HINT), classes="muted")

    def on_mount(self) -> None:
        self.draw()
        self.set_interval(0.5, self._follow)

    def _follow(self) -> None:
        """Redraw when the project changed (an edit here, or another session's save)."""
        if self.project() is not self._drawn:
            self.draw()

    def rows(self) -> tuple[RatingRow, ...]:
        """The rows to draw, or none when the project is gone."""
        project = self.project()
        if project is None:
            return ()
        return rating_rows(project, self.user, self.staged, self.revealed)

    def draw(self) -> None:
        """Draw the title and the rows, the cursor's row highlighted; all text is data."""
        project = self.project()
        self._drawn = project
        title = self.query_one("#rating-title", Label)
        body = self.query_one("#rating-body", Static)
        if project is None:
            title.update(Content("This project is gone"))
            body.update(Content(""))
            return
        state = (
            "everyone's ratings shown" if self.revealed else "others hidden until you reveal (v)"
        )
        title.update(Content(f"Rate {plain(project.title)}"))
        who = self.query_one("#rating-who", Label)
        who.update(Content(f"as {plain(self.user)} · {state}"))
        parts: list[Content] = [Content(HEADER + "\n")]
        axis = ""
        for index, row in enumerate(self.rows()):
            if row.axis != axis:
                axis = row.axis
                parts.append(Content.styled(f"{axis.capitalize()}\n", "bold"))
            marker = "> " if index == self.cursor else "  "
            style = "reverse" if index == self.cursor else ""
            parts.append(Content.styled(marker + row_text(row), style))
            parts.append(Content("\n"))
        body.update(Content.assemble(*parts))

    def action_cursor(self, step: int) -> None:
        """Move to the next or previous lens or driver."""
        count = len(self.rows()) or 1
        self.cursor = (self.cursor + step) % count
        self.draw()

    def action_score(self, value: int) -> None:
        """Type your score for the row under the cursor (saved with Enter)."""
        if self.host.read_only:
            self.host.tell("read-only session: ratings cannot be saved", error=True)
            return
        rows = self.rows()
        if rows:
            self.staged[rows[self.cursor].key] = value
            self.action_cursor(1)

    def action_save(self) -> None:
        """Save your typed scores as one rating under your name."""
        rows = {row.key: row for row in self.rows()}
        changed = tuple((k, v) for k, v in self.staged.items() if k in rows and rows[k].staged)
        if not changed:
            self.host.tell("nothing to save: type 1-5 on a row first")
            return
        if self.host.apply_edit(Rate(self.project_id, self.user, changed)):
            self.staged.clear()
        self.draw()

    def action_reveal(self) -> None:
        """Show (or hide again) everyone's ratings and the spread."""
        self.revealed = not self.revealed
        self.draw()

    def action_apply(self, with_range: bool) -> None:
        """The team's rule: each rated key takes the median (and the spread as range)."""
        if not self.revealed:
            self.host.tell("reveal the ratings first (v)")
            return
        self.host.apply_edit(ApplyRatings(self.project_id, with_range=with_range))
        self.draw()

    def action_close(self) -> None:
        """Close; typed scores not saved are dropped (and said so)."""
        unsaved = sum(1 for row in self.rows() if row.staged)
        if unsaved:
            self.host.tell(f"{unsaved} typed rating(s) not saved (Enter saves)")
        self.dismiss(None)
