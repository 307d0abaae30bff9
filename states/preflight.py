"""Preflight: check everything before touching anything, and record the facts about blue that
resume and rollback rely on. Bad input raises ConfigurationError before any mutating call.
"""

from __future__ import annotations

from engine.domain.bundles import leader_only_configs
from engine.domain.environment_names import environment_name_problem, same_environment_name
from engine.domain.errors import ConfigurationError, CredentialsError, StepFailed
from engine.domain.health_urls import check_health_path
from engine.domain.lifecycle import STRATEGIES
from engine.domain.model import Strategy, Trigger
from engine.domain.ports.cloud import Environment
from engine.domain.step import StepContext
from engine.domain.text_checks import control_character_in, printable
from states.shared.alarm_gates import require_alarms_exist
from states.shared.app_versions import ensure_version
from states.shared.busy_blue import check_managed_actions, wait_for_blue
from states.shared.conditions import health_text
from states.shared.drift import check_drift
from states.shared.records import inspect_records
from states.shared.resources import (
    describe_by_id,
    is_gone,
    is_own_green,
    live_named,
    note,
    template_name,
)
from states.shared.settle import warn_if_no_settle
from states.shared.ssm_hint import warn_if_ssm_domains_ignored


def run(ctx: StepContext) -> Trigger:
    _check_inputs(ctx)
    _check_credentials(ctx)
    _check_names(ctx)
    blue = _usable_blue(ctx)
    if ctx.run.strategy is Strategy.TRAFFIC_SPLIT:
        _check_traffic_split(ctx, blue)  # no green: blue is updated in place
    else:
        _check_green_name_free(ctx, blue)
    _record_blue(ctx, blue)
    if ctx.run.facts.adopted_from_run:
        _check_kept_drift(ctx)
    inspect_records(ctx, blue)
    warn_if_ssm_domains_ignored(ctx)
    ensure_version(ctx)
    require_alarms_exist(ctx)
    warn_if_no_settle(ctx)
    strategy = STRATEGIES[ctx.run.strategy]
    note(ctx, f"strategy {strategy.strategy}: {strategy.summary}", strategy=strategy.strategy)
    return strategy.start


def judge_inputs(ctx: StepContext) -> Trigger:
    """The read-only part of preflight, for a release there turns out to be nothing to do
    (blue already runs the version): the inputs are judged all the same (names, alarms,
    custom domains), so a cron no-op does not hide a typo until the next real release.
    Blue's health is not an input: a no-op on a Red blue is still a no-op."""
    _check_inputs(ctx)
    _check_names(ctx)
    blue = live_named(ctx, ctx.run.target.blue)
    if blue is not None and not is_gone(blue):
        inspect_records(ctx, blue)
    require_alarms_exist(ctx)
    return Trigger.PREFLIGHT_PASSED


def _check_inputs(ctx: StepContext) -> None:
    """What needs no AWS call: the health path, the green name and the label."""
    check_health_path(ctx.run.health.path)
    for name in (ctx.run.green, ctx.run.version_label):
        if control := control_character_in(name):
            raise ConfigurationError(f"{printable(name)!r} holds the control character {control}")


def _check_credentials(ctx: StepContext) -> None:
    try:
        identity = ctx.beanstalk.caller_identity()
    except CredentialsError as error:
        raise ConfigurationError(f"AWS credentials do not work: {error}") from error
    note(ctx, f"credentials belong to {identity}", identity=identity)


def _check_names(ctx: StepContext) -> None:
    run = ctx.run
    if not ctx.beanstalk.application_exists(run.target.app):
        raise ConfigurationError(
            f"application {run.target.app} does not exist in region {run.target.region}"
        )
    if same_environment_name(run.green, run.target.blue):
        raise ConfigurationError(f"the green name must differ from blue's ({run.green})")
    if problem := environment_name_problem(run.green):
        raise ConfigurationError(
            f"green name {printable(run.green)!r} is not a valid environment name: {problem}"
        )


def _usable_blue(ctx: StepContext) -> Environment:
    """Blue exists, is live, Ready and healthy, and runs a version behind a CNAME."""
    name, recorded = ctx.run.target.blue, ctx.run.facts.blue_env_id
    blue = describe_by_id(ctx, recorded) if recorded else live_named(ctx, name)
    if blue is None or is_gone(blue):
        raise ConfigurationError(
            f"environment {name} does not exist in application {ctx.run.target.app} "
            f"({ctx.run.target.region})"
        )
    blue = wait_for_blue(ctx, blue)  # busy in an operation not this run's: a bounded wait
    check_managed_actions(ctx, blue)
    if not blue.is_healthy:
        raise ConfigurationError(f"blue {name} is not healthy: {health_text(blue)}")
    if not blue.version_label or not blue.cname:
        raise ConfigurationError(f"blue {name} runs no application version behind a CNAME")
    return blue


def _check_traffic_split(ctx: StepContext, blue: Environment) -> None:
    """EB's traffic splitting needs an application load balancer ("Traffic-splitting
    deployments ... require an Application Load Balancer", EB developer guide)."""
    balancer = ctx.beanstalk.option_value(
        ctx.run.target.app, blue.name, "aws:elasticbeanstalk:environment", "LoadBalancerType"
    )
    if (balancer or "").lower() != "application":
        raise ConfigurationError(
            f"--strategy traffic-split needs an application load balancer; blue {blue.name} "
            f"has {balancer or 'none (a single instance, or a classic load balancer)'}: use "
            "--strategy swap-back or swap-and-keep"
        )
    bundle = ctx.run.bundle
    configs = leader_only_configs(bundle.path) if bundle is not None else []
    if configs:
        note(ctx, f"warning: {', '.join(configs)} use leader_only, and EB runs no leader-only "
             "command during a traffic-splitting deployment (run migrations in a hook or "
             "use --strategy swap-and-keep)")  # fmt: skip
    elif bundle is None:
        note(ctx, "traffic split: EB runs no leader_only command during it; the version's "
             "bundle was not given here, so its .ebextensions were not checked")  # fmt: skip


def _check_green_name_free(ctx: StepContext, blue: Environment) -> None:
    holder = live_named(ctx, ctx.run.green)
    if ctx.run.facts.adopted_from_run:
        _check_kept(ctx, holder, blue)
    elif holder is not None and not is_own_green(ctx, holder):
        raise ConfigurationError(
            f"green name taken: environment {holder.name} ({holder.id}, {holder.status}) "
            "exists and was not created by this run"
        )


def _check_kept(ctx: StepContext, holder: Environment | None, blue: Environment) -> None:
    """The kept environment this run adopts (engine.release.pairs found it in the history and
    in EB): still that one under the green name, Ready and Green, and not the live one."""
    kept_id, kept_by = ctx.run.facts.green_env_id, ctx.run.facts.adopted_from_run
    name = ctx.run.green
    if holder is None or holder.id != kept_id:
        now = f"{holder.id} ({holder.status}) holds the name now" if holder else "it is gone"
        raise ConfigurationError(
            f"the environment {name} ({kept_id}) kept by run {kept_by} is not there: {now}"
        )
    if not (holder.is_ready and holder.is_healthy):
        raise ConfigurationError(
            f"the kept environment {name} ({holder.id}) is {holder.status} with health "
            f"{health_text(holder)}: it is adopted only Ready and Green; nothing was changed"
        )
    if holder.cname and holder.cname == blue.cname:
        raise ConfigurationError(f"the kept environment {name} holds the live CNAME {blue.cname}")
    note(ctx, f"the kept environment {name} ({holder.id}) is Ready and Green, running "
         f"{holder.version_label}: this run deploys to it", environment=holder.id)  # fmt: skip


def _check_kept_drift(ctx: StepContext) -> None:
    """A kept environment has lived beside the live one since the last release: console
    changes to either show as drift, judged by --on-drift before anything is changed."""
    try:
        check_drift(ctx)
    except StepFailed as drift:
        raise ConfigurationError(f"{drift}; nothing was changed") from drift


def _record_blue(ctx: StepContext, blue: Environment) -> None:
    """Blue's id, CNAME and version, once: a re-run never overwrites them (by then blue may
    already run the new version)."""
    facts = ctx.run.facts
    if facts.blue_env_id is None:
        ctx.journal.record_facts(
            blue_env_id=blue.id,
            blue_cname=blue.cname,
            previous_version_label=blue.version_label,
            template_name=template_name(ctx.run),
        )
        note(
            ctx,
            f"blue {blue.name} ({blue.id}) runs {blue.version_label} at {blue.cname}",
            environment=blue.id,
            version=blue.version_label,
        )
