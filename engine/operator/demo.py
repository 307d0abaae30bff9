"""`bluegreen demo`: three releases by the real engine against an embedded simulator.

A good version released; a broken one (its app answers 500) rolled back automatically; a
release SIGKILLed half-way (by the demo, as an operator's `kill -9`) and resumed at once
(its runner's process is gone, so its lease is taken over without waiting for it to expire).
Each runs `bluegreen` as a subprocess, configured like the replaced tool (its variables only),
plus one custom domain in Route 53 that points at blue's load balancer and follows each swap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.core import Simulator

Say = Callable[[str], None]
APP, BLUE, GREEN = "shop", "shop-blue", "shop-green"
KILLED_LEASE_SECONDS = 3
KILL_AFTER = "-> deploying ("  # the progress line of the committed transition into deploying


@dataclass(frozen=True)
class Invocation:
    """What one `bluegreen` subprocess printed and how it ended."""

    exit_code: int
    lines: list[str]

    @property
    def run_id(self) -> str:
        return next((line.split()[1] for line in self.lines if line.startswith("run ")), "?")


def run_demo(speed: float, say: Say = print) -> int:
    """Runs the three scenarios; 0 when each ended as it should."""
    from simulator.core import Simulator
    from simulator.domains import seed_custom_domains
    from simulator.seed import seed_release_target

    history = demo_history_path()
    history.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    history.unlink(missing_ok=True)  # each demo starts a history of its own
    with Simulator(speed=speed) as sim:
        versions = {"v1": {}, "v2": {}, "v3-broken": {"status": 500, "body": "boom"}}
        target = seed_release_target(sim, app=APP, blue=BLUE, versions=versions)
        say(f"Simulator up (speed {speed:g}); blue {BLUE} serves v1 at {target.cname}")
        domains = seed_custom_domains(sim, target, zone_name="shop.example")
        domain = Domain(domains.zone_id, domains.names[-1])  # the one at blue's load balancer
        say(f"Custom domain: {_pointing(sim, domain)}\n")
        env = _environment(sim, f"sqlite:///{history}", domain)
        started = time.monotonic()
        results = [
            _scenario_good(sim, env, target.cname, domain, say),
            _scenario_broken(sim, env, target.cname, domain, say),
            _scenario_killed(sim, env, target.cname, domain, say),
        ]
        say(f"Demo finished in {time.monotonic() - started:.0f} s.")
    say(f"Its history is kept in {history} (apart from yours); read it with:")
    say(f"    bluegreen runs list --database-url sqlite:///{history}")
    return 0 if all(results) else 1


def demo_history_path() -> Path:
    """`$XDG_STATE_HOME/bluegreen/demo.db`: next to the default history, never in it (the
    demo's simulated `shop` must not mix with real releases)."""
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "bluegreen" / "demo.db"


@dataclass(frozen=True)
class Domain:
    """The demo's custom domain: a record in a Route 53 hosted zone."""

    zone_id: str
    name: str


def _environment(sim: Simulator, database_url: str, domain: Domain) -> dict[str, str]:
    """The replaced tool's variables, the simulator's client settings, quick health checks,
    and the custom domain."""
    return {
        **os.environ,
        **sim.client_env(),
        "BEANSTALK_APP_NAME": APP,
        "BLUE_ENV_NAME": BLUE,
        "GREEN_ENV_NAME": GREEN,
        "RELEASE_HEALTH_CHECKING_PATH": "/",
        "BLUEGREEN_DATABASE_URL": database_url,
        "BLUEGREEN_HEALTH_INTERVAL": "0.2",
        "BLUEGREEN_HEALTH_DEADLINE": "4",
        "BLUEGREEN_DNS_SETTLE": str(sim.dns_settle_seconds),
        "BLUEGREEN_LOG_FORMAT": "text",
        "BLUEGREEN_ROUTE53_RECORDS": domain.name,
        "BLUEGREEN_HOSTED_ZONE_ID": domain.zone_id,
    }


def _bluegreen(env: Mapping[str, str], *args: str) -> Invocation:
    command = [sys.executable, "-m", "engine.operator.cli", *args]
    done = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        command, env=dict(env), capture_output=True, text=True, check=False
    )
    return Invocation(done.returncode, (done.stdout + done.stderr).splitlines())


def _killed_once(env: Mapping[str, str], marker: str, *args: str) -> Invocation:
    """`bluegreen ARGS`, SIGKILLed as soon as it prints a line containing `marker` (its exit
    code is then -9; a run that never gets there ends as it would)."""
    command = [sys.executable, "-m", "engine.operator.cli", *args]
    process = subprocess.Popen(  # noqa: S603 - our own CLI with fixed arguments
        command, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    assert process.stdout is not None
    with process.stdout:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if marker in line:
                process.kill()
                break
    return Invocation(process.wait(), lines)


def _show(invocation: Invocation, say: Say) -> None:
    """The run id, its transitions and its final line: the gist of the progress output."""
    for line in invocation.lines:
        if line.startswith(("run ", "bluegreen:")) or " -> " in line or "finished:" in line:
            say(f"    {line}")
    say(f"    (exit code {invocation.exit_code})")


def _serving(sim: Simulator, cname: str, domain: Domain) -> str:
    status, body = sim.get(f"http://{cname}/")
    green = "still running" if sim.backend.environment(GREEN) else "gone"
    return (
        f"http://{cname}/ answers {status} {body!r}; green {GREEN} is {green}"
        f"\n     {_pointing(sim, domain)}"
    )


def _pointing(sim: Simulator, domain: Domain) -> str:
    """Where the custom domain points now, and whose load balancer that is."""
    from simulator.domains import targets

    target = targets(sim, domain.zone_id)[domain.name]
    envs = sim.client("elasticbeanstalk").describe_environments(ApplicationName=APP)
    owner = next((e["EnvironmentName"] for e in envs["Environments"]
                  if same_dns_name(e.get("EndpointURL") or "", target)),
                 "no live environment")  # fmt: skip
    return f"{domain.name} -> {target} ({owner}'s load balancer)"


def same_dns_name(one: str, other: str) -> bool:
    """DNS names compare without regard to case or a final dot (RFC 4343): the engine writes
    record values lower-cased, EB reports load balancer names as it made them."""
    return one.rstrip(".").lower() == other.rstrip(".").lower()


def _scenario_good(
    sim: Simulator, env: Mapping[str, str], cname: str, domain: Domain, say: Say
) -> bool:
    say("1. VERSION_LABEL=v2 bluegreen full   (a good version)")
    release = _bluegreen({**env, "VERSION_LABEL": "v2"}, "full")
    _show(release, say)
    say(f"  => succeeded: {_serving(sim, cname, domain)}\n")
    return release.exit_code == 0


def _scenario_broken(
    sim: Simulator, env: Mapping[str, str], cname: str, domain: Domain, say: Say
) -> bool:
    say("2. VERSION_LABEL=v3-broken bluegreen full   (its app answers 500)")
    release = _bluegreen({**env, "VERSION_LABEL": "v3-broken"}, "full")
    _show(release, say)
    say(f"  => rolled back automatically: {_serving(sim, cname, domain)}\n")
    return release.exit_code == 1


def _scenario_killed(
    sim: Simulator, env: Mapping[str, str], cname: str, domain: Domain, say: Say
) -> bool:
    say("3. VERSION_LABEL=v1 bluegreen full, SIGKILLed right after the CNAME swap")
    killed_env = {
        **env,
        "VERSION_LABEL": "v1",
        "BLUEGREEN_LEASE_SECONDS": str(KILLED_LEASE_SECONDS),
    }
    killed = _killed_once(killed_env, KILL_AFTER, "full")
    _show(killed, say)
    say(f"  => killed half-way: {_serving(sim, cname, domain)}")
    say(f"  bluegreen resume {killed.run_id}   (the dead runner's lease is taken over at once)")
    resumed = _bluegreen({**env, "VERSION_LABEL": "v1"}, "resume", killed.run_id,
                         "--wait-for-lock", "30")  # fmt: skip
    _show(resumed, say)
    say(f"  => resumed and finished: {_serving(sim, cname, domain)}\n")
    return killed.exit_code == -9 and resumed.exit_code == 0
