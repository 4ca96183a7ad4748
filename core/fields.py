"""The editable fields of a project, as data: what the editor lists, asks and explains.

Each `FieldSpec` names a dotted path (as `SetField` takes it), how the value is
changed (stepped, cycled, toggled or typed) and the lecture's question behind
it, so the editor only draws rows and turns keys into `SetField` edits. Typed
input is parsed here into plain values; whether a value is *valid* is still
decided by the model when the edit is applied.

Metrics, baselines and candidate models are edited as whole items through
small forms; their fields are described the same way (`item_fields`), and
`item_edit` turns a filled form into the edit that makes the change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal, TypeAlias, cast, get_args

from pydantic import BaseModel

from core.edit_base import Edit, EditError
from core.item_edits import Collection, DropItem, Item, PutItem, SetItems
from core.models import (
    ARCHETYPE_QUESTIONS,
    CHECKLIST_ITEMS,
    FEASIBILITY_DRIVERS,
    FEASIBILITY_QUESTIONS,
    FLYWHEEL_QUESTIONS,
    IMPACT_LENSES,
    Answer,
    Archetype,
    Baseline,
    BaselineKind,
    CandidateModel,
    Direction,
    Metric,
    MetricStrategy,
    Portfolio,
    Project,
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


# ------------------------------------------------------------------ wording

IMPACT_HELP: Final = {
    "cheap_prediction": (
        "Cheap prediction: is prediction central to a decision here? Where cheap, "
        "good prediction changes a decision, ML has high impact."
    ),
    "product_friction": (
        "Product friction: is there a part of the product experience that hurts, "
        "that a prediction could remove?"
    ),
    "automation": (
        "Automation: would ML replace a complicated manual or rule-based process ('software 2.0')?"
    ),
    "industry_precedent": (
        "Industry precedent: what do others in the industry already do with ML here?"
    ),
}

DRIVER_HELP: Final = {
    "data_availability": (
        "Data availability, the first cost driver: how hard is data to acquire, how "
        "expensive to label, how much is needed, how stable is it, what security does "
        "it need? 5 = plenty of cheap, stable data."
    ),
    "accuracy_requirement": (
        "Accuracy requirement, the second cost driver: how costly are wrong predictions, "
        "how often must the system be right, what are the ethical stakes? Cost grows "
        "super-linearly, roughly 10x for every extra nine (90% -> 99% -> 99.9%). "
        "5 = a modest requirement. Give this score or an accuracy target, not both; "
        "empty clears it."
    ),
    "problem_difficulty": (
        "Problem difficulty, the third cost driver: is it well defined, is there "
        "published work, what compute does it need, can a human do it? Hard when the "
        "output is complex, reliability is required or generalisation is required. "
        "5 = easy."
    ),
}

RANGE_HELP: Final = (
    "How sure is the team? The lowest and highest plausible score, typed as e.g. 2-4; "
    "it must contain the score itself. Empty input clears it."
)

CHECKLIST_LABELS: Final = {
    "need_ml": "Sure we need ML?",
    "success_criteria": "Success criteria agreed",
    "ethics": "Ethics considered",
    "literature_review": "Literature reviewed",
    "labelled_benchmark": "Labelled benchmark built",
    "rule_based_baseline": "Rule-based MVP tried",
    "really_need_ml": "Really sure we need ML?",
}
"""Short row labels for the checklist items; the full wording is the help."""

GENERAL_HELP: Final = {
    "title": "What the project is called: one line, shown in every view.",
    "owner": "Who answers for this project.",
    "archetype": (
        "The product archetype. software-2.0 augments an automated process; "
        "human-in-the-loop has a person review every output; autonomous has no person "
        "in the loop. Autonomous systems are high impact and low feasibility: adding a "
        "human in the loop is the standard way to make them feasible."
    ),
    "tags": "Labels for sorting and searching, separated by commas, e.g. nlp, q3.",
    "summary": "What the project would do, and for whom, in a few sentences.",
    "success_criteria": (
        "Success criteria defined with all of the stakeholders: what must be true for "
        "this project to count as a success?"
    ),
    "notes": "Anything else worth keeping with the project.",
}

TARGET_HELP: Final = (
    "The accuracy the system must reach, e.g. 0.99 or 99%, as an alternative to the "
    "score: the score then follows from the portfolio's cost per extra nine. Give a "
    "target or a score, not both; empty input clears it."
)

OTHER_NOTE_HELP: Final = "A note kept from another archetype's questions; empty input removes it."

STRATEGY_HELP: Final = (
    "How the metrics combine into one number to optimise. 'thresholds' (the usual way) "
    "holds n-1 metrics to thresholds and optimises the n-th; 'weighted' ranks models "
    "by a weighted average of the metrics."
)


def humanise(key: str) -> str:
    """'data_acquisition' -> 'Data acquisition'."""
    words = key.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


# ----------------------------------------------------------------- sections


def _spec(section: str, path: str, label: str, kind: str, text: str, *choices: str) -> FieldSpec:
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
        _spec(s, "title", "Title", "line", GENERAL_HELP["title"]),
        _spec(s, "owner", "Owner", "line", GENERAL_HELP["owner"]),
        _spec(s, "archetype", "Archetype", "choice", GENERAL_HELP["archetype"], *Archetype),
        _spec(s, "tags", "Tags", "tags", GENERAL_HELP["tags"]),
    ]
    for key in ("summary", "success_criteria", "notes"):
        specs.append(_spec(s, key, humanise(key), "text", GENERAL_HELP[key]))
    return Section(s, "What the project is, who owns it, and what success means.", tuple(specs))


def _impact() -> Section:
    s = "Impact"
    specs: list[FieldSpec] = []
    for lens in IMPACT_LENSES:
        label = humanise(lens)
        specs.append(_spec(s, f"impact.{lens}", label, "score", IMPACT_HELP[lens]))
        specs.append(_spec(s, f"impact.ranges.{lens}", f"{label} range", "range?", RANGE_HELP))
    specs.append(_spec(s, "impact.notes", "Impact notes", "text", "Why these scores?"))
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
            specs.append(_spec(s, path, label, "optional_score?", DRIVER_HELP[driver]))
            specs.append(
                _spec(s, "feasibility.accuracy_target", "Accuracy target", "float?", TARGET_HELP)
            )
        else:
            specs.append(_spec(s, path, label, "score", DRIVER_HELP[driver]))
        specs.append(
            _spec(s, f"feasibility.ranges.{driver}", f"{label} range", "range?", RANGE_HELP)
        )
        for key, question in FEASIBILITY_QUESTIONS[driver]:
            specs.append(_spec(s, f"feasibility.notes.{key}", humanise(key), "text", question))
    return Section(
        s, "The three cost drivers, most important first, each 1-5 (5 = cheapest).", tuple(specs)
    )


def _checklist() -> Section:
    s = "Checklist"
    specs = tuple(
        _spec(s, f"checklist.{key}", CHECKLIST_LABELS.get(key, humanise(key)), "bool", text)
        for key, text in CHECKLIST_ITEMS
    )
    return Section(s, "The feasibility checklist: the gate on leaving planning.", specs)


def _archetype(project: Project) -> Section:
    s = "Archetype questions"
    questions = ARCHETYPE_QUESTIONS[project.archetype]
    specs = [
        _spec(s, f"archetype_notes.{key}", humanise(key), "text?", question)
        for key, question in questions
    ]
    asked = {key for key, _ in questions}
    for key in sorted(set(project.archetype_notes) - asked):
        label = f"{humanise(key)} (other)"
        specs.append(_spec(s, f"archetype_notes.{key}", label, "text?", OTHER_NOTE_HELP))
    return Section(
        s,
        f"The key questions of the {project.archetype.value} archetype; change the "
        "archetype under General to see another's.",
        tuple(specs),
    )


def _flywheel() -> Section:
    s = "Data flywheel"
    specs = tuple(
        _spec(s, f"flywheel.{key}", humanise(key), "answer", question, *Answer)
        for key, question in FLYWHEEL_QUESTIONS
    )
    return Section(
        s, "More usage, more data, a better model, a better product: is there a loop?", specs
    )


def _evaluation() -> Section:
    s = "Evaluation"
    strategies = get_args(MetricStrategy)
    spec = _spec(s, "metric_strategy", "Metric strategy", "choice", STRATEGY_HELP, *strategies)
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
    """The current value at a dotted path; None for a dict key that is not there."""
    current: Any = model
    for part in path.split("."):
        if isinstance(current, BaseModel):
            if part not in type(current).model_fields:
                raise KeyError(f"no field {path!r}")
            current = getattr(current, part)
        elif isinstance(current, dict):
            current = current.get(part)
        elif current is None:
            return None
        else:
            raise KeyError(f"no field {path!r}")
    return current


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


def _plain_number(value: float) -> str:
    """120.0 -> '120', 0.8 -> '0.8', without losing digits."""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def format_scores(scores: Mapping[str, float]) -> str:
    """{'auc': 0.8} -> 'auc=0.8', as `parse_scores` reads it back."""
    return ", ".join(f"{name}={_plain_number(value)}" for name, value in scores.items())


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
        return _plain_number(value)
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


# ------------------------------------------------------ metrics, baselines, models

COLLECTIONS: Final[tuple[Collection, ...]] = ("metrics", "baselines", "models")
COLLECTION_TITLES: Final[dict[str, str]] = {
    "metrics": "Metrics",
    "baselines": "Baselines",
    "models": "Candidate models",
}
COLLECTION_HELP: Final[dict[str, str]] = {
    "metrics": (
        "Pick a single number to optimise. Combine the rest by a weighted average or, "
        "more usually, by thresholding n-1 metrics and optimising the n-th. Thresholds "
        "come from domain judgement, from a baseline, and from the current model."
    ),
    "baselines": (
        "A baseline is a lower bound on expected performance; the tighter, the more "
        "useful. External: published results, the state of the art. Internal: scripted "
        "rules, a simple model, the dataset average, human performance (crowd, experts, "
        "ensembles of experts)."
    ),
    "models": (
        "Trained models with their validation scores, and training scores when known: "
        "far below a baseline is underfitting; beating the training baseline but not on "
        "validation is overfitting."
    ),
}
SINGULAR: Final[dict[str, str]] = {"metrics": "metric", "baselines": "baseline", "models": "model"}

_SCORES_HELP = "Scores per metric, e.g. auc=0.8, f1=0.7 (empty: none)."

ITEM_FIELDS: Final[dict[str, tuple[FieldSpec, ...]]] = {
    "metrics": (
        _spec("", "name", "Name", "line", "The metric's name, e.g. f1 or latency_ms."),
        _spec("", "direction", "Direction", "choice", "Which way it improves.", *Direction),
        _spec("", "optimise", "Optimise", "bool", "The one metric to optimise (takes the role)."),
        _spec("", "threshold", "Threshold", "float?", "A fixed threshold (empty: none)."),
        _spec(
            "",
            "threshold_baseline",
            "Threshold baseline",
            "line?",
            "Or: the baseline whose score is the threshold (empty: none).",
        ),
        _spec("", "threshold_margin", "Margin", "float", "Added to that baseline's score."),
        _spec("", "weight", "Weight", "float?", "Weight in a weighted average (empty: none)."),
        _spec("", "unit", "Unit", "line", "Unit shown beside values, e.g. ms (optional)."),
    ),
    "baselines": (
        _spec("", "name", "Name", "line", "The baseline's name, e.g. human expert."),
        _spec("", "kind", "Kind", "choice", "Where the baseline comes from.", *BaselineKind),
        _spec("", "source", "Source", "line", "Where the numbers come from (optional)."),
        _spec("", "scores", "Scores", "scores", _SCORES_HELP),
    ),
    "models": (
        _spec("", "name", "Name", "line", "The model's name, e.g. resnet-50."),
        _spec("", "scores", "Validation scores", "scores", _SCORES_HELP),
        _spec("", "train_scores", "Training scores", "scores", _SCORES_HELP),
    ),
}
"""The fields each item form asks for; other fields (notes) are kept as they are."""


@dataclass(frozen=True, slots=True)
class ItemDraft:
    """A filled item form: the item's values, and the name it had (None when it is new)."""

    collection: Collection
    original: str | None
    data: Mapping[str, Any]

    @property
    def name(self) -> str:
        """The item's (new) name."""
        return str(self.data.get("name", "")).strip()


_BLANK_ITEMS: Final[dict[str, Item]] = {
    "metrics": Metric(name="new"),
    "baselines": Baseline(name="new", kind=BaselineKind.SCRIPTED_RULES),
    "models": CandidateModel(name="new"),
}


def item_fields(collection: str) -> tuple[FieldSpec, ...]:
    """The fields of a metric, baseline or model form."""
    return ITEM_FIELDS[collection]


def item_texts(collection: str, item: Item | None) -> dict[str, str]:
    """A form's starting texts: the item's values, or a new item's defaults (no name)."""
    source = item if item is not None else _BLANK_ITEMS[collection]
    texts = {
        spec.path: edit_text(spec, value_at(source, spec.path)) for spec in ITEM_FIELDS[collection]
    }
    if item is None:
        texts["name"] = ""
    return texts


def item_data(collection: str, texts: Mapping[str, str], base: Item | None) -> dict[str, Any]:
    """The item's values from a form's texts, on top of `base` (which keeps unasked fields).

    Raises ValueError naming the field whose text does not parse.
    """
    data: dict[str, Any] = base.model_dump() if base is not None else {}
    for spec in ITEM_FIELDS[collection]:
        data[spec.path] = parse_value(spec, texts.get(spec.path, ""))
    return data


def item_edit(portfolio: Portfolio, project_id: str, draft: ItemDraft, now: datetime) -> Edit:
    """The edit that adds a drafted item or changes the one it was drafted from.

    It is tried on `portfolio` first and raises EditError when it would not
    apply: a name another item already has (a put would silently replace it),
    or a value the model refuses. A rename replaces the item where it stands,
    in one undoable edit.
    """
    project = portfolio.project(project_id)
    if project is None:
        raise EditError(f"there is no project {project_id!r}")
    collection = draft.collection
    names = [item.name for item in getattr(project, collection)]
    kind = SINGULAR[collection]
    if draft.name != draft.original and draft.name in names:
        raise EditError(f"there is already a {kind} named {draft.name!r}")
    if draft.original is not None and draft.original not in names:
        raise EditError(f"{project_id} has no {kind} named {draft.original!r} any more")
    edit: Edit
    if draft.original is None or draft.name == draft.original:
        edit = PutItem(project_id, collection, dict(draft.data))
    else:
        at = names.index(draft.original)
        dropped = DropItem(project_id, collection, draft.original).apply(portfolio, now, "")
        put = PutItem(project_id, collection, dict(draft.data), index=at)
        renamed = put.apply(dropped, now, "").project(project_id)
        assert renamed is not None
        edit = SetItems(project_id, collection, getattr(renamed, collection))
    edit.apply(portfolio, now, "")
    return edit


def _threshold(metric: Metric) -> str:
    sign = "≥" if metric.direction is Direction.MAXIMIZE else "≤"
    unit = f" {metric.unit}" if metric.unit else ""
    if metric.threshold is not None:
        return f"{sign} {_plain_number(metric.threshold)}{unit}"
    if metric.threshold_baseline is not None:
        margin = metric.threshold_margin
        extra = f" {'+' if margin >= 0 else '-'} {_plain_number(abs(margin))}" if margin else ""
        return f"{sign} {metric.threshold_baseline}{extra}"
    return ""


def item_summary(item: Item) -> str:
    """One line describing an item beside its name in the editor's list."""
    if isinstance(item, Metric):
        parts = [item.direction.value]
        if item.optimise:
            parts.append("optimise")
        threshold = _threshold(item)
        if threshold:
            parts.append(threshold)
        if item.weight is not None:
            parts.append(f"weight {_plain_number(item.weight)}")
        return " · ".join(parts)
    if isinstance(item, Baseline):
        scores = format_scores(item.scores)
        return " · ".join(part for part in (item.kind.value, scores) if part)
    scores = format_scores(item.scores) or "no scores"
    if item.train_scores:
        scores += f" (train {format_scores(item.train_scores)})"
    return scores
