"""Portfolio exports (Markdown, HTML, JSON, CSV) and diff renderings (text, Markdown, JSON).

`render(portfolio, fmt, now)` is the one entry point for a portfolio export;
`render_diff(diff, fmt, ...)` the one for a diff. Every format renders the
same figures, `core.report.build_report(portfolio, now)`, so they agree.
The SVG of the app's screen is made by the app itself (`tui`), not here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from core.models import Portfolio
from core.report import PortfolioReport, build_report, open_only
from portfolio.exports.csv_report import render_csv
from portfolio.exports.diff_render import DIFF_FORMATS, DiffFormat, diff_markdown, render_diff
from portfolio.exports.html import render_html
from portfolio.exports.json_report import render_json
from portfolio.exports.markdown import render_markdown

__all__ = [
    "DIFF_FORMATS",
    "FORMATS",
    "DiffFormat",
    "Format",
    "diff_markdown",
    "render",
    "render_diff",
    "render_report",
]

Format = Literal["md", "html", "json", "csv"]
"""The text formats a portfolio exports to."""

FORMATS: tuple[Format, ...] = get_args(Format)

SUFFIXES: dict[str, str] = {
    "md": ".md",
    "html": ".html",
    "json": ".json",
    "csv": ".csv",
    "svg": ".svg",
}
"""The usual file suffix of each export format."""


def render_report(report: PortfolioReport, fmt: str) -> str:
    """An already computed report in one of FORMATS."""
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "json":
        return render_json(report)
    if fmt == "csv":
        return render_csv(report)
    raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")


def render(portfolio: Portfolio, fmt: str, now: datetime, *, only_open: bool = False) -> str:
    """`portfolio` exported as `fmt` ("md", "html", "json" or "csv"), figures as of `now`.

    `only_open` leaves parked, killed and shipped projects out of every part of the export.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; formats: {', '.join(FORMATS)}")
    return render_report(build_report(open_only(portfolio) if only_open else portfolio, now), fmt)
