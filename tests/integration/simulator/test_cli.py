"""`bluegreen simulator serve` and `demo`, run as a user runs them (subprocesses)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from simulator.seed import SOLUTION_STACK

BLUEGREEN = [sys.executable, "-c", "from engine.operator.cli import main; main()"]
SERVE = [*BLUEGREEN, "simulator", "serve", "--speed", "200"]


def _serve(*flags: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    process = subprocess.Popen([*SERVE, *flags], stdout=subprocess.PIPE, text=True)
    exports: dict[str, str] = {}
    assert process.stdout is not None
    for line in process.stdout:
        if not line.startswith("export "):
            break
        name, _, value = line.removeprefix("export ").rstrip("\n").partition("=")
        exports[name] = value
    try:
        yield process, exports
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    yield from _serve()


@pytest.fixture
def throttling() -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    yield from _serve("--throttle-rate", "1", "--seed", "1")


def test_serve_prints_what_a_client_needs(
    served: tuple[subprocess.Popen[str], dict[str, str]],
) -> None:
    _, exports = served
    assert exports["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    assert exports["HTTP_PROXY"] == exports["http_proxy"]
    assert exports["HTTP_PROXY"].startswith("http://127.0.0.1:")
    assert exports["NO_PROXY"] == exports["no_proxy"] == "127.0.0.1,localhost"
    assert exports["AWS_DEFAULT_REGION"] == "us-east-1"
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= set(exports)
    assert float(exports["BLUEGREEN_POLL_INTERVAL"]) == 0.05
    assert float(exports["BLUEGREEN_DNS_SETTLE"]) == pytest.approx(
        60 / 200 + 0.04
    )  # EB's TTL, scaled


def test_a_client_configured_by_the_exports_works_and_sigterm_stops_cleanly(
    served: tuple[subprocess.Popen[str], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    process, exports = served
    for name, value in exports.items():
        monkeypatch.setenv(name, value)
    boto3.client("s3").create_bucket(Bucket="artifacts")
    eb = boto3.client("elasticbeanstalk")
    eb.create_application(ApplicationName="shop")
    assert [a["ApplicationName"] for a in eb.describe_applications()["Applications"]] == ["shop"]
    eb.create_environment(  # its app server must stop with the simulator
        ApplicationName="shop", EnvironmentName="shop-blue", SolutionStackName=SOLUTION_STACK
    )
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
    with httpx.Client() as http:  # picks HTTP_PROXY up from the environment
        assert http.get("http://nowhere.example/").status_code == 502
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert process.stdout is not None
    assert "# simulator stopped" in process.stdout.read()


def test_sigint_stops_serve_cleanly(served: tuple[subprocess.Popen[str], dict[str, str]]) -> None:
    process, _ = served
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0


def test_demo_shows_the_router_following_the_swap_once_the_dns_ttl_expires() -> None:
    demo = subprocess.run(
        [*BLUEGREEN, "simulator", "demo", "--speed", "400"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_PROXY": "*"},
    )
    assert demo.returncode == 0, demo.stderr
    answers = [line for line in demo.stdout.splitlines() if "GET http://shop-live" in line]
    assert [line.split("-> ")[1] for line in answers] == [
        "200 'version v1'",
        "200 'version v1'",  # just after the swap: resolvers still hold the old answer
        "200 'version v2, the new one'",
        "200 'version v2, the new one'",
        "200 'version v1'",
    ]


def test_serve_dns_flags_set_the_ttl_and_the_linger() -> None:
    for _, exports in _serve("--dns-ttl", "0"):
        assert float(exports["BLUEGREEN_DNS_SETTLE"]) == 0.0
    for _, exports in _serve("--dns-ttl", "20", "--dns-linger", "20"):
        assert float(exports["BLUEGREEN_DNS_SETTLE"]) == pytest.approx(40 / 200 + 0.04)


def test_serve_help_explains_the_dns_model() -> None:
    shown = subprocess.run(
        [*BLUEGREEN, "simulator", "serve", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "--dns-ttl SECONDS" in shown and "--dns-linger SECONDS" in shown
    assert "EndpointURL" in shown and "--lose-response ACTION[:COUNT]" in shown


def test_serve_fault_flags_apply(
    throttling: tuple[subprocess.Popen[str], dict[str, str]],
) -> None:
    _, exports = throttling
    eb = boto3.client(
        "elasticbeanstalk",
        endpoint_url=exports["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"total_max_attempts": 1}),
    )
    with pytest.raises(ClientError, match="Rate exceeded"):
        eb.describe_applications()


def test_serve_load_puts_the_load_on_the_first_environments_cname() -> None:
    for _, exports in _serve("--load", "350", "--instance-rps", "50"):
        eb = boto3.client(
            "elasticbeanstalk",
            endpoint_url=exports["AWS_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        eb.create_application(ApplicationName="shop")
        created = eb.create_environment(
            ApplicationName="shop",
            EnvironmentName="shop-blue",
            SolutionStackName="64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
        )
        control = f"{exports['AWS_ENDPOINT_URL']}/_simulator/load"
        answer = httpx.get(control, timeout=10).json()
        assert answer == {"loads": {created["CNAME"]: 350.0}, "instance_rps": 50.0}
