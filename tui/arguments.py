"""Value types for the command line's options, shared by `mlfolio serve` and `mlfolio web`.

Plain `argparse` types (no Textual, no Rich), so the headless faces can use
them behind their contract: a bad value is refused with one line naming it.
"""

from __future__ import annotations

import argparse

__all__ = ["port", "positive"]


def port(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65_535:
        raise argparse.ArgumentTypeError(f"not a port number (0-65535): {text!r}")
    return value


def positive(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {text!r}")
    return value
