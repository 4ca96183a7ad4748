"""The app's export writer, below the UI: names, the summary, and never over a file unasked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from portfolio import load
from portfolio.output import (
    ExportExistsError,
    ExportRequest,
    default_export_name,
    markdown_summary,
    write_export,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "portfolio.toml"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_default_names_and_the_summary() -> None:
    portfolio = load(EXAMPLE)
    assert default_export_name(portfolio, "csv", NOW) == "northwind-ml-portfolio-20261121.csv"
    assert markdown_summary("# T\n\n## Ranking\n\nx\n\n## Projects\n\n### 1. P\n") == (
        "# T\n\n## Ranking\n\nx\n"
    )


def test_an_export_is_written_once_then_replaced_only_when_forced(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    portfolio = load(path)
    folder = tmp_path / "exports"
    request = ExportRequest("csv", "r.csv")
    done = write_export(folder, request, portfolio, NOW, svg=None, force=False)
    assert done.path == folder / "r.csv"
    first = done.path.read_text(encoding="utf-8")
    assert first.splitlines()[0].startswith("rank,")
    assert "## Ranking" in done.summary
    assert "## Projects" not in done.summary
    with pytest.raises(ExportExistsError) as raised:
        write_export(folder, request, portfolio, NOW, svg="<svg/>", force=False)
    assert raised.value.path == folder / "r.csv"
    assert done.path.read_text(encoding="utf-8") == first
    again = write_export(folder, request, portfolio, NOW, svg="<svg/>", force=True)
    assert again.path.read_text(encoding="utf-8") == "<svg/>"
