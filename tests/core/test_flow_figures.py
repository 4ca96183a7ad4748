"""Flow figures over hand-made histories whose answers are worked out by hand.

Four projects, all starting from day 0 = 2026-01-01:

- `loop` loops twice (training -> data, "Labels unreliable: ...";
  training -> planning, "Task too hard") and is killed on day 80;
- `open` is still in data, from day 25 to now (day 100);
- `ship` goes back once with a reason that is none of the lecture's, ships on day 60;
- `park` is parked on day 70 and stays parked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.flow.figures import flow_figures, time_in_stages
from core.flow.reasons import OTHER, reason_of
from core.flow.spans import Period, period_for, spread, stage_spans
from core.flow.timeline import timeline_cells
from core.models import Project, Stage, Transition, TransitionKind
from core.vocabulary import BackReason

DAY0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = DAY0 + timedelta(days=100)
P, D, T, Y = Stage.PLANNING, Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT
FWD, BACK, OUT = TransitionKind.FORWARD, TransitionKind.BACK, TransitionKind.OUTCOME


def day(n: float) -> datetime:
    return DAY0 + timedelta(days=n)


def move(n: float, a: Stage, b: Stage, kind: TransitionKind, reason: str = "") -> Transition:
    return Transition(at=day(n), from_stage=a, to_stage=b, by="ann", kind=kind, reason=reason)


def project(pid: str, created: float, stage: Stage, *history: Transition) -> Project:
    return Project(id=pid, title=pid, created_at=day(created), stage=stage, history=history)


LOOP = project(
    "loop",
    0,
    Stage.KILLED,
    move(10, P, D, FWD),
    move(30, D, T, FWD),
    move(40, T, D, BACK, "Labels unreliable: vendors disagree on 14%"),
    move(50, D, T, FWD),
    move(60, T, P, BACK, "task too hard"),
    move(70, P, D, FWD),
    move(80, D, Stage.KILLED, OUT),
)
OPEN = project("open", 20, D, move(25, P, D, FWD))
SHIP = project(
    "ship",
    0,
    Stage.SHIPPED,
    move(10, P, D, FWD),
    move(20, D, T, FWD),
    move(30, T, Y, FWD),
    move(45, Y, T, BACK, "the pilot wanted more"),
    move(55, T, Y, FWD),
    move(60, Y, Stage.SHIPPED, OUT),
)
PARK = project("park", 50, Stage.PARKED, move(70, P, Stage.PARKED, OUT, "waiting"))
ALL = (LOOP, OPEN, SHIP, PARK)


def test_spans_of_a_project_that_loops_twice() -> None:
    spans = stage_spans(LOOP, NOW)
    assert [(s.stage, s.days) for s in spans] == [
        (P, 10),
        (D, 20),
        (T, 10),
        (D, 10),
        (T, 10),
        (P, 10),
        (D, 10),
        (Stage.KILLED, 20),
    ]
    assert [s.entered_by for s in spans][:3] == [None, FWD, FWD]
    assert spans[3].entered_by is BACK
    assert spans[3].reason.startswith("Labels")
    assert [s.is_open for s in spans] == [False] * 7 + [True]


def test_time_in_stage_adds_every_visit() -> None:
    everything = period_for(NOW)
    assert time_in_stages(stage_spans(LOOP, NOW), everything) == {P: 20, D: 40, T: 20}
    assert time_in_stages(stage_spans(OPEN, NOW), everything) == {P: 5, D: 75}
    assert time_in_stages(stage_spans(SHIP, NOW), everything) == {P: 10, D: 10, T: 20, Y: 20}


def test_median_and_spread_per_stage() -> None:
    figures = flow_figures(ALL, NOW, period_for(NOW))
    planning = figures.stage_time(P).spread
    assert planning is not None
    # planning days: loop 20, open 5, ship 10, park 20
    assert (planning.count, planning.minimum, planning.maximum) == (4, 5, 20)
    assert (planning.q1, planning.median, planning.q3) == (8.75, 15, 20)
    data = figures.stage_time(D).spread
    assert data is not None
    assert (data.count, data.median) == (3, 40)
    deployment = figures.stage_time(Y).spread
    assert deployment is not None
    assert deployment.median == deployment.minimum == 20
    assert figures.stage_time(Stage.PARKED).spread == spread([30])
    # Who is in each stage now: open in data, park parked.
    assert [t.open_now for t in figures.stage_times] == [0, 1, 0, 0, 1]


def test_back_edges_by_edge_and_by_reason() -> None:
    figures = flow_figures(ALL, NOW, period_for(NOW))
    assert figures.back_edges == 3
    assert {(e.from_stage, e.to_stage, e.count) for e in figures.edges} == {
        (T, D, 1),
        (T, P, 1),
        (Y, T, 1),
    }
    counted = {(r.from_stage, r.to_stage, r.reason): r.count for r in figures.reasons if r.count}
    assert counted == {
        (T, D, BackReason.LABELS_UNRELIABLE): 1,
        (T, P, BackReason.TASK_TOO_HARD): 1,
        (Y, T, OTHER): 1,
    }
    # Every lecture reason is listed, used or not: twelve, plus the one OTHER row.
    assert len(figures.reasons) == 13
    assert (D, P, BackReason.DATA_TOO_HARD_TO_GET, 0) in {
        (r.from_stage, r.to_stage, r.reason, r.count) for r in figures.reasons
    }


def test_outcome_rates_and_time_to_outcome() -> None:
    figures = flow_figures(ALL, NOW, period_for(NOW))
    assert figures.active == 4
    killed, shipped, parked = (
        figures.outcome(s) for s in (Stage.KILLED, Stage.SHIPPED, Stage.PARKED)
    )
    assert (killed.count, killed.rate) == (1, 0.25)
    assert killed.days is not None
    assert killed.days.median == 80
    assert shipped.days is not None
    assert shipped.days.median == 60
    assert parked.days is not None
    assert parked.days.median == 20


def test_a_period_counts_only_what_happened_inside_it() -> None:
    last_30 = period_for(NOW, 30)
    figures = flow_figures(ALL, NOW, last_30, points=4)
    assert figures.back_edges == 0
    # ship ended on day 60: not active. loop (killed day 80), open and park are.
    assert figures.active == 3
    killed = figures.outcome(Stage.KILLED)
    assert (killed.count, killed.rate) == (1, 1 / 3)
    assert figures.outcome(Stage.SHIPPED).count == 0
    data = figures.stage_time(D).spread
    assert data is not None
    assert (data.minimum, data.maximum) == (10, 30)
    # WIP on days 70, 80, 90, 100: loop leaves data on day 80; park left planning on day 70.
    assert [(p.at, p.counts) for p in figures.wip] == [
        (day(70), (0, 2, 0, 0)),
        (day(80), (0, 1, 0, 0)),
        (day(90), (0, 1, 0, 0)),
        (day(100), (0, 1, 0, 0)),
    ]


def test_wip_over_all_time_starts_at_the_earliest_project() -> None:
    figures = flow_figures(ALL, NOW, period_for(NOW), points=5)
    assert [p.at for p in figures.wip] == [day(0), day(25), day(50), day(75), day(100)]
    # Day 25: loop in data, open just entered data, ship in training.
    assert figures.wip[1].counts == (0, 2, 1, 0)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Labels unreliable: vendors disagree", BackReason.LABELS_UNRELIABLE),
        ("labels  UNRELIABLE", BackReason.LABELS_UNRELIABLE),
        ("labels unreliableness everywhere", OTHER),
        ("", OTHER),
        ("more data needed.", BackReason.MORE_DATA_NEEDED),
    ],
)
def test_reason_of_a_move_without_a_code_reads_its_words(reason: str, expected: BackReason) -> None:
    bare = move(1, T, D, BACK, "x").model_copy(update={"reason": reason, "reason_code": None})
    assert reason_of(bare) == expected


def test_reason_of_takes_the_recorded_code_over_the_words() -> None:
    coded = move(1, T, D, BACK, "labels unreliable").model_copy(
        update={"reason_code": BackReason.MORE_DATA_NEEDED}
    )
    assert reason_of(coded) is BackReason.MORE_DATA_NEEDED


def test_a_project_without_any_time_is_left_out() -> None:
    unknown = Project(id="x", title="x")
    assert stage_spans(unknown, NOW) == ()
    figures = flow_figures((unknown,), NOW, Period("all time", None, NOW))
    assert figures.active == 0
    assert figures.wip[0].counts == (0, 0, 0, 0)
    assert all(t.spread is None for t in figures.stage_times)


def test_timeline_cells_read_without_colour() -> None:
    cells = timeline_cells(stage_spans(LOOP, NOW), DAY0, NOW, 10)
    # Ten-day cells: P D D T < T < D K K (back to data on day 40, to planning on day 60).
    assert "".join(c.letter for c in cells) == "PDDT<T<DKK"
    assert cells[4].stage is D
    assert cells[6].stage is P
    later = timeline_cells(stage_spans(PARK, NOW), DAY0, NOW, 10)
    assert "".join(c.letter for c in later) == "     PPZZZ"
