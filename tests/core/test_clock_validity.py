"""What the clock-dependent checks and the card say holds until the moment they claim.

`core.views.projections` reuses a project's findings and card for any later
moment before `clock_valid_until` / `days_in_stage_valid_until`; these
properties check that nothing changes before then. (The limit may come early:
at a day boundary short of the stale threshold nothing shows yet.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import instants, projects
from strategies import settings as any_settings

from core.models import Project, Settings
from core.rules.consistency import check_project, clock_valid_until
from core.rules.lifecycle import days_in_stage, days_in_stage_valid_until

EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(projects(), any_settings(), instants(), st.floats(0.0, 1.0))
def test_findings_hold_until_the_moment_named(
    project: Project, chosen: Settings, now: datetime, share: float
) -> None:
    start = now
    until = clock_valid_until(project, chosen, start)
    before = check_project(project, chosen, start)
    if until is None:
        later = start + timedelta(days=4000)
        assert check_project(project, chosen, later) == before
        return
    assert until > start
    inside = start + (until - start) * share
    if inside >= until:
        inside = until - timedelta(microseconds=1)
    assert check_project(project, chosen, inside) == before


@EXAMPLES
@given(projects(), instants(), st.floats(0.0, 1.0))
def test_days_in_stage_hold_until_the_moment_named(
    project: Project, now: datetime, share: float
) -> None:
    start = now
    until = days_in_stage_valid_until(project, start)
    if until is None:
        assert days_in_stage(project, start) is None
        return
    inside = start + (until - start) * share
    if inside >= until:
        inside = until - timedelta(microseconds=1)
    assert days_in_stage(project, inside) == days_in_stage(project, start)
