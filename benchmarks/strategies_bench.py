"""The three release strategies side by side in one simulator with DNS caching (EB's 60 s
TTL), live traffic through the CNAME router, at speed 40: a good version, a broken one, and one
that fails 600 s after it was deployed (after its cutover; each strategy is given a watch
window long enough to see it: swap-back's bake, swap-and-keep's keep window, traffic-split's
evaluation).

Prints per strategy and scenario, in AWS time (real seconds x speed): when all live traffic is
on the new version, when the run is done, how long a green lived, EB API calls, live requests
sent and failed, and for a late failure how long production took to be restored (first to last
failed live request). `python -m benchmarks strategies`.
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
from simulator.seed import seed_release_target
from simulator.traffic import TrafficReport

SPEED = 40.0
GREEN = "shop-green"
SETTLE = 120.0  # AWS seconds: the engine's default DNS settle
FAIL_AFTER = 600.0  # AWS seconds after the version was deployed
WATCH = 900.0  # AWS seconds of bake / keep window / evaluation for the late scenario
STRATEGIES = ("swap-back", "swap-and-keep", "traffic-split")
# When all live traffic is on the new version, by strategy: the transition that follows it.
LIVE_AT = {
    "swap-back": State.BAKING,  # the swap back (cutover) seen done
    "swap-and-keep": State.KEEPING_OLD,  # the one swap seen done
    "traffic-split": State.SUCCEEDED,  # EB shifted the rest of the traffic; blue verified
}
GREEN_FROM = {"swap-back": State.CLONING, "swap-and-keep": State.LAUNCHING}


@dataclass(frozen=True)
class Scenario:
    name: str
    version: str
    late: bool = False


SCENARIOS = (
    Scenario("good", "v2"),
    Scenario("broken (500)", "broken"),
    Scenario(f"fails {FAIL_AFTER:.0f} s after deploy", "late", late=True),
)


def _settings(db: str, sim: Simulator, strategy: str, scenario: Scenario) -> Any:
    watch = WATCH if scenario.late else 0.0
    return load_settings({
        "BLUEGREEN_DATABASE_URL": db,
        "BLUEGREEN_POLL_INTERVAL": sim.timing.poll_interval(),
        "BEANSTALK_APP_NAME": "shop",
        "BLUE_ENV_NAME": "shop-blue",
        "GREEN_ENV_NAME": GREEN,
        "VERSION_LABEL": scenario.version,
        "BLUEGREEN_STRATEGY": strategy,
        "BLUEGREEN_DNS_SETTLE": SETTLE / SPEED,
        "BLUEGREEN_BAKE": watch / SPEED,
        "BLUEGREEN_KEEP_OLD": str(watch / SPEED) if watch else None,
        "BLUEGREEN_CANARY_MINUTES": max(3, round(watch / 60)) if watch else 3,
        "BLUEGREEN_HEALTH_INTERVAL": 10.0 / SPEED,  # 10 AWS s between probes
    })  # fmt: skip


def _release(
    sim: Simulator, db: str, strategy: str, scenario: Scenario
) -> tuple[Outcome, TrafficReport, Any, int]:
    sim.reset()
    versions: dict[str, dict[str, Any]] = {
        "v1": {}, "v2": {}, "broken": {"status": 500}, "late": {"fail_after": FAIL_AFTER}
    }  # fmt: skip
    target = seed_release_target(sim, versions=versions)
    settings = _settings(db, sim, strategy, scenario)
    runtime = bootstrap(settings, Interrupt())
    sim.calls.clear()
    try:
        with sim.live_traffic(f"http://{target.cname}/", interval=0.005, max_seconds=900) as live:
            outcome = runtime.runner.release(release_request(settings, Mode.FULL), NullObserver())
            time.sleep(sim.dns_settle_seconds)  # stale answers after the end would show here
        calls = sim.calls.total()
        return outcome, live.stop(), runtime.store.transitions(outcome.run.id), calls
    finally:
        runtime.close()


def _aws(seconds: float | None) -> str:
    return "     -" if seconds is None else f"{seconds * SPEED:6.0f}"


def _since_start(run: Any, transitions: Any, state: State | None) -> float | None:
    at = next((t.at for t in transitions if t.to_state is state), None)
    return None if at is None else float((at - run.created_at).total_seconds())


def _row(strategy: str, scenario: Scenario, outcome: Outcome, live: TrafficReport,
         transitions: Any, calls: int) -> str:  # fmt: skip
    run = outcome.run
    done = float(((run.finished_at or run.created_at) - run.created_at).total_seconds())
    to_live = _since_start(run, transitions, LIVE_AT[strategy])
    green_from = _since_start(run, transitions, GREEN_FROM.get(strategy))
    green = None if green_from is None else done - green_from
    restored = live.failures[-1].at - live.failures[0].at if live.failures else None
    return (
        f"{strategy:<14} {scenario.name:<26} {run.state.value:<12} {_aws(to_live)} "
        f"{_aws(done)} {_aws(green)} {calls:6d} {live.sent:7d} {live.failed:6d} "
        f"{_aws(restored)}"
    )


def main() -> None:
    print(f"Strategies side by side: simulator speed {SPEED:g}, EB TTL 60 s, DNS settle "
          f"{SETTLE:.0f} s; AWS seconds")  # fmt: skip
    print(f"{'strategy':<14} {'scenario':<26} {'outcome':<12} {'live':>6} {'done':>6} "
          f"{'green':>6} {'calls':>6} {'sent':>7} {'failed':>6} {'restored':>6}")  # fmt: skip
    with tempfile.TemporaryDirectory() as home, Simulator(speed=SPEED) as sim:
        os.environ.update(sim.client_env())
        index = 0
        for scenario in SCENARIOS:
            for strategy in STRATEGIES:
                index += 1
                db = f"sqlite:///{Path(home) / f'runs-{index}.db'}"
                outcome, live, transitions, calls = _release(sim, db, strategy, scenario)
                print(_row(strategy, scenario, outcome, live, transitions, calls), flush=True)


if __name__ == "__main__":
    main()
