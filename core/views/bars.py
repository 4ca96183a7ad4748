"""Where a bar chart's bars start and end, so a bar's length is proportional to its value.

Bars start at zero: 0.46 draws 88% as long as 0.52, never "half of it".
When a value is negative the axis has to reach below zero; the scale then
starts at the smallest value and says so (`note`), so a reader is never
misled about what a bar's length means.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from core.rules.evaluation import format_number

__all__ = ["BarScale", "bar_scale"]


@dataclass(frozen=True, slots=True)
class BarScale:
    """The value a bar of no length stands for (`start`) and the value a full bar stands for."""

    start: float
    end: float

    @property
    def from_zero(self) -> bool:
        """Whether bars start at zero (lengths are proportional to the values)."""
        return self.start == 0.0

    @property
    def note(self) -> str:
        """What the axis is, in words: 'bars start at 0' or 'bars start at -3, not at 0'."""
        if self.from_zero:
            return "bars start at 0"
        return f"bars start at {format_number(self.start)}, not at 0"

    def fraction(self, value: float) -> float:
        """How much of a full bar `value` fills, 0 to 1 (an infinity fills all or nothing)."""
        if math.isnan(value):
            return 0.0
        if math.isinf(value):
            return 1.0 if value > 0 else 0.0
        if self.end <= self.start:
            return 0.0
        return min(max((value - self.start) / (self.end - self.start), 0.0), 1.0)


def bar_scale(values: Iterable[float]) -> BarScale:
    """The scale for `values`: from zero (or the lowest value when one is negative) to the largest.

    Infinite and NaN values are left out of the scale (they fill a bar or none).
    """
    finite = [v for v in values if math.isfinite(v)]
    low = min([0.0, *finite])
    high = max([0.0, *finite])
    return BarScale(low, high)
