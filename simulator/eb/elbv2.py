"""Environments' load balancers shown in moto's ELBv2 (same process), so elbv2 clients find
what DescribeEnvironmentResources names (`eb status --verbose` asks for the target health):
the load balancer in the default VPC, its port-80 listener, the target group, the instance
registered while it runs and healthy while its app answers the health check as it should.

Imported only when a client speaks Elastic Load Balancing: moto's ELBv2 (with its EC2) takes
about a second to import, which no simulator start or environment launch should pay."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from moto.ec2.models import ec2_backends
from moto.elbv2.models import (
    ELBv2Backend,
    FakeHealthStatus,
    FakeLoadBalancer,
    FakeTargetGroup,
    elbv2_backends,
)

from simulator.eb.balancers import Balancer

HealthCheck = Callable[[], int]  # the status code the target's app answers a request now
Target = tuple[str, HealthCheck]  # an instance id and its app's health check


class _AppTargetGroup(FakeTargetGroup):
    """moto's target group, except that a registered target's health is its app's answer to
    the health check (moto calls every registered target healthy)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.checks: dict[str, HealthCheck] = {}

    def health_for(self, target: dict[str, Any], ec2_backend: Any) -> FakeHealthStatus:
        health = super().health_for(target, ec2_backend)
        check = self.checks.get(target["Id"])
        if health.status != "healthy" or check is None:
            return health
        code = check()
        if _matches(code, self.matcher["HttpCode"]):
            return health
        # An ALB reports a wrong status code so (API reference, TargetHealth: "unhealthy",
        # Target.ResponseCodeMismatch, "The health checks did not return an expected HTTP code").
        return FakeHealthStatus(
            health.instance_id,
            health.port,
            health.health_check_port,
            "unhealthy",
            "Target.ResponseCodeMismatch",
            f"Health checks failed with these codes: [{code}]",
        )


def _matches(code: int, matcher: str) -> bool:
    """Whether `code` is one of a Matcher's HttpCode ("200", "200,202", "200-299")."""
    for part in matcher.split(","):
        low, _, high = part.strip().partition("-")
        if int(low) <= code <= int(high or low):
            return True
    return False


def show(balancer: Balancer, process: dict[str, str], targets: list[Target]) -> None:
    """Make moto hold `balancer` (creating what is missing), its target group checking health
    as the default process's settings say, with `targets` (the in-service instances) its only
    targets."""
    backend = _backend(balancer)
    group = backend.target_groups.get(balancer.target_group_arn)
    if balancer.arn not in backend.load_balancers or not isinstance(group, _AppTargetGroup):
        remove(balancer)
        group = _create(backend, balancer, process)
    # EB applies changed health check options to the target group (ModifyTargetGroup).
    backend.modify_target_group(
        group.arn,
        health_check_path=process["HealthCheckPath"],
        health_check_interval=int(process["HealthCheckInterval"]),
        health_check_timeout=int(process["HealthCheckTimeout"]),
        healthy_threshold_count=process["HealthyThresholdCount"],
        unhealthy_threshold_count=process["UnhealthyThresholdCount"],
        http_codes=re.sub(r"\s", "", process["MatcherHTTPCode"]),
    )
    wanted = dict(targets)
    for stale in set(group.targets) - set(wanted):
        group.deregister([{"Id": stale}])
        group.checks.pop(stale, None)
    for instance_id, check in wanted.items():
        if instance_id not in group.targets:
            backend.register_targets(group.arn, [{"Id": instance_id}])
            group.checks[instance_id] = check


def remove(balancer: Balancer) -> None:
    """Delete the load balancer (its listener with it) and its target group, if there."""
    backend = _backend(balancer)
    backend.delete_load_balancer(balancer.arn)
    backend.target_groups.pop(balancer.target_group_arn, None)


def _backend(balancer: Balancer) -> ELBv2Backend:
    return elbv2_backends[balancer.account][balancer.region]


def _create(backend: ELBv2Backend, balancer: Balancer, process: dict[str, str]) -> _AppTargetGroup:
    """The internet-facing ALB in the default VPC's subnets, its target group, its listener."""
    subnets = _default_subnets(balancer.account, balancer.region)
    tags = [{"Key": key, "Value": value} for key, value in balancer.tags]
    # Built here rather than by moto's create_load_balancer and create_target_group, which
    # choose their own ARNs (EB has named them already) and their own target group class; every
    # value is one their validation accepts. mypy calls moto's unused CloudFormation hooks
    # abstract; moto builds these classes the same way.
    backend.load_balancers[balancer.arn] = FakeLoadBalancer(  # type: ignore[abstract]
        name=balancer.name,
        security_groups=[],
        subnets=subnets,
        vpc_id=subnets[0].vpc_id,
        arn=balancer.arn,
        dns_name=balancer.dns_name,
        state="active",
        scheme="internet-facing",
        loadbalancer_type="application",
    )
    group = _AppTargetGroup(  # type: ignore[abstract]
        name=balancer.target_group_name,
        account_id=balancer.account,
        region_name=balancer.region,
        vpc_id=subnets[0].vpc_id,
        protocol=process["Protocol"],
        port=int(process["Port"]),
        target_type="instance",
    )
    group.arn = balancer.target_group_arn
    backend.target_groups[group.arn] = group
    backend.add_tags([balancer.arn, group.arn], tags)
    forward = {"Type": "forward", "TargetGroupArn": group.arn}
    # An HTTP listener has no SslPolicy (moto's CreateListener would fill in its HTTPS default).
    backend.create_listener(balancer.arn, "HTTP", "80", None, None, [forward])  # type: ignore[arg-type]
    return group


def _default_subnets(account: str, region: str) -> list[Any]:
    # moto's EC2 is here only for the default VPC's subnets. Each new EC2 backend (so each
    # reset, once it exists) loads moto's catalogue of some 1300 public AMIs, a tenth of a
    # second; the simulator offers no AMIs, so it asks moto not to
    # (moto.settings.ec2_load_default_amis), unless the process chose otherwise.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    found = ec2_backends[account][region].describe_subnets(filters={"default-for-az": ["true"]})
    return list(found)
