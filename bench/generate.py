"""Believable synthetic portfolios of any size, deterministic for a seed.

`generate_data` builds the plain dictionary a portfolio file would hold;
`generate_portfolio` validates it into the domain model and `generate_toml`
renders it with the portfolio package's canonical writer. Every project has
varied scores (some with ranges), two to four metrics of which exactly one is
optimised, one to three baselines, up to three candidate models and a history
that follows the lifecycle's rules (`core.rules.lifecycle.MOVES`): forward one stage
at a time, back-edges with a reason, outcomes and resumes, and a last move that
lands on the project's stage. Nothing reads the clock: times start from a fixed
date, so the same seed always gives the same portfolio.

The generator works on plain dictionaries and validates once at the end, with
the garbage collector paused, so 10,000 projects take one to two seconds on a
small shared machine.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from core.models import (
    SCHEMA_VERSION,
    Answer,
    BaselineKind,
    Direction,
    Portfolio,
    Stage,
    TransitionKind,
)
from core.rules.lifecycle import FINAL_STAGES, Move, find_move, legal_targets
from core.vocabulary import (
    ARCHETYPE_QUESTIONS,
    CHECKLIST_ITEMS,
    FEASIBILITY_DRIVERS,
    FEASIBILITY_QUESTIONS,
    FLYWHEEL_QUESTIONS,
    IMPACT_LENSES,
    Archetype,
)

START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
"""The earliest creation time of a generated project."""

MAX_TRANSITIONS = 6
"""The longest history a generated project gets."""

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _MetricSpec:
    """A metric a project might track: how it improves and its plausible worst and best values."""

    name: str
    direction: Direction
    unit: str
    worst: float
    best: float
    digits: int

    def value(self, quality: float) -> float:
        """The metric's value for a quality between 0 (worst) and 1 (best), rounded."""
        return round(self.worst + (self.best - self.worst) * quality, self.digits)


_MAX, _MIN = Direction.MAXIMIZE, Direction.MINIMIZE

_METRICS: tuple[_MetricSpec, ...] = (
    _MetricSpec("accuracy", _MAX, "", 0.55, 0.99, 4),
    _MetricSpec("f1", _MAX, "", 0.40, 0.95, 4),
    _MetricSpec("recall", _MAX, "", 0.50, 0.98, 4),
    _MetricSpec("precision", _MAX, "", 0.50, 0.98, 4),
    _MetricSpec("auc", _MAX, "", 0.60, 0.99, 4),
    _MetricSpec("map@10", _MAX, "", 0.10, 0.65, 4),
    _MetricSpec("latency_p95", _MIN, "ms", 900.0, 8.0, 1),
    _MetricSpec("cost_per_1k", _MIN, "USD", 4.0, 0.02, 3),
    _MetricSpec("word_error_rate", _MIN, "", 0.45, 0.04, 4),
    _MetricSpec("mae", _MIN, "days", 12.0, 0.8, 2),
    _MetricSpec("memory", _MIN, "MB", 6000.0, 40.0, 0),
)

_BASELINES: tuple[tuple[str, BaselineKind, str], ...] = (
    ("rules-v1", BaselineKind.SCRIPTED_RULES, "the current hand-written rules"),
    ("logistic-regression", BaselineKind.SIMPLE_MODEL, "sklearn defaults, no tuning"),
    ("majority-class", BaselineKind.DATASET_AVERAGE, ""),
    ("crowd-labellers", BaselineKind.HUMAN_CROWD, "three annotators, majority vote"),
    ("domain-expert", BaselineKind.HUMAN_EXPERT, "one senior analyst, 200 samples"),
    ("expert-panel", BaselineKind.HUMAN_ENSEMBLE, "panel of five, 100 samples"),
    ("paper-2023", BaselineKind.PUBLISHED, "arXiv preprint, Table 3"),
    ("sota-leaderboard", BaselineKind.STATE_OF_THE_ART, "public leaderboard, best entry"),
)

_MODELS = (
    "gbdt-v1",
    "gbdt-v2",
    "resnet50-ft",
    "distilbert-ft",
    "bilstm-crf",
    "whisper-small-ft",
    "two-tower-v3",
    "prophet-weekly",
    "ensemble-a",
    "tiny-cnn-int8",
)

_SUBJECTS = (
    "invoice",
    "churn",
    "fraud",
    "ticket",
    "defect",
    "demand",
    "speech",
    "search",
    "review",
    "claim",
    "shelf",
    "lead",
    "route",
    "contract",
    "image",
    "anomaly",
)
_TASKS = (
    ("triage", "Triage incoming {s} cases"),
    ("forecast", "Forecast {s} volume per week"),
    ("ranker", "Rank {s} results for relevance"),
    ("detector", "Detect {s} problems before customers do"),
    ("extractor", "Extract fields from {s} documents"),
    ("classifier", "Classify {s} records by category"),
    ("assistant", "Draft replies for {s} requests"),
    ("scorer", "Score {s} risk in real time"),
)
_OWNERS = (
    "amara",
    "bo",
    "chiara",
    "dev",
    "elif",
    "farid",
    "grace",
    "hiro",
    "ines",
    "jonas",
    "kemal",
    "léa",
)
_TAGS = ("nlp", "vision", "tabular", "speech", "ranking", "q3", "regulated", "cost-saving", "pilot")

_OUTCOME_REASONS: dict[Stage, tuple[str, ...]] = {
    Stage.PARKED: ("no labelling budget this quarter", "team moved to a higher priority", ""),
    Stage.KILLED: ("a rules engine is good enough", "legal said no", "data cannot be shared"),
    Stage.SHIPPED: ("meets every threshold in the A/B test", "rolled out to all regions"),
}
_RESUME_REASONS = ("budget approved", "new data source available", "")

_NOTES = (
    "",
    "",
    "Talked to the ops team: they would use it daily.",
    'Stakeholders call it "the sorter"; keep the name.',
    "Risks:\n- labels drift every quarter\n- two teams own the data",
    "Cost ≥ 2 FTE per quarter; revisit after the pilot.",
    "Needs sign-off from the data-protection officer.\tTracked in JIRA.",
)

_SCORE_BAG = (1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5)
"""1-5 scores drawn from this bag cluster around the middle, as real judgements do."""
_ARCHETYPE_BAG = (
    *[Archetype.SOFTWARE_2_0] * 5,
    *[Archetype.HUMAN_IN_THE_LOOP] * 4,
    Archetype.AUTONOMOUS,
)
_ANSWERS = tuple(a.value for a in Answer)

_WEIGHTS_BY_KIND: dict[TransitionKind, float] = {
    TransitionKind.FORWARD: 6.0,
    TransitionKind.BACK: 0.8,
    TransitionKind.RESUME: 1.0,
}


def _pick(rng: random.Random, items: Sequence[_T]) -> _T:
    """One item, uniformly (cheaper than `rng.choice`, which matters at 10,000 projects)."""
    return items[int(rng.random() * len(items))]


def _moment(at: datetime, rng: random.Random, max_days: int) -> datetime:
    """A time one to `max_days` days after `at`, on a whole second."""
    return at + timedelta(days=rng.randint(1, max_days), seconds=rng.randrange(86_400))


def _target_weight(to: Stage, kind: TransitionKind, parked_origin: Stage) -> float:
    """How likely a move is: mostly forward, sometimes back, rarely parked or killed."""
    if kind is TransitionKind.OUTCOME:
        return {Stage.SHIPPED: 5.0, Stage.PARKED: 0.6, Stage.KILLED: 0.3}[to]
    if kind is TransitionKind.RESUME and to is parked_origin:
        return 6.0
    return _WEIGHTS_BY_KIND[kind]


@functools.cache
def _moves_from(here: Stage, parked_origin: Stage) -> tuple[tuple[Move, ...], tuple[float, ...]]:
    """The legal moves from `here` and their cumulative weights, for `random.choices`."""
    moves = tuple(m for m in (find_move(here, to) for to in legal_targets(here)) if m is not None)
    weights = (_target_weight(m.to_stage, m.kind, parked_origin) for m in moves)
    return moves, tuple(itertools.accumulate(weights))


def _history(
    rng: random.Random, created: datetime, people: Sequence[str], checklist_open: bool
) -> list[dict[str, Any]]:
    """A walk through the lifecycle from planning, following only the legal moves.

    A move out of planning (or a resume past it by a project parked from
    planning) records a checklist override when items are still open.
    """
    here = Stage.PLANNING
    parked_origin = Stage.PLANNING
    at = created
    entries: list[dict[str, Any]] = []
    for _ in range(rng.randint(0, MAX_TRANSITIONS)):
        if here in FINAL_STAGES:
            break
        moves, cumulative = _moves_from(here, parked_origin)
        move = rng.choices(moves, cum_weights=cumulative)[0]
        code = None
        if move.kind is TransitionKind.BACK:
            code = _pick(rng, move.reasons[:-1])  # the lecture's reasons, not `other`
            reason = code.label
        elif move.kind is TransitionKind.OUTCOME:
            reason = _pick(rng, _OUTCOME_REASONS[move.to_stage])
        elif move.kind is TransitionKind.RESUME:
            reason = _pick(rng, _RESUME_REASONS)
        else:
            reason = ""
        gated = move.checklist_gate or (
            move.kind is TransitionKind.RESUME
            and move.to_stage is not Stage.PLANNING
            and parked_origin is Stage.PLANNING
        )
        if move.to_stage is Stage.PARKED:
            parked_origin = here
        at = _moment(at, rng, 45)
        entry: dict[str, Any] = {
            "at": at,
            "from": here.value,
            "to": move.to_stage.value,
            "by": _pick(rng, people),
            "kind": move.kind.value,
        }
        if code is not None:
            entry["reason_code"] = code.value
        if reason:
            entry["reason"] = reason
        if gated and checklist_open:
            entry["checklist_override"] = True
        entries.append(entry)
        here = move.to_stage
    return entries


def _scored(
    rng: random.Random, names: Sequence[str], ranged: float
) -> tuple[dict[str, Any], dict[str, Any]]:
    """1-5 scores for `names`, and ranges around some of them (each with chance `ranged`)."""
    scores: dict[str, Any] = {}
    ranges: dict[str, Any] = {}
    for name in names:
        value = _pick(rng, _SCORE_BAG)
        scores[name] = value
        if rng.random() < ranged:
            low = max(1, value - rng.randint(0, 2))
            high = min(5, value + rng.randint(0 if low < value else 1, 2))
            ranges[name] = {"low": low, "high": high}
    return scores, ranges


def _impact(rng: random.Random) -> dict[str, Any]:
    """The four impact lenses, some with ranges, sometimes with notes."""
    impact, ranges = _scored(rng, IMPACT_LENSES, 0.2)
    if ranges:
        impact["ranges"] = ranges
    if rng.random() < 0.3:
        impact["notes"] = _pick(rng, _NOTES)
    return impact


def _feasibility(rng: random.Random) -> dict[str, Any]:
    """The cost drivers; accuracy as a score, as a target, or left open."""
    drivers = [d for d in FEASIBILITY_DRIVERS if d != "accuracy_requirement"]
    accuracy = rng.random()
    if accuracy < 0.6:
        drivers.append("accuracy_requirement")
    feasibility, ranges = _scored(rng, drivers, 0.2)
    if 0.6 <= accuracy < 0.85:
        feasibility["accuracy_target"] = rng.choice((0.9, 0.95, 0.99, 0.995, 0.999))
    if ranges:
        feasibility["ranges"] = ranges
    notes = {
        key: _pick(rng, _NOTES[2:])
        for driver in FEASIBILITY_DRIVERS
        for key, _ in FEASIBILITY_QUESTIONS[driver]
        if rng.random() < 0.1
    }
    if notes:
        feasibility["notes"] = notes
    return feasibility


def _evaluation(rng: random.Random, stage: Stage) -> dict[str, Any]:
    """Metrics (exactly one optimised), baselines and candidate models with consistent scores."""
    specs = rng.sample(_METRICS, rng.randint(2, 4))
    baseline_rows = rng.sample(_BASELINES, rng.randint(1, 3))
    weighted = rng.random() < 0.2
    baselines = [
        {
            "name": name,
            "kind": kind.value,
            **({"source": source} if source else {}),
            "scores": {s.name: s.value(rng.uniform(0.05, 0.55)) for s in specs},
        }
        for name, kind, source in baseline_rows
    ]
    metrics: list[dict[str, Any]] = []
    for i, spec in enumerate(specs):
        metric: dict[str, Any] = {"name": spec.name, "direction": spec.direction.value}
        if spec.unit:
            metric["unit"] = spec.unit
        if i == 0:
            metric["optimise"] = True
        else:
            style = rng.random()
            if style < 0.45:
                metric["threshold"] = spec.value(rng.uniform(0.4, 0.8))
            elif style < 0.8:
                metric["threshold_baseline"] = baseline_rows[0][0]
                if rng.random() < 0.5:
                    margin = abs(spec.best - spec.worst) * rng.choice((0.01, 0.02, 0.05))
                    metric["threshold_margin"] = round(margin, spec.digits + 1)
        if weighted:
            metric["weight"] = rng.choice((0.5, 1.0, 1.0, 2.0, 3.0))
        metrics.append(metric)
    lo, hi = (0, 1) if stage is Stage.PLANNING else (0, 3)
    models: list[dict[str, Any]] = []
    for name in rng.sample(_MODELS, rng.randint(lo, hi)):
        quality = {s.name: rng.uniform(0.3, 0.95) for s in specs}
        model: dict[str, Any] = {
            "name": name,
            "scores": {s.name: s.value(quality[s.name]) for s in specs},
        }
        if rng.random() < 0.5:
            model["train_scores"] = {
                s.name: s.value(min(1.0, quality[s.name] + rng.uniform(0.0, 0.15))) for s in specs
            }
        if rng.random() < 0.15:
            model["notes"] = _pick(rng, _NOTES[2:])
        models.append(model)
    evaluation: dict[str, Any] = {"metrics": metrics, "baselines": baselines}
    if weighted:
        evaluation["metric_strategy"] = "weighted"
    if models:
        evaluation["models"] = models
    return evaluation


def _project(rng: random.Random, index: int) -> dict[str, Any]:
    """One believable project; `index` keeps its id unique."""
    subject = _pick(rng, _SUBJECTS)
    task, title = _TASKS[rng.randrange(len(_TASKS))]
    owner = _pick(rng, _OWNERS)
    people = (owner, owner, _pick(rng, _OWNERS))
    archetype = _pick(rng, _ARCHETYPE_BAG)
    checklist = {key: rng.random() < 0.75 for key, _ in CHECKLIST_ITEMS}
    created = _moment(START, rng, 600)
    history = _history(rng, created, people, not all(checklist.values()))
    stage = Stage(history[-1]["to"]) if history else Stage.PLANNING
    updated = _moment(history[-1]["at"] if history else created, rng, 20)

    project: dict[str, Any] = {
        "id": f"{subject}-{task}-{index:05d}",
        "title": title.format(s=subject),
        "owner": owner,
        "archetype": archetype.value,
        "stage": stage.value,
        "tags": rng.sample(_TAGS, rng.randint(0, 3)),
        "created_at": created,
        "updated_at": updated,
        "updated_by": _pick(rng, people),
        "impact": _impact(rng),
        "feasibility": _feasibility(rng),
        "checklist": {key: done for key, done in checklist.items() if done},
        "flywheel": {key: _pick(rng, _ANSWERS) for key, _ in FLYWHEEL_QUESTIONS},
        **_evaluation(rng, stage),
    }
    if rng.random() < 0.7:
        project["summary"] = f"{title.format(s=subject)} so that the team spends less time on it."
    if rng.random() < 0.5:
        project["success_criteria"] = "Beats the rules baseline on the optimised metric."
    if rng.random() < 0.3:
        project["notes"] = _pick(rng, _NOTES)
    answered = {key: _pick(rng, _NOTES[2:]) for key, _ in ARCHETYPE_QUESTIONS[archetype]}
    if rng.random() < 0.4:
        project["archetype_notes"] = answered
    if history:
        project["history"] = history
    return project


def generate_data(n: int, seed: int = 0) -> dict[str, Any]:
    """The plain dictionary of a portfolio with `n` projects, as a TOML file would hold it."""
    if n < 0:
        raise ValueError(f"n must be at least 0, not {n}")
    rng = random.Random(seed)
    return {
        "schema": SCHEMA_VERSION,
        "settings": {"name": f"Synthetic portfolio ({n} projects, seed {seed})"},
        "projects": [_project(rng, i) for i in range(n)],
    }


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, which otherwise doubles the time to build a portfolio.

    The data and models built here hold no reference cycles, so nothing is left
    for the collector to find; it is switched back on (if it was on) afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate_portfolio(n: int, seed: int = 0) -> Portfolio:
    """A valid portfolio of `n` believable projects; the same seed gives the same portfolio."""
    with _collector_paused():
        return Portfolio.model_validate(generate_data(n, seed))


def generate_toml(n: int, seed: int = 0) -> str:
    """The canonical TOML text of `generate_portfolio(n, seed)`, via `portfolio.dumps`."""
    import portfolio

    return portfolio.dumps(generate_portfolio(n, seed))
