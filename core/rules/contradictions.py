"""More of the lecture's contradictions, as consistency checks (issue 11).

Each function is a check in the shape `core.rules.consistency` runs: it reads
one project (and the settings) and yields (code, message, severity). They live
apart from the older checks only to keep each module small; `consistency`
lists them in `TIMELESS_CHECKS`. The codes are stable (tests, filters and
exports use them):

- `models-no-baseline`: models in training or deployment with no baseline,
  so nothing says what they should reach;
- `hitl-no-good-enough`: a human-in-the-loop system with no answer to "how
  good does the system need to be to be useful?";
- `checklist-baseline-missing`: past planning, the checklist says a labelled
  benchmark was built or a rule-based product tried, but no baseline records it (no
  baseline scored anything, or no `scripted-rules` or `dataset-average`
  baseline); an info, as the baseline may simply not be in the file yet;
- `autonomous-forgiving-accuracy`: an autonomous system whose accuracy
  requirement is forgiving (scored 4 or 5, or a target below 99%);
- `deployed-winner-misfit`: the winner of a project in deployment or shipped
  is under- or overfitting;
- `metric-unused`: a metric neither optimised nor thresholded (nor weighted,
  under the weighted strategy): it decides nothing;
- `history-stage-mismatch`: the last move in the history does not end at
  the project's stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Literal

from core.models import BaselineKind, Project, Settings, Stage
from core.rules.baselines import baselines_for, diagnosis_of
from core.rules.diagnosis import Fit
from core.vocabulary import Archetype

_Raw = tuple[str, str, Literal["warning", "info"]]

FORGIVING_SCORE = 4
"""An accuracy requirement scored this or more (cheap: errors are tolerable) is forgiving."""

FORGIVING_TARGET = 0.99
"""An accuracy target below this (fewer than two nines) is forgiving for an autonomous system."""

RULE_KINDS = (BaselineKind.SCRIPTED_RULES, BaselineKind.DATASET_AVERAGE)
"""Baselines a person writes down without learning anything: what a rule-based product is
(a best-sellers list is a dataset average and a rule at once)."""

_MODEL_STAGES = (Stage.TRAINING, Stage.DEPLOYMENT)
_PAST_PLANNING = (Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT, Stage.SHIPPED)
_LIVE_STAGES = (Stage.DEPLOYMENT, Stage.SHIPPED)


def models_without_baseline(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Models trained in training or deployment, and no baseline to bound what they should reach."""
    if project.stage in _MODEL_STAGES and project.models and not project.baselines:
        yield (
            "models-no-baseline",
            f"{len(project.models)} model(s) in {project.stage.value} but no baseline:"
            " nothing says what they should reach",
            "warning",
        )


def hitl_without_good_enough(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Human-in-the-loop: the lecture's first question is how good it needs to be to be useful."""
    note = project.archetype_notes.get("good_enough", "")
    if project.archetype == Archetype.HUMAN_IN_THE_LOOP and not note.strip():
        yield (
            "hitl-no-good-enough",
            "human-in-the-loop system with no answer to how good it needs to be to be useful",
            "warning",
        )


def checklist_baselines(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """A ticked benchmark or rule-based item the baselines do not bear out, once the project
    has left planning on the strength of that checklist (before, the baselines may still be
    on their way into the file)."""
    if project.stage not in _PAST_PLANNING:
        return
    missing = []
    if project.checklist.labelled_benchmark and not any(b.scores for b in project.baselines):
        missing.append("a labelled benchmark was built, yet no baseline has a score on it")
    if project.checklist.rule_based_baseline and not any(
        b.kind in RULE_KINDS for b in project.baselines
    ):
        missing.append(
            "a rule-based product was tried, yet no scripted-rules (or dataset-average)"
            " baseline is recorded"
        )
    for text in missing:
        yield "checklist-baseline-missing", f"checklist says {text}", "info"


def autonomous_forgiving_accuracy(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """An autonomous system must be right very often: a forgiving requirement contradicts it."""
    if project.archetype != Archetype.AUTONOMOUS or project.feasibility is None:
        return
    feasibility = project.feasibility
    if feasibility.accuracy_target is not None and feasibility.accuracy_target < FORGIVING_TARGET:
        yield (
            "autonomous-forgiving-accuracy",
            f"autonomous system with a forgiving accuracy target of {feasibility.accuracy_target:g}"
            f" (below {FORGIVING_TARGET:g}): with no human to catch errors, failures reach users",
            "warning",
        )
    elif (
        feasibility.accuracy_requirement is not None
        and feasibility.accuracy_requirement >= FORGIVING_SCORE
    ):
        yield (
            "autonomous-forgiving-accuracy",
            f"autonomous system with a forgiving accuracy requirement"
            f" ({feasibility.accuracy_requirement} of 5): with no human to catch errors,"
            " failures reach users",
            "warning",
        )


def deployed_winner_misfit(project: Project, settings: Settings, _n: datetime) -> Iterator[_Raw]:
    """The model in deployment (or shipped) should not be the one the diagnosis says misfits."""
    if project.stage not in _LIVE_STAGES or not project.metrics:
        return
    diagnosis = diagnosis_of(baselines_for(project, settings.underfit_margin))
    if diagnosis is None or not diagnosis.passes:
        return
    if diagnosis.fit in (Fit.UNDERFITTING, Fit.OVERFITTING, Fit.BOTH):
        yield (
            "deployed-winner-misfit",
            f"{project.stage.value} winner {diagnosis.model!r} is {diagnosis.fit.value}"
            f" on {diagnosis.metric}",
            "warning",
        )


def unused_metrics(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """Every metric is optimised or satisficing (or weighted); one that is neither decides
    nothing."""
    weighted = project.metric_strategy == "weighted"
    for metric in project.metrics:
        used = metric.optimise or metric.has_threshold or (weighted and bool(metric.weight))
        if not used:
            how = "optimised, thresholded nor weighted" if weighted else "optimised nor thresholded"
            yield (
                "metric-unused",
                f"metric {metric.name!r} is neither {how}: it decides nothing",
                "warning",
            )


def history_stage_mismatch(project: Project, _s: Settings, _n: datetime) -> Iterator[_Raw]:
    """The history's last move should end where the project is."""
    if project.history and project.history[-1].to_stage != project.stage:
        last = project.history[-1]
        yield (
            "history-stage-mismatch",
            f"the last move in the history ends in {last.to_stage.value},"
            f" but the project is in {project.stage.value}",
            "warning",
        )


CONTRADICTION_CHECKS = (
    models_without_baseline,
    hitl_without_good_enough,
    checklist_baselines,
    autonomous_forgiving_accuracy,
    deployed_winner_misfit,
    unused_metrics,
    history_stage_mismatch,
)
"""The checks of this module, in the order `core.rules.consistency` runs them."""
