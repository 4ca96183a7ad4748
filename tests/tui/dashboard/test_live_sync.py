"""Live sync: other people's saves show up, edits re-apply over them, nothing is lost.

Pilot tests drive the real app on a file that a headless writer (the same
`mlfolio move / set` path a pipeline uses) changes underneath it; the session
tests check the bookkeeping behind it without a screen.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import EXAMPLE, NOW, fixed_clock
from textual.pilot import Pilot
from textual.widgets import Static

from core.edits.changes import Edit, RemoveProject, SetField
from core.models import Portfolio, Project, Stage
from portfolio import Pending, Version, commit, load, read_version, save
from portfolio.session import Session
from tui.cli import main
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app

POSE = "Pose estimation for rep counting in the…"
FRAUD = "Real-time card-not-present fraud scorin…"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, file)
    return file


def make(path: Path, *, poll: float = 0.0) -> MlfolioApp:
    """The app as ann; poll 0 means it notices outside saves only when it saves."""
    return create_app(path, clock=fixed_clock, user="ann", poll_interval=poll)


def by_bob(path: Path, edit: Edit) -> None:
    """Bob saves an edit from elsewhere, through the same locked path as everyone."""
    assert commit(path, [Pending(edit, NOW, "bob")]).written


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 200) -> None:
    """Pause until `condition` holds; `tries` only guards against hanging."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
        await pilot.app.workers.wait_for_complete()
    raise AssertionError("condition never held")


def status_text(app: MlfolioApp) -> str:
    return str(app.query_one("#status", Static).render())


def shown(app: MlfolioApp, project_id: str) -> Project | None:
    assert app.session is not None
    return app.session.portfolio.project(project_id)


def on_disk(path: Path, project_id: str) -> Project:
    project = load(path).project(project_id)
    assert project is not None
    return project


# ---------------------------------------------------------------- the app


async def test_someone_elses_save_shows_up_with_the_selection_kept_and_who(path: Path) -> None:
    app = make(path, poll=0.05)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        app.selected = "payment-fraud"
        by_bob(path, RemoveProject("churn-prediction"))
        by_bob(path, SetField("fitness-pose", "owner", "bob"))
        await wait_until(pilot, lambda: getattr(shown(app, "fitness-pose"), "owner", "") == "bob")
        assert shown(app, "churn-prediction") is None
        assert app.selected == "payment-fraud"
        status = status_text(app)
        assert "reloaded: bob changed" in status
        assert "someone removed Churn prediction" in status
        assert app.persistence.stamp == read_version(path).stamp
        # a headless move is named as a move, with its author
        by_bob(path, SetField("fitness-pose", "checklist.need_ml", True))
        await wait_until(pilot, lambda: shown(app, "fitness-pose").checklist.need_ml)  # type: ignore[union-attr]
        assert main(["move", str(path), "fitness-pose", "training", "--by", "carol"]) == 0
        await wait_until(pilot, lambda: "carol moved" in status_text(app))
        assert f"carol moved {POSE} to training" in status_text(app)
        assert app.selected == "payment-fraud"


async def test_an_edit_made_after_someone_elses_save_is_reapplied_on_top(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        by_bob(path, SetField("payment-fraud", "owner", "bob"))
        assert app.apply_edit(SetField("fitness-pose", "owner", "ann"))
        await settle(pilot)
        assert on_disk(path, "payment-fraud").owner == "bob"
        assert on_disk(path, "fitness-pose").owner == "ann"
        assert shown(app, "payment-fraud").owner == "bob"  # type: ignore[union-attr]
        assert f"bob changed {FRAUD} · your edits re-applied on top" in status_text(app)
        assert app.session is not None
        assert not app.session.steps
        assert app.session.portfolio == load(path)


async def test_undo_and_redo_land_on_top_of_someone_elses_change(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        app.selected = "fitness-pose"  # in data
        await pilot.press("f")
        await settle(pilot)
        assert on_disk(path, "fitness-pose").stage is Stage.TRAINING
        by_bob(path, SetField("payment-fraud", "title", "Fraud v2"))
        await pilot.press("u")
        await settle(pilot)
        assert on_disk(path, "fitness-pose").stage is Stage.DATA
        assert on_disk(path, "payment-fraud").title == "Fraud v2"
        assert shown(app, "payment-fraud").title == "Fraud v2"  # type: ignore[union-attr]
        by_bob(path, SetField("payment-fraud", "owner", "bob"))
        await pilot.press("U")
        await settle(pilot)
        assert on_disk(path, "fitness-pose").stage is Stage.TRAINING
        assert on_disk(path, "payment-fraud").owner == "bob"
        assert app.session is not None
        assert app.session.portfolio == load(path)


async def test_undo_restores_what_was_there_before_the_edit_landed(path: Path) -> None:
    """Undo puts back bob's value, saved before ann's edit landed, not ann's stale one."""
    app = make(path)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        by_bob(path, SetField("fitness-pose", "owner", "bob"))
        assert app.apply_edit(SetField("fitness-pose", "owner", "ann"))
        await settle(pilot)
        assert on_disk(path, "fitness-pose").owner == "ann"
        await pilot.press("u")
        await settle(pilot)
        assert on_disk(path, "fitness-pose").owner == "bob"


async def test_an_edit_that_no_longer_applies_is_told_plainly_and_dropped(path: Path) -> None:
    app = make(path)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        app.selected = "payment-fraud"
        by_bob(path, RemoveProject("payment-fraud"))
        assert app.apply_edit(SetField("payment-fraud", "owner", "ann"))
        await settle(pilot)
        status = status_text(app)
        assert (
            "dropped “set payment-fraud owner to 'ann'”: there is no project 'payment-fraud'"
            in status
        )
        assert "save failed" not in status
        assert shown(app, "payment-fraud") is None
        assert app.selected != "payment-fraud"
        assert app.session is not None
        assert app.session.undo_stack == []
        assert load(path).project("payment-fraud") is None
        # the next edit saves as usual
        assert app.apply_edit(SetField("fitness-pose", "owner", "ann"))
        await settle(pilot)
        assert on_disk(path, "fitness-pose").owner == "ann"
        assert len(app.session.undo_stack) == 1


async def test_a_file_broken_on_disk_is_not_overwritten_and_the_edit_waits(path: Path) -> None:
    app = make(path, poll=0.05)
    good = read_version(path).portfolio
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        path.write_text('schema = 1\n[[projects]]\nid = "x"\n')
        await wait_until(pilot, lambda: "not valid now" in status_text(app))
        broken = path.read_bytes()
        assert app.apply_edit(SetField("fitness-pose", "owner", "ann"))
        await wait_until(pilot, lambda: "save failed" in status_text(app))
        assert path.read_bytes() == broken
        assert shown(app, "fitness-pose").owner == "ann"  # type: ignore[union-attr]
        # someone repairs the file (with a change of their own): the edit lands on it
        fixed = SetField("payment-fraud", "owner", "bob").apply(good, NOW, "bob")
        save(fixed, path)
        await wait_until(pilot, lambda: "save failed" not in status_text(app))
        await wait_until(pilot, lambda: on_disk(path, "fitness-pose").owner == "ann")
        assert on_disk(path, "payment-fraud").owner == "bob"


async def test_two_sessions_see_each_others_saves(path: Path) -> None:
    ann = create_app(path, clock=fixed_clock, user="ann", poll_interval=0.05)
    bob = create_app(path, clock=fixed_clock, user="bob", poll_interval=0.05)
    async with ann.run_test(size=(160, 30)) as ann_pilot, bob.run_test(size=(160, 30)) as bob_pilot:
        await settle(ann_pilot)
        await settle(bob_pilot)
        ann.selected = "payment-fraud"
        assert bob.apply_edit(SetField("fitness-pose", "owner", "bob"))
        await settle(bob_pilot)
        await wait_until(
            ann_pilot, lambda: getattr(shown(ann, "fitness-pose"), "owner", "") == "bob"
        )
        assert "reloaded: bob changed" in status_text(ann)
        assert ann.selected == "payment-fraud"
        assert ann.apply_edit(SetField("payment-fraud", "owner", "ann"))
        await settle(ann_pilot)
        await wait_until(
            bob_pilot, lambda: getattr(shown(bob, "payment-fraud"), "owner", "") == "ann"
        )
        assert "reloaded: ann changed" in status_text(bob)
    final = load(path)
    assert final.project("fitness-pose").owner == "bob"  # type: ignore[union-attr]
    assert final.project("payment-fraud").owner == "ann"  # type: ignore[union-attr]


# ------------------------------------------------------------ the session


def two_projects() -> Portfolio:
    return Portfolio(projects=(Project(id="a", title="A"), Project(id="b", title="B")))


def test_edits_made_during_a_save_are_replayed_over_the_saved_result(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    commit(path, [], base=read_version_of_new(path, two_projects()))
    session = Session(load(path), "ann", fixed_clock)
    base = read_version(path)
    session.apply(SetField("a", "title", "A by ann"))
    count, pending = len(session.steps), session.pending
    by_bob(path, SetField("b", "title", "B by bob"))  # lands before ann's save
    result = commit(path, pending, base=base)
    session.apply(SetField("a", "owner", "ann"))  # made while the save was under way
    assert session.committed(count, result) == ()
    assert session.base == load(path)
    assert [step.pending.edit for step in session.steps] == [SetField("a", "owner", "ann")]
    shown_now = session.portfolio
    assert shown_now.project("b").title == "B by bob"  # type: ignore[union-attr]
    assert shown_now.project("a").title == "A by ann"  # type: ignore[union-attr]
    assert shown_now.project("a").owner == "ann"  # type: ignore[union-attr]


def test_a_refused_edit_leaves_undo_history_and_the_rest_stays(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    commit(path, [], base=read_version_of_new(path, two_projects()))
    session = Session(load(path), "ann", fixed_clock)
    base = read_version(path)
    session.apply(SetField("a", "title", "A2"))
    session.apply(SetField("b", "title", "B2"))
    by_bob(path, RemoveProject("a"))
    result = commit(path, session.pending, base=base)
    dropped = session.committed(len(session.steps), result)
    assert [item.pending.edit for item in dropped] == [SetField("a", "title", "A2")]
    assert [done.edit for done in session.undo_stack] == [SetField("b", "title", "B2")]
    assert session.portfolio == load(path)
    assert session.portfolio.project("a") is None


def test_taking_a_save_in_replays_unsaved_edits_and_drops_what_no_longer_applies() -> None:
    session = Session(two_projects(), "ann", fixed_clock)
    session.apply(SetField("a", "title", "A2"))
    session.apply(SetField("b", "title", "B2"))
    theirs = RemoveProject("b").apply(two_projects(), NOW, "bob")
    theirs = SetField("a", "owner", "bob").apply(theirs, NOW, "bob")
    dropped = session.replace(theirs)
    assert [item.reason for item in dropped] == ["there is no project 'b'"]
    assert [step.pending.edit for step in session.steps] == [SetField("a", "title", "A2")]
    project = session.portfolio.project("a")
    assert project is not None
    assert (project.title, project.owner) == ("A2", "bob")
    assert session.base == theirs
    assert [done.edit for done in session.undo_stack] == [SetField("a", "title", "A2")]


def test_undo_is_a_pending_edit_too() -> None:
    session = Session(two_projects(), "ann", fixed_clock)
    session.apply(SetField("a", "title", "A2"))
    session.undo()
    assert [step.kind for step in session.steps] == ["edit", "undo"]
    assert session.steps[1].pending.edit == SetField("a", "title", "A")
    session.redo()
    assert [step.kind for step in session.steps] == ["edit", "undo", "redo"]
    assert session.portfolio.project("a").title == "A2"  # type: ignore[union-attr]


def read_version_of_new(path: Path, portfolio: Portfolio) -> Version:
    """The base of a file not written yet."""
    assert not path.exists()
    return Version(portfolio, None)
