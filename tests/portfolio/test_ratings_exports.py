"""Ratings in every export: the spread in JSON (valid against its schema), CSV, Markdown, HTML."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev set

from core.edits.changes import Rate
from core.models import Portfolio, Project
from portfolio.exports import render
from portfolio.exports.schema import export_json_schema

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def rated() -> Portfolio:
    """One project rated by three people; one of them has markup in their name."""
    portfolio = Portfolio(projects=(Project(id="churn", title="Churn", impact={}, feasibility={}),))
    for person, score in (("ann", 2), ("*bob*", 5), ("cy", 4)):
        edit = Rate("churn", person, (("automation", score), ("data_availability", 3)))
        portfolio = edit.apply(portfolio, NOW, person)
    return portfolio


def test_json_export_holds_the_spread_and_fits_its_schema() -> None:
    data = json.loads(render(rated(), "json", NOW))
    jsonschema.validate(data, export_json_schema())
    ratings = data["projects"][0]["ratings"]
    assert ratings["raters"] == ["ann", "*bob*", "cy"]
    automation, availability = ratings["spread"]
    assert automation == {
        "key": "automation",
        "count": 3,
        "low": 2,
        "median": 4.0,
        "high": 5,
        "disagrees": True,
        "scores": [
            {"by": "ann", "score": 2},
            {"by": "*bob*", "score": 5},
            {"by": "cy", "score": 4},
        ],
    }
    assert availability["disagrees"] is False


def test_csv_export_counts_raters_and_disagreements() -> None:
    (row,) = csv.DictReader(io.StringIO(render(rated(), "csv", NOW)))
    assert row["raters"] == "3"
    assert row["disagreements"] == "1"
    assert row["rating_spread"] == (
        "automation 2-5 median 4 (3); data availability 3-3 median 3 (3)"
    )


def test_markdown_and_html_list_each_spread_with_names_as_text() -> None:
    markdown = render(rated(), "md", NOW)
    assert (
        "- **Ratings:** automation: 3 raters, 2–5, median 4 (ann 2, \\*bob\\* 5, cy 4)" in markdown
    )
    html = render(rated(), "html", NOW)
    assert "<dt>Ratings</dt><dd>automation: 3 raters, 2–5, median 4 (ann 2, *bob* 5, cy 4)" in html
