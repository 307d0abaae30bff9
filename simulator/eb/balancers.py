"""Each environment's application load balancer as EB makes it: names, ARNs and DNS name, the
target group the default process's options describe, the tags. Planned here when the
environment is created; `simulator.eb.elbv2` shows it in moto's ELBv2 when a client asks."""

from __future__ import annotations

import random
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass

PROCESS = "aws:elasticbeanstalk:environment:process:default"
# The default process's options and their defaults (EB docs, "General options for all
# environments", aws:elasticbeanstalk:environment:process:default); the EB CLI's own fixture of
# an EB target group has the same values (aws-elastic-beanstalk-cli,
# tests/unit/display/test_traditional.py: interval 15, timeout 5, thresholds 3 and 5, "/", 200).
PROCESS_DEFAULTS = {
    "Port": "80",
    "Protocol": "HTTP",
    "HealthCheckPath": "/",
    "HealthCheckInterval": "15",
    "HealthCheckTimeout": "5",
    "HealthyThresholdCount": "3",
    "UnhealthyThresholdCount": "5",
    "MatcherHTTPCode": "200",
}


@dataclass(frozen=True)
class Balancer:
    """An environment's load balancer and the target group its port-80 listener forwards to."""

    account: str
    region: str
    name: str
    arn: str
    dns_name: str
    target_group_name: str
    target_group_arn: str
    tags: tuple[tuple[str, str], ...]


def plan(account: str, region: str, tags: Mapping[str, str]) -> Balancer:
    """The load balancer CloudFormation makes for a new environment, tagged with `tags`."""
    name, group = _physical_name(), _physical_name()
    arn = f"arn:aws:elasticloadbalancing:{region}:{account}:"
    return Balancer(
        account,
        region,
        name,
        f"{arn}loadbalancer/app/{name}/{secrets.token_hex(8)}",
        # The load balancer's name, a number, the region's ELB domain, capitals kept: EB's
        # EndpointURL spells it so (awscli/examples/elasticbeanstalk/describe-environments.rst:
        # "awseb-e-w-AWSEBLoa-1483140XB0Q4L-109QXY8121.us-west-2.elb.amazonaws.com").
        f"{name}-{random.randrange(10**9, 10**10)}.{region}.elb.amazonaws.com",
        group,
        f"{arn}targetgroup/{group}/{secrets.token_hex(8)}",
        tuple(tags.items()),
    )


def _physical_name() -> str:
    # CloudFormation names EB's load balancer and target group awseb-AWSEB-<12 or 13 capitals and
    # digits>, e.g. "Created load balancer named: arn:...:loadbalancer/app/awseb-AWSEB-
    # FQOFD5H8V5UJ/d41f1009d87eaa09" in EB's launch events.
    return "awseb-AWSEB-" + "".join(random.choices(string.ascii_uppercase + string.digits, k=12))


def process(options: list[dict[str, str]]) -> dict[str, str]:
    """The default process's settings among an environment's options, defaults filled in."""
    set_here = {o["OptionName"]: o["Value"] for o in options if o.get("Namespace") == PROCESS}
    return PROCESS_DEFAULTS | {k: v for k, v in set_here.items() if k in PROCESS_DEFAULTS}
