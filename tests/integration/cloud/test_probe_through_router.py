"""HttpxHealthProbe reaches environments by CNAME through the simulator's router, found via
HTTP_PROXY as a real proxy would be, and follows a CNAME swap."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from cloud.beanstalk import Boto3Beanstalk
from cloud.http_probe import HttpxHealthProbe
from engine.domain.ports.cloud import CreateEnvironmentRequest
from simulator import Simulator
from simulator.seed import ReleaseTarget
from tests.integration.cloud.helpers import ready, wait_for


@pytest.fixture
def probe(aws_env: Simulator) -> Iterator[HttpxHealthProbe]:
    """Built after aws_env set HTTP_PROXY (the router) and NO_PROXY (the AWS endpoint)."""
    with HttpxHealthProbe() as health_probe:
        yield health_probe


def test_the_probe_reaches_the_environment_holding_a_cname_and_follows_a_swap_once_dns_has(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget, probe: HttpxHealthProbe, aws_env: Simulator
) -> None:
    live_url = f"http://{target.cname}/"
    assert probe.probe(live_url, timeout_seconds=5).body_excerpt == "version v1"
    beanstalk.create_template("shop", "t", target.blue_id, "")
    request = CreateEnvironmentRequest("shop", "shop-green", "t", "v2")
    green = wait_for(beanstalk, beanstalk.create_environment(request).id, ready)

    beanstalk.swap_cnames(target.blue_id, green.id)
    wait_for(beanstalk, green.id, lambda env: ready(env) and env.cname == target.cname)
    time.sleep(aws_env.dns_settle_seconds)  # until the router's resolvers drop the old answer

    result = probe.probe(live_url, timeout_seconds=5)
    assert (result.status, result.body_excerpt) == (200, "version v2")


def test_a_cname_nobody_holds_does_not_answer_ok(probe: HttpxHealthProbe) -> None:
    result = probe.probe("http://nobody.us-east-1.elasticbeanstalk.com/", timeout_seconds=5)

    assert not result.ok([200])


def test_a_probe_of_the_load_balancer_reaches_that_environment_whatever_host_it_names(
    beanstalk: Boto3Beanstalk, target: ReleaseTarget, probe: HttpxHealthProbe
) -> None:
    """The verifying step's probe: blue's EndpointURL, the live CNAME as Host header. Right
    after a swap the live name still resolves to blue for cached clients, and the temporary
    one to green: the load balancer's name is the only one that never moves."""
    (blue,) = beanstalk.describe_environments(ids=[target.blue_id])
    assert blue.endpoint_url

    result = probe.probe(f"http://{blue.endpoint_url}/", timeout_seconds=5, host="elsewhere.test")

    assert (result.status, result.body_excerpt) == (200, "version v1")
