"""`bluegreen simulator ...`: run the local AWS stand-in from the command line.

`serve` prints `export NAME=value` lines first, then serves until SIGINT/SIGTERM;
`serve --background --env-file PATH` prints them and returns, the simulator serving on in the
background until `stop --env-file PATH`; `seed` makes the README's application, environment
and versions in the simulator the exports point at.
"""

from __future__ import annotations

import shlex
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import click

from simulator.background import (
    BackgroundError,
    remove_env_file,
    start_background,
    stop_background,
    write_env_file,
)
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
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the exports to this file (mode 600), removed when the simulator stops.",
)
@click.option(
    "--background",
    is_flag=True,
    help="Serve in a detached process: print the exports once it is up and return "
    "(needs --env-file; `bluegreen simulator stop --env-file PATH` stops it).",
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
@click.pass_context
def serve(
    ctx: click.Context,
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
    env_file: Path | None,
    background: bool,
    load: float,
    instance_rps: float,
) -> None:
    """Serve EB + S3 on 127.0.0.1 until SIGINT or SIGTERM (or, with --background, in a
    detached process until `bluegreen simulator stop`).

    \b
    DNS: the CNAME router (HTTP_PROXY) resolves each request's host through a
    resolver cache that holds every answer for the TTL, as if it had cached it
    just before each change: after a CNAME swap the name keeps reaching the
    environment it used to name until the TTL runs out (--dns-linger: longer
    for some requests). An environment's own load balancer name (EndpointURL)
    never moves and reaches it until it is terminated.
    """
    lost = [_lost_response(value) for value in lose_response]
    if background:
        _serve_in_background(ctx, env_file)
        return
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
    _serve_until_signal(sim, env_file)


def _serve_in_background(ctx: click.Context, env_file: Path | None) -> None:
    if env_file is None:
        raise click.UsageError("--background needs --env-file PATH (where the exports go)")
    try:
        text = start_background(env_file, _serve_args(ctx))
    except BackgroundError as error:
        raise click.ClickException(str(error)) from error
    click.echo(text, nl=False)
    click.echo(f"# simulator serving in the background; exports also in {env_file}")
    click.echo(f"# stop it with: bluegreen simulator stop --env-file {shlex.quote(str(env_file))}")


def _serve_args(ctx: click.Context) -> list[str]:
    """This command's options as `serve` arguments, less --background and --env-file."""
    args: list[str] = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if param.name in ("background", "env_file") or value is None:
            continue
        flag = max(param.opts, key=len)
        for one in value if isinstance(value, tuple) else (value,):
            args += [flag, str(one)]
    return args


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


def _serve_until_signal(sim: Simulator, env_file: Path | None) -> None:
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
        if env_file is not None:
            write_env_file(env_file, sim.client_env())
        try:
            while not stop.wait(0.2):
                pass
        finally:
            if env_file is not None:
                remove_env_file(env_file)
    click.echo("# simulator stopped")


@simulator_group.command("stop")
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The env file `serve --background` wrote.",
)
def stop(env_file: Path) -> None:
    """Stop a simulator started with `serve --background --env-file PATH`."""
    try:
        pid = stop_background(env_file)
    except BackgroundError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"simulator (pid {pid}) stopped")


@simulator_group.command("demo")
@click.option("--speed", default=100.0, show_default=True, help="Time scale.")
def demo(speed: float) -> None:
    """A short tour: app, versions, blue and green, a swap the router follows."""
    from simulator.demo import run_demo

    run_demo(speed, click.echo)


@simulator_group.command("seed")
@click.option("--app", default="shop", show_default=True, help="Application to create.")
@click.option("--blue", default="shop-blue", show_default=True, help="Live environment.")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds to wait for blue.")
def seed(app: str, blue: str, timeout: float) -> None:
    """Make the README's examples' target in the simulator the exports point at: bucket
    shop-artifacts, application shop, versions v1, v2, v3, v41, v42 and `broken` (answers
    500), and blue shop-blue Ready and Green on v41. Running it again changes nothing."""
    from simulator.seed_command import seed_readme_target

    try:
        lines = seed_readme_target(app, blue, timeout)
    except Exception as error:
        raise click.ClickException(f"seeding failed: {error}") from error
    for line in lines:
        click.echo(line)


if __name__ == "__main__":
    simulator_group()
