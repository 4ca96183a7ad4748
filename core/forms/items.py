"""The forms for a project's metrics, baselines and candidate models.

Metrics, baselines and models are edited as whole items through small forms
rather than field by field. Their fields are described with the same
`FieldSpec`s as a project's (`item_fields`); this module turns an item into a
form's starting texts (`item_texts`), a filled form back into values
(`item_data`), and a drafted item into the one edit that makes the change
(`item_edit`), and sums an item up in one line for the editor's list
(`item_summary`). Score lists are read and written by `core.forms.fields`
(`parse_scores`, `format_scores`), since its `parse_value` and `edit_text`
handle the "scores" kind of these forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from core.edits.base import Edit, EditError
from core.edits.items import Collection, DropItem, Item, PutItem, SetItems
from core.forms.fields import (
    FieldSpec,
    edit_text,
    field_spec,
    format_scores,
    parse_value,
    plain_number,
    value_at,
)
from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Direction,
    Metric,
    Portfolio,
    Project,
)

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
        field_spec("", "name", "Name", "line", "The metric's name, e.g. f1 or latency_ms."),
        field_spec("", "direction", "Direction", "choice", "Which way it improves.", *Direction),
        field_spec(
            "", "optimise", "Optimise", "bool", "The one metric to optimise (takes the role)."
        ),
        field_spec("", "threshold", "Threshold", "float?", "A fixed threshold (empty: none)."),
        field_spec(
            "",
            "threshold_baseline",
            "Threshold baseline",
            "line?",
            "Or: the baseline whose score is the threshold (empty: none).",
        ),
        field_spec("", "threshold_margin", "Margin", "float", "Added to that baseline's score."),
        field_spec("", "weight", "Weight", "float?", "Weight in a weighted average (empty: none)."),
        field_spec("", "unit", "Unit", "line", "Unit shown beside values, e.g. ms (optional)."),
        field_spec("", "notes", "Notes", "line", "Why this metric, or how it is measured."),
    ),
    "baselines": (
        field_spec("", "name", "Name", "line", "The baseline's name, e.g. human expert."),
        field_spec("", "kind", "Kind", "choice", "Where the baseline comes from.", *BaselineKind),
        field_spec("", "source", "Source", "line", "Where the numbers come from (optional)."),
        field_spec("", "scores", "Scores", "scores", _SCORES_HELP),
    ),
    "models": (
        field_spec("", "name", "Name", "line", "The model's name, e.g. resnet-50."),
        field_spec("", "scores", "Validation scores", "scores", _SCORES_HELP),
        field_spec("", "train_scores", "Training scores", "scores", _SCORES_HELP),
        field_spec("", "notes", "Notes", "line", "What the model is, what was tried (optional)."),
    ),
}
"""The fields each item form asks for (notes too: baselines have none in the file format)."""


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


TOGGLE_LABELS: Final[dict[str, tuple[str, str]]] = {"optimise": ("optimise", "not optimised")}
"""What a yes/no field of a form says when on and when off: the words change with the glyph,
so its state reads without colour."""


def toggle_labels(spec: FieldSpec) -> tuple[str, str]:
    """The labels of a yes/no field when on and when off."""
    return TOGGLE_LABELS.get(spec.path, ("yes", "no"))


def item_fields(collection: str) -> tuple[FieldSpec, ...]:
    """The fields of a metric, baseline or model form."""
    return ITEM_FIELDS[collection]


def item_texts(
    collection: str, item: Item | None, project: Project | None = None
) -> dict[str, str]:
    """A form's starting texts: the item's values, or a new item's defaults (no name).

    A project's first metric is the one to optimise, so a new metric of a
    `project` without metrics starts optimised.
    """
    source = item if item is not None else _BLANK_ITEMS[collection]
    texts = {
        spec.path: edit_text(spec, value_at(source, spec.path)) for spec in ITEM_FIELDS[collection]
    }
    if item is None:
        texts["name"] = ""
        if collection == "metrics" and project is not None and not project.metrics:
            texts["optimise"] = "yes"
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
        return f"{sign} {plain_number(metric.threshold)}{unit}"
    if metric.threshold_baseline is not None:
        margin = metric.threshold_margin
        extra = f" {'+' if margin >= 0 else '-'} {plain_number(abs(margin))}" if margin else ""
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
            parts.append(f"weight {plain_number(item.weight)}")
        return " · ".join(parts)
    if isinstance(item, Baseline):
        scores = format_scores(item.scores)
        return " · ".join(part for part in (item.kind.value, scores) if part)
    scores = format_scores(item.scores) or "no scores"
    if item.train_scores:
        scores += f" (train {format_scores(item.train_scores)})"
    return scores
