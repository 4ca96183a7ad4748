"""The panel's chart draws bars from zero: 0.46 is 88% of 0.52, not half of it."""

from __future__ import annotations

from core.models import CandidateModel, Metric, Project, Settings
from tui.widgets.panel import panel_lines

EIGHTHS = " ▏▎▍▌▋▊▉"


def length(line: str) -> float:
    """A bar's length in cells, eighths included."""
    cells = line.count("█")
    return cells + sum(EIGHTHS.index(c) / 8 for c in line if c in EIGHTHS[1:])


def chart(*scores: float) -> list[str]:
    project = Project(
        id="p",
        title="P",
        metrics=(Metric(name="auc", optimise=True),),
        models=tuple(CandidateModel(name=f"m{i}", scores={"auc": s}) for i, s in enumerate(scores)),
    )
    text = [line.plain for line in panel_lines(project, Settings(), 80)]
    return text[next(i for i, line in enumerate(text) if line.startswith("Chart")) :]


def test_bars_start_at_zero_and_say_so() -> None:
    lines = chart(0.52, 0.46)
    assert any("bars start at 0" in line for line in lines)
    high = length(next(line for line in lines if line.startswith("■ m0")))
    low = length(next(line for line in lines if line.startswith("■ m1")))
    assert abs(low / high - 0.46 / 0.52) < 0.03


def test_a_negative_score_moves_the_start_and_the_chart_says_so() -> None:
    lines = chart(0.5, -0.5)
    assert any("bars start at -0.5, not at 0" in line for line in lines)
    assert length(next(line for line in lines if line.startswith("■ m1"))) == 0
