"""The ports to the cloud: what the engine needs from Elastic Beanstalk, S3 and HTTP.

Adapters (boto3, httpx) implement these Protocols; tests use fakes that implement them too.
Every method raises only the errors of `engine.domain.errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Environment:
    """What DescribeEnvironments says about one environment."""

    id: str
    name: str
    application: str
    status: str  # Launching | Updating | Ready | Terminating | Terminated | Aborting ...
    health: str  # Green | Yellow | Red | Grey
    version_label: str | None
    cname: str | None
    arn: str = ""
    health_status: str | None = None  # enhanced health: Ok | Warning | Degraded | Severe ...
    template_name: str | None = None
    endpoint_url: str | None = None
    date_updated: datetime | None = None
    abortable: bool = False

    @property
    def is_ready(self) -> bool:
        return self.status == "Ready"

    @property
    def is_healthy(self) -> bool:
        """Green, and enhanced health (when reported) Ok."""
        return self.health == "Green" and self.health_status in (None, "Ok", "Info")

    @property
    def is_terminated(self) -> bool:
        return self.status == "Terminated"


@dataclass(frozen=True)
class ApplicationVersion:
    """An application version and its processing status."""

    application: str
    label: str
    status: str  # as EB sends it: UNPROCESSED | PROCESSING | PROCESSED | FAILED | BUILDING
    source_bucket: str | None = None
    source_key: str | None = None

    # Real EB sends capitals (the EB CLI compares `Status == 'PROCESSED'`,
    # ebcli/operations/commonops.py), botocore's docs say `Processed`: compare
    # case-insensitively. UNPROCESSED is what CreateApplicationVersion makes without
    # Process=true, and EB deploys it.
    @property
    def deployable(self) -> bool:
        return self.status.upper() in ("PROCESSED", "UNPROCESSED")

    @property
    def processing(self) -> bool:
        """Still being processed or built: wait for it."""
        return self.status.upper() in ("PROCESSING", "BUILDING")


@dataclass(frozen=True)
class EbEvent:
    """One entry of DescribeEvents."""

    at: datetime
    message: str
    severity: str
    environment_name: str | None = None
    request_id: str | None = None
    version_label: str | None = None


# Instance health statuses of an instance that serves (EB guide, "Health colors and statuses"):
# Pending (initialising), NoData and Unknown do not count as in service.
NOT_IN_SERVICE = frozenset({"Pending", "NoData", "Unknown"})
# An option setting's key: (namespace, option name).
OptionKey = tuple[str, str]


@dataclass(frozen=True)
class Instance:
    """One instance of an environment, as DescribeInstancesHealth reports it."""

    id: str
    health_status: str  # Ok | Info | Warning | Degraded | Severe | Pending | NoData | Unknown
    version_label: str | None
    deployment_status: str | None  # Deployed | InProgress (or "In Progress") | Failed
    deployment_id: int | None = None
    launched_at: datetime | None = None
    causes: tuple[str, ...] = ()

    @property
    def in_service(self) -> bool:
        return self.health_status not in NOT_IN_SERVICE

    @property
    def healthy(self) -> bool:
        """In service and passing: Ok (Info is an operation still running on it)."""
        return self.health_status == "Ok" and self.deployment_status == "Deployed"

    def row(self) -> dict[str, str | None]:
        """The instance as a row of the history's instance table."""
        return {
            "id": self.id,
            "health": self.health_status,
            "version": self.version_label,
            "deployment": self.deployment_status,
        }


@dataclass(frozen=True)
class ManagedAction:
    """A managed action of an environment (DescribeEnvironmentManagedActions)."""

    id: str
    action_type: str  # PlatformUpdate | InstanceRefresh | Unknown
    status: str  # Scheduled | Pending | Running | Unknown
    description: str = ""
    window_start: datetime | None = None


@dataclass(frozen=True)
class ProbeResult:
    """One HTTP health probe: what was asked, what came back, how long it took."""

    url: str
    status: int | None
    latency_seconds: float
    error: str | None = None
    body_excerpt: str = ""

    def ok(self, expected: Sequence[int]) -> bool:
        return self.error is None and self.status in expected


@dataclass(frozen=True)
class CreateEnvironmentRequest:
    """The parameters of CreateEnvironment that a release uses."""

    application: str
    name: str
    template_name: str
    version_label: str
    tags: Mapping[str, str] = field(default_factory=dict)
    cname_prefix: str | None = None


class Beanstalk(Protocol):
    """Elastic Beanstalk (plus STS for the credentials check), one region."""

    def caller_identity(self) -> str:
        """The ARN the credentials belong to; raises CredentialsError."""
        ...

    def application_exists(self, application: str) -> bool: ...

    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        """One DescribeEnvironments call (paginated); empty filters mean all."""
        ...

    def environment_tags(self, environment_arn: str) -> dict[str, str]: ...

    def get_version(self, application: str, label: str) -> ApplicationVersion | None: ...

    def create_version(
        self, application: str, label: str, bucket: str, key: str, description: str
    ) -> ApplicationVersion:
        """Register a source bundle as a version and ask EB to process it."""
        ...

    def template_exists(self, application: str, template_name: str) -> bool: ...

    def create_template(
        self, application: str, template_name: str, environment_id: str, description: str
    ) -> None: ...

    def delete_template(self, application: str, template_name: str) -> None: ...

    def create_environment(self, request: CreateEnvironmentRequest) -> Environment: ...

    def deploy_version(self, environment_id: str, version_label: str) -> None:
        """UpdateEnvironment with a new VersionLabel."""
        ...

    def deploy_traffic_split(
        self, environment_id: str, version_label: str, percent: int, minutes: int
    ) -> None:
        """UpdateEnvironment to a new VersionLabel with EB's traffic-splitting deployment:
        `percent` of requests to the new instances for `minutes`, then all of them."""
        ...

    def option_value(
        self, application: str, environment_name: str, namespace: str, option: str
    ) -> str | None:
        """One option of an environment's configuration (DescribeConfigurationSettings);
        None when it is not set."""
        ...

    def swap_cnames(self, source_environment_id: str, destination_environment_id: str) -> None: ...

    def terminate_environment(self, environment_id: str) -> None: ...

    def abort_update(self, environment_id: str) -> None: ...

    def events(
        self, application: str, since: datetime, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        """Events of the application's environments since a time, oldest first."""
        ...

    def instances(self, environment_id: str) -> list[Instance]:
        """DescribeInstancesHealth, every attribute: the environment's instances."""
        ...

    def option_settings(
        self,
        application: str,
        environment_name: str | None = None,
        template_name: str | None = None,
    ) -> dict[OptionKey, str]:
        """DescribeConfigurationSettings of an environment or a template: (namespace, option
        name) -> value."""
        ...

    def update_options(self, environment_id: str, settings: Mapping[OptionKey, str]) -> None:
        """UpdateEnvironment with these OptionSettings."""
        ...

    def managed_actions(self, environment_id: str) -> list[ManagedAction]:
        """DescribeEnvironmentManagedActions: the scheduled and running ones."""
        ...


class ArtifactStore(Protocol):
    """S3, for source bundles."""

    def object_exists(self, bucket: str, key: str) -> bool: ...

    def upload(self, bucket: str, key: str, path: str) -> None: ...


class HealthProbe(Protocol):
    """One HTTP GET; the verifying step decides what the answers mean."""

    def probe(self, url: str, timeout_seconds: float, host: str | None = None) -> ProbeResult:
        """Never raises for a bad status or a refused connection: that is in the result.
        `host` is sent as the Host header (the URL names the server connected to)."""
        ...


@dataclass(frozen=True)
class Delivery:
    """How the delivery of one notification ended, after its retries."""

    delivered: bool
    attempts: int  # requests sent (0: none could be, e.g. the notifier was closing)
    where: str  # the receiver as it may be shown: scheme://host/… (never its secret path)
    status: int | None = None  # the last HTTP status answered, if any
    error: str | None = None  # the last error's class (ConnectError, ReadTimeout), if any

    @property
    def outcome(self) -> str:
        """`delivered (HTTP 200, 1 attempt)`, `given up after 4 attempts (HTTP 500)`."""
        why = f"HTTP {self.status}" if self.status is not None else (self.error or "no answer")
        tries = f"{self.attempts} attempt{'' if self.attempts == 1 else 's'}"
        if self.delivered:
            return f"delivered ({why}, {tries})"
        return f"given up after {tries} ({why})"


class Notifier(Protocol):
    """Posts a run notification somewhere; never raises, never blocks the release for long."""

    def notify(
        self, payload: Mapping[str, object], on_done: Callable[[Delivery], None] | None = None
    ) -> None:
        """Queue `payload`; `on_done` hears how its delivery ended (on the notifier's thread)."""
        ...
