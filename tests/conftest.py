"""Shared fixtures: where the shared corpora live."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def shared_dir() -> Path:
    """The shared folder beside the project checkout (../shared), holding test corpora."""
    return Path(__file__).resolve().parents[1].parent / "shared"
