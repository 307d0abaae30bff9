"""A verdict per instance: EB can report an environment Ready on the new version while some
instances still run the old one or failed their deployment (aws/elastic-beanstalk-roadmap#162,
eb_deployer#97, aws-elastic-beanstalk-cli#50), so a step that needs the environment on a
version asks DescribeInstancesHealth about every in-service instance.

Once EB says Ready, an instance on another version or whose deployment Failed fails the step
at once, naming it; one still In Progress is waited for within the health grace. The
instance table at the verdict goes to the run's history.
"""

from __future__ import annotations

from engine.domain.errors import DeadlineExceeded, StepFailed
from engine.domain.model import EventSource
from engine.domain.ports.cloud import Instance
from engine.domain.ports.runtime import Snapshot
from engine.domain.step import StepContext
from states.shared.conditions import present

MINIMUM_GRACE = 5.0  # even with no grace, one look after Ready


def require_instances_on(ctx: StepContext, role: str, env_id: str, label: str, what: str) -> None:
    """Every in-service instance of `env_id` on `label` with its deployment Deployed."""
    seen: list[Instance] = []

    def condition(snapshot: Snapshot) -> bool:
        env = present(role, env_id, snapshot)
        if not env.is_ready:
            return False
        seen[:] = ctx.beanstalk.instances(env_id)
        broken = [each for each in _wrong(seen, label) if _settled(each)]
        if broken:
            _record(ctx, f"{what}: instance verdict failed", seen, env_id, label)
            raise StepFailed(f"{what}: {role} {env.name} is Ready on {env.version_label} but "
                             f"{_named(broken, label)}")  # fmt: skip
        return bool(_in_service(seen)) and not _wrong(seen, label)

    grace = max(ctx.deadlines.health_grace, MINIMUM_GRACE)
    try:
        ctx.waiter.wait_for(
            f"{what}: every instance of {role} on {label}",
            ctx.run.target.app,
            [env_id],
            condition,
            grace,
        )
    except DeadlineExceeded:
        _record(ctx, f"{what}: instance verdict failed", seen, env_id, label)
        pending = _wrong(seen, label)
        detail = _named(pending, label) if pending else "no instance is in service"
        raise StepFailed(f"{what}: after {grace:.0f} s {role}'s {detail}") from None
    _record(ctx, f"{what}: every in-service instance of {role} runs {label}", seen, env_id, label)


def _in_service(instances: list[Instance]) -> list[Instance]:
    return [each for each in instances if each.in_service]


def _wrong(instances: list[Instance], label: str) -> list[Instance]:
    return [
        each
        for each in _in_service(instances)
        if each.version_label != label or each.deployment_status != "Deployed"
    ]


def _settled(instance: Instance) -> bool:
    """Not a deployment still running: Failed, or Deployed (on the wrong version)."""
    return instance.deployment_status in ("Failed", "Deployed")


def _named(instances: list[Instance], label: str) -> str:
    parts = [
        f"{each.id} runs {each.version_label} ({each.deployment_status})" for each in instances
    ]
    return f"{len(instances)} instance(s) are not on {label}: " + ", ".join(parts)


def _record(
    ctx: StepContext, message: str, instances: list[Instance], env_id: str, label: str
) -> None:
    table = [each.row() for each in instances]
    ctx.journal.event(
        EventSource.ENGINE, message, environment=env_id, version=label, instances=table
    )
