"""Every export marks a project never scored, and places it in no quadrant (issue 11, item 4)."""

from __future__ import annotations

import csv
import io
import json

from factories import NOW, portfolio, project

from core.models import Feasibility, Impact
from portfolio.exports import render

SCORED = project("scored", title="Scored one", impact=Impact(), feasibility=Feasibility())
FRESH = project("fresh", title="Fresh idea")
BOTH = portfolio(SCORED, FRESH)


def test_markdown_marks_unscored_and_keeps_it_out_of_the_quadrants() -> None:
    text = render(BOTH, "md", NOW)
    quadrants = text.split("## Quadrants")[1].split("## Ranking")[0]
    assert "Fresh idea" not in quadrants
    assert "Scored one" in quadrants
    row = next(line for line in text.splitlines() if "(fresh)" in line)
    assert "| — | — | unscored | — |" in row
    assert "impact and feasibility not scored yet" in text


def test_html_marks_unscored_and_plots_no_marker_for_it() -> None:
    text = render(BOTH, "html", NOW)
    assert "<td>unscored</td>" in text
    assert "Fresh idea: " not in text  # no grid marker (its tooltip starts "2. Fresh idea: ")
    assert "Scored one: " in text


def test_json_and_csv_mark_unscored() -> None:
    data = json.loads(render(BOTH, "json", NOW))
    by_id = {p["id"]: p for p in data["projects"]}
    assert by_id["fresh"]["unscored"] == ["impact", "feasibility"]
    assert by_id["fresh"]["quadrant_label"] == "unscored"
    assert by_id["scored"]["unscored"] == []
    assert all("fresh" not in q["projects"] for q in data["quadrants"])
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(render(BOTH, "csv", NOW)))}
    assert rows["fresh"]["quadrant_label"] == "unscored"
    assert rows["scored"]["quadrant_label"] != "unscored"
