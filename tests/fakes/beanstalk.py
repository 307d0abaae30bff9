"""Hand-written fakes of the ports (cloud, clock, journal, waiter) for unit tests; no I/O.

Each implements the real Protocol (mypy checks the `_: Protocol = Fake(...)` lines at the end).

- FakeClock: `sleep` advances time instantly; `now()` is UTC, `monotonic()` seconds.
- FakeBeanstalk: an in-memory EB that checks preconditions like AWS (a mutation of an
  environment that is not Ready raises ConflictError, unknown things NotFoundError).
  Operations take simulated time (`durations`, seconds on the FakeClock; optionally also
  complete after `complete_after_describes` DescribeEnvironments calls): launch/update/swap/
  terminate show Launching/Updating/Terminating until done; a swap moves the CNAMEs when it
  completes; a deployment keeps the old label until it completes. Knobs: `fail_launch`
  (Ready + Red), `fail_deploy` (back to Ready on the old version, Red until `recover`),
  `red_versions` (deploys fine, then Red), `fail_terminate_times` (back to Ready),
  `stuck` (operation kinds that never finish), `failed_processing` (version labels),
  `fail_next(method, error)` (raise before the call takes effect), `crash_after` (method
  names: the call takes effect, then `Crash` is raised as if the process died). `calls`
  counts calls per method name. Seeding: `add_application`, `add_version`, `add_environment`.
- FakeArtifactStore: buckets and objects in memory (`add_bucket`); `calls` per method;
  `crash_after={"upload"}` stores the object, then raises Crash.
- FakeHealthProbe: scripted answers per URL (`script(url, 200, 500, None)`: None is a refused
  connection, the last answer repeats); unscripted URLs are routed like the CNAME router:
  the environment holding the host answers `version_answers.get(its version, 200)`.
- RecordingJournal: facts applied to `run.facts` at once (`facts_log`), events in `events`;
  `crash_after_facts=N` raises Crash after the N-th record_facts from then on.
- FakeWaiter: polls FakeBeanstalk synchronously every `interval` seconds of FakeClock until the
  condition holds, raising DeadlineExceeded past the deadline; `waits` lists what it waited for.
- FakeWorld: all of the above wired together; `seed_release()` makes a target and a Run,
  `context(run)` a StepContext (one RecordingJournal per run, kept across re-runs).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from cloud.errors import (
    CloudError,
    ConflictError,
    CredentialsError,
    DeadlineExceeded,
    NotFoundError,
)
from cloud.ports import (
    ApplicationVersion,
    ArtifactStore,
    Beanstalk,
    CreateEnvironmentRequest,
    EbEvent,
    Environment,
    HealthProbe,
    ProbeResult,
)
from engine.model import (
    Bundle,
    EventRecord,
    EventSource,
    Facts,
    HealthCheck,
    Mode,
    Run,
    RunId,
    State,
    Target,
)
from states.context import Clock, Condition, Deadlines, Journal, Snapshot, StepContext, Waiter

REGION = "us-east-1"
ACCOUNT = "123456789012"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$")
STATUS_DURING = {"launch": "Launching", "update": "Updating", "swap": "Updating"}
STATUS_DURING |= {"terminate": "Terminating", "abort": "Aborting"}
T = TypeVar("T")
HEALTH_STATUS = {"Green": "Ok", "Yellow": "Warning", "Red": "Severe", "Grey": "Unknown"}


class Crash(BaseException):
    """The process died right after an AWS call took effect (BaseException: no step catches it)."""


class FakeClock:
    def __init__(self, start: datetime = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)) -> None:
        self._start, self._elapsed = start, 0.0

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        return self._elapsed

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("negative sleep")
        self._elapsed += seconds

    advance = sleep


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
            template_name=self.template_name,
            date_updated=self.date_updated,
            abortable=self.operation is not None and self.operation.kind == "update",
        )


@dataclass
class _Version:
    version: ApplicationVersion
    processed_at: float | None = None


class FakeBeanstalk:
    def __init__(self, clock: FakeClock, artifacts: FakeArtifactStore | None = None) -> None:
        self.clock, self.artifacts = clock, artifacts
        self.durations = FakeDurations()
        self.complete_after_describes: int | None = None
        self.credentials_valid = True
        self.fail_launch = self.fail_deploy = False
        self.fail_terminate_times = 0
        self.red_versions: set[str] = set()
        self.stuck: set[str] = set()
        self.failed_processing: set[str] = set()
        self.crash_after: set[str] = set()
        self.calls: Counter[str] = Counter()
        self.applications: set[str] = set()
        self.environments: dict[str, FakeEnvironment] = {}
        self.templates: dict[tuple[str, str], str] = {}
        self.versions: dict[tuple[str, str], _Version] = {}
        self.eb_events: list[EbEvent] = []
        self._next_errors: dict[str, list[CloudError]] = {}
        self._ids = itertools.count(1)

    # --- test helpers ---------------------------------------------------------------------

    def fail_next(self, method: str, error: CloudError) -> None:
        """Make the next call of `method` raise `error` before it takes effect."""
        self._next_errors.setdefault(method, []).append(error)

    def add_application(self, name: str) -> None:
        self.applications.add(name)

    def add_version(self, app: str, label: str, status: str = "Processed") -> None:
        self.versions[(app, label)] = _Version(ApplicationVersion(app, label, status))

    def add_environment(
        self, app: str, name: str, version: str, cname: str | None = None, **tags: str
    ) -> Environment:
        """A Ready, Green environment (seeding: no precondition checks, not counted)."""
        env = self._new_env(app, name, version, None, dict(tags), cname)
        env.status, env.health = "Ready", "Green"
        return env.view()

    def env(self, name_or_id: str) -> FakeEnvironment:
        """The newest environment with that id or name (Terminated included)."""
        found = [e for e in self.environments.values() if name_or_id in (e.id, e.name)]
        return found[-1]

    def live(self, app: str | None = None) -> list[FakeEnvironment]:
        return [
            e
            for e in self.environments.values()
            if e.status != "Terminated" and app in (None, e.application)
        ]

    def finish_operations(self) -> None:
        """Let simulated time run until nothing is pending (stuck operations stay)."""
        for _ in range(100):
            dues = [e.operation.due for e in self.environments.values() if e.operation]
            dues += [e.recover_at for e in self.environments.values() if e.recover_at]
            pending = [due for due in dues if due is not None]
            if not pending:
                return
            self.clock.advance(max(0.0, min(pending) - self.clock.monotonic()))
            self._tick()

    # --- Beanstalk ------------------------------------------------------------------------

    def caller_identity(self) -> str:
        self._enter("caller_identity")
        if not self.credentials_valid:
            raise CredentialsError("The security token included in the request is invalid.")
        return f"arn:aws:iam::{ACCOUNT}:user/release"

    def application_exists(self, application: str) -> bool:
        self._enter("application_exists")
        return application in self.applications

    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        self._enter("describe_environments")
        for env in self.environments.values():
            if env.operation and env.operation.describes_left is not None:
                env.operation.describes_left -= 1
        self._tick()
        return [
            env.view()
            for env in self.environments.values()
            if application in (None, env.application)
            and (not names or env.name in names)
            and (not ids or env.id in ids)
            and (include_deleted or env.status != "Terminated")
        ]

    def environment_tags(self, environment_arn: str) -> dict[str, str]:
        self._enter("environment_tags")
        found = [e for e in self.environments.values() if e.arn == environment_arn]
        if not found:
            raise NotFoundError(f"No Environment found for ARN {environment_arn}.")
        return dict(found[-1].tags)

    def get_version(self, application: str, label: str) -> ApplicationVersion | None:
        self._enter("get_version")
        stored = self.versions.get((application, label))
        return stored.version if stored else None

    def create_version(
        self, application: str, label: str, bucket: str, key: str, description: str
    ) -> ApplicationVersion:
        self._enter("create_version")
        self._require_app(application)
        if (application, label) in self.versions:
            raise ConflictError(f"Application Version {label} already exists.")
        if self.artifacts is not None and (bucket, key) not in self.artifacts.objects:
            raise NotFoundError(f"Unable to download from S3 location: {bucket}/{key}.")
        version = ApplicationVersion(application, label, "Processing", bucket, key)
        due = self.clock.monotonic() + self.durations.process
        self.versions[(application, label)] = _Version(version, due)
        return self._leave("create_version", version)

    def template_exists(self, application: str, template_name: str) -> bool:
        self._enter("template_exists")
        return (application, template_name) in self.templates

    def create_template(
        self, application: str, template_name: str, environment_id: str, description: str
    ) -> None:
        self._enter("create_template")
        self._require_app(application)
        source = self.environments.get(environment_id)
        if source is None or source.status == "Terminated" or source.application != application:
            raise NotFoundError(f"No Environment found for EnvironmentId = '{environment_id}'.")
        if (application, template_name) in self.templates:
            raise ConflictError(f"Configuration Template {template_name} already exists.")
        self.templates[(application, template_name)] = environment_id
        self._leave("create_template", None)

    def delete_template(self, application: str, template_name: str) -> None:
        self._enter("delete_template")
        if (application, template_name) not in self.templates:
            raise NotFoundError(f"No Configuration Template named '{template_name}' found.")
        if any(
            e.template_name == template_name and e.status == "Launching"
            for e in self.live(application)
        ):
            raise ConflictError(f"Configuration Template {template_name} is in use.")
        del self.templates[(application, template_name)]
        self._leave("delete_template", None)

    def create_environment(self, request: CreateEnvironmentRequest) -> Environment:
        self._enter("create_environment")
        self._require_app(request.application)
        if (request.application, request.template_name) not in self.templates:
            raise NotFoundError(f"No Configuration Template named '{request.template_name}'.")
        self._require_deployable(request.application, request.version_label)
        if not NAME.match(request.name):
            raise ConflictError(f"Environment name '{request.name}' is invalid.")
        if any(e.name == request.name for e in self.live()):
            raise ConflictError(f"Environment {request.name} already exists.")
        env = self._new_env(
            request.application,
            request.name,
            request.version_label,
            request.template_name,
            dict(request.tags),
            None,
        )
        self._begin(env, "launch", request.version_label, fail=self.fail_launch)
        return self._leave("create_environment", env.view())

    def deploy_version(self, environment_id: str, version_label: str) -> None:
        self._enter("deploy_version")
        env = self._ready(environment_id)
        self._require_deployable(env.application, version_label)
        self._begin(env, "update", version_label, fail=self.fail_deploy)
        self._leave("deploy_version", None)

    def swap_cnames(self, source_environment_id: str, destination_environment_id: str) -> None:
        self._enter("swap_cnames")
        source = self._ready(source_environment_id)
        destination = self._ready(destination_environment_id)
        if source.id == destination.id:
            raise ConflictError("The source and destination environments must be different.")
        self._begin(source, "swap", partner=destination.id)
        destination.status, destination.date_updated = "Updating", self.clock.now()
        self._leave("swap_cnames", None)

    def terminate_environment(self, environment_id: str) -> None:
        self._enter("terminate_environment")
        env = self._ready(environment_id)
        fail = self.fail_terminate_times > 0
        self.fail_terminate_times -= int(fail)
        self._begin(env, "terminate", fail=fail)
        self._leave("terminate_environment", None)

    def abort_update(self, environment_id: str) -> None:
        self._enter("abort_update")
        env = self._known(environment_id)
        if env.operation is None or env.operation.kind != "update":
            raise ConflictError(f"Environment {env.name} has no abortable operation.")
        self._begin(env, "abort")
        self._leave("abort_update", None)

    def events(
        self, application: str, since: datetime, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        self._enter("events")
        return [
            event
            for event in self.eb_events
            if event.at >= since
            and (not environment_names or event.environment_name in environment_names)
        ]

    # --- the machinery --------------------------------------------------------------------

    def _enter(self, method: str) -> None:
        self.calls[method] += 1
        self._tick()
        errors = self._next_errors.get(method)
        if errors:
            raise errors.pop(0)

    def _leave(self, method: str, result: T) -> T:
        if method in self.crash_after:
            self.crash_after.discard(method)
            raise Crash(f"crashed after {method}")
        return result

    def _new_env(
        self,
        app: str,
        name: str,
        version: str | None,
        template: str | None,
        tags: dict[str, str],
        cname: str | None,
    ) -> FakeEnvironment:
        number = next(self._ids)
        env = FakeEnvironment(
            id=f"e-{number:010d}",
            name=name,
            application=app,
            cname=cname or f"{name}.eba-{number:08d}.{REGION}.elasticbeanstalk.com",
            status="Launching",
            health="Grey",
            version_label=version,
            template_name=template,
            tags=tags,
            date_updated=self.clock.now(),
        )
        self.environments[env.id] = env
        return env

    def _begin(
        self,
        env: FakeEnvironment,
        kind: str,
        version: str | None = None,
        fail: bool = False,
        partner: str | None = None,
    ) -> None:
        duration: float = getattr(self.durations, kind)
        due = None if kind in self.stuck else self.clock.monotonic() + duration
        count = None if kind in self.stuck else self.complete_after_describes
        env.operation = _Operation(kind, due, count, fail, version, partner)
        env.status, env.date_updated = STATUS_DURING[kind], self.clock.now()
        self._event(env, f"{kind} is starting.")

    def _tick(self) -> None:
        now = self.clock.monotonic()
        for env in list(self.environments.values()):
            op = env.operation
            if op and ((op.due is not None and op.due <= now) or op.describes_left == 0):
                self._complete(env, op)
            if env.recover_at is not None and env.recover_at <= now and env.operation is None:
                env.recover_at, env.health = None, "Green"
        for stored in self.versions.values():
            if stored.processed_at is not None and stored.processed_at <= now:
                failed = stored.version.label in self.failed_processing
                status = "Failed" if failed else "Processed"
                stored.version, stored.processed_at = replace(stored.version, status=status), None

    def _complete(self, env: FakeEnvironment, op: _Operation) -> None:
        env.operation, env.status, env.date_updated = None, "Ready", self.clock.now()
        if op.kind == "launch":
            env.health = "Red" if op.fail or op.version in self.red_versions else "Green"
        elif op.kind == "update" and op.fail:
            env.health, env.recover_at = "Red", self.clock.monotonic() + self.durations.recover
        elif op.kind == "update":
            env.version_label, env.recover_at = op.version, None
            env.health = "Red" if op.version in self.red_versions else "Green"
        elif op.kind == "swap":
            partner = self.environments[op.partner or ""]
            partner.status, partner.date_updated = "Ready", env.date_updated
            env.cname, partner.cname = partner.cname, env.cname
        elif op.kind == "terminate" and not op.fail:
            env.status, env.health = "Terminated", "Grey"
        self._event(env, f"{op.kind} {'failed' if op.fail else 'completed'}.")

    def _event(self, env: FakeEnvironment, message: str) -> None:
        self.eb_events.append(EbEvent(self.clock.now(), message, "INFO", env.name))

    def _require_app(self, application: str) -> None:
        if application not in self.applications:
            raise NotFoundError(f"No Application named '{application}' found.")

    def _require_deployable(self, application: str, label: str) -> None:
        stored = self.versions.get((application, label))
        if stored is None:
            raise NotFoundError(f"No Application Version named '{label}' found.")
        if stored.version.status not in ("Processed", "Unprocessed"):
            raise ConflictError(f"Application version {label} is {stored.version.status}.")

    def _known(self, environment_id: str) -> FakeEnvironment:
        env = self.environments.get(environment_id)
        if env is None or env.status == "Terminated":
            raise NotFoundError(f"No Environment found for EnvironmentId = '{environment_id}'.")
        return env

    def _ready(self, environment_id: str) -> FakeEnvironment:
        env = self._known(environment_id)
        if env.status != "Ready":
            raise ConflictError(
                f"Environment named {env.name} is in an invalid state for this operation. "
                "Must be Ready."
            )
        return env


class FakeArtifactStore:
    def __init__(self) -> None:
        self.buckets: set[str] = set()
        self.objects: dict[tuple[str, str], bytes] = {}
        self.calls: Counter[str] = Counter()
        self.crash_after: set[str] = set()

    def add_bucket(self, name: str) -> None:
        self.buckets.add(name)

    def object_exists(self, bucket: str, key: str) -> bool:
        self.calls["object_exists"] += 1
        self._require_bucket(bucket)
        return (bucket, key) in self.objects

    def upload(self, bucket: str, key: str, path: str) -> None:
        self.calls["upload"] += 1
        self._require_bucket(bucket)
        with open(path, "rb") as source:
            self.objects[(bucket, key)] = source.read()
        if "upload" in self.crash_after:
            self.crash_after.discard("upload")
            raise Crash("crashed after upload")

    def _require_bucket(self, bucket: str) -> None:
        if bucket not in self.buckets:
            raise NotFoundError(f"The specified bucket does not exist: {bucket}")


class FakeHealthProbe:
    def __init__(self, clock: FakeClock, beanstalk: FakeBeanstalk | None = None) -> None:
        self.clock, self.beanstalk = clock, beanstalk
        self.latency_seconds = 0.05
        self.version_answers: dict[str, int] = {}
        self.calls: list[str] = []
        self._scripts: dict[str, list[int | None]] = {}

    def script(self, url: str, *answers: int | None) -> None:
        """Answers for `url` in order (None: connection refused); the last one repeats."""
        self._scripts[url] = list(answers)

    def probe(self, url: str, timeout_seconds: float) -> ProbeResult:
        self.calls.append(url)
        self.clock.advance(min(self.latency_seconds, timeout_seconds))
        status = self._answer(url)
        if status is None:
            return ProbeResult(url, None, self.latency_seconds, error="connection refused")
        return ProbeResult(url, status, self.latency_seconds)

    def _answer(self, url: str) -> int | None:
        script = self._scripts.get(url)
        if script:
            return script.pop(0) if len(script) > 1 else script[0]
        host = urlsplit(url).hostname
        holders = [e for e in (self.beanstalk.live() if self.beanstalk else []) if e.cname == host]
        if not holders or holders[0].status == "Terminating":
            return None
        return self.version_answers.get(holders[0].version_label or "", 200)


class RecordingJournal:
    def __init__(self, run: Run, clock: Clock) -> None:
        self.run, self.clock = run, clock
        self.facts_log: list[dict[str, str | None]] = []
        self.events: list[EventRecord] = []
        self.crash_after_facts: int | None = None

    def record_facts(self, **changes: str | None) -> None:
        known = {f.name for f in fields(Facts)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown facts: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(self.run.facts, name, value)
        self.facts_log.append(dict(changes))
        if self.crash_after_facts is not None:
            self.crash_after_facts -= 1
            if self.crash_after_facts <= 0:
                self.crash_after_facts = None
                raise Crash("crashed after recording facts")

    def event(self, source: EventSource, message: str, **data: Any) -> None:
        self.events.append(EventRecord(self.run.id, self.clock.now(), source, message, data))

    def messages(self, source: EventSource | None = None) -> list[str]:
        return [e.message for e in self.events if source in (None, e.source)]


class FakeWaiter:
    def __init__(self, beanstalk: FakeBeanstalk, clock: FakeClock, interval: float = 5.0) -> None:
        self.beanstalk, self.clock, self.interval = beanstalk, clock, interval
        self.waits: list[str] = []

    def wait_for(
        self,
        what: str,
        application: str,
        environment_ids: Sequence[str],
        condition: Condition,
        deadline_seconds: float,
    ) -> Snapshot:
        self.waits.append(what)
        deadline = self.clock.monotonic() + deadline_seconds
        while True:
            found = self.beanstalk.describe_environments(
                application, ids=environment_ids, include_deleted=True
            )
            snapshot = {i: next((e for e in found if e.id == i), None) for i in environment_ids}
            if condition(snapshot):
                return snapshot
            if self.clock.monotonic() >= deadline:
                seen = ", ".join(f"{e.name} {e.status}/{e.health}" for e in found)
                raise DeadlineExceeded(
                    f"{what}: not done within {deadline_seconds:.0f} s (last seen: {seen})"
                )
            self.clock.sleep(self.interval)


@dataclass
class FakeWorld:
    """Every fake wired together, with one RecordingJournal per run."""

    clock: FakeClock = field(default_factory=FakeClock)
    deadlines: Deadlines = field(default_factory=Deadlines)
    journals: dict[str, RecordingJournal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.artifacts = FakeArtifactStore()
        self.beanstalk = FakeBeanstalk(self.clock, self.artifacts)
        self.probe = FakeHealthProbe(self.clock, self.beanstalk)
        self.waiter = FakeWaiter(self.beanstalk, self.clock)

    def seed_release(
        self,
        app: str = "shop",
        blue: str = "shop-blue",
        green: str = "shop-green",
        live_version: str = "v1",
        new_version: str = "v2",
        mode: Mode = Mode.FULL,
    ) -> Run:
        """An application whose blue runs `live_version` (Ready, Green) and a processed
        `new_version`, and a Run (state preflight) releasing it."""
        self.beanstalk.add_application(app)
        for label in (live_version, new_version):
            self.beanstalk.add_version(app, label)
        self.beanstalk.add_environment(app, blue, live_version, f"{blue}.{REGION}.eb.test")
        return make_run(app=app, blue=blue, green=green, version=new_version, mode=mode)

    def journal(self, run: Run) -> RecordingJournal:
        return self.journals.setdefault(run.id, RecordingJournal(run, self.clock))

    def context(self, run: Run) -> StepContext:
        return StepContext(
            run=run,
            beanstalk=self.beanstalk,
            artifacts=self.artifacts,
            probe=self.probe,
            waiter=self.waiter,
            journal=self.journal(run),
            clock=self.clock,
            deadlines=self.deadlines,
        )


def make_run(
    app: str = "shop",
    blue: str = "shop-blue",
    green: str = "shop-green",
    version: str = "v2",
    mode: Mode = Mode.FULL,
    bundle: Bundle | None = None,
    run_id: str = "r-0001",
    health: HealthCheck | None = None,
) -> Run:
    at = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    return Run(
        id=RunId(run_id),
        target=Target(REGION, app, blue),
        green=green,
        mode=mode,
        version_label=version,
        health=health or HealthCheck(interval_seconds=2.0, deadline_seconds=120.0),
        state=State.PREFLIGHT,
        created_at=at,
        updated_at=at,
        bundle=bundle,
    )


def _protocols_are_implemented(world: FakeWorld, run: Run) -> None:
    """Never called: mypy checks here that each fake implements its port."""
    _beanstalk: Beanstalk = world.beanstalk
    _artifacts: ArtifactStore = world.artifacts
    _probe: HealthProbe = world.probe
    _clock: Clock = world.clock
    _journal: Journal = world.journal(run)
    _waiter: Waiter = world.waiter
