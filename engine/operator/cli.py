"""The `bluegreen` command line: thin commands that call the engine.

Flags override the environment variables the replaced tool read (BLUE_ENV_NAME, ...), so
`bluegreen full` with those variables and no flags does what the old image did.
Exit codes: 0 done, 1 rolled back, 2 usage/config/preflight, 3 busy, 4 operator, 130 stopped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from engine.domain.model import Mode, Target
from engine.operator.runs_commands import runs_group, status_command, workers_command

if TYPE_CHECKING:  # the release machinery loads only when a release command runs
    from engine.operator.execution import Operation
    from engine.operator.settings import Settings

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

TARGET_OPTIONS: list[Decorator] = [
    click.option("--app", help="EB application (BEANSTALK_APP_NAME)."),
    click.option("--blue", help="Live environment (BLUE_ENV_NAME)."),
    click.option("--green", help="Temporary environment (GREEN_ENV_NAME)."),
    click.option("--version-label", help="Version to release (VERSION_LABEL)."),
    click.option("--bundle", help="Source bundle to upload and release (BLUEGREEN_BUNDLE)."),
    click.option("--bucket", help="Bucket for bundles (S3_ARTIFACTS_BUCKET)."),
    click.option("--health-path", help="Health check path or URL (RELEASE_HEALTH_CHECKING_PATH)."),
    click.option("--region", help="AWS region (AWS_DEFAULT_REGION)."),
    click.option("--database-url", help="Run history database (BLUEGREEN_DATABASE_URL)."),
]
RUN_OPTIONS: list[Decorator] = [
    click.option(
        "--log-format",
        type=click.Choice(["auto", "text", "json"]),
        help="Progress output (BLUEGREEN_LOG_FORMAT; auto: live view on a terminal).",
    ),
    click.option("--notify-url", help="Webhook for run summaries (BLUEGREEN_NOTIFY_URL)."),
    click.option(
        "--wait-for-lock",
        type=click.FloatRange(min=0),
        help="Seconds to wait for a busy target (BLUEGREEN_WAIT_FOR_LOCK).",
    ),
    click.option("--lease-seconds", type=click.FloatRange(min=3), help="Lease length."),
]
# Only for the triggers that start a run (full, deploy).
TRIGGER_OPTIONS: list[Decorator] = [
    click.option(
        "--on-unfinished",
        type=click.Choice(["fail", "resume"]),
        help="An unfinished run holds the target: exit 3, or take it over if its lease expired.",
    ),
    click.option(
        "--dns-settle",
        type=click.FloatRange(min=0),
        help="Seconds after each CNAME swap before the environment the live name left is "
        "touched (BLUEGREEN_DNS_SETTLE; default 120: EB's 60 s TTL + 60 s propagation).",
    ),
    click.option(
        "--bake",
        type=click.FloatRange(min=0),
        help="Seconds after the cutover to keep watching blue, green kept to swap back to "
        "(BLUEGREEN_BAKE; default 0).",
    ),
    click.option(
        "--warm-up/--no-warm-up",
        default=None,
        help="Raise green's capacity to blue's in-service count before it takes the live "
        "CNAME, and blue's before the cutover (BLUEGREEN_WARM_UP; default on).",
    ),
    click.option(
        "--warm-up-deadline",
        type=click.FloatRange(min=0, min_open=True),
        help="Seconds the warm-up may take before the release rolls back, before any swap "
        "(BLUEGREEN_WARM_UP_DEADLINE; default 900).",
    ),
    click.option(
        "--on-drift",
        type=click.Choice(["fail", "warn"]),
        help="Green's settings differ from blue's: fail (capacity, instance type, load "
        "balancer, environment variables; others warn) or only warn (BLUEGREEN_ON_DRIFT).",
    ),
    click.option(
        "--wait-for-blue",
        "--wait-busy",
        "wait_for_blue",
        type=click.FloatRange(min=0),
        help="Seconds to wait for a blue busy in an operation not this run's (a console "
        "change, a managed update) before refusing with exit 2 (BLUEGREEN_WAIT_FOR_BLUE; 0).",
    ),
    click.option(
        "--alarm",
        multiple=True,
        help="CloudWatch alarm that stops the release in ALARM; repeatable (BLUEGREEN_ALARMS).",
    ),
    click.option(
        "--route53-record",
        multiple=True,
        callback=lambda _ctx, _param, names: ",".join(names) or None,
        help="Custom domain that follows the live traffic; repeatable (BLUEGREEN_ROUTE53_RECORDS).",
    ),
    click.option("--hosted-zone-id", help="The records' Route 53 zone (BLUEGREEN_HOSTED_ZONE_ID)."),
    click.option(
        "--strategy",
        type=click.Choice(["swap-back", "swap-and-keep", "traffic-split"]),
        help="How live traffic moves (BLUEGREEN_STRATEGY; default swap-back; docs/strategies.md).",
    ),
    click.option(
        "--keep-old",
        metavar="SECONDS|forever",
        help="swap-and-keep: how long the old environment stays up after the swap "
        "(BLUEGREEN_KEEP_OLD; default: the DNS settle; at most 172800).",
    ),
    click.option(
        "--canary-percent",
        type=click.IntRange(1, 99),
        help="traffic-split: share of live traffic on the new version during the evaluation "
        "(BLUEGREEN_CANARY_PERCENT; default 10).",
    ),
    click.option(
        "--canary-minutes",
        type=click.IntRange(3, 600),
        help="traffic-split: evaluation time in minutes (BLUEGREEN_CANARY_MINUTES; default 5).",
    ),
    click.option(
        "--hook",
        multiple=True,
        metavar="POINT=COMMAND",
        help="Run COMMAND (no shell) at POINT: before-swap, after-verify, before-cleanup, "
        "on-rollback; repeatable (BLUEGREEN_HOOKS, a JSON array). See docs/hooks.md.",
    ),
    click.option(
        "--hook-timeout",
        type=float,
        help="Seconds a hook may run before its process group is killed "
        "(BLUEGREEN_HOOK_TIMEOUT; default 300).",
    ),
    click.option(
        "--cutover-timeout",
        type=float,
        help="deploy: seconds the run waits for `bluegreen cutover` before a worker or the "
        "next resume acts as --on-timeout says (BLUEGREEN_CUTOVER_TIMEOUT; default: forever).",
    ),
    click.option(
        "--on-timeout",
        type=click.Choice(["rollback", "cutover"]),
        help="What a timed-out cutover gate does (BLUEGREEN_ON_TIMEOUT; default rollback).",
    ),
]


def with_options(*groups: list[Decorator]) -> Decorator:
    def apply(command: Callable[..., Any]) -> Callable[..., Any]:
        for group in reversed(groups):
            for option in reversed(group):
                command = option(command)
        return command

    return apply


def needs_simulator(command: str, error: ImportError) -> NoReturn:
    """One line (exit 2) instead of a traceback: the simulator extra is not installed. The
    project is installed from a checkout (it is not on a package index), hence the hint."""
    missing = error.name or str(error)
    click.echo(
        f"bluegreen: `bluegreen {command}` needs the simulator extra ({missing} is not "
        "installed): in the checkout, pip install '.[simulator]' (or `make demo`)",
        err=True,
    )
    raise SystemExit(2)


def _simulator_group() -> click.Command:
    try:
        module = importlib.import_module("simulator.cli")
    except ImportError as error:
        needs_simulator("simulator", error)
    command: click.Command = module.simulator_group
    return command


def _submit_command() -> click.Command:
    from engine.operator.fleet_commands import submit_command

    return submit_command([TARGET_OPTIONS, RUN_OPTIONS, TRIGGER_OPTIONS])


def _ci_step_command() -> click.Command:
    from engine.operator.pipeline.step import ci_step_command

    return ci_step_command


def _metrics_command() -> click.Command:
    from engine.operator.metrics.command import metrics_command

    return metrics_command


def _worker_command() -> click.Command:
    from engine.operator.fleet_commands import worker_command

    return worker_command


class Commands(click.Group):
    """The command group, with some commands loaded only when asked for: `simulator` needs
    the simulator extra (moto), which a production install may leave out; `submit` and
    `worker` need the release machinery, which the read commands must not pay for."""

    LAZY: dict[str, Callable[[], click.Command]] = {
        "ci-step": _ci_step_command,
        "metrics": _metrics_command,
        "simulator": _simulator_group,
        "submit": _submit_command,
        "worker": _worker_command,
    }
    # What `bluegreen --help` says of a lazy command, without importing it.
    LAZY_HELP = {
        "ci-step": "Release as a CI step (GitHub Action, GitLab, Bitbucket): outputs, summary.",
        "metrics": "Write the history's Prometheus metrics to a textfile (cron).",
        "simulator": "A local stand-in for AWS (EB, S3, app servers, CNAME router).",
        "submit": "Queue a release for the workers; print its run id at once.",
        "worker": "Drive queued runs, and runs whose runner died, until SIGTERM.",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.LAZY:
            return super().get_command(ctx, name)
        return self.LAZY[name]()

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's command list, with the lazy commands' help taken from LAZY_HELP."""
        rows: list[tuple[str, str]] = []
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)
        for name in names:
            if name in self.LAZY:
                rows.append((name, self.LAZY_HELP[name]))
                continue
            command = super().get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=Commands)
@click.version_option(package_name="beanstalk-bluegreen")
def main() -> None:
    """Blue/green releases for AWS Elastic Beanstalk."""


@main.command()
@with_options(TARGET_OPTIONS, RUN_OPTIONS, TRIGGER_OPTIONS)
def full(**options: Any) -> None:
    """Release a version: preflight, clone, swap, deploy, verify, cut over, clean up."""
    execute(options, lambda s: _release(s, Mode.FULL))


@main.command()
@with_options(TARGET_OPTIONS, RUN_OPTIONS, TRIGGER_OPTIONS)
def deploy(**options: Any) -> None:
    """Release up to the deployment, then wait for `bluegreen cutover`."""
    execute(options, lambda s: _release(s, Mode.DEPLOY))


@main.command()
@click.argument("run_id", required=False)
@with_options(TARGET_OPTIONS, RUN_OPTIONS)
def cutover(run_id: str | None, **options: Any) -> None:
    """Verify and go live with a run waiting for cutover (default: the target's)."""
    execute(options, lambda s: _cutover(s, run_id))


@main.command()
@click.argument("run_id", required=False)
@click.option("--to-version", help="With no unfinished run: put blue on this version.")
@with_options(TARGET_OPTIONS, RUN_OPTIONS)
def rollback(run_id: str | None, to_version: str | None, **options: Any) -> None:
    """Undo a waiting, failed or interrupted run (default: the target's unfinished run)."""
    execute(options, lambda s: _rollback(s, run_id, to_version))


@main.command()
@click.argument("run_id")
@with_options(TARGET_OPTIONS, RUN_OPTIONS)
def resume(run_id: str, **options: Any) -> None:
    """Continue a run from where it stopped (a failed one retries what failed)."""
    execute(
        options,
        lambda s: lambda runner, observer: runner.resume(run_id, observer, lock_policy_of(s)),
    )


@main.command()
@click.option("--speed", default=100.0, show_default=True, help="Simulator time scale.")
def demo(speed: float) -> None:
    """Three releases against an embedded simulator: good, broken, killed and resumed."""
    from engine.operator.demo import run_demo

    try:
        code = run_demo(speed)
    except ImportError as error:  # the simulator extra (moto) is imported only now
        needs_simulator("demo", error)
    raise SystemExit(code)


def execute(options: dict[str, Any], build: Callable[[Settings], Operation]) -> None:
    """Run a release command (`engine.operator.execution`, imported only now: read commands,
    --help and --version never load pydantic, boto3 or the release core)."""
    from engine.operator.execution import execute as execute_operation

    execute_operation(options, build)


def lock_policy_of(settings: Settings) -> Any:
    from engine.operator.inputs import lock_policy_of as policy

    return policy(settings)


def _release(settings: Settings, mode: Mode) -> Operation:
    from engine.operator.inputs import release_request

    request, lock = release_request(settings, mode), lock_policy_of(settings)
    return lambda runner, observer: runner.release(request, observer, lock)


def _cutover(settings: Settings, run_id: str | None) -> Operation:
    from engine.operator.inputs import target_of

    target, lock = None if run_id else target_of(settings), lock_policy_of(settings)
    return lambda runner, observer: runner.cutover(run_id, target, observer, lock)


def _rollback(settings: Settings, run_id: str | None, to_version: str | None) -> Operation:
    from engine.operator.inputs import restore_request, target_of
    from engine.release.restore import restore_version
    from engine.release.runner import UsageError

    if to_version and run_id:
        raise UsageError("--to-version puts blue on a version without a run: give no RUN_ID")
    if to_version:
        request = restore_request(settings, to_version)
        return lambda runner, observer: restore_version(runner, request, observer)
    target: Target | None = None if run_id else target_of(settings)
    lock = lock_policy_of(settings)
    fallback = _replaced_tool_restore(settings) if target is not None else None

    def operate(runner: Any, observer: Any) -> Any:
        if fallback is not None and runner.services.store.find_unfinished(target) is None:
            click.echo(
                f"bluegreen: no unfinished run of {fallback.target.key}: putting blue on "
                f"{fallback.version_label} (VERSION_LABEL), as the replaced tool's rollback did; "
                f"the same as `bluegreen rollback --to-version {fallback.version_label}`",
                err=True,
            )
            return restore_version(runner, fallback, observer)
        return runner.rollback(run_id, target, observer, lock)

    return operate


def _replaced_tool_restore(settings: Settings) -> Any:
    """The replaced tool's `rollback` deployed VERSION_LABEL to blue, swapped back and
    terminated green if a deploy left them so: with no unfinished run, that is
    `--to-version VERSION_LABEL` (docs/migration.md). None without a label (or a green)."""
    from engine.domain.errors import ConfigurationError
    from engine.operator.inputs import restore_request

    if not settings.version_label:
        return None
    try:
        return restore_request(settings, settings.version_label)
    except ConfigurationError:
        return None


main.add_command(runs_group)
main.add_command(status_command)
main.add_command(workers_command)


if __name__ == "__main__":
    main()
