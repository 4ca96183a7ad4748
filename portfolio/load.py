"""Reading a portfolio file: bytes -> TOML -> migrated data -> a validated `Portfolio`.

The happy path is rtoml and pydantic (each project validated as it comes, see
`_validate_projects`), nothing else, so a large file loads fast: rtoml (Rust)
parses faster than the compiled tomli (docs/benchmarks.md). tomli stays the
parser of record: any text rtoml refuses, or might read differently, is parsed
again by tomli, whose result or error (with its line and column) is the one
used. Only when something is wrong does this module do more: it finds the line
and column of each problem (see `positions`) and words it for a person, so
that every failure is a `LoadError` of one-line messages and never a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import rtoml
import tomli
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from core.models import FROM_FILE, SLUG_RE, Portfolio, Project
from portfolio.errors import LoadError, Problem
from portfolio.gc_pause import paused_gc
from portfolio.migrate import migrate, version_problem
from portfolio.positions import KeyPath, key_positions, locate
from portfolio.reading import read_portfolio_bytes

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_DICT_KEY = "[key]"  # pydantic's marker for "the key itself" in a dict's error location


def load(path: str | os.PathLike[str]) -> Portfolio:
    """Read and validate the portfolio file at `path`; raise `LoadError` if it cannot be used."""
    source = os.fspath(path)
    try:
        data = read_portfolio_bytes(source)
    except OSError as error:
        raise _fail(source, 1, 1, f"cannot read: {error.strerror or error}") from None
    return loads(data, source)


def loads(text: str | bytes, source: str = "<string>") -> Portfolio:
    """Validate portfolio TOML given as text (or UTF-8 bytes); `source` names it in messages.

    Given bytes, the decoded text is dropped once parsed, before validation (the
    peak of a load): validation errors decode the bytes again to place themselves.
    """
    with paused_gc():
        if isinstance(text, bytes):
            data = text
            return _validate(
                _parse(_text(data, source), source), lambda: _text(data, source), source
            )
        given = text.removeprefix("\ufeff")
        return _validate(_parse(given, source), lambda: given, source)


def _text(data: bytes, source: str) -> str:
    return _decode(data, source).removeprefix("\ufeff")


def _parse(text: str, source: str) -> dict[str, Any]:
    """The TOML (as tomli reads it) and the schema version; every failure a LoadError."""
    data = _parse_rtoml(text)
    if data is None:
        data = _parse_tomli(text, source)
    problem = version_problem(data)
    if problem is not None:
        line, column = locate(_positions(text), ("schema",)) if "schema" in data else (1, 1)
        raise _fail(source, line, column, problem, "schema" if "schema" in data else "")
    return data


def _parse_rtoml(text: str) -> dict[str, Any] | None:
    """`text` parsed by rtoml into what tomli would give, or None where tomli must decide.

    rtoml skips a leading BOM and keeps CRLF inside multi-line strings, where
    tomli refuses the one and reads the other as LF; CRLF is turned into LF
    beforehand (one more copy of the text, as tomli makes too), and a BOM or any
    remaining CR (never valid TOML) goes to tomli.
    """
    if text.startswith("\ufeff"):
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    data = _parse_by_project(text)
    if data is not None:
        _use_standard_zones(data)
    return data


_PROJECT_HEADER = re.compile(r"^\[\[projects\]\]", re.MULTILINE)
"""A `[[projects]]` header at the start of a line: where the text is cut for rtoml."""


def _parse_by_project(text: str) -> dict[str, Any] | None:
    """rtoml's reading of `text`, one project's stretch at a time; None if any stretch fails.

    rtoml turns a whole document into its own tree before building Python
    objects, which raised peak memory by a third (docs/benchmarks.md); a
    project at a time keeps that to one project's tree. Cutting at each header
    line gives the same document as long as the head holds no `projects` and
    every stretch holds nothing else, which is checked; a cut inside a
    multi-line string or array leaves a stretch unterminated, which rtoml refuses.
    """
    cuts = [match.start() for match in _PROJECT_HEADER.finditer(text)]
    try:
        head = rtoml.loads(text[: cuts[0]] if cuts else text)
        if not cuts:
            return head
        if "projects" in head:
            return None
        projects: list[Any] = []
        for start, end in zip(cuts, [*cuts[1:], len(text)], strict=True):
            stretch = rtoml.loads(text[start:end])
            if stretch.keys() != {"projects"}:
                return None
            projects += stretch["projects"]
    except BaseException as error:  # any refusal (syntax, overflow, nesting) is tomli's to word
        if isinstance(error, Exception) or type(error).__name__ == "PanicException":
            return None  # a panic in rtoml's Rust code arrives as pyo3's PanicException
        raise
    head["projects"] = projects
    return head


def _use_standard_zones(container: dict[str, Any] | list[Any]) -> None:
    """Give every offset datetime in a table or array a `datetime.timezone`, as tomli does.

    rtoml's own tzinfo compares unequal to tomli's and cannot be pickled.
    """
    keys: Any = container.keys() if isinstance(container, dict) else range(len(container))
    for key in keys:
        value = container[key]
        kind = type(value)
        if kind is dict or kind is list:
            _use_standard_zones(value)
        elif kind is datetime and value.tzinfo is not None:
            container[key] = value.replace(tzinfo=timezone(value.utcoffset()))


def _parse_tomli(text: str, source: str) -> dict[str, Any]:
    """tomli's reading of `text`; a syntax error or deep nesting a LoadError."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        message = f"not valid TOML: {error.msg[:1].lower()}{error.msg[1:]}"
        raise _fail(source, error.lineno, error.colno, _one_line(message)) from None
    except RecursionError:
        raise _fail(source, 1, 1, "values are nested too deeply") from None


def _validate(data: dict[str, Any], text: Callable[[], str], source: str) -> Portfolio:
    """Migrations, then pydantic; `text` gives the file's text again for the error path."""
    data = migrate(data)
    _validate_projects(data)
    try:
        return Portfolio.model_validate(data, context=FROM_FILE)
    except ValidationError as error:
        raise LoadError(_explain(error, text(), source)) from None


def _validate_projects(data: dict[str, Any]) -> None:
    """Validate the projects one by one, each model replacing its table in `data`.

    Each table is released as soon as its project exists, so the parsed tables
    and the models never all exist at once (that was the peak memory of a load).
    This stops at the first project that is not valid, leaving it and the rest
    as tables: `Portfolio.model_validate` then reports every error of the file,
    placed as before. Projects already validated pass through it unchanged, and
    are not validated twice (pydantic does not revalidate model instances).
    """
    projects = data.get("projects")
    if not isinstance(projects, list):
        return
    for index, table in enumerate(projects):
        if not isinstance(table, dict):
            return
        try:
            projects[index] = Project.model_validate(table, context=FROM_FILE)
        except ValidationError:
            return


def _fail(source: str, line: int, column: int, message: str, where: str = "") -> LoadError:
    """A LoadError holding a single problem."""
    return LoadError([Problem(source, line, column, message, where)])


def _decode(data: bytes, source: str) -> str:
    """Decode UTF-8, or fail at the line and column of the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8")) + 1
        byte = data[error.start]
        message = f"not UTF-8 text: {error.reason} (byte 0x{byte:02X})"
        raise _fail(source, line, column, message) from None


def _positions(text: str) -> dict[KeyPath, tuple[int, int]]:
    """Key positions in `text`; empty (every problem at 1:1) should the scanner ever trip."""
    try:
        return key_positions(text)
    except (IndexError, ValueError, RecursionError):
        return {}


# -- validation errors in plain words ---------------------------------------


def _explain(error: ValidationError, text: str, source: str) -> list[Problem]:
    """One problem per pydantic error, placed at its key in the file, in file order."""
    positions = _positions(text)
    problems = []
    for detail in error.errors(include_url=False):
        path = _pinpoint(detail)
        line, column = locate(positions, path)
        problems.append(Problem(source, line, column, _one_line(_words(detail)), _render(path)))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def _pinpoint(detail: ErrorDetails) -> KeyPath:
    """The error's location as a key path, narrowed to the second of two same-named entries.

    A "two projects have the id 'x'" error is reported on the whole array; the
    useful place to point at is the repeated `id` (or `name`) itself.
    """
    path: KeyPath = tuple(part for part in detail["loc"] if part != _DICT_KEY)
    entries = detail["input"]
    if detail["type"] != "value_error" or not isinstance(entries, list):
        return path
    for key in ("id", "name"):
        seen: set[object] = set()
        for index, entry in enumerate(entries):
            value = entry.get(key) if isinstance(entry, dict) else getattr(entry, key, None)
            if isinstance(value, str) and value in seen and repr(value) in detail["msg"]:
                return (*path, index, key)
            seen.add(value)
    return path


def _render(path: KeyPath) -> str:
    """A key path as written in TOML terms: `projects[3].feasibility."odd key"`."""
    rendered = ""
    for part in path:
        if isinstance(part, int):
            rendered += f"[{part}]"
        else:
            key = part if _BARE_KEY.fullmatch(part) else _quote(part)
            rendered += f".{key}" if rendered else key
    return rendered


def _quote(text: str) -> str:
    """A TOML basic string for `text`, with every non-printable character escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{_one_line(body)}"'


def _one_line(text: str) -> str:
    """`text` with line breaks and other non-printable characters shown as escapes."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04X}" for c in text)


def _words(detail: ErrorDetails) -> str:
    """Say what is wrong in plain words, rewording pydantic's terser messages."""
    kind, ctx, value = detail["type"], detail.get("ctx", {}), detail["input"]
    loc = detail["loc"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing key `{name}`"
    if kind == "extra_forbidden":
        return f"unknown key `{name}`"
    if kind == "string_pattern_mismatch":
        return _pattern_words(str(value), str(ctx.get("pattern", "")))
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx['expected']} (got {_show(value)})"
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return f"must be {word} {ctx[key]} (got {_show(value)})"
    if kind == "string_too_long":
        return f"is too long: at most {ctx['max_length']} characters (has {len(str(value))})"
    plain = _PLAIN.get(kind)
    if plain is None:
        plain = detail["msg"].replace("Input should be", "must be").replace("String should", "must")
        plain = plain[0].lower() + plain[1:] if plain else kind
    shown = _show(value)
    return f"{plain} (got {shown})" if shown else plain


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("more than", "gt"),
    "less_than": ("less than", "lt"),
}
_WHEN = "2026-01-31T09:00:00Z"
_PLAIN = {
    "string_type": "must be text in quotes",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "datetime_type": f"must be a date and time with a UTC offset, e.g. {_WHEN}",
    "datetime_parsing": f"must be a date and time with a UTC offset, e.g. {_WHEN}",
    "datetime_from_date_parsing": f"must be a date and time with a UTC offset, e.g. {_WHEN}",
    "tuple_type": "must be an array",
    "list_type": "must be an array",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
}


def _pattern_words(value: str, pattern: str) -> str:
    """Explain a pattern mismatch: a bad slug, or the first character text may not hold."""
    if pattern == SLUG_RE.pattern:
        return f"must be a slug: lower-case letters, digits, '-' or '_' (got {_show(value)})"
    compiled = re.compile(pattern)
    bad = next((c for c in value if not compiled.fullmatch(c)), None)
    if bad is None:
        return f"does not have the expected form (got {_show(value)})"
    if bad in "\r\n":
        return f"contains a line break (U+{ord(bad):04X}); this text must be a single line"
    return f"contains a control character (U+{ord(bad):04X}); text may not hold control characters"


def _show(value: Any) -> str:
    """A short rendering of a scalar input for "(got ...)", empty for tables and arrays."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return str(value)
