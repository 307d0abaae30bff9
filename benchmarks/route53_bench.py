"""What custom domains cost a release: one `full` release by the real engine against the
simulator without custom domains, then with two (a CNAME to blue's CNAME, a CNAME to its load
balancer, TTL `TTL` s).

Prints, per release: its wall time and the Route 53 calls it made, per operation. The extra
time is the settle rule (INSYNC, then the TTL) at the swap and at the cutover.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import cast

from cloud.route53 import Boto3Dns
from engine.domain.model import Mode
from engine.operator.bootstrap import bootstrap
from engine.operator.inputs import release_request
from engine.operator.settings import load_settings
from engine.release.interrupt import Interrupt
from engine.release.observer import NullObserver
from simulator import Simulator
from simulator.domains import seed_custom_domains
from simulator.seed import seed_release_target

SPEED = 50.0
TTL = 5


def _release(sim: Simulator, home: str, app: str, domains: dict[str, str]) -> tuple[float, str]:
    target = seed_release_target(sim, app=app, blue=f"{app}-blue")
    if domains:
        seeded = seed_custom_domains(sim, target, ttl=TTL)
        domains = {"BLUEGREEN_ROUTE53_RECORDS": ",".join(seeded.names),
                   "BLUEGREEN_HOSTED_ZONE_ID": seeded.zone_id}  # fmt: skip
    settings = load_settings({
        "BLUEGREEN_DATABASE_URL": f"sqlite:///{home}/{app}.db", "BEANSTALK_APP_NAME": app,
        "BLUE_ENV_NAME": target.blue, "GREEN_ENV_NAME": f"{app}-green", "VERSION_LABEL": "v2",
        "BLUEGREEN_POLL_INTERVAL": sim.timing.poll_interval(), "BLUEGREEN_HEALTH_INTERVAL": 0.1,
        "BLUEGREEN_HEALTH_SUCCESSES": 2, **domains,
    })  # fmt: skip
    runtime = bootstrap(settings, Interrupt())
    try:
        started = time.monotonic()
        outcome = runtime.runner.release(release_request(settings, Mode.FULL), NullObserver())
        elapsed = time.monotonic() - started
        dns = cast(Boto3Dns, runtime.runner.services.dns)
        calls = ", ".join(f"{op} {n}" for op, n in sorted(dns.api_calls.items())) or "none"
        return elapsed, f"exit {outcome.exit_code}; Route 53 calls: {calls}"
    finally:
        runtime.close()


def main() -> None:
    with Simulator(speed=SPEED) as sim, tempfile.TemporaryDirectory() as home:
        os.environ.update(sim.client_env())
        print(f"route53: one full release at simulator speed {SPEED:g}, record TTL {TTL} s")
        for app, domains in (("plain", {}), ("domains", {"yes": "1"})):
            elapsed, calls = _release(sim, home, app, domains)
            print(f"  {app:8} {elapsed:6.1f} s  {calls}")


if __name__ == "__main__":
    main()
