"""The ranking table's data: rows, sorting, filtering and the filter language."""

from __future__ import annotations

import pytest
from apps.ranking_app import make_portfolio
from hypothesis import given
from hypothesis import strategies as st

from core.models import Portfolio, QuadrantNames, Settings, Stage
from core.rules.consistency import Finding
from core.rules.priority import Quadrant, rank
from core.views.ranking import (
    COLUMN_KEYS,
    COLUMNS,
    FilterError,
    RankRow,
    RowFilter,
    describe_filter,
    describe_sort,
    filter_rows,
    format_filter,
    next_column,
    parse_filter,
    quadrant_labels,
    rank_rows,
    sort_rows,
)
from core.vocabulary import Archetype


def row(
    pid: str = "p",
    *,
    rank: int = 1,
    title: str = "",
    owner: str = "",
    stage: Stage = Stage.PLANNING,
    archetype: Archetype = Archetype.SOFTWARE_2_0,
    tags: tuple[str, ...] = (),
    impact: float = 3.0,
    feasibility: float = 3.0,
    quadrant: Quadrant = Quadrant.QUICK_WINS,
    score: float = 25.0,
    warnings: int = 0,
) -> RankRow:
    """A hand-made row; the title defaults to the id."""
    return RankRow(
        rank=rank,
        project_id=pid,
        title=title or pid,
        owner=owner,
        stage=stage,
        archetype=archetype,
        tags=tags,
        impact=impact,
        feasibility=feasibility,
        quadrant=quadrant,
        quadrant_label=quadrant.value.replace("_", " "),
        score=score,
        warnings=warnings,
        near_boundary=False,
    )


ROWS = rank_rows(make_portfolio(), {})


def ids(rows: tuple[RankRow, ...]) -> list[str]:
    return [r.project_id for r in rows]


# --- rows ------------------------------------------------------------------------


def test_rank_rows_follow_rank_order_and_number_from_one() -> None:
    portfolio = make_portfolio()
    rows = rank_rows(portfolio, {})
    assert ids(rows) == [a.project_id for a in rank(portfolio)]
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_rank_rows_copy_project_fields_and_assessment() -> None:
    portfolio = make_portfolio()
    fraud = next(r for r in rank_rows(portfolio, {}) if r.project_id == "fraud")
    assert (fraud.title, fraud.owner, fraud.stage) == (
        "Card fraud detection",
        "ana",
        Stage.TRAINING,
    )
    assert fraud.tags == ("risk", "tabular")
    assert (fraud.impact, fraud.feasibility) == (5.0, 4.0)
    assert fraud.quadrant is Quadrant.QUICK_WINS
    assert fraud.quadrant_label == "quick wins"
    assert fraud.score == 75.0


def test_rank_rows_count_warnings_and_infos_apart() -> None:
    warning = Finding("fraud", "w", "a warning", "warning")
    info = Finding("fraud", "i", "an info", "info")
    rows = {
        r.project_id: r for r in rank_rows(make_portfolio(), {"fraud": [warning, info, warning]})
    }
    assert (rows["fraud"].warnings, rows["fraud"].infos) == (2, 1)
    assert rows["fraud"].findings.compact == "2 i1"
    assert (rows["churn"].warnings, rows["churn"].infos) == (0, 0)


def test_rank_rows_use_the_portfolios_quadrant_names_and_pessimistic_score() -> None:
    names = QuadrantNames(quick_wins="do now")
    base = make_portfolio()
    portfolio = Portfolio(
        settings=Settings(quadrant_names=names, rank_by="pessimistic"),
        projects=base.projects,
    )
    rows = {r.project_id: r for r in rank_rows(portfolio, {})}
    assert rows["fraud"].quadrant_label == "do now"
    assessed = {a.project_id: a for a in rank(portfolio)}
    assert rows["hostile"].score == assessed["hostile"].pessimistic_score


# --- sorting ---------------------------------------------------------------------


def test_columns_are_the_ten_table_columns() -> None:
    assert COLUMN_KEYS == (
        "rank",
        "title",
        "stage",
        "impact",
        "feasibility",
        "quadrant",
        "score",
        "warnings",
        "rated",
        "owner",
    )
    assert dict(COLUMNS)["feasibility"] == "Feas."


def test_stage_sorts_in_lifecycle_order_then_outcomes() -> None:
    stages = [r.stage for r in sort_rows(ROWS, "stage", descending=False)]
    assert stages == [
        Stage.PLANNING,
        Stage.DATA,
        Stage.TRAINING,
        Stage.TRAINING,
        Stage.DEPLOYMENT,
        Stage.PARKED,
        Stage.KILLED,
        Stage.SHIPPED,
    ]


def test_sort_is_stable_so_ties_keep_rank_order() -> None:
    training = [r for r in sort_rows(ROWS, "stage", False) if r.stage is Stage.TRAINING]
    assert [r.rank for r in training] == sorted(r.rank for r in training)
    descending = [r for r in sort_rows(ROWS, "stage", True) if r.stage is Stage.TRAINING]
    assert [r.rank for r in descending] == sorted(r.rank for r in descending)


def test_sort_by_numbers_titles_quadrants_and_owners() -> None:
    assert ids(sort_rows(ROWS, "rank", True))[0] == ids(ROWS)[-1]
    impacts = [r.impact for r in sort_rows(ROWS, "impact", True)]
    assert impacts == sorted(impacts, reverse=True)
    titles = [r.title.casefold() for r in sort_rows(ROWS, "title", False)]
    assert titles == sorted(titles)
    quadrants = [r.quadrant for r in sort_rows(ROWS, "quadrant", False)]
    assert quadrants[0] is Quadrant.QUICK_WINS
    assert quadrants[-1] is Quadrant.AVOID
    owners = [r.owner for r in sort_rows(ROWS, "owner", False)]
    assert owners[0] == "ana"
    assert owners[-1] == ""  # unowned last


def test_sort_refuses_an_unknown_column() -> None:
    with pytest.raises(ValueError, match="columns: rank, title"):
        sort_rows(ROWS, "colour", False)


def test_next_column_cycles_and_describe_sort() -> None:
    assert next_column("rank") == "title"
    assert next_column("owner") == "rank"
    assert next_column("rank", -1) == "owner"
    assert describe_sort("score", True) == "sorted by score ▼"
    assert describe_sort("rank", False) == "sorted by rank ▲"


# --- filtering -------------------------------------------------------------------


def test_empty_filter_keeps_everything() -> None:
    assert RowFilter().is_empty
    assert filter_rows(ROWS, RowFilter()) == ROWS


def test_filter_each_constraint() -> None:
    by_stage = filter_rows(ROWS, RowFilter(stages=frozenset({Stage.TRAINING})))
    assert set(ids(by_stage)) == {"fraud", "search"}
    by_owner = filter_rows(ROWS, RowFilter(owners=frozenset({"ANA"})))
    assert set(ids(by_owner)) == {"fraud", "hostile"}
    by_tag = filter_rows(ROWS, RowFilter(tags=frozenset({"vision", "risk"})))
    assert set(ids(by_tag)) == {"fraud", "driving", "captions"}
    by_archetype = filter_rows(ROWS, RowFilter(archetypes=frozenset({Archetype.AUTONOMOUS})))
    assert set(ids(by_archetype)) == {"driving", "captions"}
    by_quadrant = filter_rows(ROWS, RowFilter(quadrants=frozenset({Quadrant.BIG_BETS})))
    assert set(ids(by_quadrant)) == {"triage", "driving"}


def test_search_needs_every_word_in_title_or_id() -> None:
    assert ids(filter_rows(ROWS, RowFilter(text="FRAUD card"))) == ["fraud"]
    assert ids(filter_rows(ROWS, RowFilter(text="ab-test"))) == ["ab-test"]
    assert ids(filter_rows(ROWS, RowFilter(text="[wip]"))) == ["triage"]
    assert filter_rows(ROWS, RowFilter(text="fraud churn")) == ()


def test_constraints_combine_with_and() -> None:
    flt = RowFilter(stages=frozenset({Stage.TRAINING}), owners=frozenset({"chen"}))
    assert ids(filter_rows(ROWS, flt)) == ["search"]
    assert flt.matches(next(r for r in ROWS if r.project_id == "search"))
    assert not flt.matches(next(r for r in ROWS if r.project_id == "fraud"))


# --- the filter language ----------------------------------------------------------


def test_parse_the_example_expression() -> None:
    flt = parse_filter(
        'stage:training,data owner:ana quadrant:"quick wins" tag:nlp archetype:autonomous fraud'
    )
    assert flt == RowFilter(
        stages=frozenset({Stage.TRAINING, Stage.DATA}),
        archetypes=frozenset({Archetype.AUTONOMOUS}),
        quadrants=frozenset({Quadrant.QUICK_WINS}),
        owners=frozenset({"ana"}),
        tags=frozenset({"nlp"}),
        text="fraud",
    )


@pytest.mark.parametrize(
    "spelling", ["quick_wins", "quick-wins", '"Quick Wins"', '"quick wins"', "QUICKWINS"]
)
def test_quadrant_by_key_or_display_name(spelling: str) -> None:
    assert parse_filter(f"quadrant:{spelling}").quadrants == {Quadrant.QUICK_WINS}


def test_quadrant_by_the_portfolios_own_name() -> None:
    labels = {Quadrant.QUICK_WINS: "do now"}
    assert parse_filter('quadrant:"do now"', quadrant_labels=labels).quadrants == {
        Quadrant.QUICK_WINS
    }


def test_archetypes_by_value_or_name() -> None:
    flt = parse_filter("archetype:human_in_the_loop,software-2.0")
    assert flt.archetypes == {Archetype.HUMAN_IN_THE_LOOP, Archetype.SOFTWARE_2_0}


def test_known_owners_and_tags_give_canonical_spelling() -> None:
    flt = parse_filter("owner:ANA tag:NLP", owners=["Ana", "bo"], tags=["nlp"])
    assert flt.owners == {"Ana"}
    assert flt.tags == {"nlp"}


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("colour:red", "unknown filter key 'colour'; keys: stage, archetype, quadrant"),
        ("stage:trainng", "unknown stage 'trainng'; stages: planning, data, training"),
        ("quadrant:best", "quadrants: quick wins, big bets, fill-ins, avoid"),
        ("archetype:robot", "archetypes: software-2.0, human-in-the-loop, autonomous"),
        ("stage:", "stage: needs a value"),
        ("owner:zed", "unknown owner 'zed'; owners: ana, bo"),
    ],
)
def test_bad_expressions_explain_in_one_line(expression: str, message: str) -> None:
    with pytest.raises(FilterError, match=message) as caught:
        parse_filter(expression, owners=["ana", "bo"])
    assert "\n" not in str(caught.value)


def test_quoted_words_and_unknown_owners_without_vocabulary() -> None:
    assert parse_filter('"v2:beta" x').text == "v2:beta x"
    assert parse_filter("owner:zed").owners == {"zed"}
    assert parse_filter("it's").text == "it's"


def test_describe_and_format_filter() -> None:
    flt = RowFilter(
        stages=frozenset({Stage.TRAINING, Stage.DATA}),
        quadrants=frozenset({Quadrant.QUICK_WINS}),
        owners=frozenset({"ana lee"}),
        text="fraud",
    )
    assert describe_filter(RowFilter()) == "no filter"
    assert describe_filter(flt, {Quadrant.QUICK_WINS: "do now"}) == (
        "stage: data, training; quadrant: do now; owner: ana lee; search: fraud"
    )
    assert format_filter(flt) == 'stage:data,training quadrant:quick_wins owner:"ana lee" fraud'
    assert parse_filter(format_filter(flt)) == flt


def test_quadrant_labels_fill_defaults() -> None:
    labels = quadrant_labels([row(quadrant=Quadrant.AVOID)])
    assert labels[Quadrant.AVOID] == "avoid"
    assert labels[Quadrant.QUICK_WINS] == "quick wins"


# --- properties ------------------------------------------------------------------

_words = st.text(alphabet="abcxyz-_ ", max_size=6)
_rows = st.lists(
    st.builds(
        row,
        pid=st.text(alphabet="abcxyz", min_size=1, max_size=4),
        rank=st.integers(1, 50),
        title=_words,
        owner=st.sampled_from(["", "ana", "bo"]),
        stage=st.sampled_from(Stage),
        archetype=st.sampled_from(Archetype),
        tags=st.lists(st.sampled_from(["nlp", "vision"]), max_size=2).map(tuple),
        impact=st.floats(1, 5),
        feasibility=st.floats(1, 5),
        quadrant=st.sampled_from(Quadrant),
        score=st.floats(0, 100),
        warnings=st.integers(0, 3),
    ),
    max_size=12,
).map(tuple)
_filters = st.builds(
    RowFilter,
    stages=st.frozensets(st.sampled_from(Stage), max_size=2),
    archetypes=st.frozensets(st.sampled_from(Archetype), max_size=1),
    quadrants=st.frozensets(st.sampled_from(Quadrant), max_size=2),
    owners=st.frozensets(st.sampled_from(["ana", "bo"]), max_size=1),
    tags=st.frozensets(st.sampled_from(["nlp", "vision"]), max_size=1),
    text=st.text(alphabet="abcxyz ", max_size=4),
)


@given(rows=_rows, flt=_filters, column=st.sampled_from(COLUMN_KEYS), descending=st.booleans())
def test_filter_never_adds_and_sort_is_an_idempotent_permutation(
    rows: tuple[RankRow, ...], flt: RowFilter, column: str, descending: bool
) -> None:
    kept = filter_rows(rows, flt)
    assert len(kept) <= len(rows)
    assert all(r in rows for r in kept)
    assert all(flt.matches(r) for r in kept)
    ordered = sort_rows(rows, column, descending)
    assert sorted(ordered, key=id) == sorted(rows, key=id)
    assert sort_rows(ordered, column, descending) == ordered
    assert parse_filter(format_filter(flt)) == flt.with_text(" ".join(flt.text.split()))


def test_equal_looking_scores_sort_by_the_exact_ranking() -> None:
    """Rows showing the same rounded score keep the exact ranking's order either way."""
    rows = (
        row("second", rank=2, score=39.1),
        row("first", rank=1, score=39.1),
        row("third", rank=3, score=20.0),
    )
    assert ids(sort_rows(rows, "score", True)) == ["first", "second", "third"]
    assert ids(sort_rows(rows, "score", False)) == ["third", "second", "first"]
