"""`bluegreen simulator ...`: run the local AWS stand-in from the command line.

`serve` prints `export NAME=value` lines first (so `source <(bluegreen simulator serve |
grep ^export)` prepares a shell), then serves until SIGINT/SIGTERM.
"""

from __future__ import annotations

import shlex
import signal
import sys
import threading
from types import FrameType

import click

from simulator.core import Simulator
from simulator.faults import Faults


@click.group("simulator")
def simulator_group() -> None:
    """The local AWS stand-in (Elastic Beanstalk + S3)."""


@simulator_group.command("serve")
@click.option("--port", default=0, show_default=True, help="AWS endpoint port (0: any free).")
@click.option("--router-port", default=0, show_default=True, help="CNAME router port.")
@click.option("--speed", default=1.0, show_default=True, help="Time scale (100: 100x faster).")
@click.option("--region", default="us-east-1", show_default=True)
@click.option("--throttle-rate", default=0.0, help="Fraction of EB calls answered Throttling.")
@click.option("--error-rate", default=0.0, help="Fraction of EB calls answered with a 5xx.")
@click.option("--error-status", default=503, show_default=True, help="The 5xx status to use.")
@click.option("--seed", type=int, default=None, help="Seed for the fault rates' RNG.")
@click.option("--fail-launch", multiple=True, metavar="ENV", help="Launches of ENV fail (* = all).")
@click.option("--fail-update", multiple=True, metavar="ENV", help="Deployments to ENV fail.")
@click.option("--fail-terminate", multiple=True, metavar="ENV", help="ENV's next terminate fails.")
@click.option("--stick", multiple=True, metavar="ENV", help="Operations on ENV never finish.")
def serve(
    port: int,
    router_port: int,
    speed: float,
    region: str,
    throttle_rate: float,
    error_rate: float,
    error_status: int,
    seed: int | None,
    fail_launch: tuple[str, ...],
    fail_update: tuple[str, ...],
    fail_terminate: tuple[str, ...],
    stick: tuple[str, ...],
) -> None:
    """Serve EB + S3 on 127.0.0.1 until SIGINT or SIGTERM."""
    faults = Faults(
        throttle_rate=throttle_rate, error_rate=error_rate, error_status=error_status, seed=seed
    )
    for env in fail_launch:
        faults.fail_launch(env)
    for env in fail_update:
        faults.fail_update(env)
    for env in fail_terminate:
        faults.fail_terminate(env)
    for env in stick:
        faults.stick(env)
    sim = Simulator(speed=speed, region=region, faults=faults, port=port, router_port=router_port)
    _serve_until_signal(sim)


def _serve_until_signal(sim: Simulator) -> None:
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with sim:
        for name, value in sim.client_env().items():
            click.echo(f"export {name}={shlex.quote(value)}")
        click.echo(f"# simulator serving at {sim.endpoint_url} (speed {sim.speed:g}); Ctrl-C stops")
        sys.stdout.flush()
        while not stop.wait(0.2):
            pass
    click.echo("# simulator stopped")


@simulator_group.command("demo")
@click.option("--speed", default=100.0, show_default=True, help="Time scale.")
def demo(speed: float) -> None:
    """A short tour: app, versions, blue and green, a swap the router follows."""
    from simulator.demo import run_demo

    run_demo(speed, click.echo)
