"""The key-position scanner finds every key where it is written, and nothing inside strings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from strategies import portfolios

from core.models import Portfolio
from portfolio import dumps
from portfolio.positions import KeyPath, key_positions, locate


def _rest_of_line(text: str, position: tuple[int, int]) -> str:
    """The text from `position` to the end of its line."""
    line, column = position
    return text.splitlines()[line - 1][column - 1 :]


def test_arrays_of_tables_count_entries_per_enclosing_entry() -> None:
    text = "\n".join(
        [
            "schema = 1",
            "[settings]",
            'name = "x"',
            "[[projects]]",
            'id = "a"',
            "[projects.impact]",
            "automation = 2",
            "[[projects.metrics]]",
            'name = "m"',
            "[[projects.metrics]]",
            'name = "n"',
            "[[projects]]",
            'id = "b"',
            "  [[projects.metrics]]",
            '  name = "o"',
        ]
    )
    found = key_positions(text)
    assert found[("schema",)] == (1, 1)
    assert found[("settings", "name")] == (3, 1)
    assert found[("projects",)] == (4, 1)
    assert found[("projects", 0)] == (4, 1)
    assert found[("projects", 0, "impact")] == (6, 1)
    assert found[("projects", 0, "impact", "automation")] == (7, 1)
    assert found[("projects", 0, "metrics", 1)] == (10, 1)
    assert found[("projects", 0, "metrics", 1, "name")] == (11, 1)
    assert found[("projects", 1)] == (12, 1)
    assert found[("projects", 1, "metrics", 0, "name")] == (15, 3)
    assert ("projects", 1, "metrics", 1) not in found


def test_dotted_and_quoted_keys_map_each_part() -> None:
    text = '[t]\na . "b c".\'d\' = 1\n"x\\u0041" = 2\n'
    found = key_positions(text)
    assert found[("t", "a")] == (2, 1)
    assert found[("t", "a", "b c")] == (2, 5)
    assert found[("t", "a", "b c", "d")] == (2, 11)
    assert found[("t", "xA")] == (3, 1)


def test_nothing_inside_strings_or_comments_is_taken_for_a_key() -> None:
    text = "\n".join(
        [
            "# [commented] = 1",
            'a = """',
            "[fake]",
            'x = 1 \\"""',
            '"""',
            "b = '''",
            "y = 2 ''''",
            'c = "q \\" z = 3" # d = 4',
            "e = 'lit # f = 5'",
            "g = 1979-05-27 07:32:00Z # [h]",
            "last = true",
        ]
    )
    found = key_positions(text)
    assert sorted(key[0] for key in found) == ["a", "b", "c", "e", "g", "last"]
    assert found[("last",)] == (11, 1)
    assert tomli.loads(text)["b"] == "y = 2 '"


def test_inline_tables_and_arrays_record_entries_and_keys() -> None:
    text = "\n".join(
        [
            "metrics = [",
            "  # a comment with [brackets] and key = 1",
            '  { name = "a", optimise = true },  # trailing',
            '  { name = "b", scores = { x = 1, "y z" = [1, [2, 3]] } },',
            "]",
            "flat = [ 'p',",
            "  'q' ]",
            "after = {}",
        ]
    )
    found = key_positions(text)
    assert found[("metrics", 0)] == (3, 3)
    assert found[("metrics", 0, "optimise")] == (3, 17)
    assert found[("metrics", 1, "scores", "x")] == (4, 28)
    assert found[("metrics", 1, "scores", "y z", 1)] == (4, 47)
    assert found[("metrics", 1, "scores", "y z", 1, 0)] == (4, 48)
    assert found[("flat", 1)] == (7, 3)
    assert found[("after",)] == (8, 1)


def test_toml_1_1_multiline_inline_tables() -> None:
    text = 'p = {\n  a = 1, # one\n  b = "two",\n}\nq = 2\n'
    assert tomli.loads(text) == {"p": {"a": 1, "b": "two"}, "q": 2}
    found = key_positions(text)
    assert found[("p", "b")] == (3, 3)
    assert found[("q",)] == (5, 1)


def test_crlf_line_endings_and_tabs() -> None:
    found = key_positions("a = 1\r\n[t]\r\n\tb = 2\r\n")
    assert found[("t", "b")] == (3, 2)


def test_locate_falls_back_to_the_nearest_written_parent() -> None:
    found = key_positions('[[projects]]\nid = "a"\n\n[[projects]]\nid = "b"\n')
    assert locate(found, ("projects", 1, "title")) == (4, 1)
    assert locate(found, ("projects", 1, "id")) == (5, 1)
    assert locate(found, ("settings", "name")) == (1, 1)
    assert locate(found, ()) == (1, 1)


def _paths(value: Any, path: KeyPath = ()) -> Iterator[KeyPath]:
    """Every key path inside parsed TOML data."""
    items: Any = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield (*path, key)
        yield from _paths(item, (*path, key))


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(portfolios())
def test_every_key_of_a_saved_file_is_found_where_it_is_written(portfolio: Portfolio) -> None:
    text = dumps(portfolio)
    found = key_positions(text)
    for path in _paths(tomli.loads(text)):
        assert path in found, path
        if isinstance(path[-1], str):
            rest = _rest_of_line(text, found[path])
            assert rest.startswith(("[", '"', path[-1])), (path, rest)
