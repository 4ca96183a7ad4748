"""Shared fixtures and options: the vendored corpora, the fast loop, waiting for the dashboard.

`pytest --fast` (what `make test-fast` runs) collects only the test files
that import neither `tui` nor Textual, that is the tests of `core` and
`portfolio`: they run in seconds. The choice is read from each file's imports,
so a new test file lands on the right side without a list to keep.
"""

from __future__ import annotations

import ast
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Imported up front: hypothesis's pytest plugin otherwise imports it at the end of a run, and
# after some asyncio tests CPython 3.11's AST parser then fails ("recursion depth mismatch").
import hypothesis  # noqa: F401
import pytest
from factories import example_copy

if TYPE_CHECKING:
    from textual.pilot import Pilot

Loaded = Callable[["Pilot[Any]"], Awaitable[None]]
"""Awaited with a pilot: returns once the dashboard shows its portfolio (or its load errors)."""

TESTS = Path(__file__).resolve().parent
CORPORA = TESTS / "corpora"
"""Test corpora kept in the repository (each with its licence), so a fresh clone tests alone."""

UI_PACKAGES = frozenset({"tui", "textual", "rich"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help="only the tests of core and portfolio (files importing neither tui nor textual)",
    )


def imports_ui(path: Path) -> bool:
    """Whether the test file at `path` imports `tui`, Textual or Rich anywhere in it."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        else:
            continue
        if any(name.split(".")[0] in UI_PACKAGES for name in names):
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if not config.getoption("--fast"):
        return None
    if collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        return imports_ui(collection_path) or None
    return None


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example portfolio in the test's folder, safe to edit."""
    return example_copy(tmp_path)


@pytest.fixture
def corpus_dir() -> Path:
    """The vendored test corpora, inside the repository (tests/corpora)."""
    return CORPORA


async def wait_until_loaded(pilot: Pilot[Any]) -> None:
    """Let the dashboard read its file in the background and fill its views, then settle.

    `mlfolio` draws its first frame before reading the file; `app.loaded` is set
    once the portfolio or its errors are on screen. No sleeping: the event is awaited.
    """
    from tui.dashboard.app import MlfolioApp

    app = pilot.app
    assert isinstance(app, MlfolioApp), "only the dashboard loads in the background"
    await app.loaded.wait()
    await pilot.pause()


@pytest.fixture
def loaded() -> Loaded:
    """`await loaded(pilot)` once the app runs; also a `run_before` for snapshot tests."""
    return wait_until_loaded
