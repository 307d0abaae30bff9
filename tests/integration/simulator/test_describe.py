"""DescribeEnvironments filters and deleted environments, DescribeEnvironmentHealth,
ListTagsForResource, and the app servers' manifest-driven answers."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.integration.simulator.conftest import Stepped, failure


def _two_environments(stepped: Stepped) -> None:
    stepped.app()
    stepped.launch("shop-blue")
    stepped.launch("shop-green", version="v2", Tags=[{"Key": "run", "Value": "r-1"}])


def _names(stepped: Stepped, **filters: object) -> list[str]:
    envs = stepped.eb.describe_environments(**filters)["Environments"]
    return [f"{e['EnvironmentName']}:{e['Status']}" for e in envs]


def test_describe_environments_filters(stepped: Stepped) -> None:
    _two_environments(stepped)
    blue_id = stepped.env("shop-blue")["EnvironmentId"]
    assert _names(stepped) == ["shop-blue:Ready", "shop-green:Ready"]
    assert _names(stepped, VersionLabel="v2") == ["shop-green:Ready"]
    assert _names(stepped, EnvironmentIds=[blue_id]) == ["shop-blue:Ready"]
    assert _names(stepped, EnvironmentNames=["shop-green", "nobody"]) == ["shop-green:Ready"]
    assert _names(stepped, ApplicationName="other") == []
    first = stepped.eb.describe_environments(MaxRecords=1)
    rest = stepped.eb.describe_environments(MaxRecords=1, NextToken=first["NextToken"])
    assert [e["EnvironmentName"] for e in first["Environments"] + rest["Environments"]] == [
        "shop-blue",
        "shop-green",
    ]


def test_terminated_environments_are_listed_unless_excluded(stepped: Stepped) -> None:
    _two_environments(stepped)
    stepped.eb.terminate_environment(EnvironmentName="shop-green")
    stepped.advance(240)
    assert _names(stepped) == ["shop-blue:Ready", "shop-green:Terminated"]
    assert _names(stepped, IncludeDeleted=False) == ["shop-blue:Ready"]
    terminated_at = stepped.clock.now()
    assert _names(stepped, IncludeDeleted=True, IncludedDeletedBackTo=terminated_at) == [
        "shop-blue:Ready",
        "shop-green:Terminated",
    ]
    later = terminated_at + timedelta(seconds=1)
    assert _names(stepped, IncludeDeleted=True, IncludedDeletedBackTo=later) == ["shop-blue:Ready"]
    stepped.advance(3601)
    assert _names(stepped) == ["shop-blue:Ready"]


def test_environment_health_answers_only_the_attributes_asked_for(stepped: Stepped) -> None:
    _two_environments(stepped)
    plain = stepped.eb.describe_environment_health(EnvironmentName="shop-blue")
    assert set(plain) - {"ResponseMetadata"} == {"EnvironmentName"}
    full = stepped.eb.describe_environment_health(
        EnvironmentName="shop-blue", AttributeNames=["All"]
    )
    assert (full["Status"], full["Color"], full["HealthStatus"]) == ("Ready", "Green", "Ok")
    # all eight counters, as in the EB CLI's recorded DESCRIBE_ENVIRONMENT_HEALTH_RESPONSE
    zero = dict.fromkeys(("NoData", "Unknown", "Pending", "Info", "Warning", "Degraded"), 0)
    assert full["InstancesHealth"] == zero | {"Ok": 1, "Severe": 0}
    assert "RefreshedAt" in full
    some = stepped.eb.describe_environment_health(
        EnvironmentName="shop-blue", AttributeNames=["Color", "HealthStatus"]
    )
    assert set(some) - {"ResponseMetadata"} == {"EnvironmentName", "Color", "HealthStatus"}
    missing = failure(stepped.eb.describe_environment_health, EnvironmentName="nobody")
    assert missing.code == "InvalidRequestException"


def test_tags_of_an_environment_include_the_ones_eb_adds(stepped: Stepped) -> None:
    _two_environments(stepped)
    green = stepped.env("shop-green")
    answer = stepped.eb.list_tags_for_resource(ResourceArn=green["EnvironmentArn"])
    tags = {tag["Key"]: tag["Value"] for tag in answer["ResourceTags"]}
    assert tags == {
        "run": "r-1",
        "elasticbeanstalk:environment-name": "shop-green",
        "elasticbeanstalk:environment-id": green["EnvironmentId"],
        "Name": "shop-green",
    }
    assert answer["ResourceArn"] == green["EnvironmentArn"]


def test_tags_errors(stepped: Stepped) -> None:
    _two_environments(stepped)
    arn = stepped.env("shop-green")["EnvironmentArn"]
    stepped.eb.terminate_environment(EnvironmentName="shop-green")
    stepped.advance(240)
    gone = failure(stepped.eb.list_tags_for_resource, ResourceArn=arn)
    assert gone.code == "ResourceNotFoundException"
    kind = arn.replace(":environment/", ":platform/")
    assert failure(stepped.eb.list_tags_for_resource, ResourceArn=kind).code == (
        "ResourceTypeNotSupportedException"
    )
    app_arn = "arn:aws:elasticbeanstalk:us-east-1:123456789012:application/shop"
    assert stepped.eb.list_tags_for_resource(ResourceArn=app_arn)["ResourceTags"] == []


def test_app_servers_answer_as_the_manifest_says(stepped: Stepped) -> None:
    stepped.app(versions=())
    stepped.version("teapot", status=418, body="short and stout")
    stepped.version("flappy", flap=1)
    stepped.advance(5)
    stepped.launch("shop-blue", version="teapot")
    stepped.launch("shop-green", version="flappy")
    teapot = stepped.sim.app_url("shop-blue")
    with httpx.Client() as http:
        answer = http.get(f"{teapot}/anything")
        assert (answer.status_code, answer.text) == (418, "short and stout")
        assert answer.headers["X-Bluegreen-Version"] == "teapot"
        flappy = stepped.sim.app_url("shop-green")
        assert [http.get(f"{flappy}/").status_code for _ in range(4)] == [200, 503, 200, 503]


def test_an_app_answers_503_while_launching(stepped: Stepped) -> None:
    stepped.app()
    created = stepped.eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-blue",
        SolutionStackName="64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
    )
    assert stepped.sim.get(f"http://{created['CNAME']}/")[0] == 503
    stepped.advance(180)
    assert stepped.sim.get(f"http://{created['CNAME']}/") == (
        200,
        "Elastic Beanstalk sample application",
    )


def test_a_version_with_flapping_health_alternates_green_and_yellow(stepped: Stepped) -> None:
    stepped.app(versions=())
    stepped.version("flaky", health_flap=30)
    stepped.advance(5)
    stepped.launch("shop-blue", version="flaky")
    assert stepped.env("shop-blue")["Health"] == "Green"
    stepped.advance(30)
    env = stepped.env("shop-blue")
    assert (env["Status"], env["Health"], env["HealthStatus"]) == ("Ready", "Yellow", "Warning")
    stepped.advance(30)
    assert stepped.env("shop-blue")["Health"] == "Green"
    transitions = stepped.messages(EnvironmentName="shop-blue", Severity="WARN")
    assert transitions[0].startswith("Environment health has transitioned from Ok to Warning.")
