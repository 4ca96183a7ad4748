"""The benchmark generator makes valid, varied, reproducible portfolios; the io benchmark runs.

No timing is asserted here: the figures are for `make bench` to report.
"""

from __future__ import annotations

import gc
import sys
from collections import Counter
from datetime import UTC
from pathlib import Path

import pytest

import portfolio
from core.models import Portfolio, Project, Stage, TransitionKind
from core.rules.evaluation import resolve_thresholds
from core.rules.lifecycle import plan_move

# `bench` is not an installed package; make the checkout importable when pytest
# does not put it on the path itself (it can go once pytest's `pythonpath` has ".").
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import bench.__main__ as bench_main  # noqa: E402
from bench import io_bench  # noqa: E402
from bench.generate import (  # noqa: E402
    MAX_TRANSITIONS,
    generate_data,
    generate_portfolio,
    generate_toml,
)
from bench.harness import Budget, Options, Row, format_table, ratio  # noqa: E402

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def sample() -> Portfolio:
    """A portfolio large enough that every kind of project shows up."""
    return generate_portfolio(300, seed=11)


@pytest.mark.parametrize("n", [0, 1, 7, 120])
def test_makes_the_requested_number_of_projects(n: int) -> None:
    made = generate_portfolio(n, seed=3)
    assert gc.isenabled()
    assert len(made.projects) == n
    assert len({p.id for p in made.projects}) == n


def test_refuses_a_negative_size() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        generate_data(-1)


def test_same_seed_same_portfolio_other_seed_another() -> None:
    assert generate_data(40, seed=5) == generate_data(40, seed=5)
    assert generate_portfolio(40, seed=5) == generate_portfolio(40, seed=5)
    assert generate_portfolio(40, seed=5) != generate_portfolio(40, seed=6)


def test_round_trips_through_dumps_and_loads(sample: Portfolio) -> None:
    text = portfolio.dumps(sample)
    assert portfolio.loads(text) == sample
    assert generate_toml(300, seed=11) == text


def test_projects_have_the_promised_shape(sample: Portfolio) -> None:
    for project in sample.projects:
        assert 2 <= len(project.metrics) <= 4
        assert sum(m.optimise for m in project.metrics) == 1
        assert 1 <= len(project.baselines) <= 3
        assert 0 <= len(project.models) <= 3
        assert len(project.history) <= MAX_TRANSITIONS
        names = {m.name for m in project.metrics}
        for baseline in project.baselines:
            assert set(baseline.scores) == names
        for model in project.models:
            assert set(model.scores) == names
            assert set(model.train_scores) in (set(), names)
        assert all(t.problem is None for t in resolve_thresholds(project)), project.id


def test_portfolio_is_varied(sample: Portfolio) -> None:
    projects = sample.projects
    assert set(Counter(p.stage for p in projects)) == set(Stage)
    assert {len(p.history) for p in projects} == set(range(MAX_TRANSITIONS + 1))
    assert {len(p.models) for p in projects} == {0, 1, 2, 3}
    assert any(p.impact.ranges for p in projects)  # type: ignore[union-attr]  # scored in this test
    assert any(p.feasibility.ranges for p in projects)  # type: ignore[union-attr]  # scored in this test
    assert any(p.feasibility.accuracy_target is not None for p in projects)  # type: ignore[union-attr]  # scored in this test
    assert any(m.train_scores for p in projects for m in p.models)
    assert any(p.metric_strategy == "weighted" for p in projects)
    assert any(t.kind is TransitionKind.BACK for p in projects for t in p.history)
    assert any(t.kind is TransitionKind.RESUME for p in projects for t in p.history)
    assert any(t.checklist_override for p in projects for t in p.history)


def _replay(project: Project) -> None:
    """Replay the history through the lifecycle's own rules; each move must come back identical."""
    at = project.model_copy(update={"stage": Stage.PLANNING, "history": ()})
    for i, recorded in enumerate(project.history):
        planned = plan_move(
            at,
            recorded.to_stage,
            now=recorded.at,
            by=recorded.by,
            reason=recorded.reason,
            override=recorded.checklist_override,
        )
        assert planned == recorded, f"{project.id} move {i}"
        at = at.model_copy(update={"stage": recorded.to_stage, "history": project.history[: i + 1]})
    assert at.stage is project.stage


def test_history_follows_the_lifecycle(sample: Portfolio) -> None:
    for project in sample.projects:
        _replay(project)
        times = [t.at for t in project.history]
        assert times == sorted(times)
        assert len(set(times)) == len(times)
        assert project.created_at is not None
        assert project.updated_at is not None
        assert all(t.tzinfo is UTC for t in (*times, project.created_at, project.updated_at))
        if project.history:
            assert project.history[0].from_stage is Stage.PLANNING
            assert project.created_at < times[0] < project.updated_at
            assert project.history[-1].to_stage is project.stage
        else:
            assert project.stage is Stage.PLANNING
        for transition in project.history:
            if transition.kind is TransitionKind.BACK:
                assert transition.reason


def test_ratio_and_verdict() -> None:
    assert ratio(3, 2) == 1.5
    assert ratio(1, 0) == float("inf")
    row = Row("case", 10, ours_ns=2, reference_ns=4, target=0.6, runs=1)
    assert row.verdict == "ok"
    assert Row("case", 10, 3, 4, 0.6, 1).verdict == "OVER"
    assert Row("case", 10, 3, 4, None, 1).verdict == "info"
    table = format_table([row])
    assert "0.50x" in table
    assert "ok" in table


def test_runs_fit_the_budget() -> None:
    budget = Budget(seconds=1.0, min_repeat=5, max_repeat=50, patience=15.0, floor=3)
    ms = 1_000_000
    assert budget.runs_for(100 * ms) == 10
    assert budget.runs_for(1 * ms) == 50
    assert budget.runs_for(700 * ms) == 5
    assert budget.runs_for(4_000 * ms) == 3
    assert budget.runs_for(60_000 * ms) == 3
    assert Budget(repeat=1).runs_for(60_000 * ms) == 1


def test_io_benchmark_runs_on_a_tiny_portfolio() -> None:
    rows: list[Row] = []
    options = Options(budget=Budget(repeat=1, warmup=1), sizes=(20,))
    returned = io_bench.run(options, rows.append)
    assert returned == rows
    assert [r.case.strip().split(":")[0] for r in rows] == [
        "load",
        "parse",
        "parse",
        "validate",
        "save",
        "save",
        "serialise",
    ]
    assert all(r.n == 20 and r.runs == 1 for r in rows)
    assert all(r.ours_ns > 0 and r.reference_ns > 0 for r in rows)


def test_unknown_benchmark_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        bench_main.main(["--only", "no-such-benchmark"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_a_crashing_benchmark_gives_exit_status_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench_main, "BENCHMARKS", ("bench.no_such_benchmark_module",))
    assert bench_main.main([]) == 1
    assert "crashed: bench.no_such_benchmark_module" in capsys.readouterr().err
