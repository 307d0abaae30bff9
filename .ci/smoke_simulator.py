"""The simulator outside the lean image, for .ci/image.sh's smoke release.

`serve ENV_FILE`: starts the simulator (speed 100) on loopback, seeds shop/shop-blue on v1
with v2 ready to release, writes the client variables to ENV_FILE (NAME=value lines) and
serves until SIGTERM. `check ENV_FILE`: asks it, over the AWS API, that blue runs v2 and no
green is left: what a release from the image must have done.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

APP, BLUE, GREEN = "shop", "shop-blue", "shop-green"


def serve(env_file: Path) -> None:
    from simulator import Simulator
    from simulator.seed import seed_release_target

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Simulator(speed=100) as sim:
        seed_release_target(sim, app=APP, blue=BLUE, versions={"v1": {}, "v2": {}})
        lines = [f"{name}={value}" for name, value in sim.client_env().items()]
        env_file.write_text("\n".join(lines) + "\n")
        stop.wait()


def check(env_file: Path) -> None:
    for line in env_file.read_text().splitlines():
        name, _, value = line.partition("=")
        os.environ[name] = value
    import boto3

    eb = boto3.client("elasticbeanstalk")
    live = eb.describe_environments(ApplicationName=APP, IncludeDeleted=False)["Environments"]
    found = {env["EnvironmentName"]: env for env in live if env["Status"] != "Terminated"}
    if found.get(BLUE, {}).get("VersionLabel") != "v2" or GREEN in found:
        sys.exit(f"smoke release did not land: {sorted(found)} {found.get(BLUE)}")
    print(f"smoke: {BLUE} runs v2, {GREEN} is gone")


if __name__ == "__main__":
    {"serve": serve, "check": check}[sys.argv[1]](Path(sys.argv[2]))
