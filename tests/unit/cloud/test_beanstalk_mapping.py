"""EB's API shapes map to the port's values; request parameters leave empty filters out."""

from __future__ import annotations

from datetime import UTC, datetime

from cloud.beanstalk_mapping import (
    create_environment_params,
    describe_environments_params,
    oldest_first,
    to_environment,
    to_event,
    to_version,
)
from engine.domain.ports.cloud import CreateEnvironmentRequest, EbEvent

UPDATED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_an_environment_description_maps_every_field_the_engine_reads() -> None:
    environment = to_environment(
        {
            "EnvironmentId": "e-abc",
            "EnvironmentName": "shop-blue",
            "ApplicationName": "shop",
            "EnvironmentArn": "arn:aws:elasticbeanstalk:eu-west-1:1:environment/shop/shop-blue",
            "Status": "Ready",
            "Health": "Green",
            "HealthStatus": "Ok",
            "VersionLabel": "v1",
            "CNAME": "shop.eu-west-1.elasticbeanstalk.com",
            "EndpointURL": "awseb-e-abc.elb.amazonaws.com",
            "TemplateName": "bluegreen-run-1",
            "DateUpdated": UPDATED,
            "AbortableOperationInProgress": True,
        }
    )

    assert (environment.id, environment.name, environment.application) == (
        "e-abc",
        "shop-blue",
        "shop",
    )
    assert environment.is_ready and environment.is_healthy and environment.abortable
    assert environment.cname == "shop.eu-west-1.elasticbeanstalk.com"
    assert environment.endpoint_url == "awseb-e-abc.elb.amazonaws.com"
    assert (environment.version_label, environment.template_name) == ("v1", "bluegreen-run-1")
    assert environment.date_updated == UPDATED
    assert environment.arn.endswith("shop-blue")


def test_a_launching_environment_without_health_yet_is_grey() -> None:
    environment = to_environment(
        {"EnvironmentId": "e-1", "EnvironmentName": "g", "ApplicationName": "a"}
    )

    assert (environment.health, environment.abortable, environment.cname) == ("Grey", False, None)


def test_a_version_keeps_its_status_and_source_bundle() -> None:
    version = to_version(
        {
            "ApplicationName": "shop",
            "VersionLabel": "v2",
            "Status": "PROCESSED",
            "SourceBundle": {"S3Bucket": "artifacts", "S3Key": "bluegreen/bundles/ab-shop.zip"},
        }
    )

    assert (version.label, version.status, version.source_bucket) == (
        "v2",
        "PROCESSED",
        "artifacts",
    )
    assert version.source_key == "bluegreen/bundles/ab-shop.zip"


def test_an_event_keeps_time_message_severity_and_environment() -> None:
    event = to_event(
        {
            "EventDate": UPDATED,
            "Message": "createEnvironment is starting.",
            "Severity": "INFO",
            "EnvironmentName": "shop-green",
            "RequestId": "req-1",
        }
    )

    assert event == EbEvent(
        UPDATED, "createEnvironment is starting.", "INFO", "shop-green", "req-1"
    )


def test_events_come_out_oldest_first_and_same_second_events_keep_their_real_order() -> None:
    later = datetime(2024, 5, 1, 12, 1, tzinfo=UTC)
    newest_first = [
        EbEvent(later, "third", "INFO"),
        EbEvent(UPDATED, "second", "INFO"),
        EbEvent(UPDATED, "first", "INFO"),
    ]

    assert [event.message for event in oldest_first(newest_first)] == ["first", "second", "third"]


def test_create_environment_passes_template_version_tags_and_cname_prefix() -> None:
    request = CreateEnvironmentRequest(
        "shop", "shop-green", "bluegreen-run-1", "v1", {"bluegreen:run-id": "run-1"}, "shop-green"
    )

    params = create_environment_params(request)

    assert params == {
        "ApplicationName": "shop",
        "EnvironmentName": "shop-green",
        "TemplateName": "bluegreen-run-1",
        "VersionLabel": "v1",
        "Tags": [{"Key": "bluegreen:run-id", "Value": "run-1"}],
        "CNAMEPrefix": "shop-green",
    }


def test_create_environment_leaves_the_cname_prefix_to_eb_when_none_is_asked() -> None:
    request = CreateEnvironmentRequest("shop", "shop-green", "t", "v1")

    assert "CNAMEPrefix" not in create_environment_params(request)


def test_describe_environments_leaves_empty_filters_out() -> None:
    assert describe_environments_params(None, (), (), False) == {"IncludeDeleted": False}
    assert describe_environments_params("shop", ("shop-blue",), ("e-1",), True) == {
        "IncludeDeleted": True,
        "ApplicationName": "shop",
        "EnvironmentNames": ["shop-blue"],
        "EnvironmentIds": ["e-1"],
    }
