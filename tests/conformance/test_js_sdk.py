"""A second, independent implementation of the protocol: the AWS SDK for JavaScript v3,
unpatched, against the simulator (js/conformance.mjs: versions with and without processing,
templates, environments from a template and from a platform, the SDK's three waiters, an
update with option settings, a swap, event paging, health, a refused option mapped to the
SDK's exception classes, dates, booleans and empty lists). Skipped, with the reason, where
node or npm is missing or the registry cannot be reached; required when CI=true."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from simulator.bundles import make_bundle
from simulator.eb.catalog import PLATFORMS
from tests.conformance.clients import ClientsUnavailable
from tests.conformance.conftest import APP, BLUE, World
from tests.conformance.js_sdk import ensure_js_sdk

pytestmark = [pytest.mark.conformance, pytest.mark.timeout(300)]

CASES = [
    "describe", "versions", "template", "environmentFromTemplate", "environmentFromPlatform",
    "updateWithOptions", "swap", "refusedOption", "modeledError", "eventPaging", "health",
    "terminate",
]  # fmt: skip


@pytest.fixture(scope="session")
def js_sdk() -> Path:
    try:
        return ensure_js_sdk()
    except ClientsUnavailable as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the AWS SDK for JavaScript is needed in CI and could not be had: {error}")
        pytest.skip(f"the AWS SDK for JavaScript could not be installed: {error}")


def _run(js_sdk: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", "conformance.mjs", *args],
        cwd=js_sdk,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_the_js_sdk_runs_a_deploy_pipeline_against_the_simulator(
    js_sdk: Path, world: World, tmp_path: Path
) -> None:
    bundle = tmp_path / "v3.zip"
    bundle.write_bytes(make_bundle("v3"))
    older = PLATFORMS[1]
    env = {k: v for k, v in world.clients.env.items() if k.startswith("AWS_")} | {
        "SIM_ENDPOINT": world.sim.endpoint_url,
        "SIM_APP": APP,
        "SIM_BLUE": BLUE,
        "SIM_BUCKET": world.target.bucket,
        "SIM_BUNDLE": str(bundle),
        "SIM_OLDER_ARN": older.arn(world.sim.region),
        "SIM_OLDER_STACK": older.stack,
        "NO_PROXY": "127.0.0.1,localhost",
    }

    done = _run(js_sdk, env)

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [f"ok - {case}" for case in CASES], done.stdout


class _Liar(BaseHTTPRequestHandler):
    """Answers every call with a DescribeEnvironments result whose DateCreated is no date."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = (
            '<DescribeEnvironmentsResponse xmlns="http://elasticbeanstalk.amazonaws.com/docs/'
            '2010-12-01/"><DescribeEnvironmentsResult><Environments><member>'
            f"<EnvironmentName>{BLUE}</EnvironmentName><Status>Ready</Status>"
            "<Health>Green</Health><DateCreated>yesterday</DateCreated>"
            "<AbortableOperationInProgress>false</AbortableOperationInProgress>"
            "</member></Environments></DescribeEnvironmentsResult>"
            "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
            "</DescribeEnvironmentsResponse>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """quiet"""


@pytest.fixture
def liar() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Liar)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_wrong_response_shape_fails_the_js_cases(js_sdk: Path, liar: str) -> None:
    # The same case that passes against the simulator fails on a date that is not one: the
    # suite checks shapes, it does not just print "ok".
    env = {
        "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "SIM_ENDPOINT": liar,
        "SIM_BLUE": BLUE,
    }

    done = _run(js_sdk, env, "describe")

    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("not ok - describe:"), done.stdout
