"""Bars start at zero, so a bar's length is proportional to its value (or the scale says not)."""

from __future__ import annotations

import math

from core.views.bars import bar_scale


def test_bars_start_at_zero_so_046_is_not_half_of_052() -> None:
    scale = bar_scale([0.46, 0.52])
    assert scale.from_zero
    assert scale.note == "bars start at 0"
    assert math.isclose(scale.fraction(0.52), 1.0)
    assert math.isclose(scale.fraction(0.46), 0.46 / 0.52)


def test_a_negative_value_moves_the_start_and_says_so() -> None:
    scale = bar_scale([-3.0, 1.0])
    assert not scale.from_zero
    assert scale.note == "bars start at -3, not at 0"
    assert scale.fraction(-3.0) == 0.0
    assert scale.fraction(1.0) == 1.0


def test_infinities_and_nan_do_not_stretch_the_scale() -> None:
    scale = bar_scale([2.0, math.inf, math.nan])
    assert (scale.start, scale.end) == (0.0, 2.0)
    assert scale.fraction(math.inf) == 1.0
    assert scale.fraction(math.nan) == 0.0
    assert bar_scale([0.0, 0.0]).fraction(0.0) == 0.0
