"""Snapshots of the whole dashboard at 80x24 and 160x48: grid, kanban and panel."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from apps.dashboard_app import make_app
from conftest import Loaded

# The dashboard drawn in a virtual terminal: seconds each, and UI tests though they import none.
pytestmark = pytest.mark.slow

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize(
    ("name", "keys"),
    [("grid", []), ("board", ["2"]), ("panel", ["3"]), ("ranking", ["4"])],
)
def test_views_at_80x24(
    snap_compare: SnapCompare, loaded: Loaded, name: str, keys: list[str]
) -> None:
    assert snap_compare(make_app(), press=keys, terminal_size=(80, 24), run_before=loaded), name


def test_side_by_side_at_160x48(snap_compare: SnapCompare, loaded: Loaded) -> None:
    assert snap_compare(
        make_app(), press=["down", "down"], terminal_size=(160, 48), run_before=loaded
    )


def test_back_edge_dialog_at_80x24(snap_compare: SnapCompare, loaded: Loaded) -> None:
    # The selection walks to a project in training, then b opens the reason dialog.
    assert snap_compare(
        make_app(), press=["4", "j", "j", "b"], terminal_size=(80, 24), run_before=loaded
    )
