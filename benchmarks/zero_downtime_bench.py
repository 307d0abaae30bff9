"""Zero downtime under DNS: whole releases in the simulator with live traffic through the CNAME
router and its resolver cache (EB's 60 s TTL), at speed 20 (a launch takes 9 s).

Prints, per scenario, in AWS time (real seconds x speed): time until the new version is live
(the cutover seen done), time until the run is done, green's lifetime, the live requests sent
and failed; for a version that fails after the cutover, how long live requests kept failing.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.domain.model import Mode, State
from engine.operator.bootstrap import bootstrap
from engine.operator.inputs import release_request
from engine.operator.settings import load_settings
from engine.release.interrupt import Interrupt
from engine.release.observer import NullObserver, Outcome
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from simulator.traffic import TrafficReport

SPEED = 20.0
GREEN = "shop-green"
FAIL_AFTER = 600.0  # AWS seconds after blue's deployment: well after the cutover
BAKE = 900.0  # AWS seconds


@dataclass(frozen=True)
class Scenario:
    name: str
    version: str
    settle: float | None = None  # AWS seconds; None: the engine's default
    bake: float = 0.0


SCENARIOS = (
    Scenario("good release, default settle (120 s)", "v2"),
    Scenario("good release, settle 0 (what DNS does without it)", "v2", settle=0.0),
    Scenario("broken version (500), rolled back in verification", "broken"),
    Scenario("broken version (500), settle 0", "broken", settle=0.0),
    Scenario(f"fails {FAIL_AFTER:.0f} s after deploy, bake {BAKE:.0f} s", "late", bake=BAKE),
)


def _settings(sim: Simulator, target: ReleaseTarget, db: str, scenario: Scenario) -> Any:
    settle = 120.0 if scenario.settle is None else scenario.settle
    return load_settings({
        "BLUEGREEN_DATABASE_URL": db,
        "BLUEGREEN_POLL_INTERVAL": sim.timing.poll_interval(),
        "BEANSTALK_APP_NAME": target.app,
        "BLUE_ENV_NAME": target.blue,
        "GREEN_ENV_NAME": GREEN,
        "VERSION_LABEL": scenario.version,
        "BLUEGREEN_DNS_SETTLE": settle / SPEED,
        "BLUEGREEN_BAKE": scenario.bake / SPEED,
        "BLUEGREEN_HEALTH_INTERVAL": 2.0 / SPEED * 5,  # 10 AWS s between probes
    })  # fmt: skip


def _release(sim: Simulator, scenario: Scenario, db: str) -> tuple[Outcome, TrafficReport, Any]:
    sim.reset()
    versions: dict[str, dict[str, Any]] = {
        "v1": {}, "v2": {}, "broken": {"status": 500}, "late": {"fail_after": FAIL_AFTER}
    }  # fmt: skip
    target = seed_release_target(sim, versions=versions)
    settings = _settings(sim, target, db, scenario)
    runtime = bootstrap(settings, Interrupt())
    try:
        with sim.live_traffic(f"http://{target.cname}/", interval=0.005, max_seconds=900) as live:
            outcome = runtime.runner.release(release_request(settings, Mode.FULL), NullObserver())
            time.sleep(sim.dns_settle_seconds)  # stale answers after the end would show here
        return outcome, live.stop(), runtime.store.transitions(outcome.run.id)
    finally:
        runtime.close()


def _aws(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * SPEED:6.0f} s"


def _green_lifetime(run: Any, transitions: Any) -> float | None:
    """From the start of cloning (CreateEnvironment) to the end of the run, which waits until
    green is Terminated."""
    cloning = next((t.at for t in transitions if t.to_state is State.CLONING), None)
    if cloning is None or run.finished_at is None:
        return None
    return float((run.finished_at - cloning).total_seconds())


def _line(scenario: Scenario, outcome: Outcome, live: TrafficReport,
          transitions: Any) -> str:  # fmt: skip
    run, start = outcome.run, outcome.run.created_at
    live_at = next((t.at for t in transitions if t.to_state is State.BAKING), None)
    to_live = (live_at - start).total_seconds() if live_at else None
    done = ((run.finished_at or start) - start).total_seconds()
    failing = None
    if live.failures:
        failing = live.failures[-1].at - live.failures[0].at
    return (
        f"{scenario.name}\n    {run.state.value:<11} new version live after {_aws(to_live)}, "
        f"done after {_aws(done)}, green lived {_aws(_green_lifetime(run, transitions))}; "
        f"live requests {live.sent}, failed {live.failed}"
        + (f" (failing for {_aws(failing)})" if failing is not None else "")
    )


def main() -> None:
    print(f"Zero downtime under DNS: simulator speed {SPEED:g}, EB TTL 60 s; AWS time shown")
    with tempfile.TemporaryDirectory() as home, Simulator(speed=SPEED) as sim:
        os.environ.update(sim.client_env())
        for index, scenario in enumerate(SCENARIOS):
            db = f"sqlite:///{Path(home) / f'runs-{index}.db'}"
            outcome, live, transitions = _release(sim, scenario, db)
            print(_line(scenario, outcome, live, transitions), flush=True)


if __name__ == "__main__":
    main()
