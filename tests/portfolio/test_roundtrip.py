"""Saving and loading are inverses, and saving is canonical: same portfolio, same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import portfolios

from core.models import Portfolio
from portfolio import dumps, load, loads, save

EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@EXAMPLES
@given(portfolios())
def test_text_round_trip_is_exact_and_canonical(portfolio: Portfolio) -> None:
    text = dumps(portfolio)
    loaded = loads(text)
    assert loaded == portfolio
    assert dumps(loaded) == text


@pytest.mark.slow
@EXAMPLES
@given(portfolios())
def test_saved_file_loads_equal_and_resaves_byte_identical(
    tmp_path: Path, portfolio: Portfolio
) -> None:
    path = tmp_path / "portfolio.toml"
    save(portfolio, path)
    first = path.read_bytes()
    loaded = load(path)
    assert loaded == portfolio
    save(loaded, path)
    assert path.read_bytes() == first


def test_empty_portfolio_is_schema_and_settings_only() -> None:
    text = dumps(Portfolio())
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert body == ["schema = 1", "[settings]", 'name = "ML portfolio"']
    assert loads(text) == Portfolio()


def test_equal_portfolios_with_differently_ordered_tables_give_the_same_bytes() -> None:
    first = loads(
        'schema = 1\n[[projects]]\nid = "a"\ntitle = "A"\narchetype_notes = {x = "1", y = "2"}\n'
    )
    second = loads(
        'schema = 1\n[[projects]]\nid = "a"\ntitle = "A"\narchetype_notes = {y = "2", x = "1"}\n'
    )
    assert first == second
    assert dumps(first) == dumps(second)


def test_defaults_are_left_out_but_identity_stage_and_scores_stay() -> None:
    # A project without scores is unscored: no table is invented for it.
    unscored = dumps(loads('schema = 1\n[[projects]]\nid = "a"\ntitle = "A"\n'))
    assert "impact" not in unscored
    assert "feasibility" not in unscored
    assert loads(unscored).projects[0].unscored_axes == ("impact", "feasibility")
    text = dumps(
        loads(
            'schema = 1\n[[projects]]\nid = "a"\ntitle = "A"\n'
            "[projects.impact]\n[projects.feasibility]\n"
        )
    )
    for key in ("id", "title", "owner", "archetype", "stage"):
        assert f"\n{key} = " in text
    assert "[projects.impact]\ncheap_prediction = 3\n" in text
    assert "[projects.feasibility]\ndata_availability = 3\nproblem_difficulty = 3\n" in text
    for omitted in ("tags", "notes", "checklist", "flywheel", "metrics", "history", "created_at"):
        assert omitted not in text
