"""A tiny app around the metric panel, with a hand-made portfolio covering its cases.

Built by `make_app(project_id=...)` for Pilot and snapshot tests; run this file
directly to look at it (n / p switch projects, q quits).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer

from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Direction,
    Metric,
    Portfolio,
    Project,
    Settings,
    Stage,
)
from tui.widgets.panel import MetricPanel

HOSTILE_MODEL = "[@click=app.quit]x[/]"
HOSTILE_TITLE = "A/B test [/]"
WIP_TITLE = "[WIP] ER triage"

MAX = Direction.MAXIMIZE
MIN = Direction.MINIMIZE


def _churn() -> Project:
    """Thresholds, one absolute and one relative to a baseline; a winner and two losers."""
    return Project(
        id="churn",
        title="Churn prediction",
        stage=Stage.TRAINING,
        metrics=(
            Metric(name="auc", direction=MAX, optimise=True),
            Metric(name="latency_ms", direction=MIN, threshold=200.0, unit="ms"),
            Metric(name="f1", direction=MAX, threshold_baseline="rules", threshold_margin=0.02),
        ),
        baselines=(
            Baseline(
                name="rules",
                kind=BaselineKind.SCRIPTED_RULES,
                scores={"auc": 0.71, "f1": 0.80, "latency_ms": 5.0},
            ),
            Baseline(name="logreg-baseline", kind=BaselineKind.SIMPLE_MODEL, scores={"auc": 0.8}),
            Baseline(name="paper 2023", kind=BaselineKind.PUBLISHED, scores={"auc": 0.9}),
        ),
        models=(
            CandidateModel(name="gbm", scores={"auc": 0.88, "latency_ms": 120.0, "f1": 0.85}),
            CandidateModel(name="deep-net", scores={"auc": 0.93, "latency_ms": 240.0, "f1": 0.88}),
            CandidateModel(name="logreg", scores={"auc": 0.84, "latency_ms": 20.0, "f1": 0.8}),
        ),
    )


def _triage() -> Project:
    """Overfitting: the best model beats the expert on training data only; a hostile name."""
    return Project(
        id="triage",
        title=WIP_TITLE,
        stage=Stage.TRAINING,
        metrics=(
            Metric(name="recall", direction=MAX, optimise=True),
            Metric(name="precision", direction=MAX, threshold=0.5),
        ),
        baselines=(
            Baseline(name="nurses", kind=BaselineKind.HUMAN_EXPERT, scores={"recall": 0.92}),
            Baseline(name="crowd", kind=BaselineKind.HUMAN_CROWD, scores={"recall": 0.7}),
        ),
        models=(
            CandidateModel(
                name="bert",
                scores={"recall": 0.85, "precision": 0.6},
                train_scores={"recall": 0.98},
            ),
            CandidateModel(name=HOSTILE_MODEL, scores={"recall": 0.8, "precision": 0.7}),
        ),
    )


def _pricing() -> Project:
    """The weighted strategy, a threshold on top, and an underfitting best model."""
    return Project(
        id="pricing",
        title=HOSTILE_TITLE,
        stage=Stage.DEPLOYMENT,
        metric_strategy="weighted",
        metrics=(
            Metric(name="uplift", direction=MAX, optimise=True, weight=2.0),
            Metric(name="latency_ms", direction=MIN, weight=0.01, threshold=300.0),
        ),
        baselines=(
            Baseline(
                name="holdout mean", kind=BaselineKind.DATASET_AVERAGE, scores={"uplift": 0.05}
            ),
            Baseline(name="analyst", kind=BaselineKind.HUMAN_EXPERT, scores={"uplift": 0.12}),
        ),
        models=(
            CandidateModel(name="ridge", scores={"uplift": 0.06, "latency_ms": 40.0}),
            CandidateModel(name="gbm", scores={"uplift": 0.08, "latency_ms": 90.0}),
        ),
    )


def _eta() -> Project:
    """A minimised objective and a threshold whose baseline does not exist: no winner."""
    return Project(
        id="eta",
        title="Delivery ETA",
        stage=Stage.DATA,
        metrics=(
            Metric(name="mae_min", direction=MIN, optimise=True),
            Metric(name="coverage", direction=MAX, threshold_baseline="ghost"),
        ),
        baselines=(
            Baseline(
                name="route average", kind=BaselineKind.DATASET_AVERAGE, scores={"mae_min": 9.5}
            ),
            Baseline(name="dispatchers", kind=BaselineKind.HUMAN_CROWD, scores={"mae_min": 7.0}),
        ),
        models=(
            CandidateModel(name="lightgbm", scores={"mae_min": 6.2, "coverage": 0.97}),
            CandidateModel(name="linear", scores={"mae_min": 8.1, "coverage": 0.99}),
        ),
    )


def _search() -> Project:
    """No metrics at all."""
    return Project(id="search", title="Document search", stage=Stage.PLANNING)


def make_portfolio() -> Portfolio:
    """The hand-made portfolio the panel tests look at."""
    return Portfolio(
        settings=Settings(underfit_margin=0.05),
        projects=(_churn(), _triage(), _pricing(), _eta(), _search()),
    )


class PanelApp(App[None]):
    """Just the metric panel and a footer; n and p step through the projects."""

    CSS = "MetricPanel { height: 1fr; }"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "step(1)", "Next project"),
        Binding("p", "step(-1)", "Previous project"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, portfolio: Portfolio, project_id: str | None) -> None:
        super().__init__()
        self.portfolio = portfolio
        self.project_id = project_id

    def compose(self) -> ComposeResult:
        yield MetricPanel(id="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(MetricPanel).focus()
        self.show_project(self.project_id)

    def show_project(self, project_id: str | None) -> None:
        """Hand the panel the project with this id (or nothing)."""
        self.project_id = project_id
        project = self.portfolio.project(project_id) if project_id else None
        self.query_one(MetricPanel).show(project, self.portfolio.settings)

    def action_step(self, delta: int) -> None:
        """Show the next or previous project in file order."""
        ids = [p.id for p in self.portfolio.projects]
        here = ids.index(self.project_id) if self.project_id in ids else -1
        self.show_project(ids[(here + delta) % len(ids)])


def make_app(project_id: str | None = "churn") -> PanelApp:
    """The panel app showing `project_id` from the hand-made portfolio."""
    return PanelApp(make_portfolio(), project_id)


if __name__ == "__main__":
    make_app().run()
