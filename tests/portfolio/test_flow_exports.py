"""The flow pictures and figures in the exports: inline SVG with the right bars, JSON, Markdown.

A hand-made portfolio with known answers: `loop` went back twice (training ->
data "Labels unreliable: ...", twice) and was killed; `open` is still in data;
its back-edge's reason "Data too hard to get" came from data -> planning.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev set

from core.models import Portfolio, Project, Stage, Transition, TransitionKind
from portfolio.exports import render
from portfolio.exports.schema import export_json_schema

DAY0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = DAY0 + timedelta(days=100)
P, D, T = Stage.PLANNING, Stage.DATA, Stage.TRAINING
FWD, BACK, OUT = TransitionKind.FORWARD, TransitionKind.BACK, TransitionKind.OUTCOME


def move(n: int, a: Stage, b: Stage, kind: TransitionKind, reason: str = "") -> Transition:
    return Transition(
        at=DAY0 + timedelta(days=n), from_stage=a, to_stage=b, by="ann", kind=kind, reason=reason
    )


LOOP = Project(
    id="loop",
    title="Loop <b>twice</b>",
    created_at=DAY0,
    stage=Stage.KILLED,
    history=(
        move(10, P, D, FWD),
        move(20, D, T, FWD),
        move(30, T, D, BACK, "Labels unreliable: vendors disagree"),
        move(40, D, T, FWD),
        move(50, T, D, BACK, "Labels unreliable: again, after the relabel"),
        move(60, D, Stage.KILLED, OUT),
    ),
)
OPEN = Project(
    id="open",
    title="Open",
    created_at=DAY0 + timedelta(days=20),
    stage=P,
    history=(move(30, P, D, FWD), move(40, D, P, BACK, "Data too hard to get: 9 months")),
)
PORTFOLIO = Portfolio(projects=(LOOP, OPEN))


def flow_section(text: str) -> str:
    return text[
        text.index('<section id="flow">') : text.index("</section>", text.index('id="flow"'))
    ]


def test_html_flow_pictures_have_the_right_bars_and_no_external_reference() -> None:
    text = render(PORTFOLIO, "html", NOW)
    flow = flow_section(text)
    # Time in stage: planning, data and training were held (parked never was).
    assert len(re.findall(r'<rect class="bar cycle s-(\w+)"', flow)) == 3
    # Back-edges by reason: two reasons given (labels unreliable twice, data too hard once).
    reasons = re.findall(
        r'<rect class="bar reason s-\w+" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', flow
    )
    assert len(reasons) == 2
    # Bars start at zero: 1 back move is half as long as 2.
    one, two = sorted(float(width) for width in reasons)
    assert abs(one * 2 - two) < 0.2
    assert "bars start at 0" in flow
    # Timelines: loop's 7 spans, open's 3, with 3 back-edge marks between them.
    timelines = re.findall(r'<svg class="timeline".*?</svg>', text, re.S)
    assert sorted(t.count('class="span ') for t in timelines) == [3, 7]
    assert sum(t.count('class="back-edge"') for t in timelines) == 3
    svgs = re.findall(r"<svg.*?</svg>", text, re.S)
    assert len(svgs) == 1 + 3 + 2
    for svg in svgs:
        for reference in ("http", "url(", "href", "//", "<image", "<script"):
            assert reference not in svg, reference
    # User text is data in a tooltip, never markup.
    assert "<b>twice</b>" not in text


def test_json_holds_the_flow_figures_and_satisfies_the_schema() -> None:
    data = json.loads(render(PORTFOLIO, "json", NOW))
    jsonschema.Draft202012Validator(
        export_json_schema(), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    flow = data["flow"]
    assert flow["back_edges"] == 3
    used = {(r["from"], r["to"], r["reason"]): r["count"] for r in flow["reasons"] if r["count"]}
    assert used == {
        ("training", "data", "labels unreliable"): 2,
        ("data", "planning", "data too hard to get"): 1,
    }
    killed = next(o for o in flow["outcomes"] if o["outcome"] == "killed")
    assert (killed["count"], killed["rate"], killed["days"]["median"]) == (1, 0.5, 60)
    data_stage = next(s for s in flow["stages"] if s["stage"] == "data")
    # loop: 10 + 10 + 10 days in data; open: 10 days.
    assert (data_stage["days"]["median"], data_stage["days"]["max"]) == (20, 30)
    loop = next(p for p in data["projects"] if p["id"] == "loop")
    assert loop["stage_days"] == {"planning": 10, "data": 30, "training": 20}


def test_markdown_has_the_flow_tables() -> None:
    text = render(PORTFOLIO, "md", NOW)
    assert "\n## Flow\n" in text
    assert "| training → data | labels unreliable | 2 |" in text
    assert "| killed | 1 | 50% | median 60 d" in text
    assert "| Data collection & labelling | 2 | 20 d |" in text
