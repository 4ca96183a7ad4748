"""A save after an edit reuses the text of the projects it left alone, and writes the same bytes.

`portfolio.dumps` keeps the canonical text of each project it wrote, by
identity; these tests hold it to the full canonical dump (`reuse=False`),
byte for byte, before and after edits, and count what it writes again.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import portfolios, projects

from bench.generate import generate_portfolio
from core.edits.changes import MoveProject, RemoveProject, SetField
from core.models import Portfolio, Project, Stage
from portfolio import dumps

save_module = importlib.import_module("portfolio.save")
"""`portfolio.save` the module (the package exports the function under that name)."""

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _replaced(portfolio: Portfolio, index: int, project: Project) -> Portfolio:
    """`portfolio` with the project at `index` swapped for `project` (given its id)."""
    swapped = project.model_copy(update={"id": portfolio.projects[index].id})
    rest = list(portfolio.projects)
    rest[index] = swapped
    return portfolio.model_copy(update={"projects": tuple(rest)})


@EXAMPLES
@given(portfolios(), st.data())
def test_reused_text_equals_a_full_dump_before_and_after_a_change(
    portfolio: Portfolio, data: st.DataObject
) -> None:
    assert dumps(portfolio) == dumps(portfolio, reuse=False)
    assert dumps(portfolio) == dumps(portfolio, reuse=False)  # now every project is reused
    if not portfolio.projects:
        return
    index = data.draw(st.integers(0, len(portfolio.projects) - 1))
    changed = _replaced(portfolio, index, data.draw(projects()))
    assert dumps(changed) == dumps(changed, reuse=False)
    shorter = changed.model_copy(update={"projects": changed.projects[:index]})
    assert dumps(shorter) == dumps(shorter, reuse=False)


def test_a_save_after_one_edit_writes_only_the_edited_project_again() -> None:
    portfolio = generate_portfolio(300, 7)
    first = dumps(portfolio)
    assert save_module._PROJECT_TEXTS.written == 300
    moved = next(p for p in portfolio.projects if p.stage is Stage.DATA)
    after = MoveProject(moved.id, Stage.TRAINING).apply(portfolio, NOW, "ana")
    text = dumps(after)
    assert save_module._PROJECT_TEXTS.written == 1
    assert text == dumps(after, reuse=False)
    assert text != first
    renamed = SetField(moved.id, "title", "A new title").apply(after, NOW, "ana")
    removed = RemoveProject(portfolio.projects[0].id).apply(renamed, NOW, "ana")
    assert dumps(removed) == dumps(removed, reuse=False)
    assert save_module._PROJECT_TEXTS.written == 0 + 1  # the renamed one; the removed one is gone


def test_projects_written_inline_fall_back_to_the_full_dump() -> None:
    tiny = Portfolio(projects=(Project(id="a", title="A"), Project(id="b", title="B")))
    assert "[[projects]]" not in dumps(tiny, reuse=False)
    assert dumps(tiny) == dumps(tiny, reuse=False)
