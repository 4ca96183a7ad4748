"""Warnings and infos are counted the same way on every surface (issue 11, finding 8).

Before, the board counted infos as warnings, the ranking and triage only
warnings, `mlfolio rank` both together and the Markdown only warnings. Every
surface now counts with `core.rules.finding_counts.count_findings`; this test
reads each surface's numbers back and compares them with the consistency check.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from core.models import Checklist, Portfolio, Stage
from core.report import build_report
from core.rules.consistency import check_portfolio
from core.rules.finding_counts import FindingCounts, count_findings
from core.triage import key_figures
from core.views.dashboard import build_dashboard
from portfolio import dumps, load
from portfolio.exports import render
from tui.cli import main
from tui.clock import utc_now

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "portfolio.toml"


def _example() -> Portfolio:
    return load(EXAMPLE)


def _crafted() -> Portfolio:
    """The example with contradictions added: warnings beside the example's infos."""
    portfolio = _example()
    updates: dict[str, dict[str, object]] = {
        # has an info; an open checklist past planning warns
        "search-ranking": {"checklist": Checklist()},
        # stale (an info); in training without metrics warns
        "churn-prediction": {"stage": Stage.TRAINING, "metrics": ()},
    }
    changed = tuple(p.model_copy(update=updates.get(p.id, {})) for p in portfolio.projects)
    return portfolio.model_copy(update={"projects": changed})


def _truth(portfolio: Portfolio, now: datetime) -> dict[str, FindingCounts]:
    found = check_portfolio(portfolio, now)
    return {p.id: count_findings(found.get(p.id, ())) for p in portfolio.projects}


@pytest.mark.parametrize("which", ["example", "crafted"])
def test_every_surface_counts_warnings_and_infos_alike(
    which: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portfolio = _example() if which == "example" else _crafted()
    now = utc_now()
    truth = _truth(portfolio, now)
    assert any(c.infos for c in truth.values())
    if which == "crafted":
        assert any(c.warnings and c.infos for c in truth.values())

    dashboard = build_dashboard(portfolio, now, include_closed=True)
    cards = {c.project_id: c for column in dashboard.columns for c in column.cards}
    assert {pid: c.findings for pid, c in cards.items()} == truth
    assert {r.project_id: r.findings for r in dashboard.rows} == truth

    for project in portfolio.projects:
        figures = dict(key_figures(project, portfolio.settings, now))
        assert figures["Findings"] == truth[project.id].words

    report = build_report(portfolio, now)
    assert {r.project.id: r.finding_counts for r in report.projects} == truth

    data = json.loads(render(portfolio, "json", now))
    assert {p["id"]: FindingCounts(p["warnings"], p["infos"]) for p in data["projects"]} == truth
    assert all(
        sum(f["severity"] == "warning" for f in p["findings"]) == p["warnings"]
        for p in data["projects"]
    )

    rows = list(csv.DictReader(io.StringIO(render(portfolio, "csv", now))))
    assert {r["id"]: FindingCounts(int(r["warnings"]), int(r["notices"])) for r in rows} == truth

    markdown = render(portfolio, "md", now)
    for project in portfolio.projects:
        counts = truth[project.id]
        row = next(line for line in markdown.splitlines() if f"({project.id}) |" in line)
        assert row.endswith(f" | {counts.warnings} | {counts.infos} |")

    html = render(portfolio, "html", now)
    for project in portfolio.projects:
        counts = truth[project.id]
        start = html.index(f'<td><a href="#p-{project.id}">')
        row = html[start : html.index("</tr>", start)]
        assert row.endswith(
            f'<td class="num">{counts.warnings}</td><td class="num">{counts.infos}</td>'
        )

    file = tmp_path / "p.toml"
    file.write_text(dumps(portfolio), encoding="utf-8")
    assert main(["rank", str(file), "--all", "--format", "json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert {r["id"]: FindingCounts(r["warnings"], r["infos"]) for r in ranked} == truth


def test_counts_are_written_one_way() -> None:
    assert FindingCounts(2, 1).compact == "2 i1"
    assert FindingCounts(0, 1).compact == "i1"
    assert FindingCounts(3, 0).compact == "3"
    assert FindingCounts().compact == ""
    assert FindingCounts(1, 2).words == "1 warning, 2 infos"
    assert FindingCounts().words == "no findings"
