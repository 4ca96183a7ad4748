"""Pilot tests of a triage session: attendees, the agenda, decisions with notes, the minutes."""

from __future__ import annotations

from pathlib import Path

from factories import NOW, fixed_clock
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from core.models import Portfolio, Project, Stage, TransitionKind
from core.triage import DecisionKind
from portfolio import dumps, load
from portfolio.snapshots import list_snapshots
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app
from tui.dialogs import ConfirmDialog, OverrideDialog, StageReasonDialog, TextPrompt
from tui.editor.screen import ProjectEditor
from tui.triage.dialogs import DecisionMenu, parse_attendees
from tui.triage.screen import TriageScreen


def make(path: Path, *, read_only: bool = False) -> MlfolioApp:
    """The real app over `path`, with a fixed clock and user, and no disk polling."""
    return create_app(path, clock=fixed_clock, user="ann", read_only=read_only, poll_interval=0)


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the portfolio to load, then let messages, workers and saves finish."""
    app = pilot.app
    assert isinstance(app, MlfolioApp)
    await app.loaded.wait()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def start_triage(pilot: Pilot[None], more: str = ", bo, chen") -> TriageScreen:
    """Press t, add attendees to the prefilled lead, and return the triage screen."""
    await settle(pilot)
    await pilot.press("t")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, TextPrompt)
    assert prompt.query_one("#text", Input).value == "ann"
    await pilot.press(*more, "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TriageScreen)
    return screen


async def note(pilot: Pilot[None], text: str) -> None:
    """Type the decision note into the prompt that follows a decision."""
    await settle(pilot)
    prompt = pilot.app.screen
    assert isinstance(prompt, TextPrompt), prompt
    prompt.query_one("#text", Input).value = ""
    await pilot.press(*text, "enter")
    await settle(pilot)


async def go_to(pilot: Pilot[None], screen: TriageScreen, project_id: str) -> None:
    """Press j or k until the agenda's current item is `project_id`."""
    ids = [item.project_id for item in screen.state.agenda]
    assert project_id in ids, f"{project_id} is not on the agenda"
    steps = ids.index(project_id) - screen.state.index
    await pilot.press(*(["j"] * steps if steps > 0 else ["k"] * -steps))
    current = screen.current()
    assert current is not None
    assert current.project_id == project_id


def showing(app: MlfolioApp) -> Screen[object]:
    """The screen on top (a function, so each check reads it afresh)."""
    return app.screen


def item_text(screen: TriageScreen) -> str:
    """What the detail pane shows."""
    return str(screen.query_one("#triage-item", Static).render())


def test_attendees_are_trimmed_deduplicated_and_cleaned() -> None:
    assert parse_attendees(" ann, bo ,,ann, \x1b[2Jchen ") == ("ann", "bo", "[2Jchen")
    assert parse_attendees(" , ") == ()


async def test_a_whole_triage_session_writes_minutes_and_a_snapshot(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_triage(pilot)
        state = screen.state
        assert state.attendees == ("ann", "bo", "chen")
        assert state.label == "triage-2026-11-21"
        assert state.previous is None
        ids = [item.project_id for item in state.agenda]
        assert "churn-prediction" in ids
        assert "support-routing" not in ids  # shipped: final, never on the agenda
        shown = item_text(screen)
        assert "Why it is on the agenda" in shown
        assert "never triaged" in shown
        assert "Key figures" in shown

        # Advance out of planning: the checklist gate asks for an override.
        await go_to(pilot, screen, "churn-prediction")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, OverrideDialog)
        await pilot.press(*"sponsor accepts", "enter")
        await note(pilot, "go: data team starts Monday")

        # Kill the parked robot through the outcome dialog.
        await go_to(pilot, screen, "warehouse-robot")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, StageReasonDialog)
        await pilot.press("enter", "enter")
        await note(pilot, "too costly; revisit in 2027")

        # Send a training project back, picking the lecture's first reason.
        await go_to(pilot, screen, "invoice-extraction")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, StageReasonDialog)
        await pilot.press("enter", "enter", "enter")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.query_one("#text", Input).value == "more data needed"  # the move's reason
        await pilot.press("enter")
        await settle(pilot)

        # Keep one as it is.
        await go_to(pilot, screen, "email-autocomplete")
        await pilot.press("space")
        await note(pilot, "on track")

        # Rescore one in the project editor, from the decision menu.
        await go_to(pilot, screen, "payment-fraud")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DecisionMenu)
        await pilot.press("end", "enter")  # rescore is the last choice
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ProjectEditor)
        for _ in range(80):
            row = editor.current_row()
            if row is not None and row.spec and row.spec.path == "feasibility.data_availability":
                break
            await pilot.press("j")
        await pilot.press("plus")
        await settle(pilot)
        await pilot.press("q")
        await note(pilot, "more labelled fraud data arrived")

        kinds = [(d.project_id, d.kind) for d in state.decisions]
        assert kinds == [
            ("churn-prediction", DecisionKind.ADVANCE),
            ("warehouse-robot", DecisionKind.KILL),
            ("invoice-extraction", DecisionKind.BACK),
            ("email-autocomplete", DecisionKind.KEEP),
            ("payment-fraud", DecisionKind.RESCORE),
        ]
        # After each decision the screen goes on to the next item not decided yet.
        current = screen.current()
        assert current is not None
        assert current.project_id not in {d.project_id for d in state.decisions}
        await go_to(pilot, screen, "payment-fraud")
        assert "Decision" in item_text(screen)
        assert "Note: more labelled fraud data arrived" in item_text(screen)

        # End the session: e asks, y writes.
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, TriageScreen)
        assert screen.written is not None
        await settle(pilot)

    (snapshot,) = list_snapshots(example)
    assert snapshot.label == "triage-2026-11-21"
    assert snapshot.markdown_path is not None
    minutes = snapshot.markdown_path.read_text(encoding="utf-8")
    assert "## Triage minutes: triage-2026-11-21" in minutes
    assert "- Attendees: ann, bo, chen" in minutes
    assert "- Led by: ann" in minutes
    for expected in (
        ": advance, planning → data (checklist overridden)",
        "   - Note: go: data team starts Monday",
        ": kill, parked → killed",
        "   - Note: too costly; revisit in 2027",
        ": send back, training → data: more data needed",
        "   - Note: more data needed",
        ": keep\n   - Note: on track",
        ": rescore, feasibility ",
        "   - Note: more labelled fraud data arrived",
        "### Not reached",
        "This is the first snapshot of the portfolio",
    ):
        assert expected in minutes, expected

    # The snapshot holds the portfolio with the decisions, and so does the file.
    for portfolio in (load(snapshot.toml_path), load(example)):
        churn = portfolio.project("churn-prediction")
        robot = portfolio.project("warehouse-robot")
        invoice = portfolio.project("invoice-extraction")
        kept = portfolio.project("email-autocomplete")
        assert churn is not None
        assert robot is not None
        assert invoice is not None
        assert kept is not None
        assert churn.stage is Stage.DATA
        assert churn.history[-1].checklist_override
        assert robot.stage is Stage.KILLED
        assert invoice.stage is Stage.DATA
        assert invoice.history[-1].kind is TransitionKind.BACK
        assert invoice.history[-1].reason == "more data needed"
        assert kept.stage is Stage.TRAINING
        for project in (churn, robot, invoice, kept):
            assert project.triaged_at == NOW
        untouched = portfolio.project("search-ranking")
        assert untouched is not None
        assert untouched.triaged_at is None


async def test_a_second_session_diffs_against_the_first_and_drops_triaged_projects(
    example: Path,
) -> None:
    app = make(example)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_triage(pilot, more="")
        await go_to(pilot, screen, "search-ranking")  # on the agenda only as never triaged
        await pilot.press("space")
        await note(pilot, "fine")
        await pilot.press("e", "y")
        await settle(pilot)

        screen = await start_triage(pilot, more="")
        assert screen.state.previous is not None
        assert screen.state.previous.label == "triage-2026-11-21"
        ids = [item.project_id for item in screen.state.agenda]
        assert "search-ranking" not in ids  # triaged now, and nothing else calls for a look
        await go_to(pilot, screen, "fitness-pose")
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, StageReasonDialog)
        await pilot.press("enter", *"no pose data yet", "enter")
        await note(pilot, "park until the data deal closes")
        await pilot.press("ctrl+e", "y")
        await settle(pilot)

    _, second = list_snapshots(example)
    assert second.markdown_path is not None
    minutes = second.markdown_path.read_text(encoding="utf-8")
    assert ": park, data → parked: no pose data yet" in minutes
    assert "### Changes from triage-2026-11-21 to triage-2026-11-21" in minutes
    assert "Pose estimation for rep counting" in minutes.split("### Changes from", 1)[1]


async def test_leaving_asks_once_decisions_were_taken_and_writes_nothing(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_triage(pilot)
        await pilot.press("space")
        await note(pilot, "ok")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert showing(app) is screen
        await pilot.press("ctrl+g", "y")
        await settle(pilot)
        assert not isinstance(app.screen, TriageScreen)
    assert list_snapshots(example) == []
    decided = load(example).project(screen.state.decisions[0].project_id)
    assert decided is not None
    assert decided.triaged_at == NOW


async def test_a_cancelled_move_records_no_decision(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_triage(pilot)
        await go_to(pilot, screen, "invoice-extraction")
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, StageReasonDialog)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert showing(app) is screen
        assert screen.state.decisions == []
        await go_to(pilot, screen, "churn-prediction")
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("ctrl+g")  # refuse the checklist override
        await settle(pilot)
        assert showing(app) is screen
        assert screen.state.decisions == []
    churn = load(example).project("churn-prediction")
    assert churn is not None
    assert churn.stage is Stage.PLANNING
    assert churn.triaged_at is None


async def test_a_decision_that_does_not_apply_is_refused(example: Path) -> None:
    app = make(example)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start_triage(pilot)
        await go_to(pilot, screen, "churn-prediction")
        await pilot.press("b")  # planning has no earlier stage
        await settle(pilot)
        assert showing(app) is screen
        assert screen.state.decisions == []
        await pilot.press("enter")
        await pilot.pause()
        menu = app.screen
        assert isinstance(menu, DecisionMenu)
        await pilot.press("ctrl+g")


async def test_triage_is_off_in_a_read_only_session(example: Path) -> None:
    app = make(example, read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert not isinstance(app.screen, TextPrompt)
        assert app.check_action("triage", ()) is False
        assert app.check_action("export", ()) is False  # viewers write no files
        assert app.check_action("changes_since", ()) is True


async def test_hostile_titles_and_names_are_shown_literally(tmp_path: Path) -> None:
    hostile = "[b]bold[/b] [/ [WIP] \\[x]"
    path = tmp_path / "portfolio.toml"
    path.write_text(
        dumps(Portfolio(projects=(Project(id="evil", title=hostile, owner="[red]eve"),))),
        encoding="utf-8",
    )
    app = make(path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_triage(pilot, more=", [i]mallory[/i]")
        assert screen.state.attendees == ("ann", "[i]mallory[/i]")
        shown = item_text(screen)
        assert hostile in shown
        assert "[red]eve" in shown
        header = str(screen.query_one("#triage-header", Static).render())
        assert "[i]mallory[/i]" in header
        agenda = screen.query_one("#triage-agenda", OptionList)
        assert hostile in str(agenda.get_option_at_index(0).prompt)
