"""`bluegreen demo`: three releases by the real engine against an embedded simulator.

A good version released; a broken one (its app answers 500) rolled back automatically; a
release SIGKILLed half-way (the crash test hook) and resumed at once (its runner's process is
gone, so its lease is taken over without waiting for it to expire). Each
runs `bluegreen` as a subprocess, configured like the replaced tool (its variables only).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.core import Simulator

Say = Callable[[str], None]
APP, BLUE, GREEN = "shop", "shop-blue", "shop-green"
KILLED_LEASE_SECONDS = 3


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
    from simulator.seed import seed_release_target

    with Simulator(speed=speed) as sim, tempfile.TemporaryDirectory() as home:
        versions = {"v1": {}, "v2": {}, "v3-broken": {"status": 500, "body": "boom"}}
        target = seed_release_target(sim, app=APP, blue=BLUE, versions=versions)
        say(f"Simulator up (speed {speed:g}); blue {BLUE} serves v1 at {target.cname}\n")
        env = _environment(sim, f"sqlite:///{home}/runs.db")
        started = time.monotonic()
        results = [
            _scenario_good(sim, env, target.cname, say),
            _scenario_broken(sim, env, target.cname, say),
            _scenario_killed(sim, env, target.cname, say),
        ]
        say(f"Demo finished in {time.monotonic() - started:.0f} s.")
        return 0 if all(results) else 1


def _environment(sim: Simulator, database_url: str) -> dict[str, str]:
    """The replaced tool's variables, the simulator's client settings, quick health checks."""
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
    }


def _bluegreen(env: Mapping[str, str], *args: str) -> Invocation:
    command = [sys.executable, "-m", "engine.operator.cli", *args]
    done = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        command, env=dict(env), capture_output=True, text=True, check=False
    )
    return Invocation(done.returncode, (done.stdout + done.stderr).splitlines())


def _show(invocation: Invocation, say: Say) -> None:
    """The run id, its transitions and its final line: the gist of the progress output."""
    for line in invocation.lines:
        if line.startswith(("run ", "bluegreen:")) or " -> " in line or "finished:" in line:
            say(f"    {line}")
    say(f"    (exit code {invocation.exit_code})")


def _serving(sim: Simulator, cname: str) -> str:
    status, body = sim.get(f"http://{cname}/")
    green = "still running" if sim.backend.environment(GREEN) else "gone"
    return f"http://{cname}/ answers {status} {body!r}; green {GREEN} is {green}"


def _scenario_good(sim: Simulator, env: Mapping[str, str], cname: str, say: Say) -> bool:
    say("1. VERSION_LABEL=v2 bluegreen full   (a good version)")
    release = _bluegreen({**env, "VERSION_LABEL": "v2"}, "full")
    _show(release, say)
    say(f"  => succeeded: {_serving(sim, cname)}\n")
    return release.exit_code == 0


def _scenario_broken(sim: Simulator, env: Mapping[str, str], cname: str, say: Say) -> bool:
    say("2. VERSION_LABEL=v3-broken bluegreen full   (its app answers 500)")
    release = _bluegreen({**env, "VERSION_LABEL": "v3-broken"}, "full")
    _show(release, say)
    say(f"  => rolled back automatically: {_serving(sim, cname)}\n")
    return release.exit_code == 1


def _scenario_killed(sim: Simulator, env: Mapping[str, str], cname: str, say: Say) -> bool:
    say("3. VERSION_LABEL=v1 bluegreen full, SIGKILLed right after the CNAME swap")
    killed_env = {
        **env,
        "VERSION_LABEL": "v1",
        "BLUEGREEN_TEST_CRASH_AT": "state:deploying",
        "BLUEGREEN_LEASE_SECONDS": str(KILLED_LEASE_SECONDS),
    }
    killed = _bluegreen(killed_env, "full")
    _show(killed, say)
    say(f"  => killed half-way: {_serving(sim, cname)}")
    say(f"  bluegreen resume {killed.run_id}   (the dead runner's lease is taken over at once)")
    resumed = _bluegreen({**env, "VERSION_LABEL": "v1"}, "resume", killed.run_id,
                         "--wait-for-lock", "30")  # fmt: skip
    _show(resumed, say)
    say(f"  => resumed and finished: {_serving(sim, cname)}\n")
    return killed.exit_code == -9 and resumed.exit_code == 0
