"""No lost edits under load: many writers at once, and writers killed in the middle of a save.

Workers are forked processes that run `mlfolio move / set / record` in-process
(the command line's own parser and handlers), hundreds of times each, all on
one file.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import random
import signal
import sys
import time
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import pytest
from factories import NOW

from core.edits.changes import SetField
from core.models import Checklist, Portfolio, Project, Stage, TransitionKind
from portfolio import load, save
from portfolio.sync import Pending, commit, lock_path
from tui.cli import _parser

pytestmark = pytest.mark.slow

WORKERS = 4
ROUNDS = 80
"""Each worker does this many rounds of three edits (a move, a record, a set): 240 edits."""
KILLS = 200

CYCLE: tuple[tuple[Stage, str], ...] = (
    (Stage.DATA, ""),
    (Stage.TRAINING, ""),
    (Stage.DATA, "labels unreliable"),
    (Stage.PLANNING, "data too hard to get"),
)
"""The moves each worker makes its own project go round, with the reason a back move needs."""

fork = multiprocessing.get_context("fork")


def _reason(stage_reason: str, worker: int, step: int) -> str:
    return f"{stage_reason} (w{worker} #{step})" if stage_reason else ""


def _edits(file: Path, worker: int) -> None:
    """One worker's edits; exits non-zero, saying why, at the first that fails."""
    parser, handlers = _parser()  # what `mlfolio` builds; built once, as each edit needs the same
    errors = io.StringIO()
    by = f"worker-{worker}"
    own = f"w{worker}"
    for step in range(ROUNDS):
        stage, why = CYCLE[step % len(CYCLE)]
        wait = ["--by", by, "--wait", "60"]
        move = ["move", str(file), own, stage.value, "--by", by, "--wait", "60"]
        reason = _reason(why, worker, step)
        if reason:
            move += ["--reason", reason]
        commands = [
            move,
            ["record", str(file), "shared", own, f"s{step}={step}", "--add-metric", *wait],
            ["set", str(file), own, "title", f"{own} step {step}", "--by", by, "--wait", "60"],
        ]
        for args in commands:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
                parsed = parser.parse_args(args)
                status = handlers[parsed.command](parsed)
            if status != 0:
                sys.stderr.write(f"{args}: exit {status}: {errors.getvalue()}")
                os._exit(1)
    os._exit(0)


def test_several_processes_editing_one_file_lose_nothing(tmp_path: Path) -> None:
    file = tmp_path / "portfolio.toml"
    done = Checklist(**dict.fromkeys(Checklist.model_fields, True))
    projects = [Project(id=f"w{w}", title=f"w{w}", checklist=done) for w in range(WORKERS)]
    save(Portfolio(projects=(*projects, Project(id="shared", title="Shared"))), file)

    workers = [fork.Process(target=_edits, args=(file, w)) for w in range(WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)  # a guard only: this takes seconds
    codes = [worker.exitcode for worker in workers]
    for worker in workers:
        if worker.is_alive():
            worker.kill()
    assert codes == [0] * WORKERS

    portfolio = load(file)
    shared = portfolio.project("shared")
    assert shared is not None
    for w in range(WORKERS):
        own = portfolio.project(f"w{w}")
        assert own is not None
        assert own.title == f"w{w} step {ROUNDS - 1}"
        expected = []
        stage = Stage.PLANNING
        for step in range(ROUNDS):
            target, why = CYCLE[step % len(CYCLE)]
            expected.append((stage, target, _reason(why, w, step), f"worker-{w}"))
            stage = target
        history = [(t.from_stage, t.to_stage, t.reason, t.by) for t in own.history]
        assert history == expected
        assert own.stage is stage
        assert sum(t.kind is TransitionKind.BACK for t in own.history) == ROUNDS // 2
        model = next(m for m in shared.models if m.name == f"w{w}")
        assert model.scores == {f"s{step}": float(step) for step in range(ROUNDS)}
    assert len(shared.models) == WORKERS
    assert sorted(p.name for p in tmp_path.iterdir()) == [".portfolio.toml.lock", "portfolio.toml"]


# ------------------------------------------------------------ killed writers


def _state() -> Portfolio:
    """The writer's file: one project with long notes (~55 kB), so a save takes a while."""
    notes = "\n".join(f"line {i}: " + "x" * 60 for i in range(250))
    others = tuple(Project(id=f"q{i}", title=f"q{i}", notes=notes) for i in range(3))
    return Portfolio(projects=(Project(id="p", title="start", notes=notes), *others))


def _writer(file: Path, start: int, done: Synchronized[int]) -> None:
    """Save states start+1, start+2, ... for ever, noting each completed save."""
    k = start
    while True:
        k += 1
        commit(file, [Pending(SetField("p", "title", f"save {k}"), NOW, "writer")])
        done.value = k


def _first_save_seconds(file: Path, done: Synchronized[int]) -> float:
    """Seconds from starting a writer to its first completed save (the writer is then killed)."""
    done.value = 0
    began = time.monotonic()
    writer = fork.Process(target=_writer, args=(file, 0, done), daemon=True)
    writer.start()
    while done.value == 0 and time.monotonic() - began < 30:
        time.sleep(0.001)
    elapsed = time.monotonic() - began
    assert writer.pid is not None
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(timeout=30)
    return elapsed


def test_a_writer_killed_mid_save_leaves_the_old_file_or_the_new(tmp_path: Path) -> None:
    file = tmp_path / "portfolio.toml"
    save(_state(), file)
    commit(file, [Pending(SetField("p", "title", "save 0"), NOW, "writer")])
    start = load(file)  # every save below leaves the same stamp on "p" (writer, NOW)

    def expected(k: int) -> Portfolio:
        p = start.projects[0].model_copy(update={"title": f"save {k}"})
        return start.model_copy(update={"projects": (p, *start.projects[1:])})

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    done: Synchronized[int] = fork.Value("i", 0, lock=False)
    # How long a writer takes to start and finish its first save on this machine now: the
    # kills fall anywhere from before it to well after, so a loaded machine (where a save
    # takes longer than on a quiet one) still has some kills land between saves.
    window = max(0.04, 2 * _first_save_seconds(file, done))
    save(_state(), file)
    commit(file, [Pending(SetField("p", "title", "save 0"), NOW, "writer")])
    k = 0
    for _ in range(KILLS):
        done.value = k
        writer = fork.Process(target=_writer, args=(file, k, done), daemon=True)
        writer.start()
        time.sleep(rng.uniform(0.0, window))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(timeout=30)
        assert writer.exitcode == -signal.SIGKILL
        last = done.value
        on_disk = load(file)  # never half a file: this must not raise
        assert on_disk in (expected(last), expected(last + 1)), f"seed {seed}"
        k = last + (on_disk == expected(last + 1))
    assert k > KILLS // 5, "the writer hardly ever got to save: is a lock left behind?"

    # The lock died with each writer: a save now does not wait for it.
    result = commit(file, [Pending(SetField("p", "title", "after"), NOW, "writer")], lock_timeout=5)
    assert result.written
    # Killed writers can leave temporary files; the next save under the lock removes them.
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".portfolio.toml.lock", "portfolio.toml"]
    assert lock_path(file).exists()
