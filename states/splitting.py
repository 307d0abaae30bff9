"""Splitting (traffic-split): no clone. Blue is updated in place with EB's traffic-splitting
deployment: EB launches the new version on new instances and sends `--canary-percent` of live
requests to them for `--canary-minutes` (the evaluation), then all of them, and replaces the
old instances (EB developer guide, "Traffic-splitting deployments"). During the evaluation the
engine watches the live path: probes of blue's load balancer with the live name as Host (the
same split the users get, so failures are counted, not required in a row), EB's health of blue
and the alarms. A regression calls AbortEnvironmentUpdate ("Traffic splitting ... you can
abort the deployment": EB shifts all traffic back to the old instances) and fails the step;
the rollback then confirms blue is on its old version. Once blue is Ready on the new version,
it is verified like any deployment.
"""

from __future__ import annotations

from engine.domain.errors import ConflictError, StepFailed
from engine.domain.hooks import HookPoint
from engine.domain.model import Trigger
from engine.domain.ports.cloud import Environment
from engine.domain.step import StepContext
from states.shared.alarm_gates import check_alarms
from states.shared.blue_version import deploy_seen, wait_until_ready
from states.shared.conditions import Grace, health_text, is_broken
from states.shared.hooks import run_hook
from states.shared.instance_verdict import require_instances_on
from states.shared.outcome_unknown import request
from states.shared.probing import answer, probe_once, probe_target
from states.shared.resources import current_blue, note
from states.shared.steady import verify


def run(ctx: StepContext) -> Trigger:
    blue, label = current_blue(ctx), ctx.run.version_label
    if not (blue.is_ready and blue.version_label == label):
        if blue.version_label != label:
            run_hook(ctx, HookPoint.BEFORE_SWAP)  # before live traffic starts to move
            blue = _start(ctx, blue, label)
        _watch_evaluation(ctx, label)
    # EB can say Ready with instances left on the old version (issue 19): every one on it.
    require_instances_on(ctx, "blue", current_blue(ctx).id, label, "after the traffic split")
    verify(ctx, "blue", current_blue)
    run_hook(ctx, HookPoint.AFTER_VERIFY, current_blue(ctx))
    return Trigger.SPLIT_DONE


def _start(ctx: StepContext, blue: Environment, label: str) -> Environment:
    """One traffic-splitting UpdateEnvironment; none when an earlier attempt's is under way."""
    if not blue.is_ready:
        blue = wait_until_ready(ctx, blue, "blue Ready before the traffic-splitting deployment")
    if blue.version_label == label:
        return blue
    guards = ctx.run.guards
    request(
        ctx,
        f"UpdateEnvironment {blue.name} to {label} (traffic splitting: "
        f"{guards.canary_percent}% for {guards.canary_minutes} min)",
        lambda: ctx.beanstalk.deploy_traffic_split(
            blue.id, label, guards.canary_percent, guards.canary_minutes
        ),
        lambda: deploy_seen(ctx, blue, label),
    )
    note(ctx, f"traffic split: {label} gets {guards.canary_percent}% of live requests on blue "
         f"{blue.name} for {guards.canary_minutes} min", environment=blue.id,
         version=label)  # fmt: skip
    return blue


def _watch_evaluation(ctx: StepContext, label: str) -> None:
    """Until blue is Ready on `label` and healthy; a regression aborts the deployment."""
    health, clock = ctx.run.health, ctx.clock
    grace = Grace(clock, ctx.deadlines.health_grace)
    evaluation = ctx.run.guards.canary_minutes * 60.0
    deadline = clock.monotonic() + ctx.deadlines.update + evaluation
    failed = probes = 0
    while True:
        blue = current_blue(ctx)
        try:
            check_alarms(ctx, "during the traffic split")
            if blue.is_ready:
                grace.check("blue", blue)
            if blue.is_ready and blue.version_label != label:
                raise StepFailed(
                    f"traffic split: EB kept blue {blue.name} on {blue.version_label} (the "
                    f"deployment of {label} failed)"
                )
            if blue.is_ready and blue.is_healthy:
                note(ctx, f"traffic split done: blue {blue.name} serves {label} on all "
                     f"instances; {probes} probes during it, {failed} failed")  # fmt: skip
                return
            if blue.status == "Updating" and is_broken(blue):
                raise StepFailed(f"traffic split: EB reports blue {health_text(blue)}")
            target = probe_target(ctx, blue)
            result = probe_once(ctx, target, "traffic split")
            probes += 1
            if not result.ok(health.expected_status):
                failed += 1
                if failed >= health.failures:  # counted: a split answers most requests well
                    raise StepFailed(
                        f"regression during the traffic split: {failed} of {probes} probes "
                        f"of the live path failed; last: {answer(result, target)}"
                    )
        except StepFailed as regression:
            _abort(ctx, regression)
            raise
        if clock.monotonic() > deadline:
            _abort(ctx, StepFailed("the traffic-splitting deployment did not finish in time"))
            raise StepFailed(f"traffic split: blue {blue.name} still {blue.status} at the deadline")
        clock.sleep(health.interval_seconds)


def _abort(ctx: StepContext, regression: StepFailed) -> None:
    """AbortEnvironmentUpdate while the deployment runs: EB moves the traffic back."""
    blue = current_blue(ctx)
    if blue.status != "Updating":
        return
    note(ctx, f"{regression}; aborting the traffic-splitting deployment", environment=blue.id)
    try:
        ctx.beanstalk.abort_update(blue.id)
    except ConflictError:
        note(ctx, "the deployment could not be aborted any more (it finished or is ending)")
