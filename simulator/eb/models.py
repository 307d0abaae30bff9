"""The Elastic Beanstalk resources the simulator keeps: applications, versions, templates,
environments (with the operation in progress), and events."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.appserver import AppServer
from simulator.bundles import Manifest
from simulator.eb.balancers import Balancer
from simulator.eb.catalog import CURRENT
from simulator.eb.fleet import Fleet

# Enhanced health status for each colour, when no operation is in progress; see
# https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-status.html
HEALTH_STATUS = {"Green": "Ok", "Yellow": "Warning", "Red": "Severe", "Grey": "Unknown"}

SOLUTION_STACK = CURRENT.stack  # the newest platform the simulator serves (simulator.eb.catalog)
# Options every environment has, with the defaults of "General options for all environments"
# (docs.aws.amazon.com/elasticbeanstalk/latest/dg/command-options-general.html). The EB CLI
# reads some of them and fails without them: `eb terminate` reads LoadBalancerIsShared when the
# type is application (ebcli/operations/terminateops.py, is_shared_load_balancer), `eb logs`
# reads the CloudWatch logs options (ebcli/operations/logsops.py), `eb init` EC2KeyName.
DEFAULT_OPTIONS = (
    ("aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced"),
    ("aws:elasticbeanstalk:environment", "LoadBalancerType", "application"),
    ("aws:elasticbeanstalk:environment", "LoadBalancerIsShared", "false"),
    ("aws:elasticbeanstalk:environment", "ServiceRole", "aws-elasticbeanstalk-service-role"),
    ("aws:autoscaling:launchconfiguration", "InstanceType", "t3.micro"),
    ("aws:autoscaling:launchconfiguration", "IamInstanceProfile", "aws-elasticbeanstalk-ec2-role"),
    ("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs", "false"),
    ("aws:elasticbeanstalk:cloudwatch:logs:health", "HealthStreamingEnabled", "false"),
    ("aws:elasticbeanstalk:environment:process:default", "HealthCheckPath", "/"),
    ("aws:autoscaling:asg", "MinSize", "1"),
    ("aws:autoscaling:asg", "MaxSize", "4"),
    ("aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced"),
    ("aws:elasticbeanstalk:command", "DeploymentPolicy", "AllAtOnce"),
)

OptionSettings = list[dict[str, str]]

# Application version statuses as real EB sends them (capitals; see applications.py).
UNPROCESSED, PROCESSING, PROCESSED, FAILED, BUILDING = (
    "UNPROCESSED",
    "PROCESSING",
    "PROCESSED",
    "FAILED",
    "BUILDING",
)


def default_options() -> OptionSettings:
    return [
        {"Namespace": ns, "OptionName": name, "Value": value} for ns, name, value in DEFAULT_OPTIONS
    ]


@dataclass
class Application:
    name: str
    arn: str
    description: str | None
    created: datetime
    updated: datetime
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class AppVersion:
    app: str
    label: str
    arn: str
    description: str | None
    bundle: dict[str, str] | None  # {"S3Bucket": ..., "S3Key": ...}; None: the sample app
    manifest: Manifest
    process: bool
    valid: bool  # False: not a zip, or a bad manifest (processing fails)
    status: str  # UNPROCESSED | PROCESSING | PROCESSED | FAILED | BUILDING
    created: datetime
    updated: datetime
    processed_at: datetime | None = None  # when PROCESSING turns to PROCESSED
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Template:
    app: str
    name: str
    description: str | None
    solution_stack: str
    platform_arn: str
    options: OptionSettings
    created: datetime
    updated: datetime
    tags: dict[str, str] = field(default_factory=dict)
    saved: bytes | None = None  # the saved configuration written to S3 (simulator.eb.saved)


@dataclass
class ManagedAction:
    """A managed action of an environment (simulator.eb.managed)."""

    id: str
    type: str
    description: str
    status: str  # Scheduled | Pending | Running
    window_start: datetime
    executed: datetime | None = None
    finished: datetime | None = None

    def description_of(self) -> dict[str, Any]:
        return {
            "ActionId": self.id,
            "ActionDescription": self.description,
            "ActionType": self.type,
            "Status": self.status,
            "WindowStartTime": self.window_start,
        }


@dataclass(frozen=True)
class Completed:
    """One operation as it really ended, in the simulator's own record (never on EB's API):
    what the engine's detection lag is measured against from outside (benchmarks)."""

    env_id: str
    env_name: str
    app: str
    kind: str  # launch, update, swap, terminate, abort, rebuild, restart, tags
    started: datetime
    ended: datetime  # the clock's time at the tick that changed the environment's status
    failed: bool = False


@dataclass
class Operation:
    """What an environment is doing: launch, update, swap, terminate or abort."""

    kind: str
    request_id: str
    started: datetime
    ends: datetime | None  # None: stuck until released or aborted
    fail: bool = False
    version: str | None = None  # the version being deployed (launch/update)
    partner: str | None = None  # the other environment's id (swap)
    is_source: bool = False  # this side was SwapEnvironmentCNAMEs' source
    previous: str | None = None  # update/abort: the label before the update (restored on abort)
    # A traffic-splitting deployment: from `split_at` until it ends, `split_percent` % of the
    # requests reach the new version (simulator/eb/traffic_split.py).
    split_percent: int = 0
    split_at: datetime | None = None
    split_started: bool = False
    split_rejected: bool = False  # the new instances failed their health checks: no split
    managed_action: str | None = None  # update: the managed action it runs (simulator.eb.managed)

    @property
    def abortable(self) -> bool:
        # AbortEnvironmentUpdate cancels "an in-progress environment configuration update or
        # application version deployment": only UpdateEnvironment operations qualify.
        return self.kind == "update"


@dataclass
class Environment:
    id: str
    name: str
    app: str
    arn: str
    cname: str
    balancer: Balancer  # its application load balancer (moto's ELBv2 shows it when asked)
    solution_stack: str
    platform_arn: str
    template_name: str | None
    version_label: str | None
    description: str | None
    created: datetime
    updated: datetime
    options: OptionSettings
    tags: dict[str, str]
    server: AppServer
    status: str = "Launching"
    health: str = "Grey"
    health_status: str = "Pending"
    causes: list[str] = field(default_factory=list)
    op: Operation | None = None
    recover_at: datetime | None = None
    deployed_at: datetime | None = None  # when the running version deployed successfully
    terminated_at: datetime | None = None
    info: list[dict[str, Any]] = field(default_factory=list)  # RequestEnvironmentInfo's logs
    fleet: Fleet = field(default_factory=Fleet)  # its Auto Scaling group (simulator.eb.fleet)
    managed: list[ManagedAction] = field(default_factory=list)  # scheduled or running
    managed_history: list[ManagedAction] = field(default_factory=list)  # completed

    @property
    def single_instance(self) -> bool:
        """EnvironmentType SingleInstance: "one EC2 instance with no load balancer" (the EB
        guide's aws:elasticbeanstalk:environment table; `eb create --single` sets it)."""
        return any(
            (o.get("Namespace"), o.get("OptionName"), o.get("Value"))
            == ("aws:elasticbeanstalk:environment", "EnvironmentType", "SingleInstance")
            for o in self.options
        )

    @property
    def endpoint(self) -> str:
        """EndpointURL: its load balancer's DNS name, which no swap moves; for a single
        instance "the IP address of the instance" (API reference, EnvironmentDescription),
        its Elastic IP: here an address of TEST-NET-3 (RFC 5737), never contacted, derived from
        the environment's id (the router resolves it to the app server)."""
        if self.single_instance:
            digest = hashlib.sha256(self.id.encode()).digest()
            return f"203.0.113.{1 + digest[0] % 254}"
        return self.balancer.dns_name

    @property
    def live(self) -> bool:
        return self.status != "Terminated"

    def set_health(self, colour: str, status: str | None = None) -> None:
        self.health = colour
        self.health_status = status or HEALTH_STATUS[colour]


@dataclass(frozen=True)
class Event:
    seq: int
    date: datetime
    message: str
    severity: str = "INFO"
    app: str | None = None
    env_name: str | None = None
    env_id: str | None = None
    version_label: str | None = None
    template_name: str | None = None
    request_id: str | None = None
    platform_arn: str | None = None

    def description(self) -> dict[str, Any]:
        return {
            "EventDate": self.date,
            "Message": self.message,
            "ApplicationName": self.app,
            "VersionLabel": self.version_label,
            "TemplateName": self.template_name,
            "EnvironmentName": self.env_name,
            "PlatformArn": self.platform_arn,
            "RequestId": self.request_id,
            "Severity": self.severity,
        }
