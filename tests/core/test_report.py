"""The report every export shares: figures agree with core, phrases read as the lecture says."""

from __future__ import annotations

import pytest
from factories import EXAMPLE, NOW

from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Direction,
    Metric,
    Portfolio,
    Project,
)
from core.report import (
    baseline_phrase,
    build_report,
    check_phrase,
    diagnosis_phrase,
    gap_phrase,
    model_phrase,
    threshold_phrase,
    winner_phrase,
    with_unit,
)
from core.rules.evaluation import evaluate
from core.rules.priority import Quadrant, rank
from portfolio import load


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return load(EXAMPLE)


def test_projects_follow_the_ranking_and_quadrants_partition_them(example: Portfolio) -> None:
    report = build_report(example, NOW)
    assert [r.project.id for r in report.projects] == [a.project_id for a in rank(example)]
    assert [r.rank for r in report.projects] == list(range(1, len(example.projects) + 1))
    assert [q.quadrant for q in report.quadrants] == list(Quadrant)
    listed = [pid for q in report.quadrants for pid in q.project_ids]
    assert sorted(listed) == sorted(p.id for p in example.projects)
    for q in report.quadrants:
        ranks = [report.project(pid).rank for pid in q.project_ids]  # type: ignore[union-attr]
        assert ranks == sorted(ranks)
    assert report.portfolio is example
    assert report.project("no-such-project") is None


def test_project_figures(example: Portfolio) -> None:
    report = build_report(example, NOW)
    fraud = report.project("payment-fraud")
    assert fraud is not None
    assert fraud.quadrant_label == "big bets"
    assert fraud.loops == 1
    (back,) = fraud.back_edges
    assert (back.from_stage.value, back.to_stage.value) == ("training", "data")
    assert back.reason.startswith("More data needed")
    assert fraud.evaluation.winner == "gbdt-v3"
    assert fraud.stage_title == "Training & debugging"
    assert fraud.days_in_stage is not None
    assert fraud.days_in_stage > 0
    churn = report.project("churn-prediction")
    assert churn is not None
    assert churn.open_checklist == (
        "success_criteria",
        "labelled_benchmark",
        "rule_based_baseline",
        "really_need_ml",
    )
    assert [f.code for f in churn.notices] == ["stale"]
    assert churn.warnings == ()


def test_pessimistic_portfolios_rank_by_the_low_end(example: Portfolio) -> None:
    settings = example.settings.model_copy(update={"rank_by": "pessimistic"})
    report = build_report(example.model_copy(update={"settings": settings}), NOW)
    assert report.pessimistic
    # Open projects first, then the parked, killed and shipped ones; each group by score.
    for closed in (False, True):
        group = [r.ranked_score for r in report.projects if r.assessment.closed is closed]
        assert group == sorted(group, reverse=True)
    closed_flags = [r.assessment.closed for r in report.projects]
    assert closed_flags == sorted(closed_flags)
    assert all(r.ranked_score == r.assessment.pessimistic_score for r in report.projects)


def _latency_project(**metric: object) -> Project:
    return Project(
        id="p",
        title="P",
        metrics=(
            Metric(name="accuracy", optimise=True),
            Metric(name="latency", direction=Direction.MINIMIZE, unit="ms", **metric),
        ),
        baselines=(
            Baseline(
                name="Rules",
                kind=BaselineKind.SCRIPTED_RULES,
                scores={"accuracy": 0.8, "latency": 50},
            ),
        ),
        models=(
            CandidateModel(name="fast", scores={"accuracy": 0.85, "latency": 120.0}),
            CandidateModel(name="slow", scores={"accuracy": 0.9, "latency": 300.0}),
            CandidateModel(name="blind", scores={"accuracy": 0.95}),
        ),
    )


def test_threshold_and_check_phrases() -> None:
    project = _latency_project(threshold=200.0)
    evaluation = evaluate(project)
    (threshold,) = evaluation.thresholds
    assert threshold_phrase(project, threshold) == "latency ≤ 200 ms"
    fast, slow, blind = evaluation.verdicts
    assert check_phrase(project, threshold, fast.checks[0]) == "passes latency ≤ 200 ms (120 ms)"
    assert check_phrase(project, threshold, slow.checks[0]) == "fails latency ≤ 200 ms (300 ms)"
    assert (
        check_phrase(project, threshold, blind.checks[0])
        == "fails latency ≤ 200 ms (no validation score)"
    )
    assert model_phrase(project, evaluation, fast) == (
        "passes latency ≤ 200 ms (120 ms); accuracy 0.85: winner"
    )
    assert model_phrase(project, evaluation, slow).endswith(
        "not the winner (fails latency: 300 > 200)"
    )
    assert winner_phrase(project, evaluation) == (
        "winner: fast because it is the only model that passes every threshold (accuracy 0.85)"
    )


@pytest.mark.parametrize(
    ("margin", "origin"),
    [(0.0, "match Rules"), (10.0, "beat Rules by 10"), (-30.0, "at most 30 worse than Rules")],
)
def test_thresholds_from_a_baseline_say_where_they_come_from(margin: float, origin: str) -> None:
    project = _latency_project(threshold_baseline="Rules", threshold_margin=margin)
    (threshold,) = evaluate(project).thresholds
    assert threshold_phrase(project, threshold).endswith(f"({origin})")


def test_an_unusable_threshold_is_named() -> None:
    project = _latency_project(threshold_baseline="Nobody")
    evaluation = evaluate(project)
    (threshold,) = evaluation.thresholds
    assert threshold_phrase(project, threshold) == (
        "latency: cannot be checked (baseline 'Nobody' does not exist)"
    )
    text = check_phrase(project, threshold, evaluation.verdicts[0].checks[0])
    assert text.startswith("cannot check latency")
    assert winner_phrase(project, evaluation).startswith("no winner: no model passes")


def test_winner_among_several_passing_models_and_without_thresholds() -> None:
    project = _latency_project(threshold=400.0)
    evaluation = evaluate(project)
    assert winner_phrase(project, evaluation) == (
        "winner: slow because it passes every threshold and has the best accuracy (0.9)"
    )
    bare = Project(
        id="b",
        title="B",
        metrics=(Metric(name="f1", optimise=True),),
        models=(CandidateModel(name="m", scores={"f1": 0.5}),),
    )
    assert (
        winner_phrase(bare, evaluate(bare)) == "winner: m because it is the only candidate (f1 0.5)"
    )
    empty = Project(id="e", title="E")
    assert winner_phrase(empty, evaluate(empty)) == ""


def test_baseline_phrases_give_the_gap_and_the_hint(example: Portfolio) -> None:
    report = build_report(example, NOW)
    fraud = report.project("payment-fraud")
    assert fraud is not None
    recall = fraud.baselines[0]
    assert baseline_phrase(fraud.project, recall) == (
        "fraud_recall: tightest baseline Fraud analysts, blind review (human-expert, 0.63);"
        " winner gbdt-v3 (0.61), gap -0.02 (short of it); overfitting (see the diagnosis)"
    )
    assert fraud.diagnosis is not None
    assert diagnosis_phrase(fraud.project, fraud.diagnosis) == (
        "fraud_recall: winner gbdt-v3 (0.61; training 0.91), gap to 'Fraud analysts, blind"
        " review' -0.02 (short of it); avoidable bias -0.28, variance +0.3; hint: overfitting"
        " (tolerance 0.0315)"
    )
    # 0.63 - 0.91 = -0.28; 0.91 - 0.61 = 0.30 > 0.05 * 0.63 = 0.0315
    fpr = fraud.baselines[1]
    assert baseline_phrase(fraud.project, fpr) == (
        "false_positive_rate: tightest baseline Fraud analysts, blind review (human-expert,"
        " 0.0009); context only: judged by its threshold"
    )
    search = report.project("search-ranking")
    assert search is not None
    phrases = [baseline_phrase(search.project, b) for b in search.baselines]
    assert "underfitting (see the diagnosis)" in phrases[0]
    assert phrases[1] == "p99_latency_ms: no baseline scores it"
    pose = report.project("fitness-pose")
    assert pose is not None
    assert baseline_phrase(pose.project, pose.baselines[0]).endswith("no model scores it yet")


def test_small_phrases() -> None:
    assert with_unit(12.0, "ms") == "12 ms"
    assert with_unit(0.61, "") == "0.61"
    assert gap_phrase(0.05) == "+0.05 (beats it)"
    assert gap_phrase(-2.0) == "-2 (short of it)"
    assert gap_phrase(0.0) == "0 (level with it)"
