"""The shared poller under load: N concurrent waits (N = 1, 10, 50) for environments to launch
in the simulator, through a real Boto3Beanstalk that counts its calls.

Prints, per N: DescribeEnvironments calls and calls per second (the point of sharing: it
should not grow with N), and how long after an environment became Ready its wait noticed.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cloud.aws import AwsConfig, make_session
from cloud.beanstalk import Boto3Beanstalk
from engine.domain.ports.cloud import EbEvent, Environment
from engine.domain.ports.runtime import Condition, Snapshot
from engine.release.clock import SystemClock
from engine.release.expectations import Window
from engine.release.interrupt import Interrupt
from engine.release.poller import SharedPoller
from engine.release.schedule import Completion
from simulator import Simulator
from simulator.seed import SOLUTION_STACK, seed_release_target

SPEED = 30.0  # a launch takes 6 s
POLL_INTERVAL = 1.0  # the production default
WAITERS = (1, 10, 50)


class QuietSink:
    """The benchmark does not keep the events or polls a real run would journal."""

    def eb_event(self, event: EbEvent) -> None:
        pass

    def aws_error(self, message: str) -> None:
        pass

    def polled(self, what: str, environments: Sequence[Environment]) -> None:
        pass

    def waited(self, what: str, completion: Completion, window: Window | None) -> None:
        pass


@dataclass(frozen=True)
class Result:
    waiters: int
    seconds: float
    describe_calls: int
    events_calls: int
    latencies: list[float]

    def line(self) -> str:
        rate = self.describe_calls / self.seconds
        p50, worst = statistics.median(self.latencies), max(self.latencies)
        return (
            f"{self.waiters:>4} waits  {self.seconds:6.1f} s  "
            f"DescribeEnvironments {self.describe_calls:>4} ({rate:4.2f}/s; "
            f"one poller each would make ~{rate * self.waiters:6.1f}/s)  "
            f"DescribeEvents {self.events_calls:>3}  "
            f"detection latency p50 {p50:4.2f} s, max {worst:4.2f} s"
        )


def _launch(sim: Simulator, count: int) -> list[str]:
    eb = sim.client("elasticbeanstalk")
    seed_release_target(sim, app="bench", blue="bench-0000", versions={"v1": {}})
    ids = []
    for n in range(count):
        created = eb.create_environment(
            ApplicationName="bench", EnvironmentName=f"bench-{n + 1:04d}",
            SolutionStackName=SOLUTION_STACK, VersionLabel="v1",
        )  # fmt: skip
        ids.append(created["EnvironmentId"])
    return ids


def _ready(env_id: str) -> Condition:
    def condition(snapshot: Snapshot) -> bool:
        env = snapshot.get(env_id)
        return env is not None and env.is_ready

    return condition


def _wait_all(poller: SharedPoller, ids: list[str]) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()

    def wait(env_id: str) -> None:
        snapshot = poller.wait(
            f"{env_id} Ready", "bench", [env_id], _ready(env_id), 120, QuietSink()
        )
        noticed = datetime.now(UTC)
        env = snapshot[env_id]
        assert env is not None and env.date_updated is not None
        with lock:
            latencies.append((noticed - env.date_updated).total_seconds())

    threads = [threading.Thread(target=wait, args=(env_id,)) for env_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def measure(sim: Simulator, waiters: int) -> Result:
    sim.reset()
    config = AwsConfig(region=sim.region)
    beanstalk = Boto3Beanstalk(make_session(config), config)
    interrupt = Interrupt()
    poller = SharedPoller(beanstalk, SystemClock(interrupt), interrupt, POLL_INTERVAL)
    ids = _launch(sim, waiters)
    before = beanstalk.api_calls.copy()
    started = time.monotonic()
    latencies = _wait_all(poller, ids)
    seconds = time.monotonic() - started
    calls = beanstalk.api_calls - before
    return Result(
        waiters, seconds, calls["DescribeEnvironments"], calls["DescribeEvents"], latencies
    )


def main() -> None:
    print(f"Shared poller: base interval {POLL_INTERVAL:g} s, simulator speed {SPEED:g}")
    with Simulator(speed=SPEED) as sim:
        os.environ.update(sim.client_env())
        for waiters in WAITERS:
            print(measure(sim, waiters).line(), flush=True)


if __name__ == "__main__":
    main()
