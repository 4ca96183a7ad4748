"""The JSON Schema of the portfolio file, for editors and CI checks outside mlfolio.

Derived from the model, so it cannot drift from what `load` accepts. TOML
dates and times appear as RFC 3339 strings (`format: date-time`), the way
TOML-aware editors map them onto JSON Schema.
"""

from __future__ import annotations

from typing import Any

from core.models import Portfolio

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that a portfolio file's data satisfies.

    `schema` is required, as `load` requires it, though the model defaults it.
    """
    derived = Portfolio.model_json_schema(by_alias=True, mode="validation")
    derived.pop("title", None)
    derived.pop("description", None)
    return {
        "$schema": DIALECT,
        "title": "mlfolio portfolio",
        "description": "A portfolio of candidate machine-learning projects, as kept by mlfolio.",
        **derived,
        "required": sorted({"schema", *derived.get("required", [])}),
    }
