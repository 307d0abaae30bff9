"""The pieces of the API-budget benchmark (benchmarks.fleet_bench): a simulator at a speed,
targets seeded quickly, settings a cron job would use, one release with its calls counted,
and the detection lags the engine recorded.

Durations are AWS's (launch 180 s, update 45 s, terminate 240 s) divided by the speed; the
polling schedule scales with them (BLUEGREEN_TIME_SCALE), so calls per release do not depend
on the speed, and lags are shown multiplied back to AWS seconds.
"""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cloud.beanstalk import Boto3Beanstalk
from engine.domain.model import EventSource, Mode, RunId
from engine.operator.bootstrap import Runtime
from engine.operator.inputs import release_request
from engine.operator.settings import Settings, load_settings
from engine.release.expectations import WAITED_KEY
from engine.release.fresh_reads import FreshReads
from engine.release.observer import NullObserver
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from simulator.timing import Timing

DEFAULT_SPEED = 10.0  # a release takes about 50 s of wall time
SEED_SPEED = 200.0  # blue's own launch is set-up, not measured
# Calls that read EB state; AWS throttles them in one bucket per account.
READS = ("DescribeEnvironments", "DescribeEvents", "ListTagsForResource")


def is_read(operation: str) -> bool:
    return operation.startswith(("Describe", "List"))


@dataclass(frozen=True)
class Lags:
    """Detection lags (engine saw it minus EB completed it) in wall seconds."""

    values: list[float]

    def line(self, speed: float) -> str:
        if not self.values:
            return "no lags recorded"
        median, p95 = statistics.median(self.values), percentile(self.values, 0.95)
        return (
            f"detection lag median {median:.3f} s, p95 {p95:.3f} s over {len(self.values)} waits"
            f" (x{speed:g} = {median * speed:.2f} s / {p95 * speed:.2f} s in AWS time)"
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def settings_for(sim: Simulator, database_url: str, target: ReleaseTarget, green: str) -> Settings:
    """What a cron job would set, with the health checks scaled to the simulator's speed."""
    return load_settings({
        **sim.client_env(),
        "BLUEGREEN_DATABASE_URL": database_url,
        "BEANSTALK_APP_NAME": target.app,
        "BLUE_ENV_NAME": target.blue,
        "GREEN_ENV_NAME": green,
        "BLUEGREEN_HEALTH_INTERVAL": 2.0 / sim.speed,
        "BLUEGREEN_HEALTH_GRACE": 120 / sim.speed,
        "BLUEGREEN_LEASE_SECONDS": max(3.0, 60 / sim.speed),
    })  # fmt: skip


@contextmanager
def simulator(speed: float) -> Iterator[Simulator]:
    with Simulator(speed=speed) as sim:
        os.environ.update(sim.client_env())
        yield sim


def seed(sim: Simulator, app: str, blue: str, versions: tuple[str, ...]) -> ReleaseTarget:
    """A target at set-up speed, then the simulator back at the measured speed."""
    measured = sim.backend.timing
    sim.backend.timing = Timing(SEED_SPEED, measured.durations)
    try:
        return seed_release_target(sim, app=app, blue=blue, versions={v: {} for v in versions})
    finally:
        sim.backend.timing = measured


def lags_of(runtime: Runtime, run_id: RunId) -> list[float]:
    events = runtime.store.events(run_id)
    return [
        float(e.data["detection_lag"])
        for e in events
        if e.source is EventSource.ENGINE and WAITED_KEY in e.data and "detection_lag" in e.data
    ]


def outside_lags(sim: Simulator, runtime: Runtime, run_id: RunId) -> dict[str, list[float]]:
    """Detection lag measured from outside, per wait kind, in wall seconds: when the engine
    recorded a finished wait (its `waited` event) minus when the simulator's own record says
    that operation really ended (`Simulator.completed_operations`, never EB's API)."""
    done = sim.completed_operations()
    found: dict[str, list[float]] = {}
    for event in runtime.store.events(run_id):
        if event.source is not EventSource.ENGINE or WAITED_KEY not in event.data:
            continue
        kind, names = str(event.data[WAITED_KEY]), set(event.data.get("environments", ()))
        ended = [c.ended for c in done if c.kind == kind and c.env_name in names
                 and c.ended <= event.at]  # fmt: skip
        if ended:
            found.setdefault(kind, []).append((event.at - max(ended)).total_seconds())
    return found


def lag_table(lags: dict[str, list[float]], speed: float) -> str:
    """`launch 0.6/0.9 s, swap ...`: median/p95 per wait kind in AWS seconds."""
    if not lags:
        return "no waits matched"
    parts = [
        f"{kind} {statistics.median(v) * speed:.2f}/{percentile(v, 0.95) * speed:.2f} s"
        f" (n={len(v)})"
        for kind, v in sorted(lags.items())
    ]
    return ", ".join(parts)


def release(
    runtime: Runtime, settings: Settings, version: str
) -> tuple[Counter[str], RunId, float]:
    beanstalk = runtime.runner.services.beanstalk
    assert isinstance(beanstalk, FreshReads) and isinstance(beanstalk.inner, Boto3Beanstalk)
    before = beanstalk.api_calls.copy()
    request = release_request(settings.model_copy(update={"version_label": version}), Mode.FULL)
    started = time.monotonic()
    outcome = runtime.runner.release(request, NullObserver())
    seconds = time.monotonic() - started
    assert outcome.run.state.value == "succeeded", f"release failed: {outcome.message}"
    return beanstalk.api_calls - before, outcome.run.id, seconds
