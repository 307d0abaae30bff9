"""The fake Elastic Beanstalk's records: one environment, its pending operation, a stored
version, and how long each operation takes (FakeDurations, seconds on the FakeClock)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.domain.ports.cloud import ApplicationVersion, Environment, Instance, ManagedAction

REGION = "us-east-1"
ACCOUNT = "123456789012"
STATUS_DURING = {"launch": "Launching", "update": "Updating", "swap": "Updating"}
STATUS_DURING |= {"terminate": "Terminating", "abort": "Aborting"}
HEALTH_STATUS = {"Green": "Ok", "Yellow": "Warning", "Red": "Severe", "Grey": "Unknown"}


@dataclass(frozen=True)
class FakeDurations:
    launch: float = 180.0
    update: float = 45.0
    swap: float = 5.0
    terminate: float = 240.0
    process: float = 5.0
    abort: float = 15.0
    recover: float = 60.0


@dataclass
class _Operation:
    kind: str  # launch | update | swap | terminate | abort
    due: float | None  # FakeClock.monotonic() when it completes; None: stuck
    describes_left: int | None
    fail: bool = False
    version: str | None = None
    partner: str | None = None


@dataclass
class FakeEnvironment:
    """The fake's mutable record of one environment; `view()` is what describe returns."""

    id: str
    name: str
    application: str
    cname: str
    status: str
    health: str
    version_label: str | None
    template_name: str | None
    tags: dict[str, str]
    date_updated: datetime
    operation: _Operation | None = None
    recover_at: float | None = None
    # (namespace, option) -> value; each environment starts at EB's default sizes
    options: dict[tuple[str, str], str] = field(
        default_factory=lambda: {
            ("aws:autoscaling:asg", "MinSize"): "1",
            ("aws:autoscaling:asg", "MaxSize"): "4",
        }
    )
    managed: list[ManagedAction] = field(default_factory=list)

    @property
    def arn(self) -> str:
        prefix = f"arn:aws:elasticbeanstalk:{REGION}:{ACCOUNT}:environment"
        return f"{prefix}/{self.application}/{self.name}"

    def view(self) -> Environment:
        return Environment(
            id=self.id,
            name=self.name,
            application=self.application,
            status=self.status,
            health=self.health,
            health_status=HEALTH_STATUS.get(self.health),
            version_label=self.version_label,
            cname=self.cname,
            arn=self.arn,
            endpoint_url=f"awseb-{self.id}.{REGION}.elb.test",
            template_name=self.template_name,
            date_updated=self.date_updated,
            abortable=self.operation is not None and self.operation.kind == "update",
        )

    def instances(self) -> list[Instance]:
        """One instance per environment, on its version, healthy while it is Green."""
        if self.status in ("Launching", "Terminating", "Terminated"):
            return []
        health = "Ok" if self.health == "Green" else HEALTH_STATUS.get(self.health, "Unknown")
        return [Instance(f"i-{self.id[2:]}", health, self.version_label, "Deployed")]


@dataclass
class _Version:
    version: ApplicationVersion
    processed_at: float | None = None
