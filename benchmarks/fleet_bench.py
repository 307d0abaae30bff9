"""Fleet releases on one API budget: one release's EB read calls and detection lag, then 20
concurrent releases through one worker and through two workers sharing one history.

Everything runs in the simulator at `--speed` (default 10: AWS's durations divided by 10, the
polling schedule scaled with them), so calls per release match speed 1 and rates are given
per AWS-second (wall seconds times the speed). The single release runs first so the history
knows this account's durations, as it would after a few cron releases.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from benchmarks.release_budget import (
    DEFAULT_SPEED,
    Lags,
    is_read,
    lag_table,
    lags_of,
    outside_lags,
    percentile,
    release,
    seed,
    settings_for,
    simulator,
)
from cloud.beanstalk import Boto3Beanstalk
from engine.domain.model import Mode, RunId
from engine.operator.bootstrap import Runtime, bootstrap
from engine.operator.inputs import release_request
from engine.operator.settings import Settings
from engine.release.fresh_reads import FreshReads
from engine.release.interrupt import Interrupt
from engine.release.observer import NullObserver
from engine.release.worker import Worker, WorkerOptions
from simulator import Simulator
from simulator.seed import ReleaseTarget

RELEASES = 20


def reads_of(calls: Counter[str]) -> int:
    return sum(n for op, n in calls.items() if is_read(op))


def calls_of(runtime: Runtime) -> Counter[str]:
    beanstalk = runtime.runner.services.beanstalk
    assert isinstance(beanstalk, FreshReads) and isinstance(beanstalk.inner, Boto3Beanstalk)
    return beanstalk.api_calls.copy()


def single(sim: Simulator, url: str) -> None:
    target = seed(sim, "shop", "shop-blue", ("v1", "v2", "v3"))
    settings = settings_for(sim, url, target, "shop-green")
    runtime = bootstrap(settings, Interrupt())
    try:
        poller = runtime.runner.services.poller
        for name, version in (("first release (empty history)", "v2"), ("learned", "v3")):
            ticks = getattr(poller, "ticks", 0)
            calls, run_id, seconds = release(runtime, settings, version)
            detail = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()) if is_read(op))
            polls, waits = calls["DescribeEnvironments"], getattr(poller, "ticks", 0) - ticks
            print(f"  {name}: {reads_of(calls)} EB reads, {polls} of them DescribeEnvironments "
                  f"({waits} by the shared poller's waits; {detail}), "
                  f"{seconds * sim.speed:.0f} AWS-s")  # fmt: skip
            print(f"    engine's own: {Lags(lags_of(runtime, run_id)).line(sim.speed)}")
            outside = lag_table(outside_lags(sim, runtime, run_id), sim.speed)
            print(f"    from outside (median/p95 AWS-s, engine's record minus the simulator's "
                  f"end of the operation): {outside}")  # fmt: skip
    finally:
        runtime.close()


def fleet(
    sim: Simulator, url: str, targets: list[ReleaseTarget], version: str, workers: int
) -> None:
    settings = [settings_for(sim, url, t, f"{t.app}-green") for t in targets]
    runtimes = [bootstrap(settings[0], Interrupt()) for _ in range(workers)]
    try:
        before = [calls_of(r) for r in runtimes]
        started = time.monotonic()
        run_ids = [_submit(runtimes[0], s, version) for s in settings]
        threads = [_start_worker(r, sim.region, RELEASES // workers) for r in runtimes]
        states = _wait_all(runtimes[0], run_ids)
        seconds = time.monotonic() - started
        for runtime in runtimes:
            runtime.runner.services.interrupt.request("benchmark done")
        for thread in threads:
            thread.join()
        calls = sum((calls_of(r) - b for r, b in zip(runtimes, before, strict=True)), Counter())
        lags = [lag for r in runtimes[:1] for run_id in run_ids for lag in lags_of(r, run_id)]
        outside: dict[str, list[float]] = {}
        for run_id in run_ids:
            for kind, values in outside_lags(sim, runtimes[0], run_id).items():
                outside.setdefault(kind, []).extend(values)
        ok = sum(state == "succeeded" for state in states)
        rate = reads_of(calls) / (seconds * sim.speed)
        print(f"  {RELEASES} releases, {workers} worker(s): {ok}/{RELEASES} succeeded in "
              f"{seconds * sim.speed:.0f} AWS-s; {reads_of(calls)} EB reads "
              f"({reads_of(calls) / RELEASES:.1f} per release) = {rate:.3f} reads per AWS-second "
              f"({sum(calls.values()) / (seconds * sim.speed):.3f} EB calls of any kind); "
              f"lag median {statistics.median(lags) * sim.speed:.2f} AWS-s, "
              f"p95 {percentile(lags, 0.95) * sim.speed:.2f} AWS-s")  # fmt: skip
        print(f"    from outside (median/p95 AWS-s): {lag_table(outside, sim.speed)}")
    finally:
        for runtime in runtimes:
            runtime.close()


def _submit(runtime: Runtime, settings: Settings, version: str) -> RunId:
    request = release_request(settings.model_copy(update={"version_label": version}), Mode.FULL)
    return runtime.runner.submit(request).id


def _start_worker(runtime: Runtime, region: str, concurrency: int) -> threading.Thread:
    assert runtime.queue is not None
    worker = Worker(
        runtime.runner.services, runtime.queue, NullObserver(), WorkerOptions(region, concurrency)
    )
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    return thread


WAIT_ALL_SECONDS = 600  # a benchmark stops by itself: runs not final by then are reported


def _wait_all(runtime: Runtime, run_ids: list[RunId]) -> list[str]:
    deadline = time.monotonic() + WAIT_ALL_SECONDS
    while True:
        states = [runtime.store.get(run_id).state for run_id in run_ids]
        if all(state.is_final for state in states) or time.monotonic() > deadline:
            unfinished = [f"{i} {s.value}" for i, s in zip(run_ids, states, strict=True)
                          if not s.is_final]  # fmt: skip
            if unfinished:
                print(f"  not finished after {WAIT_ALL_SECONDS} s: {', '.join(unfinished)}")
                for run_id, state in zip(run_ids, states, strict=True):
                    if not state.is_final:
                        _explain(runtime, run_id)
            return [state.value for state in states]
        time.sleep(0.5)


def _explain(runtime: Runtime, run_id: RunId) -> None:
    """Why a run did not finish: its lease and the last things its history says."""
    run = runtime.store.get(run_id)
    lease = f"lease {run.lease_owner} until {run.lease_expires_at}"
    print(f"    {run_id} in {run.state.value}, {lease}")
    for event in runtime.store.events(run_id)[-6:]:
        print(f"      {event.at:%H:%M:%S} {event.source.value}: {event.message}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--speed", type=float, default=DEFAULT_SPEED)
    parser.add_argument("--skip-fleet", action="store_true", help="Only the single release.")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    print(f"Fleet releases, simulator speed {args.speed:g} "
          f"(a launch takes {180 / args.speed:g} s of wall time)")  # fmt: skip
    started = time.monotonic()
    with simulator(args.speed) as sim, tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'runs.db'}"
        single(sim, url)
        if args.skip_fleet:
            return
        targets = [seed(sim, f"fleet{n:02d}", f"fleet{n:02d}-blue", ("v1", "v2", "v3"))
                   for n in range(RELEASES)]  # fmt: skip
        fleet(sim, url, targets, "v2", workers=1)
        fleet(sim, url, targets, "v3", workers=2)
    print(f"  (this benchmark took {time.monotonic() - started:.0f} s of wall time)")


if __name__ == "__main__":
    main()
