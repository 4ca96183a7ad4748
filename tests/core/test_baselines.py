"""Baselines: kind order, ladders, the tightest baseline, gaps, hints and chart rows."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from factories import project as make_project
from hypothesis import given, settings
from hypothesis import strategies as st

from core.models import Direction, Project
from core.rules.baselines import (
    KIND_ORDER,
    BaselineKind,
    MetricBaselines,
    baselines_for,
    chart_rows,
    is_external,
    kind_rank,
)
from core.rules.evaluation import is_better

# -- builders ----------------------------------------------------------------------------


def metric(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, **fields}


def model(name: str, train: dict[str, float] | None = None, **scores: float) -> dict[str, Any]:
    return {"name": name, "scores": scores, "train_scores": train or {}}


def baseline(name: str, kind: str = "scripted-rules", **scores: float) -> dict[str, Any]:
    return {"name": name, "kind": kind, "scores": scores}


def only(project: Project, margin: float = 0.05) -> MetricBaselines:
    (result,) = baselines_for(project, margin)
    return result


ACCURACY = (metric("accuracy", optimise=True),)
LATENCY = (metric("latency_ms", direction="minimize", optimise=True),)


# -- kinds -------------------------------------------------------------------------------


def test_kind_order_is_external_then_internal_cheap_to_dear() -> None:
    assert [k.value for k in KIND_ORDER] == [
        "published",
        "state-of-the-art",
        "scripted-rules",
        "simple-model",
        "dataset-average",
        "human-crowd",
        "human-expert",
        "human-ensemble",
    ]
    assert set(KIND_ORDER) == set(BaselineKind)
    assert kind_rank(BaselineKind.PUBLISHED) < kind_rank(BaselineKind.HUMAN_CROWD)
    external = [k for k in KIND_ORDER if is_external(k)]
    assert external == [BaselineKind.PUBLISHED, BaselineKind.STATE_OF_THE_ART]


# -- ladders and the tightest baseline ---------------------------------------------------


def test_ladder_runs_worst_to_best_for_a_maximised_metric() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(
            baseline("experts", "human-expert", accuracy=0.95),
            baseline("average", "dataset-average", accuracy=0.5),
            baseline("rules", accuracy=0.7),
        ),
    )
    result = only(project)
    assert [r.baseline for r in result.ladder] == ["average", "rules", "experts"]
    assert [r.is_tightest for r in result.ladder] == [False, False, True]
    assert result.tightest == "experts"
    assert result.ladder[-1].kind == BaselineKind.HUMAN_EXPERT
    assert result.direction == Direction.MAXIMIZE


def test_ladder_runs_worst_to_best_for_a_minimised_metric() -> None:
    project = make_project(
        metrics=LATENCY,
        baselines=(
            baseline("fast", latency_ms=50.0),
            baseline("slow", "simple-model", latency_ms=400.0),
            baseline("middling", "published", latency_ms=120.0),
        ),
    )
    result = only(project)
    assert [r.baseline for r in result.ladder] == ["slow", "middling", "fast"]
    assert result.tightest == "fast"


def test_equal_values_make_the_dearer_kind_the_tightest() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(
            baseline("experts", "human-expert", accuracy=0.9),
            baseline("crowd", "human-crowd", accuracy=0.9),
        ),
    )
    result = only(project)
    assert [r.baseline for r in result.ladder] == ["crowd", "experts"]
    assert result.tightest == "experts"


def test_baselines_without_a_usable_score_are_left_off_the_ladder() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("blank"),),
        models=(model("m", accuracy=0.9),),
    )
    result = only(project)
    assert result.ladder == ()
    assert result.tightest is None
    assert result.best_model == "m"
    assert result.gap is None
    assert result.hint is None


def test_every_metric_gets_an_entry_in_order() -> None:
    project = make_project(metrics=(*ACCURACY, metric("f1"), metric("recall")))
    assert [r.metric for r in baselines_for(project, 0.05)] == ["accuracy", "f1", "recall"]
    assert baselines_for(make_project(), 0.05) == ()


# -- best model and gap ------------------------------------------------------------------


def test_gap_is_positive_when_the_model_beats_the_baseline_maximising() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("rules", accuracy=0.8),),
        models=(model("a", accuracy=0.85), model("b", accuracy=0.9), model("c", accuracy=0.9)),
    )
    result = only(project)
    assert result.best_model == "b"
    assert result.best_model_value == 0.9
    assert result.gap == pytest.approx(0.1)
    assert result.hint is None


def test_gap_is_positive_when_the_model_beats_the_baseline_minimising() -> None:
    project = make_project(
        metrics=LATENCY,
        baselines=(baseline("rules", latency_ms=200.0),),
        models=(model("slow", latency_ms=190.0), model("fast", latency_ms=150.0)),
    )
    result = only(project)
    assert result.best_model == "fast"
    assert result.gap == 50.0


def test_gap_is_negative_when_the_baseline_is_better_minimising() -> None:
    project = make_project(
        metrics=LATENCY,
        baselines=(baseline("rules", latency_ms=100.0),),
        models=(model("m", latency_ms=102.0),),
    )
    result = only(project)
    assert result.gap == -2.0
    assert result.hint is None  # 2% short, inside the 5% margin


def test_no_models_means_no_best_model_or_gap() -> None:
    project = make_project(metrics=ACCURACY, baselines=(baseline("rules", accuracy=0.8),))
    result = only(project)
    assert result.tightest == "rules"
    assert result.best_model is None
    assert result.best_model_value is None
    assert result.gap is None
    assert result.hint is None


# -- hints (the rule itself is tested exhaustively in test_diagnosis.py) -------------------


def test_training_beating_the_baseline_with_a_large_gap_is_overfitting() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("experts", "human-expert", accuracy=0.9),),
        models=(model("m", train={"accuracy": 0.97}, accuracy=0.82),),
    )
    # bias 0.9 - 0.97 = -0.07, variance 0.97 - 0.82 = 0.15 > tolerance 0.045
    assert only(project).hint == (
        "overfitting: avoidable bias -0.07, variance +0.15 (tolerance 0.045)"
    )


def test_overfitting_for_a_minimised_metric() -> None:
    project = make_project(
        metrics=LATENCY,
        baselines=(baseline("rules", latency_ms=100.0),),
        models=(model("m", train={"latency_ms": 80.0}, latency_ms=100.0),),
    )
    # bias 80 - 100 = -20, variance 100 - 80 = 20 > 5
    assert only(project).hint == "overfitting: avoidable bias -20, variance +20 (tolerance 5)"


def test_behind_without_training_scores_names_no_cause() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("rules", accuracy=0.9),),
        models=(model("m", accuracy=0.7),),
    )
    result = only(project)
    assert result.gap == pytest.approx(-0.2)
    assert result.hint == (
        "behind the baseline: 0.2 short of 'rules' (0.7 vs 0.9), more than the tolerance 0.045;"
        " no training score to tell bias from variance"
    )


def test_underfitting_when_training_falls_short_too() -> None:
    project = make_project(
        metrics=LATENCY,
        baselines=(baseline("rules", latency_ms=100.0),),
        models=(model("m", train={"latency_ms": 130.0}, latency_ms=132.0),),
    )
    assert only(project).hint == "underfitting: avoidable bias +30, variance +2 (tolerance 5)"


def test_the_tolerance_is_relative_to_the_baseline() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("rules", accuracy=0.9),),
        models=(model("m", accuracy=0.86),),
    )
    assert only(project, margin=0.05).hint is None  # 0.04 short, tolerance 0.045
    assert only(project, margin=0.01).hint is not None  # tolerance 0.009
    assert only(project, margin=0.01).hint.startswith("behind the baseline: 0.04 short")  # type: ignore[union-attr]


def test_zero_baseline_reads_the_margin_as_absolute() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("zero", "dataset-average", accuracy=0.0),),
        models=(model("near", accuracy=-0.01), model("far", accuracy=-0.5)),
    )
    result = only(project)
    assert result.best_model == "near"
    assert result.hint is None  # 0.01 short of 0 is within an absolute 0.05
    far_only = make_project(
        metrics=ACCURACY,
        baselines=(baseline("zero", "dataset-average", accuracy=0.0),),
        models=(model("far", accuracy=-0.5),),
    )
    assert only(far_only).hint is not None
    assert only(far_only).hint.startswith("behind the baseline: 0.5 short of 'zero'")  # type: ignore[union-attr]


def test_on_par_when_bias_and_variance_are_within_the_tolerance() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("rules", accuracy=0.8),),
        models=(model("m", train={"accuracy": 0.83}, accuracy=0.81),),
    )
    assert only(project).hint == "on par: avoidable bias -0.03, variance +0.02 (tolerance 0.04)"


def test_hint_uses_the_tightest_baseline() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(
            baseline("rules", accuracy=0.6),
            baseline("experts", "human-expert", accuracy=0.95),
        ),
        models=(model("m", accuracy=0.7),),
    )
    result = only(project)
    assert result.gap == pytest.approx(-0.25)
    assert result.hint is not None
    assert "experts" in result.hint


# -- chart rows --------------------------------------------------------------------------


def test_chart_rows_best_first_for_a_maximised_metric() -> None:
    project = make_project(
        metrics=ACCURACY,
        baselines=(baseline("rules", accuracy=0.7), baseline("experts", accuracy=0.9)),
        models=(model("bert", accuracy=0.9), model("tiny", accuracy=0.8), model("none")),
    )
    assert chart_rows(project, "accuracy") == (
        ("bert", "model", 0.9),
        ("experts", "baseline", 0.9),
        ("tiny", "model", 0.8),
        ("rules", "baseline", 0.7),
    )


def test_chart_rows_best_first_for_a_minimised_metric() -> None:
    project = make_project(
        metrics=LATENCY,
        baselines=(baseline("rules", latency_ms=200.0),),
        models=(model("slow", latency_ms=300.0), model("fast", latency_ms=20.0)),
    )
    labels = [label for label, _, _ in chart_rows(project, "latency_ms")]
    assert labels == ["fast", "rules", "slow"]


def test_chart_rows_for_an_unknown_metric_are_empty() -> None:
    project = make_project(metrics=ACCURACY, models=(model("m", f1=0.5),))
    assert chart_rows(project, "f1") == ()


# -- invariants --------------------------------------------------------------------------


@given(
    direction=st.sampled_from(["maximize", "minimize"]),
    baseline_values=st.lists(st.floats(-10, 10), max_size=5),
    model_values=st.lists(st.floats(-10, 10), max_size=5),
)
@settings(max_examples=200, deadline=None)
def test_tightest_is_the_best_baseline_and_the_gap_sign_says_who_wins(
    direction: str, baseline_values: list[float], model_values: list[float]
) -> None:
    project = make_project(
        metrics=(metric("x", optimise=True, direction=direction),),
        baselines=tuple(baseline(f"b{i}", x=v) for i, v in enumerate(baseline_values)),
        models=tuple(model(f"m{i}", x=v) for i, v in enumerate(model_values)),
    )
    result = only(project)
    way = Direction(direction)
    values = [r.value for r in result.ladder]
    assert sorted(values, key=lambda v: v if way == Direction.MAXIMIZE else -v) == values
    assert sum(r.is_tightest for r in result.ladder) == (1 if baseline_values else 0)
    if result.tightest is None or result.best_model_value is None:
        assert result.gap is None
        return
    best_baseline = result.ladder[-1].value
    assert not any(is_better(v, best_baseline, way) for v in baseline_values)
    assert not any(is_better(v, result.best_model_value, way) for v in model_values)
    assert result.gap is not None
    assert (result.gap > 0) == is_better(result.best_model_value, best_baseline, way)
    rows = chart_rows(project, "x")
    assert len(rows) == len(baseline_values) + len(model_values)
    assert not any(is_better(b[2], a[2], way) for a, b in pairwise(rows))
