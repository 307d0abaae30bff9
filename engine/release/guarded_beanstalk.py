"""A Beanstalk port around another that runs a step before and after every mutating call.

Reads pass straight through. The lease fence (`engine.release.fence`) checks the lease before
each change; the crash tests' hook (tests/plugins/bluegreen_crash_hooks.py) dies around one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from engine.domain.ports.cloud import (
    ApplicationVersion,
    Beanstalk,
    CreateEnvironmentRequest,
    EbEvent,
    Environment,
    Instance,
    ManagedAction,
    OptionKey,
)


class GuardedBeanstalk:
    """Calls `before(action)` and `after(action)` around each mutating call (EB's names)."""

    def __init__(self, inner: Beanstalk) -> None:
        self._inner = inner

    def before(self, action: str) -> None:
        """Runs before the call is sent; raising stops it."""

    def after(self, action: str) -> None:
        """Runs once the call returned."""

    def caller_identity(self) -> str:
        return self._inner.caller_identity()

    def application_exists(self, application: str) -> bool:
        return self._inner.application_exists(application)

    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        return self._inner.describe_environments(application, names, ids, include_deleted)

    def environment_tags(self, environment_arn: str) -> dict[str, str]:
        return self._inner.environment_tags(environment_arn)

    def get_version(self, application: str, label: str) -> ApplicationVersion | None:
        return self._inner.get_version(application, label)

    def template_exists(self, application: str, template_name: str) -> bool:
        return self._inner.template_exists(application, template_name)

    def events(
        self, application: str, since: datetime, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        return self._inner.events(application, since, environment_names)

    def instances(self, environment_id: str) -> list[Instance]:
        return self._inner.instances(environment_id)

    def option_settings(
        self,
        application: str,
        environment_name: str | None = None,
        template_name: str | None = None,
    ) -> dict[OptionKey, str]:
        return self._inner.option_settings(application, environment_name, template_name)

    def managed_actions(self, environment_id: str) -> list[ManagedAction]:
        return self._inner.managed_actions(environment_id)

    def update_options(self, environment_id: str, settings: Mapping[OptionKey, str]) -> None:
        self.before("UpdateEnvironment")
        self._inner.update_options(environment_id, settings)
        self.after("UpdateEnvironment")

    def create_version(
        self, application: str, label: str, bucket: str, key: str, description: str
    ) -> ApplicationVersion:
        self.before("CreateApplicationVersion")
        version = self._inner.create_version(application, label, bucket, key, description)
        self.after("CreateApplicationVersion")
        return version

    def create_template(
        self, application: str, template_name: str, environment_id: str, description: str
    ) -> None:
        self.before("CreateConfigurationTemplate")
        self._inner.create_template(application, template_name, environment_id, description)
        self.after("CreateConfigurationTemplate")

    def delete_template(self, application: str, template_name: str) -> None:
        self.before("DeleteConfigurationTemplate")
        self._inner.delete_template(application, template_name)
        self.after("DeleteConfigurationTemplate")

    def create_environment(self, request: CreateEnvironmentRequest) -> Environment:
        self.before("CreateEnvironment")
        environment = self._inner.create_environment(request)
        self.after("CreateEnvironment")
        return environment

    def deploy_version(self, environment_id: str, version_label: str) -> None:
        self.before("UpdateEnvironment")
        self._inner.deploy_version(environment_id, version_label)
        self.after("UpdateEnvironment")

    def deploy_traffic_split(
        self, environment_id: str, version_label: str, percent: int, minutes: int
    ) -> None:
        self.before("UpdateEnvironment")
        self._inner.deploy_traffic_split(environment_id, version_label, percent, minutes)
        self.after("UpdateEnvironment")

    def option_value(
        self, application: str, environment_name: str, namespace: str, option: str
    ) -> str | None:
        return self._inner.option_value(application, environment_name, namespace, option)

    def swap_cnames(self, source_environment_id: str, destination_environment_id: str) -> None:
        self.before("SwapEnvironmentCNAMEs")
        self._inner.swap_cnames(source_environment_id, destination_environment_id)
        self.after("SwapEnvironmentCNAMEs")

    def terminate_environment(self, environment_id: str) -> None:
        self.before("TerminateEnvironment")
        self._inner.terminate_environment(environment_id)
        self.after("TerminateEnvironment")

    def abort_update(self, environment_id: str) -> None:
        self.before("AbortEnvironmentUpdate")
        self._inner.abort_update(environment_id)
        self.after("AbortEnvironmentUpdate")
