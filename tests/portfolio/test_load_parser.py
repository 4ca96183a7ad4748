"""The loader parses with rtoml yet reads every document exactly as tomli does, errors included."""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
import rtoml
import tomli
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import portfolios

from core.models import Portfolio
from portfolio import dumps, loads
from portfolio.errors import LoadError
from portfolio.load import _parse, _parse_rtoml

EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _same(ours: Any, theirs: Any) -> bool:
    """Equal down to types, key order, the sign of zero and NaN, and each tzinfo's class."""
    if type(ours) is not type(theirs):
        return False
    if isinstance(ours, dict):
        return list(ours) == list(theirs) and all(_same(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list):
        return len(ours) == len(theirs) and all(map(_same, ours, theirs))
    if isinstance(ours, float):
        if math.isnan(ours) or math.isnan(theirs):
            return math.isnan(ours) and math.isnan(theirs)
        return ours == theirs and math.copysign(1, ours) == math.copysign(1, theirs)
    if isinstance(ours, datetime | time):
        return (
            ours == theirs
            and type(ours.tzinfo) is type(theirs.tzinfo)
            and ours.utcoffset() == theirs.utcoffset()
        )
    return bool(ours == theirs)


def _as_tomli_reads(text: str) -> None:
    """`_parse` gives what tomli gives for `text`, in LF and in CRLF line endings."""
    for variant in (text, text.replace("\n", "\r\n")):
        expected = tomli.loads(variant)
        assert _same(_parse(variant, "<test>"), expected), variant


def _tomli_error(text: str) -> str:
    """The loader's one-line message for tomli's error on `text`."""
    with pytest.raises(tomli.TOMLDecodeError) as caught:
        tomli.loads(text)
    error = caught.value
    message = f"not valid TOML: {error.msg[0].lower()}{error.msg[1:]}"
    return f"<string>:{error.lineno}:{error.colno}: {message}"


# -- whole portfolios ---------------------------------------------------------


@pytest.mark.slow
@EXAMPLES
@given(portfolios())
def test_rtoml_and_tomli_read_saved_portfolios_alike(portfolio: Portfolio) -> None:
    text = dumps(portfolio)
    assert rtoml.loads(text) == tomli.loads(text)
    _as_tomli_reads(text)


_CHARACTERS = st.characters(codec="utf-8")  # every character but the surrogates
_ZONES = st.integers(-1439, 1439).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_KEYS = st.text(_CHARACTERS, max_size=8)
_SCALARS = (
    st.booleans()
    | st.integers()
    | st.floats()
    | st.text(_CHARACTERS, max_size=20)
    | st.datetimes(timezones=st.none() | _ZONES)
    | st.dates()
    | st.times()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.slow
@EXAMPLES
@given(
    st.dictionaries(_KEYS.filter(lambda key: key != "schema"), _VALUES, max_size=6), st.booleans()
)
def test_any_document_reads_as_tomli_reads_it(data: dict[str, Any], multiline: bool) -> None:
    _as_tomli_reads("schema = 1\n" + tomli_w.dumps(data, multiline_strings=multiline))


# -- each kind of value -------------------------------------------------------

VALUES = {
    "offset datetimes": """
        z = 1979-05-27T07:32:00Z
        lower = 1979-05-27t07:32:00z
        space = 1979-05-27 07:32:00Z
        west = 1979-05-27T00:32:00-07:00
        east = 1979-05-27T00:32:00.123456789+05:30
        minus-zero = 1979-05-27T07:32:00-00:00
        plus-zero = 1979-05-27T07:32:00+00:00
        widest = 1979-05-27T07:32:00-23:59
        fraction = 1979-05-27T00:32:00.9999999-07:00
        no-seconds = 1979-05-27T07:32Z
        first = 0001-01-01T00:00:00Z
        last = 9999-12-31T23:59:59.999999+14:00
        listed = [2026-01-31T09:00:00Z, {at = 2026-01-31T09:00:00+01:00}]
        """,
    "local datetimes": """
        plain = 1979-05-27T07:32:00
        space = 1979-05-27 07:32:00.5
        fraction = 1979-05-27T00:32:00.9999999
        no-seconds = 1979-05-27T07:32
        """,
    "dates": "plain = 1979-05-27\nleap = 2000-02-29\nfirst = 0001-01-01\n",
    "times": "plain = 07:32:00\nfraction = 00:32:00.9999999\nlong = 23:59:59.1234567891\n",
    "floats": """
        inf = inf
        plus-inf = +inf
        minus-inf = -inf
        nan = nan
        minus-nan = -nan
        minus-zero = -0.0
        minus-zero-exponent = -0e0
        plus-zero = +0.0
        exponent = 6.626e-34
        upper-exponent = 1E+2
        underscores = 1_000.000_1e1_0
        largest = 1.7976931348623157e308
        overflow = 1e309
        minus-overflow = -1e309
        smallest = 5e-324
        underflow = 1e-400
        halfway = 2.4703282292062328e-324
        round-half-even = 1.00000000000000011102230246251565404236316680908203125
        digits = 123456789012345678901234567890.0
        tenth = 0.1
        """,
    "integers": """
        largest = 9223372036854775807
        smallest = -9223372036854775808
        past-64-bits = 9223372036854775808
        below-64-bits = -9223372036854775809
        hex-64-bits = 0xFFFFFFFFFFFFFFFF
        huge = 123456789012345678901234567890
        octal = 0o777
        binary = 0b1010
        underscores = 1_000_000
        signed = +99
        minus-zero = -0
        """,
    "strings": "\n".join(
        [
            r'escapes = "tab\there \"q\" back\\slash \b\f\n\r \u00e9 \U0001F600"',
            r'escape-e = "\e"',
            r'hex-escape = "\x41\xff"',
            r'nul = "\u0000"',
            r"literal = 'no \n escape'",
            'multi = """',
            "first line",
            'second line"""',
            'continued = """one \\',
            "     two \\",
            '  """',
            "raw-multi = '''",
            r"raw \n",
            "'''",
            'five-quotes = """five quotes"""""',
            'empty = ""',
        ]
    ),
    "keys": """
        "dotted.key" = 1
        'quoted key' = 2
        a.b.c = 3
        a."b.d".e = 4
        "".z = 5
        '' . y = 6
        "\\u00e9" = 7
        "tab\\tkey" = 8
        spaced . key = 9
        1234 = 10
        3.14159 = 11
        -_- = 12
        true = 13
        """,
    "table order": """
        [z]
        y = 1
        [a]
        x = 1
        [z.inner]
        k = 1
        [a.b.c]
        [[arr]]
        x = 1
        [[arr.sub]]
        y = 2
        [[arr]]
        x = 2
        [q]
        m.n = 1
        m.o = 2
        p = {w = 1, v = {u = 2}}
        mixed = [1, 2.0, "x", [1, [2]], {a = 1}]
        """,
    "TOML 1.1": """
        no-seconds = 07:32
        inline = {
            a = 1,
            b = 2,
        }
        """,
}


@pytest.mark.parametrize("body", VALUES.values(), ids=list(VALUES))
def test_each_kind_of_value_reads_as_tomli_reads_it(body: str) -> None:
    lines = [line.removeprefix("        ") for line in body.splitlines()]
    _as_tomli_reads("schema = 1\n" + "\n".join(lines) + "\n")


def test_offset_datetimes_carry_standard_zones_that_pickle() -> None:
    data = _parse("schema = 1\nat = 2026-01-31T09:00:00+05:30\nz = 2026-01-31T09:00:00Z\n", "")
    assert data["at"].tzinfo == timezone(timedelta(hours=5, minutes=30))
    assert data["z"].tzinfo is UTC
    assert pickle.loads(pickle.dumps(data)) == data


def test_local_values_stay_naive() -> None:
    data = _parse("schema = 1\nd = 2026-01-31T09:00:00\nday = 2026-01-31\nt = 09:00:00\n", "")
    assert data == {
        "schema": 1,
        "d": datetime(2026, 1, 31, 9),
        "day": date(2026, 1, 31),
        "t": time(9),
    }
    assert data["d"].tzinfo is None


# -- what rtoml would accept and tomli refuses --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff\ufeffschema = 1\n",  # the loader skips one BOM, rtoml would skip the other
        'schema = 1\na = """x\r\r\ny"""\n',  # a bare CR that CRLF-to-LF would hide
        "schema = 1\r\na = 1\r",
        "schema = 1\na = 1 # comment\rb = 2\n",
    ],
    ids=["second BOM", "CR before CRLF", "trailing CR", "CR in a comment"],
)
def test_what_tomli_refuses_is_refused_with_its_message(text: str) -> None:
    with pytest.raises(LoadError) as caught:
        loads(text)
    assert caught.value.errors == (_tomli_error(text.removeprefix("\ufeff")),)


def test_one_byte_order_mark_is_skipped() -> None:
    assert loads("\ufeffschema = 1\n") == loads("schema = 1\n")


# -- errors ---------------------------------------------------------------------

INVALID = [
    'schema = 1\n\n[[projects]]\nid = "churn"\ntitle = \n',
    "schema = 1\n[settings]\nname = 'x'\n[settings]\n",
    'schema = 1\nkey = "unterminated\n',
    "schema = 1\nn = 1__000\n",
    "schema = 1\nt = 1979-05-27T07:32:60Z\n",
    "schema = 1\r\nbad = [1,,2]\r\n",
    "schema = 1\na = {b = 1}\na.c = 2\n",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_toml_gives_tomlis_line_column_and_message(text: str) -> None:
    with pytest.raises(LoadError) as caught:
        loads(text)
    assert caught.value.errors == (_tomli_error(text),)


NESTINGS: dict[str, Callable[[int], str]] = {
    "arrays": lambda n: "a = " + "[" * n + "]" * n,
    "inline tables": lambda n: "a = " + "{b = " * n + "1" + "}" * n,
    "mixed": lambda n: "a = " + "[{b = " * n + "1" + "}]" * n,
    "unclosed": lambda n: "a = " + "[" * n,
    "table header": lambda n: "[" + ".".join(["a"] * n) + "]",
    "dotted key": lambda n: ".".join(["a"] * n) + " = 1",
}


@pytest.mark.parametrize("nest", NESTINGS.values(), ids=list(NESTINGS))
def test_deep_nesting_is_one_line_never_a_crash(nest: Callable[[int], str]) -> None:
    with pytest.raises(LoadError) as caught:
        loads("schema = 1\n" + nest(100_000) + "\n")
    (line,) = caught.value.errors
    assert line == "<string>:1:1: values are nested too deeply" or ": not valid TOML: " in line


@pytest.mark.parametrize("nest", NESTINGS.values(), ids=list(NESTINGS))
def test_nesting_past_rtoml_limit_reads_as_tomli_reads_it(nest: Callable[[int], str]) -> None:
    text = "schema = 1\n" + nest(100) + "\n"
    try:
        expected = tomli.loads(text)
    except tomli.TOMLDecodeError:
        with pytest.raises(LoadError):
            _parse(text, "<string>")
    else:
        assert _same(_parse(text, "<string>"), expected)


# -- read a project at a time ---------------------------------------------------

PROJECT_A = '[[projects]]\nid = "a"\ntitle = "A"\n[projects.feasibility]\ndata_availability = 3\n'
PROJECT_B = '[[projects]]\nid = "b"\ntitle = "B"\n[[projects.metrics]]\nname = "f1"\n'

CUTS = {
    "head and two projects": f'schema = 1\n[settings]\nname = "x"\n\n{PROJECT_A}{PROJECT_B}',
    "no projects": 'schema = 1\n[settings]\nname = "x"\n',
    "header text inside a multi-line string": (
        f'schema = 1\n{PROJECT_A}notes = """\n[[projects]]\nid = "fake"\n"""\n{PROJECT_B}'
    ),
    "header text inside a literal string": (
        f"schema = 1\n{PROJECT_A}notes = '''\n[[projects]]\n'''\n"
    ),
    "settings after the projects": f'schema = 1\n{PROJECT_A}[settings]\nname = "late"\n',
    "indented and spaced headers": (
        'schema = 1\n  [[projects]]\nid = "a"\n[[ projects ]]\nid = "b"\n'
    ),
    "a comment after a header": f'schema = 1\n[[projects]] # first\nid = "a"\n{PROJECT_B}',
}

CUTS_REFUSED = {
    "settings twice, across projects": (
        f'schema = 1\n[settings]\nname = "x"\n{PROJECT_A}[settings]\nname = "y"\n'
    ),
    "an inline projects array and headers": f"schema = 1\nprojects = []\n{PROJECT_A}",
    "a projects table and headers": f"schema = 1\n[projects]\nx = 1\n{PROJECT_A}",
    "a header followed by junk": "schema = 1\n[[projects]]x\nid = 'a'\n",
    "a header inside an unclosed array": "schema = 1\na = [\n[[projects]]\n]\n",
}


@pytest.mark.parametrize("text", CUTS.values(), ids=list(CUTS))
def test_cutting_at_project_headers_reads_as_tomli_reads_it(text: str) -> None:
    _as_tomli_reads(text)


@pytest.mark.parametrize("text", CUTS_REFUSED.values(), ids=list(CUTS_REFUSED))
def test_cutting_at_project_headers_refuses_what_tomli_refuses(text: str) -> None:
    with pytest.raises(LoadError) as caught:
        loads(text)
    assert caught.value.errors == (_tomli_error(text),)


def test_a_file_of_projects_alone_is_cut_too() -> None:
    text = PROJECT_A + PROJECT_B  # nothing before the first header: an empty head
    ours = _parse_rtoml(text)
    assert ours is not None
    assert _same(ours, tomli.loads(text))


def test_each_project_is_read_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = rtoml.loads

    def spying(text: str) -> dict[str, Any]:
        read.append(text)
        return real(text)

    monkeypatch.setattr(rtoml, "loads", spying)
    _parse(CUTS["head and two projects"], "<test>")
    assert [text.count("[[projects]]") for text in read] == [0, 1, 1]
