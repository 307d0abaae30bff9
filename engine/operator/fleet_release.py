"""A fleet release: `bluegreen submit --targets FILE`, in ordered waves, on the workers.

Every line of the file is checked, and every target's request built, before anything is
opened (exit 2, nothing queued). Then wave by wave, in the file's order: the wave's targets are
queued at once (tagged with the fleet's batch id), followed in the history until each run
ends, and the next wave is queued only when every target of this one succeeded. On the first
wave with a target that did not, the remaining waves are not queued: they are reported as not
started. A run resting at awaiting_cutover (`--mode deploy`) is not done: the wave waits for
its cutover (`bluegreen cutover`, or a worker at its timed gate) or its rollback.

The same command with `--batch ID` continues a fleet release whose submitter stopped (Ctrl-C,
a killed CI job): a target whose run of that batch succeeded (on the same version) is skipped,
one whose run is still under way is followed again, any other is queued anew.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from engine.domain.errors import ConfigurationError, TargetBusyError
from engine.domain.exit_codes import ExitCode
from engine.domain.fleets import FleetTarget, waves_of
from engine.domain.lifecycle import SUCCEEDED, Kind
from engine.domain.model import Run, RunId, State
from engine.domain.ports.store import RunQuery
from engine.domain.text_checks import printable
from engine.domain.verdicts import verdict_of
from engine.release.requests import LockPolicy, ReleaseRequest
from engine.release.runner import NothingToDo, Runner

FOLLOW_SECONDS = 1.0  # how often the wave's runs are read from the history
NO_WORKER_NOTICE_SECONDS = 30.0  # still queued after this long: say no worker took it
DETAIL_LIMIT = 200  # a failure's reason, as a target's line shows it
NOT_STARTED = "not_started"
SKIPPED_OUTCOMES = ("succeeded", "nothing_to_do")  # what counts as done for the next wave


def new_batch_id() -> str:
    return secrets.token_hex(4)


@dataclass(frozen=True)
class FleetPlan:
    """What to release: the targets with their requests (batch id set), in waves."""

    batch: str
    requests: tuple[tuple[FleetTarget, ReleaseRequest], ...]
    wave_size: int
    lock: LockPolicy

    @property
    def waves(self) -> list[tuple[tuple[FleetTarget, ReleaseRequest], ...]]:
        return waves_of(self.requests, self.wave_size)

    @property
    def version_label(self) -> str:
        return self.requests[0][1].version_label


@dataclass(frozen=True)
class TargetResult:
    """How one target of the fleet ended (or why it did not start)."""

    target: FleetTarget
    wave: int
    outcome: str  # a verdict's name, or nothing_to_do, busy, not_started, interrupted
    run_id: str | None = None
    detail: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome in SKIPPED_OUTCOMES


class FleetReport:
    """A line per wave and per target, and the summary: text, or one JSON object a line."""

    def __init__(self, stream: TextIO, as_json: bool) -> None:
        self._stream, self._json = stream, as_json

    def _say(self, text: str, **data: Any) -> None:
        line = json.dumps(data) if self._json else printable(text)
        self._stream.write(line + "\n")
        self._stream.flush()

    def started(self, plan: FleetPlan, continued: int) -> None:
        waves, size = len(plan.waves), plan.wave_size
        again = f"; {continued} earlier run(s) of it found" if continued else ""
        self._say(
            f"fleet {plan.batch}: {len(plan.requests)} targets in {waves} wave(s) of "
            f"{size}, version {plan.version_label}{again} (continue it: --batch {plan.batch})",
            event="fleet", batch=plan.batch, targets=len(plan.requests), waves=waves,
            wave_size=size, version_label=plan.version_label, earlier_runs=continued,
        )  # fmt: skip

    def wave(
        self, number: int, of: int, state: str, targets: list[FleetTarget], why: str = ""
    ) -> None:
        names = ", ".join(t.name for t in targets)
        text = {"started": f"wave {number}/{of}: {names}",
                "succeeded": f"wave {number}/{of} succeeded",
                "stopped": f"wave {number}/{of} stopped: {why}",
                NOT_STARTED: f"wave {number}/{of} not started: {names}"}[state]  # fmt: skip
        self._say(text, event="wave", wave=number, waves=of, state=state,
                  targets=[t.name for t in targets], detail=why)  # fmt: skip

    def target(self, result: TargetResult, note: str = "") -> None:
        run = f"run {result.run_id} " if result.run_id else ""
        outcome = note or result.outcome
        detail = f": {result.detail}" if result.detail else ""
        data = self._target_data(result, outcome)
        self._say(f"  {result.target.name}: {run}{outcome}{detail}", **data)

    def _target_data(self, result: TargetResult, outcome: str) -> dict[str, Any]:
        t = result.target
        return {"event": "target", "wave": result.wave, "target": t.name, "region": t.region,
                "app": t.app, "blue": t.blue, "green": t.green, "line": t.line,
                "run_id": result.run_id, "outcome": outcome, "detail": result.detail}  # fmt: skip

    def notice(self, text: str) -> None:
        self._say(f"  {text}", event="notice", detail=text)

    def summary(self, batch: str, results: list[TargetResult], code: int) -> None:
        counts = Counter(result.outcome for result in results)
        said = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in counts.items())
        self._say(
            f"fleet {batch}: {said} (of {len(results)} targets); exit {code}",
            event="summary", batch=batch, exit_code=code, counts=dict(counts),
            targets=[self._target_data(r, r.outcome) for r in results],
        )  # fmt: skip
        if not self._json:
            for result in results:
                run = result.run_id or "-"
                self._stream.write(f"  {result.target.name:<50} {run:<12}  {result.outcome}\n")
            self._stream.flush()


class FleetRelease:
    """One fleet release through `runners` (one a region: each reads and queues in its own)."""

    def __init__(self, plan: FleetPlan, runner_of: Callable[[str], Runner], report: FleetReport,
                 notice_after: float = NO_WORKER_NOTICE_SECONDS) -> None:  # fmt: skip
        self.plan, self._runner_of, self._report = plan, runner_of, report
        self._notice_after = notice_after
        first = runner_of(plan.requests[0][0].region)
        self._store, self._interrupt = first.services.store, first.services.interrupt

    def run(self) -> int:
        """Release wave after wave; the exit code (docs/unattended.md)."""
        plan, report = self.plan, self._report
        earlier = self._store.list_runs(RunQuery(batch=plan.batch, limit=None))
        report.started(plan, len(earlier))
        waves = plan.waves
        results: list[TargetResult] = []
        stopped = False
        for number, wave in enumerate(waves, start=1):
            targets = [target for target, _ in wave]
            if stopped:
                report.wave(number, len(waves), NOT_STARTED, targets)
                results += [TargetResult(t, number, NOT_STARTED) for t in targets]
                continue
            report.wave(number, len(waves), "started", targets)
            done = self._wave(number, wave, earlier)
            results += done
            failed = [r for r in done if not r.succeeded]
            if failed:
                stopped = True
                why = f"{len(failed)} of {len(done)} target(s) did not succeed"
                if any(r.outcome == "interrupted" for r in failed):
                    why = "stopped following; the workers go on with its runs"
                report.wave(number, len(waves), "stopped", targets, why)
            else:
                report.wave(number, len(waves), "succeeded", targets)
        code = exit_code_of(results)
        report.summary(plan.batch, results, code)
        return code

    def _wave(self, number: int, wave: Any, earlier: list[Run]) -> list[TargetResult]:
        results: dict[FleetTarget, TargetResult] = {}
        following: dict[FleetTarget, Run] = {}
        for target, request in wave:
            started = self._start(number, target, request, earlier)
            if isinstance(started, TargetResult):
                results[target] = started
                self._report.target(started)
            else:
                following[target] = started
                self._report.target(TargetResult(target, number, "queued", started.id),
                                    "queued" if started.state is State.QUEUED else
                                    f"followed ({started.state})")  # fmt: skip
        results.update(self._follow(number, following))
        return [results[target] for target, _ in wave]

    def _start(
        self, number: int, target: FleetTarget, request: ReleaseRequest, earlier: list[Run]
    ) -> Run | TargetResult:
        """The target's run to follow, or its result when there is none to follow."""
        previous = self._previous(target, request, earlier)
        if previous is not None and previous.state is State.SUCCEEDED:
            return TargetResult(target, number, "succeeded", previous.id,
                                "succeeded earlier in this batch")  # fmt: skip
        if (
            previous is not None
            and previous.state.is_unfinished
            and previous.state is not State.FAILED
        ):
            return previous  # the workers are still on it (or it waits for cutover)
        try:
            return self._runner_of(target.region).submit(request, self.plan.lock)
        except NothingToDo:
            return TargetResult(target, number, "nothing_to_do", None,
                                f"blue already runs {request.version_label}")  # fmt: skip
        except TargetBusyError as busy:
            return TargetResult(target, number, "busy", busy.run_id, str(busy))
        except ConfigurationError as refused:
            return TargetResult(target, number, "refused", None, str(refused))

    def _previous(
        self, target: FleetTarget, request: ReleaseRequest, earlier: list[Run]
    ) -> Run | None:
        """The newest run of this batch for the target on the same version (newest first)."""
        return next((run for run in earlier if run.version_label == request.version_label
                     and target.same_pair(run.target.region, run.target.app, run.target.blue,
                                          run.green)), None)  # fmt: skip

    def _follow(
        self, number: int, following: dict[FleetTarget, Run]
    ) -> dict[FleetTarget, TargetResult]:
        """Each run read from the history until it ends; a line as each one does."""
        results: dict[FleetTarget, TargetResult] = {}
        said: set[tuple[str, str]] = set()
        notice_at = time.monotonic() + self._notice_after
        while following:
            for target, run in list(following.items()):
                current = self._store.get(RunId(run.id))
                if current.state.info.kind is Kind.FINAL:
                    verdict = verdict_of(current, self._store.transitions(current.id))
                    outcome = verdict.name if verdict else str(current.state)
                    detail = "" if verdict is SUCCEEDED else _reason(current)
                    results[target] = TargetResult(target, number, outcome, current.id, detail)
                    self._report.target(results[target])
                    del following[target]
                else:
                    self._say_once(said, target, current, time.monotonic() >= notice_at)
            if following and self._interrupt.wait(FOLLOW_SECONDS):
                for target, run in following.items():
                    results[target] = TargetResult(target, number, "interrupted", run.id,
                                                   "the workers go on with it")  # fmt: skip
                    self._report.target(results[target])
                break
        return results

    def _say_once(
        self, said: set[tuple[str, str]], target: FleetTarget, run: Run, late: bool
    ) -> None:
        if run.state is State.AWAITING_CUTOVER and run.lease_owner is None:
            key, text = (
                (run.id, "cutover"),
                (
                    f"{target.name}: run {run.id} waits for cutover: `bluegreen cutover {run.id}` "
                    f"(or `bluegreen rollback {run.id}`); the next wave waits for it"
                ),
            )
        elif run.state is State.QUEUED and late:
            key, text = (
                (run.id, "queued"),
                (
                    f"{target.name}: run {run.id} is still queued: no worker has taken it. Is one "
                    f"running? `bluegreen worker --region {target.region}` on the same history"
                ),
            )
        else:
            return
        if key not in said:
            said.add(key)
            self._report.notice(text)


def _reason(run: Run) -> str:
    text = (run.rollback_reason or run.error or "").strip().splitlines()
    first = text[0] if text else ""
    return first if len(first) <= DETAIL_LIMIT else first[: DETAIL_LIMIT - 1] + "…"


def exit_code_of(results: list[TargetResult]) -> int:
    """130 stopped following; 4 a run needs an operator; 3 a target was busy; 1 a wave stopped
    the release (every target it touched back where it was, or refused); 0 all succeeded."""
    outcomes = {result.outcome for result in results}
    worst = (("interrupted", ExitCode.INTERRUPTED), ("failed", ExitCode.NEEDS_OPERATOR),
             ("busy", ExitCode.TARGET_BUSY))  # fmt: skip
    for outcome, code in worst:
        if outcome in outcomes:
            return int(code)
    return int(ExitCode.OK if all(r.succeeded for r in results) else ExitCode.ROLLED_BACK)
