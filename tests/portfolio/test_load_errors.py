"""Every bad file is refused with one-line `FILE:LINE:COL: message` errors, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from factories import ROOT

from portfolio import LoadError, load, loads
from portfolio.migrate import MIGRATIONS

CORPUS = ROOT / "tests" / "corpora" / "toml-test-invalid"
INVALID = sorted(CORPUS.rglob("*.toml"))


def test_the_invalid_toml_corpus_is_there_inside_the_repository(corpus_dir: Path) -> None:
    """A fresh clone with nothing beside it has the corpus: it lives in tests/, with its licence."""
    assert corpus_dir / "toml-test-invalid" == CORPUS
    assert CORPUS.resolve().is_relative_to(ROOT)
    assert (CORPUS / "LICENSE").read_text().startswith("The MIT License")
    assert len(INVALID) > 400


@pytest.mark.parametrize("path", INVALID, ids=[str(p.relative_to(CORPUS)) for p in INVALID])
def test_invalid_toml_is_refused_with_one_line(path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load(path)
    (line,) = caught.value.errors
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+: .+", line), line
    assert str(caught.value) == line


def _load_text(tmp_path: Path, text: str) -> tuple[str, list[str]]:
    """Write `text` to a file, load it, and return the path and the error lines."""
    path = tmp_path / "portfolio.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(path)
    return str(path), list(caught.value.errors)


PROJECT = '[[projects]]\nid = "churn"\ntitle = "Predict churn"\n'


def test_missing_field_points_at_its_projects_header(tmp_path: Path) -> None:
    path, errors = _load_text(tmp_path, f'schema = 1\n\n{PROJECT}\n[[projects]]\nid = "b"\n')
    assert errors == [f"{path}:7:1: missing key `title` (at projects[1].title)"]


def test_score_out_of_range(tmp_path: Path) -> None:
    text = f"schema = 1\n{PROJECT}[projects.feasibility]\n  data_availability = 6\n"
    path, errors = _load_text(tmp_path, text)
    assert errors == [
        f"{path}:6:3: must be at most 5 (got 6) (at projects[0].feasibility.data_availability)"
    ]


def test_unknown_key(tmp_path: Path) -> None:
    path, errors = _load_text(tmp_path, f'schema = 1\n{PROJECT}colour = "red"\n')
    assert errors == [f"{path}:5:1: unknown key `colour` (at projects[0].colour)"]


def test_control_character_in_title(tmp_path: Path) -> None:
    text = 'schema = 1\n[[projects]]\nid = "x"\ntitle = "\\u001b[2J"\n'
    path, errors = _load_text(tmp_path, text)
    assert errors == [
        f"{path}:4:1: contains a control character (U+001B); "
        "text may not hold control characters (at projects[0].title)"
    ]


def test_line_break_in_a_one_line_field(tmp_path: Path) -> None:
    text = f'schema = 1\n{PROJECT}owner = """\nann\nbob"""\n'
    path, errors = _load_text(tmp_path, text)
    assert errors == [
        f"{path}:5:1: contains a line break (U+000A); "
        "this text must be a single line (at projects[0].owner)"
    ]


def test_bad_slug(tmp_path: Path) -> None:
    path, errors = _load_text(
        tmp_path, 'schema = 1\n[[projects]]\nid = "Churn Model"\ntitle = "t"\n'
    )
    assert errors == [
        f"{path}:3:1: must be a slug: lower-case letters, digits, '-' or '_' "
        "(got 'Churn Model') (at projects[0].id)"
    ]


def test_duplicate_id_points_at_the_second_id(tmp_path: Path) -> None:
    text = f'schema = 1\n{PROJECT}\n[[projects]]\ntitle = "Again"\n  id = "churn"\n'
    path, errors = _load_text(tmp_path, text)
    assert errors == [f"{path}:8:3: two projects have the id 'churn' (at projects[1].id)"]


def test_duplicate_metric_name_points_at_the_second_name(tmp_path: Path) -> None:
    text = (
        f"schema = 1\n{PROJECT}metrics = [\n"
        '  { name = "f1", optimise = true },\n  { name = "f1" },\n]\n'
    )
    path, errors = _load_text(tmp_path, text)
    assert errors == [f"{path}:7:5: two metrics are named 'f1' (at projects[0].metrics[1].name)"]


def test_naive_datetime(tmp_path: Path) -> None:
    text = f"schema = 1\n{PROJECT}created_at = 2026-01-31T09:00:00\n"
    path, errors = _load_text(tmp_path, text)
    assert errors == [
        f"{path}:5:1: datetime needs a UTC offset, e.g. 2026-01-31T09:00:00Z "
        "(at projects[0].created_at)"
    ]


def test_enum_errors_list_the_allowed_values(tmp_path: Path) -> None:
    path, errors = _load_text(tmp_path, f'schema = 1\n{PROJECT}stage = "done"\n')
    assert errors == [
        f"{path}:5:1: must be one of 'planning', 'data', 'training', 'deployment', "
        "'parked', 'killed' or 'shipped' (got 'done') (at projects[0].stage)"
    ]


def test_several_errors_come_in_file_order(tmp_path: Path) -> None:
    text = (
        'schema = 1\n[[projects]]\nid = "a"\ntitle = ""\n'
        '[[projects]]\nid = "b"\ntitle = "B"\nimpact = { automation = 0 }\n'
        '[settings]\nrank_by = "best"\n'
    )
    path, errors = _load_text(tmp_path, text)
    assert [e.split(": ", 1)[0] for e in errors] == [f"{path}:4:1", f"{path}:8:12", f"{path}:10:1"]
    assert errors[1].endswith("must be at least 1 (got 0) (at projects[1].impact.automation)")


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("schema = 2", "1:1: written by a newer mlfolio (schema 2; this one reads up to 1)"),
        ("schema = 0", "1:1: unknown schema version 0 (this mlfolio reads up to 1)"),
        ('schema = "1"', "1:1: `schema` must be a whole number"),
        ("schema = true", "1:1: `schema` must be a whole number"),
        ("name = 1", "1:1: missing key `schema`: the file must start with `schema = 1`"),
    ],
)
def test_schema_version(tmp_path: Path, schema: str, message: str) -> None:
    path, errors = _load_text(tmp_path, f"{schema}\n{PROJECT}")
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:{message}")


def test_schema_not_first_is_still_found(tmp_path: Path) -> None:
    path, errors = _load_text(tmp_path, "# comment\n\n  schema = 9\n")
    assert errors == [
        f"{path}:3:3: written by a newer mlfolio (schema 9; this one reads up to 1) (at schema)"
    ]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.errors == (f"{path}:1:1: cannot read: No such file or directory",)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load(tmp_path)
    assert caught.value.errors == (f"{tmp_path}:1:1: cannot read: not a regular file (a folder)",)


def test_invalid_utf8_is_placed_at_the_offending_byte(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_bytes(
        'schema = 1\n[settings]\nname = "é\xff"\n'.encode("latin-1").replace(b"\xe9", "é".encode())
    )
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.errors == (f"{path}:3:10: not UTF-8 text: invalid start byte (byte 0xFF)",)


def test_toml_syntax_error_loses_tomlis_own_position_suffix() -> None:
    with pytest.raises(LoadError) as caught:
        loads("schema = 1\nname = \n")
    assert caught.value.errors == ("<string>:2:8: not valid TOML: invalid value",)


def test_loads_takes_bytes_and_a_leading_bom() -> None:
    text = '\ufeffschema = 1\n[settings]\nname = "naïve"\n'
    assert loads(text.encode()).settings.name == "naïve"
    assert loads(text).settings.name == "naïve"


def test_loading_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_text("schema = 1\nwhat = 1\n", encoding="utf-8")
    before = path.stat().st_mtime_ns
    with pytest.raises(LoadError):
        load(path)
    assert [p.name for p in tmp_path.iterdir()] == ["portfolio.toml"]
    assert path.stat().st_mtime_ns == before
    assert path.read_text(encoding="utf-8") == "schema = 1\nwhat = 1\n"


def test_problems_carry_line_column_and_path() -> None:
    with pytest.raises(LoadError) as caught:
        loads(f"schema = 1\n{PROJECT}stage = 3\n", source="x.toml")
    (problem,) = caught.value.problems
    assert (problem.source, problem.line, problem.column) == ("x.toml", 5, 1)
    assert problem.where == "projects[0].stage"


def test_an_older_schema_with_a_migration_is_upgraded_on_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def rename_portfolio_title(data: dict[str, Any]) -> dict[str, Any]:
        settings = dict(data.get("settings", {}))
        settings["name"] = settings.pop("title")
        return {**data, "schema": 1, "settings": settings}

    monkeypatch.setitem(MIGRATIONS, 0, rename_portfolio_title)
    loaded = loads('schema = 0\n[settings]\ntitle = "Old"\n')
    assert loaded.settings.name == "Old"


def test_errors_after_valid_projects_are_all_reported_in_place_from_bytes() -> None:
    """Projects are validated one by one; the first bad one still yields every error."""
    text = (
        '\ufeffschema = 1\n[[projects]]\nid = "a"\ntitle = "A"\n'
        '[[projects]]\nid = "b"\ntitle = "B"\nimpact = { automation = 0 }\n'
        '[[projects]]\nid = "a"\ntitle = ""\n'
    )
    with pytest.raises(LoadError) as caught:
        loads(text.encode(), "f.toml")
    assert [e.split(": ", 1)[0] for e in caught.value.errors] == ["f.toml:8:12", "f.toml:11:1"]
    valid_but_for_the_id = text.replace('title = ""', 'title = "A2"').replace("= 0", "= 1")
    with pytest.raises(LoadError) as caught:
        loads(valid_but_for_the_id.encode(), "f.toml")
    assert caught.value.errors == ("f.toml:10:1: two projects have the id 'a' (at projects[2].id)",)
