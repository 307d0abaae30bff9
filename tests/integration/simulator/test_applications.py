"""Applications and application versions: creation, processing, errors, deletion."""

from __future__ import annotations

from tests.integration.simulator.conftest import STACK, Stepped, failure


def test_create_and_describe_an_application(stepped: Stepped) -> None:
    created = stepped.eb.create_application(ApplicationName="shop", Description="the shop")
    app = created["Application"]
    assert (
        app["ApplicationArn"] == "arn:aws:elasticbeanstalk:us-east-1:123456789012:application/shop"
    )
    described = stepped.eb.describe_applications(ApplicationNames=["shop"])["Applications"]
    assert [(a["ApplicationName"], a["Description"]) for a in described] == [("shop", "the shop")]
    assert stepped.eb.describe_applications(ApplicationNames=["other"])["Applications"] == []


def test_a_duplicate_application_fails(stepped: Stepped) -> None:
    stepped.eb.create_application(ApplicationName="shop")
    error = failure(stepped.eb.create_application, ApplicationName="shop")
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "Application shop already exists.",
    )


def test_a_processed_version_goes_from_processing_to_processed(stepped: Stepped) -> None:
    stepped.s3.create_bucket(Bucket="artifacts")
    stepped.eb.create_application(ApplicationName="shop")
    stepped.version("v1")
    assert _status(stepped, "v1") == "PROCESSING"
    stepped.advance(5)
    assert _status(stepped, "v1") == "PROCESSED"


def test_an_unprocessed_version_stays_unprocessed_and_is_deployable(stepped: Stepped) -> None:
    stepped.app(versions=())
    stepped.version("v1")
    stepped.eb.create_application_version(
        ApplicationName="shop",
        VersionLabel="raw",
        SourceBundle={"S3Bucket": "artifacts", "S3Key": "shop/v1.zip"},
        Process=False,
    )
    stepped.advance(60)
    assert _status(stepped, "raw") == "UNPROCESSED"
    stepped.launch("shop-blue", version="raw")
    assert stepped.env("shop-blue")["Status"] == "Ready"


def test_a_bundle_missing_from_s3_fails_like_aws(stepped: Stepped) -> None:
    stepped.app(versions=())
    error = failure(
        stepped.eb.create_application_version,
        ApplicationName="shop",
        VersionLabel="v9",
        SourceBundle={"S3Bucket": "artifacts", "S3Key": "nope.zip"},
        Process=True,
    )
    assert error.code == "InvalidParameterCombination"
    assert error.message == (
        "Unable to download from S3 location (Bucket: artifacts Key: nope.zip). Reason: Not Found"
    )
    missing_bucket = failure(
        stepped.eb.create_application_version,
        ApplicationName="shop",
        VersionLabel="v9",
        SourceBundle={"S3Bucket": "no-such-bucket", "S3Key": "v9.zip"},
    )
    assert missing_bucket.code == "InvalidParameterCombination"


def test_a_bundle_that_is_not_a_zip_fails_processing(stepped: Stepped) -> None:
    stepped.app(versions=())
    stepped.s3.put_object(Bucket="artifacts", Key="junk.zip", Body=b"not a zip")
    stepped.eb.create_application_version(
        ApplicationName="shop",
        VersionLabel="junk",
        SourceBundle={"S3Bucket": "artifacts", "S3Key": "junk.zip"},
        Process=True,
    )
    stepped.advance(5)
    assert _status(stepped, "junk") == "FAILED"
    error = failure(
        stepped.eb.create_environment,
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        SolutionStackName=STACK,
        VersionLabel="junk",
    )
    assert error.code == "InvalidParameterValue"


def test_a_duplicate_version_label_fails(stepped: Stepped) -> None:
    stepped.app(versions=("v1",))
    error = failure(
        stepped.eb.create_application_version, ApplicationName="shop", VersionLabel="v1"
    )
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "Application Version v1 already exists.",
    )


def test_a_version_of_an_unknown_application_fails_unless_auto_created(stepped: Stepped) -> None:
    error = failure(
        stepped.eb.create_application_version, ApplicationName="ghost", VersionLabel="v1"
    )
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "No Application named 'ghost' found.",
    )
    stepped.eb.create_application_version(
        ApplicationName="ghost", VersionLabel="v1", AutoCreateApplication=True
    )
    apps = stepped.eb.describe_applications()["Applications"]
    assert [(a["ApplicationName"], a["Versions"]) for a in apps] == [("ghost", ["v1"])]


def test_versions_are_described_newest_first_and_paginated(stepped: Stepped) -> None:
    stepped.app(versions=("v1", "v2", "v3"))
    first = stepped.eb.describe_application_versions(ApplicationName="shop", MaxRecords=2)
    assert [v["VersionLabel"] for v in first["ApplicationVersions"]] == ["v3", "v2"]
    rest = stepped.eb.describe_application_versions(
        ApplicationName="shop", MaxRecords=2, NextToken=first["NextToken"]
    )
    assert [v["VersionLabel"] for v in rest["ApplicationVersions"]] == ["v1"]
    assert "NextToken" not in rest
    only = stepped.eb.describe_application_versions(ApplicationName="shop", VersionLabels=["v2"])
    version = only["ApplicationVersions"][0]
    assert version["SourceBundle"] == {"S3Bucket": "artifacts", "S3Key": "shop/v2.zip"}
    assert version["ApplicationVersionArn"].endswith(":applicationversion/shop/v2")


def test_a_version_in_use_cannot_be_deleted(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    error = failure(
        stepped.eb.delete_application_version, ApplicationName="shop", VersionLabel="v1"
    )
    assert error.code == "InvalidParameterValue"
    stepped.eb.delete_application_version(ApplicationName="shop", VersionLabel="v2")
    labels = stepped.eb.describe_applications()["Applications"][0]["Versions"]
    assert labels == ["v1"]


def test_an_application_with_running_environments_is_deleted_only_by_force(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    error = failure(stepped.eb.delete_application, ApplicationName="shop")
    assert error.code == "InvalidParameterValue"
    stepped.eb.delete_application(ApplicationName="shop", TerminateEnvByForce=True)
    assert stepped.eb.describe_applications()["Applications"] == []
    assert stepped.env("shop-blue")["Status"] == "Terminating"


def _status(stepped: Stepped, label: str) -> str:
    versions = stepped.eb.describe_application_versions(
        ApplicationName="shop", VersionLabels=[label]
    )
    return str(versions["ApplicationVersions"][0]["Status"])
