"""Capacity under load during a swap (issue 19): blue autoscaled to N instances by a load on
its CNAME, one whole release with live traffic, with and without the capacity warm-up.

Prints, per scenario: green's in-service instances at the swap, blue's at the cutover, the
live requests sent and failed (503: the environment holding the CNAME is below the capacity
the load needs, simulator/README.md), the run's outcome and its length in AWS time. Without
the warm-up green takes the load at its template's MinSize: the risk the replaced tool (and
any release engine that clones without sizing) carries.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.domain.model import EventSource, Mode
from engine.operator.bootstrap import bootstrap
from engine.operator.inputs import release_request
from engine.operator.settings import load_settings
from engine.release.interrupt import Interrupt
from engine.release.observer import NullObserver
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target

SPEED = 50.0
GREEN = "shop-green"
INSTANCES = 6
LOAD = INSTANCES * 100.0  # the simulator's instance serves 100 requests per second
SIZES = [
    {"Namespace": "aws:autoscaling:asg", "OptionName": "MinSize", "Value": "1"},
    {"Namespace": "aws:autoscaling:asg", "OptionName": "MaxSize", "Value": "10"},
]


@dataclass(frozen=True)
class Result:
    name: str
    state: str
    seconds: float
    green_at_swap: str
    blue_at_cutover: str
    sent: int
    failed: int


def _scale_blue(sim: Simulator, target: ReleaseTarget) -> None:
    sim.set_load(LOAD, cname=target.cname)
    eb = sim.client("elasticbeanstalk")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        rows = eb.describe_instances_health(EnvironmentName=target.blue, AttributeNames=["All"])
        if sum(r["HealthStatus"] == "Ok" for r in rows["InstanceHealthList"]) >= INSTANCES:
            return
        time.sleep(0.05)
    raise RuntimeError("blue did not scale out")


def _count(events: list[Any], prefix: str) -> str:
    found = [e for e in events if e.message.startswith(prefix)]
    if not found:
        return "-"
    rows = found[-1].data.get("instances", [])
    return str(sum(1 for row in rows if row.get("health") == "Ok"))


def _release(sim: Simulator, warm_up: bool, db: str) -> Result:
    sim.reset()
    target = seed_release_target(sim, versions={"v1": {}, "v2": {}}, options=SIZES)
    _scale_blue(sim, target)
    settings = load_settings({
        "BLUEGREEN_DATABASE_URL": db,
        "BLUEGREEN_POLL_INTERVAL": sim.timing.poll_interval(),
        "BEANSTALK_APP_NAME": target.app,
        "BLUE_ENV_NAME": target.blue,
        "GREEN_ENV_NAME": GREEN,
        "VERSION_LABEL": "v2",
        "BLUEGREEN_DNS_SETTLE": sim.dns_settle_seconds,
        "BLUEGREEN_TIME_SCALE": 1 / SPEED,
        "BLUEGREEN_HEALTH_INTERVAL": 0.1,
        "BLUEGREEN_WARM_UP": warm_up,
    })  # fmt: skip
    runtime = bootstrap(settings, Interrupt())
    try:
        with sim.live_traffic(f"http://{target.cname}/", interval=0.005, max_seconds=600) as live:
            outcome = runtime.runner.release(release_request(settings, Mode.FULL), NullObserver())
        report = live.stop()
        events = [e for e in runtime.store.events(outcome.run.id) if e.source is EventSource.ENGINE]
    finally:
        runtime.close()
    run = outcome.run
    took = ((run.finished_at or run.created_at) - run.created_at).total_seconds() * SPEED
    return Result(
        "with warm-up" if warm_up else "without warm-up (the replaced tool's behaviour)",
        run.state.value,
        took,
        _count(events, "warm-up done: green") if warm_up else "1 (template MinSize)",
        _count(events, "warm-up done: blue") if warm_up else "-",
        report.sent,
        report.failed,
    )


def _line(result: Result) -> str:
    share = 100 * result.failed / result.sent if result.sent else 0.0
    return (
        f"{result.name}\n    {result.state:<10} in {result.seconds:5.0f} s AWS time; green in "
        f"service at the swap: {result.green_at_swap}, blue at the cutover: "
        f"{result.blue_at_cutover}; live requests {result.sent}, failed "
        f"{result.failed} ({share:.1f} %)"
    )


def main() -> None:
    print(f"Capacity under load: blue autoscaled to {INSTANCES} instances by {LOAD:.0f} req/s, "
          f"simulator speed {SPEED:g}")  # fmt: skip
    with tempfile.TemporaryDirectory() as home, Simulator(speed=SPEED) as sim:
        os.environ.update(sim.client_env())
        for index, warm_up in enumerate((True, False)):
            db = f"sqlite:///{Path(home) / f'runs-{index}.db'}"
            print(_line(_release(sim, warm_up, db)), flush=True)


if __name__ == "__main__":
    main()
