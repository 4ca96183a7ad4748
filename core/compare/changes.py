"""The change records a portfolio diff is made of: one frozen dataclass per kind of change.

`core.compare.diff` computes them; the renderers (text, Markdown, JSON) and the app's
"changes since snapshot" highlight read them. Every text field is plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from core.models import Stage, TransitionKind
from core.rules.priority import Quadrant
from core.vocabulary import BackReason


@dataclass(frozen=True, slots=True)
class ProjectAdded:
    """A project in the new portfolio only: where it starts."""

    project_id: str
    title: str
    stage: Stage
    quadrant: Quadrant
    quadrant_label: str
    score: float


@dataclass(frozen=True, slots=True)
class ProjectRemoved:
    """A project in the old portfolio only: where it was."""

    project_id: str
    title: str
    stage: Stage
    quadrant: Quadrant
    quadrant_label: str
    score: float


@dataclass(frozen=True, slots=True)
class StageStep:
    """One history entry recorded between the two versions."""

    from_stage: Stage
    to_stage: Stage
    kind: TransitionKind
    reason: str
    at: datetime
    by: str
    reason_code: BackReason | None = None
    """A back step's reason code (`core.vocabulary.BackReason`); None for other steps."""
    reason_label: str = ""
    """The code's words, e.g. "labels unreliable"; empty without a code."""


@dataclass(frozen=True, slots=True)
class StageChange:
    """The project moved on the board (or went round a loop and came back).

    `kind` is BACK when any recorded step went back (a loop), else the kind of
    the last recorded step; with no history recorded (a hand edit), the kind
    the lifecycle table gives the move. `reason` is the back step's reason for
    a loop, else the last step's reason.
    """

    from_stage: Stage
    to_stage: Stage
    kind: TransitionKind
    reason: str
    steps: tuple[StageStep, ...]
    reason_code: BackReason | None = None
    """The code of the step `reason` comes from, when it has one."""
    reason_label: str = ""
    """That code's words; empty without a code."""


@dataclass(frozen=True, slots=True)
class ScoreDelta:
    """One input of a grid position that changed: a lens, a cost driver or a setting."""

    axis: str
    """"impact", "feasibility" or "settings"."""
    name: str
    before: float
    after: float


@dataclass(frozen=True, slots=True)
class GridChange:
    """The project moved on the grid: its axes, quadrant and score before and after, and why."""

    quadrant_before: Quadrant
    quadrant_after: Quadrant
    label_before: str
    label_after: str
    impact_before: float
    impact_after: float
    feasibility_before: float
    feasibility_after: float
    score_before: float
    score_after: float
    causes: tuple[ScoreDelta, ...]

    @property
    def quadrant_changed(self) -> bool:
        """Whether the project landed in another quadrant (not just moved within one)."""
        return self.quadrant_before is not self.quadrant_after


@dataclass(frozen=True, slots=True)
class ThresholdChange:
    """A model kept in both versions now passes, or now fails, one threshold.

    `new_threshold` marks a threshold the old version did not have: the model
    is then listed whichever way its check goes.
    """

    model: str
    metric: str
    passed: bool
    """The result now."""
    phrase: str
    """The check now, in words: 'passes p99_latency_ms ≤ 50 ms (48 ms)'."""
    new_threshold: bool = False


@dataclass(frozen=True, slots=True)
class ModelChange:
    """A candidate model added (with its verdict) or removed."""

    model: str
    added: bool
    passes: bool
    """For an added model: whether it passes every threshold; False for a removed one."""
    phrase: str
    """The added model's verdict in words; empty for a removed one."""


@dataclass(frozen=True, slots=True)
class WinnerChange:
    """The winning model changed (None: no winner)."""

    before: str | None
    after: str | None
    phrase: str
    """Why the new winner wins, or why there is none now."""


@dataclass(frozen=True, slots=True)
class TightestBaselineChange:
    """A metric's tightest baseline changed (None: no baseline scores it)."""

    metric: str
    before: str | None
    after: str | None
    phrase: str
    """The metric's baselines now, in words."""


@dataclass(frozen=True, slots=True)
class HintChange:
    """The underfitting / overfitting hint of a metric appeared, changed or went away."""

    metric: str
    before: str | None
    """'underfitting', 'overfitting' or None."""
    after: str | None
    phrase: str
    """The hint now, in full; empty when it went away."""


@dataclass(frozen=True, slots=True)
class ChecklistChange:
    """A feasibility checklist item ticked (closed) or unticked (reopened)."""

    item: str
    wording: str
    closed: bool


@dataclass(frozen=True, slots=True)
class RatingChange:
    """One person's current ratings of a project changed: given, changed or withdrawn."""

    by: str
    scores: tuple[tuple[str, int | None, int | None], ...]
    """(lens or driver, score before, score now); None where there was or is none."""
    phrase: str
    """E.g. "bob rated Churn automation 4, data availability 3 (was 2)"."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs, in the diff's field-level layer (see `core.compare.fields`).

    `path` names it the way a reader finds it in the file:
    `projects[churn].metrics[recall].threshold`; `parts` is the same path as
    keys (for programs). `before` and `after` are JSON-ready values; an item or
    key on one side only is `added` or `removed`, whole, with None on the other.
    """

    parts: tuple[str | int, ...]
    path: str
    kind: Literal["changed", "added", "removed"]
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class OrderChange:
    """The projects kept in both versions are listed in another order."""

    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProjectDiff:
    """Everything that changed in one project kept in both versions."""

    project_id: str
    title: str
    stage: StageChange | None = None
    grid: GridChange | None = None
    thresholds: tuple[ThresholdChange, ...] = ()
    models: tuple[ModelChange, ...] = ()
    winner: WinnerChange | None = None
    baselines: tuple[TightestBaselineChange, ...] = ()
    hints: tuple[HintChange, ...] = ()
    checklist: tuple[ChecklistChange, ...] = ()
    ratings: tuple[RatingChange, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    """Every field that differs, under the headlines above."""

    @property
    def is_empty(self) -> bool:
        """Whether nothing changed at all."""
        return not (
            self.fields
            or self.stage
            or self.grid
            or self.thresholds
            or self.models
            or self.winner
            or self.baselines
            or self.hints
            or self.checklist
            or self.ratings
        )

    @property
    def moved(self) -> bool:
        """Whether the project moved on the board or on the grid."""
        return self.stage is not None or self.grid is not None


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A portfolio setting that changed; `name` is dotted (`impact_weights.automation`)."""

    name: str
    before: str
    after: str

    @property
    def parts(self) -> tuple[str, ...]:
        """The setting's path as keys under `settings`."""
        return tuple(self.name.split("."))


@dataclass(frozen=True, slots=True)
class PortfolioDiff:
    """The differences between two portfolios: only what changed, in the new file's order."""

    added: tuple[ProjectAdded, ...] = ()
    removed: tuple[ProjectRemoved, ...] = ()
    changed: tuple[ProjectDiff, ...] = ()
    """Projects kept in both versions with at least one change."""
    settings: tuple[SettingChange, ...] = ()
    order: OrderChange | None = None

    @property
    def is_empty(self) -> bool:
        """Whether the two portfolios show no difference at all."""
        return not (self.added or self.removed or self.changed or self.settings or self.order)

    @property
    def changed_ids(self) -> frozenset[str]:
        """Projects to highlight as changed since the old version.

        The projects added, and those that moved on the grid (axes or quadrant)
        or on the board (stage); removed projects are not in the new version.
        """
        ids = {a.project_id for a in self.added}
        ids.update(d.project_id for d in self.changed if d.moved)
        return frozenset(ids)

    def project(self, project_id: str) -> ProjectDiff | None:
        """The changes of the project with this id, if it changed."""
        return next((d for d in self.changed if d.project_id == project_id), None)
