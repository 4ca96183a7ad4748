"""The send-back dialog offers the reason codes valid on the chosen edge, keyboard only."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from core.vocabulary import BackReason
from portfolio import load
from tui.dashboard.launch import create_app
from tui.dialogs import StageReasonDialog

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio.toml"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _options(dialog: StageReasonDialog) -> list[str]:
    reasons = dialog.query_one("#reasons", OptionList)
    return [str(reasons.get_option_at_index(i).id) for i in range(reasons.option_count)]


async def test_the_codes_follow_the_edge_and_other_needs_words(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, path)
    app = create_app(path, clock=lambda: NOW, user="ann", poll_interval=0.0)
    async with app.run_test(size=(100, 40)) as pilot:
        await _settle(pilot)
        app.selected = "radiology-triage"  # in deployment: three earlier stages
        await pilot.press("b")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StageReasonDialog)
        # the nearest earlier stage first: training
        assert _options(dialog) == ["fails-in-the-lab", "accuracy-must-improve", "other"]
        await pilot.press("down")  # data
        await pilot.pause()
        assert _options(dialog) == ["train-production-mismatch", "hard-cases-to-mine", "other"]
        await pilot.press("enter")  # to the codes
        await pilot.press("down", "down", "enter")  # other
        await pilot.pause()
        assert dialog.query_one("#reason", Input).has_focus
        await pilot.press("enter")  # other without words is refused
        await pilot.pause()
        assert app.screen is dialog
        message = str(dialog.query_one("#dialog-message", Static).render())
        assert "say why in a few words" in message
        await pilot.press(*"scanner swap")
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen is not dialog
    saved = load(path).project("radiology-triage")
    assert saved is not None
    last = saved.history[-1]
    assert (last.to_stage, last.reason_code, last.reason) == (
        "data",
        BackReason.OTHER,
        "scanner swap",
    )
