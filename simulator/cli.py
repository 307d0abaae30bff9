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
from simulator.dns import EB_CNAME_TTL, LINGER_SHARE
from simulator.eb.backend import HANDLERS
from simulator.faults import Faults
from simulator.load import INSTANCE_RPS


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
@click.option(
    "--lose-response",
    multiple=True,
    metavar="ACTION[:COUNT]",
    help="Carry out the next COUNT (default 1) ACTION calls (e.g. SwapEnvironmentCNAMEs), "
    "then answer each 503, as if the response were lost.",
)
@click.option(
    "--dns-ttl",
    type=click.FloatRange(min=0),
    default=EB_CNAME_TTL,
    show_default=True,
    metavar="SECONDS",
    help="TTL of environment CNAMEs (scaled by --speed): after a swap a name keeps reaching "
    "its old environment this long. 0: clients follow a swap at once.",
)
@click.option(
    "--dns-linger",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help=f"Resolvers that ignore the TTL (one request in {round(1 / LINGER_SHARE)}) keep the "
    "old answer this much longer.",
)
@click.option(
    "--load",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    metavar="RPS",
    help="Requests per second arriving at the CNAME of each application's first environment: "
    "its auto scaling adds instances (--instance-rps each) and, below that capacity, a share "
    "of its requests is answered 503. POST /_simulator/load changes it at run time.",
)
@click.option(
    "--instance-rps",
    type=click.FloatRange(min=0, min_open=True),
    default=INSTANCE_RPS,
    show_default=True,
    metavar="RPS",
    help="Requests per second one simulated instance serves.",
)
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
    lose_response: tuple[str, ...],
    dns_ttl: float,
    dns_linger: float,
    load: float,
    instance_rps: float,
) -> None:
    """Serve EB + S3 on 127.0.0.1 until SIGINT or SIGTERM.

    \b
    DNS: the CNAME router (HTTP_PROXY) resolves each request's host through a
    resolver cache that holds every answer for the TTL, as if it had cached it
    just before each change: after a CNAME swap the name keeps reaching the
    environment it used to name until the TTL runs out (--dns-linger: longer
    for some requests). An environment's own load balancer name (EndpointURL)
    never moves and reaches it until it is terminated.
    """
    lost = [_lost_response(value) for value in lose_response]
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
    for action, count in lost:
        faults.lose_response(action, count)
    sim = Simulator(
        speed=speed,
        region=region,
        faults=faults,
        port=port,
        router_port=router_port,
        dns_ttl=dns_ttl,
        dns_linger=dns_linger,
        load=load,
        instance_rps=instance_rps,
    )
    _serve_until_signal(sim)


def _lost_response(value: str) -> tuple[str, int]:
    """`ACTION[:COUNT]` -> (action, count); a bad value is a usage error (exit 2)."""
    action, _, count = value.partition(":")
    if action not in HANDLERS:
        raise click.BadParameter(
            f"{action!r} is not an Elastic Beanstalk action the simulator serves",
            param_hint="--lose-response",
        )
    if count and not (count.isdigit() and int(count) >= 1):
        raise click.BadParameter(
            f"COUNT must be a whole number of at least 1, not {count!r}",
            param_hint="--lose-response",
        )
    return action, int(count or 1)


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
