"""Typed back-edge reasons: the lecture's reasons per edge as codes, and what a back move records.

The table below is written out by hand from the lecture notes (phase 2 "too hard
to get the data, or easier to label for a different task: go back to phase 1";
phase 3 "need to collect more data or labeling is unreliable: phase 2; the task
is too challenging, a tradeoff between requirements: phase 1"; phase 4 "doesn't
work well in the lab, keep improving accuracy: phase 3; mismatch between
training and production data, mine hard cases: phase 2; the metric doesn't
drive user behaviour, real-world performance isn't great: phase 1"),
independently of `core.vocabulary.BACK_REASONS`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest
from pydantic import ValidationError

from core.models import Project, Stage, Transition, TransitionKind
from core.rules.lifecycle import (
    MoveError,
    back_edge_reasons,
    plan_move,
    reason_code_problem,
    reason_words,
)
from core.vocabulary import BackReason, infer_back_reason

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
P, D, T, Y = Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT

LECTURE: dict[tuple[Stage, Stage], tuple[str, ...]] = {
    (D, P): ("data-too-hard-to-get", "easier-to-label-other-task", "other"),
    (T, D): ("more-data-needed", "labels-unreliable", "other"),
    (T, P): ("task-too-hard", "requirements-trade-off", "other"),
    (Y, T): ("fails-in-the-lab", "accuracy-must-improve", "other"),
    (Y, D): ("train-production-mismatch", "hard-cases-to-mine", "other"),
    (Y, P): ("metric-does-not-drive-behaviour", "real-world-performance-poor", "other"),
}
ALL_PAIRS = [(a, b) for a, b in product(Stage, Stage) if a != b]


@pytest.mark.parametrize(("from_", "to"), ALL_PAIRS, ids=[f"{a}-{b}" for a, b in ALL_PAIRS])
def test_each_back_edge_offers_the_lectures_codes_then_other(from_: Stage, to: Stage) -> None:
    codes = back_edge_reasons(from_, to)
    assert tuple(c.value for c in codes) == LECTURE.get((from_, to), ())


def test_every_code_has_distinct_words_and_belongs_to_an_edge() -> None:
    labels = [code.label for code in BackReason]
    assert len(set(labels)) == len(labels)
    assert all(label and label == label.strip() for label in labels)
    assert {c for codes in LECTURE.values() for c in codes} == {c.value for c in BackReason}
    assert BackReason.LABELS_UNRELIABLE.label == "labels unreliable"
    assert BackReason.LABELS_UNRELIABLE.edges == (("training", "data"),)
    assert len(BackReason.OTHER.edges) == len(LECTURE)


@pytest.mark.parametrize(
    ("from_", "to", "text", "code"),
    [
        (T, D, "labels unreliable", BackReason.LABELS_UNRELIABLE),
        (T, D, "  Labels   Unreliable. ", BackReason.LABELS_UNRELIABLE),
        (T, D, "Labels unreliable: vendors disagreed on 14%", BackReason.LABELS_UNRELIABLE),
        (D, P, "data too hard to get", BackReason.DATA_TOO_HARD_TO_GET),
        (Y, D, "train/production data mismatch", BackReason.TRAIN_PRODUCTION_MISMATCH),
        (Y, P, "Real-world performance poor: churn", BackReason.REAL_WORLD_PERFORMANCE_POOR),
        # the words of another edge's reason are free text on this one
        (Y, P, "labels unreliable", BackReason.OTHER),
        (T, D, "the labels were mostly unreliable", BackReason.OTHER),
        (T, D, "", BackReason.OTHER),
    ],
)
def test_texts_map_to_their_code_and_anything_else_to_other(
    from_: Stage, to: Stage, text: str, code: BackReason
) -> None:
    assert infer_back_reason(from_, to, text) is code


def _project(stage: Stage) -> Project:
    return Project(id="churn", title="Churn", stage=stage)


def test_a_back_move_records_the_code_given_and_its_text() -> None:
    moved = plan_move(
        _project(T),
        D,
        now=NOW,
        by="ann",
        reason="vendor B relabelled",
        reason_code="labels-unreliable",
    )
    assert moved.reason_code is BackReason.LABELS_UNRELIABLE
    assert moved.reason == "vendor B relabelled"


def test_a_lecture_code_alone_is_reason_enough_and_becomes_the_text() -> None:
    moved = plan_move(_project(Y), T, now=NOW, by="ann", reason_code="fails-in-the-lab")
    assert (moved.reason_code, moved.reason) == (BackReason.FAILS_IN_THE_LAB, "fails in the lab")


def test_without_a_code_the_text_decides() -> None:
    canonical = plan_move(_project(T), D, now=NOW, by="ann", reason="more data needed")
    free = plan_move(_project(T), D, now=NOW, by="ann", reason="vendor went bust")
    assert canonical.reason_code is BackReason.MORE_DATA_NEEDED
    assert free.reason_code is BackReason.OTHER


def test_other_needs_words() -> None:
    with pytest.raises(MoveError, match="needs a reason"):
        plan_move(_project(T), D, now=NOW, by="ann", reason_code="other")


def test_a_code_from_another_edge_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(MoveError) as caught:
        plan_move(_project(Y), P, now=NOW, by="ann", reason_code="labels-unreliable")
    message = str(caught.value)
    assert "\n" not in message
    assert (
        "'labels-unreliable' is not a reason for going back from deployment to planning" in message
    )
    assert "metric-does-not-drive-behaviour, real-world-performance-poor, other" in message


def test_a_misspelt_code_gets_did_you_mean() -> None:
    problem = reason_code_problem(T, D, "label-unreliable")
    assert problem is not None
    assert "(did you mean 'labels-unreliable'?)" in problem
    assert reason_code_problem(T, D, "labels-unreliable") is None


def test_only_back_moves_take_a_code() -> None:
    with pytest.raises(MoveError, match="not going back"):
        plan_move(_project(D), T, now=NOW, by="ann", reason_code="other")
    assert plan_move(_project(D), T, now=NOW, by="ann").reason_code is None


def test_the_history_entry_refuses_a_code_that_does_not_fit() -> None:
    base = {"at": NOW, "from": "training", "to": "data", "by": "ann", "reason": "x"}
    with pytest.raises(ValidationError, match="only a back move has a reason_code"):
        Transition.model_validate({**base, "kind": "forward", "reason_code": "other"})
    with pytest.raises(ValidationError, match="'task-too-hard' is not a reason"):
        Transition.model_validate({**base, "kind": "back", "reason_code": "task-too-hard"})
    with pytest.raises(ValidationError):
        Transition.model_validate({**base, "kind": "back", "reason_code": "bored"})
    entry = Transition.model_validate({**base, "kind": "back", "reason_code": "labels-unreliable"})
    assert entry.kind is TransitionKind.BACK
    assert entry.reason_code is BackReason.LABELS_UNRELIABLE


@pytest.mark.parametrize(
    ("code", "text", "shown"),
    [
        (BackReason.LABELS_UNRELIABLE, "labels unreliable", "labels unreliable"),
        (BackReason.LABELS_UNRELIABLE, "Labels unreliable: vendors", "labels unreliable — vendors"),
        (
            BackReason.LABELS_UNRELIABLE,
            "vendors disagreed",
            "labels unreliable — vendors disagreed",
        ),
        (BackReason.OTHER, "vendor went bust", "other — vendor went bust"),
        (None, "parked for Q3", "parked for Q3"),
        (None, "", ""),
    ],
)
def test_reports_show_the_codes_words_then_the_text(
    code: BackReason | None, text: str, shown: str
) -> None:
    assert reason_words(code, text) == shown
