"""The published JSON Schema accepts what mlfolio writes and refuses what it would refuse."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev set
import pytest
import tomli
from hypothesis import given, settings
from strategies import portfolios

from core.models import Portfolio
from portfolio import dumps, json_schema


def _as_json(value: Any) -> Any:
    """Parsed TOML as JSON sees it: date-times become RFC 3339 strings."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


VALIDATOR = jsonschema.Draft202012Validator(
    json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "mlfolio portfolio"
    assert "$id" not in schema
    assert schema["required"] == ["schema"]


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(portfolios())
def test_saved_files_satisfy_the_schema(portfolio: Portfolio) -> None:
    VALIDATOR.validate(_as_json(tomli.loads(dumps(portfolio))))


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"schema": 2},
        {"schema": 1, "colour": "red"},
        {"schema": 1, "projects": [{"id": "Not A Slug", "title": "t"}]},
        {"schema": 1, "projects": [{"id": "a", "title": "t", "impact": {"automation": 6}}]},
        {"schema": 1, "projects": [{"id": "a", "title": "\u001b[2J"}]},
        {"schema": 1, "projects": [{"id": "a"}]},
        {"schema": 1, "projects": [{"id": "a", "title": "t", "stage": "done"}]},
    ],
)
def test_bad_data_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(bad)
