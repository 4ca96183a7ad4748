"""Fuzzing: generated TOML and extreme portfolios never crash `load`, an export or `core`.

Generated documents may only fail with the documented `LoadError`; portfolios
drawn at the edges of every range (the largest weights and scores allowed,
the smallest positive ones) give finite figures in `core` and no `nan` or
`inf` in any export. Bounded (few examples, no deadline) to keep the suite fast.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from datetime import UTC, datetime
from typing import Any

import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import portfolios

from core.models import MEASURE_LIMIT, WEIGHT_LIMIT, Portfolio
from core.rules.evaluation import evaluate
from core.rules.priority import assess_all
from core.views.dashboard import build_dashboard
from portfolio import LoadError, loads
from portfolio.exports import FORMATS, render
from portfolio.save import dumps

NOW = datetime(2026, 12, 1, tzinfo=UTC)
_NOT_FINITE = re.compile(r"(?<![A-Za-z])(nan|inf|infinity)(?![A-Za-z])", re.IGNORECASE)

_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.text(max_size=20),
    st.datetimes(timezones=st.just(UTC)),
)
_keys = st.sampled_from(
    [
        "id",
        "title",
        "schema",
        "settings",
        "projects",
        "impact",
        "automation",
        "stage",
        "scores",
        "weight",
        "metrics",
        "name",
        "optimise",
        "created_at",
        "impact_weights",
        "x",
    ]
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _documents, max_size=5))
def test_generated_documents_load_or_fail_with_a_load_error(document: dict[str, Any]) -> None:
    document = {"schema": 1, **document} if "schema" not in document else document
    try:
        text = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # not expressible as TOML (e.g. a list of mixed tables)
    try:
        portfolio = loads(text, "fuzz.toml")
    except LoadError as error:
        errors = error.errors
    else:
        _check_everything(portfolio)
        return
    assert 1 <= len(errors) <= 51


_extreme = st.sampled_from([MEASURE_LIMIT, -MEASURE_LIMIT, 5e-324, 0.0, WEIGHT_LIMIT])


def _finite(value: object) -> None:
    if isinstance(value, float):
        assert math.isfinite(value), value
    elif isinstance(value, dict):
        for item in value.values():
            _finite(item)
    elif isinstance(value, list):
        for item in value:
            _finite(item)


def _floats(value: object) -> list[object]:
    """Every float inside a tree of dataclasses, tuples and dicts."""
    if isinstance(value, float):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = [getattr(value, f.name) for f in dataclasses.fields(value)]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [number for item in value for number in _floats(item)]
    return []


def _check_everything(portfolio: Portfolio) -> None:
    for assessment in assess_all(portfolio).values():
        for number in (assessment.impact, assessment.feasibility, assessment.score):
            assert math.isfinite(number)
    dashboard = build_dashboard(portfolio, NOW, include_closed=True)
    for point in dashboard.points:
        _finite([point.impact, point.feasibility])
    for row in dashboard.rows:
        _finite([row.impact, row.feasibility, row.score])
    for project in portfolio.projects:
        _finite(_floats(evaluate(project)))
    for fmt in FORMATS:
        text = render(portfolio, fmt, NOW)
        if fmt == "json":
            _finite(json.loads(text))
        else:
            assert _NOT_FINITE.search(text) is None, (fmt, _NOT_FINITE.search(text))
    assert loads(dumps(portfolio)) == portfolio


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios(max_projects=3), _extreme)
def test_extreme_portfolios_give_finite_figures_everywhere(
    portfolio: Portfolio, extreme: float
) -> None:
    # user text that spells "inf" or "nan" would pass for a number in the exports' text
    assume(_NOT_FINITE.search(dumps(portfolio)) is None)
    weights = dict.fromkeys(type(portfolio.settings.impact_weights).model_fields, WEIGHT_LIMIT)
    settings_ = portfolio.settings.model_copy(
        update={"impact_weights": type(portfolio.settings.impact_weights)(**weights)}
    )
    projects = []
    for project in portfolio.projects:
        models = tuple(
            m.model_copy(update={"scores": dict.fromkeys(m.scores, extreme)})
            for m in project.models
        )
        projects.append(project.model_copy(update={"models": models}))
    _check_everything(
        portfolio.model_copy(update={"settings": settings_, "projects": tuple(projects)})
    )
