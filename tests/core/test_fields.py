"""The editor's field tables: every path resolves, parses and is accepted by SetField."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from factories import EARLIER
from hypothesis import given
from hypothesis import strategies as st

from core.edits.changes import EditError, PutItem, SetField, SetItems
from core.forms.fields import (
    FieldKind,
    FieldSpec,
    display_value,
    edit_text,
    format_scores,
    parse_scores,
    parse_value,
    project_fields,
    step,
    value_at,
)
from core.forms.help import CHECKLIST_LABELS
from core.forms.items import (
    COLLECTIONS,
    ItemDraft,
    item_data,
    item_edit,
    item_fields,
    item_summary,
    item_texts,
)
from core.models import (
    Baseline,
    BaselineKind,
    CandidateModel,
    Direction,
    Metric,
    Portfolio,
    Project,
    ScoreRange,
)
from core.vocabulary import (
    ARCHETYPE_QUESTIONS,
    CHECKLIST_ITEMS,
    FEASIBILITY_QUESTIONS,
    FLYWHEEL_QUESTIONS,
    Archetype,
)


def sample_project(**fields: Any) -> Project:
    """A project with a metric, a baseline and a model, overridable by keyword."""
    data: dict[str, Any] = {
        "id": "churn",
        "title": "Churn",
        "metrics": (
            Metric(name="auc", optimise=True),
            Metric(name="latency", direction=Direction.MINIMIZE, threshold=200.0, unit="ms"),
        ),
        "baselines": (
            Baseline(name="rules", kind=BaselineKind.SCRIPTED_RULES, scores={"auc": 0.7}),
        ),
        "models": (CandidateModel(name="gbm", scores={"auc": 0.8}, train_scores={"auc": 0.9}),),
    }
    return Project.model_validate(data | fields)


def sample_portfolio(project: Project | None = None) -> Portfolio:
    """One sample project and a bystander."""
    return Portfolio(projects=(project or sample_project(), Project(id="other", title="Other")))


def all_specs(project: Project) -> list[FieldSpec]:
    """Every field spec of `project`, in order."""
    return [spec for section in project_fields(project) for spec in section.fields]


SAMPLES: dict[str, Any] = {
    "score": 4,
    "optional_score": 2,
    "float": 0.99,
    "text": "first line\nsecond [b]line[/b]",
    "line": "A [bold]line[/]",
    "bool": True,
    "tags": ("nlp", "q3"),
    "range": {"low": 2, "high": 4},
}


def sample_value(spec: FieldSpec) -> Any:
    """A valid value for the spec's kind (choices pick their last option)."""
    if spec.kind in ("choice", "answer"):
        return spec.choices[-1]
    return SAMPLES[spec.kind]


def portfolio_for(spec: FieldSpec) -> Portfolio:
    """A sample portfolio in which the spec's sample value makes sense."""
    if spec.path == "feasibility.ranges.accuracy_requirement":
        return sample_portfolio(sample_project(feasibility={"accuracy_requirement": 3}))
    return sample_portfolio()


def test_sections_in_the_lectures_order() -> None:
    titles = [section.title for section in project_fields(sample_project())]
    assert titles == [
        "General",
        "Impact",
        "Feasibility",
        "Checklist",
        "Archetype questions",
        "Data flywheel",
        "Evaluation",
    ]


def test_every_spec_is_well_formed() -> None:
    kinds = set(get_args(FieldKind))
    for section in project_fields(sample_project()):
        assert section.help
        for spec in section.fields:
            assert spec.kind in kinds
            assert spec.label
            assert spec.help
            assert spec.section == section.title
            assert bool(spec.choices) == (spec.kind in ("choice", "answer"))


def test_paths_are_unique() -> None:
    paths = [spec.path for spec in all_specs(sample_project())]
    assert len(paths) == len(set(paths))


def test_the_lectures_questions_are_all_there() -> None:
    specs = {spec.path: spec for spec in all_specs(sample_project())}
    for driver, questions in FEASIBILITY_QUESTIONS.items():
        assert f"feasibility.{driver}" in specs
        for key, question in questions:
            assert specs[f"feasibility.notes.{key}"].help == question
    for key, wording in CHECKLIST_ITEMS:
        assert specs[f"checklist.{key}"].help == wording
        assert key in CHECKLIST_LABELS
    for key, question in FLYWHEEL_QUESTIONS:
        assert specs[f"flywheel.{key}"].help == question
    assert "feasibility.accuracy_target" in specs
    assert "metric_strategy" in specs


@pytest.mark.parametrize("archetype", list(Archetype))
def test_archetype_section_follows_the_archetype(archetype: Archetype) -> None:
    project = sample_project(archetype=archetype, archetype_notes={"old_key": "kept"})
    section = project_fields(project)[4]
    expected = [f"archetype_notes.{key}" for key, _ in ARCHETYPE_QUESTIONS[archetype]]
    paths = [spec.path for spec in section.fields]
    assert paths == [*expected, "archetype_notes.old_key"]
    assert all(spec.optional for spec in section.fields)


def test_every_path_resolves_on_a_default_project() -> None:
    project = Project(id="p", title="P")
    for spec in all_specs(project):
        value_at(project, spec.path)


def test_unknown_path_is_refused() -> None:
    with pytest.raises(KeyError):
        value_at(sample_project(), "impact.nope")


@pytest.mark.parametrize("spec", all_specs(sample_project()), ids=lambda spec: spec.path)
def test_every_spec_is_accepted_by_set_field(spec: FieldSpec) -> None:
    before = portfolio_for(spec)
    value = sample_value(spec)
    after = SetField("churn", spec.path, value).apply(before, EARLIER, "ann")
    project = after.project("churn")
    assert project is not None
    stored = value_at(project, spec.path)
    if spec.kind == "range":
        assert stored == ScoreRange(**value)
    else:
        assert stored == value


@pytest.mark.parametrize("spec", all_specs(sample_project()), ids=lambda spec: spec.path)
def test_typed_text_round_trips(spec: FieldSpec) -> None:
    before = portfolio_for(spec)
    project = SetField("churn", spec.path, sample_value(spec)).apply(before, EARLIER, "ann")
    changed = project.project("churn")
    assert changed is not None
    value = value_at(changed, spec.path)
    parsed = parse_value(spec, edit_text(spec, value))
    again = SetField("churn", spec.path, parsed).apply(project, EARLIER, "ann").project("churn")
    assert again is not None
    assert value_at(again, spec.path) == value
    assert "\n" not in display_value(spec, value)


@pytest.mark.parametrize(
    "spec", [s for s in all_specs(sample_project()) if s.optional], ids=lambda spec: spec.path
)
def test_optional_fields_clear_on_empty_input(spec: FieldSpec) -> None:
    before = portfolio_for(spec)
    filled = SetField("churn", spec.path, sample_value(spec)).apply(before, EARLIER, "ann")
    assert parse_value(spec, "  ") is None
    cleared = SetField("churn", spec.path, None).apply(filled, EARLIER, "ann").project("churn")
    assert cleared is not None
    assert value_at(cleared, spec.path) is None


def spec_at(path: str) -> FieldSpec:
    """The project field spec with this path."""
    return next(spec for spec in all_specs(sample_project()) if spec.path == path)


def test_step_scores_clamp() -> None:
    spec = spec_at("impact.automation")
    assert step(sample_project(impact={}), spec, 1) == 4
    assert step(sample_project(), spec, 1) == 3  # an unscored impact starts in the middle
    assert step(sample_project(impact={"automation": 5}), spec, 1) == 5
    assert step(sample_project(impact={"automation": 1}), spec, -1) == 1


def test_step_unset_optional_score_starts_in_the_middle() -> None:
    spec = spec_at("feasibility.accuracy_requirement")
    assert step(sample_project(), spec, 1) == 3
    assert step(sample_project(feasibility={"accuracy_requirement": 2}), spec, -1) == 1


def test_step_cycles_choices_and_answers_and_toggles_bools() -> None:
    project = sample_project()
    archetype = spec_at("archetype")
    assert step(project, archetype, 1) == "human-in-the-loop"
    assert step(project, archetype, -1) == "autonomous"
    assert step(project, spec_at("flywheel.data_loop"), 1) == "yes"
    assert step(project, spec_at("checklist.ethics"), 1) is True
    assert step(project, spec_at("metric_strategy"), 1) == "weighted"


def test_step_refuses_typed_kinds() -> None:
    with pytest.raises(ValueError, match="press enter"):
        step(sample_project(), spec_at("title"), 1)


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("impact.automation", " 4 ", 4),
        ("feasibility.accuracy_target", "99.9%", pytest.approx(0.999)),
        ("feasibility.accuracy_target", "0.95", 0.95),
        ("feasibility.accuracy_target", "", None),
        ("impact.ranges.automation", "2-4", {"low": 2, "high": 4}),
        ("impact.ranges.automation", "2 – 5", {"low": 2, "high": 5}),
        ("impact.ranges.automation", "3", {"low": 3, "high": 3}),
        ("impact.ranges.automation", "", None),
        ("checklist.ethics", "Yes", True),
        ("checklist.ethics", "n", False),
        ("archetype", "auto", "autonomous"),
        ("flywheel.data_loop", "NO", "no"),
        ("tags", " a, b,, a ,c", ("a", "b", "c")),
        ("title", "  [@click=app.quit]x[/]  ", "[@click=app.quit]x[/]"),
        ("owner", "", ""),
    ],
)
def test_parse_value(path: str, text: str, expected: Any) -> None:
    assert parse_value(spec_at(path), text) == expected


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("impact.automation", "four", "whole number"),
        ("impact.automation", "", "needs a value"),
        ("feasibility.accuracy_target", "most", "not a number"),
        ("feasibility.accuracy_target", "inf", "finite"),
        ("impact.ranges.automation", "2-", "range such as 2-4"),
        ("checklist.ethics", "maybe", "yes or no"),
        ("archetype", "robot", "one of"),
        ("metric_strategy", "", "needs a value"),
    ],
)
def test_parse_value_errors_are_one_line(path: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_value(spec_at(path), text)
    assert "\n" not in str(caught.value)


def test_a_score_out_of_range_parses_and_the_edit_refuses_it() -> None:
    value = parse_value(spec_at("impact.automation"), "7")
    with pytest.raises(EditError, match="less than or equal to 5"):
        SetField("churn", "impact.automation", value).apply(sample_portfolio(), EARLIER, "ann")


def test_a_range_that_misses_the_score_is_refused_by_the_edit() -> None:
    value = parse_value(spec_at("impact.ranges.automation"), "4-5")
    with pytest.raises(EditError, match="outside its range"):
        SetField("churn", "impact.ranges.automation", value).apply(sample_portfolio(), EARLIER, "a")


def test_display_values() -> None:
    assert display_value(spec_at("impact.automation"), 4) == "●●●●○ 4"
    assert display_value(spec_at("notes"), "one\ntwo") == "one …"
    assert display_value(spec_at("notes"), "") == "—"
    assert display_value(spec_at("checklist.ethics"), True) == "[x] done"
    assert display_value(spec_at("impact.ranges.automation"), ScoreRange(low=2, high=4)) == "2–4"
    assert display_value(spec_at("feasibility.accuracy_target"), None) == "—"
    assert display_value(spec_at("tags"), ("a", "b")) == "a, b"


def test_parse_scores() -> None:
    assert parse_scores("auc=0.8, f1 = 0.7,") == {"auc": 0.8, "f1": 0.7}
    assert parse_scores("  ") == {}
    assert parse_scores("acc=95%") == {"acc": pytest.approx(0.95)}
    for bad in ("auc", "=0.8", "auc=high", "auc=1, auc=2"):
        with pytest.raises(ValueError, match="scores"):
            parse_scores(bad)


@given(
    st.dictionaries(
        st.text(
            st.characters(blacklist_characters=",=", blacklist_categories=("Cc", "Cs", "Zs")),
            min_size=1,
            max_size=8,
        ),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        max_size=5,
    )
)
def test_scores_round_trip(scores: dict[str, float]) -> None:
    scores = {name.strip(): value for name, value in scores.items() if name.strip()}
    assert parse_scores(format_scores(scores)) == scores


# ------------------------------------------------------------------- items


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_item_forms_start_blank_and_parse(collection: str) -> None:
    texts = item_texts(collection, None)
    assert texts["name"] == ""
    assert list(texts) == [spec.path for spec in item_fields(collection)]
    data = item_data(collection, texts | {"name": "new-one"}, None)
    assert data["name"] == "new-one"


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_item_forms_round_trip_every_item(collection: str) -> None:
    project = sample_project()
    for item in getattr(project, collection):
        data = item_data(collection, item_texts(collection, item), item)
        assert type(item).model_validate(data) == item


def test_adding_a_metric() -> None:
    texts = item_texts("metrics", None) | {"name": "f1", "threshold": "0.8"}
    draft = ItemDraft("metrics", None, item_data("metrics", texts, None))
    edit = item_edit(sample_portfolio(), "churn", draft, EARLIER)
    assert isinstance(edit, PutItem)
    project = edit.apply(sample_portfolio(), EARLIER, "ann").project("churn")
    assert project is not None
    assert project.metric("f1") == Metric(name="f1", threshold=0.8)


def test_adding_a_name_that_exists_is_refused() -> None:
    texts = item_texts("metrics", None) | {"name": "auc"}
    draft = ItemDraft("metrics", None, item_data("metrics", texts, None))
    with pytest.raises(EditError, match="already a metric named 'auc'"):
        item_edit(sample_portfolio(), "churn", draft, EARLIER)


def test_an_invalid_item_is_refused_before_it_is_applied() -> None:
    latency = sample_project().metric("latency")
    texts = item_texts("metrics", latency) | {"threshold_baseline": "rules"}
    draft = ItemDraft("metrics", "latency", item_data("metrics", texts, latency))
    with pytest.raises(EditError, match="threshold or threshold_baseline"):
        item_edit(sample_portfolio(), "churn", draft, EARLIER)


def test_renaming_keeps_the_place_in_one_edit() -> None:
    latency = sample_project().metric("latency")
    texts = item_texts("metrics", latency) | {"name": "p95"}
    draft = ItemDraft("metrics", "latency", item_data("metrics", texts, latency))
    edit = item_edit(sample_portfolio(), "churn", draft, EARLIER)
    assert isinstance(edit, SetItems)
    project = edit.apply(sample_portfolio(), EARLIER, "ann").project("churn")
    assert project is not None
    assert [m.name for m in project.metrics] == ["auc", "p95"]
    assert project.metrics[1].threshold == 200.0


def test_renaming_onto_another_name_is_refused() -> None:
    models = (CandidateModel(name="gbm"), CandidateModel(name="rf"))
    portfolio = sample_portfolio(sample_project(models=models))
    data = item_data("models", item_texts("models", models[1]), models[1]) | {"name": "gbm"}
    with pytest.raises(EditError, match="already a model named 'gbm'"):
        item_edit(portfolio, "churn", ItemDraft("models", "rf", data), EARLIER)


def test_editing_an_item_someone_removed_is_refused() -> None:
    data = {"name": "new-name"}
    with pytest.raises(EditError, match="no model named 'ghost' any more"):
        item_edit(sample_portfolio(), "churn", ItemDraft("models", "ghost", data), EARLIER)


def test_item_summaries() -> None:
    project = sample_project()
    assert item_summary(project.metrics[0]) == "maximize · optimise"
    assert item_summary(project.metrics[1]) == "minimize · ≤ 200 ms"
    assert item_summary(project.baselines[0]) == "scripted-rules · auc=0.7"
    assert item_summary(project.models[0]) == "auc=0.8 (train auc=0.9)"
    relative = Metric(name="f1", threshold_baseline="rules", threshold_margin=0.02, weight=2)
    assert item_summary(relative) == "maximize · ≥ rules + 0.02 · weight 2"
