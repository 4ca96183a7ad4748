"""The JSON Schema (draft 2020-12) of the JSON export, kept beside the code that writes it.

The `portfolio` member reuses the schema of the file itself (`portfolio.json_schema`),
so the two cannot drift apart; the computed figures are described here, member
by member, and the tests validate real exports against this schema.
`mlfolio export --json-schema` prints it.
"""

from __future__ import annotations

from typing import Any

from core.vocabulary import BackReason
from portfolio.exports.json_report import REPORT_FORMAT, REPORT_JSON_VERSION
from portfolio.exports.ratings import RATINGS_SCHEMA
from portfolio.schema import DIALECT, json_schema

__all__ = ["export_json_schema"]


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A closed object whose every property is required."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _text(description: str = "") -> dict[str, Any]:
    return {"type": "string", "description": description} if description else {"type": "string"}


def _number(description: str = "") -> dict[str, Any]:
    return {"type": "number", "description": description} if description else {"type": "number"}


def _maybe(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _array(items: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": items}
    if description:
        schema["description"] = description
    return schema


_STAGE = {
    "enum": ["planning", "data", "training", "deployment", "parked", "killed", "shipped"],
}
_QUADRANT = {"enum": ["quick_wins", "big_bets", "fill_ins", "avoid"]}
_DIRECTION = {"enum": ["maximize", "minimize"]}
_PAIR = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}


def _figures() -> dict[str, Any]:
    check = _object(
        {
            "metric": _text(),
            "value": _maybe(_number("the model's validation score; null when missing")),
            "bar": _maybe(_number("the bar; null when it cannot be worked out")),
            "passed": {"type": "boolean"},
            "phrase": _text("e.g. 'passes p99_latency_ms ≤ 50 ms (12 ms)'"),
        }
    )
    model = _object(
        {
            "model": _text(),
            "passes": {"type": "boolean", "description": "passes every threshold"},
            "objective": _maybe(_number("optimised metric's score, or the weighted score")),
            "is_winner": {"type": "boolean"},
            "why_not": _text("why it is not the winner; empty for the winner"),
            "phrase": _text("the verdict on one line"),
            "checks": _array(check, "one per threshold, in the order of `thresholds`"),
        }
    )
    threshold = _object(
        {
            "metric": _text(),
            "direction": _DIRECTION,
            "bar": _maybe(_number()),
            "source": _text("'absolute', or the baseline's name"),
            "baseline": _maybe(_text("the baseline the bar comes from")),
            "margin": _number(),
            "problem": _maybe(_text("why the bar cannot be worked out")),
            "phrase": _text("e.g. 'fraud_recall ≥ 0.46 (beat Rules engine by 0.05)'"),
        }
    )
    evaluation = _object(
        {
            "strategy": {"enum": ["thresholds", "weighted"]},
            "optimising": _maybe(_text()),
            "objective_label": _text(),
            "winner": _maybe(_text()),
            "winner_phrase": _text("'winner: X because ...', or why there is none"),
            "note": _text(),
            "thresholds": _array(threshold),
            "models": _array(model, "one per candidate model, in file order"),
        }
    )
    rung = _object(
        {
            "baseline": _text(),
            "kind": _text(),
            "value": _number(),
            "is_tightest": {"type": "boolean"},
            "ignored": _text("why a degenerate baseline is no bar; empty for a usable one"),
        }
    )
    baselines = _object(
        {
            "metric": _text(),
            "direction": _DIRECTION,
            "role": {"enum": ["diagnosed", "satisficing", "other"]},
            "tightest": _maybe(_text()),
            "best_model": _maybe(_text("the diagnosed model; null except on the diagnosed metric")),
            "best_model_value": _maybe(_number()),
            "gap": _maybe(_number("diagnosed model minus tightest baseline; > 0 beats it")),
            "hint": _maybe(_text("the diagnosis hint, e.g. 'overfitting: ...'")),
            "phrase": _text(),
            "ladder": _array(rung, "the baselines scoring the metric, worst to best"),
        }
    )
    diagnosis = _maybe(DIAGNOSIS)
    loop = _object(
        {
            "at": _text("when, ISO 8601 in UTC"),
            "from": _STAGE,
            "to": _STAGE,
            "reason_code": _maybe({"enum": [code.value for code in BackReason]}),
            "reason_label": _text("the code's words; empty without a code"),
            "reason": _text("the free text"),
        },
        "One back move and why.",
    )
    finding = _object(
        {"code": _text(), "severity": {"enum": ["warning", "info"]}, "message": _text()}
    )
    return _object(
        {
            "id": _text(),
            "rank": {"type": "integer", "minimum": 1},
            "title": _text(),
            "owner": _text(),
            "archetype": _text(),
            "stage": _STAGE,
            "stage_title": _text(),
            "quadrant": _QUADRANT,
            "quadrant_label": _text(),
            "unscored": _array(
                _text(),
                "the axes never scored (impact, feasibility): then no quadrant placement,"
                " quadrant_label is 'unscored' and the figures are placeholders",
            ),
            "impact": _number("weighted mean of the impact lenses, 1 to 5"),
            "feasibility": _number("weighted mean of the cost drivers, 1 to 5"),
            "score": _number("priority score, 0 to 100"),
            "pessimistic_score": _number("priority score at the low ends of the ranges"),
            "ranked_score": _number("the score the ranking used"),
            "distance": _number("distance to the nearest quadrant boundary"),
            "near_boundary": {"type": "boolean"},
            "can_flip": {"type": "boolean"},
            "impact_range": _PAIR,
            "feasibility_range": _PAIR,
            "loops": {"type": "integer", "minimum": 0},
            "stage_days": {
                "type": "object",
                "propertyNames": {"enum": ["planning", "data", "training", "deployment", "parked"]},
                "additionalProperties": {"type": "number", "minimum": 0},
                "description": "days spent in each stage held, every visit added",
            },
            "loop_reasons": _array(loop, "the back moves behind `loops`, oldest first"),
            "days_in_stage": _maybe({"type": "integer", "minimum": 0}),
            "open_checklist": _array(_text(), "keys of the open checklist items"),
            "warnings": {"type": "integer", "minimum": 0},
            "infos": {"type": "integer", "minimum": 0},
            "findings": _array(finding, "consistency findings, warnings first"),
            "evaluation": evaluation,
            "diagnosis": diagnosis,
            "baselines": _array(baselines, "one per metric, in file order"),
            "ratings": RATINGS_SCHEMA,
        },
        "One project's computed figures.",
    )


DIAGNOSIS = _object(
    {
        "metric": _text("the diagnosed metric: the optimised one"),
        "direction": {"enum": ["maximize", "minimize"]},
        "model": _maybe(_text("the winner, or the best candidate when none passes")),
        "passes": {"type": "boolean", "description": "whether the model is the winner"},
        "value": _maybe(_number("validation score")),
        "train": _maybe(_number("training score")),
        "baseline": _maybe(_text("the tightest usable baseline")),
        "baseline_value": _maybe(_number()),
        "gap": _maybe(_number("validation minus baseline, > 0 ahead")),
        "avoidable_bias": _maybe(_number("baseline minus training, > 0 a problem")),
        "variance": _maybe(_number("training minus validation, > 0 a problem")),
        "tolerance": _number("underfit_margin times the baseline's magnitude"),
        "fit": _maybe(
            {
                "enum": [
                    "underfitting",
                    "overfitting",
                    "underfitting and overfitting",
                    "on par",
                    "behind the baseline",
                ]
            }
        ),
        "hint": _maybe(_text()),
        "note": _text("why the model is not the winner, when it is not"),
        "ignored": _array(_object({"baseline": _text(), "why": _text()}), "degenerate baselines"),
        "phrase": _text(),
    },
    "The diagnosed model against the tightest baseline (docs/format.md, Diagnosis).",
)
"""The `diagnosis` member of a project, also in `mlfolio rank --format json`."""


_COUNT = {"type": "integer", "minimum": 0}
_LIFECYCLE = ("planning", "data", "training", "deployment")


def _flow() -> dict[str, Any]:
    """The `flow` member: core.flow.figures.FlowFigures over all time."""
    spread = _maybe(
        _object(
            {
                "projects": _COUNT,
                "min": _number(),
                "q1": _number(),
                "median": _number(),
                "q3": _number(),
                "max": _number(),
            },
            "days: count, minimum, quartiles (inclusive), median, maximum",
        )
    )
    stage = {"enum": [*_LIFECYCLE, "parked"]}
    return _object(
        {
            "period": _object(
                {
                    "label": _text(),
                    "start": _maybe({"type": "string", "format": "date-time"}),
                    "end": {"type": "string", "format": "date-time"},
                }
            ),
            "active": _COUNT,
            "back_edges": _COUNT,
            "stages": _array(_object({"stage": stage, "days": spread, "in_stage_now": _COUNT})),
            "edges": _array(_object({"from": _STAGE, "to": _STAGE, "count": _COUNT})),
            "reasons": _array(
                _object(
                    {
                        "from": _STAGE,
                        "to": _STAGE,
                        "reason_code": _text("the BackReason code, as in the file"),
                        "reason": _text("the code in the lecture's words"),
                        "count": _COUNT,
                    },
                    "a lecture reason, or `other`",
                )
            ),
            "outcomes": _array(
                _object(
                    {
                        "outcome": {"enum": ["parked", "killed", "shipped"]},
                        "count": _COUNT,
                        "rate": _number("count over the projects active in the period"),
                        "days": spread,
                    }
                )
            ),
            "wip": _array(
                _object(
                    {
                        "at": {"type": "string", "format": "date-time"},
                        "counts": _object(dict.fromkeys(_LIFECYCLE, _COUNT)),
                    }
                )
            ),
        },
        "where the portfolio's time went: time in stage, back-edges, outcomes, WIP",
    )


def export_json_schema() -> dict[str, Any]:
    """The JSON Schema that every `mlfolio export --format json` output satisfies."""
    file_schema = json_schema()
    definitions: dict[str, Any] = dict(file_schema.pop("$defs", {}))
    file_schema.pop("$schema", None)
    definitions["Portfolio"] = file_schema
    quadrant = _object(
        {"quadrant": _QUADRANT, "label": _text(), "projects": _array(_text(), "best first")}
    )
    root = _object(
        {
            "format": {"const": REPORT_FORMAT},
            "version": {"const": REPORT_JSON_VERSION},
            "generated_at": {"type": "string", "format": "date-time"},
            "name": _text("the portfolio's name"),
            "rank_by": {"enum": ["expected", "pessimistic"]},
            "quadrants": _array(quadrant, "all four, quick wins first"),
            "ranking": _array(_text(), "project ids, best first"),
            "flow": _flow(),
            "projects": _array({"$ref": "#/$defs/ProjectFigures"}, "best-ranked first"),
            "portfolio": {"$ref": "#/$defs/Portfolio"},
        }
    )
    definitions["ProjectFigures"] = _figures()
    return {
        "$schema": DIALECT,
        "title": "mlfolio JSON export",
        "description": (
            "A portfolio exported by mlfolio: the file's data under `portfolio`, and every"
            " computed figure (scores, quadrants, verdicts, baselines, findings) under `projects`."
        ),
        **root,
        "$defs": definitions,
    }
