"""What changed between two versions of a portfolio, as typed change records.

`diff_portfolios(old, new)` compares two portfolios (two snapshots, or a
snapshot and the file now) and keeps only the differences a reviewer cares
about: projects added and removed; stage moves, told apart as forward, back
(a loop, with its reason), outcome or resume; moves on the grid, with the
score changes behind them; metric verdicts that flipped (a model that now
passes or fails a threshold, a new winner, a new tightest baseline, a new
underfitting or overfitting hint); checklist items closed or reopened; and
changed settings. Under those headlines, every field that differs is listed
(`core.compare.fields`), so a change is never silent. Projects are matched by
id. The records themselves live in `core.compare.changes` and are re-exported here.
"""

from __future__ import annotations

from typing import Any

from core.compare.changes import (
    ChecklistChange,
    FieldChange,
    GridChange,
    HintChange,
    ModelChange,
    OrderChange,
    PortfolioDiff,
    ProjectAdded,
    ProjectDiff,
    ProjectRemoved,
    RatingChange,
    ScoreDelta,
    SettingChange,
    StageChange,
    StageStep,
    ThresholdChange,
    TightestBaselineChange,
    WinnerChange,
)
from core.compare.fields import field_changes
from core.models import (
    LIFECYCLE,
    OUTCOMES,
    Portfolio,
    Project,
    Settings,
    Stage,
    Transition,
    TransitionKind,
)
from core.report import baseline_phrase, check_phrase, model_phrase, winner_phrase
from core.rules.baselines import MetricBaselines, baselines_for
from core.rules.evaluation import Evaluation, evaluate
from core.rules.lifecycle import move_kind
from core.rules.priority import AXES, Assessment, assess, axis_values
from core.rules.priority import quadrant_name as _quadrant_name
from core.rules.ratings import LABELS, current_ratings
from core.vocabulary import CHECKLIST_ITEMS

__all__ = [
    "ChecklistChange",
    "FieldChange",
    "GridChange",
    "HintChange",
    "ModelChange",
    "OrderChange",
    "PortfolioDiff",
    "ProjectAdded",
    "ProjectDiff",
    "ProjectRemoved",
    "ScoreDelta",
    "SettingChange",
    "StageChange",
    "StageStep",
    "ThresholdChange",
    "TightestBaselineChange",
    "WinnerChange",
    "diff_portfolios",
    "diff_projects",
]

_EPSILON = 1e-9
"""Scores closer than this count as equal (weighted means can differ in the last bit)."""


# -- stages ----------------------------------------------------------------------------------


def _new_steps(old: Project, new: Project) -> tuple[Transition, ...]:
    """History entries in `new` that `old` lacks: the appended tail, or any entry not in old."""
    before, after = old.history, new.history
    if after[: len(before)] == before:
        return after[len(before) :]
    known = set(before)
    return tuple(t for t in after if t not in known)


def _classify(from_: Stage, to: Stage) -> TransitionKind:
    """The kind of a move no history explains: the table's kind, else by stage order."""
    kind = move_kind(from_, to)
    if kind is not None:
        return kind
    if to in OUTCOMES:
        return TransitionKind.OUTCOME
    if from_ in OUTCOMES:
        return TransitionKind.RESUME
    earlier = LIFECYCLE.index(to) < LIFECYCLE.index(from_)
    return TransitionKind.BACK if earlier else TransitionKind.FORWARD


def _stage_change(old: Project, new: Project) -> StageChange | None:
    steps = _new_steps(old, new)
    if old.stage == new.stage and not steps:
        return None
    backs = [t for t in steps if t.kind is TransitionKind.BACK]
    explained = backs[-1] if backs else steps[-1] if steps else None
    if explained is None:
        kind, reason, code = _classify(old.stage, new.stage), "", None
    else:
        kind = TransitionKind.BACK if backs else explained.kind
        reason, code = explained.reason, explained.reason_code
    return StageChange(
        from_stage=old.stage,
        to_stage=new.stage,
        kind=kind,
        reason=reason,
        steps=tuple(
            StageStep(
                t.from_stage,
                t.to_stage,
                t.kind,
                t.reason,
                t.at,
                t.by,
                t.reason_code,
                "" if t.reason_code is None else t.reason_code.label,
            )
            for t in steps
        ),
        reason_code=code,
        reason_label="" if code is None else code.label,
    )


# -- the grid --------------------------------------------------------------------------------


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


_GRID_SETTINGS = ("impact_threshold", "feasibility_threshold", "accuracy_cost_per_nine")
_GRID_SETTING_PREFIXES = ("impact_weights.", "feasibility_weights.")


def _setting_causes(old: Settings, new: Settings) -> tuple[ScoreDelta, ...]:
    """Settings that move projects on the grid, where they changed."""
    before, after = _flat(old.model_dump()), _flat(new.model_dump())
    return tuple(
        ScoreDelta("settings", key, float(before[key]), float(after[key]))
        for key in before
        if (key in _GRID_SETTINGS or key.startswith(_GRID_SETTING_PREFIXES))
        and before[key] != after[key]
    )


def _grid_change(
    old: Project,
    new: Project,
    old_settings: Settings,
    new_settings: Settings,
    setting_causes: tuple[ScoreDelta, ...],
) -> GridChange | None:
    a, b = assess(old, old_settings), assess(new, new_settings)
    moved = abs(a.impact - b.impact) > _EPSILON or abs(a.feasibility - b.feasibility) > _EPSILON
    if not moved and a.quadrant is b.quadrant:
        return None
    causes: list[ScoreDelta] = []
    for axis in AXES:
        before = axis_values(old, old_settings, axis).by_name()
        after = axis_values(new, new_settings, axis).by_name()
        causes.extend(
            ScoreDelta(axis, name, before[name], after[name])
            for name in before
            if abs(before[name] - after[name]) > _EPSILON
        )
    causes.extend(setting_causes)
    return GridChange(
        quadrant_before=a.quadrant,
        quadrant_after=b.quadrant,
        label_before=_quadrant_name(a.quadrant, old_settings.quadrant_names),
        label_after=_quadrant_name(b.quadrant, new_settings.quadrant_names),
        impact_before=a.impact,
        impact_after=b.impact,
        feasibility_before=a.feasibility,
        feasibility_after=b.feasibility,
        score_before=a.score,
        score_after=b.score,
        causes=tuple(causes),
    )


# -- metric verdicts -------------------------------------------------------------------------


def _threshold_changes(
    new: Project, before: Evaluation, after: Evaluation
) -> tuple[ThresholdChange, ...]:
    passed = {(v.model, c.metric): c.passed for v in before.verdicts for c in v.checks}
    old_models = {v.model for v in before.verdicts}
    old_metrics = {t.metric for t in before.thresholds}
    thresholds = {t.metric: t for t in after.thresholds}
    changes: list[ThresholdChange] = []
    for verdict in after.verdicts:
        if verdict.model not in old_models:
            continue  # an added model is reported whole, as a ModelChange
        for check in verdict.checks:
            fresh = check.metric not in old_metrics
            if not fresh and passed.get((verdict.model, check.metric)) == check.passed:
                continue
            phrase = check_phrase(new, thresholds[check.metric], check)
            changes.append(
                ThresholdChange(verdict.model, check.metric, check.passed, phrase, fresh)
            )
    return tuple(changes)


def _model_changes(old: Project, new: Project, after: Evaluation) -> tuple[ModelChange, ...]:
    """Models added (with their verdict now) and models removed."""
    old_names = {m.name for m in old.models}
    new_names = {m.name for m in new.models}
    changes = [
        ModelChange(v.model, True, v.passes, model_phrase(new, after, v))
        for v in after.verdicts
        if v.model not in old_names
    ]
    changes.extend(
        ModelChange(m.name, False, False, "") for m in old.models if m.name not in new_names
    )
    return tuple(changes)


def _hint_kind(hint: str | None) -> str | None:
    return None if not hint else hint.split(":", 1)[0]


def _baseline_changes(
    new: Project,
    before: tuple[MetricBaselines, ...],
    after: tuple[MetricBaselines, ...],
) -> tuple[tuple[TightestBaselineChange, ...], tuple[HintChange, ...]]:
    old_by_metric = {b.metric: b for b in before}
    tightest: list[TightestBaselineChange] = []
    hints: list[HintChange] = []
    for now in after:
        was = old_by_metric.get(now.metric)
        if (was.tightest if was else None) != now.tightest:
            tightest.append(
                TightestBaselineChange(
                    now.metric,
                    was.tightest if was else None,
                    now.tightest,
                    baseline_phrase(new, now),
                )
            )
        old_kind, new_kind = _hint_kind(was.hint if was else None), _hint_kind(now.hint)
        if old_kind != new_kind:
            hints.append(HintChange(now.metric, old_kind, new_kind, now.hint or ""))
    return tuple(tightest), tuple(hints)


def _checklist_changes(old: Project, new: Project) -> tuple[ChecklistChange, ...]:
    return tuple(
        ChecklistChange(key, wording, closed=getattr(new.checklist, key))
        for key, wording in CHECKLIST_ITEMS
        if getattr(old.checklist, key) != getattr(new.checklist, key)
    )


def _rating_changes(old: Project, new: Project) -> tuple[RatingChange, ...]:
    """Each person whose current ratings differ, with a sentence about it."""
    if old.ratings == new.ratings:
        return ()
    before = {r.by: r.scores for r in current_ratings(old)}
    after = {r.by: r.scores for r in current_ratings(new)}
    changes: list[RatingChange] = []
    for person in dict.fromkeys([*after, *before]):
        was, now = before.get(person, {}), after.get(person, {})
        keys = [key for key in LABELS if was.get(key) != now.get(key)]
        if not keys:
            continue
        scores = tuple((key, was.get(key), now.get(key)) for key in keys)
        changes.append(RatingChange(person, scores, _rating_phrase(person, new.title, scores)))
    return tuple(changes)


def _rating_phrase(
    person: str, title: str, scores: tuple[tuple[str, int | None, int | None], ...]
) -> str:
    """E.g. "bob rated Churn automation 4, data availability 3 (was 2)"."""
    parts = []
    for key, was, now in scores:
        if now is None:
            parts.append(f"{LABELS[key]} withdrawn (was {was})")
        else:
            parts.append(f"{LABELS[key]} {now}" + (f" (was {was})" if was is not None else ""))
    return f"{person} rated {title} {', '.join(parts)}"


def diff_projects(
    old: Project,
    new: Project,
    old_settings: Settings | None = None,
    new_settings: Settings | None = None,
) -> ProjectDiff:
    """Every change between two versions of one project (settings default to the defaults)."""
    old_settings = old_settings or Settings()
    new_settings = new_settings or Settings()
    return _diff_project(
        old, new, old_settings, new_settings, _setting_causes(old_settings, new_settings)
    )


def _same_evaluation(old: Project, new: Project, old_s: Settings, new_s: Settings) -> bool:
    """Whether nothing the metric verdicts and baselines depend on changed."""
    return (
        old.metrics == new.metrics
        and old.models == new.models
        and old.baselines == new.baselines
        and old.metric_strategy == new.metric_strategy
        and old_s.underfit_margin == new_s.underfit_margin
    )


def _diff_project(
    old: Project,
    new: Project,
    old_settings: Settings,
    new_settings: Settings,
    setting_causes: tuple[ScoreDelta, ...],
) -> ProjectDiff:
    grid = _grid_change(old, new, old_settings, new_settings, setting_causes)
    stage = _stage_change(old, new)
    checklist = _checklist_changes(old, new)
    ratings = _rating_changes(old, new)
    fields = field_changes(old, new, ("projects", new.id), f"projects[{new.id}]")
    if _same_evaluation(old, new, old_settings, new_settings):
        return ProjectDiff(
            new.id, new.title, stage, grid, checklist=checklist, ratings=ratings, fields=fields
        )
    before, after = evaluate(old), evaluate(new)
    winner = None
    if before.winner != after.winner:
        winner = WinnerChange(before.winner, after.winner, winner_phrase(new, after))
    tightest, hints = _baseline_changes(
        new,
        baselines_for(old, old_settings.underfit_margin),
        baselines_for(new, new_settings.underfit_margin),
    )
    return ProjectDiff(
        project_id=new.id,
        title=new.title,
        stage=stage,
        grid=grid,
        thresholds=_threshold_changes(new, before, after),
        models=_model_changes(old, new, after),
        winner=winner,
        baselines=tightest,
        hints=hints,
        checklist=checklist,
        ratings=ratings,
        fields=fields,
    )


def _settings_changes(old: Settings, new: Settings) -> tuple[SettingChange, ...]:
    before, after = _flat(old.model_dump()), _flat(new.model_dump())
    return tuple(
        SettingChange(key, str(before[key]), str(after[key]))
        for key in before
        if before[key] != after[key]
    )


def _placed(project: Project, assessment: Assessment, settings: Settings) -> dict[str, Any]:
    return {
        "project_id": project.id,
        "title": project.title,
        "stage": project.stage,
        "quadrant": assessment.quadrant,
        "quadrant_label": _quadrant_name(assessment.quadrant, settings.quadrant_names),
        "score": assessment.score,
    }


def diff_portfolios(old: Portfolio, new: Portfolio) -> PortfolioDiff:
    """The differences between `old` and `new`; empty when they show none.

    Added and changed projects follow the new file's order, removed ones the
    old file's. Under the headlines, each changed project lists every field
    that differs (`ProjectDiff.fields`), so no change is ever left out; a new
    order of the projects kept is `order`.
    """
    old_by_id = {p.id: p for p in old.projects}
    new_ids = {p.id for p in new.projects}
    setting_causes = _setting_causes(old.settings, new.settings)
    added: list[ProjectAdded] = []
    changed: list[ProjectDiff] = []
    for project in new.projects:
        was = old_by_id.get(project.id)
        if was is None:
            placed = _placed(project, assess(project, new.settings), new.settings)
            added.append(ProjectAdded(**placed))
            continue
        if was == project and not setting_causes and old.settings == new.settings:
            continue
        found = _diff_project(was, project, old.settings, new.settings, setting_causes)
        if not found.is_empty:
            changed.append(found)
    removed = tuple(
        ProjectRemoved(**_placed(p, assess(p, old.settings), old.settings))
        for p in old.projects
        if p.id not in new_ids
    )
    kept_before = tuple(p.id for p in old.projects if p.id in new_ids)
    kept_after = tuple(p.id for p in new.projects if p.id in old_by_id)
    return PortfolioDiff(
        added=tuple(added),
        removed=removed,
        changed=tuple(changed),
        settings=_settings_changes(old.settings, new.settings),
        order=OrderChange(kept_before, kept_after) if kept_before != kept_after else None,
    )
