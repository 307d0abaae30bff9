"""The waves of a fleet release, against a history the test moves on between reads: a run at
the cutover gate is waited for, a rolled-back one stops the fleet, a continued batch skips
what succeeded and follows what is under way, the JSON lines are one object each."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, cast

from engine.domain.exit_codes import ExitCode
from engine.domain.fleets import parse_targets
from engine.domain.model import Run, RunId, State, Target, TransitionRecord
from engine.domain.ports.store import RunQuery
from engine.operator.fleet_release import (
    FleetPlan,
    FleetRelease,
    FleetReport,
    TargetResult,
    exit_code_of,
)
from engine.release.requests import LockPolicy, ReleaseRequest
from engine.release.runner import NothingToDo, Runner
from tests.unit.storage.builders import T0, make_run

REGION = "eu-west-1"
FILE = "a a-blue a-green\nb b-blue b-green\nc c-blue c-green\n"


class History:
    """The runs the fleet reads; `then` moves a run on at the next follow tick."""

    def __init__(self) -> None:
        self.runs: dict[str, Run] = {}
        self.steps: list[Callable[[], None]] = []

    def list_runs(self, query: RunQuery) -> list[Run]:
        return [run for run in reversed(self.runs.values()) if run.batch == query.batch]

    def get(self, run_id: RunId) -> Run:
        return self.runs[run_id]

    def transitions(self, run_id: RunId) -> list[TransitionRecord]:
        return []

    def move(self, app: str, state: State, **changes: Any) -> None:
        run = next(r for r in self.runs.values() if r.target.app == app)
        self.runs[run.id] = replace(run, state=state, **changes)


class Ticks:
    """The interrupt: each wait runs the next scripted step of the history."""

    def __init__(self, history: History) -> None:
        self.history, self.waits = history, 0

    def wait(self, seconds: float) -> bool:
        self.waits += 1
        if self.history.steps:
            self.history.steps.pop(0)()
        return False


class Workers:
    """`Runner.submit` as the fleet sees it: a queued run, or what `outcome_of` says."""

    def __init__(self, history: History, submitted: dict[str, State]) -> None:
        self.history, self.submitted = history, submitted
        self.services = SimpleNamespace(store=history, interrupt=Ticks(history))
        self.queued: list[str] = []

    def submit(self, request: ReleaseRequest, lock: LockPolicy) -> Run:
        app = request.target.app
        if self.submitted.get(app) is State.SUCCEEDED:
            raise NothingToDo("blue already runs v2")
        self.queued.append(app)
        run = make_run(id=RunId(f"run-{app}-{len(self.queued)}"), target=request.target,
                       green=request.green, state=State.QUEUED, batch=request.batch)  # fmt: skip
        self.history.runs[run.id] = run
        final = self.submitted.get(app, State.SUCCEEDED)
        self.history.steps.append(lambda: self.history.move(app, final, finished_at=T0))
        return run


def plan(wave_size: int = 1, batch: str = "b1") -> FleetPlan:
    requests = tuple(
        (t, ReleaseRequest(Target(t.region, t.app, t.blue), t.green, "v2", batch=batch))
        for t in parse_targets(FILE, "fleet.txt", REGION)
    )
    return FleetPlan(batch, requests, wave_size, LockPolicy())


def released(workers: Workers, wave_size: int = 1, as_json: bool = False) -> tuple[int, list[str]]:
    out = io.StringIO()
    fleet = FleetRelease(plan(wave_size), lambda region: cast(Runner, workers),
                         FleetReport(out, as_json))  # fmt: skip
    return fleet.run(), out.getvalue().splitlines()


def test_a_run_waiting_for_cutover_holds_its_wave_until_it_is_cut_over() -> None:
    history = History()
    workers = Workers(history, {})

    def deployed(app: str) -> None:
        history.move(app, State.AWAITING_CUTOVER)
        history.steps[:0] = [lambda: None, lambda: history.move(app, State.SUCCEEDED)]

    original = workers.submit

    def submit(request: ReleaseRequest, lock: LockPolicy) -> Run:
        run = original(request, lock)
        if request.target.app == "a":
            history.steps[-1] = lambda: deployed("a")
        return run

    workers.submit = submit  # type: ignore[method-assign]

    code, lines = released(workers)

    assert code == 0, lines
    assert workers.queued == ["a", "b", "c"]
    notices = [line for line in lines if "waits for cutover" in line]
    assert notices == [
        "  eu-west-1/a/a-blue: run run-a-1 waits for cutover: `bluegreen cutover "
        "run-a-1` (or `bluegreen rollback run-a-1`); the next wave waits for it"
    ]
    assert lines.index(notices[0]) < lines.index("wave 2/3: eu-west-1/b/b-blue")


def test_a_rollback_stops_the_fleet_after_its_wave_and_the_rest_is_not_queued() -> None:
    history = History()
    workers = Workers(history, {"b": State.ROLLED_BACK})

    code, lines = released(workers)

    assert code == ExitCode.ROLLED_BACK
    assert workers.queued == ["a", "b"]
    assert "wave 2/3 stopped: 1 of 1 target(s) did not succeed" in lines
    assert "wave 3/3 not started: eu-west-1/c/c-blue" in lines


def test_a_continued_batch_skips_what_succeeded_and_follows_what_is_under_way() -> None:
    history = History()
    workers = Workers(history, {})
    a = make_run(
        id=RunId("old-a"),
        target=Target(REGION, "a", "a-green"),
        green="a-blue",
        state=State.SUCCEEDED,
        batch="b1",
    )  # swap-and-keep left it the other way round
    b = make_run(id=RunId("old-b"), target=Target(REGION, "b", "b-blue"), green="b-green",
                 state=State.DEPLOYING, batch="b1")  # fmt: skip
    history.runs = {a.id: a, b.id: b}
    history.steps.append(lambda: history.move("b", State.SUCCEEDED))

    code, lines = released(workers)

    assert code == 0, lines
    assert workers.queued == ["c"]  # a skipped, b followed again, not queued twice
    assert "  eu-west-1/a/a-blue: run old-a succeeded: succeeded earlier in this batch" in lines
    assert "  eu-west-1/b/b-blue: run old-b followed (deploying)" in lines
    assert "  eu-west-1/b/b-blue: run old-b succeeded" in lines


def test_json_lines_are_one_object_each_with_the_summary_last() -> None:
    workers = Workers(History(), {"a": State.SUCCEEDED, "c": State.FAILED})

    code, lines = released(workers, wave_size=2, as_json=True)

    events = [json.loads(line) for line in lines]
    assert code == ExitCode.NEEDS_OPERATOR
    assert [e["event"] for e in events] == ["fleet", "wave", "target", "target", "target",
                                            "wave", "wave", "target", "target", "wave",
                                            "summary"]  # fmt: skip
    summary = events[-1]
    assert summary["counts"] == {"nothing_to_do": 1, "succeeded": 1, "failed": 1}
    assert [t["outcome"] for t in summary["targets"]] == ["nothing_to_do", "succeeded", "failed"]


def test_the_exit_code_is_the_worst_outcome() -> None:
    (target,) = parse_targets("a a-blue a-green", "f", REGION)

    def code(*outcomes: str) -> int:
        return exit_code_of([TargetResult(target, 1, outcome) for outcome in outcomes])

    assert code("succeeded", "nothing_to_do") == 0
    assert code("succeeded", "rolled_back", "not_started") == 1
    assert code("rolled_back_by_operator") == 1
    assert code("refused", "busy") == 3
    assert code("busy", "failed") == 4
    assert code("failed", "interrupted") == 130
