"""A tiny host for the project editor, over a fixed portfolio and a fixed clock.

It keeps the portfolio in a session in memory (nothing is saved) and offers
the editor what the real app does: `session`, `read_only`, `apply_edit` and
`tell`. Built by `make_app()` for snapshot tests; run this file to try it.
"""

from __future__ import annotations

from pathlib import Path

from factories import earlier_clock
from textual.app import App

from core.edits.changes import Edit, EditError
from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Checklist,
    Direction,
    Metric,
    Portfolio,
    Project,
    ScoreRange,
    Stage,
)
from portfolio.session import Session
from tui.editor.screen import ProjectEditor
from tui.text import plain

HOSTILE_TITLE = "[@click=app.quit]x[/] Churn [WIP]"
CSS_FILE = Path(__file__).resolve().parents[3] / "tui" / "dashboard" / "mlfolio.tcss"


def make_portfolio() -> Portfolio:
    """A project with a little of everything, and a bystander."""
    churn = Project(
        id="churn",
        title=HOSTILE_TITLE,
        owner="ann",
        stage=Stage.TRAINING,
        tags=("retention", "q3"),
        summary="Predict which customers leave next month.\nSecond line.",
        impact={"cheap_prediction": 4, "ranges": {"automation": ScoreRange(low=2, high=4)}},
        feasibility={"data_availability": 2, "accuracy_target": 0.99},
        checklist=Checklist(need_ml=True, ethics=True),
        metrics=(
            Metric(name="auc", optimise=True),
            Metric(name="latency_ms", direction=Direction.MINIMIZE, threshold=200.0, unit="ms"),
        ),
        baselines=(Baseline(name="rules", kind=BaselineKind.SCRIPTED_RULES, scores={"auc": 0.71}),),
        models=(CandidateModel(name="gbm", scores={"auc": 0.88}, train_scores={"auc": 0.95}),),
    )
    return Portfolio(projects=(churn, Project(id="search", title="Document search")))


class EditorHostApp(App[None]):
    """Opens the editor on one project at start; quitting the editor quits the app."""

    CSS_PATH = str(CSS_FILE)

    def __init__(self, project_id: str = "churn", *, read_only: bool = False) -> None:
        super().__init__()
        self.session: Session | None = Session(make_portfolio(), "ann", earlier_clock)
        self.read_only = read_only
        self.project_id = project_id
        self.messages: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(ProjectEditor(self.project_id), lambda _: self.exit())

    def apply_edit(self, edit: Edit) -> bool:
        """Apply an edit to the in-memory session; False (with a message) when refused."""
        if self.session is None or self.read_only:
            return False
        try:
            self.session.apply(edit)
        except EditError as error:
            self.tell(str(error), error=True)
            return False
        return True

    def tell(self, message: str, *, error: bool = False) -> None:
        """Record the message and show it as a toast."""
        self.messages.append(message)
        self.notify(plain(message), severity="error" if error else "information", markup=False)


def make_app(project_id: str = "churn", *, read_only: bool = False) -> EditorHostApp:
    """The editor host over the fixed portfolio."""
    return EditorHostApp(project_id, read_only=read_only)


if __name__ == "__main__":
    make_app().run()
