"""P switches the ranking to the pessimistic one and back, saving nothing (finding 8)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.models import Portfolio, Project
from portfolio import dumps
from tui.dashboard.launch import create_app

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
FULL = {"cheap_prediction": 4, "product_friction": 4, "automation": 4, "industry_precedent": 4}


async def test_p_toggles_the_pessimistic_ranking(tmp_path: Path) -> None:
    sure = Project(
        id="sure",
        title="Sure thing",
        impact=FULL,
        feasibility={"data_availability": 4, "accuracy_requirement": 4, "problem_difficulty": 4},
    )
    wide = Project(
        id="wide",
        title="Wide bet",
        impact=dict.fromkeys(FULL, 5) | {"ranges": {"automation": {"low": 1, "high": 5}}},
        feasibility={
            "data_availability": 4,
            "accuracy_requirement": 4,
            "problem_difficulty": 4,
            "ranges": {"data_availability": {"low": 1, "high": 4}},
        },
    )
    path = tmp_path / "portfolio.toml"
    path.write_text(dumps(Portfolio(projects=(sure, wide))), encoding="utf-8")
    before = path.read_bytes()
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.dashboard is not None
        assert app.dashboard.ranking == ("wide", "sure")
        await pilot.press("4", "P")
        await pilot.pause()
        assert app.dashboard.ranking == ("sure", "wide")
        rows = {row.project_id: row.score for row in app.dashboard.rows}
        assert rows["wide"] < rows["sure"]
        await pilot.press("P")
        await pilot.pause()
        assert app.dashboard.ranking == ("wide", "sure")
    assert path.read_bytes() == before
