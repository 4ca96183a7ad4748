"""Diffs over hand-made pairs: every kind of change, and nothing shown when nothing changed.

The composite pair's renderings are golden files (tests/golden/diff.*); after an
intended change, regenerate with MLFOLIO_UPDATE_GOLDEN=1 (see test_exports.py).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.compare.diff import diff_portfolios, diff_projects
from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Checklist,
    Metric,
    Portfolio,
    Project,
    Stage,
    TransitionKind,
)
from core.rules.lifecycle import plan_move
from core.rules.priority import Quadrant
from portfolio import load
from portfolio.exports import render_diff
from portfolio.exports.diff_render import change_lines, diff_markdown, summary_line

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "portfolio" / "example.toml"
GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return load(EXAMPLE)


def project(portfolio: Portfolio, project_id: str) -> Project:
    found = portfolio.project(project_id)
    assert found is not None
    return found


def replaced(portfolio: Portfolio, *projects: Project) -> Portfolio:
    """`portfolio` with the projects of the same ids swapped for these."""
    by_id = {p.id: p for p in projects}
    return portfolio.model_copy(
        update={"projects": tuple(by_id.get(p.id, p) for p in portfolio.projects)}
    )


def moved(p: Project, to: Stage, reason: str = "", *, day: int = 1) -> Project:
    """`p` moved to `to` the way the app records it."""
    step = plan_move(p, to, now=NOW + timedelta(days=day), by="ann", reason=reason, override=True)
    return p.model_copy(update={"stage": to, "history": (*p.history, step)})


def with_model(p: Project, name: str, **changes: Any) -> Project:
    """`p` with the score tables of its model `name` updated by `changes`."""
    models = tuple(
        m.model_copy(update={k: {**getattr(m, k), **v} for k, v in changes.items()})
        if m.name == name
        else m
        for m in p.models
    )
    return p.model_copy(update={"models": models})


# -- nothing changed -------------------------------------------------------------------------


def test_an_unchanged_pair_gives_an_empty_diff(example: Portfolio) -> None:
    diff = diff_portfolios(example, load(EXAMPLE))
    assert diff.is_empty
    assert diff.changed_ids == frozenset()
    assert summary_line(diff) == "no differences"
    assert render_diff(diff, "text", old_label="a", new_label="b") == "a → b: no differences\n"
    assert json.loads(render_diff(diff, "json"))["empty"] is True


def test_changes_outside_the_headlines_are_still_shown_field_by_field(
    example: Portfolio,
) -> None:
    fraud = project(example, "payment-fraud")
    reworded = fraud.model_copy(update={"summary": "Reworded.", "notes": "New notes."})
    change = diff_portfolios(example, replaced(example, reworded)).project("payment-fraud")
    assert change is not None
    assert [f.path for f in change.fields] == [
        "projects[payment-fraud].summary",
        "projects[payment-fraud].notes",
    ]
    assert change_lines(change)[-1] == 'notes: "" → "New notes."'
    long = reworded.model_copy(update={"summary": "x" * 100})
    cut = diff_portfolios(example, replaced(example, long)).project("payment-fraud")
    assert cut is not None
    assert ' → "xxxxxxxx' in change_lines(cut)[0]
    assert change_lines(cut)[0].endswith("x…")


# -- added and removed -----------------------------------------------------------------------


def test_projects_added_and_removed(example: Portfolio) -> None:
    fresh = Project(id="new-idea", title="A new idea")
    new = example.model_copy(
        update={"projects": (*(p for p in example.projects if p.id != "churn-prediction"), fresh)}
    )
    diff = diff_portfolios(example, new)
    (added,) = diff.added
    assert (added.project_id, added.stage, added.quadrant) == (
        "new-idea",
        Stage.PLANNING,
        Quadrant.QUICK_WINS,
    )
    (removed,) = diff.removed
    assert (removed.project_id, removed.quadrant_label) == ("churn-prediction", "avoid")
    assert diff.changed == ()
    assert diff.changed_ids == {"new-idea"}


# -- stages ----------------------------------------------------------------------------------


def _stage_diff(example: Portfolio, after: Project) -> Any:
    diff = diff_portfolios(example, replaced(example, after))
    change = diff.project(after.id)
    assert change is not None
    assert change.stage is not None
    assert after.id in diff.changed_ids
    return change


def test_a_forward_move(example: Portfolio) -> None:
    change = _stage_diff(example, moved(project(example, "payment-fraud"), Stage.DEPLOYMENT))
    assert change.stage.kind is TransitionKind.FORWARD
    assert (change.stage.from_stage, change.stage.to_stage) == (Stage.TRAINING, Stage.DEPLOYMENT)
    assert change_lines(change)[0] == "stage: training → deployment (forward)"


def test_a_back_edge_with_its_reason(example: Portfolio) -> None:
    after = moved(project(example, "invoice-extraction"), Stage.DATA, "labels unreliable")
    change = _stage_diff(example, after)
    assert change.stage.kind is TransitionKind.BACK
    assert change.stage.reason == "labels unreliable"
    assert change_lines(change)[0] == "stage: training → data (back-edge: labels unreliable)"


def test_an_outcome_and_a_resume(example: Portfolio) -> None:
    killed = _stage_diff(
        example, moved(project(example, "churn-prediction"), Stage.KILLED, "no usable labels")
    )
    assert killed.stage.kind is TransitionKind.OUTCOME
    assert change_lines(killed)[0] == "stage: planning → killed (outcome: no usable labels)"
    resumed = _stage_diff(example, moved(project(example, "warehouse-robot"), Stage.PLANNING))
    assert resumed.stage.kind is TransitionKind.RESUME
    assert change_lines(resumed)[0] == "stage: parked → planning (resumed)"


def test_a_loop_that_came_back_is_still_a_change(example: Portfolio) -> None:
    fraud = project(example, "payment-fraud")
    after = moved(moved(fraud, Stage.DATA, "hard cases to mine"), Stage.TRAINING, day=2)
    change = _stage_diff(example, after)
    assert change.stage.kind is TransitionKind.BACK
    assert len(change.stage.steps) == 2
    assert change_lines(change)[0] == (
        "stage: training → data → training (back-edge: other — hard cases to mine)"
    )


@pytest.mark.parametrize(
    ("start", "to", "kind"),
    [
        (Stage.TRAINING, Stage.DEPLOYMENT, TransitionKind.FORWARD),
        (Stage.PLANNING, Stage.TRAINING, TransitionKind.FORWARD),
        (Stage.DEPLOYMENT, Stage.DATA, TransitionKind.BACK),
        (Stage.TRAINING, Stage.SHIPPED, TransitionKind.OUTCOME),
        (Stage.KILLED, Stage.DATA, TransitionKind.RESUME),
    ],
)
def test_a_hand_edited_stage_is_classified_by_the_rules(
    start: Stage, to: Stage, kind: TransitionKind
) -> None:
    before = Project(id="p", title="P", stage=start)
    change = diff_projects(before, before.model_copy(update={"stage": to}))
    assert change.stage is not None
    assert change.stage.kind is kind
    assert change.stage.steps == ()
    assert change.stage.reason == ""


# -- the grid --------------------------------------------------------------------------------


def test_a_quadrant_change_names_the_scores_behind_it(example: Portfolio) -> None:
    fraud = project(example, "payment-fraud")
    feasibility = fraud.feasibility.model_copy(update={"data_availability": 4})  # type: ignore[union-attr]  # scored in this test
    diff = diff_portfolios(
        example, replaced(example, fraud.model_copy(update={"feasibility": feasibility}))
    )
    change = diff.project("payment-fraud")
    assert change is not None
    grid = change.grid
    assert grid is not None
    assert grid.quadrant_changed
    assert (grid.quadrant_before, grid.quadrant_after) == (Quadrant.BIG_BETS, Quadrant.QUICK_WINS)
    assert [(c.axis, c.name, c.before, c.after) for c in grid.causes] == [
        ("feasibility", "data_availability", 3.0, 4.0)
    ]
    assert grid.score_after > grid.score_before
    assert change_lines(change) == [
        "quadrant: big bets → quick wins: score 37.2 → 47.4, feasibility 2.83 → 3.33;"
        " because data_availability 3 → 4",
        "feasibility.data_availability: 3 → 4",
    ]
    assert diff.changed_ids == {"payment-fraud"}


def test_a_move_within_a_quadrant(example: Portfolio) -> None:
    ide = project(example, "ide-completion")
    impact = ide.impact.model_copy(update={"automation": ide.impact.automation - 1})  # type: ignore[union-attr]  # scored in this test
    change = diff_portfolios(example, replaced(example, ide.model_copy(update={"impact": impact})))
    found = change.project("ide-completion")
    assert found is not None
    assert found.grid is not None
    assert not found.grid.quadrant_changed
    assert change_lines(found)[0].startswith("moved within quick wins: score 71.9 → ")


def test_a_threshold_setting_moves_projects_and_is_listed(example: Portfolio) -> None:
    settings = example.settings.model_copy(update={"feasibility_threshold": 2.5})
    diff = diff_portfolios(example, example.model_copy(update={"settings": settings}))
    assert [(s.name, s.before, s.after) for s in diff.settings] == [
        ("feasibility_threshold", "3.0", "2.5")
    ]
    fraud = diff.project("payment-fraud")
    assert fraud is not None
    assert fraud.grid is not None
    assert fraud.grid.label_after == "quick wins"
    assert [(c.axis, c.name) for c in fraud.grid.causes] == [("settings", "feasibility_threshold")]
    assert "payment-fraud" in diff.changed_ids
    assert "ide-completion" not in diff.changed_ids


# -- metric verdicts -------------------------------------------------------------------------


def test_a_model_that_now_passes_a_threshold(example: Portfolio) -> None:
    fraud = with_model(
        project(example, "payment-fraud"),
        "sequence-transformer-v1",
        scores={"p99_latency_ms": 45.0},
    )
    change = diff_portfolios(example, replaced(example, fraud)).project("payment-fraud")
    assert change is not None
    (flip,) = change.thresholds
    assert (flip.model, flip.metric, flip.passed) == (
        "sequence-transformer-v1",
        "p99_latency_ms",
        True,
    )
    assert change_lines(change) == [
        "threshold: sequence-transformer-v1 now passes p99_latency_ms ≤ 50 ms (45 ms)",
        "models[sequence-transformer-v1].scores[p99_latency_ms]: 74.0 → 45.0",
    ]
    assert change.winner is None
    assert not change.moved


def test_a_new_threshold_lists_every_model_kept() -> None:
    metrics = (Metric(name="accuracy", optimise=True), Metric(name="latency", direction="minimize"))
    models = (
        CandidateModel(name="fast", scores={"accuracy": 0.8, "latency": 50.0}),
        CandidateModel(name="slow", scores={"accuracy": 0.9, "latency": 200.0}),
    )
    before = Project(id="p", title="P", metrics=metrics, models=models)
    held = metrics[1].model_copy(update={"threshold": 100.0})
    after = before.model_copy(update={"metrics": (metrics[0], held)})
    change = diff_projects(before, after)
    assert [(t.model, t.passed, t.new_threshold) for t in change.thresholds] == [
        ("fast", True, True),
        ("slow", False, True),
    ]
    assert change_lines(change)[0] == (
        "threshold: fast now passes latency ≤ 100 (50) (new threshold)"
    )
    assert change.winner is not None
    assert (change.winner.before, change.winner.after) == ("slow", "fast")


def test_a_model_that_now_fails_and_the_winner_lost(example: Portfolio) -> None:
    fraud = with_model(
        project(example, "payment-fraud"), "gbdt-v3", scores={"false_positive_rate": 0.002}
    )
    change = diff_portfolios(example, replaced(example, fraud)).project("payment-fraud")
    assert change is not None
    assert [(t.model, t.passed) for t in change.thresholds] == [("gbdt-v3", False)]
    assert change.winner is not None
    assert (change.winner.before, change.winner.after) == ("gbdt-v3", None)
    assert change.winner.phrase == "no winner: no model passes every threshold"


def test_a_new_winner(example: Portfolio) -> None:
    fraud = with_model(
        project(example, "payment-fraud"),
        "sequence-transformer-v1",
        scores={"p99_latency_ms": 45.0, "false_positive_rate": 0.0008, "fraud_recall": 0.66},
    )
    change = diff_portfolios(example, replaced(example, fraud)).project("payment-fraud")
    assert change is not None
    assert change.winner is not None
    assert (change.winner.before, change.winner.after) == ("gbdt-v3", "sequence-transformer-v1")
    assert change.winner.phrase.startswith(
        "winner: sequence-transformer-v1 because it passes every threshold and has the best"
        " fraud_recall (0.66)"
    )
    assert len(change.thresholds) == 2


def test_a_new_tightest_baseline(example: Portfolio) -> None:
    fraud = project(example, "payment-fraud")
    consortium = Baseline(
        name="Issuer consortium model", kind=BaselineKind.PUBLISHED, scores={"fraud_recall": 0.7}
    )
    after = fraud.model_copy(update={"baselines": (*fraud.baselines, consortium)})
    change = diff_portfolios(example, replaced(example, after)).project("payment-fraud")
    assert change is not None
    (tightest,) = change.baselines
    assert (tightest.metric, tightest.before, tightest.after) == (
        "fraud_recall",
        "Fraud analysts, blind review",
        "Issuer consortium model",
    )
    assert change.hints == ()


def test_a_hint_that_goes_away_and_models_added_and_removed(example: Portfolio) -> None:
    fraud = project(example, "payment-fraud")
    gbdt = fraud.models[0].model_copy(update={"train_scores": {}})
    extra = CandidateModel(name="logreg", scores={"fraud_recall": 0.3})
    after = fraud.model_copy(update={"models": (gbdt, extra)})
    change = diff_portfolios(example, replaced(example, after)).project("payment-fraud")
    assert change is not None
    # A satisficing metric (false_positive_rate) is judged by its threshold: it has no hint.
    assert [(h.metric, h.before, h.after) for h in change.hints] == [
        ("fraud_recall", "overfitting", None),
    ]
    assert [(m.model, m.added, m.passes) for m in change.models] == [
        ("logreg", True, False),
        ("sequence-transformer-v1", False, False),
    ]
    lines = change_lines(change)
    assert "model removed: sequence-transformer-v1" in lines
    assert any(line.startswith("model added: logreg: fails false_positive_rate") for line in lines)
    assert "hint on fraud_recall: overfitting → no hint" in lines


# -- the checklist ---------------------------------------------------------------------------


def test_checklist_items_closed_and_reopened(example: Portfolio) -> None:
    churn = project(example, "churn-prediction")
    checklist = churn.checklist.model_copy(update={"success_criteria": True, "need_ml": False})
    change = diff_portfolios(
        example, replaced(example, churn.model_copy(update={"checklist": checklist}))
    ).project("churn-prediction")
    assert change is not None
    assert [(c.item, c.closed) for c in change.checklist] == [
        ("need_ml", False),
        ("success_criteria", True),
    ]
    assert change_lines(change) == [
        "checklist: reopened “Are you sure that you need ML at all?”",
        "checklist: closed “Success criteria defined with all of the stakeholders”",
        "checklist.need_ml: true → false",
        "checklist.success_criteria: false → true",
    ]
    assert not change.moved


# -- rendering -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def composite(example: Portfolio) -> tuple[Portfolio, Portfolio]:
    """One pair with a change of every kind, for the golden renderings."""
    fraud = project(example, "payment-fraud")
    fraud = moved(fraud, Stage.DEPLOYMENT)
    fraud = with_model(fraud, "sequence-transformer-v1", scores={"p99_latency_ms": 45.0})
    churn = project(example, "churn-prediction")
    churn = churn.model_copy(
        update={
            "checklist": Checklist(**{**churn.checklist.model_dump(), "success_criteria": True})
        }
    )
    invoice = moved(project(example, "invoice-extraction"), Stage.DATA, "labels | [unreliable](x)")
    ide = project(example, "ide-completion")
    ide = ide.model_copy(
        update={"feasibility": ide.feasibility.model_copy(update={"data_availability": 1})}  # type: ignore[union-attr]  # scored in this test
    )
    new = replaced(example, fraud, churn, invoice, ide)
    new = new.model_copy(
        update={
            "projects": (
                *(p for p in new.projects if p.id != "sketch-to-slides"),
                Project(id="new-idea", title="A <new> idea"),
            )
        }
    )
    return example, new


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_golden_diff(composite: tuple[Portfolio, Portfolio], fmt: str) -> None:
    diff = diff_portfolios(*composite)
    text = render_diff(diff, fmt, old_label="before.toml", new_label="after.toml")
    path = GOLDEN / f"diff.{'txt' if fmt == 'text' else fmt}"
    if os.environ.get("MLFOLIO_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_the_diff_renderings_agree(composite: tuple[Portfolio, Portfolio]) -> None:
    diff = diff_portfolios(*composite)
    assert summary_line(diff) == "1 added, 1 removed, 4 changed"
    assert diff.changed_ids == {"new-idea", "payment-fraud", "invoice-extraction", "ide-completion"}
    data = json.loads(render_diff(diff, "json"))
    assert data["format"] == "mlfolio-diff"
    assert data["changed_ids"] == sorted(diff.changed_ids)
    assert [c["id"] for c in data["changed"]] == [c.project_id for c in diff.changed]
    fraud = next(c for c in data["changed"] if c["id"] == "payment-fraud")
    assert fraud["stage"]["kind"] == "forward"
    assert fraud["thresholds"][0]["passed"] is True
    markdown = diff_markdown(diff, "a", "b", heading_level=3)
    assert markdown.startswith("### Changes from a to b\n")
    assert "labels \\| \\[unreliable\\](x)" in markdown
    assert "A \\<new\\> idea" in markdown
    with pytest.raises(ValueError, match="unknown diff format"):
        render_diff(diff, "html")
