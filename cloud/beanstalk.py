"""Boto3Beanstalk: the Beanstalk port over boto3 (Elastic Beanstalk, plus STS for identity).

Every method translates botocore errors into `engine.domain.errors`; list calls follow NextToken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import boto3

from cloud.aws import AwsConfig, make_client
from cloud.aws_calls import CallRecorder, RetryReporter
from cloud.beanstalk_mapping import (
    create_environment_params,
    describe_environments_params,
    oldest_first,
    to_environment,
    to_event,
    to_instance,
    to_managed_action,
    to_settings,
    to_version,
)
from cloud.retry_policy import limit_resends
from cloud.translate import translate_errors
from engine.domain.aws_names import description_within_limit
from engine.domain.errors import NotFoundError
from engine.domain.ports.cloud import (
    ApplicationVersion,
    CreateEnvironmentRequest,
    EbEvent,
    Environment,
    Instance,
    ManagedAction,
    OptionKey,
)

if TYPE_CHECKING:
    from collections import Counter

    from mypy_boto3_elasticbeanstalk import ElasticBeanstalkClient
    from mypy_boto3_elasticbeanstalk.type_defs import ConfigurationOptionSettingTypeDef
    from mypy_boto3_sts import STSClient


class Boto3Beanstalk:
    """Elastic Beanstalk in one region. `api_calls` counts calls per operation (thread-safe);
    `on_retry`, when set, hears about every failed attempt botocore saw (it may retry it);
    `page_size` (MaxRecords of the list calls) is left to AWS unless given."""

    def __init__(
        self,
        session: boto3.Session,
        config: AwsConfig,
        on_retry: RetryReporter | None = None,
        page_size: int | None = None,
    ) -> None:
        self._paging = {"MaxRecords": page_size} if page_size else {}
        self._recorder = CallRecorder(on_retry)
        self._eb = cast("ElasticBeanstalkClient", make_client(session, "elasticbeanstalk", config))
        self._sts = cast("STSClient", make_client(session, "sts", config))
        self._recorder.attach(self._eb)
        limit_resends(self._eb)
        self._recorder.attach(self._sts)

    @property
    def api_calls(self) -> Counter[str]:
        return self._recorder.api_calls

    @translate_errors()
    def caller_identity(self) -> str:
        return self._sts.get_caller_identity()["Arn"]

    @translate_errors()
    def application_exists(self, application: str) -> bool:
        answer = self._eb.describe_applications(ApplicationNames=[application])
        return bool(answer.get("Applications"))

    @translate_errors()
    def describe_environments(
        self,
        application: str | None = None,
        names: Sequence[str] = (),
        ids: Sequence[str] = (),
        include_deleted: bool = False,
    ) -> list[Environment]:
        params = describe_environments_params(
            application, tuple(names), tuple(ids), include_deleted
        )
        params.update(self._paging)
        items = all_pages(self._eb.describe_environments, params, "Environments")
        return [to_environment(item) for item in items]

    @translate_errors()
    def environment_tags(self, environment_arn: str) -> dict[str, str]:
        answer = self._eb.list_tags_for_resource(ResourceArn=environment_arn)
        return {tag["Key"]: tag.get("Value", "") for tag in answer.get("ResourceTags", [])}

    @translate_errors()
    def get_version(self, application: str, label: str) -> ApplicationVersion | None:
        answer = self._eb.describe_application_versions(
            ApplicationName=application, VersionLabels=[label]
        )
        versions = answer.get("ApplicationVersions", [])
        return to_version(versions[0]) if versions else None

    @translate_errors()
    def create_version(
        self, application: str, label: str, bucket: str, key: str, description: str
    ) -> ApplicationVersion:
        answer = self._eb.create_application_version(
            ApplicationName=application,
            VersionLabel=label,
            Description=description_within_limit(description),  # EB: at most 200
            SourceBundle={"S3Bucket": bucket, "S3Key": key},
            Process=True,
        )
        return to_version(answer["ApplicationVersion"])

    def template_exists(self, application: str, template_name: str) -> bool:
        try:
            with translate_errors():
                self._eb.describe_configuration_settings(
                    ApplicationName=application, TemplateName=template_name
                )
        except NotFoundError as error:
            if "configuration template" in str(error).lower():
                return False
            raise
        return True

    @translate_errors()
    def create_template(
        self, application: str, template_name: str, environment_id: str, description: str
    ) -> None:
        self._eb.create_configuration_template(
            ApplicationName=application,
            TemplateName=template_name,
            EnvironmentId=environment_id,
            Description=description_within_limit(description),  # EB: at most 200
        )

    @translate_errors()
    def delete_template(self, application: str, template_name: str) -> None:
        self._eb.delete_configuration_template(
            ApplicationName=application, TemplateName=template_name
        )

    @translate_errors()
    def create_environment(self, request: CreateEnvironmentRequest) -> Environment:
        answer = self._eb.create_environment(**create_environment_params(request))
        return to_environment(answer)

    @translate_errors()
    def deploy_version(self, environment_id: str, version_label: str) -> None:
        self._eb.update_environment(EnvironmentId=environment_id, VersionLabel=version_label)

    @translate_errors()
    def deploy_traffic_split(
        self, environment_id: str, version_label: str, percent: int, minutes: int
    ) -> None:
        # The EB developer guide, "Traffic-splitting deployments" and "General options for all
        # environments": DeploymentPolicy=TrafficSplitting in aws:elasticbeanstalk:command,
        # NewVersionPercent and EvaluationTime (minutes) in aws:elasticbeanstalk:trafficsplitting.
        settings = [
            ("aws:elasticbeanstalk:command", "DeploymentPolicy", "TrafficSplitting"),
            ("aws:elasticbeanstalk:trafficsplitting", "NewVersionPercent", str(percent)),
            ("aws:elasticbeanstalk:trafficsplitting", "EvaluationTime", str(minutes)),
        ]
        self._eb.update_environment(
            EnvironmentId=environment_id,
            VersionLabel=version_label,
            OptionSettings=[
                {"Namespace": ns, "OptionName": name, "Value": value}
                for ns, name, value in settings
            ],
        )

    @translate_errors()
    def option_value(
        self, application: str, environment_name: str, namespace: str, option: str
    ) -> str | None:
        found = self._eb.describe_configuration_settings(
            ApplicationName=application, EnvironmentName=environment_name
        )
        for settings in found.get("ConfigurationSettings", []):
            for item in settings.get("OptionSettings", []):
                if item.get("Namespace") == namespace and item.get("OptionName") == option:
                    value = item.get("Value")
                    return None if value is None else str(value)
        return None

    @translate_errors()
    def swap_cnames(self, source_environment_id: str, destination_environment_id: str) -> None:
        self._eb.swap_environment_cnames(
            SourceEnvironmentId=source_environment_id,
            DestinationEnvironmentId=destination_environment_id,
        )

    @translate_errors()
    def terminate_environment(self, environment_id: str) -> None:
        self._eb.terminate_environment(EnvironmentId=environment_id, TerminateResources=True)

    @translate_errors()
    def abort_update(self, environment_id: str) -> None:
        self._eb.abort_environment_update(EnvironmentId=environment_id)

    @translate_errors()
    def events(
        self, application: str, since: datetime, environment_names: Sequence[str] = ()
    ) -> list[EbEvent]:
        """One DescribeEvents for the whole application; names are filtered here, so one call
        serves every environment of the app (events without an environment are dropped then).
        `since` is inclusive, as on AWS: the caller drops events it has already seen."""
        params = {"ApplicationName": application, "StartTime": since, **self._paging}
        items = all_pages(self._eb.describe_events, params, "Events")
        events = [to_event(item) for item in items]
        if environment_names:
            wanted = set(environment_names)
            events = [event for event in events if event.environment_name in wanted]
        return oldest_first(events)

    @translate_errors()
    def instances(self, environment_id: str) -> list[Instance]:
        params = {"EnvironmentId": environment_id, "AttributeNames": ["All"]}
        items = all_pages(self._eb.describe_instances_health, params, "InstanceHealthList")
        return [to_instance(item) for item in items]

    @translate_errors()
    def option_settings(
        self,
        application: str,
        environment_name: str | None = None,
        template_name: str | None = None,
    ) -> dict[OptionKey, str]:
        named = (
            {"EnvironmentName": environment_name}
            if environment_name
            else {"TemplateName": template_name or ""}
        )
        answer = self._eb.describe_configuration_settings(ApplicationName=application, **named)
        found = answer.get("ConfigurationSettings") or [{}]
        return to_settings(list(found[0].get("OptionSettings") or []))

    @translate_errors()
    def update_options(self, environment_id: str, settings: Mapping[OptionKey, str]) -> None:
        options: list[ConfigurationOptionSettingTypeDef] = [
            {"Namespace": namespace, "OptionName": name, "Value": value}
            for (namespace, name), value in settings.items()
        ]
        self._eb.update_environment(EnvironmentId=environment_id, OptionSettings=options)

    @translate_errors()
    def managed_actions(self, environment_id: str) -> list[ManagedAction]:
        answer = self._eb.describe_environment_managed_actions(EnvironmentId=environment_id)
        return [to_managed_action(item) for item in answer.get("ManagedActions", [])]


def all_pages(
    call: Callable[..., Mapping[str, Any]], params: Mapping[str, Any], items_key: str
) -> list[Mapping[str, Any]]:
    """Every item of a NextToken-paginated call."""
    items: list[Mapping[str, Any]] = []
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = call(**params, **({"NextToken": token} if token else {}))
        items.extend(page.get(items_key, []))
        token = page.get("NextToken")
        if not token or token in seen:  # a repeated token would loop forever
            return items
        seen.add(token)
