"""The team's ratings of a project as export data: who rated, and the spread per lens and driver.

Shared by the JSON export, `mlfolio rank --format json` and the CSV export,
so that every output names the same figures (`core.rules.ratings`). The
ratings themselves (each person's scores, superseded ones too) are in the
file, and so in the JSON export's `portfolio` member.
"""

from __future__ import annotations

from typing import Any

from core.models import Project
from core.rules.ratings import LABELS, raters, spreads

RATINGS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "the current ratings: who rated, and the spread per rated lens or driver",
    "properties": {
        "raters": {"type": "array", "items": {"type": "string"}, "description": "in file order"},
        "spread": {
            "type": "array",
            "description": "rated lenses first, in the lecture's order, then cost drivers",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "count": {"type": "integer", "minimum": 1},
                    "low": {"type": "integer", "minimum": 1, "maximum": 5},
                    "median": {"type": "number", "minimum": 1, "maximum": 5},
                    "high": {"type": "integer", "minimum": 1, "maximum": 5},
                    "disagrees": {"type": "boolean", "description": "high - low >= 2"},
                    "scores": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"by": {"type": "string"}, "score": {"type": "integer"}},
                            "required": ["by", "score"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["key", "count", "low", "median", "high", "disagrees", "scores"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["raters", "spread"],
    "additionalProperties": False,
}
"""The JSON Schema of `ratings_data`."""


def ratings_data(project: Project) -> dict[str, Any]:
    """The project's current raters and the spread of each rated lens and driver."""
    return {
        "raters": list(raters(project)),
        "spread": [
            {
                "key": s.key,
                "count": s.count,
                "low": s.low,
                "median": s.median,
                "high": s.high,
                "disagrees": s.disagrees,
                "scores": [{"by": person, "score": score} for person, score in s.raters],
            }
            for s in spreads(project)
        ],
    }


def spread_cell(project: Project) -> str:
    """The spreads in one cell, e.g. "automation 2-5 median 3.5 (3 raters); ..."."""
    return "; ".join(
        f"{LABELS[s.key]} {s.low}-{s.high} median {s.median:g} ({s.count})"
        for s in spreads(project)
    )
