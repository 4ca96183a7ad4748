"""`mlfolio move / set / record`: headless edits through the locked save, one line either way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from core.edits.changes import RemoveProject, SetField
from core.edits.items import RecordScores
from core.models import Project, Stage, TransitionKind
from core.vocabulary import Archetype
from portfolio import Pending, commit, load, read_version
from portfolio.sync import lock_path
from tui.cli import edit as cli_edit
from tui.cli import main
from tui.clock import utc_now

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "portfolio.toml"


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example, with $USER set to a known name."""
    monkeypatch.setenv("USER", "ann")
    file = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, file)
    return file


def project(path: Path, project_id: str) -> Project:
    found = load(path).project(project_id)
    assert found is not None
    return found


def ok(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command that must succeed; its one line of output."""
    assert main(list(args)) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.count("\n") == 1
    return out.strip()


def refused(capsys: pytest.CaptureFixture[str], path: Path, *args: str, status: int = 1) -> str:
    """Run a command that must be refused with one line, leaving the file as it was."""
    before = path.read_bytes() if path.exists() else None
    assert main(list(args)) == status
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert (path.read_bytes() if path.exists() else None) == before
    return err.strip()


# ---------------------------------------------------------------------- set


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("feasibility.data_availability", "3", 3),
        ("impact.automation", " 4 ", 4),
        ("title", "Churn, again", "Churn, again"),
        ("tags", "a, b, a", ("a", "b")),
        ("checklist.success_criteria", "yes", True),
        ("feasibility.accuracy_requirement", "", None),
        ("impact.ranges.automation", "1-3", {"low": 1, "high": 3}),
        ("impact.ranges.automation", "", None),
        ("archetype", "human", Archetype.HUMAN_IN_THE_LOOP),
        ("flywheel.data_loop", "yes", "yes"),
        ("notes", "line one\nline two", "line one\nline two"),
    ],
)
def test_set_parses_values_as_the_editor_does(
    path: Path, capsys: pytest.CaptureFixture[str], field: str, typed: str, stored: object
) -> None:
    line = ok(capsys, "set", str(path), "churn-prediction", field, typed)
    assert line.startswith(f"{path}: ")
    assert line.endswith("(by ann)")
    value: object = project(path, "churn-prediction")
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part)
    if isinstance(stored, dict):
        assert value is not None
        assert value.model_dump() == stored  # type: ignore[attr-defined]
    else:
        assert value == stored
    assert project(path, "churn-prediction").updated_by == "ann"


def test_set_is_attributed_to_by_or_to_user(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    line = ok(capsys, "set", str(path), "fitness-pose", "owner", "dana", "--by", "bot-7")
    assert line == f"{path}: set fitness-pose owner to 'dana' (by bot-7)"
    assert project(path, "fitness-pose").updated_by == "bot-7"
    monkeypatch.setenv("USER", "carol")
    ok(capsys, "set", str(path), "fitness-pose", "owner", "erin")
    assert project(path, "fitness-pose").updated_by == "carol"
    assert project(path, "fitness-pose").updated_at is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["churn-predictio", "title", "x"],
            "no project 'churn-predictio' (did you mean 'churn-prediction'?)",
        ),
        (["zzz", "title", "x"], "no project 'zzz'"),
        (
            ["churn-prediction", "feasibilty.data_availability", "3"],
            "churn-prediction: no field 'feasibilty.data_availability'"
            " (did you mean 'feasibility.data_availability'?)",
        ),
        (["churn-prediction", "colour", "red"], "churn-prediction: no field 'colour' (fields: "),
        (["churn-prediction", "stage", "data"], "the stage changes by moving: mlfolio move"),
        (["churn-prediction", "history", "x"], "no field 'history'"),
        (
            ["churn-prediction", "impact.automation", "lots"],
            "churn-prediction: Automation: type a whole number from 1 to 5",
        ),
        (
            ["churn-prediction", "impact.automation", "7"],
            "churn-prediction: impact.automation: Input should be less than or equal to 5",
        ),
        (["churn-prediction", "checklist.ethics", "maybe"], "type yes or no"),
        (["churn-prediction", "archetype", "robot"], "type one of software-2.0"),
        (["churn-prediction", "title", ""], "title"),
        (["churn-prediction", "title", "bad\x1b[2Jtitle"], "title"),
    ],
)
def test_set_refuses_a_bad_project_field_or_value(
    path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    line = refused(capsys, path, "set", str(path), *args)
    assert line.startswith(f"mlfolio set: {path}: ")
    assert message in line
    assert "\x1b" not in line


# --------------------------------------------------------------------- move


def test_move_forward_and_back_records_history(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = ok(capsys, "move", str(path), "fitness-pose", "training", "--by", "pipeline")
    assert line == f"{path}: move fitness-pose to training (by pipeline)"
    moved = project(path, "fitness-pose")
    assert moved.stage is Stage.TRAINING
    assert (moved.history[-1].by, moved.history[-1].kind) == ("pipeline", TransitionKind.FORWARD)
    ok(capsys, "move", str(path), "fitness-pose", "DATA", "--reason", "labels unreliable")
    back = project(path, "fitness-pose")
    assert back.stage is Stage.DATA
    last = back.history[-1]
    assert (last.kind, last.reason, last.by) == (TransitionKind.BACK, "labels unreliable", "ann")
    assert len(back.history) == len(moved.history) + 1


def test_a_back_move_without_a_reason_is_refused(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(capsys, path, "move", str(path), "invoice-extraction", "data")
    assert line == (
        f"mlfolio move: {path}: moving invoice-extraction back from training to data needs a"
        " reason, e.g. 'more data needed' (give it with --reason TEXT or --reason-code CODE)"
    )
    refused(capsys, path, "move", str(path), "invoice-extraction", "data", "--reason", "  ")


def test_leaving_planning_needs_the_checklist_or_the_override(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(capsys, path, "move", str(path), "churn-prediction", "data")
    assert "open checklist item" in line
    assert line.endswith("(--override-checklist moves it anyway)")
    ok(capsys, "move", str(path), "churn-prediction", "data", "--override-checklist")
    moved = project(path, "churn-prediction")
    assert moved.stage is Stage.DATA
    assert moved.history[-1].checklist_override


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fitness-pose", "sideways"], "'sideways' is not a stage (one of planning, data,"),
        (["fitness-pose", "shipped"], "fitness-pose cannot move from data to shipped"),
        (["fitness-pose", "data"], "fitness-pose is already in data"),
        (["fitnes-pose", "training"], "no project 'fitnes-pose' (did you mean 'fitness-pose'?)"),
    ],
)
def test_move_refuses_illegal_moves(
    path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    line = refused(capsys, path, "move", str(path), *args)
    assert line.startswith(f"mlfolio move: {path}: ")
    assert message in line


# ------------------------------------------------------------------- record


def test_record_adds_then_merges_scores(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = ok(capsys, "record", str(path), "churn-prediction", "gbm-v3", "pr_auc=0.31")
    assert line.startswith(f"{path}: record validation scores of 'gbm-v3' on churn-prediction")
    model = project(path, "churn-prediction").models[-1]
    assert (model.name, model.scores) == ("gbm-v3", {"pr_auc": 0.31})
    both = "pr_auc=0.33, precision_at_200=0.4"
    ok(capsys, "record", str(path), "churn-prediction", "gbm-v3", both)
    ok(capsys, "record", str(path), "churn-prediction", "gbm-v3", "pr_auc=0.5", "--split", "train")
    model = project(path, "churn-prediction").models[-1]
    assert model.scores == {"pr_auc": 0.33, "precision_at_200": 0.4}
    assert model.train_scores == {"pr_auc": 0.5}


def test_record_refuses_a_metric_the_project_does_not_have(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(capsys, path, "record", str(path), "churn-prediction", "gbm", "pr_acu=0.7")
    assert line == (
        f"mlfolio record: {path}: churn-prediction has no metric 'pr_acu'"
        " (did you mean 'pr_auc'?); --add-metric records it as a new metric"
    )
    line = refused(capsys, path, "record", str(path), "churn-prediction", "gbm", "recall=0.7")
    assert "has no metric 'recall' (metrics: pr_auc, precision_at_200)" in line


def test_add_metric_defines_the_new_metric_and_records_it(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("record", str(path), "churn-prediction", "gbm", "recall=0.7", "pr_auc=0.3")
    line = ok(capsys, *args, "--add-metric")
    assert "new metric 'recall'" in line
    changed = project(path, "churn-prediction")
    assert [m.name for m in changed.metrics] == ["pr_auc", "precision_at_200", "recall"]
    added = changed.metric("recall")
    assert added is not None
    assert not added.optimise
    assert not added.has_threshold
    assert changed.models[-1].scores == {"recall": 0.7, "pr_auc": 0.3}


def test_undoing_a_record_with_new_metrics_removes_them_too(path: Path) -> None:
    before = load(path)
    edit = RecordScores("churn-prediction", "gbm", {"recall": 0.7}, new_metrics=("recall",))
    after = edit.apply(before, utc_now(), "ann")
    undone = edit.inverse(before).apply(after, utc_now(), "ann")
    was, now = before.project("churn-prediction"), undone.project("churn-prediction")
    assert was is not None
    assert now is not None
    assert (now.metrics, now.models) == (was.metrics, was.models)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gbm", "auc"], "write metric=value pairs"),
        (["gbm", "auc=high"], "scores: auc: 'high' is not a number"),
        (["gbm", "auc=0.8", "auc=0.9"], "'auc' is given twice"),
        (["gbm", "auc=nan"], "give a finite number"),
        (["gbm", ","], "give at least one metric=value"),
        (["", "pr_auc=0.8"], "model ''"),
    ],
)
def test_record_refuses_bad_scores(
    path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    line = refused(capsys, path, "record", str(path), "churn-prediction", *args)
    assert line.startswith(f"mlfolio record: {path}: churn-prediction")
    assert message in line


def test_record_refuses_an_unknown_split(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["record", str(path), "churn-prediction", "gbm", "auc=1", "--split", "test"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


# ------------------------------------------------------------------- common


def test_a_missing_or_invalid_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.toml"
    line = refused(capsys, missing, "set", str(missing), "a", "title", "x")
    assert line == f"mlfolio set: {missing}: no such file"
    assert not missing.exists()
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\n[[projects]]\nid = "a"\n[[projects]]\nid = "b"\n')
    line = refused(capsys, bad, "move", str(bad), "a", "data")
    assert line.startswith(f"mlfolio move: {bad}:2:")
    assert line.endswith("(and 1 more)")


def test_by_must_be_a_plain_name(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("", "bad\nname"):
        line = refused(capsys, path, "set", str(path), "fitness-pose", "owner", "x", "--by", name)
        assert line == "mlfolio set: --by must be a non-empty name without control characters"


def test_a_held_lock_ends_in_one_line_naming_it_and_its_own_exit_status(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Busy is not wrong: a lock timeout exits 75 (try again), a refused edit 1."""
    with FileLock(lock_path(path)):
        line = refused(
            capsys,
            path,
            "set",
            str(path),
            "fitness-pose",
            "owner",
            "x",
            "--wait",
            "0.1",
            status=cli_edit.EXIT_BUSY,
        )
    assert cli_edit.EXIT_BUSY == 75
    assert line.startswith(f"mlfolio set: cannot save {path}: ")
    assert str(lock_path(path)) in line


def test_an_edit_is_reapplied_over_a_change_saved_meanwhile(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = read_version(path)
    now = utc_now()
    commit(path, [Pending(SetField("fitness-pose", "owner", "bob"), now, "bob")])
    monkeypatch.setattr(cli_edit, "read_version", lambda _: stale)
    line = ok(capsys, "set", str(path), "churn-prediction", "owner", "ann")
    assert line.endswith("(by ann); re-applied on top of a change saved meanwhile")
    assert project(path, "fitness-pose").owner == "bob"
    assert project(path, "churn-prediction").owner == "ann"
    commit(path, [Pending(RemoveProject("churn-prediction"), now, "bob")])
    line = refused(capsys, path, "set", str(path), "churn-prediction", "owner", "zed")
    assert line == (
        f"mlfolio set: {path}: there is no project 'churn-prediction'"
        " (after a change saved meanwhile)"
    )


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    for args in (["move", str(path)], ["set", str(path), "a", "b"], ["record", str(path), "a"]):
        with pytest.raises(SystemExit) as caught:
            main(args)
        assert caught.value.code == 2
        assert capsys.readouterr().err.count("\n") == 1


def test_the_command_runs_end_to_end_without_textual(path: Path) -> None:
    code = (
        "import sys; from tui.cli import main; "
        f"rc = main(['set', {str(path)!r}, 'fitness-pose', 'impact.automation', '5']); "
        "print('textual' in sys.modules, rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    lines = done.stdout.splitlines()
    assert lines[-1] == "False 0", done.stderr
    assert lines[0].startswith(f"{path}: set fitness-pose impact.automation to 5 (by ")
    assert project(path, "fitness-pose").impact.automation == 5  # type: ignore[union-attr]  # scored in this test
