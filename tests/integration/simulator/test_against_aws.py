"""Answers that real AWS gives too: each test runs on the simulator, and also on a real
account with BLUEGREEN_REAL_AWS=1 (read-only calls and calls that fail, so nothing is made)."""

from __future__ import annotations

import uuid

from tests.conftest import AwsClients
from tests.integration.simulator.conftest import failure


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def test_describing_unknown_things_answers_empty_lists(aws_clients: AwsClients) -> None:
    eb = aws_clients.client("elasticbeanstalk")
    name = _unique("bg-none")
    assert eb.describe_applications(ApplicationNames=[name])["Applications"] == []
    assert eb.describe_environments(EnvironmentNames=[name])["Environments"] == []


def test_a_free_cname_prefix_is_available(aws_clients: AwsClients) -> None:
    eb = aws_clients.client("elasticbeanstalk")
    prefix = _unique("bg-free")
    answer = eb.check_dns_availability(CNAMEPrefix=prefix)
    assert answer["Available"] is True
    assert answer["FullyQualifiedCNAME"].startswith(f"{prefix}.")


def test_updating_an_unknown_environment_fails(aws_clients: AwsClients) -> None:
    eb = aws_clients.client("elasticbeanstalk")
    name = _unique("bg-ghost")[:40]
    error = failure(eb.update_environment, EnvironmentName=name, VersionLabel="v1")
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        f"No Environment found for EnvironmentName = '{name}'.",
    )


def test_a_version_of_an_unknown_application_fails(aws_clients: AwsClients) -> None:
    eb = aws_clients.client("elasticbeanstalk")
    app = _unique("bg-ghost")
    error = failure(eb.create_application_version, ApplicationName=app, VersionLabel="v1")
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        f"No Application named '{app}' found.",
    )
