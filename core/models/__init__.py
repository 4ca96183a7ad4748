"""The portfolio's domain model: frozen pydantic values mirroring the TOML file.

Field names follow the Full Stack Deep Learning lecture on ML projects so that
a reader of the lecture recognises every key. The models validate shape and
ranges only; judgements (quadrants, verdicts, warnings) live in other modules.
The lecture's vocabulary tables (lenses, drivers, archetypes and their
questions) are data rather than models and live in `core.vocabulary`.

This package is the face for every model name (`from core.models import Project`).
The project, its stages and history, and the portfolio are defined here; the bricks
(strict scalar types, `Frozen`) are in `base`, the two axes in `scores`, metrics,
baselines and models in `items`, and the portfolio's settings in `settings`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from core.models.base import (
    _LINE_PATTERN,
    _SLUG_PATTERN,
    EARLIEST,
    FROM_FILE,
    LATEST,
    MEASURE_LIMIT,
    SLUG_RE,
    WEIGHT_LIMIT,
    Flag,
    Frozen,
    Instant,
    Line,
    Measure,
    Name,
    Score,
    Slug,
    Text,
    Title,
    Weight,
)
from core.models.items import Baseline, BaselineKind, CandidateModel, Direction, Metric
from core.models.scores import Feasibility, FeasibilityNotes, Impact, ScoreRange
from core.models.settings import FeasibilityWeights, ImpactWeights, QuadrantNames, Settings
from core.vocabulary import RATED_KEYS, Archetype, BackReason, back_reasons_for, infer_back_reason

__all__ = [
    "EARLIEST",
    "FROM_FILE",
    "LATEST",
    "LIFECYCLE",
    "MEASURE_LIMIT",
    "OUTCOMES",
    "SCHEMA_VERSION",
    "SLUG_RE",
    "WEIGHT_LIMIT",
    "Answer",
    "Baseline",
    "BaselineKind",
    "CandidateModel",
    "Checklist",
    "Direction",
    "Feasibility",
    "FeasibilityNotes",
    "FeasibilityWeights",
    "Flag",
    "Flywheel",
    "Frozen",
    "Impact",
    "ImpactWeights",
    "Instant",
    "Line",
    "Measure",
    "MergeConflict",
    "Metric",
    "MetricStrategy",
    "Name",
    "Portfolio",
    "Project",
    "QuadrantNames",
    "Rating",
    "Score",
    "ScoreRange",
    "Settings",
    "Slug",
    "Stage",
    "Text",
    "Title",
    "Transition",
    "TransitionKind",
    "Weight",
]

SCHEMA_VERSION: Final = 1


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
    reason_code: BackReason | None = None
    """Why a back move went back, as a code (`BackReason`); None on every other kind of move.

    Optional in the file: a back move without one gets it from its text."""
    reason: Text = ""
    checklist_override: Flag = False

    @model_validator(mode="before")
    @classmethod
    def _code_from_text(cls, data: Any) -> Any:
        """A back move without a code gets the one its text stands for (`other` for free text).

        This is how history written before reason codes existed migrates on load,
        and why a back move built in code always has a code.
        """
        if not isinstance(data, dict) or data.get("reason_code") is not None:
            return data
        if data.get("kind") != TransitionKind.BACK:
            return data
        from_ = data.get("from", data.get("from_stage"))
        to = data.get("to", data.get("to_stage"))
        reason = data.get("reason", "")
        if not (isinstance(from_, str) and isinstance(to, str) and isinstance(reason, str)):
            return data  # not shaped as the schema says: the field checks report it
        if not back_reasons_for(from_, to):
            return data  # not a back-edge at all
        return {**data, "reason_code": infer_back_reason(from_, to, reason).value}

    @field_validator("reason_code")
    @classmethod
    def _code_fits_the_move(
        cls, code: BackReason | None, info: ValidationInfo
    ) -> BackReason | None:
        """A code only on a back move, and only one the lecture gives for that edge (or other)."""
        kind, from_, to = (info.data.get(k) for k in ("kind", "from_stage", "to_stage"))
        if code is None or kind is None or from_ is None or to is None:
            return code
        if kind is not TransitionKind.BACK:
            raise ValueError(f"only a back move has a reason_code (this one is {kind.value})")
        valid = back_reasons_for(from_, to)
        if code not in valid:
            raise ValueError(
                f"{code.value!r} is not a reason for going back from {from_.value} to {to.value}"
                f" (use one of: {', '.join(c.value for c in valid)})"
            )
        return code


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
