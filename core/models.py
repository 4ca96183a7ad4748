"""The portfolio's domain model: frozen pydantic values mirroring the TOML file.

Field names follow the Full Stack Deep Learning lecture on ML projects so that
a reader of the lecture recognises every key. The models validate shape and
ranges only; judgements (quadrants, verdicts, warnings) live in other modules.
The lecture's vocabulary tables (lenses, drivers, archetypes and their
questions) are data rather than models and live in `core.vocabulary`; this
module imports the two it validates with, `IMPACT_LENSES` and `Archetype`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from core.vocabulary import IMPACT_LENSES, RATED_KEYS, Archetype

SCHEMA_VERSION: Final = 1

# Control characters are refused in every text field (C0, DEL and C1). Notes may
# hold tab and newline; one-line fields may not.
_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
_TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
_SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

# A file's scalars are strict, as docs/format.md states the types: no `true` for
# 1, no "yes" for true, no "0.9" for 0.9, no text (or number) for a date. A whole
# number is still a number (TOML writes 3 and 3.0 differently; both mean 3). Edits
# made in Python (the command line's `set` passes "4") are validated without the
# context and keep pydantic's conversions; the loader passes FROM_FILE.

FROM_FILE: Final = {"from_file": True}
"""The validation context under which every scalar must have its exact TOML type."""

_WANTED: Final = {
    "int_type": (int,),
    "float_type": (int, float),
    "bool_type": (bool,),
    "datetime_type": (datetime,),
}


def _exact(error_type: str) -> BeforeValidator:
    """Under FROM_FILE, refuse a value of another type than the field's (bool never an int)."""
    kinds = _WANTED[error_type]

    def check(value: object, info: ValidationInfo) -> object:
        if not isinstance(info.context, dict) or info.context.get("from_file") is not True:
            return value
        if isinstance(value, kinds) and (bool in kinds or not isinstance(value, bool)):
            return value
        raise PydanticCustomError(error_type, "the value has the wrong type")

    return BeforeValidator(check)


Line = Annotated[str, Field(pattern=_LINE_PATTERN, max_length=500)]
"""One line of user text: no control characters at all."""

Text = Annotated[str, Field(pattern=_TEXT_PATTERN, max_length=20_000)]
"""Multi-line user text: tab and newline allowed, other control characters refused."""

Title = Annotated[str, Field(pattern=_LINE_PATTERN, min_length=1, max_length=200)]
"""A project's title: one line, 1 to 200 characters."""

Slug = Annotated[str, Field(pattern=_SLUG_PATTERN, min_length=1, max_length=64)]
"""A project id: lower-case letters, digits, '-' and '_', starting with a letter or digit."""


def _nfc(value: object) -> object:
    """Text in Unicode normal form C, so that two spellings of one name are one name."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


Name = Annotated[
    str,
    Field(pattern=_LINE_PATTERN, min_length=1, max_length=80),
    BeforeValidator(_nfc),  # last, so it runs first: the limits apply to the normal form
]
"""A metric, baseline or model name (and a score's key): one line, 1 to 80 characters, NFC."""

Score = Annotated[int, Field(ge=1, le=5), _exact("int_type")]
"""A 1-5 judgement; 5 is always the better end (more impact, more feasible)."""

MEASURE_LIMIT: Final = 1e15
"""The largest magnitude of a score, threshold or margin: far beyond any metric, and far
enough from the float limit that no sum, difference or weighted mean can overflow."""

Measure = Annotated[float, Field(ge=-MEASURE_LIMIT, le=MEASURE_LIMIT), _exact("float_type")]
"""A metric's value (or a bar or margin on it): a finite number within +-1e15."""

WEIGHT_LIMIT: Final = 1000.0
"""The largest weight: weights are relative, and bounded weights cannot sum to infinity."""

Weight = Annotated[float, Field(ge=0.0, le=WEIGHT_LIMIT), _exact("float_type")]
"""A relative weight, 0 to 1000."""

Flag = Annotated[bool, _exact("bool_type")]
"""true or false, never 1, 0 or "yes"."""

EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)
"""The range of dates a portfolio holds: wide for any real project, and far enough
inside Python's datetime range that converting an offset to UTC, or adding
days to a date, can never overflow."""


def _utc(value: datetime) -> datetime:
    """Refuse naive datetimes and dates outside EARLIEST..LATEST; normalise to UTC."""
    if value.tzinfo is None:
        raise ValueError("datetime needs a UTC offset, e.g. 2026-01-31T09:00:00Z")
    try:
        moment = value.astimezone(UTC)
    except OverflowError:
        moment = None
    if moment is None or not EARLIEST <= moment <= LATEST:
        raise ValueError(
            f"must be between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d} (UTC)"
            f" (got {value.isoformat()})"
        )
    return moment


Instant = Annotated[datetime, AfterValidator(_utc), _exact("datetime_type")]


class Frozen(BaseModel):
    """Base for every model: immutable, strict about unknown keys."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


class ScoreRange(Frozen):
    """An uncertain score: the lowest and highest value the team finds plausible."""

    low: Score
    high: Score

    @model_validator(mode="after")
    def _ordered(self) -> ScoreRange:
        if self.low > self.high:
            raise ValueError(f"range low {self.low} is above high {self.high}")
        return self


def _ranges_cover(scores: dict[str, int], ranges: dict[str, ScoreRange]) -> None:
    """Check every range names a known score and contains its point value."""
    for name, rng in ranges.items():
        if name not in scores:
            raise ValueError(f"range given for unknown score {name!r}")
        if not rng.low <= scores[name] <= rng.high:
            raise ValueError(
                f"{name} = {scores[name]} lies outside its range [{rng.low}, {rng.high}]"
            )


class Impact(Frozen):
    """Where is prediction cheap and valuable: the lecture's four lenses, each 1-5."""

    cheap_prediction: Score = 3
    product_friction: Score = 3
    automation: Score = 3
    industry_precedent: Score = 3
    ranges: dict[str, ScoreRange] = Field(default_factory=dict)
    notes: Text = ""

    @model_validator(mode="after")
    def _ranges(self) -> Impact:
        _ranges_cover({k: getattr(self, k) for k in IMPACT_LENSES}, self.ranges)
        return self


class FeasibilityNotes(Frozen):
    """Answers to the cost drivers' sub-questions, all optional free text."""

    data_acquisition: Text = ""
    labelling_cost: Text = ""
    data_volume: Text = ""
    data_stability: Text = ""
    data_security: Text = ""
    cost_of_errors: Text = ""
    required_frequency: Text = ""
    ethical_implications: Text = ""
    well_defined: Text = ""
    published_work: Text = ""
    compute: Text = ""
    human_can_do: Text = ""


class Feasibility(Frozen):
    """The three cost drivers, each 1-5 where 5 is cheapest (most feasible).

    The accuracy requirement may instead be stated as a target (e.g. 0.999); its
    score then follows from the portfolio's cost-per-nine setting.
    """

    data_availability: Score = 3
    accuracy_requirement: Score | None = None
    accuracy_target: Annotated[float, Field(gt=0.0, lt=1.0), _exact("float_type")] | None = None
    problem_difficulty: Score = 3
    ranges: dict[str, ScoreRange] = Field(default_factory=dict)
    notes: FeasibilityNotes = Field(default_factory=FeasibilityNotes)

    @model_validator(mode="after")
    def _one_accuracy(self) -> Feasibility:
        if self.accuracy_requirement is not None and self.accuracy_target is not None:
            raise ValueError("give accuracy_requirement or accuracy_target, not both")
        scores = {"data_availability": self.data_availability}
        scores["problem_difficulty"] = self.problem_difficulty
        if self.accuracy_requirement is not None:
            scores["accuracy_requirement"] = self.accuracy_requirement
        _ranges_cover(scores, self.ranges)
        return self


class Stage(StrEnum):
    """Where a project is: one of the four lifecycle stages, or an outcome."""

    PLANNING = "planning"
    DATA = "data"
    TRAINING = "training"
    DEPLOYMENT = "deployment"
    PARKED = "parked"
    KILLED = "killed"
    SHIPPED = "shipped"


LIFECYCLE = (Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT)
"""The lifecycle stages in order."""

OUTCOMES = (Stage.PARKED, Stage.KILLED, Stage.SHIPPED)
"""The ways a project leaves the lifecycle."""


class TransitionKind(StrEnum):
    """What a history entry records."""

    FORWARD = "forward"
    BACK = "back"
    OUTCOME = "outcome"
    RESUME = "resume"


class Transition(Frozen):
    """One history entry: who moved the project, when, from where to where, and why."""

    at: Instant
    from_stage: Stage = Field(alias="from")
    to_stage: Stage = Field(alias="to")
    by: Line
    kind: TransitionKind
    reason: Text = ""
    checklist_override: Flag = False


def _rated_keys(scores: dict[str, int]) -> dict[str, int]:
    """A rating names at least one lens or cost driver, and nothing else."""
    if not scores:
        raise ValueError("a rating needs at least one score")
    unknown = [key for key in scores if key not in RATED_KEYS]
    if unknown:
        raise ValueError(
            f"{unknown[0]!r} is not a lens or cost driver (one of {', '.join(RATED_KEYS)})"
        )
    return scores


class Rating(Frozen):
    """One person's scores (1-5) for some of a project's lenses and cost drivers, at one moment.

    A person has one current rating per project; rating again writes a new
    entry holding all their current scores and marks the earlier one
    `superseded`, which stays in the file as the record of what they said.
    """

    by: Name
    at: Instant
    scores: Annotated[dict[str, Score], AfterValidator(_rated_keys)]
    superseded: Flag = False


class Checklist(Frozen):
    """The lecture's feasibility checklist; every item starts open."""

    need_ml: Flag = False
    success_criteria: Flag = False
    ethics: Flag = False
    literature_review: Flag = False
    labelled_benchmark: Flag = False
    rule_based_baseline: Flag = False
    really_need_ml: Flag = False


class Answer(StrEnum):
    """A yes / no / unknown answer."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Flywheel(Frozen):
    """The data flywheel: does usage feed data that improves the model and the product?"""

    data_loop: Answer = Answer.UNKNOWN
    more_data_better_model: Answer = Answer.UNKNOWN
    better_model_better_product: Answer = Answer.UNKNOWN


class Direction(StrEnum):
    """Which way a metric improves."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"


class Metric(Frozen):
    """A number models are judged by: optimised, held to a threshold, or weighted."""

    name: Name
    direction: Direction = Direction.MAXIMIZE
    optimise: Flag = False
    threshold: Measure | None = None
    threshold_baseline: Name | None = None
    threshold_margin: Measure = 0.0
    weight: Weight | None = None
    unit: Line = ""
    notes: Text = ""

    @model_validator(mode="after")
    def _one_threshold(self) -> Metric:
        if self.threshold is not None and self.threshold_baseline is not None:
            raise ValueError("give threshold or threshold_baseline, not both")
        if self.optimise and (self.threshold is not None or self.threshold_baseline is not None):
            raise ValueError("the optimising metric takes no threshold")
        return self

    @property
    def has_threshold(self) -> bool:
        """Whether this metric is satisficing (held to a threshold)."""
        return self.threshold is not None or self.threshold_baseline is not None


class BaselineKind(StrEnum):
    """Where a baseline comes from, external first, then internal from cheap to dear."""

    PUBLISHED = "published"
    STATE_OF_THE_ART = "state-of-the-art"
    SCRIPTED_RULES = "scripted-rules"
    SIMPLE_MODEL = "simple-model"
    DATASET_AVERAGE = "dataset-average"
    HUMAN_CROWD = "human-crowd"
    HUMAN_EXPERT = "human-expert"
    HUMAN_ENSEMBLE = "human-ensemble"


def _no_twin_keys(value: object) -> object:
    """Refuse a scores table whose keys repeat once written in Unicode normal form C."""
    if isinstance(value, dict):
        seen: set[object] = set()
        for key in value:
            folded = _nfc(key)
            if folded in seen:
                raise ValueError(f"the score {folded!r} is named twice (two spellings of one name)")
            seen.add(folded)
    return value


Scores = Annotated[dict[Name, Measure], BeforeValidator(_no_twin_keys)]
"""Scores by metric name: each key a name, each value a finite number within +-1e15."""


class Baseline(Frozen):
    """A lower bound on expected performance, with its scores per metric."""

    name: Name
    kind: BaselineKind
    source: Line = ""
    scores: Scores = Field(default_factory=dict)


class CandidateModel(Frozen):
    """A trained model's scores: validation scores, and training scores when known."""

    name: Name
    scores: Scores = Field(default_factory=dict)
    train_scores: Scores = Field(default_factory=dict)
    notes: Text = ""


MetricStrategy = Literal["thresholds", "weighted"]


def _unique_names(items: tuple[Any, ...], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.name in seen:
            raise ValueError(f"two {what} are named {item.name!r}")
        seen.add(item.name)


class Project(Frozen):
    """One candidate ML project with its assessments, evaluation and history."""

    id: Slug
    title: Title
    owner: Line = ""
    archetype: Archetype = Archetype.SOFTWARE_2_0
    stage: Stage = Stage.PLANNING
    tags: tuple[Annotated[str, Field(pattern=_LINE_PATTERN, min_length=1, max_length=40)], ...] = ()
    summary: Text = ""
    success_criteria: Text = ""
    notes: Text = ""
    created_at: Instant | None = None
    updated_at: Instant | None = None
    updated_by: Line = ""
    triaged_at: Instant | None = None
    """When a triage session last recorded a decision on the project."""
    impact: Impact | None = None
    """None until someone scores the impact: the project is then "unscored"."""
    feasibility: Feasibility | None = None
    """None until someone scores the feasibility: the project is then "unscored"."""
    checklist: Checklist = Field(default_factory=Checklist)
    flywheel: Flywheel = Field(default_factory=Flywheel)
    archetype_notes: dict[Annotated[str, Field(pattern=_SLUG_PATTERN, max_length=64)], Text] = (
        Field(default_factory=dict)
    )
    metric_strategy: MetricStrategy = "thresholds"
    metrics: tuple[Metric, ...] = ()
    baselines: tuple[Baseline, ...] = ()
    models: tuple[CandidateModel, ...] = ()
    history: tuple[Transition, ...] = ()
    ratings: tuple[Rating, ...] = ()
    """Everyone's ratings, oldest first; at most one current (not superseded) per person."""

    @field_validator("ratings")
    @classmethod
    def _one_current_rating(cls, ratings: tuple[Rating, ...]) -> tuple[Rating, ...]:
        seen: set[str] = set()
        for rating in ratings:
            if rating.superseded:
                continue
            if rating.by in seen:
                raise ValueError(f"{rating.by!r} has two current ratings (mark one superseded)")
            seen.add(rating.by)
        return ratings

    @field_validator("metrics")
    @classmethod
    def _metrics(cls, metrics: tuple[Metric, ...], info: ValidationInfo) -> tuple[Metric, ...]:
        """Unique names; exactly one optimised metric, or at most one when weighted.

        The weighted strategy ranks models by the weighted score, so it needs no
        optimised metric; one may still be marked to choose the diagnosed metric.
        """
        _unique_names(metrics, "metrics")
        optimising = [m.name for m in metrics if m.optimise]
        if info.data.get("metric_strategy") == "weighted":
            if len(optimising) > 1:
                raise ValueError(
                    f"at most one metric may have optimise = true (found {len(optimising)})"
                )
        elif metrics and len(optimising) != 1:
            raise ValueError(
                f"exactly one metric must have optimise = true (found {len(optimising)})"
            )
        return metrics

    @field_validator("baselines")
    @classmethod
    def _baselines(cls, baselines: tuple[Baseline, ...]) -> tuple[Baseline, ...]:
        _unique_names(baselines, "baselines")
        return baselines

    @field_validator("models")
    @classmethod
    def _models(cls, models: tuple[CandidateModel, ...]) -> tuple[CandidateModel, ...]:
        _unique_names(models, "models")
        return models

    @property
    def unscored_axes(self) -> tuple[str, ...]:
        """The axes ("impact", "feasibility") never scored; empty for a scored project."""
        return tuple(
            axis
            for axis, value in (("impact", self.impact), ("feasibility", self.feasibility))
            if value is None
        )

    def metric(self, name: str) -> Metric | None:
        """The metric called `name`, if any."""
        return next((m for m in self.metrics if m.name == name), None)

    def baseline(self, name: str) -> Baseline | None:
        """The baseline called `name`, if any."""
        return next((b for b in self.baselines if b.name == name), None)

    @property
    def optimising_metric(self) -> Metric | None:
        """The one metric to optimise, when metrics are set."""
        return next((m for m in self.metrics if m.optimise), None)


class QuadrantNames(Frozen):
    """Names of the four priority quadrants (impact up, feasibility across)."""

    quick_wins: Line = "quick wins"
    big_bets: Line = "big bets"
    fill_ins: Line = "fill-ins"
    avoid: Line = "avoid"


class ImpactWeights(Frozen):
    """How much each impact lens counts towards the impact score."""

    cheap_prediction: Weight = 1.0
    product_friction: Weight = 1.0
    automation: Weight = 1.0
    industry_precedent: Weight = 1.0


class FeasibilityWeights(Frozen):
    """How much each cost driver counts; by default in the lecture's order of importance."""

    data_availability: Weight = 3.0
    accuracy_requirement: Weight = 2.0
    problem_difficulty: Weight = 1.0


class Settings(Frozen):
    """Portfolio-wide settings: thresholds, names and the knobs of every calculation."""

    name: Line = "ML portfolio"
    impact_threshold: Annotated[float, Field(gt=1.0, lt=5.0), _exact("float_type")] = 3.0
    feasibility_threshold: Annotated[float, Field(gt=1.0, lt=5.0), _exact("float_type")] = 3.0
    near_boundary: Annotated[float, Field(ge=0.0, le=2.0), _exact("float_type")] = 0.25
    accuracy_cost_per_nine: Annotated[float, Field(gt=1.0, le=1000.0), _exact("float_type")] = 10.0
    rank_by: Literal["expected", "pessimistic"] = "expected"
    underfit_margin: Annotated[float, Field(ge=0.0, le=1.0), _exact("float_type")] = 0.05
    stale_days: Annotated[int, Field(ge=1, le=3650), _exact("int_type")] = 30
    quadrant_names: QuadrantNames = Field(default_factory=QuadrantNames)
    impact_weights: ImpactWeights = Field(default_factory=ImpactWeights)
    feasibility_weights: FeasibilityWeights = Field(default_factory=FeasibilityWeights)

    @model_validator(mode="after")
    def _weights(self) -> Settings:
        if sum(self.impact_weights.model_dump().values()) <= 0:
            raise ValueError("impact_weights must not all be zero")
        if sum(self.feasibility_weights.model_dump().values()) <= 0:
            raise ValueError("feasibility_weights must not all be zero")
        return self


class MergeConflict(Frozen):
    """A conflict a three-way merge left for a person to settle (see docs/git.md).

    `path` names the value (`projects.churn.stage`, `settings.stale_days`);
    `base`, `ours` and `theirs` are the three versions rendered as text
    (`(absent)` where a side has none). The file keeps ours in place; deleting
    the entry once the value is right marks the conflict resolved.
    """

    path: Line = Field(min_length=1)
    reason: Line = ""
    base: Text = ""
    ours: Text = ""
    theirs: Text = ""


class Portfolio(Frozen):
    """The whole file: schema version, unresolved merge conflicts, settings and projects."""

    schema_version: Literal[1] = Field(default=SCHEMA_VERSION, alias="schema")
    conflicts: tuple[MergeConflict, ...] = ()
    """Left by `mlfolio merge-driver` when two versions disagree; empty in a settled file."""
    settings: Settings = Field(default_factory=Settings)
    projects: tuple[Project, ...] = ()

    @field_validator("projects")
    @classmethod
    def _unique_ids(cls, projects: tuple[Project, ...]) -> tuple[Project, ...]:
        seen: set[str] = set()
        for project in projects:
            if project.id in seen:
                raise ValueError(f"two projects have the id {project.id!r}")
            seen.add(project.id)
        return projects

    def project(self, project_id: str) -> Project | None:
        """The project with this id, if any."""
        return next((p for p in self.projects if p.id == project_id), None)

    def index_of(self, project_id: str) -> int:
        """The position of the project with this id, or -1."""
        for i, project in enumerate(self.projects):
            if project.id == project_id:
                return i
        return -1


SLUG_RE = re.compile(_SLUG_PATTERN)
