"""The editable fields of a project, as data: what the editor lists, asks and explains.

Each `FieldSpec` names a dotted path (as `SetField` takes it), how the value is
changed (stepped, cycled, toggled or typed) and the lecture's question behind
it, so the editor only draws rows and turns keys into `SetField` edits. Typed
input is parsed here into plain values; whether a value is *valid* is still
decided by the model when the edit is applied.

This module holds the project's sections (`project_fields`) and the value
helpers every field shares, the forms' included (`value_at`, `step`,
`parse_value`, `parse_scores`, `edit_text`, `format_scores`, `display_value`,
`cleared_value`). The help wording lives in `core.forms.help`, and the metric,
baseline and model forms, built on these helpers, in `core.forms.items`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import UnionType
from typing import Any, Final, Literal, TypeAlias, Union, cast, get_args, get_origin

from pydantic import BaseModel

from core.forms.help import (
    CHECKLIST_LABELS,
    DRIVER_HELP,
    GENERAL_HELP,
    IMPACT_HELP,
    OTHER_NOTE_HELP,
    RANGE_HELP,
    STRATEGY_HELP,
    TARGET_HELP,
)
from core.models import Answer, MetricStrategy, Project
from core.vocabulary import (
    ARCHETYPE_QUESTIONS,
    CHECKLIST_ITEMS,
    FEASIBILITY_DRIVERS,
    FEASIBILITY_QUESTIONS,
    FLYWHEEL_QUESTIONS,
    IMPACT_LENSES,
    Archetype,
)

FieldKind: TypeAlias = Literal[
    "score",
    "optional_score",
    "float",
    "text",
    "line",
    "bool",
    "choice",
    "answer",
    "tags",
    "range",
    "scores",
]
"""How a value is shown and changed; see `step` and `parse_value`."""

STEPPED_KINDS: Final = frozenset({"score", "optional_score", "bool", "choice", "answer"})
"""Kinds that +/- or space change in place, without typing."""

SCORE_MIN: Final = 1
SCORE_MAX: Final = 5
SCORE_START: Final = 3
"""Where an unset optional score starts when it is first stepped."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable value of a project (or of a metric, baseline or model)."""

    path: str
    """Dotted path as `SetField` takes it, e.g. 'impact.ranges.automation'."""
    label: str
    kind: FieldKind
    help: str = ""
    """The lecture's question or wording behind this value."""
    section: str = ""
    choices: tuple[str, ...] = ()
    """The allowed values of a choice or answer, in cycling order."""
    optional: bool = False
    """Whether empty input clears the value (sets None, or removes a dict key)."""

    @property
    def steps(self) -> bool:
        """Whether +/- or space change this value in place."""
        return self.kind in STEPPED_KINDS

    @property
    def multiline(self) -> bool:
        """Whether this value is free text that may span lines."""
        return self.kind == "text"


@dataclass(frozen=True, slots=True)
class Section:
    """A group of fields under a heading, with a sentence on what the group is for."""

    title: str
    help: str
    fields: tuple[FieldSpec, ...]


def humanise(key: str) -> str:
    """'data_acquisition' -> 'Data acquisition'."""
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


# ----------------------------------------------------------------- sections


def field_spec(
    section: str, path: str, label: str, kind: str, text: str, *choices: str
) -> FieldSpec:
    """A row of the field tables; a kind ending in '?' is optional (empty input clears it)."""
    optional = kind.endswith("?")
    return FieldSpec(
        path,
        label,
        cast(FieldKind, kind.rstrip("?")),
        text,
        section,
        tuple(str(choice) for choice in choices),
        optional,
    )


def _general() -> Section:
    s = "General"
    specs = [
        field_spec(s, "title", "Title", "line", GENERAL_HELP["title"]),
        field_spec(s, "owner", "Owner", "line", GENERAL_HELP["owner"]),
        field_spec(s, "archetype", "Archetype", "choice", GENERAL_HELP["archetype"], *Archetype),
        field_spec(s, "tags", "Tags", "tags", GENERAL_HELP["tags"]),
    ]
    for key in ("summary", "success_criteria", "notes"):
        specs.append(field_spec(s, key, humanise(key), "text", GENERAL_HELP[key]))
    return Section(s, "What the project is, who owns it, and what success means.", tuple(specs))


def _impact() -> Section:
    s = "Impact"
    specs: list[FieldSpec] = []
    for lens in IMPACT_LENSES:
        label = humanise(lens)
        specs.append(field_spec(s, f"impact.{lens}", label, "score", IMPACT_HELP[lens]))
        specs.append(field_spec(s, f"impact.ranges.{lens}", f"{label} range", "range?", RANGE_HELP))
    specs.append(field_spec(s, "impact.notes", "Impact notes", "text", "Why these scores?"))
    return Section(
        s,
        "Where is prediction cheap and valuable? Four lenses, each 1-5 (5 = most impact).",
        tuple(specs),
    )


def _feasibility() -> Section:
    s = "Feasibility"
    specs: list[FieldSpec] = []
    for driver in FEASIBILITY_DRIVERS:
        label = humanise(driver)
        path = f"feasibility.{driver}"
        if driver == "accuracy_requirement":
            specs.append(field_spec(s, path, label, "optional_score?", DRIVER_HELP[driver]))
            specs.append(
                field_spec(
                    s, "feasibility.accuracy_target", "Accuracy target", "float?", TARGET_HELP
                )
            )
        else:
            specs.append(field_spec(s, path, label, "score", DRIVER_HELP[driver]))
        specs.append(
            field_spec(s, f"feasibility.ranges.{driver}", f"{label} range", "range?", RANGE_HELP)
        )
        for key, question in FEASIBILITY_QUESTIONS[driver]:
            specs.append(field_spec(s, f"feasibility.notes.{key}", humanise(key), "text", question))
    return Section(
        s, "The three cost drivers, most important first, each 1-5 (5 = cheapest).", tuple(specs)
    )


def _checklist() -> Section:
    s = "Checklist"
    specs = tuple(
        field_spec(s, f"checklist.{key}", CHECKLIST_LABELS.get(key, humanise(key)), "bool", text)
        for key, text in CHECKLIST_ITEMS
    )
    return Section(s, "The feasibility checklist: the gate on leaving planning.", specs)


def _archetype(project: Project) -> Section:
    s = "Archetype questions"
    questions = ARCHETYPE_QUESTIONS[project.archetype]
    specs = [
        field_spec(s, f"archetype_notes.{key}", humanise(key), "text?", question)
        for key, question in questions
    ]
    asked = {key for key, _ in questions}
    for key in sorted(set(project.archetype_notes) - asked):
        label = f"{humanise(key)} (other)"
        specs.append(field_spec(s, f"archetype_notes.{key}", label, "text?", OTHER_NOTE_HELP))
    return Section(
        s,
        f"The key questions of the {project.archetype.value} archetype; change the "
        "archetype under General to see another's.",
        tuple(specs),
    )


def _flywheel() -> Section:
    s = "Data flywheel"
    specs = tuple(
        field_spec(s, f"flywheel.{key}", humanise(key), "answer", question, *Answer)
        for key, question in FLYWHEEL_QUESTIONS
    )
    return Section(
        s, "More usage, more data, a better model, a better product: is there a loop?", specs
    )


def _evaluation() -> Section:
    s = "Evaluation"
    strategies = get_args(MetricStrategy)
    spec = field_spec(s, "metric_strategy", "Metric strategy", "choice", STRATEGY_HELP, *strategies)
    return Section(s, "Pick a single number to optimise.", (spec,))


def project_fields(project: Project) -> tuple[Section, ...]:
    """Every editable field of `project`, grouped in the order the lecture asks them."""
    return (
        _general(),
        _impact(),
        _feasibility(),
        _checklist(),
        _archetype(project),
        _flywheel(),
        _evaluation(),
    )


# ----------------------------------------------------------- values


def value_at(model: BaseModel, path: str) -> Any:
    """The current value at a dotted path; None for a dict key that is not there.

    An unset table (an unscored impact is None) reads as None all the way
    down, but the path must still name fields the table would have.
    """
    current: Any = model
    kind: type[BaseModel] | None = type(model)
    for part in path.split("."):
        if kind is not None:
            if part not in kind.model_fields:
                raise KeyError(f"no field {path!r}")
            annotation = kind.model_fields[part].annotation
            current = None if current is None else getattr(current, part)
            if isinstance(current, BaseModel):
                kind = type(current)
            else:
                kind = _model_in(annotation) if current is None else None
        elif isinstance(current, dict):
            current = current.get(part)
            kind = type(current) if isinstance(current, BaseModel) else None
        elif current is None:
            return None
        else:
            raise KeyError(f"no field {path!r}")
    return current


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The pydantic model class in an optional annotation such as `Impact | None`, if any."""
    if get_origin(annotation) not in {Union, UnionType}:
        return None
    for kind in get_args(annotation):
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return kind
    return None


def _cycle(choices: tuple[str, ...], value: Any, delta: int) -> str:
    current = str(value)
    if current not in choices:
        return choices[0]
    return choices[(choices.index(current) + delta) % len(choices)]


def step(project: Project, spec: FieldSpec, delta: int) -> Any:
    """The value after one press of +/- (delta 1 / -1) or space: scores clamp to 1-5,
    choices and answers cycle, booleans toggle."""
    value = value_at(project, spec.path)
    if spec.kind in ("score", "optional_score"):
        if value is None:
            return SCORE_START
        return max(SCORE_MIN, min(SCORE_MAX, int(value) + delta))
    if spec.kind == "bool":
        return not value
    if spec.kind in ("choice", "answer"):
        return _cycle(spec.choices, value, delta)
    raise ValueError(f"{spec.label} is changed by typing: press enter")


def cleared_value(spec: FieldSpec) -> Any:
    """What clearing a field sets: None when optional, else empty text or no tags.

    Raises ValueError for fields that always hold a value (scores, choices, ...).
    """
    if spec.optional:
        return None
    if spec.kind in ("text", "line"):
        return ""
    if spec.kind == "tags":
        return ()
    raise ValueError(f"{spec.label} always has a value: change it with + / - or enter")


_RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-|–|—|\.\.|to|\s)\s*(-?\d+)\s*$")
_TRUE = frozenset({"y", "yes", "true", "on", "1", "x", "done"})
_FALSE = frozenset({"n", "no", "false", "off", "0", "", "open"})


def _number(text: str, label: str) -> float:
    """A finite number; '99%' means 0.99."""
    raw = text.strip().replace("_", "")
    scale = 1.0
    if raw.endswith("%"):
        raw, scale = raw[:-1].strip(), 0.01
    try:
        number = float(raw) * scale
    except ValueError:
        raise ValueError(f"{label}: {text.strip()!r} is not a number (e.g. 0.99 or 99%)") from None
    if not math.isfinite(number):
        raise ValueError(f"{label}: give a finite number")
    return number


def _choice(spec: FieldSpec, text: str) -> str:
    wanted = text.strip().lower()
    if wanted in spec.choices:
        return wanted
    matches = [choice for choice in spec.choices if choice.startswith(wanted)]
    if wanted and len(matches) == 1:
        return matches[0]
    raise ValueError(f"{spec.label}: type one of {', '.join(spec.choices)}")


def parse_scores(text: str, label: str = "scores") -> dict[str, float]:
    """'auc=0.8, f1=0.7' -> {'auc': 0.8, 'f1': 0.7}; empty text gives no scores."""
    scores: dict[str, float] = {}
    for chunk in text.split(","):
        if not chunk.strip():
            continue
        name, sep, value = chunk.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"{label}: write metric=value pairs, e.g. auc=0.8, f1=0.7")
        if name in scores:
            raise ValueError(f"{label}: {name!r} is given twice")
        scores[name] = _number(value, f"{label}: {name}")
    return scores


def parse_value(spec: FieldSpec, text: str) -> Any:
    """The value typed input stands for, or ValueError with a one-line message.

    Only the syntax is checked here; the model validates the value itself when
    the edit is applied (a score of 7 parses, and the edit refuses it).
    """
    stripped = text.strip()
    if not stripped and spec.optional:
        return None
    kind = spec.kind
    if kind in ("text", "line"):
        return stripped
    if kind == "tags":
        tags = (tag.strip() for tag in stripped.split(","))
        return tuple(dict.fromkeys(tag for tag in tags if tag))
    if kind == "scores":
        return parse_scores(stripped, spec.label)
    if not stripped:
        raise ValueError(f"{spec.label} needs a value")
    if kind in ("score", "optional_score"):
        try:
            return int(stripped)
        except ValueError:
            raise ValueError(f"{spec.label}: type a whole number from 1 to 5") from None
    if kind == "float":
        return _number(stripped, spec.label)
    if kind == "bool":
        if stripped.lower() in _TRUE:
            return True
        if stripped.lower() in _FALSE:
            return False
        raise ValueError(f"{spec.label}: type yes or no")
    if kind == "range":
        single = stripped.isdigit()
        match = _RANGE.match(stripped)
        if not single and match is None:
            raise ValueError(f"{spec.label}: type a range such as 2-4, or nothing to clear it")
        low, high = (stripped, stripped) if single else match.groups()  # type: ignore[union-attr]
        return {"low": int(low), "high": int(high)}
    return _choice(spec, stripped)


def plain_number(value: float) -> str:
    """120.0 -> '120', 0.8 -> '0.8', without losing digits."""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def format_scores(scores: Mapping[str, float]) -> str:
    """{'auc': 0.8} -> 'auc=0.8', as `parse_scores` reads it back."""
    return ", ".join(f"{name}={plain_number(value)}" for name, value in scores.items())


def edit_text(spec: FieldSpec, value: Any) -> str:
    """The current value as typed input would give it: what a prompt starts with."""
    if value is None:
        return ""
    kind = spec.kind
    if kind == "bool":
        return "yes" if value else "no"
    if kind == "tags":
        return ", ".join(value)
    if kind == "range":
        return f"{value.low}-{value.high}"
    if kind == "scores":
        return format_scores(value)
    if kind == "float":
        return plain_number(value)
    return str(value)


SCORE_BAR: Final = ("●", "○")


def display_value(spec: FieldSpec, value: Any) -> str:
    """The value in one short line for a row of the editor (notes show their first line)."""
    kind = spec.kind
    if value is None or value in ("", (), {}):
        return "—"
    if kind in ("score", "optional_score"):
        filled, empty = SCORE_BAR
        return f"{filled * value}{empty * (SCORE_MAX - value)} {value}"
    if kind == "bool":
        return "[x] done" if value else "[ ] open"
    if kind == "range":
        return f"{value.low}–{value.high}"
    if kind == "text":
        lines = str(value).strip().splitlines() or [""]
        return lines[0] + (" …" if len(lines) > 1 else "")
    return edit_text(spec, value)
