"""The ranking table as data: its rows, columns, sort orders, filters and search.

Every decision the ranking view makes lives here, so the widget only draws:
which projects are shown, in which order, and what a typed filter expression
such as ``stage:training,data owner:ana quadrant:"quick wins" fraud`` means.
Within one key the values are alternatives; keys and search words combine
with "and".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.models import LIFECYCLE, OUTCOMES, Portfolio, Project, QuadrantNames, Settings, Stage
from core.rules.consistency import Finding
from core.rules.finding_counts import FindingCounts, count_findings
from core.rules.priority import UNSCORED, Assessment, Quadrant, quadrant_name, rank
from core.rules.ratings import current_ratings, disagreements
from core.vocabulary import Archetype

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison


@dataclass(frozen=True, slots=True)
class RankRow:
    """One project as the ranking table shows it: place, axes, quadrant and warnings."""

    rank: int
    project_id: str
    title: str
    owner: str
    stage: Stage
    archetype: Archetype
    tags: tuple[str, ...]
    impact: float
    feasibility: float
    quadrant: Quadrant
    quadrant_label: str
    score: float
    """The score the ranking used: pessimistic when the portfolio ranks that way."""
    warnings: int
    near_boundary: bool
    unscored: bool = False
    raters: int = 0
    """How many people currently rate the project."""
    disagrees: bool = False
    """Whether its raters are two points or more apart on some lens or driver."""
    """Impact or feasibility never scored: no quadrant, and ranked after the scored rows."""
    infos: int = 0
    """Findings only worth a look (`warnings` are the contradictions to fix)."""

    @property
    def findings(self) -> FindingCounts:
        """The warnings and infos together, to write the way every surface does."""
        return FindingCounts(self.warnings, self.infos)

    @property
    def quadrant_text(self) -> str:
        """The quadrant as the table shows it: its name, "unscored", or "~name" near a boundary."""
        if self.unscored:
            return UNSCORED
        return ("~" if self.near_boundary else "") + self.quadrant_label


def rank_rows(
    portfolio: Portfolio,
    findings: Mapping[str, Sequence[Finding]],
    ranking: Sequence[Assessment] | None = None,
) -> tuple[RankRow, ...]:
    """The portfolio's projects as table rows, best first (the order of `core.rules.priority.rank`).

    `findings` maps project ids to their consistency findings (as
    `core.rules.consistency.check_portfolio` returns them), counted into warnings
    and infos by `core.rules.finding_counts.count_findings`.
    """
    settings = portfolio.settings
    projects = {p.id: p for p in portfolio.projects}
    rows: list[RankRow] = []
    ranked = rank(portfolio) if ranking is None else ranking
    for position, assessment in enumerate(ranked, start=1):
        project = projects[assessment.project_id]
        counts = count_findings(findings.get(project.id, ()))
        rows.append(rank_row(position, project, assessment, counts, settings))
    return tuple(rows)


def rank_row(
    position: int,
    project: Project,
    assessment: Assessment,
    counts: FindingCounts,
    settings: Settings,
) -> RankRow:
    """One project's row at `position` (1 is the best), `counts` its warnings and infos."""
    pessimistic = settings.rank_by == "pessimistic"
    return RankRow(
        rank=position,
        project_id=project.id,
        title=project.title,
        owner=project.owner,
        stage=project.stage,
        archetype=project.archetype,
        tags=project.tags,
        impact=assessment.impact,
        feasibility=assessment.feasibility,
        quadrant=assessment.quadrant,
        quadrant_label=quadrant_name(assessment.quadrant, settings.quadrant_names),
        score=assessment.pessimistic_score if pessimistic else assessment.score,
        warnings=counts.warnings,
        infos=counts.infos,
        near_boundary=assessment.near_boundary and assessment.scored,
        unscored=not assessment.scored,
        raters=len(current_ratings(project)),
        disagrees=bool(project.ratings) and bool(disagreements(project)),
    )


def ranked_pessimistically(portfolio: Portfolio, pessimistic: bool = True) -> Portfolio:
    """The portfolio as the pessimistic (or expected) ranking sees it: `rank_by` overridden.

    For views and `mlfolio rank --pessimistic`; the file's own setting is untouched.
    """
    rank_by = "pessimistic" if pessimistic else "expected"
    if portfolio.settings.rank_by == rank_by:
        return portfolio
    settings = portfolio.settings.model_copy(update={"rank_by": rank_by})
    return portfolio.model_copy(update={"settings": settings})


# --- columns and sorting ---------------------------------------------------------

COLUMNS: tuple[tuple[str, str], ...] = (
    ("rank", "#"),
    ("title", "Title"),
    ("stage", "Stage"),
    ("impact", "Impact"),
    ("feasibility", "Feas."),
    ("quadrant", "Quadrant"),
    ("score", "Score"),
    ("warnings", "⚠"),
    ("rated", "Rated"),
    ("owner", "Owner"),
)
"""The table's sortable columns as (key, header label), in display order."""

COLUMN_KEYS: tuple[str, ...] = tuple(key for key, _ in COLUMNS)
"""The column keys, in display order."""

DESCENDING_FIRST = frozenset({"impact", "feasibility", "score", "warnings", "rated"})
"""Columns whose natural first sort is highest first; the others start ascending."""

STAGE_ORDER: dict[Stage, int] = {stage: i for i, stage in enumerate(LIFECYCLE + OUTCOMES)}
"""Stages in lifecycle order, then the outcomes."""

QUADRANT_ORDER: dict[Quadrant, int] = {quadrant: i for i, quadrant in enumerate(Quadrant)}
"""Quadrants from the best (quick wins) to the worst (avoid)."""

_SORT_KEYS: dict[str, Callable[[RankRow], SupportsRichComparison]] = {
    "rank": lambda r: r.rank,
    "title": lambda r: r.title.casefold(),
    "stage": lambda r: STAGE_ORDER[r.stage],
    "impact": lambda r: r.impact,
    "feasibility": lambda r: r.feasibility,
    "quadrant": lambda r: (r.unscored, QUADRANT_ORDER[r.quadrant]),
    # The shown score is rounded; the rank (from the exact score) orders equal-looking ones.
    "score": lambda r: (r.score, -r.rank),
    "warnings": lambda r: (r.warnings, r.infos),
    "rated": lambda r: (r.disagrees, r.raters),
    "owner": lambda r: (r.owner == "", r.owner.casefold()),
}


def _check_column(column: str) -> None:
    if column not in _SORT_KEYS:
        raise ValueError(f"unknown column {column!r}; columns: {', '.join(COLUMN_KEYS)}")


def sort_rows(rows: Iterable[RankRow], column: str, descending: bool) -> tuple[RankRow, ...]:
    """`rows` ordered by `column`; a stable sort, so ties keep their incoming order.

    Unowned projects sort after owned ones when ascending by owner.
    """
    _check_column(column)
    return tuple(sorted(rows, key=_SORT_KEYS[column], reverse=descending))


def next_column(column: str, step: int = 1) -> str:
    """The column `step` places after `column`, wrapping around."""
    _check_column(column)
    return COLUMN_KEYS[(COLUMN_KEYS.index(column) + step) % len(COLUMN_KEYS)]


def describe_sort(column: str, descending: bool) -> str:
    """The sort order for a status line, e.g. ``sorted by score ▼``."""
    _check_column(column)
    return f"sorted by {column} {'▼' if descending else '▲'}"


# --- filtering -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowFilter:
    """Which rows to show; an empty set or empty text places no constraint."""

    stages: frozenset[Stage] = field(default_factory=frozenset)
    archetypes: frozenset[Archetype] = field(default_factory=frozenset)
    quadrants: frozenset[Quadrant] = field(default_factory=frozenset)
    owners: frozenset[str] = field(default_factory=frozenset)
    """Owners, compared without regard to case."""
    tags: frozenset[str] = field(default_factory=frozenset)
    """Tags, compared without regard to case; a row needs any one of them."""
    text: str = ""
    """Search words: every whitespace-separated word must occur in the title or id."""

    @property
    def is_empty(self) -> bool:
        """Whether the filter lets every row through."""
        return not (
            self.stages
            or self.archetypes
            or self.quadrants
            or self.owners
            or self.tags
            or self.text.split()
        )

    def matches(self, row: RankRow) -> bool:
        """Whether `row` passes every constraint."""
        return _compile(self)(row)

    def with_text(self, text: str) -> RowFilter:
        """The same filter with its search words replaced."""
        return replace(self, text=text)


def _compile(flt: RowFilter) -> Callable[[RankRow], bool]:
    """A predicate for `flt` with its case folding done once, not once per row."""
    owners = frozenset(o.casefold() for o in flt.owners)
    tags = frozenset(t.casefold() for t in flt.tags)
    words = tuple(flt.text.casefold().split())

    def predicate(row: RankRow) -> bool:
        if flt.stages and row.stage not in flt.stages:
            return False
        if flt.archetypes and row.archetype not in flt.archetypes:
            return False
        if flt.quadrants and (row.unscored or row.quadrant not in flt.quadrants):
            return False
        if owners and row.owner.casefold() not in owners:
            return False
        if tags and not any(t.casefold() in tags for t in row.tags):
            return False
        if words:
            haystack = f"{row.title}\n{row.project_id}".casefold()
            return all(word in haystack for word in words)
        return True

    return predicate


def filter_rows(rows: Iterable[RankRow], flt: RowFilter) -> tuple[RankRow, ...]:
    """The rows `flt` lets through, in their incoming order."""
    if flt.is_empty:
        return tuple(rows)
    return tuple(filter(_compile(flt), rows))


class FilterError(ValueError):
    """A filter expression that cannot be read; the message is one line for a status bar."""


FILTER_KEYS = ("stage", "archetype", "quadrant", "owner", "tag")
"""The keys a filter expression understands."""

_TOKEN = re.compile(r'(?:"[^"]*"?|[^\s"]+)+')
_KEYED = re.compile(r"^([A-Za-z_]+):(.*)$", re.DOTALL)
_LISTED = 8
_FREE_TEXT = frozenset({"owner", "tag"})


def _loose(value: str) -> str:
    """A fixed-vocabulary value without case, spaces or `-_.`: `quick-wins` finds `quick wins`."""
    return re.sub(r"[\s_.\-]", "", value.casefold())


def _allowed(values: Iterable[str]) -> str:
    """Allowed values for an error message, shortened when there are many."""
    items = list(values)
    shown = ", ".join(items[:_LISTED])
    return shown + (f", … ({len(items)} in all)" if len(items) > _LISTED else "")


def default_quadrant_labels() -> dict[Quadrant, str]:
    """The default display names of the quadrants."""
    names = QuadrantNames()
    return {q: quadrant_name(q, names) for q in Quadrant}


def quadrant_labels(rows: Iterable[RankRow]) -> dict[Quadrant, str]:
    """Each quadrant's display name as the rows give it, the default name where none does."""
    labels = default_quadrant_labels()
    labels.update({row.quadrant: row.quadrant_label for row in rows})
    return labels


def _allowed_values(kind: str, choices: Mapping[str, str], labels: Mapping[Quadrant, str]) -> str:
    """The values `kind` accepts, for an error message; quadrants by name and key."""
    if kind != "quadrant":
        return _allowed(dict.fromkeys(choices.values())) or "none yet"
    return _allowed(
        f"{label} ({q.value})" if _loose(label) != _loose(q.value) else label
        for q, label in labels.items()
    )


def _lookup(
    kind: str, value: str, choices: Mapping[str, str], labels: Mapping[Quadrant, str]
) -> str:
    """Resolve `value` against `choices` (normalised spelling → canonical value) or explain.

    Free-text keys (owners, tags) are matched ignoring case only.
    """
    found = choices.get(value.casefold() if kind in _FREE_TEXT else _loose(value))
    if found is None:
        allowed = _allowed_values(kind, choices, labels)
        raise FilterError(f"unknown {kind} {value!r}; {kind}s: {allowed}")
    return found


def _vocabulary(
    labels: Mapping[Quadrant, str],
    owners: Iterable[str] | None,
    tags: Iterable[str] | None,
) -> dict[str, dict[str, str] | None]:
    """Per key, loose spellings mapped to canonical values; None accepts any value."""
    quadrants = {_loose(q.value): q.value for q in Quadrant}
    quadrants.update({_loose(label): q.value for q, label in labels.items()})
    archetypes = {_loose(a.value): a.value for a in Archetype}
    archetypes.update({_loose(a.name): a.value for a in Archetype})
    return {
        "stage": {_loose(s.value): s.value for s in STAGE_ORDER},
        "archetype": archetypes,
        "quadrant": quadrants,
        "owner": None if owners is None else {o.casefold(): o for o in sorted(set(owners)) if o},
        "tag": None if tags is None else {t.casefold(): t for t in sorted(set(tags))},
    }


def _tokens(expression: str) -> Iterable[tuple[str | None, str]]:
    """(key, value) pairs, key None for a search word; a quoted token is always a word."""
    for raw in _TOKEN.findall(expression):
        keyed = None if raw.startswith('"') else _KEYED.match(raw)
        if keyed is None:
            yield None, raw.replace('"', "")
        else:
            yield keyed.group(1).casefold(), keyed.group(2).replace('"', "")


def parse_filter(
    expression: str,
    *,
    quadrant_labels: Mapping[Quadrant, str] | None = None,
    owners: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
) -> RowFilter:
    """Read a filter expression such as ``stage:training,data owner:ana tag:nlp fraud``.

    `key:value[,value…]` constrains a column (double quotes allow spaces); bare
    words search titles and ids. Quadrants are named by key (`quick_wins`) or
    display name (`quadrant_labels`, default names otherwise). When `owners` or
    `tags` are given, other values are refused. Raises `FilterError`.
    """
    labels = default_quadrant_labels() if quadrant_labels is None else dict(quadrant_labels)
    vocabulary = _vocabulary(labels, owners, tags)
    chosen: dict[str, set[str]] = {key: set() for key in FILTER_KEYS}
    words: list[str] = []
    for key, value in _tokens(expression):
        if key is None:
            words.extend(value.split())
            continue
        if key not in chosen:
            raise FilterError(f"unknown filter key {key!r}; keys: {', '.join(FILTER_KEYS)}")
        values = [v.strip() for v in value.split(",") if v.strip()]
        choices = vocabulary[key]
        if not values:
            hint = "any value" if choices is None else _allowed_values(key, choices, labels)
            raise FilterError(f"{key}: needs a value; {key}s: {hint}")
        for item in values:
            chosen[key].add(item if choices is None else _lookup(key, item, choices, labels))
    return RowFilter(
        stages=frozenset(Stage(v) for v in chosen["stage"]),
        archetypes=frozenset(Archetype(v) for v in chosen["archetype"]),
        quadrants=frozenset(Quadrant(v) for v in chosen["quadrant"]),
        owners=frozenset(chosen["owner"]),
        tags=frozenset(chosen["tag"]),
        text=" ".join(words),
    )


def _quote(value: str) -> str:
    """A value as an expression writes it: quoted when it holds a space or a comma."""
    return f'"{value}"' if re.search(r"[\s,:]", value) or not value else value


def _ordered_parts(
    flt: RowFilter, labels: Mapping[Quadrant, str]
) -> list[tuple[str, list[str], list[str]]]:
    """Per non-empty key: (key, values as an expression writes them, values for people)."""
    stages = sorted(flt.stages, key=STAGE_ORDER.__getitem__)
    archetypes = [a for a in Archetype if a in flt.archetypes]
    quadrants = sorted(flt.quadrants, key=QUADRANT_ORDER.__getitem__)
    owners = sorted(flt.owners, key=str.casefold)
    tags = sorted(flt.tags, key=str.casefold)
    parts = [
        ("stage", [s.value for s in stages], [s.value for s in stages]),
        ("archetype", [a.value for a in archetypes], [a.value for a in archetypes]),
        ("quadrant", [q.value for q in quadrants], [labels.get(q, q.value) for q in quadrants]),
        ("owner", owners, owners),
        ("tag", tags, tags),
    ]
    return [part for part in parts if part[1]]


def format_filter(flt: RowFilter) -> str:
    """`flt` written as an expression `parse_filter` reads back (to pre-fill an input)."""
    parts = [
        f"{key}:{','.join(_quote(v) for v in written)}"
        for key, written, _ in _ordered_parts(flt, default_quadrant_labels())
    ]
    parts.extend(_quote(word) for word in flt.text.split())
    return " ".join(parts)


def describe_filter(flt: RowFilter, quadrant_labels: Mapping[Quadrant, str] | None = None) -> str:
    """`flt` in words for a status line, e.g. ``stage: training, data; search: fraud``."""
    labels = default_quadrant_labels() if quadrant_labels is None else quadrant_labels
    parts = [f"{key}: {', '.join(shown)}" for key, _, shown in _ordered_parts(flt, labels)]
    if flt.text.split():
        parts.append(f"search: {' '.join(flt.text.split())}")
    return "; ".join(parts) if parts else "no filter"
