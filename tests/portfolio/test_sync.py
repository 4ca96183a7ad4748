"""portfolio.sync: the locked save that re-applies edits over other people's saves."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from factories import NOW
from filelock import FileLock

from core.edits.changes import Edit, RemoveProject, SetField
from core.models import Portfolio, Project
from portfolio import SaveError, dumps, load, save
from portfolio.store import stamp
from portfolio.sync import Pending, Version, commit, lock_path, overwrite, read_version


def pending(edit: Edit, user: str = "ann") -> Pending:
    return Pending(edit, NOW, user)


def title(path: Path, project_id: str) -> str:
    project = load(path).project(project_id)
    assert project is not None
    return project.title


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A two-project portfolio on disk."""
    file = tmp_path / "portfolio.toml"
    save(Portfolio(projects=(Project(id="a", title="A"), Project(id="b", title="B"))), file)
    return file


def test_an_unchanged_file_gets_the_edit_and_the_lock_sits_beside_it(path: Path) -> None:
    base = read_version(path)
    result = commit(path, [pending(SetField("a", "title", "A2"))], base=base)
    assert result.written
    assert not result.others_changed
    assert not result.rejected
    assert [item.pending.edit for item in result.applied] == [SetField("a", "title", "A2")]
    assert title(path, "a") == "A2"
    assert result.version.portfolio == load(path)
    assert result.version == read_version(path)
    assert lock_path(path) == path.parent / ".portfolio.toml.lock"
    assert lock_path(path).exists()
    changed = load(path).project("a")
    assert changed is not None
    assert changed.updated_by == "ann"
    assert changed.updated_at == NOW


def test_an_outside_save_is_kept_and_the_edit_reapplied_on_top(path: Path) -> None:
    base = read_version(path)
    other = commit(path, [pending(SetField("b", "title", "Bob's"), "bob")])
    assert other.written
    result = commit(path, [pending(SetField("a", "title", "Ann's"))], base=base)
    assert result.others_changed
    assert result.found is not None
    assert result.found.project("b").title == "Bob's"  # type: ignore[union-attr]
    assert title(path, "a") == "Ann's"
    assert title(path, "b") == "Bob's"
    # the undo is worked out from what the edit landed on
    assert result.applied[0].inverse == SetField("a", "title", "A")


def test_an_edit_that_no_longer_applies_is_reported_and_the_rest_saved(path: Path) -> None:
    base = read_version(path)
    commit(path, [pending(RemoveProject("a"), "bob")])
    result = commit(
        path,
        [pending(SetField("a", "title", "gone")), pending(SetField("b", "title", "B2"))],
        base=base,
    )
    assert len(result.rejected) == 1
    assert result.rejected[0].reason == "there is no project 'a'"
    assert "set a title to 'gone'" in result.rejected[0].sentence()
    assert [item.pending.edit for item in result.applied] == [SetField("b", "title", "B2")]
    on_disk = load(path)
    assert on_disk.project("a") is None
    assert title(path, "b") == "B2"


def test_nothing_is_written_when_no_edit_applies(path: Path) -> None:
    base = read_version(path)
    before = path.read_bytes(), stamp(path)
    result = commit(path, [pending(SetField("zzz", "title", "x"))], base=base)
    assert not result.written
    assert len(result.rejected) == 1
    assert (path.read_bytes(), stamp(path)) == before
    assert result.version == base


def test_a_held_lock_times_out_naming_the_lock_file(path: Path) -> None:
    before = path.read_bytes()
    with FileLock(lock_path(path)), pytest.raises(SaveError) as caught:
        commit(path, [pending(SetField("a", "title", "x"))], lock_timeout=0.2)
    message = str(caught.value)
    assert str(lock_path(path)) in message
    assert message.startswith(f"cannot save {path}: ")
    assert "\n" not in message
    assert path.read_bytes() == before


def test_a_file_invalid_on_disk_is_not_overwritten(path: Path) -> None:
    base = read_version(path)
    path.write_text('schema = 1\n[[projects]]\nid = "a"\n')  # no title
    before = path.read_bytes()
    with pytest.raises(SaveError) as caught:
        commit(path, [pending(SetField("b", "title", "x"))], base=base)
    message = str(caught.value)
    assert message.startswith(f"cannot save {path}: the file on disk is not valid now")
    assert f"{path}:2:" in message or f"{path}:3:" in message
    assert "\n" not in message
    assert path.read_bytes() == before


def test_a_symlinked_file_is_written_through_and_locked_beside_the_real_file(
    tmp_path: Path,
) -> None:
    real_folder, link_folder = tmp_path / "real", tmp_path / "links"
    real_folder.mkdir()
    link_folder.mkdir()
    real = real_folder / "team.toml"
    save(Portfolio(projects=(Project(id="a", title="A"),)), real)
    link = link_folder / "portfolio.toml"
    link.symlink_to(real)
    commit(link, [pending(SetField("a", "title", "via link"))])
    assert link.is_symlink()
    assert title(real, "a") == "via link"
    assert lock_path(link) == real_folder / ".team.toml.lock"
    assert (real_folder / ".team.toml.lock").exists()
    assert sorted(p.name for p in link_folder.iterdir()) == ["portfolio.toml"]


def test_a_removed_file_is_written_again_with_the_edits(path: Path) -> None:
    base = read_version(path)
    path.unlink()
    result = commit(path, [pending(SetField("a", "title", "back"))], base=base)
    assert result.recreated
    assert title(path, "a") == "back"
    assert title(path, "b") == "B"


def test_the_first_save_of_a_new_file_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    portfolio = Portfolio(projects=(Project(id="a", title="A"),))
    result = commit(path, [], base=Version(portfolio, None))
    assert result.written
    assert not result.recreated
    assert not result.others_changed
    assert load(path) == portfolio


def test_a_new_file_someone_else_created_first_gets_the_edits_on_top(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    save(Portfolio(projects=(Project(id="theirs", title="T"),)), path)
    mine = Portfolio(projects=(Project(id="theirs", title="T"), Project(id="a", title="A")))
    result = commit(path, [pending(SetField("theirs", "title", "T2"))], base=Version(mine, None))
    assert result.others_changed
    assert [p.id for p in load(path).projects] == ["theirs"]
    assert title(path, "theirs") == "T2"


def test_without_a_base_a_missing_or_invalid_file_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(SaveError, match="no such file"):
        commit(missing, [pending(SetField("a", "title", "x"))])
    assert not missing.exists()
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = [")
    with pytest.raises(SaveError, match=f"cannot save {bad}: {bad}:1:"):
        commit(bad, [pending(SetField("a", "title", "x"))])


def test_the_same_content_rewritten_is_nobody_elses_change(path: Path) -> None:
    base = read_version(path)
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)  # a new inode and time, the same bytes
    result = commit(path, [pending(SetField("a", "title", "A2"))], base=base)
    assert not result.others_changed
    assert title(path, "a") == "A2"


def test_the_content_decides_even_when_the_stamp_looks_the_same(path: Path) -> None:
    """A stamp can repeat (inode reused, same size, same clock tick); the digest cannot."""
    base = read_version(path)
    commit(path, [pending(SetField("b", "title", "Z"), "bob")])
    forged = Version(base.portfolio, stamp(path), base.digest)
    result = commit(path, [pending(SetField("a", "title", "A2"))], base=forged)
    assert result.others_changed
    assert title(path, "b") == "Z"
    assert title(path, "a") == "A2"


def test_temporary_files_of_a_killed_writer_are_cleaned_up(path: Path) -> None:
    folder = path.parent
    leftover = folder / ".portfolio.toml.abcd1234.tmp"
    leftover.write_text("half a fi")
    others = [
        folder / ".portfolio.toml.other.toml.abcd1234.tmp",  # another file's
        folder / "notes.tmp",
    ]
    for other in others:
        other.write_text("keep")
    commit(path, [pending(SetField("a", "title", "A2"))])
    assert not leftover.exists()
    assert all(other.exists() for other in others)


def test_a_lock_held_by_a_killed_process_does_not_block(path: Path) -> None:
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            FileLock(lock_path(path)).acquire()
            os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status)
    result = commit(path, [pending(SetField("a", "title", "A2"))], lock_timeout=5)
    assert result.written


def test_overwrite_replaces_whatever_is_there(path: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text("not even toml [")
    portfolio = load(path)
    version = overwrite(elsewhere, portfolio)
    assert load(elsewhere) == portfolio
    assert version == read_version(elsewhere)
    assert elsewhere.read_text() == dumps(portfolio)


def test_the_lock_file_takes_the_portfolios_permissions(path: Path) -> None:
    path.chmod(0o660)
    commit(path, [pending(SetField("a", "title", "A2"))])
    assert lock_path(path).stat().st_mode & 0o777 == 0o660


def test_saving_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    nowhere = tmp_path / "no" / "such" / "p.toml"
    portfolio = Portfolio(projects=(Project(id="a", title="A"),))
    with pytest.raises(SaveError, match=f"^cannot save {nowhere}: there is no folder "):
        overwrite(nowhere, portfolio)
