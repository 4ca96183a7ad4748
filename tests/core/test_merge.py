"""core.compare.merge: three-way merges by meaning, conflicts and algebra (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from factories import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import portfolios, projects, slugs

from core.compare.merge import ABSENT_TEXT, merge
from core.models import (
    CandidateModel,
    Metric,
    Portfolio,
    Project,
    Stage,
    Transition,
    TransitionKind,
)
from portfolio import dumps, loads

EXAMPLE = loads((ROOT / "examples" / "portfolio.toml").read_bytes())
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _edit(portfolio: Portfolio, project_id: str, **changes: Any) -> Portfolio:
    """`portfolio` with one project's fields replaced (validated, as an edit would)."""
    projects_ = tuple(
        Project.model_validate({**dict(p), **changes}) if p.id == project_id else p
        for p in portfolio.projects
    )
    return portfolio.model_copy(update={"projects": projects_})


def _project(portfolio: Portfolio, project_id: str) -> Project:
    found = portfolio.project(project_id)
    assert found is not None
    return found


def test_changes_to_different_projects_both_land() -> None:
    ours = _edit(EXAMPLE, "search-ranking", owner="ann", updated_by="ann")
    theirs = _edit(EXAMPLE, "churn-prediction", title="Churn, again", updated_by="bob")
    result = merge(EXAMPLE, ours, theirs)
    assert result.clean
    assert _project(result.portfolio, "search-ranking").owner == "ann"
    assert _project(result.portfolio, "churn-prediction").title == "Churn, again"


def test_different_fields_of_one_project_merge_and_the_later_stamp_wins() -> None:
    ours = _edit(EXAMPLE, "search-ranking", owner="ann", updated_at=T0, updated_by="ann")
    later = T0 + timedelta(hours=1)
    theirs = _edit(EXAMPLE, "search-ranking", summary="new", updated_at=later, updated_by="bob")
    merged = _project(merge(EXAMPLE, ours, theirs).portfolio, "search-ranking")
    assert (merged.owner, merged.summary) == ("ann", "new")
    assert (merged.updated_at, merged.updated_by) == (later, "bob")
    # the other way round the same pair wins: the stamps move together, by time
    swapped = _project(merge(EXAMPLE, theirs, ours).portfolio, "search-ranking")
    assert (swapped.updated_at, swapped.updated_by) == (later, "bob")


def test_models_added_on_both_sides_and_histories_interleave_by_time() -> None:
    base = _project(EXAMPLE, "churn-prediction")
    assert base.stage is Stage.PLANNING
    first = Transition(
        at=T0, from_stage=Stage.PLANNING, to_stage=Stage.DATA, by="ann", kind=TransitionKind.FORWARD
    )
    ours = _edit(
        EXAMPLE,
        "churn-prediction",
        models=(*base.models, CandidateModel(name="ours-gbm")),
        stage=Stage.DATA,
        history=(*base.history, first),
    )
    theirs = _edit(
        EXAMPLE, "churn-prediction", models=(*base.models, CandidateModel(name="theirs-lr"))
    )
    merged = _project(merge(EXAMPLE, ours, theirs).portfolio, "churn-prediction")
    assert [m.name for m in merged.models][-2:] == ["ours-gbm", "theirs-lr"]
    assert merged.stage is Stage.DATA
    assert merged.history[-1] == first
    # both sides recording the same entry keep it once
    again = merge(EXAMPLE, ours, _edit(ours, "churn-prediction", owner="zed"))
    assert _project(again.portfolio, "churn-prediction").history.count(first) == 1


def test_same_field_changed_both_ways_is_a_conflict_with_ours_in_place() -> None:
    ours = _edit(EXAMPLE, "churn-prediction", owner="ann")
    theirs = _edit(EXAMPLE, "churn-prediction", owner="bob")
    result = merge(EXAMPLE, ours, theirs)
    (conflict,) = result.conflicts
    assert conflict.path == "projects.churn-prediction.owner"
    assert (conflict.ours, conflict.theirs) == ("ann", "bob")
    assert _project(result.portfolio, "churn-prediction").owner == "ann"
    # the conflict survives a save and a load: it is part of the file
    assert loads(dumps(result.portfolio)).conflicts == result.portfolio.conflicts


def test_removed_on_one_side_and_changed_on_the_other_keeps_the_change() -> None:
    ours = EXAMPLE.model_copy(
        update={"projects": tuple(p for p in EXAMPLE.projects if p.id != "churn-prediction")}
    )
    theirs = _edit(EXAMPLE, "churn-prediction", owner="bob")
    result = merge(EXAMPLE, ours, theirs)
    (conflict,) = result.conflicts
    assert conflict.path == "projects.churn-prediction"
    assert conflict.ours == ABSENT_TEXT
    assert _project(result.portfolio, "churn-prediction").owner == "bob"
    # removed on one side, untouched on the other: it goes
    gone = merge(EXAMPLE, ours, _edit(EXAMPLE, "search-ranking", owner="bob"))
    assert gone.clean
    assert gone.portfolio.project("churn-prediction") is None


def test_a_merge_that_breaks_a_model_rule_is_a_conflict_not_an_invalid_file() -> None:
    base = _project(EXAMPLE, "churn-prediction")
    demoted = tuple(m.model_copy(update={"optimise": False}) for m in base.metrics)

    def optimising(name: str) -> Portfolio:
        metric = Metric(name=name, optimise=True)
        return _edit(EXAMPLE, "churn-prediction", metrics=(*demoted, metric))

    ours, theirs = optimising("auc"), optimising("f1")
    result = merge(EXAMPLE, ours, theirs)
    (conflict,) = result.conflicts
    assert conflict.path == "projects.churn-prediction"
    assert "exactly one metric must have optimise" in conflict.reason
    assert _project(result.portfolio, "churn-prediction") == _project(ours, "churn-prediction")


def test_a_merged_history_that_does_not_chain_is_a_conflict() -> None:
    def moved(at: datetime, by: str) -> Portfolio:
        entry = Transition(
            at=at, from_stage=Stage.PLANNING, to_stage=Stage.DATA, by=by, kind="forward"
        )
        return _edit(EXAMPLE, "churn-prediction", stage=Stage.DATA, history=(entry,))

    result = merge(EXAMPLE, moved(T0, "ann"), moved(T0 + timedelta(hours=1), "bob"))
    (conflict,) = result.conflicts
    assert conflict.path == "projects.churn-prediction.history"
    assert "does not chain" in conflict.reason


def test_both_sides_moving_to_different_stages_conflict_on_the_stage() -> None:
    def moved(to: Stage, kind: str) -> Portfolio:
        entry = Transition(at=T0, from_stage=Stage.PLANNING, to_stage=to, by="x", kind=kind)
        return _edit(EXAMPLE, "churn-prediction", stage=to, history=(entry,))

    result = merge(EXAMPLE, moved(Stage.DATA, "forward"), moved(Stage.PARKED, "outcome"))
    (conflict,) = result.conflicts
    assert conflict.path == "projects.churn-prediction.stage"
    merged = _project(result.portfolio, "churn-prediction")
    assert merged.stage is Stage.DATA
    assert merged.history[-1].to_stage is Stage.DATA


def test_conflicts_carried_in_are_kept_and_resolving_one_side_removes_them() -> None:
    conflicted = merge(
        EXAMPLE,
        _edit(EXAMPLE, "churn-prediction", owner="ann"),
        _edit(EXAMPLE, "churn-prediction", owner="bob"),
    ).portfolio
    resolved = conflicted.model_copy(update={"conflicts": ()})
    other = _edit(conflicted, "search-ranking", owner="zed")
    result = merge(conflicted, resolved, other)
    assert result.clean
    assert _project(result.portfolio, "search-ranking").owner == "zed"


# -- properties ---------------------------------------------------------------------------

_FIELD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("title",),
    ("owner",),
    ("summary",),
    ("tags",),
    ("impact",),
    ("feasibility",),
    ("checklist",),
    ("metrics", "models", "baselines", "metric_strategy"),
    ("stage", "history"),
    ("updated_at", "updated_by"),
)


@st.composite
def _sides(draw: st.DrawFn) -> tuple[Portfolio, Portfolio, Portfolio]:
    """A base and two versions changed from it: fields of projects, projects added and removed."""
    base = draw(portfolios(max_projects=4))
    ids = [p.id for p in base.projects]
    sides: list[Portfolio] = []
    for _ in range(2):
        side = base
        for pid in draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([])):
            fresh = draw(projects(project_id=pid))
            groups = draw(st.lists(st.sampled_from(_FIELD_GROUPS), min_size=1, unique=True))
            changes = {name: getattr(fresh, name) for group in groups for name in group}
            side = _edit(side, pid, **changes)
        new_ids = draw(st.lists(slugs.filter(lambda s: s not in ids), unique=True, max_size=2))
        added = tuple(draw(projects(project_id=pid)) for pid in new_ids)
        dropped = set(draw(st.lists(st.sampled_from(ids), unique=True)) if ids else [])
        kept = tuple(p for p in side.projects if p.id not in dropped)
        sides.append(side.model_copy(update={"projects": kept + added}))
    return base, sides[0], sides[1]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sides())
def test_merging_with_an_unchanged_side_gives_the_change(
    versions: tuple[Portfolio, Portfolio, Portfolio],
) -> None:
    base, a, b = versions
    assert merge(base, base, b).portfolio == b
    assert merge(base, a, base).portfolio == a
    assert merge(base, a, a).portfolio == a


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sides())
def test_a_clean_merge_is_the_same_whichever_side_is_ours(
    versions: tuple[Portfolio, Portfolio, Portfolio],
) -> None:
    base, a, b = versions
    one, other = merge(base, a, b), merge(base, b, a)
    assert one.clean == other.clean
    if one.clean:
        assert one.portfolio == other.portfolio
    # whatever happened, the result is a valid portfolio that survives the file
    assert loads(dumps(one.portfolio)) == one.portfolio


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sides())
def test_changes_to_different_projects_never_conflict(
    versions: tuple[Portfolio, Portfolio, Portfolio],
) -> None:
    base, a, b = versions
    a_ids = {p.id for p in a.projects if p not in base.projects} | (
        {p.id for p in base.projects} - {p.id for p in a.projects}
    )
    b_ids = {p.id for p in b.projects if p not in base.projects} | (
        {p.id for p in base.projects} - {p.id for p in b.projects}
    )
    if a_ids & b_ids:
        return
    result = merge(base, a, b)
    assert result.clean
    for side in (a, b):
        for project in side.projects:
            if project not in base.projects:
                assert result.portfolio.project(project.id) == project


@st.composite
def _one_project_two_ways(
    draw: st.DrawFn,
) -> tuple[Portfolio, Portfolio, Portfolio, dict[str, Any], dict[str, Any], str]:
    """A base and two sides that change disjoint groups of fields of one project (its id last)."""
    base = draw(portfolios(max_projects=3).filter(lambda p: bool(p.projects)))
    target = draw(st.sampled_from(base.projects)).id
    groups = draw(st.permutations(_FIELD_GROUPS))
    cut = draw(st.integers(min_value=1, max_value=len(groups) - 1))
    changes: list[dict[str, Any]] = []
    for chosen in (groups[:cut], groups[cut:]):
        fresh = draw(projects(project_id=target))
        picked = draw(st.lists(st.sampled_from(chosen), min_size=1, unique=True))
        changes.append({name: getattr(fresh, name) for group in picked for name in group})
    ours, theirs = (_edit(base, target, **change) for change in changes)
    return base, ours, theirs, changes[0], changes[1], target


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_one_project_two_ways())
def test_different_fields_of_one_project_always_merge_cleanly(
    case: tuple[Portfolio, Portfolio, Portfolio, dict[str, Any], dict[str, Any], str],
) -> None:
    # the changed project is named by the strategy: when both changes happen to leave it as
    # it was, no side differs from the base and nothing else could tell which project it is
    base, ours, theirs, ours_changes, theirs_changes, target = case
    result = merge(base, ours, theirs)
    assert result.clean, result.conflicts
    assert merge(base, theirs, ours).portfolio == result.portfolio
    merged = _project(result.portfolio, target)
    for name, value in (*ours_changes.items(), *theirs_changes.items()):
        assert getattr(merged, name) == value, name
