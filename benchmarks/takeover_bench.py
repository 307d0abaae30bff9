"""How soon `bluegreen resume` gets going after its runner was killed (SIGKILL) on the same
host, with 10 minutes left on the dead runner's lease: the takeover needs no waiting.

Prints, per round, the seconds from starting `resume` until it printed the run id (its drive
has the lease) and until it exited, the median of each, and for scale how long the CLI takes
to start at all (`bluegreen --help`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simulator import Simulator
from simulator.seed import seed_release_target

ROUNDS = 3
SPEED = 200.0
CRASH_HOOKS = str(Path(__file__).parents[1] / "tests" / "plugins")  # BLUEGREEN_TEST_CRASH_AT


def _command(*args: str) -> list[str]:
    script = Path(sys.executable).parent / "bluegreen"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "engine.operator.cli"]
    return [*prefix, *args]


def _environment(sim: Simulator, home: Path, app: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "BLUEGREEN_"))}
    return {
        **kept, **sim.client_env(), "PYTHONPATH": CRASH_HOOKS,
        "AWS_CONFIG_FILE": str(home / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
        "BLUEGREEN_DATABASE_URL": f"sqlite:///{home / 'runs.db'}",
        "BLUEGREEN_HEALTH_INTERVAL": "0.05", "BLUEGREEN_HEALTH_SUCCESSES": "2",
        "BLUEGREEN_LOG_FORMAT": "text", "BEANSTALK_APP_NAME": app,
        "BLUE_ENV_NAME": f"{app}-blue", "GREEN_ENV_NAME": f"{app}-green", "VERSION_LABEL": "v2",
    }  # fmt: skip


def _one_round(sim: Simulator, home: Path, index: int) -> tuple[float, float]:
    app = f"takeover{index}"
    seed_release_target(sim, app=app, blue=f"{app}-blue")
    env = _environment(sim, home / app, app)
    (home / app).mkdir()
    crash = {"BLUEGREEN_TEST_CRASH_AT": "state:deploying", "BLUEGREEN_LEASE_SECONDS": "600"}
    killed = subprocess.run(_command("full"), env={**env, **crash}, capture_output=True, text=True)
    run_id = killed.stdout.splitlines()[0].split()[1]
    started = time.monotonic()
    resume = subprocess.Popen(
        _command("resume", run_id), env=env, stdout=subprocess.PIPE, text=True
    )
    assert resume.stdout is not None
    first = resume.stdout.readline()
    leased = time.monotonic() - started
    resume.communicate(timeout=120)
    assert first.startswith("run ") and resume.returncode == 0, (first, resume.returncode)
    return leased, time.monotonic() - started


def _start_up_seconds() -> float:
    started = time.monotonic()
    subprocess.run(_command("--help"), capture_output=True, check=True)
    return time.monotonic() - started


def main() -> None:
    print(f"resume after SIGKILL on the same host (lease 600 s, simulator speed {SPEED:g}):")
    with Simulator(speed=SPEED) as sim, tempfile.TemporaryDirectory() as tmp:
        rounds = [_one_round(sim, Path(tmp), i) for i in range(ROUNDS)]
    for number, (leased, done) in enumerate(rounds, 1):
        print(f"  round {number}: driving after {leased:.2f} s, finished after {done:.2f} s")
    print(
        f"  median: driving after {statistics.median(r[0] for r in rounds):.2f} s, "
        f"finished after {statistics.median(r[1] for r in rounds):.2f} s"
    )
    print(f"  for scale: `bluegreen --help` takes {_start_up_seconds():.2f} s on this machine")


if __name__ == "__main__":
    main()
