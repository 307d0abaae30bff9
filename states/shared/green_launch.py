"""Launching this run's green: save blue's configuration as the run's template, create green
from it on a version (blue's previous one for swap-back, the new one for swap-and-keep), and
wait until green is Ready and healthy. Never a second green, never a second template.
Or adopt the environment an earlier run kept: deploy the version to it, create nothing.
"""

from __future__ import annotations

from engine.domain.errors import ConflictError, StepFailed
from engine.domain.ports.cloud import CreateEnvironmentRequest, Environment
from engine.domain.step import StepContext
from states.shared.blue_version import put_on
from states.shared.conditions import present, ready_and_healthy
from states.shared.outcome_unknown import request
from states.shared.resources import (
    find_own_green,
    green_tags,
    is_gone,
    note,
    require,
    template_name,
)
from states.shared.steady import current_green


def launch_green(ctx: StepContext, version_label: str) -> None:
    """This run's template and its green on `version_label`, Ready and healthy; the green
    CNAME recorded. Each part done only when missing (a re-run after a crash converges)."""
    template = _ensure_template(ctx)
    green = _ensure_green(ctx, template, version_label)
    snapshot = ctx.waiter.wait_for(
        f"green {green.name} Ready and healthy",
        ctx.run.target.app,
        [green.id],
        ready_and_healthy("green", green.id, ctx.clock, ctx.deadlines.health_grace),
        ctx.deadlines.launch,
    )
    launched = present("green", green.id, snapshot)
    if launched.cname != ctx.run.facts.green_cname:
        ctx.journal.record_facts(green_cname=launched.cname)


def adopt_kept_green(ctx: StepContext, version_label: str) -> None:
    """The kept environment (this run's green since its creation, `facts.green_env_id`) on
    `version_label`, Ready and healthy; its CNAME recorded. Never while it holds the live
    CNAME; no template and no environment is created."""
    run = ctx.run
    green = current_green(ctx)
    if is_gone(green):
        raise StepFailed(f"the kept environment {green.name} ({green.id}) is {green.status}")
    if green.cname and green.cname == run.facts.blue_cname:
        raise StepFailed(f"the kept environment {green.name} holds the live CNAME {green.cname}")
    note(ctx, f"green is the kept environment {green.name} ({green.id}, kept by run "
         f"{run.facts.adopted_from_run}): deploying {version_label} to it, not creating one",
         environment=green.id, version=version_label)  # fmt: skip
    adopted = put_on(ctx, "green", current_green, version_label, "adopting the kept environment")
    if adopted.cname != run.facts.green_cname:
        ctx.journal.record_facts(green_cname=adopted.cname)


def _ensure_template(ctx: StepContext) -> str:
    app = ctx.run.target.app
    name = ctx.run.facts.template_name or template_name(ctx.run)
    if ctx.run.facts.template_name is None:
        ctx.journal.record_facts(template_name=name)
    if ctx.beanstalk.template_exists(app, name):
        return name
    blue_id = require(ctx.run.facts.blue_env_id, "blue environment id")
    description = f"bluegreen run {ctx.run.id}: configuration of {ctx.run.target.blue}"
    request(
        ctx,
        f"CreateConfigurationTemplate {name}",
        lambda: ctx.beanstalk.create_template(app, name, blue_id, description),
        lambda: ctx.beanstalk.template_exists(app, name),
    )
    note(ctx, f"saved blue's configuration as template {name}", template=name)
    return name


def _ensure_green(ctx: StepContext, template: str, version_label: str) -> Environment:
    """This run's green, created unless it exists; never a second one."""
    green = find_own_green(ctx)
    if green is None and ctx.run.facts.green_env_id:
        raise StepFailed(f"green {ctx.run.facts.green_env_id} was created but no longer exists")
    if green is None:
        green = _create_green(ctx, template, version_label)
    else:
        note(ctx, f"green {green.name} ({green.id}) exists already: not creating another")
    if is_gone(green):
        raise StepFailed(f"green {green.name} is {green.status}")
    return green


def _create_green(ctx: StepContext, template: str, version_label: str) -> Environment:
    run = ctx.run
    create = CreateEnvironmentRequest(
        application=run.target.app,
        name=run.green,
        template_name=template,
        version_label=version_label,
        tags=green_tags(run),
    )
    try:
        green = request(
            ctx,
            f"CreateEnvironment {run.green}",
            lambda: ctx.beanstalk.create_environment(create),
            lambda: find_own_green(ctx) is not None,  # found, its id is recorded
        )
    except ConflictError as error:
        raise StepFailed(f"cannot create green {run.green}: {error}") from error
    if green is None:  # created all the same (a lost response): as it is listed now
        found = find_own_green(ctx)
        if found is None:
            raise StepFailed(f"green {run.green} was created but is no longer listed")
        return found
    ctx.journal.record_facts(green_env_id=green.id, green_cname=green.cname)
    note(ctx, f"creating green {green.name} ({green.id}) from template {template} on "
         f"{version_label}", environment=green.id, version=version_label)  # fmt: skip
    return green
