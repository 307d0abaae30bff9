"""Boto3Beanstalk's read methods against the simulator over HTTP.

Reads change nothing, so this module seeds one release target (blue, and a green made from
a template) and every test reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from cloud.beanstalk import Boto3Beanstalk
from engine.domain.ports.cloud import CreateEnvironmentRequest, Environment
from simulator import Simulator
from simulator.seed import ReleaseTarget, seed_release_target
from tests.integration.cloud.helpers import beanstalk_for, point_aws_at, ready, wait_for

TEMPLATE = "bluegreen-run-1"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    simulator: Simulator
    beanstalk: Boto3Beanstalk
    target: ReleaseTarget
    green: Environment


@pytest.fixture(scope="module")
def seeded(
    running_simulator: Simulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    running_simulator.reset()
    with pytest.MonkeyPatch.context() as monkeypatch:
        point_aws_at(running_simulator, tmp_path_factory.mktemp("aws"), monkeypatch)
        beanstalk = beanstalk_for(running_simulator, [])
        target = seed_release_target(running_simulator)
        yield Seeded(running_simulator, beanstalk, target, launch_green(beanstalk, target))
    running_simulator.reset()


def launch_green(beanstalk: Boto3Beanstalk, target: ReleaseTarget) -> Environment:
    beanstalk.create_template(target.app, TEMPLATE, target.blue_id, "bluegreen run run-1")
    request = CreateEnvironmentRequest(
        target.app, "shop-green", TEMPLATE, "v1", {"bluegreen:run-id": "run-1"}
    )
    green = beanstalk.create_environment(request)
    assert green.status == "Launching"
    return wait_for(beanstalk, green.id, ready)


def test_caller_identity_names_the_credentials_arn(seeded: Seeded) -> None:
    assert seeded.beanstalk.caller_identity().startswith("arn:aws:")


def test_application_exists_only_for_a_created_application(seeded: Seeded) -> None:
    assert seeded.beanstalk.application_exists("shop")
    assert not seeded.beanstalk.application_exists("no-such-app")


def test_the_live_environment_is_described_with_its_facts(seeded: Seeded) -> None:
    (blue,) = seeded.beanstalk.describe_environments("shop", names=["shop-blue"])

    assert (blue.id, blue.name, blue.application) == (seeded.target.blue_id, "shop-blue", "shop")
    assert (blue.status, blue.health, blue.version_label) == ("Ready", "Green", "v1")
    assert blue.cname == seeded.target.cname and blue.is_healthy
    assert blue.arn.startswith("arn:aws:elasticbeanstalk:") and blue.date_updated is not None
    assert seeded.beanstalk.describe_environments(ids=[seeded.target.blue_id]) == [blue]


def test_unknown_names_describe_no_environment(seeded: Seeded) -> None:
    assert seeded.beanstalk.describe_environments("shop", names=["shop-red"]) == []


def test_environments_are_listed_across_pages(seeded: Seeded) -> None:
    one_per_page = beanstalk_for(seeded.simulator, [], page_size=1)

    environments = one_per_page.describe_environments("shop")

    assert {env.name for env in environments} == {"shop-blue", "shop-green"}
    assert one_per_page.api_calls["DescribeEnvironments"] >= 2


def test_a_green_created_from_the_template_carries_the_run_tag(seeded: Seeded) -> None:
    assert seeded.beanstalk.environment_tags(seeded.green.arn)["bluegreen:run-id"] == "run-1"
    assert (seeded.green.version_label, seeded.green.template_name) == ("v1", TEMPLATE)
    assert seeded.green.cname and seeded.green.cname != seeded.target.cname


def test_a_version_is_found_with_its_status_and_a_missing_one_is_none(seeded: Seeded) -> None:
    version = seeded.beanstalk.get_version("shop", "v2")

    assert version is not None and version.status == "PROCESSED"
    assert (version.source_bucket, version.source_key) == ("artifacts", "shop/v2.zip")
    assert seeded.beanstalk.get_version("shop", "v9") is None


def test_a_template_exists_once_created(seeded: Seeded) -> None:
    assert seeded.beanstalk.template_exists("shop", TEMPLATE)
    assert not seeded.beanstalk.template_exists("shop", "bluegreen-run-2")


def test_events_of_the_asked_environments_come_oldest_first_across_pages(seeded: Seeded) -> None:
    calls_before = seeded.beanstalk.api_calls["DescribeEvents"]

    everything = seeded.beanstalk.events("shop", LONG_AGO)
    blues = seeded.beanstalk.events("shop", LONG_AGO, ["shop-blue"])

    assert seeded.beanstalk.api_calls["DescribeEvents"] - calls_before > 2  # several pages
    assert [event.at for event in everything] == sorted(event.at for event in everything)
    assert blues and {event.environment_name for event in blues} == {"shop-blue"}
    assert blues[0].message == "createEnvironment is starting."
    assert len(everything) > len(blues)


def test_events_since_a_moment_leave_older_ones_out(seeded: Seeded) -> None:
    latest = seeded.beanstalk.events("shop", LONG_AGO)[-1].at

    newer = seeded.beanstalk.events("shop", latest)

    assert newer and all(event.at >= latest for event in newer)
