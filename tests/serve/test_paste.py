"""Pasted text never runs keys: the serve filter, and the app's own paste handling.

Before: a paste holding the bracketed-paste end marker (`note ESC[201~f`) ended
the paste early in the dashboard, and the `f` after it moved a project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from factories import NOW, ROOT
from textual import events

from portfolio import load
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.serve.paste import END, START, PasteGuard
from tui.widgets.ranking import FilterInput

ATTACK = START + b"note " + END + b"f " + END


def _fed(chunks: list[bytes]) -> bytes:
    guard = PasteGuard()
    return b"".join(guard.feed(chunk) for chunk in chunks)


def test_a_nested_end_marker_stays_pasted_text() -> None:
    assert _fed([ATTACK]) == START + b"note [201~f " + END


def test_no_esc_byte_reaches_the_terminal_inside_a_paste() -> None:
    sent = START + b"a\x1b[A\x1b[200~b\x1bOPc\x1b" + END + b"x"
    assert _fed([sent]) == START + b"a[A[200~bOPc" + END + b"x"


def test_keys_outside_a_paste_pass_unchanged() -> None:
    keys = b"f\x1b[B\x1b\x1bOP\x1b[1;5A\x03q"
    assert _fed([keys]) == keys
    assert _fed([bytes([b]) for b in keys]) == keys


@pytest.mark.parametrize("cut", range(1, len(START + b"ab\x1bc" + END)))
def test_markers_cut_between_reads_are_still_seen(cut: int) -> None:
    sent = b"k" + START + b"ab\x1bc" + END + b"f"
    assert _fed([sent[:cut], sent[cut:]]) == b"k" + START + b"abc" + END + b"f"


def test_the_paste_state_ends_with_the_paste() -> None:
    guard = PasteGuard()
    guard.feed(START + b"x" + END)
    assert not guard.pasting
    assert guard.feed(b"\x1b") == b"\x1b"


# -- the app ---------------------------------------------------------------------------

HOSTILE = "note\x1b[201~f\x1b[2J\x1b]0;title\x07\x07 end"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    file = tmp_path / "portfolio.toml"
    shutil.copyfile(ROOT / "examples" / "portfolio.toml", file)
    return file


def _app(path: Path) -> MlfolioApp:
    return create_app(path, clock=lambda: NOW, user="ann", poll_interval=0)


async def test_a_paste_on_the_dashboard_never_moves_a_project(example: Path) -> None:
    before = example.read_bytes()
    app = _app(example)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        app.selected = "fitness-pose"
        app.post_message(events.Paste(HOSTILE))
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is not None
        assert app.session.portfolio.project("fitness-pose") == load(example).project(
            "fitness-pose"
        )
    assert example.read_bytes() == before


async def test_text_pasted_into_a_box_holds_no_control_sequence(example: Path) -> None:
    app = _app(example)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await pilot.press("4", "slash")
        await pilot.pause()
        box = app.query_one(FilterInput)
        assert app.focused is box
        app.post_message(events.Paste(HOSTILE))
        await pilot.pause()
        assert box.value == "notef end"
        assert "\x1b" not in box.value
