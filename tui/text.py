"""Display guards for user text: never markup, never terminal control codes.

Control characters are refused when a portfolio loads; stripping them again
here is the second guard, for text that reached the screen some other way.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain(text: str, *, one_line: bool = True) -> str:
    """`text` with control characters removed (tab and newline kept unless one line)."""
    pattern = _CONTROL_ONE_LINE if one_line else _CONTROL
    return pattern.sub("", text)
