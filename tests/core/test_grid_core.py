"""The grid projection: points in rank order, and arrow keys that reach every point."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import Feasibility, Impact, Portfolio, Project, ScoreRange
from core.rules.priority import Quadrant, assess, rank
from core.views.grid import (
    Direction,
    GridAxis,
    GridIndex,
    GridPoint,
    grid_cells,
    grid_neighbour,
    grid_points,
)

DIRECTIONS: tuple[Direction, ...] = ("up", "down", "left", "right")


def project(pid: str, impact: int, feasibility: int, title: str | None = None) -> Project:
    """A project whose lenses all equal `impact` and whose drivers all equal `feasibility`."""
    return Project(
        id=pid,
        title=title or pid,
        impact=Impact(
            cheap_prediction=impact,
            product_friction=impact,
            automation=impact,
            industry_precedent=impact,
        ),
        feasibility=Feasibility(
            data_availability=feasibility,
            accuracy_requirement=feasibility,
            problem_difficulty=feasibility,
        ),
    )


def point(pid: str, feasibility: float, impact: float) -> GridPoint:
    """A bare grid point at (feasibility, impact); rank is its position in the tuple."""
    return GridPoint(
        project_id=pid,
        marker=pid,
        title=pid,
        impact=impact,
        feasibility=feasibility,
        quadrant=Quadrant.QUICK_WINS,
        near_boundary=False,
        can_flip=False,
    )


def level(value: float) -> float:
    """A score as the grid compares it: float noise in the last bits is ignored."""
    return round(value, 9)


def walk(points: tuple[GridPoint, ...], start: str, *moves: Direction) -> str | None:
    """Where a sequence of arrow keys leads from `start` (stays put when a move finds nothing)."""
    here: str | None = start
    for move in moves:
        here = grid_neighbour(points, here, move) or here
    return here


def reachable(points: tuple[GridPoint, ...], start: str) -> set[str]:
    """Every project id some sequence of arrow keys reaches from `start`."""
    seen = {start}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for move in DIRECTIONS:
            there = grid_neighbour(points, here, move)
            if there is not None and there not in seen:
                seen.add(there)
                queue.append(there)
    return seen


# grid_points -------------------------------------------------------------------------------


def test_grid_points_follow_the_ranking_and_number_the_markers() -> None:
    portfolio = Portfolio(
        projects=(
            project("low", 1, 1, "Low everything"),
            project("top", 5, 5, "Top everything"),
            project("mid", 3, 4, "Middling"),
        )
    )
    points = grid_points(portfolio)
    assert [p.project_id for p in points] == [a.project_id for a in rank(portfolio)]
    assert [p.project_id for p in points] == ["top", "mid", "low"]
    assert [p.marker for p in points] == ["1", "2", "3"]
    assert [p.title for p in points] == ["Top everything", "Middling", "Low everything"]


def test_grid_points_carry_the_assessment() -> None:
    shaky = project("shaky", 3, 4).model_copy(
        update={
            "impact": Impact(
                cheap_prediction=3,
                product_friction=3,
                automation=3,
                industry_precedent=3,
                ranges={"automation": ScoreRange(low=1, high=5)},
            )
        }
    )
    portfolio = Portfolio(projects=(shaky, project("safe", 5, 5)))
    by_id = {p.project_id: p for p in grid_points(portfolio)}
    for pid, grid_point in by_id.items():
        found = portfolio.project(pid)
        assert found is not None
        assessment = assess(found, portfolio.settings)
        assert grid_point.impact == assessment.impact
        assert grid_point.feasibility == assessment.feasibility
        assert grid_point.quadrant is assessment.quadrant
        assert grid_point.near_boundary == assessment.near_boundary
        assert grid_point.can_flip == assessment.can_flip
    assert by_id["shaky"].uncertain
    assert not by_id["safe"].uncertain


def test_grid_points_of_an_empty_portfolio() -> None:
    assert grid_points(Portfolio()) == ()


# grid_neighbour: the basics ------------------------------------------------------------------

CROSS = (
    point("c", 3.0, 3.0),
    point("r", 4.0, 3.0),
    point("l", 2.0, 3.0),
    point("u", 3.0, 4.0),
    point("d", 3.0, 2.0),
)


@pytest.mark.parametrize(
    ("direction", "expected"), [("right", "r"), ("left", "l"), ("up", "u"), ("down", "d")]
)
def test_each_direction_from_the_centre(direction: Direction, expected: str) -> None:
    assert grid_neighbour(CROSS, "c", direction) == expected


@pytest.mark.parametrize(
    ("start", "direction"), [("r", "right"), ("l", "left"), ("u", "up"), ("d", "down")]
)
def test_nothing_beyond_the_edge(start: str, direction: Direction) -> None:
    assert grid_neighbour(CROSS, start, direction) is None


def test_no_current_or_unknown_current_picks_the_top_ranked() -> None:
    assert grid_neighbour(CROSS, None, "right") == "c"
    assert grid_neighbour(CROSS, "gone", "down") == "c"


def test_no_points_no_neighbour() -> None:
    assert grid_neighbour((), None, "up") is None
    assert grid_neighbour([], "x", "left") is None


def test_a_single_point_has_no_neighbours() -> None:
    alone = (point("a", 3.0, 3.0),)
    assert all(grid_neighbour(alone, "a", d) is None for d in DIRECTIONS)


def test_up_takes_the_nearest_level_then_the_horizontally_nearest() -> None:
    points = (
        point("start", 3.0, 1.0),
        point("far-up", 3.0, 5.0),
        point("near-up-far-across", 4.5, 2.0),
        point("near-up-near-across", 2.5, 2.0),
    )
    assert grid_neighbour(points, "start", "up") == "near-up-near-across"


def test_vertical_ties_go_to_the_better_rank() -> None:
    points = (point("start", 3.0, 1.0), point("a", 2.0, 2.0), point("b", 4.0, 2.0))
    assert grid_neighbour(points, "start", "up") == "a"
    swapped = (points[0], points[2], points[1])
    assert grid_neighbour(swapped, "start", "up") == "b"


def test_right_walks_the_row_before_stepping_to_another() -> None:
    points = (
        point("start", 1.0, 3.0),
        point("closer-other-row", 1.5, 4.0),
        point("same-row", 4.0, 3.0),
    )
    assert grid_neighbour(points, "start", "right") == "same-row"


def test_past_the_row_end_right_takes_the_nearest_level_then_the_vertically_nearest() -> None:
    points = (
        point("start", 1.0, 3.0),
        point("far-right", 5.0, 3.2),
        point("next-level-far", 2.0, 5.0),
        point("next-level-near", 2.0, 2.5),
    )
    # "far-right" is on another row, so the row walk finds nothing first.
    assert grid_neighbour(points, "start", "right") == "next-level-near"
    assert grid_neighbour(points, "next-level-near", "left") == "start"


def test_left_past_the_row_start() -> None:
    points = (point("start", 4.0, 3.0), point("a", 3.0, 1.0), point("b", 3.0, 4.5))
    assert grid_neighbour(points, "start", "left") == "b"


def test_stacked_points_are_walked_in_rank_order() -> None:
    points = (
        point("first", 3.0, 3.0),
        point("elsewhere", 4.0, 3.0),
        point("second", 3.0, 3.0),
        point("third", 3.0, 3.0),
    )
    assert walk(points, "first", "right") == "second"
    assert walk(points, "second", "right") == "third"
    assert walk(points, "third", "right") == "elsewhere"
    assert walk(points, "elsewhere", "left") == "third"
    assert walk(points, "third", "left", "left") == "first"
    assert grid_neighbour(points, "first", "left") is None


def test_float_noise_does_not_split_a_level() -> None:
    points = (point("a", 1.0, 0.1 + 0.2), point("b", 2.0, 0.3), point("c", 3.0, 0.30000001))
    assert grid_neighbour(points, "a", "right") == "b"
    assert grid_neighbour(points, "a", "up") == "c"


def test_the_counter_example_for_pure_nearest_moves_is_reachable() -> None:
    # With "nearest level, then nearest across" for all four keys, "q" would be
    # unreachable: every neighbouring level enters elsewhere. The row walk fixes it.
    points = (
        point("a", 2.0, 0.0),
        point("q", 2.0, 3.0),
        point("b", 2.0, 6.0),
        point("c", -1.0, 3.0),
        point("d", 5.0, 3.0),
        point("e", 1.9, 0.0),
        point("g", 2.1, 6.0),
        point("h", -1.0, 2.9),
        point("i", 5.0, 3.1),
    )
    assert reachable(points, "a") == {p.project_id for p in points}


# grid_neighbour: properties --------------------------------------------------------------------

coordinate = st.one_of(
    st.sampled_from([1.0, 2.0, 2.5, 3.0, 4.0, 5.0]),
    st.floats(min_value=1.0, max_value=5.0, allow_nan=False),
)
"""Few distinct values so that rows, columns and stacks are common, plus any score."""


@st.composite
def point_sets(draw: st.DrawFn) -> tuple[GridPoint, ...]:
    """Up to 25 points at drawn positions, named by their rank."""
    positions = draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=25))
    return tuple(point(f"p{i}", f, imp) for i, (f, imp) in enumerate(positions))


@settings(max_examples=150, deadline=None)
@given(point_sets(), st.data())
def test_every_point_is_reachable_from_any_start(
    points: tuple[GridPoint, ...], data: st.DataObject
) -> None:
    start = data.draw(st.sampled_from([p.project_id for p in points]))
    assert reachable(points, start) == {p.project_id for p in points}


@settings(max_examples=150, deadline=None)
@given(point_sets(), st.data())
def test_every_move_goes_the_way_it_says(
    points: tuple[GridPoint, ...], data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(points) - 1))
    here = points[index]
    by_id = {p.project_id: (i, p) for i, p in enumerate(points)}
    for direction in DIRECTIONS:
        target = grid_neighbour(points, here.project_id, direction)
        if target is None:
            continue
        there_index, there = by_id[target]
        assert target != here.project_id
        if direction == "up":
            assert level(there.impact) > level(here.impact)
        elif direction == "down":
            assert level(there.impact) < level(here.impact)
        else:
            sign = 1 if direction == "right" else -1
            # Strictly that way, or the same place and later (earlier) in rank order.
            moved = sign * (level(there.feasibility) - level(here.feasibility))
            same_row = level(there.impact) == level(here.impact)
            assert moved > 0 or (moved == 0 and same_row and sign * (there_index - index) > 0)


@settings(max_examples=100, deadline=None)
@given(point_sets())
def test_up_and_down_never_report_a_missing_level(points: tuple[GridPoint, ...]) -> None:
    top = max(level(p.impact) for p in points)
    bottom = min(level(p.impact) for p in points)
    for here in points:
        at_top = level(here.impact) == top
        at_bottom = level(here.impact) == bottom
        assert (grid_neighbour(points, here.project_id, "up") is None) == at_top
        assert (grid_neighbour(points, here.project_id, "down") is None) == at_bottom


# GridAxis and grid_cells -------------------------------------------------------------------------


def test_axis_split_is_proportional_with_a_cell_each_side() -> None:
    assert GridAxis.split(3.0, 10) == GridAxis(3.0, 5, 5)
    assert GridAxis.split(2.0, 8) == GridAxis(2.0, 2, 6)
    assert GridAxis.split(4.9, 4) == GridAxis(4.9, 3, 1)
    assert GridAxis.split(1.01, 2) == GridAxis(1.01, 1, 1)
    with pytest.raises(ValueError, match="at least 2"):
        GridAxis.split(3.0, 1)


def test_axis_cells_at_the_ends_and_the_threshold() -> None:
    axis = GridAxis.split(3.0, 8)
    assert axis.cell(1.0) == 0
    assert axis.cell(5.0) == 7
    assert axis.cell(3.0) == 4
    assert axis.cell(2.999) == 3


@settings(max_examples=150, deadline=None)
@given(
    st.floats(min_value=1.01, max_value=4.99),
    st.integers(min_value=2, max_value=60),
    st.floats(min_value=1.0, max_value=5.0),
    st.floats(min_value=1.0, max_value=5.0),
)
def test_axis_cells_are_monotonic_and_respect_the_threshold(
    threshold: float, count: int, a: float, b: float
) -> None:
    axis = GridAxis.split(threshold, count)
    assert axis.cells == count
    assert 0 <= axis.cell(a) < count
    assert (axis.cell(a) >= axis.below) == (a >= threshold)
    if a <= b:
        assert axis.cell(a) <= axis.cell(b)


def test_grid_cells_group_points_best_rank_first() -> None:
    points = (
        point("a", 4.0, 4.0),
        point("b", 1.0, 1.0),
        point("c", 4.1, 4.1),
        point("d", 1.0, 1.0),
    )
    impact = GridAxis.split(3.0, 4)
    feasibility = GridAxis.split(3.0, 4)
    cells = grid_cells(points, impact, feasibility)
    assert cells == {(3, 3): (0, 2), (0, 0): (1, 3)}


# GridIndex: the same moves as looking at every point ------------------------------------------


def scan_neighbour(
    points: tuple[GridPoint, ...], current_id: str | None, direction: Direction
) -> str | None:
    """The moves `GridIndex` must make, found by looking at every point (the rules, spelled out).

    Up/down: the nearest impact level beyond, then the least feasibility distance,
    then the better rank. Left/right: the next point along the impact row in
    (feasibility level, rank) order, else the nearest feasibility level that way,
    then the least impact distance, then the better rank.
    """
    if not points:
        return None
    ids = [p.project_id for p in points]
    if current_id not in ids:
        return points[0].project_id
    index = ids.index(current_id)
    here = points[index]
    if direction in ("up", "down"):
        sign = 1 if direction == "up" else -1
        beyond = [
            (
                sign * (level(p.impact) - level(here.impact)),
                abs(p.feasibility - here.feasibility),
                i,
            )
            for i, p in enumerate(points)
            if sign * (level(p.impact) - level(here.impact)) > 0
        ]
        return points[min(beyond)[2]].project_id if beyond else None
    sign = 1 if direction == "right" else -1
    key = (level(here.feasibility), index)
    row = sorted(
        (level(p.feasibility), i)
        for i, p in enumerate(points)
        if i != index
        and level(p.impact) == level(here.impact)
        and ((level(p.feasibility), i) > key) == (sign > 0)
    )
    if row:
        return points[(row[0] if sign > 0 else row[-1])[1]].project_id
    beyond = [
        (sign * (level(p.feasibility) - level(here.feasibility)), abs(p.impact - here.impact), i)
        for i, p in enumerate(points)
        if sign * (level(p.feasibility) - level(here.feasibility)) > 0
    ]
    return points[min(beyond)[2]].project_id if beyond else None


noisy = st.one_of(
    coordinate,
    st.sampled_from([1.0, 2.0, 3.0]).map(lambda v: v + 1e-12),
    st.sampled_from([1.75, 2.25, 3.5]),
)
"""Scores with float noise below the grid's rounding, and values equally far from others."""


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(noisy, noisy), min_size=1, max_size=40), st.data())
def test_the_index_moves_as_a_scan_of_every_point_would(
    positions: list[tuple[float, float]], data: st.DataObject
) -> None:
    points = tuple(point(f"p{i}", f, imp) for i, (f, imp) in enumerate(positions))
    index = GridIndex.build(points)
    start = data.draw(st.sampled_from([None, "gone", *(p.project_id for p in points)]))
    for direction in DIRECTIONS:
        assert index.neighbour(start, direction) == scan_neighbour(points, start, direction)


def test_a_tie_in_distance_across_goes_to_the_better_rank_on_either_side() -> None:
    start, right, left = point("start", 2.0, 1.0), point("right", 3.0, 2.0), point("left", 1.0, 2.0)
    assert GridIndex.build((start, right, left)).neighbour("start", "up") == "right"
    assert GridIndex.build((start, left, right)).neighbour("start", "up") == "left"


class NoScan(tuple[GridPoint, ...]):
    """Points that fail the test when something walks through all of them."""

    def __iter__(self) -> Iterator[GridPoint]:
        raise AssertionError("a move looked at every point")


def test_a_move_does_not_look_at_every_point() -> None:
    points = tuple(point(f"p{i}", 1 + (i % 17) / 4, 1 + (i // 17 % 17) / 4) for i in range(10_000))
    index = GridIndex.build(points)
    moves = replace(index, points=NoScan(index.points))
    for direction in DIRECTIONS:
        assert moves.neighbour("p5000", direction) == index.neighbour("p5000", direction)
        assert moves.neighbour("p5000", direction) is not None
