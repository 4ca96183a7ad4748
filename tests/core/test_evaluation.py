"""Metric verdicts: thresholds (absolute and baseline-relative), winners, why-nots, weights."""

from __future__ import annotations

import math
from typing import Any

import pytest
from factories import project as make_project
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from core.models import Direction, Project
from core.rules.evaluation import (
    ABSOLUTE,
    Evaluation,
    ModelVerdict,
    evaluate,
    format_number,
    format_pair,
    is_better,
    meets,
    resolve_thresholds,
)

# -- builders ----------------------------------------------------------------------------


def metric(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, **fields}


def model(name: str, train: dict[str, float] | None = None, **scores: float) -> dict[str, Any]:
    return {"name": name, "scores": scores, "train_scores": train or {}}


def baseline(name: str, kind: str = "scripted-rules", **scores: float) -> dict[str, Any]:
    return {"name": name, "kind": kind, "scores": scores}


def verdict(evaluation: Evaluation, name: str) -> ModelVerdict:
    found = evaluation.verdict(name)
    assert found is not None
    return found


ACC_LATENCY = (
    metric("accuracy", optimise=True),
    metric("latency_ms", direction="minimize", threshold=200.0),
)


# -- helpers -----------------------------------------------------------------------------


def test_format_number_is_short_and_never_negative_zero() -> None:
    assert format_number(0.93) == "0.93"
    assert format_number(240.0) == "240"
    assert format_number(-0.0) == "0"


def test_format_pair_adds_digits_until_unequal_values_differ() -> None:
    left, right = format_pair(0.1234567, 0.1234568)
    assert left != right
    assert format_pair(0.5, 0.5) == ("0.5", "0.5")


def test_direction_helpers() -> None:
    assert is_better(2.0, 1.0, Direction.MAXIMIZE)
    assert is_better(1.0, 2.0, Direction.MINIMIZE)
    assert not is_better(1.0, 1.0, Direction.MAXIMIZE)
    assert meets(1.0, 1.0, Direction.MAXIMIZE)
    assert meets(1.0, 1.0, Direction.MINIMIZE)
    assert not meets(1.1, 1.0, Direction.MINIMIZE)


# -- resolving thresholds ----------------------------------------------------------------


def test_absolute_threshold_resolves_to_its_number() -> None:
    (resolved,) = resolve_thresholds(make_project(metrics=ACC_LATENCY))
    assert resolved.metric == "latency_ms"
    assert resolved.direction == Direction.MINIMIZE
    assert resolved.bar == 200.0
    assert resolved.source == ABSOLUTE
    assert resolved.baseline is None
    assert resolved.problem is None


def test_baseline_threshold_shifts_up_for_a_maximised_metric() -> None:
    project = make_project(
        metrics=(
            metric("accuracy", optimise=True),
            metric("f1", threshold_baseline="rules", threshold_margin=0.05),
        ),
        baselines=(baseline("rules", f1=0.7),),
    )
    (resolved,) = resolve_thresholds(project)
    assert resolved.bar == pytest.approx(0.75)
    assert resolved.source == "rules"
    assert resolved.baseline == "rules"
    assert resolved.margin == 0.05


def test_baseline_threshold_shifts_down_for_a_minimised_metric() -> None:
    project = make_project(
        metrics=(
            metric("accuracy", optimise=True),
            metric(
                "latency_ms",
                direction="minimize",
                threshold_baseline="rules",
                threshold_margin=20.0,
            ),
        ),
        baselines=(baseline("rules", latency_ms=200.0),),
    )
    (resolved,) = resolve_thresholds(project)
    assert resolved.bar == 180.0


def test_baseline_threshold_without_that_score_has_a_problem_and_no_bar() -> None:
    project = make_project(
        metrics=(metric("accuracy", optimise=True), metric("f1", threshold_baseline="rules")),
        baselines=(baseline("rules", accuracy=0.8),),
    )
    (resolved,) = resolve_thresholds(project)
    assert resolved.bar is None
    assert resolved.problem == "baseline 'rules' has no score for f1"


def test_baseline_threshold_naming_an_unknown_baseline_has_a_problem() -> None:
    project = make_project(
        metrics=(metric("accuracy", optimise=True), metric("f1", threshold_baseline="ghost")),
    )
    (resolved,) = resolve_thresholds(project)
    assert resolved.bar is None
    assert resolved.problem == "baseline 'ghost' does not exist"


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused_by_the_model(value: float) -> None:
    with pytest.raises(ValidationError):
        make_project(
            metrics=(metric("accuracy", optimise=True), metric("recall", threshold=value)),
        )
    with pytest.raises(ValidationError):
        make_project(baselines=(baseline("rules", f1=value),))


def test_metrics_without_thresholds_resolve_to_nothing() -> None:
    project = make_project(metrics=(metric("accuracy", optimise=True), metric("f1")))
    assert resolve_thresholds(project) == ()


# -- verdicts under thresholds -----------------------------------------------------------


def test_best_passing_model_wins_and_the_others_say_why_not() -> None:
    project = make_project(
        metrics=ACC_LATENCY,
        models=(
            model("bert-base", accuracy=0.93, latency_ms=150.0),
            model("distil", accuracy=0.91, latency_ms=80.0),
            model("bert-large", accuracy=0.95, latency_ms=240.0),
        ),
    )
    evaluation = evaluate(project)
    assert evaluation.winner == "bert-base"
    assert evaluation.optimising == "accuracy"
    assert evaluation.strategy == "thresholds"
    assert evaluation.objective_label == "accuracy"
    assert evaluation.note == ""
    assert [v.model for v in evaluation.verdicts] == ["bert-base", "distil", "bert-large"]

    winner = verdict(evaluation, "bert-base")
    assert winner.is_winner
    assert winner.passes
    assert winner.why_not == ""
    assert winner.objective == 0.93
    assert winner.checks[0].reason == "latency_ms: 150 <= 200"

    assert verdict(evaluation, "distil").why_not == (
        "lower accuracy than winner bert-base (0.91 < 0.93)"
    )
    large = verdict(evaluation, "bert-large")
    assert not large.passes
    assert not large.is_winner
    assert large.why_not == "fails latency_ms: 240 > 200"
    assert large.checks[0].value == 240.0
    assert large.checks[0].bar == 200.0


def test_value_equal_to_the_bar_passes_in_both_directions() -> None:
    project = make_project(
        metrics=(
            metric("accuracy", optimise=True),
            metric("latency_ms", direction="minimize", threshold=200.0),
            metric("recall", threshold=0.8),
        ),
        models=(model("edge", accuracy=0.9, latency_ms=200.0, recall=0.8),),
    )
    evaluation = evaluate(project)
    assert evaluation.winner == "edge"
    reasons = [c.reason for c in verdict(evaluation, "edge").checks]
    assert reasons == ["latency_ms: 200 <= 200", "recall: 0.8 >= 0.8"]


def test_maximised_threshold_failure_reads_less_than() -> None:
    project = make_project(
        metrics=(metric("accuracy", optimise=True), metric("recall", threshold=0.8)),
        models=(model("m", accuracy=0.9, recall=0.7),),
    )
    evaluation = evaluate(project)
    assert verdict(evaluation, "m").why_not == "fails recall: 0.7 < 0.8"
    assert evaluation.winner is None
    assert evaluation.note == "no model passes every threshold"


def test_minimised_optimising_metric_prefers_the_lowest() -> None:
    project = make_project(
        metrics=(
            metric("error_rate", direction="minimize", optimise=True),
            metric("recall", threshold=0.5),
        ),
        models=(
            model("a", error_rate=0.12, recall=0.6),
            model("b", error_rate=0.08, recall=0.6),
        ),
    )
    evaluation = evaluate(project)
    assert evaluation.winner == "b"
    assert verdict(evaluation, "a").why_not == ("higher error_rate than winner b (0.12 > 0.08)")


def test_baseline_relative_threshold_decides_the_winner() -> None:
    project = make_project(
        metrics=(
            metric("accuracy", optimise=True),
            metric("f1", threshold_baseline="rules", threshold_margin=0.05),
        ),
        baselines=(baseline("rules", f1=0.7),),
        models=(
            model("strong-f1", accuracy=0.88, f1=0.8),
            model("weak-f1", accuracy=0.95, f1=0.72),
        ),
    )
    evaluation = evaluate(project)
    assert evaluation.winner == "strong-f1"
    assert verdict(evaluation, "weak-f1").why_not == "fails f1: 0.72 < 0.75"


def test_missing_threshold_score_fails_the_check() -> None:
    project = make_project(
        metrics=ACC_LATENCY,
        models=(model("untimed", accuracy=0.99), model("timed", accuracy=0.8, latency_ms=10.0)),
    )
    evaluation = evaluate(project)
    assert evaluation.winner == "timed"
    untimed = verdict(evaluation, "untimed")
    assert not untimed.passes
    assert untimed.checks[0].value is None
    assert untimed.why_not == "no validation score for latency_ms"


def test_missing_optimising_score_passes_but_cannot_win() -> None:
    project = make_project(
        metrics=ACC_LATENCY,
        models=(model("fast", latency_ms=10.0),),
    )
    evaluation = evaluate(project)
    fast = verdict(evaluation, "fast")
    assert fast.passes
    assert fast.objective is None
    assert fast.why_not == "no validation score for accuracy"
    assert evaluation.winner is None
    assert evaluation.note == "no model that passes every threshold has a score for accuracy"


def test_nan_score_is_refused_by_the_model() -> None:
    with pytest.raises(ValidationError):
        make_project(metrics=ACC_LATENCY, models=(model("odd", accuracy=math.nan),))


def test_unresolvable_threshold_fails_every_model_and_is_noted() -> None:
    project = make_project(
        metrics=(metric("accuracy", optimise=True), metric("f1", threshold_baseline="rules")),
        baselines=(baseline("rules", accuracy=0.5),),
        models=(model("m", accuracy=0.9, f1=0.9),),
    )
    evaluation = evaluate(project)
    assert evaluation.winner is None
    assert verdict(evaluation, "m").why_not == (
        "cannot check f1: baseline 'rules' has no score for f1"
    )
    assert evaluation.note == (
        "no model passes every threshold; "
        "the threshold on f1 cannot be checked: baseline 'rules' has no score for f1"
    )


def test_several_failures_are_counted_in_one_line() -> None:
    project = make_project(
        metrics=(
            metric("accuracy", optimise=True),
            metric("recall", threshold=0.8),
            metric("latency_ms", direction="minimize", threshold=200.0),
        ),
        models=(model("m", accuracy=0.9, recall=0.1, latency_ms=900.0),),
    )
    assert verdict(evaluate(project), "m").why_not == "fails recall: 0.1 < 0.8 (and 1 more)"


def test_tie_goes_to_the_first_in_file_order() -> None:
    project = make_project(
        metrics=ACC_LATENCY,
        models=(
            model("first", accuracy=0.9, latency_ms=100.0),
            model("second", accuracy=0.9, latency_ms=50.0),
        ),
    )
    evaluation = evaluate(project)
    assert evaluation.winner == "first"
    assert verdict(evaluation, "second").why_not == (
        "ties winner first on accuracy (0.9); the first in file order wins"
    )


def test_close_values_are_shown_with_enough_digits() -> None:
    project = make_project(
        metrics=(metric("accuracy", optimise=True),),
        models=(model("a", accuracy=0.91234567), model("b", accuracy=0.91234566)),
    )
    why_not = verdict(evaluate(project), "b").why_not
    assert why_not == "lower accuracy than winner a (0.91234566 < 0.91234567)"


def test_no_models() -> None:
    evaluation = evaluate(make_project(metrics=ACC_LATENCY))
    assert evaluation.verdicts == ()
    assert evaluation.winner is None
    assert evaluation.note == "no candidate models yet"
    assert len(evaluation.thresholds) == 1


def test_no_metrics() -> None:
    evaluation = evaluate(make_project(models=(model("m", accuracy=0.9),)))
    assert evaluation.optimising is None
    assert evaluation.objective_label == ""
    assert evaluation.winner is None
    assert evaluation.note == "no metrics defined yet"
    only = verdict(evaluation, "m")
    assert only.passes
    assert only.why_not == "no metrics defined yet"


def test_unknown_model_has_no_verdict() -> None:
    assert evaluate(make_project()).verdict("nobody") is None


# -- weighted strategy -------------------------------------------------------------------


def test_weighted_score_orients_and_weights_every_metric() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(
            metric("accuracy", optimise=True, weight=3.0),
            metric("cost", direction="minimize", weight=1.0),
        ),
        models=(
            model("cheap", accuracy=0.8, cost=0.1),
            model("dear", accuracy=0.9, cost=0.6),
        ),
    )
    evaluation = evaluate(project)
    assert evaluation.objective_label == "weighted score"
    cheap, dear = evaluation.verdicts
    # accuracy spans 0.8..0.9, cost (turned: -0.6..-0.1): cheap is 0 and 1, dear 1 and 0
    assert cheap.objective == pytest.approx((3 * 0 + 1 * 1) / 4)
    assert dear.objective == pytest.approx((3 * 1 + 1 * 0) / 4)
    assert evaluation.winner == "dear"
    assert cheap.why_not == "lower weighted score than winner dear (0.25 < 0.75)"


def test_weighted_defaults_to_equal_weights_and_skips_zero_weights() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(
            metric("a", optimise=True),
            metric("b"),
            metric("ignored", weight=0.0),
        ),
        models=(model("m", a=1.0, b=0.5), model("n", a=0.0, b=1.0)),
    )
    evaluation = evaluate(project)
    # a spans 0..1, b 0.5..1: m is (1 + 0) / 2, n (0 + 1) / 2; the tie goes to file order
    assert verdict(evaluation, "m").objective == pytest.approx(0.5)
    assert verdict(evaluation, "n").objective == pytest.approx(0.5)
    assert evaluation.winner == "m"


def test_a_metric_with_one_value_counts_as_one_for_everyone() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(metric("a", optimise=True), metric("b")),
        models=(model("m", a=0.3, b=7.0),),
    )
    assert verdict(evaluate(project), "m").objective == pytest.approx(1.0)


def test_weighted_is_independent_of_units() -> None:
    """Issue 11, finding 3: milliseconds no longer swamp a 0-1 accuracy."""
    project = make_project(
        metric_strategy="weighted",
        metrics=(
            metric("accuracy"),
            metric("latency_ms", direction="minimize", threshold=100.0),
        ),
        baselines=(baseline("rules", accuracy=0.4, latency_ms=60.0),),
        models=(
            model("fast", accuracy=0.50, latency_ms=30.0),
            model("good", accuracy=0.95, latency_ms=40.0),
        ),
    )
    evaluation = evaluate(project)
    # accuracy spans 0.4..0.95; latency (turned) -100..-30 over models, rules and the bar
    # fast: (0.1/0.55 + 70/70) / 2 = 0.5909; good: (1 + 60/70) / 2 = 0.9286
    assert verdict(evaluation, "fast").objective == pytest.approx((0.1 / 0.55 + 1) / 2)
    assert verdict(evaluation, "good").objective == pytest.approx((1 + 60 / 70) / 2)
    assert evaluation.winner == "good"


def test_weighted_needs_no_optimised_metric() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(metric("a"), metric("b")),
        models=(model("m", a=1.0, b=2.0),),
    )
    assert evaluate(project).winner == "m"
    with pytest.raises(ValidationError, match="exactly one metric must have optimise"):
        make_project(metrics=(metric("a"), metric("b")))
    with pytest.raises(ValidationError, match="at most one metric may have optimise"):
        make_project(
            metric_strategy="weighted",
            metrics=(metric("a", optimise=True), metric("b", optimise=True)),
        )


_FACTORS = st.sampled_from([1e-3, 1e-2, 0.5, 2.0, 3.6, 60.0, 1000.0]) | st.floats(1e-3, 1e3)
_SHIFTS = st.sampled_from([0.0, 1.0, -40.0, 273.15]) | st.integers(-1000, 1000).map(float)
_VALUES = st.integers(-1000, 1000).map(float)
"""Whole values: distinct ones stay distinct and in order once scaled and shifted, so a
threshold check cannot flip on rounding alone."""


@given(
    rows=st.lists(st.tuples(_VALUES, _VALUES), min_size=1, max_size=5),
    rules=st.tuples(_VALUES, _VALUES),
    bar=_VALUES,
    weights=st.tuples(st.floats(0.1, 10), st.floats(0.1, 10)),
    factor=_FACTORS,
    shift=_SHIFTS,
    which=st.sampled_from(["a", "b"]),
)
@settings(max_examples=300, deadline=None)
def test_rescaling_or_shifting_a_metric_never_changes_the_winner(  # noqa: PLR0917
    rows: list[tuple[float, float]],
    rules: tuple[float, float],
    bar: float,
    weights: tuple[float, float],
    factor: float,
    shift: float,
    which: str,
) -> None:
    def build(k: float, c: float) -> Project:
        def move(name: str, value: float) -> float:
            return value * k + c if name == which else value

        return make_project(
            metric_strategy="weighted",
            metrics=(
                metric("a", weight=weights[0]),
                metric("b", direction="minimize", weight=weights[1], threshold=move("b", bar)),
            ),
            baselines=(baseline("rules", a=move("a", rules[0]), b=move("b", rules[1])),),
            models=tuple(
                model(f"m{i}", a=move("a", a), b=move("b", b)) for i, (a, b) in enumerate(rows)
            ),
        )

    before, after = evaluate(build(1.0, 0.0)), evaluate(build(factor, shift))
    contenders = sorted(
        (v.objective for v in before.verdicts if v.passes and v.objective is not None),
        reverse=True,
    )
    if len(contenders) > 1 and contenders[0] - contenders[1] < 1e-6:
        return  # a near tie: rounding in the rescaled values may decide it either way
    assert after.winner == before.winner
    for old, new in zip(before.verdicts, after.verdicts, strict=True):
        assert old.passes == new.passes
        if old.objective is not None and new.objective is not None:
            assert new.objective == pytest.approx(old.objective, abs=1e-6)


def test_weighted_needs_every_weighted_score() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(metric("a", optimise=True), metric("b")),
        models=(model("m", a=1.0),),
    )
    evaluation = evaluate(project)
    assert verdict(evaluation, "m").why_not == (
        "no validation score for b, needed for the weighted score"
    )
    assert evaluation.note == "no model that passes every threshold has a complete weighted score"


def test_weighted_with_every_weight_zero_has_no_winner() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(metric("a", optimise=True, weight=0.0),),
        models=(model("m", a=1.0),),
    )
    evaluation = evaluate(project)
    assert evaluation.winner is None
    assert evaluation.note == "every metric weight is zero, so there is no weighted score"


def test_weighted_still_applies_thresholds() -> None:
    project = make_project(
        metric_strategy="weighted",
        metrics=(
            metric("accuracy", optimise=True),
            metric("latency_ms", direction="minimize", threshold=200.0, weight=0.0),
        ),
        models=(
            model("slow", accuracy=0.99, latency_ms=300.0),
            model("fast", accuracy=0.7, latency_ms=100.0),
        ),
    )
    evaluation = evaluate(project)
    assert evaluation.winner == "fast"
    assert verdict(evaluation, "slow").why_not == "fails latency_ms: 300 > 200"


# -- the invariant -----------------------------------------------------------------------

NAMES = ("m0", "m1", "m2", "m3", "m4")
score_values = st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.0]), st.floats(-5, 5))


@st.composite
def projects(draw: st.DrawFn) -> Project:
    """Projects with an optimising metric, thresholded metrics and models with gappy scores."""
    directions = st.sampled_from(["maximize", "minimize"])
    metrics: list[dict[str, Any]] = [
        metric("opt", optimise=True, direction=draw(directions), weight=draw(st.floats(0, 3)))
    ]
    baselines_scores: dict[str, float] = {}
    for i in range(draw(st.integers(0, 3))):
        name = f"t{i}"
        fields: dict[str, Any] = {"direction": draw(directions)}
        if draw(st.booleans()):
            fields["threshold"] = draw(st.floats(-5, 5))
        else:
            fields["threshold_baseline"] = "base"
            fields["threshold_margin"] = draw(st.floats(-1, 1))
            value = draw(score_values)
            if value is not None:
                baselines_scores[name] = value
        metrics.append(metric(name, **fields))
    models = []
    for name in NAMES[: draw(st.integers(0, len(NAMES)))]:
        drawn = {m["name"]: draw(score_values) for m in metrics}
        scores = {k: v for k, v in drawn.items() if v is not None}
        models.append({"name": name, "scores": scores})
    return make_project(
        metric_strategy=draw(st.sampled_from(["thresholds", "weighted"])),
        metrics=tuple(metrics),
        baselines=({"name": "base", "kind": "simple-model", "scores": baselines_scores},),
        models=tuple(models),
    )


@given(projects())
@settings(max_examples=200, deadline=None)
def test_winner_passes_and_no_passing_model_beats_it(project: Project) -> None:
    evaluation = evaluate(project)
    direction = (
        Direction.MAXIMIZE
        if evaluation.strategy == "weighted"
        else project.metrics[0].direction  # "opt" is listed first
    )
    winners = [v for v in evaluation.verdicts if v.is_winner]
    assert len(winners) <= 1
    contenders = [v for v in evaluation.verdicts if v.passes and v.objective is not None]
    if not winners:
        assert evaluation.winner is None
        assert not contenders
        assert evaluation.note
        return
    (winner,) = winners
    assert evaluation.winner == winner.model
    assert winner.passes
    assert all(c.passed for c in winner.checks)
    assert winner.why_not == ""
    assert winner.objective is not None
    for other in contenders:
        assert other.objective is not None
        assert not is_better(other.objective, winner.objective, direction)
    # ties go to the first in file order
    first_best = next(v for v in contenders if v.objective == winner.objective)
    assert first_best.model == winner.model
    assert all(v.why_not for v in evaluation.verdicts if not v.is_winner)
