"""Git end to end over real temporary repositories: setup, the merge driver, diff, log, tags."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from factories import EXAMPLE

from portfolio import load
from tui.cli import main
from tui.dashboard.app import MlfolioApp
from tui.dashboard.launch import create_app

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding the example portfolio, set up for mlfolio, one commit."""
    for key, value in {
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "ann",
        "GIT_AUTHOR_EMAIL": "ann@example.org",
        "GIT_COMMITTER_NAME": "ann",
        "GIT_COMMITTER_EMAIL": "ann@example.org",
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copyfile(EXAMPLE, tmp_path / "portfolio.toml")
    assert main(["git", "setup", "portfolio.toml"]) == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    return tmp_path


def git(where: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, check=check)


def edit(where: Path, *args: str, message: str) -> None:
    assert main(["set", "portfolio.toml", *args]) == 0
    git(where, "commit", "-qam", message)


def test_setup_is_idempotent(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = [(repo / n).read_text() for n in (".gitattributes", ".gitignore", ".git/config")]
    capsys.readouterr()
    assert main(["git", "setup", "portfolio.toml"]) == 0
    assert "already set up" in capsys.readouterr().out
    after = [(repo / n).read_text() for n in (".gitattributes", ".gitignore", ".git/config")]
    assert after == before
    assert "/portfolio.toml merge=mlfolio diff=mlfolio" in before[0]
    assert "/.portfolio.toml.lock" in before[1]


def test_setup_outside_a_repository_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert main(["git", "setup", str(tmp_path / "portfolio.toml")]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "is not inside a git repository" in line


def test_branches_editing_different_projects_and_fields_merge(repo: Path) -> None:
    git(repo, "checkout", "-qb", "a")
    edit(repo, "search-ranking", "owner", "ann", message="a: owner")
    edit(repo, "churn-prediction", "title", "Churn v2", message="a: churn title")
    git(repo, "checkout", "-q", "main")
    edit(repo, "search-ranking", "summary", "New summary", message="main: summary")
    edit(repo, "invoice-extraction", "owner", "bob", message="main: invoice owner")
    done = git(repo, "merge", "--no-edit", "a", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    merged = load(repo / "portfolio.toml")
    search = merged.project("search-ranking")
    assert search is not None
    assert (search.owner, search.summary) == ("ann", "New summary")
    assert merged.project("churn-prediction").title == "Churn v2"  # type: ignore[union-attr]
    assert merged.project("invoice-extraction").owner == "bob"  # type: ignore[union-attr]
    assert not merged.conflicts


def test_a_same_field_conflict_leaves_a_loadable_file_that_validate_and_the_app_report(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(repo, "checkout", "-qb", "a")
    edit(repo, "churn-prediction", "owner", "ann", message="a")
    git(repo, "checkout", "-q", "main")
    edit(repo, "churn-prediction", "owner", "bob", message="main")
    done = git(repo, "merge", "--no-edit", "a", check=False)
    assert done.returncode != 0
    assert "conflict at projects.churn-prediction.owner" in done.stderr + done.stdout
    merged = load(repo / "portfolio.toml")
    assert merged.project("churn-prediction").owner == "bob"  # type: ignore[union-attr]
    (conflict,) = merged.conflicts
    assert (conflict.ours, conflict.theirs) == ("bob", "ann")
    capsys.readouterr()
    assert main(["validate", "portfolio.toml"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("portfolio.toml:5:1: unresolved merge conflict at projects.churn")


async def test_the_app_shows_unresolved_conflicts(repo: Path) -> None:
    git(repo, "checkout", "-qb", "a")
    edit(repo, "churn-prediction", "owner", "ann", message="a")
    git(repo, "checkout", "-q", "main")
    edit(repo, "churn-prediction", "owner", "bob", message="main")
    git(repo, "merge", "--no-edit", "a", check=False)
    app = create_app(repo / "portfolio.toml", user="ann", poll_interval=0.0)
    assert isinstance(app, MlfolioApp)
    async with app.run_test(size=(160, 48)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        status = str(app.query_one("#status").render())
        assert "1 UNRESOLVED MERGE CONFLICT" in status
        assert "projects.churn-prediction.owner" in status


def test_git_diff_diff_by_revision_and_log(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["move", "portfolio.toml", "churn-prediction", "data", "--override-checklist"]) == 0
    shown = git(repo, "diff").stdout
    assert "churn-prediction" in shown
    assert "stage: planning → data" in shown
    git(repo, "commit", "-qam", "churn to data")
    capsys.readouterr()
    assert main(["diff", "HEAD~1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("HEAD~1:portfolio.toml → portfolio.toml")
    assert "planning → data" in out
    assert main(["diff", "--exit-code", "HEAD~1", "HEAD"]) == 1
    assert main(["diff", "--exit-code", "HEAD", "portfolio.toml"]) == 0
    assert main(["diff", "--exit-code", "no-such-rev"]) == 2
    capsys.readouterr()
    assert main(["log", "-n", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "churn to data" in lines[0]
    assert "churn-prediction planning→data" in lines[1]
    assert main(["log", "--project", "search-ranking"]) == 0
    assert "churn to data" not in capsys.readouterr().out


def test_diff_reads_a_pipe_and_stdin(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read, write = os.pipe()
    with open(write, "wb") as handle:
        handle.write((repo / "portfolio.toml").read_bytes())
    assert main(["diff", "--exit-code", f"/dev/fd/{read}", "portfolio.toml"]) == 0
    os.close(read)


def test_snapshot_git_tag_holds_the_report(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["snapshot", "portfolio.toml", "--git-tag", "review-1"]) == 0
    message = git(repo, "tag", "-l", "-n999", "review-1").stdout
    assert "mlfolio snapshot" in message
    assert "Northwind" in message
    assert main(["snapshot", "portfolio.toml", "--git-tag", "review-1"]) == 1
