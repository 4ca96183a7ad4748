"""The diff's field-level layer: every changed field of every project and of the settings.

The semantic headlines (stage moves, quadrant flips, verdicts) are tested in
test_diff.py; here, that no change is ever silent: the issue's own case through
the command line, paths for items keyed by name, and a property test over
generated pairs against an independent flattening of the two files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import EXAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import portfolios, projects

from core.compare.diff import diff_portfolios
from core.models import Answer, Portfolio, Project
from core.vocabulary import Archetype
from portfolio import load, save
from portfolio.exports.diff_render import change_lines
from tui.cli import main

Leaf = tuple[str | int, ...]
"""A path as keys: the property test's independent spelling of a field path."""


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return load(EXAMPLE)


def edited(portfolio: Portfolio, project_id: str, **changes: Any) -> Portfolio:
    """`portfolio` with the fields of one project replaced."""
    return portfolio.model_copy(
        update={
            "projects": tuple(
                p.model_copy(update=changes) if p.id == project_id else p
                for p in portfolio.projects
            )
        }
    )


def issue_case(example: Portfolio) -> Portfolio:
    """The issue's finding 7: archetype, owner, success criteria, a flywheel answer, a score."""
    invoice = example.project("invoice-extraction")
    assert invoice is not None
    first = invoice.models[0]
    rescored = first.model_copy(update={"scores": {**first.scores, "field_exact_match": 0.87}})
    return edited(
        example,
        "invoice-extraction",
        archetype=Archetype.AUTONOMOUS,
        owner="Someone else",
        success_criteria="Different criteria.",
        flywheel=invoice.flywheel.model_copy(update={"data_loop": Answer.NO}),
        models=(rescored, *invoice.models[1:]),
    )


EXPECTED_PATHS = [
    "projects[invoice-extraction].owner",
    "projects[invoice-extraction].archetype",
    "projects[invoice-extraction].success_criteria",
    "projects[invoice-extraction].flywheel.data_loop",
    "projects[invoice-extraction].models[layout-ft-v1].scores[field_exact_match]",
]


def test_the_issue_case_is_reported_field_by_field(example: Portfolio) -> None:
    diff = diff_portfolios(example, issue_case(example))
    assert not diff.is_empty
    change = diff.project("invoice-extraction")
    assert change is not None
    assert [f.path for f in change.fields] == EXPECTED_PATHS
    score = change.fields[-1]
    assert (score.kind, score.before, score.after) == ("changed", 0.86, 0.87)
    lines = change_lines(change)
    assert 'archetype: "human-in-the-loop" → "autonomous"' in lines
    assert "models[layout-ft-v1].scores[field_exact_match]: 0.86 → 0.87" in lines


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_mlfolio_diff_shows_the_issue_case(
    example: Portfolio, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    save(example, old)
    save(issue_case(example), new)
    assert main(["diff", str(old), str(new), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "no differences" not in out
    if fmt == "json":
        data = json.loads(out)
        assert data["empty"] is False
        (change,) = data["changed"]
        assert [f["path"] for f in change["fields"]] == EXPECTED_PATHS
    else:
        assert "flywheel.data_loop" in out
        assert "success_criteria" in out


def test_items_are_keyed_by_name_and_added_or_removed_whole(example: Portfolio) -> None:
    fraud = example.project("payment-fraud")
    assert fraud is not None
    recall = fraud.metrics[0]
    metrics = (recall.model_copy(update={"notes": "n"}), *fraud.metrics[2:])
    diff = diff_portfolios(example, edited(example, "payment-fraud", metrics=metrics))
    change = diff.project("payment-fraud")
    assert change is not None
    found = {(f.path, f.kind) for f in change.fields}
    assert found == {
        ("projects[payment-fraud].metrics[fraud_recall].notes", "changed"),
        ("projects[payment-fraud].metrics[false_positive_rate]", "removed"),
    }


def test_settings_and_the_project_order_are_reported(example: Portfolio) -> None:
    reordered = example.model_copy(update={"projects": example.projects[::-1]})
    diff = diff_portfolios(example, reordered)
    assert not diff.is_empty
    assert diff.order is not None
    assert diff.order.after == tuple(p.id for p in reordered.projects)
    renamed = example.model_copy(
        update={"settings": example.settings.model_copy(update={"stale_days": 7})}
    )
    assert [s.name for s in diff_portfolios(example, renamed).settings] == ["stale_days"]


# -- the property ----------------------------------------------------------------------------


def _flatten(
    value: Any, parts: tuple[str | int, ...], out: dict[tuple[str | int, ...], Any]
) -> None:
    """Leaves of a JSON dump; lists of named tables keyed by name, other tables by position."""
    if isinstance(value, dict | list) and not value:
        return  # an empty table or list holds no field
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, (*parts, key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        key = "name" if all("name" in v for v in value) else None
        for index, item in enumerate(value):
            _flatten(item, (*parts, item[key] if key else index), out)
    else:
        out[parts] = value


def leaves(portfolio: Portfolio) -> dict[tuple[str | int, ...], Any]:
    """Every leaf of the portfolio, projects keyed by id, schema left out."""
    out: dict[tuple[str | int, ...], Any] = {}
    _flatten(portfolio.settings.model_dump(mode="json", by_alias=True), ("settings",), out)
    for project in portfolio.projects:
        dumped = project.model_dump(mode="json", by_alias=True)
        _flatten(dumped, ("projects", project.id), out)
    return out


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Portfolio, Portfolio]:
    """A portfolio and a variant: identical, or with fields swapped in from another draw."""
    old = draw(portfolios(max_projects=3))
    new = old
    change_one: bool = draw(st.booleans())
    if old.projects and change_one:
        index = draw(st.integers(0, len(old.projects) - 1))
        target = old.projects[index]
        donor = draw(projects(project_id=target.id))
        names = sorted(set(Project.model_fields) - {"id"})
        swapped = draw(st.lists(st.sampled_from(names), unique=True, max_size=4))
        update = {name: getattr(donor, name) for name in swapped}
        projects_ = list(old.projects)
        projects_[index] = target.model_copy(update=update)
        new = old.model_copy(update={"projects": tuple(projects_)})
    if draw(st.booleans()):
        other = draw(portfolios(max_projects=0))
        new = new.model_copy(update={"settings": other.settings})
    return old, new


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs())
def test_every_changed_field_is_named_and_nothing_else(pair: tuple[Portfolio, Portfolio]) -> None:
    old, new = pair
    before, after = leaves(old), leaves(new)
    differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    diff = diff_portfolios(old, new)
    assert diff.is_empty == (not differing)
    reported: list[Leaf] = [("settings", *s.parts) for s in diff.settings]
    reported += [f.parts for change in diff.changed for f in change.fields]
    for leaf in differing:
        assert any(leaf[: len(r)] == r for r in reported), leaf
    for path in reported:
        assert any(leaf[: len(path)] == path for leaf in differing), path


@settings(max_examples=25, deadline=None)
@given(portfolios(max_projects=3))
def test_an_identical_copy_gives_an_empty_diff(portfolio: Portfolio) -> None:
    copy = Portfolio.model_validate(portfolio.model_dump(by_alias=True))
    assert diff_portfolios(portfolio, copy).is_empty
