"""The operations AWS's own clients call besides the release ones: the platform catalogue,
environment resources, instance health, the storage location and environment info (logs)."""

from __future__ import annotations

import io
import urllib.request
import zipfile

from tests.integration.simulator.conftest import STACK, Stepped, failure

PLATFORM = (
    "arn:aws:elasticbeanstalk:us-east-1::platform/"
    "Python 3.11 running on 64bit Amazon Linux 2023/4.3.0"
)
OLDER = PLATFORM.replace("4.3.0", "4.1.2")
OLDER_STACK = STACK.replace("4.3.0", "4.1.2")
BRANCH = "Python 3.11 running on 64bit Amazon Linux 2023"


def test_the_solution_stacks_list_the_stack_environments_run(stepped: Stepped) -> None:
    stacks = stepped.eb.list_available_solution_stacks()

    assert stacks["SolutionStacks"] == [STACK, OLDER_STACK]
    assert stacks["SolutionStackDetails"][0]["PermittedFileTypes"] == ["zip"]


def test_the_platform_version_is_described_by_its_arn(stepped: Stepped) -> None:
    platform = stepped.eb.describe_platform_version(PlatformArn=PLATFORM)["PlatformDescription"]

    assert (platform["PlatformArn"], platform["PlatformStatus"]) == (PLATFORM, "Ready")
    assert (platform["PlatformBranchName"], platform["SolutionStackName"]) == (BRANCH, STACK)
    unknown = failure(stepped.eb.describe_platform_version, PlatformArn=PLATFORM + "9")
    assert unknown.code == "InvalidParameterValue"


def test_platform_branches_are_filtered_as_asked(stepped: Stepped) -> None:
    def branches(**filter_: object) -> list[str]:
        found = stepped.eb.list_platform_branches(Filters=[filter_])
        return [b["BranchName"] for b in found["PlatformBranchSummaryList"]]

    assert branches(Attribute="BranchName", Operator="=", Values=[BRANCH]) == [BRANCH]
    assert branches(Attribute="PlatformName", Operator="=", Values=["Go"]) == []
    assert branches(Attribute="LifecycleState", Operator="!=", Values=["Retired"]) == [BRANCH]


def test_platform_versions_are_filtered_as_asked(stepped: Stepped) -> None:
    def versions(**filter_: object) -> list[str]:
        found = stepped.eb.list_platform_versions(Filters=[filter_])
        return [v["PlatformArn"] for v in found["PlatformSummaryList"]]

    assert versions(Type="PlatformBranchName", Operator="=", Values=[BRANCH]) == [PLATFORM, OLDER]
    assert versions(Type="PlatformOwner", Operator="=", Values=["AWSElasticBeanstalk"]) == [
        PLATFORM,
        OLDER,
    ]
    assert versions(Type="PlatformName", Operator="begins_with", Values=["Node"]) == []
    assert versions(Type="PlatformLifecycleState", Operator="=", Values=["Recommended"]) == [
        PLATFORM
    ]


def test_platform_versions_compare_as_numbers_not_text(stepped: Stepped) -> None:
    # As text "4.3.0" >= "4.10.0"; as versions it is older (API reference, PlatformFilter).
    def versions(operator: str, value: str) -> list[str]:
        found = stepped.eb.list_platform_versions(
            Filters=[{"Type": "PlatformVersion", "Operator": operator, "Values": [value]}]
        )
        return [v["PlatformVersion"] for v in found["PlatformSummaryList"]]

    assert versions(">=", "4.10.0") == []
    assert versions("<", "4.10.0") == ["4.3.0", "4.1.2"]
    assert versions(">", "4.2") == ["4.3.0"]
    assert versions("<=", "4.1.2") == ["4.1.2"]


def test_configuration_options_describe_the_defaults(stepped: Stepped) -> None:
    options = stepped.eb.describe_configuration_options(SolutionStackName=STACK)["Options"]

    by_name = {(o["Namespace"], o["Name"]): o.get("DefaultValue") for o in options}
    assert by_name[("aws:autoscaling:asg", "MaxSize")] == "4"
    assert by_name[("aws:elasticbeanstalk:environment", "LoadBalancerIsShared")] == "false"


def test_environment_resources_name_the_load_balancer_group_and_instance(
    stepped: Stepped,
) -> None:
    stepped.app()
    blue = stepped.launch("shop-blue")

    found = stepped.eb.describe_environment_resources(EnvironmentName="shop-blue")
    resources = found["EnvironmentResources"]

    assert resources["EnvironmentName"] == "shop-blue"
    assert blue["EnvironmentId"] in resources["AutoScalingGroups"][0]["Name"]
    assert ":loadbalancer/app/" in resources["LoadBalancers"][0]["Name"]
    assert resources["Instances"][0]["Id"].startswith("i-0")


def test_instance_health_reports_each_instance_with_the_fields_asked(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    health = stepped.eb.describe_instances_health(
        EnvironmentName="shop-blue", AttributeNames=["All"]
    )
    instance = health["InstanceHealthList"][0]

    assert (instance["HealthStatus"], instance["Color"]) == ("Ok", "Green")
    assert instance["Deployment"]["VersionLabel"] == "v1"
    assert instance["InstanceType"] == "t3.micro" and instance["AvailabilityZone"] == "us-east-1a"
    bare = stepped.eb.describe_instances_health(EnvironmentName="shop-blue")
    assert set(bare["InstanceHealthList"][0]) == {"InstanceId"}


def test_the_storage_location_is_a_bucket_in_the_simulated_s3(stepped: Stepped) -> None:
    bucket = stepped.eb.create_storage_location()["S3Bucket"]

    assert bucket == "elasticbeanstalk-us-east-1-123456789012"
    stepped.s3.head_bucket(Bucket=bucket)
    assert stepped.eb.create_storage_location()["S3Bucket"] == bucket  # idempotent


def test_requested_tail_logs_are_retrieved_from_a_url_in_the_simulated_s3(
    stepped: Stepped,
) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    stepped.eb.request_environment_info(EnvironmentName="shop-blue", InfoType="tail")
    info = stepped.eb.retrieve_environment_info(EnvironmentName="shop-blue", InfoType="tail")

    entry = info["EnvironmentInfo"][0]
    assert entry["Message"].startswith(stepped.sim.endpoint_url + "/")  # loopback only
    with urllib.request.urlopen(entry["Message"], timeout=5) as response:
        assert b"shop-blue: serving version v1" in response.read()
    assert stepped.messages(EnvironmentName="shop-blue")[0] == (
        "Pulled logs for environment instances."
    )
    bundles = stepped.eb.retrieve_environment_info(EnvironmentName="shop-blue", InfoType="bundle")
    assert bundles["EnvironmentInfo"] == []


def test_requested_bundle_logs_are_a_zip_in_the_simulated_s3(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")

    stepped.eb.request_environment_info(EnvironmentName="shop-blue", InfoType="bundle")
    info = stepped.eb.retrieve_environment_info(EnvironmentName="shop-blue", InfoType="bundle")

    with urllib.request.urlopen(info["EnvironmentInfo"][0]["Message"], timeout=5) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    assert b"serving version v1" in archive.read("var/log/web.stdout.log")


def test_deleting_a_version_with_its_source_bundle_deletes_the_bundle(stepped: Stepped) -> None:
    stepped.app()

    stepped.eb.delete_application_version(
        ApplicationName="shop", VersionLabel="v2", DeleteSourceBundle=True
    )
    stepped.eb.delete_application_version(ApplicationName="shop", VersionLabel="v1")

    keys = [o["Key"] for o in stepped.s3.list_objects_v2(Bucket="artifacts")["Contents"]]
    assert keys == ["shop/v1.zip"]  # v1 was deleted without its bundle
    assert (
        stepped.eb.describe_application_versions(ApplicationName="shop")["ApplicationVersions"]
        == []
    )
