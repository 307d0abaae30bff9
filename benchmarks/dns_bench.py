"""The simulator's DNS model under live traffic: one request every 2 ms to the live CNAME
through the router while the CNAMEs are swapped.

Prints, per setting (TTL, linger), how long after the swap completed the old environment was
still reached (expected: TTL plus linger, scaled by the speed, give or take a clock tick), how
soon the new one was, and the traffic's request rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from simulator import Simulator
from simulator.seed import SOLUTION_STACK, seed_release_target, wait_for_environment

SPEED = 20.0  # EB's 60 s TTL takes 3 s
SETTINGS = ((60.0, 0.0), (60.0, 30.0), (0.0, 0.0))  # (TTL, linger) in AWS seconds


def _green(sim: Simulator) -> None:
    sim.client("elasticbeanstalk").create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-green",
        SolutionStackName=SOLUTION_STACK,
        VersionLabel="v2",
    )
    wait_for_environment(sim, "shop-green", health="Green", timeout=60)


def _swap_completed(sim: Simulator, cname: str, elapsed: Callable[[], float]) -> float:
    """When EB first shows green holding the live CNAME (polled every 5 ms)."""
    eb = sim.client("elasticbeanstalk")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        (green,) = eb.describe_environments(EnvironmentNames=["shop-green"])["Environments"]
        if green["CNAME"] == cname:
            return elapsed()
        time.sleep(0.005)
    raise TimeoutError("the swap did not complete within 60 s")


def measure(sim: Simulator, ttl: float, linger: float) -> str:
    sim.reset()
    sim.set_dns(ttl=ttl, linger=linger)
    target = seed_release_target(sim, timeout=60)
    _green(sim)
    eb = sim.client("elasticbeanstalk")
    with sim.live_traffic(f"http://{target.cname}/", interval=0.002) as traffic:
        eb.swap_environment_cnames(
            SourceEnvironmentName="shop-blue", DestinationEnvironmentName="shop-green"
        )
        swapped = _swap_completed(sim, target.cname, traffic.elapsed)
        time.sleep(sim.dns_settle_seconds + 0.5)
        report, seconds = traffic.stop(), traffic.elapsed()
    old_until = report.environment_seen["shop-blue"][1] - swapped
    new_from = report.environment_seen.get("shop-green", (float("nan"),))[0] - swapped
    return (
        f"TTL {ttl:>3g} s, linger {linger:>3g} s: old env reached until {old_until:5.2f} s "
        f"after the swap (model: {sim.dns.settle_seconds:.2f} s), new env from {new_from:5.2f} s; "
        f"{report.sent} requests ({report.sent / seconds:.0f}/s), {report.failed} failed"
    )


def main() -> None:
    print(f"Simulator DNS under live traffic, speed {SPEED:g}")
    with Simulator(speed=SPEED) as sim:
        for ttl, linger in SETTINGS:
            print(measure(sim, ttl, linger), flush=True)


if __name__ == "__main__":
    main()
