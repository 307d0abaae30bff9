"""The `bluegreen` command line: thin commands that call the engine.

Flags override the environment variables the replaced tool read (BLUE_ENV_NAME, ...), so
`bluegreen full` with those variables and no flags does what the old image did.
Exit codes: 0 done, 1 rolled back, 2 usage/config/preflight, 3 busy, 4 operator, 130 stopped.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from engine.domain.model import Mode, Target
from engine.domain.text_checks import printable
from engine.operator.option_flags import flags_for, typed_flags
from engine.operator.runs_commands import runs_group, status_command, workers_command

if TYPE_CHECKING:  # the release machinery loads only when a release command runs
    from engine.operator.execution import Operation
    from engine.operator.settings import Settings

# Flags that mean something only in one form of a command: with a RUN_ID the run names its
# target, and only `rollback --to-version` releases a version (green, health check, guards).
TARGET_FLAGS = ("app", "blue")
TO_VERSION_FLAGS = ("green", "health_path", "dns_settle", "bake", "alarms")


def refuse_unused(command: str, names: tuple[str, ...], why: str) -> None:
    """Exit 2 with one line when the user typed one of the flags `names`, unused here."""
    typed = typed_flags(click.get_current_context(), command, names)
    if typed:
        raise click.UsageError(f"{', '.join(typed)} {why}")


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

    return submit_command()


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

    def main(
        self, args: Sequence[str] | None = None, prog_name: str | None = None,
        complete_var: str | None = None, standalone_mode: bool = True, **extra: Any,
    ) -> Any:  # fmt: skip
        """Click's main, with a usage error as one line (`bluegreen: ...`) and exit 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as error:
            click.echo(f"bluegreen: {one_line(error)}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("bluegreen: aborted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

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


def one_line(error: click.ClickException) -> str:
    """`resume: no such option: --bundle`: the command, then click's message, escaped."""
    message = printable(error.format_message())
    ctx = getattr(error, "ctx", None)
    if isinstance(error, click.UsageError) and ctx is not None and ctx.parent is not None:
        path = ctx.command_path.split(" ", 1)[-1]
        message = message[:1].lower() + message[1:].rstrip(".")
        return f"{path}: {message} (see bluegreen {path} --help)"
    return message


@main.command()
@flags_for("full")
def full(**options: Any) -> None:
    """Release a version: preflight, clone, swap, deploy, verify, cut over, clean up."""
    execute(options, lambda s: _release(s, Mode.FULL))


@main.command()
@flags_for("deploy")
def deploy(**options: Any) -> None:
    """Release up to the deployment, then wait for `bluegreen cutover`."""
    execute(options, lambda s: _release(s, Mode.DEPLOY))


@main.command()
@click.argument("run_id", required=False)
@flags_for("cutover")
def cutover(run_id: str | None, **options: Any) -> None:
    """Verify and go live with a run waiting for cutover (default: the target's)."""
    if run_id:
        refuse_unused("cutover", TARGET_FLAGS, "name the target: a RUN_ID names it already")
    execute(options, lambda s: _cutover(s, run_id))


@main.command()
@click.argument("run_id", required=False)
@flags_for("rollback")
def rollback(run_id: str | None, to_version: str | None, **options: Any) -> None:
    """Undo a waiting, failed or interrupted run (default: the target's unfinished run)."""
    if run_id:
        refuse_unused("rollback", TARGET_FLAGS, "name the target: a RUN_ID names it already")
    if not to_version:
        refuse_unused("rollback", TO_VERSION_FLAGS, "only with --to-version (a run keeps its own)")
    execute(options, lambda s: _rollback(s, run_id, to_version))


@main.command()
@click.argument("run_id")
@flags_for("resume")
def resume(run_id: str, **options: Any) -> None:
    """Continue a run from where it stopped (a failed one retries what failed)."""
    execute(
        options,
        lambda s: lambda runner, observer: runner.resume(run_id, observer, lock_policy_of(s)),
    )


@main.command()
@flags_for("demo")
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
