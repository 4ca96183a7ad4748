"""The exports: golden files over the example, and user text that stays data in every format.

Golden files live in tests/golden/. After an intended change to an export,
regenerate them and review the diff before committing:

    MLFOLIO_UPDATE_GOLDEN=1 .venv/bin/pytest tests/portfolio/test_exports.py tests/core/test_diff.py

The clock is fixed (2026-11-21 12:00 UTC), so "days in stage" and staleness
never drift.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev set
import pytest
from factories import EXAMPLE, NOW
from markdown_it import MarkdownIt

from core.models import Portfolio, Project, Settings
from core.report import build_report
from portfolio import load
from portfolio.exports import FORMATS, render, render_report
from portfolio.exports.csv_report import COLUMNS
from portfolio.exports.schema import export_json_schema
from portfolio.exports.text import csv_cell, md

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("MLFOLIO_UPDATE_GOLDEN") == "1"

HOSTILE = (
    "=HYPERLINK(1) [click](https://evil.example) ![img](x.png) <script>alert(1)</script>"
    ' | `code` # not a heading *bold* _it_ $x$ &amp; "q" \\ ~~s~~'
)


def check_golden(name: str, text: str) -> None:
    """Compare `text` with tests/golden/`name`, or rewrite it when MLFOLIO_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.exists(), f"no golden file {name}; run with MLFOLIO_UPDATE_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert text == expected, f"{name} differs from its golden file"


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def hostile() -> Portfolio:
    """A portfolio whose user text tries every trick: links, HTML, cells, formulas."""
    project = Project(
        id="hostile",
        title=HOSTILE,
        owner="<b>eve</b> | =cmd",
        tags=("[x](y)", "-5%"),
        summary="# Heading?\n\n- list?\n1. ordered?\n<img src=x onerror=alert(1)>",
        success_criteria="> quote? ```fence```",
    )
    settings = Settings(name="Name <i>with</i> [link](http://x)")
    return Portfolio(settings=settings, projects=(project,))


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_exports_of_the_example(example: Portfolio, fmt: str) -> None:
    check_golden(f"example.{fmt}", render(example, fmt, NOW))


def test_formats_share_one_report(example: Portfolio) -> None:
    report = build_report(example, NOW)
    assert render_report(report, "md") == render(example, "md", NOW)
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        render(example, "pdf", NOW)
    with pytest.raises(ValueError, match="unknown export format"):
        render_report(report, "svg")


def test_markdown_reads_as_a_report(example: Portfolio) -> None:
    text = render(example, "md", NOW)
    assert text.startswith("# Northwind ML portfolio\n")
    for heading in ("## Quadrants", "## Ranking", "## Projects", "### 1. ", "#### Metrics"):
        assert f"\n{heading}" in text
    assert "passes p99_latency_ms ≤ 50 ms (12 ms)" in text
    assert "Winner: gbdt-v3 because it is the only model that passes every threshold" in text
    assert "tightest baseline Fraud analysts, blind review (human-expert, 0.63)" in text
    assert "hint: underfitting" in text
    assert "**Loop:** 2026-06-01: training → data: more data needed — chargebacks lag" in text
    html = MarkdownIt("commonmark").enable("table").render(text)
    # quadrants, ranking, and the flow's time in stage, back-edges by reason and outcomes
    assert html.count("<table>") == 5
    assert "<a " not in html


def _markdown_html(text: str) -> str:
    rendered: str = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    return rendered


def test_markdown_user_text_cannot_inject(hostile: Portfolio) -> None:
    text = render(hostile, "md", NOW)
    rendered = _markdown_html(text)
    for forbidden in ("<a ", "<img", "<script", "<b>", "<i>", "<code>", "<s>", "<em>", "<ol"):
        assert forbidden not in rendered, forbidden
    assert "<strong>bold" not in rendered
    assert rendered.count("<h1>") == 1
    assert rendered.count("<h2>") == 4
    assert rendered.count("<h3>") == 4  # three in Flow, one project
    assert rendered.count("<blockquote>") == 0
    # The ranking table keeps its nine cells although the title holds a `|`.
    row = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 10
    # The literal text survives: escaped, not dropped.
    assert "[click](https://evil.example)" in rendered.replace("\\", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_markdown_escaping_rules() -> None:
    assert md("a|b") == "a\\|b"
    assert md("[x](y)") == "\\[x\\](y)"
    assert md("<b>") == "\\<b\\>"
    assert md("p99_latency_ms") == "p99_latency_ms"
    assert md("_it_") == "\\_it\\_"
    assert md("# h") == "\\# h"
    assert md("- item") == "\\- item"
    assert md("1. item") == "1\\. item"
    assert md("2026-06-01: ok") == "2026-06-01: ok"
    assert md("see https://x.example or www.x.example") == (
        "see https\\://x.example or www\\.x.example"
    )
    assert md("line\nbreak\x1b[31m") == "line break[31m".replace("[", "\\[")


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def _parse(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


EXTERNAL_TAGS = {"script", "link", "img", "iframe", "object", "embed", "image", "use", "audio"}


def _assert_self_contained(parser: _Tags) -> None:
    names = {tag for tag, _ in parser.tags}
    assert not names & EXTERNAL_TAGS, names & EXTERNAL_TAGS
    for tag, attrs in parser.tags:
        for key, value in attrs:
            assert key not in ("src", "srcset", "action", "xlink:href", "background"), tag
            assert not key.startswith("on"), (tag, key)
            if key == "href":
                assert value is not None
                assert value.startswith("#"), value
    style = "".join(parser.styles)
    assert "url(" not in style
    assert "@import" not in style


def test_html_is_self_contained(example: Portfolio) -> None:
    text = render(example, "html", NOW)
    for reference in ("http", "//", "src=", "@import", "url("):
        assert reference not in text, reference
    parser = _parse(text)
    _assert_self_contained(parser)
    names = [tag for tag, _ in parser.tags]
    # the grid, three flow pictures, and one stage timeline per project
    assert names.count("svg") == 4 + len(example.projects)
    assert names.count("article") == len(example.projects)
    assert names.count("circle") == len(example.projects)
    grid = text[text.index("<svg") : text.index("</svg>")]
    assert grid.count("<line ") == 2
    assert "@media print" in text


def test_html_grid_labels_every_marker_and_quadrant(example: Portfolio) -> None:
    text = render(example, "html", NOW)
    svg = text[text.index("<svg") : text.index("</svg>")]
    for label in ("quick wins", "big bets", "fill-ins", "avoid"):
        assert f">{label}</text>" in svg
    markers = re.findall(r'<g class="marker[^"]*"><title>(\d+)\. ', svg)
    assert sorted(int(m) for m in markers) == list(range(1, len(example.projects) + 1))
    assert 'class="marker uncertain"' in svg


def test_html_user_text_cannot_inject(hostile: Portfolio) -> None:
    text = render(hostile, "html", NOW)
    parser = _parse(text)
    _assert_self_contained(parser)
    assert "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_json_matches_its_schema_and_carries_the_portfolio(example: Portfolio) -> None:
    data = json.loads(render(example, "json", NOW))
    schema = export_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert Portfolio.model_validate(data["portfolio"]) == example
    assert data["ranking"] == [p["id"] for p in data["projects"]]
    fraud = next(p for p in data["projects"] if p["id"] == "payment-fraud")
    assert fraud["quadrant"] == "big_bets"
    assert fraud["evaluation"]["winner"] == "gbdt-v3"
    assert fraud["baselines"][0]["hint"].startswith("overfitting")
    assert data["generated_at"] == "2026-11-21T12:00:00Z"


def test_the_schema_rejects_what_it_should(example: Portfolio) -> None:
    data = json.loads(render(example, "json", NOW))
    validator = jsonschema.Draft202012Validator(export_json_schema())
    data["projects"][0]["quadrant"] = "somewhere"
    del data["projects"][1]["evaluation"]
    data["projects"][2]["surprise"] = 1
    assert len(list(validator.iter_errors(data))) == 3


def test_json_of_hostile_text_round_trips(hostile: Portfolio) -> None:
    data = json.loads(render(hostile, "json", NOW))
    assert data["projects"][0]["title"] == HOSTILE
    assert Portfolio.model_validate(data["portfolio"]) == hostile


def test_csv_reads_back_one_row_per_project(example: Portfolio) -> None:
    text = render(example, "csv", NOW)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS
    report = build_report(example, NOW)
    assert [row["id"] for row in rows] == [r.project.id for r in report.projects]
    assert [int(row["rank"]) for row in rows] == list(range(1, len(rows) + 1))
    fraud = next(row for row in rows if row["id"] == "payment-fraud")
    assert fraud["quadrant"] == "big_bets"
    assert fraud["winner"] == "gbdt-v3"
    assert float(fraud["impact"]) == pytest.approx(4.25)
    assert fraud["hints"].startswith("fraud_recall: overfitting")


def test_csv_keeps_hostile_text_in_its_cell_and_out_of_formulas(hostile: Portfolio) -> None:
    rows = list(csv.DictReader(io.StringIO(render(hostile, "csv", NOW), newline="")))
    assert len(rows) == 1
    assert rows[0]["title"] == "'" + HOSTILE
    assert rows[0]["owner"] == "<b>eve</b> | =cmd"
    assert rows[0]["tags"] == "[x](y); -5%"
    assert csv_cell("-5%") == "'-5%"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("plain") == "plain"


def test_an_empty_portfolio_exports_in_every_format() -> None:
    empty = Portfolio()
    assert "(no projects)" in render(empty, "md", NOW)
    assert "(no projects)" in render(empty, "html", NOW)
    data = json.loads(render(empty, "json", NOW))
    assert data["projects"] == []
    assert render(empty, "csv", NOW).splitlines() == [",".join(COLUMNS)]
