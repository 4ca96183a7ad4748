"""The command line behaves as people expect of one: version, `python -m`, completion, stdin,
did-you-mean, a terminal check for the dashboard, machine-readable output, exit codes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import pytest
from factories import EXAMPLE
from filelock import FileLock
from wcwidth import wcswidth

from core.models import Portfolio, Project
from portfolio import load, save
from portfolio.sync import lock_path
from tui.cli import NO_TERMINAL, main
from tui.cli import edit as cli_edit

SCRIPT = Path(sys.executable).with_name("mlfolio")


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example, with $USER set to a known name."""
    monkeypatch.setenv("USER", "ann")
    file = tmp_path / "portfolio.toml"
    shutil.copyfile(EXAMPLE, file)
    return file


@contextmanager
def pipe_of(data: bytes) -> Iterator[str]:
    """A `/dev/fd/N` name for a pipe carrying `data`, as `<(cat FILE)` gives a command."""
    read_end, write_end = os.pipe()

    def feed() -> None:
        with os.fdopen(write_end, "wb") as sink:
            sink.write(data)

    feeder = threading.Thread(target=feed)
    feeder.start()
    try:
        yield f"/dev/fd/{read_end}"
    finally:
        feeder.join()
        os.close(read_end)


def stdin_of(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# -- version, module entry, help ------------------------------------------------------------


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"mlfolio {version('mlfolio')}\n"


@pytest.mark.slow
def test_python_dash_m_tui_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, f"mlfolio {version('mlfolio')}\n")


# -- mistakes -------------------------------------------------------------------------------


def test_a_mistyped_command_names_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rnak", str(EXAMPLE)]) == 2
    assert capsys.readouterr().err == (
        "mlfolio: error: unknown command 'rnak' (did you mean `mlfolio rank`?)\n"
    )


def test_an_unknown_word_before_more_arguments_is_an_unknown_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["frobnicate", str(EXAMPLE)]) == 2
    err = capsys.readouterr().err
    assert err == "mlfolio: error: unknown command 'frobnicate' (see `mlfolio --help`)\n"


def test_a_file_named_like_a_command_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(EXAMPLE, tmp_path / "rnak")
    assert main(["rnak"]) == 2  # the dashboard's answer (no terminal here), not "did you mean"
    assert "needs a terminal" in capsys.readouterr().err


@pytest.mark.parametrize(
    "hostile",
    ["\x1b]0;owned\x07", "\x1b[2J\x1b[H", "\x9b31m", "\x1b]52;c;cHduZWQ=\x07"],
)
def test_usage_errors_never_echo_control_sequences(
    hostile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["rank", str(EXAMPLE), hostile])  # one argument too many: argparse quotes it
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments" in err
    assert not any(ch in err for ch in "\x1b\x07\x9b")
    assert err.count("\n") == 1


# -- the dashboard needs a terminal ----------------------------------------------------------


def _open_without(stdin: int | None, stdout: int | None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), str(EXAMPLE)],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_the_dashboard_refuses_at_once_when_stdin_is_not_a_terminal() -> None:
    """`mlfolio FILE </dev/null` used to spin at 90% of a core until killed."""
    result = _open_without(subprocess.DEVNULL, subprocess.PIPE)
    assert result.returncode == 2
    expected = "mlfolio: " + NO_TERMINAL.format(file=EXAMPLE) + "\n"
    assert result.stderr.decode() == expected
    assert "did you mean `mlfolio validate" in expected


@pytest.mark.slow
def test_the_dashboard_refuses_when_stdout_is_not_a_terminal() -> None:
    leader, follower = pty.openpty()
    try:
        result = _open_without(follower, subprocess.PIPE)
    finally:
        os.close(leader)
        os.close(follower)
    assert result.returncode == 2
    assert b"the dashboard needs a terminal" in result.stderr


# -- stdin and pipes --------------------------------------------------------------------------


def test_validate_rank_and_export_read_stdin_from_a_dash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = EXAMPLE.read_bytes()
    stdin_of(monkeypatch, data)
    assert main(["validate", "-"]) == 0
    assert capsys.readouterr().out == "<stdin>: ok (14 projects)\n"
    stdin_of(monkeypatch, data)
    assert main(["rank", "-", "--format", "json", "--all"]) == 0
    from_stdin = json.loads(capsys.readouterr().out)
    assert len(from_stdin) == 14
    assert main(["rank", str(EXAMPLE), "--format", "json", "--all"]) == 0
    assert json.loads(capsys.readouterr().out) == from_stdin
    stdin_of(monkeypatch, data)
    assert main(["export", "-", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# ")


def test_errors_in_stdin_are_named_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin_of(monkeypatch, b'schema = 1\n[[projects]]\nid = "x"\ntitle = 3\n')
    assert main(["validate", "-"]) == 1
    assert capsys.readouterr().err.startswith("<stdin>:4:1: ")


def test_process_substitution_works_for_rank_and_export(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = EXAMPLE.read_bytes()
    with pipe_of(data) as name:
        assert main(["rank", name, "--format", "csv", "--all"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 15
    with pipe_of(data) as name:  # a pipe is read once: the SVG must not read it again
        assert main(["export", name, "--format", "svg", "--size", "80x24"]) == 0
    assert capsys.readouterr().out.startswith("<svg")


# -- machine-readable output -----------------------------------------------------------------


def test_validate_as_json_reports_each_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\n[[projects]]\nid = "x"\ntitle = "X"\n[projects.impact]\n'
                   "automation = 9\n")  # fmt: skip
    assert main(["validate", "--format", "json", str(EXAMPLE), str(bad)]) == 1
    out, err = capsys.readouterr()
    good_report, bad_report = json.loads(out)
    assert good_report == {"file": str(EXAMPLE), "valid": True, "projects": 14, "errors": []}
    assert bad_report["valid"] is False
    (problem,) = bad_report["errors"]
    assert problem["file"] == str(bad)
    assert (problem["line"], problem["at"]) == (6, "projects[0].impact.automation")
    assert err.startswith(f"{bad}:6:")


def test_edits_report_as_json(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commands = [
        ["set", str(path), "churn-prediction", "owner", "dana"],
        ["move", str(path), "churn-prediction", "data", "--override-checklist"],
        ["record", str(path), "churn-prediction", "gbm", "pr_auc=0.8"],
    ]
    for command in commands:
        assert main([*command, "--format", "json", "--by", "bot"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["ok"] is True
        assert (out["command"], out["project"], out["by"]) == (
            command[0],
            "churn-prediction",
            "bot",
        )
        assert out["change"]
        assert out["reapplied"] is False
    assert load(path).project("churn-prediction") is not None


def test_a_refused_and_a_busy_edit_differ_in_status(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["set", str(path), "churn-prediction", "nope", "1", "--format", "json"]) == 1
    refused = json.loads(capsys.readouterr().out)
    assert (refused["ok"], refused["status"], refused["exit"]) == (False, "refused", 1)
    with FileLock(lock_path(path)):
        status = main(
            [
                "set",
                str(path),
                "churn-prediction",
                "owner",
                "x",
                "--wait",
                "0.1",
                "--format",
                "json",
            ]
        )
    busy = json.loads(capsys.readouterr().out)
    assert status == cli_edit.EXIT_BUSY == busy["exit"]
    assert busy["status"] == "busy"


# -- rank: cell widths and spreadsheet safety ---------------------------------------------------


def _portfolio_file(tmp_path: Path, titles: list[str]) -> Path:
    projects = tuple(
        Project(id=f"p{i}", title=title) for i, title in enumerate(titles)
    )  # fmt: skip
    file = tmp_path / "portfolio.toml"
    save(Portfolio(projects=projects), file)
    return file


def test_rank_aligns_columns_by_terminal_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    titles = ["顧客離反の予測", "Churn", "Détection de fraude", "需要预测 demand"]
    assert main(["rank", str(_portfolio_file(tmp_path, titles))]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0]
    stage_at = wcswidth(header[: header.index("stage")])
    for line in lines[2:]:
        assert wcswidth(line[: line.index("planning")]) == stage_at, line


def test_rank_csv_never_starts_a_formula(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    titles = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2+3"]
    assert main(["rank", str(_portfolio_file(tmp_path, titles)), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(row["title"] for row in rows) == sorted("'" + title for title in titles)


# -- completion ------------------------------------------------------------------------------


COMMANDS = ["validate", "rank", "init", "export", "move", "set", "record", "completion"]


def test_bash_completion_parses_and_knows_every_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["completion", "bash"]) == 0
    text = capsys.readouterr().out
    script = tmp_path / "mlfolio.bash"
    script.write_text(text)
    checked = subprocess.run(
        ["bash", "-n", str(script)], capture_output=True, text=True, timeout=30, check=False
    )
    assert checked.returncode == 0, checked.stderr
    assert "complete" in text
    for command in COMMANDS:
        assert command in text


def test_zsh_and_fish_completion_come_from_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    zsh = capsys.readouterr().out
    assert zsh.startswith("#compdef mlfolio")
    assert main(["completion", "fish"]) == 0
    fish = capsys.readouterr().out.splitlines()
    for command in COMMANDS:
        assert f"complete -c mlfolio -n '__fish_use_subcommand' -f -a '{command}'" in "\n".join(
            fish
        )
    assert (
        "complete -c mlfolio -n '__fish_seen_subcommand_from rank' -l format -x -a 'table json csv'"
        in fish
    )


# -- init in a git repository ------------------------------------------------------------------


@pytest.mark.slow
def test_init_in_a_git_repository_ignores_the_lock_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True, timeout=30
        ).stdout

    git("init", "-q")
    (tmp_path / ".gitignore").write_text("*.log")  # no final newline: the line goes on its own
    target = tmp_path / "team.toml"
    assert main(["init", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"added its lock file to {tmp_path / '.gitignore'}" in out
    assert f"mlfolio git setup {target}" in out
    monkeypatch.setenv("USER", "ann")
    assert main(["set", str(target), "churn-prediction", "owner", "dana"]) == 0
    assert lock_path(target).exists()
    assert git("status", "--porcelain", "--untracked-files=all").split() == [
        "??", ".gitignore", "??", "team.toml"
    ]  # fmt: skip
    assert (tmp_path / ".gitignore").read_text().startswith("*.log\n")
    assert main(["init", str(tmp_path / "other.toml")]) == 0
    assert main(["init", str(tmp_path / "again.toml")]) == 0
    assert (tmp_path / ".gitignore").read_text().count("/.team.toml.lock\n") == 1


def test_init_with_git_setup_sets_the_repository_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, timeout=30)
    target = tmp_path / "team.toml"
    assert main(["init", str(target), "--git-setup"]) == 0
    assert "merge=mlfolio" in (tmp_path / ".gitattributes").read_text()
    driver = subprocess.run(
        ["git", "config", "merge.mlfolio.driver"],
        cwd=tmp_path, capture_output=True, text=True, check=True, timeout=30,
    ).stdout  # fmt: skip
    assert "merge-driver" in driver


def test_init_outside_git_writes_no_gitignore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if any((place / ".git").exists() for place in tmp_path.parents):
        pytest.fail("the temporary folder is inside a git work tree; cannot test this here")
    assert main(["init", str(tmp_path / "p.toml")]) == 0
    assert "gitignore" not in capsys.readouterr().out
    assert not (tmp_path / ".gitignore").exists()
