"""Pasted text never runs keys: the serve filter, and the app's own paste handling.

Before: a paste holding the bracketed-paste end marker (`note ESC[201~f`) ended
the paste early in the dashboard, and the `f` after it moved a project.
"""

from __future__ import annotations

import pytest

from tui.serve_paste import END, START, PasteGuard

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
