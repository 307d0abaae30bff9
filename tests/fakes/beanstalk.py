"""FakeBeanstalk: an in-memory Elastic Beanstalk that checks preconditions like AWS
(ConflictError when not Ready, NotFoundError for unknown things); seeding helpers."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from engine.domain.errors import ConflictError, CredentialsError, NotFoundError
from engine.domain.ports.cloud import (
    ApplicationVersion,
    CreateEnvironmentRequest,
    EbEvent,
    Environment,
    Instance,
    ManagedAction,
    OptionKey,
)
from tests.fakes.environment import ACCOUNT, FakeEnvironment, _Version
from tests.fakes.lifecycle import EnvironmentLifecycle

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$")


class FakeBeanstalk(EnvironmentLifecycle):
    # --- test helpers ---------------------------------------------------------------------

    def add_application(self, name: str) -> None:
        self.applications.add(name)

    def add_version(self, app: str, label: str, status: str = "PROCESSED") -> None:
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
        version = ApplicationVersion(application, label, "PROCESSING", bucket, key)
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
        self.template_options[(application, template_name)] = dict(source.options)
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
        env.options = dict(
            self.template_options.get((request.application, request.template_name), env.options)
        )
        self._begin(env, "launch", request.version_label, fail=self.fail_launch)
        return self._leave("create_environment", env.view())

    def deploy_version(self, environment_id: str, version_label: str) -> None:
        self._enter("deploy_version")
        env = self._ready(environment_id)
        self._require_deployable(env.application, version_label)
        self._begin(env, "update", version_label, fail=self.fail_deploy)
        self._leave("deploy_version", None)

    def deploy_traffic_split(
        self, environment_id: str, version_label: str, percent: int, minutes: int
    ) -> None:
        self.deploy_version(environment_id, version_label)

    def option_value(
        self, application: str, environment_name: str, namespace: str, option: str
    ) -> str | None:
        if (namespace, option) == ("aws:elasticbeanstalk:environment", "LoadBalancerType"):
            return "application"
        return None

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

    def instances(self, environment_id: str) -> list[Instance]:
        self._enter("instances")
        return self._known(environment_id).instances()

    def option_settings(
        self,
        application: str,
        environment_name: str | None = None,
        template_name: str | None = None,
    ) -> dict[OptionKey, str]:
        self._enter("option_settings")
        if environment_name is not None:
            found = [e for e in self.live(application) if e.name == environment_name]
            if not found:
                raise NotFoundError(
                    f"No Environment found for EnvironmentName = '{environment_name}'."
                )
            return dict(found[-1].options)
        source = self.templates.get((application, template_name or ""))
        if source is None:
            raise NotFoundError(f"No Configuration Template named '{template_name}' found.")
        return dict(self.template_options.get((application, template_name or ""), {}))

    def update_options(self, environment_id: str, settings: Mapping[OptionKey, str]) -> None:
        self._enter("update_options")
        env = self._ready(environment_id)
        env.options.update(settings)
        self._begin(env, "update", env.version_label)
        self._leave("update_options", None)

    def managed_actions(self, environment_id: str) -> list[ManagedAction]:
        self._enter("managed_actions")
        return list(self._known(environment_id).managed)

    # --- preconditions, like AWS ----------------------------------------------------------

    def _require_app(self, application: str) -> None:
        if application not in self.applications:
            raise NotFoundError(f"No Application named '{application}' found.")

    def _require_deployable(self, application: str, label: str) -> None:
        stored = self.versions.get((application, label))
        if stored is None:
            raise NotFoundError(f"No Application Version named '{label}' found.")
        if stored.version.status.upper() not in ("PROCESSED", "UNPROCESSED"):
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
