"""core.edits.replay and core.compare.notice: re-applying edits, and saying who changed what."""

from __future__ import annotations

from factories import NOW

from core.compare.notice import Change, describe_changes, summarise_changes
from core.edits.changes import AddProject, MoveProject, RemoveProject, SetField, SetSetting
from core.edits.replay import Pending, dropped_sentence, replay
from core.models import Portfolio, Project, Stage


def portfolio() -> Portfolio:
    return Portfolio(
        projects=(
            Project(id="churn", title="Churn model", stage=Stage.DATA),
            Project(id="fraud", title="Fraud scoring"),
            Project(id="ocr", title="Invoice OCR"),
        )
    )


def test_replay_applies_in_order_and_sets_refusals_aside() -> None:
    steps = [
        Pending(SetField("churn", "title", "Churn v2"), NOW, "ann"),
        Pending(SetField("nope", "title", "x"), NOW, "ann"),
        Pending(SetField("churn", "owner", "ann"), NOW, "ann"),
    ]
    outcome = replay(portfolio(), steps)
    project = outcome.portfolio.project("churn")
    assert project is not None
    assert (project.title, project.owner, project.updated_by) == ("Churn v2", "ann", "ann")
    assert [item.pending for item in outcome.applied] == [steps[0], steps[2]]
    assert [item.inverse for item in outcome.applied] == [
        SetField("churn", "title", "Churn model"),
        SetField("churn", "owner", ""),
    ]
    assert [item.pending for item in outcome.rejected] == [steps[1]]
    assert outcome.rejected[0].reason == "there is no project 'nope'"


def test_pending_edits_are_distinct_even_when_equal() -> None:
    one = Pending(SetField("churn", "title", "x"), NOW, "ann")
    two = Pending(SetField("churn", "title", "x"), NOW, "ann")
    assert one != two


def test_the_dropped_sentence_names_the_edit_and_counts_the_rest() -> None:
    outcome = replay(
        Portfolio(),
        [
            Pending(SetField("churn", "title", "x"), NOW, "ann"),
            Pending(RemoveProject("ocr"), NOW, "ann"),
            Pending(RemoveProject("fraud"), NOW, "ann"),
        ],
    )
    sentence = dropped_sentence(outcome.rejected)
    assert sentence == (
        "dropped “set churn title to 'x'”: there is no project 'churn' (and 2 more edits)"
    )
    assert dropped_sentence(()) == ""


def test_summary_of_a_move_names_who_moved_it_and_where() -> None:
    old = portfolio()
    new = MoveProject("churn", Stage.TRAINING).apply(old, NOW, "alice")
    assert summarise_changes(old, new) == (
        Change("moved", "churn", "Churn model", "alice", Stage.TRAINING),
    )
    assert describe_changes(summarise_changes(old, new)) == "alice moved Churn model to training"


def test_summary_groups_by_author_and_counts() -> None:
    old = portfolio()
    new = MoveProject("churn", Stage.TRAINING).apply(old, NOW, "alice")
    new = SetField("fraud", "owner", "bob").apply(new, NOW, "bob")
    new = SetField("ocr", "owner", "bob").apply(new, NOW, "bob")
    new = AddProject(Project(id="recs", title="Recs")).apply(new, NOW, "carol")
    new = RemoveProject("churn").apply(new, NOW, "carol")
    new = SetSetting("impact_threshold", 3.5).apply(new, NOW, "dave")
    kinds = [(change.kind, change.project_id, change.by) for change in summarise_changes(old, new)]
    assert kinds == [
        ("changed", "fraud", "bob"),
        ("changed", "ocr", "bob"),
        ("added", "recs", "carol"),
        ("removed", "churn", "someone"),
        ("settings", "", "someone"),
    ]
    text = describe_changes(summarise_changes(old, new), limit=5)
    assert (
        text
        == "bob changed 2 projects · carol added Recs · someone changed 1 project and the settings"
    )
    assert describe_changes(summarise_changes(old, new), limit=2) == (
        "bob changed 2 projects · 2 others made changes"
    )


def test_reordering_is_not_a_change_and_long_titles_are_shortened() -> None:
    old = portfolio()
    assert summarise_changes(old, old.model_copy(update={"projects": old.projects[::-1]})) == ()
    long = "A very long project title that goes on and on and on"
    new = SetField("fraud", "title", long).apply(old, NOW, "bob")
    text = describe_changes(summarise_changes(old, new))
    assert text.startswith("bob changed A very long project title")
    assert text.endswith("…")
    assert len(text) < len("bob changed ") + 41


def test_a_hand_edit_without_an_author_is_put_down_to_someone() -> None:
    old = portfolio()
    project = old.projects[1].model_copy(update={"title": "Edited by hand"})
    new = old.model_copy(update={"projects": (old.projects[0], project, old.projects[2])})
    assert describe_changes(summarise_changes(old, new)) == "someone changed Edited by hand"
