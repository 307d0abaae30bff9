"""Prometheus metrics: a `bluegreen worker --metrics-port` scraped during and after a release
it drives, and `bluegreen metrics --textfile` written from the same history."""

from __future__ import annotations

import signal
import socket
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from simulator.seed import ReleaseTarget
from tests.e2e.cli import Cli
from tests.e2e.test_workers import submit, wait_for_state


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str,
          **labels: str) -> float:  # fmt: skip
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5, trust_env=False)
    assert answer.status_code == 200
    return samples(answer.text)


@pytest.mark.slow
def test_a_scrape_of_a_worker_shows_its_release(cli: Cli, target: ReleaseTarget) -> None:
    port = free_port()
    run_id = submit(cli)
    worker = cli.start("worker", "--metrics-port", str(port), BLUEGREEN_LEASE_SECONDS="3")
    try:
        worker.wait_for_line(lambda line: line.startswith("metrics: http://"))
        wait_for_state(cli, run_id, "succeeded")
        time.sleep(0.5)  # the drive's last observer calls follow the final transition
        found = scrape(port)
    finally:
        worker.process.send_signal(signal.SIGTERM)
        assert worker.finish().exit_code == 0
    assert value(found, "bluegreen_runs", state="succeeded", outcome="succeeded") == 1
    assert value(found, "bluegreen_queue_depth") == 0
    for state in ("preflight", "cloning", "swapping", "deploying", "verifying", "cleaning_up"):
        assert value(found, "bluegreen_step_duration_seconds_count", state=state) == 1, state
        assert value(found, "bluegreen_step_duration_seconds_sum", state=state) > 0, state
    assert value(found, "bluegreen_release_duration_seconds_count", outcome="succeeded") == 1
    assert value(found, "bluegreen_eb_calls_total", operation="DescribeEnvironments") > 0
    assert value(found, "bluegreen_eb_calls_total", operation="SwapEnvironmentCNAMEs") == 2
    assert value(found, "bluegreen_lease_renewals_total") > 0
    assert value(found, "bluegreen_lease_takeovers_total") == 0
    lags = value(found, "bluegreen_poller_detection_lag_seconds_count", operation="launch")
    assert lags >= 1


@pytest.mark.slow
def test_the_textfile_holds_the_historys_metrics(
    cli: Cli, target: ReleaseTarget, tmp_path: Path
) -> None:
    done = cli.run("full", "--version-label", "v2", **cli.replaced_tool_env())
    assert done.exit_code == 0, done
    textfile = tmp_path / "bluegreen.prom"

    written = cli.run("metrics", "--textfile", str(textfile))

    assert written.exit_code == 0, written
    found = samples(textfile.read_text())
    assert value(found, "bluegreen_runs", state="succeeded", outcome="succeeded") == 1
    assert value(found, "bluegreen_step_duration_seconds_count", state="cloning") == 1
    assert value(found, "bluegreen_queue_depth") == 0
