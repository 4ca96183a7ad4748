"""The diagnosis: the winner against the tightest baseline, avoidable bias, variance and the hint.

Every expected number below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from factories import EXAMPLE
from factories import project as make_project

from core.models import Project
from core.rules.baselines import MetricBaselines, baselines_for, diagnosis_of
from core.rules.diagnosis import Diagnosis, Fit, fit_of, tolerance_for
from portfolio.load import load


def model(name: str, train: dict[str, float] | None = None, **scores: float) -> dict[str, Any]:
    return {"name": name, "scores": scores, "train_scores": train or {}}


def baseline(name: str, kind: str = "scripted-rules", **scores: float) -> dict[str, Any]:
    return {"name": name, "kind": kind, "scores": scores}


def diagnosis(project: Project, margin: float = 0.05) -> Diagnosis:
    found = diagnosis_of(baselines_for(project, margin))
    assert found is not None
    return found


def entry(project: Project, metric: str) -> MetricBaselines:
    return next(e for e in baselines_for(project, 0.05) if e.metric == metric)


ACCURACY_AND_LATENCY = (
    {"name": "accuracy", "optimise": True},
    {"name": "latency_ms", "direction": "minimize", "threshold": 100.0},
)


# -- finding 1: the diagnosis is about the winner -----------------------------------------


def test_example_ide_completion_cites_the_winner_not_the_failing_best_score() -> None:
    project = load(EXAMPLE).project("ide-completion")
    assert project is not None
    found = diagnosis(project)
    # transformer-350m has the best acceptance (0.36) but fails both thresholds.
    assert found.model == "transformer-60m-int8"
    assert found.passes
    assert found.baseline == "Published small code models"
    assert found.gap == pytest.approx(0.33 - 0.31)  # +0.02
    assert found.bias == pytest.approx(0.31 - 0.35)  # training beats the bar by 0.04
    assert found.variance == pytest.approx(0.35 - 0.33)  # 0.02
    assert found.tolerance == pytest.approx(0.05 * 0.31)  # 0.0155
    assert found.fit is Fit.OVERFITTING  # 0.02 > 0.0155, bias below


def test_a_textbook_overfit_winner_gets_the_hint_and_a_failing_model_is_not_cited() -> None:
    project = make_project(
        metrics=ACCURACY_AND_LATENCY,
        baselines=(baseline("experts", "human-expert", accuracy=0.96),),
        models=(
            model("winner", {"accuracy": 0.99}, accuracy=0.88, latency_ms=50.0),
            model("too-slow", accuracy=0.97, latency_ms=400.0),
        ),
    )
    found = diagnosis(project)
    assert found.model == "winner"
    assert found.gap == pytest.approx(-0.08)  # 0.88 - 0.96
    assert found.bias == pytest.approx(-0.03)  # 0.96 - 0.99
    assert found.variance == pytest.approx(0.11)  # 0.99 - 0.88
    assert found.fit is Fit.OVERFITTING  # tolerance 0.05 * 0.96 = 0.048
    assert found.hint == "overfitting: avoidable bias -0.03, variance +0.11 (tolerance 0.048)"


def test_with_no_passing_model_the_best_candidate_is_diagnosed_and_labelled() -> None:
    project = make_project(
        metrics=ACCURACY_AND_LATENCY,
        baselines=(baseline("rules", accuracy=0.8),),
        models=(model("slow", accuracy=0.85, latency_ms=300.0), model("slower", accuracy=0.9)),
    )
    found = diagnosis(project)
    assert not found.passes
    assert found.model == "slower"  # best accuracy; has no latency score, so fails too
    assert found.note.startswith("no model passes every threshold: diagnosing the best candidate")
    assert found.gap == pytest.approx(0.1)


# -- finding 2: the rule reads training scores --------------------------------------------


def test_train_near_the_baseline_and_a_poor_validation_is_variance_not_underfitting() -> None:
    project = make_project(
        metrics=({"name": "accuracy", "optimise": True},),
        baselines=(baseline("rules", accuracy=0.90),),
        models=(model("m", {"accuracy": 0.89}, accuracy=0.60),),
    )
    found = diagnosis(project)
    assert found.bias == pytest.approx(0.01)  # 0.90 - 0.89, within 0.045
    assert found.variance == pytest.approx(0.29)  # 0.89 - 0.60
    assert found.fit is Fit.OVERFITTING


def test_validation_equal_to_the_baseline_with_a_slightly_better_train_is_on_par() -> None:
    project = make_project(
        metrics=({"name": "accuracy", "optimise": True},),
        baselines=(baseline("rules", accuracy=0.90),),
        models=(model("m", {"accuracy": 0.92}, accuracy=0.90),),
    )
    found = diagnosis(project)
    assert found.gap == 0
    assert found.variance == pytest.approx(0.02)  # within 0.045
    assert found.fit is Fit.ON_PAR


def test_a_minimised_metric_reads_in_its_own_direction() -> None:
    project = make_project(
        metrics=({"name": "wer", "direction": "minimize", "optimise": True},),
        baselines=(baseline("vendor", "published", wer=0.10),),
        models=(model("m", {"wer": 0.16}, wer=0.162),),
    )
    found = diagnosis(project)
    assert found.bias == pytest.approx(0.06)  # train 0.16 is 0.06 worse than 0.10
    assert found.variance == pytest.approx(0.002)  # validation 0.002 worse than train
    assert found.gap == pytest.approx(-0.062)
    assert found.tolerance == pytest.approx(0.005)  # 0.05 * 0.10
    assert found.fit is Fit.UNDERFITTING


# -- finding 3 and satisficing metrics ----------------------------------------------------


def test_satisficing_metrics_keep_their_ladder_but_give_no_verdict() -> None:
    project = make_project(
        metrics=(
            {"name": "fraud_recall", "optimise": True},
            {"name": "false_rejects", "direction": "minimize", "threshold": 0.01},
        ),
        baselines=(
            baseline("always pass", "dataset-average", fraud_recall=0.0, false_rejects=0.0),
            baseline("rules", fraud_recall=0.4, false_rejects=0.008),
        ),
        models=(model("m", fraud_recall=0.7, false_rejects=0.005),),
    )
    rejects = entry(project, "false_rejects")
    assert rejects.role == "satisficing"
    assert rejects.tightest == "always pass"  # context: the best rung of the ladder
    assert rejects.gap is None
    assert rejects.hint is None
    assert rejects.best_model is None
    recall = entry(project, "fraud_recall")
    assert recall.role == "diagnosed"
    assert recall.tightest == "rules"
    assert recall.gap == pytest.approx(0.3)


def test_a_degenerate_constant_baseline_is_never_the_bar() -> None:
    project = make_project(
        metrics=(
            {"name": "fraud_recall", "optimise": True},
            {"name": "false_positive_rate", "direction": "minimize", "threshold": 0.01},
        ),
        baselines=(
            baseline("always flag", "dataset-average", fraud_recall=1.0, false_positive_rate=1.0),
            baseline("analysts", "human-expert", fraud_recall=0.6, false_positive_rate=0.02),
        ),
        models=(model("m", fraud_recall=0.7, false_positive_rate=0.005),),
    )
    recall = entry(project, "fraud_recall")
    # "always flag" would make every model 0.3 behind; it fails the FPR threshold.
    assert recall.tightest == "analysts"  # a human expert missing a threshold stays a bar
    assert [r.baseline for r in recall.ladder if r.ignored] == ["always flag"]
    assert recall.ladder[-1].ignored == "degenerate: fails false_positive_rate (1 > 0.01)"
    assert recall.gap == pytest.approx(0.1)
    assert recall.diagnosis is not None
    assert recall.diagnosis.ignored == (("always flag", recall.ladder[-1].ignored),)


def test_weighted_without_an_optimised_metric_diagnoses_the_heaviest() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(
            {"name": "accuracy", "weight": 1.0},
            {"name": "f1", "weight": 3.0},
        ),
        baselines=(baseline("rules", f1=0.5, accuracy=0.7),),
        models=(model("m", accuracy=0.8, f1=0.6),),
    )
    found = diagnosis(project)
    assert found.metric == "f1"
    assert found.gap == pytest.approx(0.1)
    assert entry(project, "accuracy").role == "other"


# -- the rule, exhaustively -----------------------------------------------------------------

TOL = 0.05
LEVELS = {"negative": -0.2, "under": 0.02, "at": TOL, "over": 0.08}
"""A value below zero, inside the tolerance, exactly on it, and above it."""

WITH_TRAINING: dict[tuple[str, str], Fit] = {
    ("negative", "negative"): Fit.ON_PAR,
    ("negative", "under"): Fit.ON_PAR,
    ("negative", "at"): Fit.ON_PAR,
    ("negative", "over"): Fit.OVERFITTING,
    ("under", "negative"): Fit.ON_PAR,
    ("under", "under"): Fit.ON_PAR,
    ("under", "at"): Fit.ON_PAR,
    ("under", "over"): Fit.OVERFITTING,
    ("at", "negative"): Fit.ON_PAR,
    ("at", "under"): Fit.ON_PAR,
    ("at", "at"): Fit.ON_PAR,
    ("at", "over"): Fit.OVERFITTING,
    ("over", "negative"): Fit.UNDERFITTING,
    ("over", "under"): Fit.UNDERFITTING,
    ("over", "at"): Fit.UNDERFITTING,
    ("over", "over"): Fit.BOTH,
}
"""(avoidable bias, variance) -> hint: strictly above the tolerance is a problem."""


@pytest.mark.parametrize(("bias", "variance"), sorted(WITH_TRAINING))
@pytest.mark.parametrize("gap", [None, -1.0, 0.0, 1.0])
def test_hint_table_with_training_scores(bias: str, variance: str, gap: float | None) -> None:
    # With a training score the gap does not decide: bias and variance do.
    expected = WITH_TRAINING[(bias, variance)]
    assert fit_of(LEVELS[bias], LEVELS[variance], gap, TOL) is expected


def test_the_table_covers_every_combination() -> None:
    assert set(WITH_TRAINING) == set(itertools.product(LEVELS, LEVELS))


@pytest.mark.parametrize(
    ("gap", "expected"),
    [(None, None), (-0.2, Fit.BEHIND), (-TOL, None), (-0.01, None), (0.0, None), (0.3, None)],
)
def test_hint_table_without_training_scores(gap: float | None, expected: Fit | None) -> None:
    for bias in (None, 0.5):  # bias needs a training score, so it cannot matter here
        assert fit_of(bias, None, gap, TOL) is expected


@pytest.mark.parametrize(
    ("variance", "expected"),
    [(-0.2, None), (0.02, None), (TOL, None), (0.08, Fit.OVERFITTING)],
)
def test_hint_table_without_a_baseline(variance: float, expected: Fit | None) -> None:
    assert fit_of(None, variance, None, TOL) is expected


def test_tolerance_is_relative_to_the_reference_and_absolute_at_zero() -> None:
    assert tolerance_for(0.05, 0.9) == pytest.approx(0.045)
    assert tolerance_for(0.05, -200.0) == pytest.approx(10.0)
    assert tolerance_for(0.05, 0.0) == 0.05
    assert tolerance_for(0.05, None) == 0.05
    assert tolerance_for(0.05, float("inf")) == 0.05
