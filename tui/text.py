"""Display guards for user text: never markup, never terminal control codes.

Control characters are refused when a portfolio loads; stripping them again
here is the second guard, for text that reached the screen some other way.
Invisible format characters are valid text, so they load, and are shown here
as visible escapes.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
"""Bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C) and other invisible
format characters, which could reorder or hide text; the joiners U+200C/D stay
(scripts and emoji need them). Kept in step with `portfolio.exports.text`."""


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


def plain(text: str, *, one_line: bool = True) -> str:
    """`text` with control characters removed (tab and newline kept unless one line).

    Invisible format characters (bidi controls and the like) are shown as
    escapes such as `\\u202e`, so that nothing is reordered or hidden on screen.
    """
    pattern = _CONTROL_ONE_LINE if one_line else _CONTROL
    return _INVISIBLE.sub(_escape, pattern.sub("", text))


_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: cursor moves, the paste markers, ...
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, clipboard, links
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b.?",  # any other escape
    re.DOTALL,
)


def pasted(text: str) -> str:
    """Pasted text as data: terminal control sequences and control characters removed.

    Lines are kept (tab and newline); a pasted `ESC[201~f` becomes `f`, text
    and never the end of a paste followed by a key press.
    """
    return _CONTROL.sub("", _SEQUENCE.sub("", text))
