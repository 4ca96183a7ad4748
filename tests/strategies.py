"""Hypothesis strategies for valid portfolio values, shared by the property tests.

`portfolios()` and `projects()` draw values the model accepts and a careful user
could write: unicode text without control characters, ranges that contain their
score, exactly one optimising metric, history that walks the lifecycle forward
in time and ends at the project's stage, UTC instants at whole seconds.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from core.models import (
    LIFECYCLE,
    MEASURE_LIMIT,
    OUTCOMES,
    WEIGHT_LIMIT,
    Answer,
    Baseline,
    BaselineKind,
    CandidateModel,
    Checklist,
    Direction,
    Feasibility,
    FeasibilityNotes,
    FeasibilityWeights,
    Flywheel,
    Impact,
    ImpactWeights,
    Metric,
    Portfolio,
    Project,
    QuadrantNames,
    ScoreRange,
    Settings,
    Stage,
    Transition,
    TransitionKind,
)
from core.vocabulary import ARCHETYPE_QUESTIONS, FEASIBILITY_DRIVERS, IMPACT_LENSES, Archetype

_PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))
_MULTILINE = st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t")


def lines(min_size: int = 0, max_size: int = 30) -> st.SearchStrategy[str]:
    """One line of user text: any printable unicode, no control characters."""
    return st.text(_PRINTABLE, min_size=min_size, max_size=max_size)


def _names(min_size: int = 1, max_size: int = 20) -> st.SearchStrategy[str]:
    """A metric, baseline or model name: one line, in normal form C (as the model keeps it)."""
    return lines(min_size, max_size).map(lambda text: unicodedata.normalize("NFC", text))


def texts(max_size: int = 60) -> st.SearchStrategy[str]:
    """Multi-line user text: also tabs and line breaks."""
    return st.text(_MULTILINE, max_size=max_size)


def instants() -> st.SearchStrategy[datetime]:
    """Aware UTC datetimes at whole seconds, as a file would hold them."""
    naive = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
    return naive.map(lambda d: d.replace(microsecond=0, tzinfo=UTC))


scores = st.integers(min_value=1, max_value=5)
numbers = st.floats(min_value=-MEASURE_LIMIT, max_value=MEASURE_LIMIT, width=64)
weights = st.floats(min_value=0.0, max_value=WEIGHT_LIMIT)
slugs = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True)


@st.composite
def _range_for(draw: st.DrawFn, score: int) -> ScoreRange:
    """A range that contains `score`."""
    return ScoreRange(
        low=draw(st.integers(min_value=1, max_value=score)),
        high=draw(st.integers(min_value=score, max_value=5)),
    )


@st.composite
def _ranges(draw: st.DrawFn, points: dict[str, int]) -> dict[str, ScoreRange]:
    """Ranges for some of the named scores, each containing its score."""
    chosen = draw(st.lists(st.sampled_from(sorted(points)), unique=True)) if points else []
    return {name: draw(_range_for(points[name])) for name in chosen}


@st.composite
def impacts(draw: st.DrawFn) -> Impact:
    """An impact assessment: four lens scores, some ranges, notes."""
    points = {lens: draw(scores) for lens in IMPACT_LENSES}
    return Impact(**points, ranges=draw(_ranges(points)), notes=draw(texts()))


@st.composite
def feasibilities(draw: st.DrawFn) -> Feasibility:
    """Feasibility with an accuracy requirement score, a target, or neither."""
    points = {"data_availability": draw(scores), "problem_difficulty": draw(scores)}
    accuracy = draw(st.sampled_from(["requirement", "target", "none"]))
    target = None
    if accuracy == "requirement":
        points["accuracy_requirement"] = draw(scores)
    elif accuracy == "target":
        target = draw(st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True))
    note_keys = list(FeasibilityNotes.model_fields)
    notes = draw(st.dictionaries(st.sampled_from(note_keys), texts(), max_size=3))
    return Feasibility(
        **points,
        accuracy_target=target,
        ranges=draw(_ranges(points)),
        notes=FeasibilityNotes(**notes),
    )


@st.composite
def metric_sets(draw: st.DrawFn) -> tuple[Metric, ...]:
    """No metrics, or uniquely named ones of which exactly one is optimised."""
    names = draw(st.lists(_names(1, 20), unique=True, max_size=4))
    if not names:
        return ()
    optimised = draw(st.integers(min_value=0, max_value=len(names) - 1))
    metrics = []
    for index, name in enumerate(names):
        threshold = threshold_baseline = None
        if index != optimised:
            kind = draw(st.sampled_from(["value", "baseline", "none"]))
            if kind == "value":
                threshold = draw(numbers)
            elif kind == "baseline":
                threshold_baseline = draw(_names(1, 20))
        metrics.append(
            Metric(
                name=name,
                direction=draw(st.sampled_from(Direction)),
                optimise=index == optimised,
                threshold=threshold,
                threshold_baseline=threshold_baseline,
                threshold_margin=draw(st.one_of(st.just(0.0), numbers)),
                weight=draw(st.none() | weights),
                unit=draw(st.sampled_from(["", "%", "ms"])),
                notes=draw(texts(30)),
            )
        )
    return tuple(metrics)


def _score_tables(names: list[str]) -> st.SearchStrategy[dict[str, float]]:
    """Scores for some of the given metric names, or for any names when none are given."""
    keys = st.sampled_from(names) if names else _names(1, 15)
    return st.dictionaries(keys, numbers, max_size=3)


@st.composite
def _history(draw: st.DrawFn) -> tuple[tuple[Transition, ...], Stage]:
    """Transitions that start in planning, move in time order, and the stage they end at."""
    stage = Stage.PLANNING
    at = draw(instants())
    entries = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        target = draw(st.sampled_from([s for s in Stage if s != stage]))
        if stage in OUTCOMES:
            kind = TransitionKind.RESUME
            target = draw(st.sampled_from(LIFECYCLE))
        elif target in OUTCOMES:
            kind = TransitionKind.OUTCOME
        elif LIFECYCLE.index(target) > LIFECYCLE.index(stage):
            kind = TransitionKind.FORWARD
        else:
            kind = TransitionKind.BACK
        at += timedelta(seconds=draw(st.integers(min_value=1, max_value=10_000_000)))
        entries.append(
            Transition(
                at=at,
                from_stage=stage,
                to_stage=target,
                by=draw(lines(1, 12)),
                kind=kind,
                reason=draw(texts(40)),
                checklist_override=draw(st.booleans()),
            )
        )
        stage = target
    return tuple(entries), stage


@st.composite
def projects(draw: st.DrawFn, project_id: str | None = None) -> Project:
    """One valid project, with varied assessments, evaluation and history."""
    archetype = draw(st.sampled_from(Archetype))
    metrics = draw(metric_sets())
    metric_names = [m.name for m in metrics]
    baselines = draw(st.lists(_names(1, 15), unique=True, max_size=3))
    models = draw(st.lists(_names(1, 15), unique=True, max_size=3))
    history, stage = draw(_history())
    question_keys = [key for key, _ in ARCHETYPE_QUESTIONS[archetype]]
    return Project(
        id=project_id if project_id is not None else draw(slugs),
        title=draw(lines(1, 40)),
        owner=draw(lines(0, 12)),
        archetype=archetype,
        stage=stage,
        tags=tuple(draw(st.lists(lines(1, 10), max_size=3))),
        summary=draw(texts()),
        success_criteria=draw(texts(30)),
        notes=draw(texts()),
        created_at=draw(st.none() | instants()),
        updated_at=draw(st.none() | instants()),
        updated_by=draw(lines(0, 12)),
        impact=draw(impacts()),
        feasibility=draw(feasibilities()),
        checklist=Checklist(
            **{name: draw(st.booleans()) for name in Checklist.model_fields},
        ),
        flywheel=Flywheel(
            **{name: draw(st.sampled_from(Answer)) for name in Flywheel.model_fields},
        ),
        archetype_notes=draw(st.dictionaries(st.sampled_from(question_keys), texts(30))),
        metric_strategy=draw(st.sampled_from(["thresholds", "weighted"])),
        metrics=metrics,
        baselines=tuple(
            Baseline(
                name=name,
                kind=draw(st.sampled_from(BaselineKind)),
                source=draw(lines(0, 20)),
                scores=draw(_score_tables(metric_names)),
            )
            for name in baselines
        ),
        models=tuple(
            CandidateModel(
                name=name,
                scores=draw(_score_tables(metric_names)),
                train_scores=draw(_score_tables(metric_names)),
                notes=draw(texts(20)),
            )
            for name in models
        ),
        history=history,
    )


@st.composite
def settings(draw: st.DrawFn) -> Settings:
    """Portfolio settings anywhere in their allowed ranges, or at their defaults."""
    if draw(st.booleans()):
        return Settings()
    inside = st.floats(min_value=1.0, max_value=5.0, exclude_min=True, exclude_max=True)
    weight = st.floats(min_value=0.0, max_value=10.0)
    impact_weights = {lens: draw(weight) for lens in IMPACT_LENSES}
    feasibility_weights = {driver: draw(weight) for driver in FEASIBILITY_DRIVERS}
    impact_weights["cheap_prediction"] += 1.0
    feasibility_weights["data_availability"] += 1.0
    return Settings(
        name=draw(lines(0, 30)),
        impact_threshold=draw(inside),
        feasibility_threshold=draw(inside),
        near_boundary=draw(st.floats(min_value=0.0, max_value=2.0)),
        accuracy_cost_per_nine=draw(
            st.floats(min_value=1.0, max_value=1000.0, exclude_min=True),
        ),
        rank_by=draw(st.sampled_from(["expected", "pessimistic"])),
        underfit_margin=draw(st.floats(min_value=0.0, max_value=1.0)),
        stale_days=draw(st.integers(min_value=1, max_value=3650)),
        quadrant_names=QuadrantNames(quick_wins=draw(lines(0, 15)), avoid=draw(lines(0, 15))),
        impact_weights=ImpactWeights(**impact_weights),
        feasibility_weights=FeasibilityWeights(**feasibility_weights),
    )


@st.composite
def portfolios(draw: st.DrawFn, max_projects: int = 4) -> Portfolio:
    """A valid portfolio: settings and up to `max_projects` projects with distinct ids."""
    ids = draw(st.lists(slugs, unique=True, max_size=max_projects))
    return Portfolio(
        settings=draw(settings()),
        projects=tuple(draw(projects(project_id=project_id)) for project_id in ids),
    )
