"""A dashboard built from the previous one is the dashboard built from scratch, only cheaper."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import portfolios, projects

from core.models import Portfolio
from core.rules import consistency
from core.views.dashboard import Dashboard, build_dashboard
from portfolio import loads
from portfolio.example import example_text

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture
def example_portfolio() -> Portfolio:
    """The bundled example: every stage, with findings of both kinds."""
    return loads(example_text())


def _shown(dashboard: Dashboard) -> tuple[object, ...]:
    """Everything the views draw."""
    return (
        dashboard.ranking,
        dashboard.findings,
        dashboard.columns,
        dashboard.points,
        dashboard.rows,
        dashboard.by_id,
    )


@pytest.mark.slow
@EXAMPLES
@given(st.data())
def test_an_edited_portfolio_projects_as_it_would_from_scratch(data: st.DataObject) -> None:
    before = data.draw(portfolios(max_projects=5))
    after = before
    if before.projects:
        index = data.draw(st.integers(0, len(before.projects) - 1))
        changed = data.draw(projects(project_id=before.projects[index].id))
        replaced = list(before.projects)
        replaced[index] = changed
        after = before.model_copy(update={"projects": tuple(replaced)})
    later = NOW + timedelta(days=data.draw(st.integers(0, 400)))
    previous = build_dashboard(before, NOW)
    assert _shown(build_dashboard(after, later, previous)) == _shown(build_dashboard(after, later))


def _edited(portfolio: Portfolio, index: int) -> Portfolio:
    """`portfolio` with one project's title changed: a new object for that project alone."""
    projects_ = list(portfolio.projects)
    projects_[index] = projects_[index].model_copy(update={"title": "Renamed"})
    return portfolio.model_copy(update={"projects": tuple(projects_)})


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The project ids `timeless_findings` runs for."""
    seen: list[str] = []
    real = consistency.timeless_findings

    def counting(project: object, settings_: object) -> object:
        seen.append(project.id)  # type: ignore[attr-defined]
        return real(project, settings_)  # type: ignore[arg-type]

    monkeypatch.setattr(consistency, "timeless_findings", counting)
    return seen


def test_only_the_edited_project_is_checked_again(
    calls: list[str], example_portfolio: Portfolio
) -> None:
    previous = build_dashboard(example_portfolio, NOW)
    assert len(calls) == len(example_portfolio.projects)
    calls.clear()
    after = _edited(example_portfolio, 2)
    build_dashboard(after, NOW, previous)
    assert calls == [after.projects[2].id]


def test_new_settings_check_every_project_again(
    calls: list[str], example_portfolio: Portfolio
) -> None:
    previous = build_dashboard(example_portfolio, NOW)
    calls.clear()
    renamed = example_portfolio.settings.model_copy(update={"name": "Renamed"})
    build_dashboard(example_portfolio.model_copy(update={"settings": renamed}), NOW, previous)
    assert len(calls) == len(example_portfolio.projects)


def test_the_clock_checks_run_again_on_reused_projects(example_portfolio: Portfolio) -> None:
    previous = build_dashboard(example_portfolio, NOW)
    much_later = build_dashboard(example_portfolio, NOW + timedelta(days=3650), previous)
    stale = {
        f.project_id for found in much_later.findings.values() for f in found if f.code == "stale"
    }
    assert stale
    assert stale == {
        f.project_id
        for found in build_dashboard(
            example_portfolio, NOW + timedelta(days=3650)
        ).findings.values()
        for f in found
        if f.code == "stale"
    }
