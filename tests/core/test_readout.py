"""The editor's live figures and the widening of a range, computed by core (issue 14, finding 7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.edits.base import EditError
from core.edits.changes import SetField
from core.forms.readout import accuracy_figures, preview, readout, widening
from core.models import Portfolio, Project, Settings

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def scored() -> Project:
    return Project(
        id="ocr",
        title="OCR",
        impact={"cheap_prediction": 4, "ranges": {"cheap_prediction": {"low": 3, "high": 4}}},
        feasibility={"data_availability": 4, "accuracy_requirement": 3, "problem_difficulty": 4},
    )


def test_accuracy_figures_follow_the_lecture() -> None:
    figures = accuracy_figures(0.995, 10.0)
    assert figures.nines == pytest.approx(2.30103, abs=1e-5)
    assert figures.cost_multiple == pytest.approx(10**1.30103, rel=1e-6)
    assert figures.score == pytest.approx(5 - 1.30103, abs=1e-5)
    assert accuracy_figures(0.9, 10.0).cost_multiple == pytest.approx(1.0)


def test_readout_names_axes_quadrant_score_and_accuracy() -> None:
    lines = readout(scored(), Settings())
    assert lines[0] == "Impact 3.25 · Feasibility 3.67"
    assert lines[1].startswith("Quadrant quick wins · Score ")
    assert len(lines) == 2
    unscored_accuracy = scored().feasibility.model_copy(update={"accuracy_requirement": None})  # type: ignore[union-attr]
    project = scored().model_copy(update={"feasibility": unscored_accuracy})
    portfolio = Portfolio(projects=(project,))
    shown = preview(portfolio, "ocr", "feasibility.accuracy_target", 0.995, NOW)
    assert isinstance(shown, tuple), shown
    assert shown[2] == "Accuracy 99.5%: 2.30 nines, cost ×20 of one nine, accuracy score 3.70"


def test_preview_says_why_a_value_is_refused() -> None:
    portfolio = Portfolio(projects=(scored(),))
    shown = preview(portfolio, "ocr", "impact.cheap_prediction", 5, NOW)
    assert isinstance(shown, str)
    assert "outside its range" in shown


def test_widening_sets_the_score_and_its_range_in_one_undoable_edit() -> None:
    portfolio = Portfolio(projects=(scored(),))
    with pytest.raises(EditError):
        SetField("ocr", "impact.cheap_prediction", 5).apply(portfolio, NOW, "ann")
    found = widening(scored(), "impact.cheap_prediction", 5)
    assert found is not None
    edit, shown = found
    assert shown == "3-5"
    after = edit.apply(portfolio, NOW, "ann")
    project = after.project("ocr")
    assert project is not None
    assert project.impact is not None
    assert project.impact.cheap_prediction == 5
    assert (
        project.impact.ranges["cheap_prediction"].low,
        project.impact.ranges["cheap_prediction"].high,
    ) == (3, 5)
    back = edit.inverse(portfolio).apply(after, NOW, "ann").project("ocr")
    assert back is not None
    assert back.impact == scored().impact
    assert widening(scored(), "impact.cheap_prediction", 4) is None
    assert widening(scored(), "impact.automation", 1) is None
