"""Edits: each applies purely, stamps what it touches, and its inverse restores the original."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from factories import EARLIER
from hypothesis import given, settings
from hypothesis import strategies as st

from core.edits.changes import (
    AddProject,
    AnyEdit,
    DropItem,
    DuplicateProject,
    Edit,
    EditError,
    MoveProject,
    PutItem,
    Rate,
    RecordScores,
    RedoMove,
    RemoveProject,
    RenameProject,
    RestoreItems,
    SetField,
    SetItems,
    SetSetting,
    UndoMove,
)
from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Checklist,
    Metric,
    Portfolio,
    Project,
    ScoreRange,
    Stage,
    Transition,
    TransitionKind,
)
from core.vocabulary import CHECKLIST_ITEMS, FEASIBILITY_DRIVERS, IMPACT_LENSES

LATER = EARLIER + timedelta(hours=1)
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
DONE = Checklist(**{key: True for key, _ in CHECKLIST_ITEMS})


def make_project(project_id: str, **fields: Any) -> Project:
    """A valid project with a little of everything, overridable by keyword."""
    data: dict[str, Any] = {
        "id": project_id,
        "title": project_id.replace("-", " ").capitalize(),
        "owner": "ann",
        "created_at": CREATED,
        "tags": ("payments",),
        "impact": {"cheap_prediction": 4, "ranges": {"automation": ScoreRange(low=2, high=4)}},
        "feasibility": {"data_availability": 2, "accuracy_target": 0.99},
        "metrics": (
            Metric(name="recall", optimise=True),
            Metric(name="precision", threshold=0.8),
        ),
        "baselines": (
            Baseline(name="rules", kind=BaselineKind.SCRIPTED_RULES, scores={"f1": 0.5}),
        ),
        "models": (CandidateModel(name="gbm", scores={"recall": 0.7}),),
    }
    return Project.model_validate(data | fields)


def make_portfolio(count: int = 3) -> Portfolio:
    """A portfolio of `count` projects: fraud-detection (in training, with history), then others."""
    history = (
        Transition(
            at=CREATED, from_stage=Stage.PLANNING, to_stage=Stage.DATA, by="ann", kind="forward"
        ),
        Transition(
            at=CREATED, from_stage=Stage.DATA, to_stage=Stage.TRAINING, by="ann", kind="forward"
        ),
    )
    first = make_project("fraud-detection", stage=Stage.TRAINING, history=history, checklist=DONE)
    rest = [make_project(f"project-{i}") for i in range(1, count)]
    return Portfolio(projects=(first, *rest))


def comparable(portfolio: Portfolio) -> Any:
    """Everything an undo must restore: all values except the edit stamps."""
    stamps = {"updated_at", "updated_by"}
    projects = [p.model_dump(exclude=stamps) for p in portfolio.projects]
    return portfolio.settings, projects


EDITS: list[AnyEdit] = [
    SetField("fraud-detection", "title", "Card fraud"),
    SetField("fraud-detection", "impact.cheap_prediction", "5"),
    SetField("fraud-detection", "feasibility.accuracy_target", None),
    SetField("fraud-detection", "feasibility.accuracy_target", 0.999),
    SetField("fraud-detection", "checklist.ethics", False),
    SetField("project-1", "checklist.ethics", True),
    SetField("fraud-detection", "flywheel.data_loop", "yes"),
    SetField("fraud-detection", "tags", ["payments", "risk"]),
    SetField("fraud-detection", "impact.ranges", {}),
    SetField("fraud-detection", "impact.ranges.automation", None),
    SetField("fraud-detection", "impact.ranges.product_friction", {"low": 1, "high": 4}),
    SetField("fraud-detection", "impact.ranges.automation.high", 5),
    SetField("fraud-detection", "archetype_notes.good_enough", "95% precision"),
    SetField("fraud-detection", "impact", {"cheap_prediction": 1}),
    SetField("fraud-detection", "created_at", LATER),
    SetSetting("impact_threshold", "3.5"),
    SetSetting("quadrant_names.avoid", "not now"),
    MoveProject("fraud-detection", Stage.DATA, reason="labels unreliable"),
    MoveProject("fraud-detection", Stage.DEPLOYMENT),
    MoveProject("fraud-detection", Stage.KILLED),
    MoveProject("project-1", Stage.DATA, override=True),
    AddProject(make_project("new-one")),
    AddProject(make_project("new-first"), index=0),
    RemoveProject("fraud-detection"),
    RemoveProject("project-1"),
    DuplicateProject("fraud-detection", "fraud-detection-eu", "Fraud detection (EU)"),
    RenameProject("fraud-detection", "fraud"),
    PutItem(
        "fraud-detection", "metrics", Metric(name="latency", direction="minimize", threshold=50)
    ),
    PutItem("fraud-detection", "metrics", Metric(name="precision", threshold=0.9)),
    PutItem("fraud-detection", "metrics", Metric(name="f1", optimise=True)),
    PutItem("fraud-detection", "metrics", Metric(name="precision", optimise=True)),
    PutItem("fraud-detection", "baselines", {"name": "expert", "kind": "human-expert"}),
    PutItem("fraud-detection", "models", CandidateModel(name="tiny"), index=0),
    DropItem("fraud-detection", "metrics", "precision"),
    DropItem("fraud-detection", "baselines", "rules"),
    DropItem("fraud-detection", "models", "gbm"),
    RecordScores("fraud-detection", "gbm", {"recall": 0.75, "precision": 0.9}),
    RecordScores("fraud-detection", "gbm", {"recall": 0.95}, split="train"),
    RecordScores("fraud-detection", "resnet", {"recall": 0.8}),
    RecordScores("fraud-detection", "resnet", {"auc": 0.8}, new_metrics=("auc",)),
    RestoreItems("fraud-detection", (), ()),
    SetItems("fraud-detection", "models", ()),
    Rate("fraud-detection", "bob", (("automation", 4), ("data_availability", 1))),
]


@pytest.mark.parametrize("edit", EDITS, ids=[e.describe() for e in EDITS])
def test_inverse_restores_the_original(edit: Edit) -> None:
    before = make_portfolio()
    undo = edit.inverse(before)
    after = edit.apply(before, EARLIER, "ann")
    assert comparable(after) != comparable(before)
    restored = undo.apply(after, LATER, "bob")
    assert comparable(restored) == comparable(before)
    # And the undo's own inverse is a redo that gives the edited portfolio back.
    redone = undo.inverse(after).apply(restored, LATER, "bob")
    assert comparable(redone) == comparable(after)


@pytest.mark.parametrize("edit", EDITS, ids=[e.describe() for e in EDITS])
def test_apply_is_pure_and_stamps_only_what_it_changes(edit: Edit) -> None:
    before = make_portfolio()
    snapshot = before.model_dump()
    after = edit.apply(before, EARLIER, "ann")
    assert before.model_dump() == snapshot
    old = {p.id: p for p in before.projects}
    for project in after.projects:
        if project is old.get(project.id):
            continue
        assert project.updated_at == EARLIER
        assert project.updated_by == "ann"


@pytest.mark.parametrize("edit", EDITS, ids=[e.describe() for e in EDITS])
def test_edits_are_hashable_values_with_one_line_descriptions(edit: Edit) -> None:
    assert hash(edit) == hash(edit)
    assert edit == edit  # noqa: PLR0124
    text = edit.describe()
    assert text
    assert "\n" not in text


def test_untouched_projects_are_shared_not_copied() -> None:
    before = make_portfolio()
    after = SetField("fraud-detection", "owner", "bob").apply(before, EARLIER, "ann")
    assert after.projects[1] is before.projects[1]
    assert after.projects[0].owner == "bob"


# -- SetField and SetSetting ----------------------------------------------------------------


def test_set_field_coerces_strings_as_the_command_line_needs() -> None:
    after = SetField("fraud-detection", "impact.product_friction", "4").apply(
        make_portfolio(), EARLIER, "ann"
    )
    assert after.projects[0].impact.product_friction == 4  # type: ignore[union-attr]  # scored in this test


def test_set_field_can_clear_an_optional_field() -> None:
    edit = SetField("fraud-detection", "feasibility.accuracy_target", None)
    after = edit.apply(make_portfolio(), EARLIER, "ann")
    assert after.projects[0].feasibility.accuracy_target is None  # type: ignore[union-attr]  # scored in this test
    assert edit.describe() == "clear feasibility.accuracy_target of fraud-detection"


def test_set_field_none_removes_a_dict_key_and_its_inverse_puts_it_back() -> None:
    before = make_portfolio()
    edit = SetField("fraud-detection", "impact.ranges.automation", None)
    after = edit.apply(before, EARLIER, "ann")
    assert after.projects[0].impact.ranges == {}  # type: ignore[union-attr]  # scored in this test
    assert edit.inverse(before) == SetField(
        "fraud-detection", "impact.ranges.automation", ScoreRange(low=2, high=4)
    )


def test_a_new_dict_key_undoes_to_none() -> None:
    edit = SetField("fraud-detection", "archetype_notes.good_enough", "x")
    assert edit.inverse(make_portfolio()) == SetField(
        "fraud-detection", "archetype_notes.good_enough", None
    )


def test_set_setting_changes_settings_only() -> None:
    before = make_portfolio()
    after = SetSetting("quadrant_names.avoid", "later").apply(before, EARLIER, "ann")
    assert after.settings.quadrant_names.avoid == "later"
    assert after.projects == before.projects


def test_describe_reads_like_a_sentence() -> None:
    assert SetField("fraud-detection", "impact.automation", 4).describe() == (
        "set fraud-detection impact.automation to 4"
    )
    assert MoveProject("fraud-detection", Stage.TRAINING).describe() == (
        "move fraud-detection to training"
    )
    long = SetField("x", "notes", "word " * 40).describe()
    assert long.endswith("…")
    assert len(long) < 80


# -- moves ------------------------------------------------------------------------------------


def test_move_appends_the_transition_and_sets_the_stage() -> None:
    edit = MoveProject("fraud-detection", Stage.DATA, reason="more data needed")
    after = edit.apply(make_portfolio(), EARLIER, "ann")
    project = after.projects[0]
    assert project.stage is Stage.DATA
    last = project.history[-1]
    assert (last.at, last.by, last.kind, last.reason) == (
        EARLIER,
        "ann",
        TransitionKind.BACK,
        "more data needed",
    )


def test_leaving_planning_with_override_is_recorded() -> None:
    after = MoveProject("project-1", Stage.DATA, override=True).apply(
        make_portfolio(), EARLIER, "ann"
    )
    assert after.projects[1].history[-1].checklist_override is True


def test_undo_move_refuses_once_the_project_has_moved_on() -> None:
    before = make_portfolio()
    first = MoveProject("fraud-detection", Stage.DEPLOYMENT)
    undo = first.inverse(before)
    moved = first.apply(before, EARLIER, "ann")
    moved_again = MoveProject("fraud-detection", Stage.SHIPPED).apply(moved, LATER, "bob")
    with pytest.raises(EditError, match="it has moved since"):
        undo.apply(moved_again, LATER, "ann")


def test_undo_move_refuses_a_project_back_at_the_same_stage_by_another_route() -> None:
    before = make_portfolio()
    undo = UndoMove("fraud-detection", Stage.DATA, Stage.TRAINING)
    there_and_back = MoveProject("fraud-detection", Stage.PARKED).apply(before, EARLIER, "bob")
    there_and_back = MoveProject("fraud-detection", Stage.TRAINING).apply(
        there_and_back, EARLIER, "bob"
    )
    with pytest.raises(EditError, match="moved since"):
        undo.apply(there_and_back, LATER, "ann")


def test_redo_move_needs_the_project_where_the_transition_starts() -> None:
    project = make_portfolio().projects[0]
    redo = RedoMove("fraud-detection", project.history[0])
    with pytest.raises(EditError, match="it is in training, not planning"):
        redo.apply(make_portfolio(), EARLIER, "ann")


# -- projects ---------------------------------------------------------------------------------


def test_remove_then_undo_puts_the_project_back_in_place() -> None:
    before = make_portfolio(4)
    undo = RemoveProject("project-2").inverse(before)
    assert undo == AddProject(before.projects[2], 2)
    restored = undo.apply(RemoveProject("project-2").apply(before, EARLIER, "a"), EARLIER, "a")
    assert [p.id for p in restored.projects] == [p.id for p in before.projects]


def test_duplicate_starts_afresh_right_after_the_original() -> None:
    edit = DuplicateProject("fraud-detection", "fraud-eu", "Fraud (EU)")
    after = edit.apply(make_portfolio(), EARLIER, "ann")
    copy = after.projects[1]
    assert (copy.id, copy.title, copy.stage, copy.history) == (
        "fraud-eu",
        "Fraud (EU)",
        Stage.PLANNING,
        (),
    )
    assert copy.created_at == EARLIER
    assert copy.metrics == after.projects[0].metrics


def test_rename_keeps_the_position() -> None:
    after = RenameProject("project-1", "renamed").apply(make_portfolio(), EARLIER, "ann")
    assert [p.id for p in after.projects] == ["fraud-detection", "renamed", "project-2"]


# -- items ------------------------------------------------------------------------------------


def test_put_item_replaces_in_place_and_appends_new_ones() -> None:
    before = make_portfolio()
    replaced = PutItem("fraud-detection", "metrics", Metric(name="recall", optimise=True, unit="%"))
    after = replaced.apply(before, EARLIER, "ann")
    assert [m.name for m in after.projects[0].metrics] == ["recall", "precision"]
    assert after.projects[0].metrics[0].unit == "%"
    added = PutItem("fraud-detection", "metrics", {"name": "auc", "threshold": "0.9"})
    after = added.apply(before, EARLIER, "ann")
    assert [m.name for m in after.projects[0].metrics] == ["recall", "precision", "auc"]
    assert after.projects[0].metrics[2].threshold == 0.9


def test_a_new_optimising_metric_takes_the_role_and_undo_restores_all() -> None:
    before = make_portfolio()
    edit = PutItem("fraud-detection", "metrics", Metric(name="f1", optimise=True))
    after = edit.apply(before, EARLIER, "ann")
    assert [m.name for m in after.projects[0].metrics if m.optimise] == ["f1"]
    assert isinstance(edit.inverse(before), SetItems)


def test_record_scores_merges_and_adds_models() -> None:
    before = make_portfolio()
    strings = {"precision": "0.9"}  # as typed on the command line; validation coerces them
    after = RecordScores("fraud-detection", "gbm", strings).apply(before, EARLIER, "a")  # type: ignore[arg-type]
    assert after.projects[0].models[0].scores == {"recall": 0.7, "precision": 0.9}
    after = RecordScores("fraud-detection", "cnn", {"recall": 0.6}, "train").apply(
        after, EARLIER, "a"
    )
    assert after.projects[0].models[1] == CandidateModel(name="cnn", train_scores={"recall": 0.6})


# -- errors -----------------------------------------------------------------------------------

ERRORS: list[tuple[AnyEdit, str]] = [
    (SetField("nope", "title", "x"), "there is no project 'nope'"),
    (SetField("fraud-detection", "stage", "data"), "stage cannot be set directly"),
    (SetField("fraud-detection", "id", "x"), "id cannot be set directly: rename"),
    (SetField("fraud-detection", "history", ()), "history cannot be set directly"),
    (SetField("fraud-detection", "updated_by", "eve"), "updated_by cannot be set directly"),
    (SetField("fraud-detection", "impact.nope", 1), "no field 'impact.nope'"),
    (SetField("fraud-detection", "nope", 1), "no field 'nope'"),
    (SetField("fraud-detection", "title.x", 1), "no field 'title.x'"),
    (SetField("fraud-detection", "metrics.recall", 1), "no field 'metrics.recall'"),
    (SetField("fraud-detection", "impact..x", 1), "not a field path"),
    (SetField("fraud-detection", "impact.cheap_prediction", "7"), "impact.cheap_prediction:"),
    (SetField("fraud-detection", "impact.cheap_prediction", "four"), "impact.cheap_prediction:"),
    (SetField("fraud-detection", "title", None), "fraud-detection: title:"),
    (SetField("fraud-detection", "title", "a\nb"), "fraud-detection: title:"),
    (SetField("fraud-detection", "feasibility.accuracy_requirement", 3), "not both"),
    (SetField("fraud-detection", "impact.ranges.automation.low", 5), "above high"),
    (SetSetting("impact_threshold", 9), "settings: impact_threshold:"),
    (SetSetting("nope", 1), "there is no setting 'nope'"),
    (MoveProject("fraud-detection", Stage.DATA), "needs a reason"),
    (MoveProject("fraud-detection", Stage.SHIPPED), "cannot move from training to shipped"),
    (MoveProject("project-1", Stage.DATA), "open checklist item(s)"),
    (MoveProject("fraud-detection", "launch"), "'launch' is not a stage"),  # type: ignore[arg-type]
    (UndoMove("project-1", Stage.PLANNING, Stage.DATA), "it has moved since"),
    (AddProject(make_project("project-1")), "'project-1' already exists"),
    (RemoveProject("nope"), "there is no project 'nope'"),
    (DuplicateProject("fraud-detection", "project-1", "x"), "already exists"),
    (DuplicateProject("fraud-detection", "Bad Id", "x"), "copy 'Bad Id': id:"),
    (RenameProject("fraud-detection", "project-2"), "already exists"),
    (RenameProject("fraud-detection", "-bad"), "fraud-detection: id:"),
    (PutItem("fraud-detection", "metrics", Baseline(name="x", kind="published")), "cannot go"),
    (PutItem("fraud-detection", "metrics", {"name": ""}), "metrics: name:"),
    (PutItem("fraud-detection", "metrics", Metric(name="recall")), "exactly one metric"),
    (PutItem("fraud-detection", "widgets", {"name": "x"}), "not one of"),  # type: ignore[arg-type]
    (DropItem("fraud-detection", "models", "nope"), "has no model named 'nope'"),
    (DropItem("fraud-detection", "metrics", "recall"), "exactly one metric"),
    (
        RecordScores("fraud-detection", "gbm", {"recall": "high"}),  # type: ignore[dict-item]
        "model 'gbm': scores.recall:",
    ),
]


@pytest.mark.parametrize(("edit", "fragment"), ERRORS, ids=[f for _, f in ERRORS])
def test_errors_are_one_line_edit_errors(edit: Edit, fragment: str) -> None:
    with pytest.raises(EditError) as caught:
        edit.apply(make_portfolio(), EARLIER, "ann")
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message
    assert isinstance(caught.value, ValueError)


def test_a_naive_clock_or_a_bad_user_is_refused() -> None:
    edit = SetField("fraud-detection", "owner", "bob")
    with pytest.raises(EditError, match="updated_at: datetime needs a UTC offset"):
        edit.apply(make_portfolio(), datetime(2026, 3, 1), "ann")
    with pytest.raises(EditError, match="updated_by"):
        edit.apply(make_portfolio(), EARLIER, "ann\x1b")


@pytest.mark.parametrize(
    "edit",
    [SetField("nope", "title", "x"), MoveProject("nope", Stage.DATA), RemoveProject("nope")],
)
def test_inverse_of_an_edit_on_a_missing_project_is_an_edit_error(edit: Edit) -> None:
    with pytest.raises(EditError, match="no project"):
        edit.inverse(make_portfolio())


# -- properties and scale -----------------------------------------------------------------------

SCORE_PATHS = [f"impact.{lens}" for lens in IMPACT_LENSES] + [
    f"feasibility.{d}" for d in FEASIBILITY_DRIVERS if d != "accuracy_requirement"
]

score_edits = st.lists(
    st.builds(
        SetField,
        project_id=st.sampled_from(["fraud-detection", "project-1"]),
        path=st.sampled_from([*SCORE_PATHS, "checklist.ethics", "owner"]),
        value=st.one_of(st.integers(0, 6), st.sampled_from(["1", "5", "true", "bob", None])),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(score_edits)
def test_undoing_any_sequence_in_reverse_restores_the_start(edits: list[SetField]) -> None:
    start = make_portfolio()
    current = start
    undos: list[Edit] = []
    for edit in edits:
        try:
            undo = edit.inverse(current)
            current = edit.apply(current, EARLIER, "ann")
        except EditError:
            continue  # an invalid value leaves the portfolio as it was
        undos.append(undo)
    for undo in reversed(undos):
        current = undo.apply(current, LATER, "bob")
    assert comparable(current) == comparable(start)


def test_an_edit_in_a_portfolio_of_ten_thousand_validates_only_its_project(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = make_project("p")
    projects = tuple(base.model_copy(update={"id": f"p-{i}"}) for i in range(10_000))
    portfolio = Portfolio(projects=projects)
    calls: list[object] = []
    original = Project.model_validate

    def counting(data: object, *args: object, **kwargs: object) -> Project:
        calls.append(data)
        return original(data)

    monkeypatch.setattr(Project, "model_validate", counting)
    for i in range(50):
        edit = SetField(f"p-{i * 199}", "impact.automation", 2 + i % 3)
        portfolio = edit.apply(portfolio, EARLIER, "ann")
    assert len(calls) == 50
    assert portfolio.project("p-199") is not None
    assert portfolio.project("p-199").impact.automation == 3  # type: ignore[union-attr]
    added = AddProject(make_project("brand-new")).apply(portfolio, EARLIER, "ann")
    assert added.projects[-1].id == "brand-new"
