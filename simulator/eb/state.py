"""The state of one region's Elastic Beanstalk, and the per-request context handlers work in."""

from __future__ import annotations

import random
import string
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.eb import errors
from simulator.eb.events import EventLog
from simulator.eb.models import Application, AppVersion, Completed, Environment, Event, Template
from simulator.faults import Faults
from simulator.load import Load
from simulator.timing import Timing

COMPLETED_KEPT = 10_000  # a long benchmark's operations; the oldest are dropped first
Bundles = Callable[[str, str], bytes | None]  # (bucket, key) -> object bytes, None if absent


class RegionState:
    """Applications, versions, templates, environments (terminated ones too) and events."""

    def __init__(self, region: str, account: str) -> None:
        self.region = region
        self.account = account
        self.apps: dict[str, Application] = {}
        self.versions: dict[tuple[str, str], AppVersion] = {}
        self.templates: dict[tuple[str, str], Template] = {}
        self.envs: dict[str, Environment] = {}
        self.events = EventLog()
        # Every operation's real end, oldest first (simulator.eb.lifecycle appends).
        self.completed: deque[Completed] = deque(maxlen=COMPLETED_KEPT)

    def arn(self, kind: str, path: str) -> str:
        return f"arn:aws:elasticbeanstalk:{self.region}:{self.account}:{kind}/{path}"

    def app(self, name: str) -> Application:
        if name not in self.apps:
            raise errors.no_application(name)
        return self.apps[name]

    def version(self, app: str, label: str) -> AppVersion:
        if (app, label) not in self.versions:
            raise errors.no_version(label)
        return self.versions[(app, label)]

    def template(self, app: str, name: str) -> Template:
        if (app, name) not in self.templates:
            raise errors.no_template(name)
        return self.templates[(app, name)]

    def live_envs(self) -> list[Environment]:
        return [env for env in self.envs.values() if env.live]

    def live_env(self, name: str) -> Environment | None:
        return next((env for env in self.live_envs() if env.name == name), None)

    def target(self, params: Mapping[str, Any], prefix: str = "") -> Environment:
        """The live environment named by `<prefix>EnvironmentId` or `<prefix>EnvironmentName`."""
        env_id, name = params.get(f"{prefix}EnvironmentId"), params.get(f"{prefix}EnvironmentName")
        if env_id is not None:
            env = self.envs.get(env_id)
            if env is None or not env.live or (name is not None and env.name != name):
                raise errors.no_environment("EnvironmentId", env_id)
            return env
        if name is not None:
            found = self.live_env(name)
            if found is None:
                raise errors.no_environment("EnvironmentName", name)
            return found
        raise errors.combination(
            f"You must specify either {prefix}EnvironmentId or {prefix}EnvironmentName."
        )

    def cname_holder(self, cname: str) -> Environment | None:
        return next((env for env in self.live_envs() if env.cname == cname), None)

    def endpoint_holder(self, host: str) -> Environment | None:
        return next((env for env in self.live_envs() if env.endpoint == host), None)


def random_id(length: int) -> str:
    return "".join(random.choices(string.ascii_lowercase + string.digits, k=length))


@dataclass
class Context:
    """One request (or one tick of the clock): the state, the time, and what to do afterwards."""

    state: RegionState
    now: datetime
    request_id: str
    timing: Timing
    faults: Faults
    bundles: Bundles
    after: list[Callable[[], None]] = field(default_factory=list)  # run outside the lock
    endpoint_url: str = ""  # where clients reach the simulated S3 (log URLs)
    load: Load = field(default_factory=Load)  # requests per second per CNAME (simulator.load)

    def event(
        self,
        message: str,
        severity: str = "INFO",
        *,
        env: Environment | None = None,
        app: str | None = None,
        version: str | None = None,
        template: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.state.events.add(
            Event(
                seq=0,
                date=self.now,
                message=message,
                severity=severity,
                app=env.app if env else app,
                env_name=env.name if env else None,
                env_id=env.id if env else None,
                version_label=version,
                template_name=template,
                request_id=(self.request_id if request_id is None else request_id) or None,
            )
        )
