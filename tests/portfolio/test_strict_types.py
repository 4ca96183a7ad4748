"""Types as docs/format.md states them: no coercion, finite bounded numbers, dates Python can use.

Each test here failed before the model was made strict: `true` loaded as 1,
`"yes"` as true, `"0.9"` as 0.9, a date given as a string was parsed, a date
out of Python's range crashed every command with OverflowError, and four
weights of 1.7e308 summed to infinity.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

import pytest

from core.models import Portfolio
from core.rules.priority import assess
from portfolio import LoadError, load, loads

PROJECT = '[[projects]]\nid = "churn"\ntitle = "Predict churn"\n'


def _errors(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        loads(text, "p.toml")
    return list(caught.value.errors)


def _one(text: str) -> str:
    errors = _errors(text)
    assert len(errors) == 1, errors
    return errors[0]


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-23:59",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:00:00Z",
        "1066-10-14T09:00:00Z",
    ],
)
def test_a_date_out_of_range_is_refused_at_its_line(value: str) -> None:
    line = _one(f"schema = 1\n{PROJECT}created_at = {value}\n")
    assert line.startswith("p.toml:5:1: "), line
    assert "between 1900-01-01 and 2999-12-31" in line
    assert line.endswith("(at projects[0].created_at)")


def test_year_zero_is_refused_with_a_position() -> None:
    line = _one(f"schema = 1\n{PROJECT}created_at = 0000-01-01T00:00:00Z\n")
    assert re.match(r"p\.toml:5:\d+: ", line), line


def test_a_date_out_of_range_is_refused_in_history_too(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        f"schema = 1\n{PROJECT}[[projects.history]]\nat = 9999-12-31T23:59:59-23:59\n"
        'from = "planning"\nto = "data"\nby = "a"\nkind = "forward"\n',
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.errors[0].startswith(f"{path}:6:1: ")


def test_dates_at_the_ends_of_the_range_load() -> None:
    dates = "created_at = 1900-01-01T00:00:00Z\nupdated_at = 2999-12-31T23:59:59Z\n"
    text = f"schema = 1\n{PROJECT}{dates}"
    project = loads(text).projects[0]
    assert project.created_at is not None
    assert project.created_at.year == 1900


# -- strict scalar types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "at", "words"),
    [
        ("[projects.impact]\nautomation = true\n", "projects[0].impact.automation", "whole number"),
        ("[projects.impact]\nautomation = 3.0\n", "projects[0].impact.automation", "whole number"),
        ('[projects.impact]\nautomation = "3"\n', "projects[0].impact.automation", "whole number"),
        ('[projects.checklist]\nethics = "yes"\n', "projects[0].checklist.ethics", "true or false"),
        ("[projects.checklist]\nethics = 1\n", "projects[0].checklist.ethics", "true or false"),
        ('created_at = "2026-01-01T00:00:00Z"\n', "projects[0].created_at", "date and time"),
        ("owner = 12\n", "projects[0].owner", "text in quotes"),
        (
            '[[projects.metrics]]\nname = "f1"\noptimise = true\nweight = "2"\n',
            "projects[0].metrics[0].weight",
            "must be a number",
        ),
        (
            '[[projects.metrics]]\nname = "f1"\noptimise = true\nweight = true\n',
            "projects[0].metrics[0].weight",
            "must be a number",
        ),
        (
            '[[projects.models]]\nname = "m"\nscores = { f1 = "0.9" }\n',
            "projects[0].models[0].scores.f1",
            "must be a number",
        ),
    ],
)
def test_loose_types_are_refused(body: str, at: str, words: str) -> None:
    line = _one(f"schema = 1\n{PROJECT}{body}")
    assert words in line, line
    assert line.endswith(f"(at {at})"), line
    assert re.match(r"p\.toml:\d+:\d+: ", line)


@pytest.mark.parametrize(
    ("body", "at"),
    [
        ('near_boundary = "0.5"\n', "settings.near_boundary"),
        ("stale_days = 30.0\n", "settings.stale_days"),
        ("stale_days = true\n", "settings.stale_days"),
        ("impact_threshold = true\n", "settings.impact_threshold"),
        ("name = 3\n", "settings.name"),
    ],
)
def test_loose_settings_are_refused(body: str, at: str) -> None:
    line = _one(f"schema = 1\n[settings]\n{body}")
    assert line.startswith("p.toml:3:1: "), line
    assert line.endswith(f"(at {at})"), line


def test_a_whole_number_is_still_a_number() -> None:
    text = f"schema = 1\n[settings]\nimpact_threshold = 3\n{PROJECT}"
    assert loads(text).settings.impact_threshold == 3.0


# -- lengths and names --------------------------------------------------------------------------


def test_titles_are_at_most_200_characters() -> None:
    line = _one(f'schema = 1\n[[projects]]\nid = "a"\ntitle = "{"x" * 201}"\n')
    assert "at most 200 characters" in line
    assert line.endswith("(at projects[0].title)")
    assert loads(f'schema = 1\n[[projects]]\nid = "a"\ntitle = "{"x" * 200}"\n')


@pytest.mark.parametrize("table", ["metrics", "baselines", "models"])
def test_names_are_at_most_80_characters(table: str) -> None:
    extra = {"metrics": "optimise = true\n", "baselines": 'kind = "published"\n', "models": ""}
    long = "n" * 81
    line = _one(f'schema = 1\n{PROJECT}[[projects.{table}]]\nname = "{long}"\n{extra[table]}')
    assert "at most 80 characters" in line
    assert line.endswith(f"(at projects[0].{table}[0].name)")


def test_score_keys_are_at_most_80_characters() -> None:
    model = f'[[projects.models]]\nname = "m"\nscores = {{ {"k" * 81} = 1.0 }}\n'
    line = _one(f"schema = 1\n{PROJECT}{model}")
    assert "at most 80 characters" in line


COMPOSED = unicodedata.normalize("NFC", "caf\u00e9")
DECOMPOSED = unicodedata.normalize("NFD", "caf\u00e9")


def test_names_are_nfc_normalised() -> None:
    text = f'schema = 1\n{PROJECT}[[projects.metrics]]\nname = "{DECOMPOSED}"\noptimise = true\n'
    metric = loads(text).projects[0].metrics[0]
    assert metric.name == COMPOSED


@pytest.mark.parametrize("table", ["metrics", "baselines", "models"])
def test_names_equal_after_normalisation_are_duplicates(table: str) -> None:
    extra = {"metrics": "", "baselines": 'kind = "published"\n', "models": ""}
    first = "optimise = true\n" if table == "metrics" else ""
    text = (
        f'schema = 1\n{PROJECT}[[projects.{table}]]\nname = "{COMPOSED}"\n{first}{extra[table]}'
        f'[[projects.{table}]]\nname = "{DECOMPOSED}"\n{extra[table]}'
    )
    line = _one(text)
    assert f"two {table} are named" in line, line


def test_score_keys_equal_after_normalisation_are_duplicates() -> None:
    text = (
        f'schema = 1\n{PROJECT}[[projects.models]]\nname = "m"\n'
        f'scores = {{ "{COMPOSED}" = 1.0, "{DECOMPOSED}" = 2.0 }}\n'
    )
    assert "named twice" in _one(text)


# -- numbers that cannot make infinity or NaN ---------------------------------------------------


def test_huge_weights_are_refused() -> None:
    weights = "".join(
        f"{k} = 1.7e308\n"
        for k in ("cheap_prediction", "product_friction", "automation", "industry_precedent")
    )
    errors = _errors(f"schema = 1\n[settings.impact_weights]\n{weights}{PROJECT}")
    assert len(errors) == 4, errors
    assert all("at most 1000" in e for e in errors), errors


def test_the_largest_weights_allowed_give_finite_scores() -> None:
    weights = "".join(
        f"{k} = 1000.0\n"
        for k in ("cheap_prediction", "product_friction", "automation", "industry_precedent")
    )
    portfolio = loads(f"schema = 1\n[settings.impact_weights]\n{weights}{PROJECT}")
    assessment = assess(portfolio.projects[0], portfolio.settings)
    assert math.isfinite(assessment.impact)
    assert assessment.impact == 3.0


@pytest.mark.parametrize("value", ["1e16", "-1e16", "1.7e308", "inf", "nan"])
def test_scores_are_finite_and_bounded(value: str) -> None:
    text = f'schema = 1\n{PROJECT}[[projects.models]]\nname = "m"\nscores = {{ f1 = {value} }}\n'
    line = _one(text)
    assert line.endswith("(at projects[0].models[0].scores.f1)"), line


@pytest.mark.parametrize("key", ["threshold", "threshold_margin"])
def test_thresholds_are_bounded(key: str) -> None:
    metrics = (
        '[[projects.metrics]]\nname = "m"\noptimise = true\n[[projects.metrics]]\nname = "n"\n'
    )
    text = f"schema = 1\n{PROJECT}{metrics}{key} = 1e300\n"
    assert _one(text).endswith(f"(at projects[0].metrics[1].{key})")


def test_existing_files_keep_loading() -> None:
    root = Path(__file__).resolve().parents[2]
    files = [
        *sorted((root / "examples").rglob("*.toml")),
        root / "portfolio" / "example.toml",
        *sorted((root / "tests").rglob("*.toml")),
    ]
    assert len(files) >= 2
    for path in files:
        if "corpora" in path.parts or "invalid" in path.parts or path.name.startswith("bad"):
            continue
        assert isinstance(load(path), Portfolio), path
