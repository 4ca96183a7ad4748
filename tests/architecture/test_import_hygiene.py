"""The architecture holds: core is pure, portfolio has no UI, headless commands skip Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from factories import ROOT

TOML_LIBRARIES = ("tomli", "tomli_w", "rtoml")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return set(out.stdout.split())


def test_core_imports_no_io_or_ui() -> None:
    loaded = _modules_after(
        "import core, core.models, core.rules.priority, core.rules.lifecycle, core.edits.changes, "
        "core.rules.evaluation, core.rules.baselines, core.rules.consistency, "
        "core.views.board, core.views.grid, core.views.dashboard"
    )
    for forbidden in ("textual", "rich", "tomllib", *TOML_LIBRARIES, "portfolio", "tui"):
        assert forbidden not in loaded, forbidden


def test_portfolio_imports_no_ui() -> None:
    loaded = _modules_after("import portfolio")
    assert "textual" not in loaded
    assert "tui" not in loaded


def test_headless_commands_do_not_load_textual() -> None:
    loaded = _modules_after("import tui.cli")
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_the_ssh_server_does_not_load_textual() -> None:
    """The contract's other half, by running it: serve's parent process is headless too."""
    loaded = _modules_after(
        "import tui.serve, tui.serve.keys, tui.serve.server, tui.serve.session, tui.serve.paste"
    )
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_the_dashboard_draws_its_first_frame_without_the_model_or_the_file_modules() -> None:
    """What `mlfolio FILE` imports before its first frame: Textual, not pydantic or `core`.

    Those load in the thread that reads the file, after the first frame is up.
    """
    loaded = _modules_after("import tui.cli, tui.dashboard.launch, tui.dashboard.app")
    for forbidden in ("pydantic", "pydantic_core", "core", "portfolio", *TOML_LIBRARIES):
        assert forbidden not in loaded, forbidden
    for later in ("portfolio.session", "tui.dashboard.saving", "tui.screens", "tui.widgets.grid"):
        assert later not in loaded, later


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
